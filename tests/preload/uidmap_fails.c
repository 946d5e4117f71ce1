/* uidmap_fails.c: preloaded into capbox, makes open("/proc/self/uid_map") fail with EMFILE in every process but the one that loaded it (the launcher) while CAPBOX_TEST_UIDMAP_FAILS is set, so that a test can make the first guest process's view of its user namespace differ from the launcher's. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t launcher;

__attribute__((constructor)) static void remember_launcher(void)
{
	launcher = getpid();
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if ((flags & (O_CREAT | O_TMPFILE)) != 0) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	const char *set = getenv("CAPBOX_TEST_UIDMAP_FAILS");
	if (set != NULL && *set != '\0' && getpid() != launcher &&
	    strcmp(path, "/proc/self/uid_map") == 0 &&
	    (flags & O_ACCMODE) == O_RDONLY) {
		errno = EMFILE;
		return -1;
	}
	int (*real)(const char *, int, ...) =
		(int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(path, flags, mode);
}

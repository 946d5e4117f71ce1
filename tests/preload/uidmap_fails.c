/* uidmap_fails.c: preloaded into capbox, makes open("/proc/self/uid_map") fail with EMFILE in every process but the one that loaded it (the launcher) while CAPBOX_TEST_UIDMAP_FAILS is set, so that a test can make the first guest process's view of its user namespace differ from the launcher's; and where the launcher writes the maps of the broker's user namespace (/proc/PID/uid_map, gid_map), CAPBOX_TEST_IDMAP=gid refuses the gid map (EPERM) once the uid map is written, =die kills the launcher before it writes either. */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t launcher;

__attribute__((constructor)) static void remember_launcher(void)
{
	launcher = getpid();
}

/* Whether path is /proc/DIGITS/name: another process's map, which only
 * the launcher writes (the broker writes its own through /proc/self). */
static bool is_map_of_pid(const char *path, const char *name)
{
	if (strncmp(path, "/proc/", 6) != 0 || !isdigit((unsigned char)path[6]))
		return false;
	const char *p = path + 6;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '/' && strcmp(p + 1, name) == 0;
}

/* CAPBOX_TEST_IDMAP's interference with the launcher's write of path:
 * an errno, or 0. */
static int idmap_write_fails(const char *path)
{
	const char *how = getenv("CAPBOX_TEST_IDMAP");
	if (how == NULL)
		return 0;
	if (strcmp(how, "die") == 0 && is_map_of_pid(path, "uid_map"))
		raise(SIGKILL);
	if (strcmp(how, "gid") == 0 && is_map_of_pid(path, "gid_map"))
		return EPERM;
	return 0;
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
	int err = (flags & O_ACCMODE) == O_WRONLY ? idmap_write_fails(path) : 0;
	if (err != 0) {
		errno = err;
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

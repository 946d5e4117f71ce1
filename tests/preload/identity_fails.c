/* identity_fails.c: preloaded into capbox, makes setresuid fail with EPERM while CAPBOX_TEST_IDENTITY_FAILS is set, so that a test can end the first guest process (which gives up root before anything else) early in its set-up. */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

int setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	const char *set = getenv("CAPBOX_TEST_IDENTITY_FAILS");
	if (set != NULL && *set != '\0') {
		errno = EPERM;
		return -1;
	}
	int (*real)(uid_t, uid_t, uid_t) =
		(int (*)(uid_t, uid_t, uid_t))dlsym(RTLD_NEXT, "setresuid");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(ruid, euid, suid);
}

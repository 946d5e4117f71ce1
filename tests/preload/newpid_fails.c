/* newpid_fails.c: preloaded into capbox, makes the clone of a pid namespace alone fail with EPERM while CAPBOX_TEST_NEWPID_FAILS is set, as a seccomp filter of capbox's environment might although capbox holds CAP_SYS_ADMIN, so that the broker falls back to a user namespace of its own. */
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/syscall.h>

long syscall(long number, ...)
{
	va_list ap;
	va_start(ap, number);
	long a[6];
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	const char *set = getenv("CAPBOX_TEST_NEWPID_FAILS");
	if (set != NULL && *set != '\0' && number == SYS_clone &&
	    a[0] == (CLONE_NEWPID | SIGCHLD)) {
		errno = EPERM;
		return -1;
	}
	long (*real)(long, ...) = (long (*)(long, ...))dlsym(RTLD_NEXT,
							     "syscall");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* confine_identity.c: a guest started by root runs as an unprivileged identity of its own. */
#include "confine/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

unsigned confine_sandbox_number;

/* True in the initial user namespace, whose uid map is the identity over
 * all ids: only there is uid 0 the root Linux exempts from RLIMIT_NPROC. */
static bool in_initial_user_namespace(void)
{
	/* One read into the stack: this runs in every guest's set-up, and
	 * stdio's buffer would cost a cold allocation there. */
	char text[128];
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	unsigned long inside, outside, count;
	int fields = sscanf(text, "%lu %lu %lu", &inside, &outside, &count);
	return fields == 3 && inside == 0 && outside == 0 &&
	       count == 4294967295UL;
}

bool confine_guest_identity_own(void)
{
	return (getuid() == 0 || geteuid() == 0) && in_initial_user_namespace();
}

int confine_drop_root(void)
{
	if (!confine_guest_identity_own())
		return 0;
	/* One identity per sandbox, so that RLIMIT_NPROC, which Linux never
	 * applies to root, bounds this sandbox alone. */
	unsigned id = CONFINE_ROOT_GUEST_ID_BASE + confine_sandbox_number;
	if (setgroups(0, NULL) != 0 || setresgid(id, id, id) != 0 ||
	    setresuid(id, id, id) != 0)
		return errno;
	/* Changing identity made the process undumpable, which leaves its
	 * /proc files to root: it could not write its own namespace maps. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
		return errno;
	return 0;
}

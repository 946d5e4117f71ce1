/* confine_identity.c: a guest started by root runs as an unprivileged identity of its own. */
#include "confine/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

unsigned confine_sandbox_number;

/* 1 in the initial user namespace, whose uid map is the identity over all
 * ids: only there is uid 0 the root Linux exempts from RLIMIT_NPROC.  0 in
 * another; -1 when the map cannot be read or is not what the kernel
 * writes. */
static int in_initial_user_namespace(void)
{
	/* One read into the stack: stdio's buffer would cost a cold
	 * allocation. */
	char text[128];
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	unsigned long inside, outside, count;
	if (sscanf(text, "%lu %lu %lu", &inside, &outside, &count) != 3)
		return -1;
	return inside == 0 && outside == 0 && count == 4294967295UL;
}

/* The decision, -1 until made. */
static int identity_own = -1;

bool confine_guest_identity_own(void)
{
	/* Decided once, by the launcher before it forks the broker
	 * (pidns_enter), and inherited: the launcher makes no pids cgroup
	 * when the guest takes an identity of its own, so the guest process
	 * must not decide otherwise (a failed read there kept root, whose
	 * tasks nothing bounded then).  A map that cannot be read counts as
	 * the initial namespace's: the guest then gives up root, or fails to
	 * start if the namespace has no such id, and never keeps it with no
	 * bound on its tasks. */
	if (identity_own < 0)
		identity_own = (getuid() == 0 || geteuid() == 0) &&
			       in_initial_user_namespace() != 0;
	return identity_own;
}

/* The decision was taken back (confine_guest_identity_none) from a guest
 * that would have given up the host's root. */
static bool identity_taken_back;

void confine_guest_identity_none(void)
{
	identity_taken_back = confine_guest_identity_own();
	identity_own = 0;
}

/* Whether this process holds CAP_SYS_ADMIN (in its user namespace), which
 * a pid namespace without a user namespace of its own needs. */
static bool holds_sys_admin(void)
{
	struct __user_cap_header_struct head = {
		.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};
	if (syscall(SYS_capget, &head, data) != 0)
		return false;
	return (data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
		CAP_TO_MASK(CAP_SYS_ADMIN)) != 0;
}

bool confine_guest_keeps_host_root(void)
{
	if (geteuid() != 0)
		return false;
	/* Before the broker's fork: the forecast of its fallback. */
	if (confine_guest_identity_own())
		return !holds_sys_admin();
	return identity_taken_back;
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

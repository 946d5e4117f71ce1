/* confine_identity.c: a guest started by root runs as an unprivileged identity of its own. */
#include "confine/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

unsigned confine_sandbox_number;

/* The text of a small /proc file, read once into buf (one read into the
 * stack: stdio's buffer would cost a cold allocation); its length, or -1
 * when it cannot be read. */
static ssize_t read_proc_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* 1 when the map is the initial user namespace's, the identity over all
 * ids: only there is uid 0 the root Linux exempts from RLIMIT_NPROC.  0
 * for another; -1 when it is not what the kernel writes. */
static int is_initial_map(const char *text)
{
	unsigned long inside, outside, count;
	if (sscanf(text, "%lu %lu %lu", &inside, &outside, &count) != 3)
		return -1;
	return inside == 0 && outside == 0 && count == 4294967295UL;
}

/* The overflow uid, which an id unmapped in this namespace reads as;
 * 65534 when /proc does not say. */
static unsigned long overflow_uid(void)
{
	char text[16];
	unsigned long id;
	if (read_proc_text("/proc/sys/kernel/overflowuid", text, sizeof(text)) <
		    0 ||
	    sscanf(text, "%lu", &id) != 1)
		return 65534;
	return id;
}

/* Whether the real uid, in a user namespace other than the initial one
 * (map: its uid map, whole unless truncated), may be the host's root:
 * mapped to uid 0 of the parent namespace (the host's root when root made
 * the namespace, as `unshare -Ur` or a container mapping its root to the
 * host's does; a nested one cannot be told apart), or possibly unmapped
 * (it reads as the overflow uid then, and root can make a namespace whose
 * map leaves out its own uid).  Not found in a truncated map counts as
 * maybe. */
static bool real_uid_maybe_host_root(const char *map, bool truncated)
{
	unsigned long ruid = getuid();
	if (ruid == overflow_uid())
		return true;
	const char *line = map;
	while (*line != '\0') {
		unsigned long inside, outside, count;
		if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) != 3)
			return true;
		if (ruid >= inside && ruid - inside < count)
			return outside + (ruid - inside) == 0;
		const char *end = strchr(line, '\n');
		if (end == NULL)
			break;
		line = end + 1;
	}
	return truncated;
}

/* The decision, -1 until made. */
static int identity_own = -1;
/* Decided with it: whether the real uid the guest keeps when it has no
 * identity of its own may be the host's root. */
static bool real_uid_host_root;

bool confine_guest_identity_own(void)
{
	/* Decided once, by the launcher before it forks the broker
	 * (pidns_enter), and inherited: the launcher makes no pids cgroup
	 * when the guest takes an identity of its own, so the guest process
	 * must not decide otherwise (a failed read there kept root, whose
	 * tasks nothing bounded then).  A map that cannot be read counts as
	 * the initial namespace's: the guest then gives up root, or fails to
	 * start if the namespace has no such id, and never keeps it with no
	 * bound on its tasks; and its real uid as maybe the host's root. */
	if (identity_own >= 0)
		return identity_own;
	char map[4096];
	ssize_t n = read_proc_text("/proc/self/uid_map", map, sizeof(map));
	int initial = n < 0 ? -1 : is_initial_map(map);
	identity_own = (getuid() == 0 || geteuid() == 0) && initial != 0;
	if (initial < 0)
		real_uid_host_root = true;
	else if (initial == 1)
		real_uid_host_root = getuid() == 0;
	else
		real_uid_host_root = real_uid_maybe_host_root(
			map, (size_t)n == sizeof(map) - 1);
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

/* Whether this process holds capability cap (in its user namespace); a
 * capget that fails counts as not. */
static bool holds(int cap)
{
	struct __user_cap_header_struct head = {
		.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};
	if (syscall(SYS_capget, &head, data) != 0)
		return false;
	return (data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap)) != 0;
}

bool confine_can_map_guest_identity(void)
{
	return confine_guest_identity_own() && holds(CAP_SETUID) &&
	       holds(CAP_SETGID);
}

bool confine_guest_keeps_host_root(void)
{
	/* Before the broker's fork: the forecast of its fallback (a pid
	 * namespace without CAP_SYS_ADMIN needs a user namespace of its
	 * own), where the guest keeps its real uid unless the launcher can
	 * map the guest's identity there (the effective uid does not matter:
	 * RLIMIT_NPROC counts the real). */
	if (confine_guest_identity_own())
		return !holds(CAP_SYS_ADMIN) &&
		       !confine_can_map_guest_identity();
	/* Else the real uid the guest keeps, decided with the identity. */
	return identity_taken_back || real_uid_host_root;
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

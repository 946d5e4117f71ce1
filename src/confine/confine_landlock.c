/* confine_landlock.c: a Landlock domain that grants nothing: no file system access by path, no TCP, scoped signals and abstract sockets. */
#include "confine/confine.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's Landlock ABI (Documentation/userspace-api/landlock.rst),
 * spelled out because Debian 12's uapi header stops at version 2. */
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)

struct ruleset_attr {
	uint64_t handled_access_fs;  /* ABI 1 */
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};

/* File system rights by ABI version: 13 in version 1 (execute ... make
 * symlink), then REFER (2), TRUNCATE (3) and IOCTL_DEV (5). */
static uint64_t fs_rights(long abi)
{
	uint64_t rights = (UINT64_C(1) << 13) - 1;
	if (abi >= 2)
		rights |= UINT64_C(1) << 13;
	if (abi >= 3)
		rights |= UINT64_C(1) << 14;
	if (abi >= 5)
		rights |= UINT64_C(1) << 15;
	return rights;
}

#define NET_BIND_TCP (UINT64_C(1) << 0)
#define NET_CONNECT_TCP (UINT64_C(1) << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)
#define SCOPE_SIGNAL (UINT64_C(1) << 1)

int confine_landlock(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return errno;
	struct ruleset_attr attr = {.handled_access_fs = fs_rights(abi)};
	size_t size = offsetof(struct ruleset_attr, handled_access_net);
	if (abi >= 4) {
		attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
		size = offsetof(struct ruleset_attr, scoped);
	}
	if (abi >= 6) {
		attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0)
		return errno;
	/* no_new_privs is set: an unprivileged process may restrict itself. */
	int err = syscall(SYS_landlock_restrict_self, ruleset, 0) == 0 ? 0
								       : errno;
	close(ruleset);
	return err;
}

/* confine_ns.c: new user/mount/ipc/uts/network namespaces and an empty root for the guest. */
#include "confine/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* Inside the namespace the guest is this uid and gid, not root, so the
 * exec of the shim drops every capability the namespace gave. */
#define GUEST_ID 1

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, text, strlen(text));
	int err = n == (ssize_t)strlen(text) ? 0 : n < 0 ? errno : EIO;
	close(fd);
	return err;
}

/* An unprivileged process may map exactly its own ids, once setgroups is
 * denied, and may write its own maps: no help from the parent needed. */
static int map_ids(unsigned inner_uid, unsigned outer_uid, unsigned inner_gid,
		   unsigned outer_gid)
{
	char line[64];
	int err = write_file("/proc/self/setgroups", "deny");
	if (err != 0)
		return err;
	snprintf(line, sizeof(line), "%u %u 1\n", inner_uid, outer_uid);
	err = write_file("/proc/self/uid_map", line);
	if (err != 0)
		return err;
	snprintf(line, sizeof(line), "%u %u 1\n", inner_gid, outer_gid);
	return write_file("/proc/self/gid_map", line);
}

int confine_map_ids_with_guest_identity(int pid, unsigned uid, unsigned gid)
{
	/* Two ranges need CAP_SETUID and CAP_SETGID in the writer's (the
	 * parent) namespace; setgroups stays allowed, for the guest's
	 * setgroups(0) when it gives up root. */
	unsigned id = CONFINE_ROOT_GUEST_ID_BASE + confine_sandbox_number;
	char path[64], lines[96];
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	snprintf(lines, sizeof(lines), "%u %u 1\n%u %u 1\n", uid, uid, id, id);
	int err = write_file(path, lines);
	if (err != 0)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	snprintf(lines, sizeof(lines), "%u %u 1\n%u %u 1\n", gid, gid, id, id);
	return write_file(path, lines);
}

int confine_map_same_ids(unsigned outer_uid, unsigned outer_gid)
{
	return map_ids(outer_uid, outer_uid, outer_gid, outer_gid);
}

int confine_enter_namespaces(void)
{
	unsigned uid = geteuid(), gid = getegid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS |
		    CLONE_NEWNET) != 0)
		return errno;
	return map_ids(GUEST_ID, uid, GUEST_ID, gid);
}

/*
 * A new tmpfs mount that is attached to no mount point becomes root and
 * working directory: the host's tree is then unreachable by any path (there
 * is nothing above the root of a detached mount).  pivot_root is not used:
 * it fails on kernels booted with an initramfs root and in some containers.
 */
int confine_empty_root(void)
{
	int err = 0;
	int mnt = -1;
	int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return errno;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "size", "4k", 0) != 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0555", 0) != 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0)
		goto fail;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC,
		      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			      MOUNT_ATTR_NOEXEC);
	if (mnt < 0 || fchdir(mnt) != 0 || chroot(".") != 0 || chdir("/") != 0)
		goto fail;
	goto out;
fail:
	err = errno != 0 ? errno : EIO;
out:
	if (mnt >= 0)
		close(mnt);
	close(fs);
	return err;
}

/* hc_fd.c: descriptor hypercalls that read or change the capability table. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/grant_internal.h"
#include "broker/inflight/inflight.h"
#include "common/linux_convert.h"

cloudabi_errno_t hc_fd_close(struct guest *g, const struct capbox_hc_fd *p,
			     const unsigned char *tail, size_t tail_len,
			     struct hc_out *out)
{
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	return captable_remove(&g->caps, p->fd);
}

/* The capability a struct capbox_hc_fd names, if it holds `need` (the
 * reserved word must be zero). */
static cloudabi_errno_t named_cap(struct guest *g, const struct capbox_hc_fd *p,
				  cloudabi_rights_t need, struct cap **cap)
{
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	return captable_check(&g->caps, p->fd, need, cap);
}

/* The guest's own copy of a descriptor it holds (hc_fd.h): what fd_dup
 * would attach, at the same number. */
cloudabi_errno_t hc_fd_fetch(struct guest *g, const struct capbox_hc_fd *p,
			     const unsigned char *tail, size_t tail_len,
			     struct hc_out *out)
{
	struct cap *cap;
	cloudabi_errno_t err = named_cap(g, p, 0, &cap);
	if (err == 0)
		err = hc_attach_view(out, cap);
	return err != 0 ? err : hc_reply_entry(g, p->fd, out);
}

static cloudabi_fdflags_t fdflags_of(int object, cloudabi_filetype_t type)
{
	if (type == CLOUDABI_FILETYPE_DIRECTORY)
		return 0;
	int fl = fcntl(object, F_GETFL);
	return fl < 0 ? 0 : capbox_fdflags_from_linux(fl);
}

cloudabi_errno_t hc_fd_stat_get(struct guest *g, const struct capbox_hc_fd *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	struct cap *cap;
	cloudabi_errno_t err = named_cap(g, p, 0, &cap);
	if (err != 0)
		return err;
	void *st = hc_reply_zeroed(out, sizeof(cloudabi_fdstat_t));
	HC_REPLY_SET(st, cloudabi_fdstat_t, fs_filetype, cap->type);
	HC_REPLY_SET(st, cloudabi_fdstat_t, fs_flags,
		     fdflags_of(cap->object, cap->type));
	HC_REPLY_SET(st, cloudabi_fdstat_t, fs_rights_base, cap->rights.base);
	HC_REPLY_SET(st, cloudabi_fdstat_t, fs_rights_inheriting,
		     cap->rights.inheriting);
	return 0;
}

/* A new capability for a new object (moved above the guest's numbers). */
static cloudabi_errno_t reply_new_object(struct guest *g, int object,
					 cloudabi_filetype_t type,
					 struct hc_out *out)
{
	if (object < 0)
		return fdbudget_errno(errno);
	object = grant_move_high(object);
	if (object < 0)
		return fdbudget_errno(errno);
	struct cap cap = {
		.type = type,
		.rights = rights_for_type(type),
		.object = object,
	};
	return hc_reply_new_fd(g, &cap, out);
}

/* fd_create's reserved bytes must be zero. */
static bool reserved_zero(const struct capbox_hc_fd_create *p)
{
	static const uint8_t zero[sizeof(p->reserved)];
	return memcmp(p->reserved, zero, sizeof(zero)) == 0;
}

cloudabi_errno_t hc_fd_create1(struct guest *g,
			       const struct capbox_hc_fd_create *p,
			       const unsigned char *tail, size_t tail_len,
			       struct hc_out *out)
{
	if (!reserved_zero(p) || p->type != CLOUDABI_FILETYPE_SHARED_MEMORY)
		return CLOUDABI_EINVAL;
	return reply_new_object(g, memfd_create("capbox-shm", MFD_CLOEXEC),
				p->type, out);
}

cloudabi_errno_t hc_fd_create2(struct guest *g,
			       const struct capbox_hc_fd_create *p,
			       const unsigned char *tail, size_t tail_len,
			       struct hc_out *out)
{
	int socktype;
	if (p->type == CLOUDABI_FILETYPE_SOCKET_STREAM)
		socktype = SOCK_STREAM;
	else if (p->type == CLOUDABI_FILETYPE_SOCKET_DGRAM)
		socktype = SOCK_DGRAM;
	else
		return CLOUDABI_EINVAL;
	if (!reserved_zero(p))
		return CLOUDABI_EINVAL;
	int pair[2];
	if (socketpair(AF_UNIX, socktype | SOCK_CLOEXEC, 0, pair) != 0)
		return fdbudget_errno(errno);
	cloudabi_errno_t err = reply_new_object(g, pair[0], p->type, out);
	if (err != 0) {
		close(pair[1]);
		return err;
	}
	err = reply_new_object(g, pair[1], p->type, out);
	if (err != 0) {
		struct capbox_hc_new_fd first;
		memcpy(&first, out->data, sizeof(first));
		captable_remove(&g->caps, first.entry.fd);
	}
	return err;
}

/* *copy: cap from with a duplicate of its object (above the guest's
 * numbers). */
static cloudabi_errno_t copy_cap(const struct cap *from, struct cap *copy)
{
	*copy = *from;
	copy->object = fcntl(from->object, F_DUPFD_CLOEXEC,
			     fdbudget_layout.private_end);
	return copy->object < 0 ? fdbudget_errno(errno) : 0;
}

cloudabi_errno_t hc_fd_dup(struct guest *g, const struct capbox_hc_fd *p,
			   const unsigned char *tail, size_t tail_len,
			   struct hc_out *out)
{
	struct cap *from;
	struct cap copy;
	cloudabi_errno_t err = named_cap(g, p, 0, &from);
	if (err == 0)
		err = copy_cap(from, &copy);
	return err != 0 ? err : hc_reply_new_fd(g, &copy, out);
}

/* fsync/fdatasync of the broker's own object (the guest's placeholder
 * for a directory cannot be synced). */
static cloudabi_errno_t sync_object(struct guest *g,
				    const struct capbox_hc_fd *p,
				    cloudabi_rights_t right, bool data_only)
{
	struct cap *cap;
	cloudabi_errno_t err = named_cap(g, p, right, &cap);
	if (err != 0)
		return err;
	return hc_errno_of(data_only ? fdatasync(cap->object)
				     : fsync(cap->object));
}

cloudabi_errno_t hc_fd_sync(struct guest *g, const struct capbox_hc_fd *p,
			    const unsigned char *tail, size_t tail_len,
			    struct hc_out *out)
{
	return sync_object(g, p, CLOUDABI_RIGHT_FD_SYNC, false);
}

cloudabi_errno_t hc_fd_datasync(struct guest *g, const struct capbox_hc_fd *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	return sync_object(g, p, CLOUDABI_RIGHT_FD_DATASYNC, true);
}

cloudabi_errno_t hc_fd_replace(struct guest *g,
			       const struct capbox_hc_fd_replace *p,
			       const unsigned char *tail, size_t tail_len,
			       struct hc_out *out)
{
	struct cap *from;
	cloudabi_errno_t err = captable_check(&g->caps, p->from, 0, &from);
	if (err == 0)
		err = captable_check(&g->caps, p->to, 0, NULL);
	if (err != 0)
		return err;
	if (p->from == p->to)
		return hc_reply_entry(g, p->to, out);
	struct cap copy;
	err = copy_cap(from, &copy);
	if (err != 0)
		return err;
	/* Check we can hand the guest its copy before changing anything. */
	err = hc_attach_view(out, &copy);
	if (err != 0) {
		close(copy.object);
		return err;
	}
	captable_put(&g->caps, p->to, &copy);
	return hc_reply_entry(g, p->to, out);
}

/*
 * Linux's access mode 3: neither read nor write, yet seek, sync and stat
 * work (open(2): it needs read and write permission to open).  Where that
 * permission is lacking the reopen falls back to O_PATH, where only
 * file_stat_fget keeps working.
 */
#define ACCESS_NONE O_ACCMODE

/* The access mode a narrowed regular file or shared memory object needs
 * (O_RDONLY, O_WRONLY, O_RDWR, or ACCESS_NONE), by the table in rights.h:
 * once the rights keep no right that needs write access, the descriptor
 * the guest holds is no longer writable.  -1 when the kernel descriptor
 * can stay as it is. */
static int narrowed_mode(const struct cap *cap, cloudabi_rights_t base)
{
	if (cap->type != CLOUDABI_FILETYPE_REGULAR_FILE &&
	    cap->type != CLOUDABI_FILETYPE_SHARED_MEMORY)
		return -1; /* sockets and devices cannot be reopened */
	int fl = fcntl(cap->object, F_GETFL);
	if (fl < 0)
		return ACCESS_NONE; /* unknown: the narrowest, never "as it is" */
	if (fl & O_PATH)
		return -1;
	int mode = fl & O_ACCMODE;
	bool readable = mode == O_RDONLY || mode == O_RDWR;
	bool writable = mode == O_WRONLY || mode == O_RDWR;
	struct kernel_access need = rights_kernel_access(base);
	bool read = readable && need.read;
	bool write = writable && need.write;
	if (read == readable && write == writable)
		return -1;
	return read && write ? O_RDWR
	       : read        ? O_RDONLY
	       : write       ? O_WRONLY
			     : ACCESS_NONE;
}

/* A new open file description of cap's object with access `mode`, the
 * same status flags and the same offset. */
static int reopen(const struct cap *cap, int mode)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", cap->object);
	int keep = O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC;
	int fl = fcntl(cap->object, F_GETFL);
	int flags = mode | O_CLOEXEC | O_NOCTTY;
	if (fl >= 0)
		flags |= fl & keep;
	int fresh = open(path, flags);
	if (fresh < 0 && mode == ACCESS_NONE &&
	    (errno == EACCES || errno == EPERM)) {
		mode = O_PATH;
		fresh = open(path, O_PATH | O_CLOEXEC);
	}
	if (fresh < 0)
		return -1;
	off_t offset = lseek(cap->object, 0, SEEK_CUR);
	if (offset > 0 && mode != O_PATH &&
	    lseek(fresh, offset, SEEK_SET) != offset) {
		int saved = errno;
		close(fresh);
		errno = saved;
		return -1;
	}
	return grant_move_high(fresh);
}

#define FDFLAGS_ALL                                                            \
	(CLOUDABI_FDFLAG_APPEND | CLOUDABI_FDFLAG_DSYNC |                      \
	 CLOUDABI_FDFLAG_NONBLOCK | CLOUDABI_FDFLAG_RSYNC |                    \
	 CLOUDABI_FDFLAG_SYNC)
#define FDFLAGS_SYNC                                                           \
	(CLOUDABI_FDFLAG_DSYNC | CLOUDABI_FDFLAG_RSYNC | CLOUDABI_FDFLAG_SYNC)

/*
 * Checks a FDSTAT_FLAGS change.  APPEND and NONBLOCK are set with
 * F_SETFL; Linux cannot change O_DSYNC/O_SYNC on an open descriptor
 * (F_SETFL ignores them), so asking for sync flags other than the current
 * ones is ENOTSUP rather than a silent no-op.  A directory has no flags.
 */
static cloudabi_errno_t check_fdflags(const struct cap *cap,
				      cloudabi_fdflags_t want)
{
	if (want & ~FDFLAGS_ALL)
		return CLOUDABI_EINVAL;
	if (cap->type == CLOUDABI_FILETYPE_DIRECTORY)
		return want == 0 ? 0 : CLOUDABI_ENOTSUP;
	cloudabi_fdflags_t now = fdflags_of(cap->object, cap->type);
	if ((want ^ now) & FDFLAGS_SYNC)
		return CLOUDABI_ENOTSUP;
	return 0;
}

static cloudabi_errno_t set_fdflags(int object, cloudabi_fdflags_t want)
{
	int fl = fcntl(object, F_GETFL);
	if (fl < 0)
		return fdbudget_errno(errno);
	fl &= ~(O_APPEND | O_NONBLOCK);
	if (want & CLOUDABI_FDFLAG_APPEND)
		fl |= O_APPEND;
	if (want & CLOUDABI_FDFLAG_NONBLOCK)
		fl |= O_NONBLOCK;
	return hc_errno_of(fcntl(object, F_SETFL, fl));
}

/*
 * fd_stat_put.  Rights only shrink: asking for any right the descriptor
 * lacks is ENOTCAPABLE.  When a regular file or shared memory object loses
 * the last right that needs read (or write) access (rights.h), the guest's
 * kernel descriptor is replaced by a new open file description with the
 * narrower access mode, so the kernel enforces the loss too.  Sockets,
 * pipes and devices cannot be reopened: for them only the table (and so
 * the shim and the broker) enforce it.
 */
cloudabi_errno_t hc_fd_stat_put(struct guest *g,
				const struct capbox_hc_fd_stat_put *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	struct cap *cap;
	cloudabi_errno_t err = captable_check(&g->caps, p->fd, 0, &cap);
	if (err != 0)
		return err;
	bool flags = p->flags & CLOUDABI_FDSTAT_FLAGS;
	bool rights = p->flags & CLOUDABI_FDSTAT_RIGHTS;
	if (p->flags & ~(CLOUDABI_FDSTAT_FLAGS | CLOUDABI_FDSTAT_RIGHTS))
		return CLOUDABI_EINVAL;
	if (flags) {
		if (!(cap->rights.base & CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS))
			return CLOUDABI_ENOTCAPABLE;
		err = check_fdflags(cap, p->fs_flags);
		if (err != 0)
			return err;
	}
	if (rights && ((p->rights_base & ~cap->rights.base) ||
		       (p->rights_inheriting & ~cap->rights.inheriting)))
		return CLOUDABI_ENOTCAPABLE;

	int mode = rights ? narrowed_mode(cap, p->rights_base) : -1;
	int fresh = mode >= 0 ? reopen(cap, mode) : -1;
	if (mode >= 0 && fresh < 0)
		return fdbudget_errno(errno);
	if (flags && cap->type != CLOUDABI_FILETYPE_DIRECTORY) {
		err = set_fdflags(fresh >= 0 ? fresh : cap->object,
				  p->fs_flags);
		if (err != 0) {
			if (fresh >= 0)
				close(fresh);
			return err;
		}
	}
	if (fresh >= 0) {
		err = hc_attach_fd(out, fcntl(fresh, F_DUPFD_CLOEXEC, 0));
		if (err != 0) {
			close(fresh);
			return err;
		}
		close(cap->object);
		cap->object = fresh;
	}
	if (rights)
		cap->rights = (struct rights){p->rights_base,
					      p->rights_inheriting};
	return hc_reply_entry(g, p->fd, out);
}

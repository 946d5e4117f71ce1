/* sys_fd.c: descriptor system calls: read/write/seek/sync directly (a file's first transfers via the broker while it waits there), table changes via the broker. */
#include <linux/uio.h>

#include "common/linux_convert.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/fault.h"
#include "shim/fdtable.h"
#include "shim/linux.h"
#include "shim/sock_stream.h"
#include "shim/syscalls.h"

#define LINUX_IOV_MAX 1024

_Static_assert(sizeof(cloudabi_iovec_t) == sizeof(struct iovec) &&
		       offsetof(cloudabi_iovec_t, buf_len) ==
			       offsetof(struct iovec, iov_len),
	       "CloudABI and Linux scatter/gather vectors share a layout");
_Static_assert(sizeof(cloudabi_ciovec_t) == sizeof(struct iovec),
	       "const vectors too");

/* Converts a raw kernel result into an error, storing a size on success. */
static cloudabi_errno_t size_result(long ret, size_t *out)
{
	if (ret < 0)
		return capbox_errno_from_linux((int)-ret);
	*out = (size_t)ret;
	return 0;
}

/* Below Linux's default vm.mmap_min_addr nothing is ever mapped. */
#define NEVER_MAPPED_BELOW 65536

/*
 * One transfer: with exactly one buffer the single-buffer call (read,
 * write, pread64, pwrite64: 20-50 ns cheaper than the vector forms, see
 * docs/BENCHMARKS.md), else the vector call.  Reading the guest's vector
 * is no new exposure: like the `nread` result pointer, a bad one faults
 * in the guest's own process.  A vector array in the never-mapped low
 * pages (a null pointer) or a length the vector call refuses still goes
 * to the vector call, which answers EFAULT or EINVAL exactly.  The
 * offset is ignored by read/readv/write/writev; preadv and pwritev take
 * it as (low, high) halves, and on x86-64 the low half is all of it.
 */
static cloudabi_errno_t transfer(long single_nr, long vector_nr,
				 cloudabi_fd_t fd, const void *iovs,
				 size_t iovs_len, cloudabi_filesize_t offset,
				 size_t *out)
{
	const struct iovec *one = iovs;
	long ret;
	if (iovs_len == 1 && (uintptr_t)one >= NEVER_MAPPED_BELOW &&
	    one->iov_len <= INT64_MAX)
		ret = linux_syscall4(single_nr, fd, one->iov_base, one->iov_len,
				     offset);
	else if (iovs_len > LINUX_IOV_MAX)
		return CLOUDABI_EINVAL;
	else
		ret = linux_syscall5(vector_nr, fd, iovs, iovs_len, offset, 0);
	return size_result(ret, out);
}

/* What distinguishes the four transfers. */
struct io_kind {
	uint16_t call;  /* the forwarded hypercall (hc_fd.h) */
	long single_nr; /* and the Linux calls (see transfer) */
	long vector_nr;
	cloudabi_rights_t need;
	bool positioned; /* pread, pwrite: offset given, FD_SEEK needed */
	bool writing;
};

static const struct io_kind io_read = {
	CLOUDABI_SYS_fd_read,   __NR_read, __NR_readv,
	CLOUDABI_RIGHT_FD_READ, false,     false};
static const struct io_kind io_write = {
	CLOUDABI_SYS_fd_write,   __NR_write, __NR_writev,
	CLOUDABI_RIGHT_FD_WRITE, false,      true};
static const struct io_kind io_pread = {CLOUDABI_SYS_fd_pread,
					__NR_pread64,
					__NR_preadv,
					CLOUDABI_RIGHT_FD_READ |
						CLOUDABI_RIGHT_FD_SEEK,
					true,
					false};
static const struct io_kind io_pwrite = {CLOUDABI_SYS_fd_pwrite,
					 __NR_pwrite64,
					 __NR_pwritev,
					 CLOUDABI_RIGHT_FD_WRITE |
						 CLOUDABI_RIGHT_FD_SEEK,
					 true,
					 true};

/* The transfer done by the broker on the file it still holds: one buffer
 * (of at most CAPBOX_HC_IO_MAX bytes), copied with the guarded copy. */
static cloudabi_errno_t forward(const struct io_kind *k, cloudabi_fd_t fd,
				const struct iovec *one,
				cloudabi_filesize_t offset, size_t *out)
{
	struct capbox_hc_fd_io params = {
		.fd = fd,
		.length = (uint32_t)one->iov_len,
		.offset = k->positioned ? offset : 0,
	};
	if (!k->writing) {
		struct hc_result result = {.data = one->iov_base,
					   .capacity = one->iov_len};
		cloudabi_errno_t err = hc_call(k->call, &params, sizeof(params),
					       NULL, 0, &result);
		if (err == 0)
			*out = result.length;
		return err;
	}
	struct capbox_hc_fd_io_done done;
	struct hc_result result = {.data = &done, .capacity = sizeof(done)};
	cloudabi_errno_t err = hc_call(k->call, &params, sizeof(params),
				       one->iov_base, one->iov_len, &result);
	if (err == 0 &&
	    (result.length != sizeof(done) || done.bytes > one->iov_len))
		err = CLOUDABI_EIO;
	if (err == 0)
		*out = (size_t)done.bytes;
	return err;
}

/* A read or write: forwarded while the file waits in the broker (see
 * fdtable_forward), else on the guest's own descriptor, fetched first if
 * need be. */
static cloudabi_errno_t file_io(const struct io_kind *k, cloudabi_fd_t fd,
				const void *iovs, size_t iovs_len,
				cloudabi_filesize_t offset, size_t *out)
{
	cloudabi_errno_t err = fdtable_check(fd, k->need);
	if (err != 0)
		return err;
	if (k->positioned && offset > INT64_MAX)
		return CLOUDABI_EINVAL;
	if (k == &io_read && iovs_len <= LINUX_IOV_MAX &&
	    fdtable_filetype(fd) == CLOUDABI_FILETYPE_SOCKET_STREAM) {
		err = shim_stream_read(fd, iovs, iovs_len, out);
		/* A pipe is a socket_stream too (as natively) but takes no
		 * recvmsg (sock_recv on it stays ENOTSOCK): read it as any
		 * other descriptor. */
		if (err != CLOUDABI_ENOTSOCK)
			return err;
	}
	if (__builtin_expect(fdtable_waiting(fd), 0)) {
		const struct iovec *one = iovs;
		/* Forwarded only when the buffer is sure to take the whole
		 * transfer: the broker's read moves the offset before the
		 * bytes reach it.  Otherwise the guest's own call gives the
		 * kernel's answer (EFAULT, or a short count). */
		if (iovs_len == 1 && (uintptr_t)one >= NEVER_MAPPED_BELOW &&
		    one->iov_len <= CAPBOX_HC_IO_MAX &&
		    shim_guarded_probe(one->iov_base, one->iov_len,
				       !k->writing) == 0 &&
		    fdtable_forward(fd))
			return forward(k, fd, one, offset, out);
		err = fdtable_fetch(fd);
		if (err != 0)
			return err;
	}
	return transfer(k->single_nr, k->vector_nr, fd, iovs, iovs_len, offset,
			out);
}

cloudabi_errno_t cloudabi_sys_fd_read(cloudabi_fd_t fd,
				      const cloudabi_iovec_t *iovs,
				      size_t iovs_len, size_t *nread)
{
	return file_io(&io_read, fd, iovs, iovs_len, 0, nread);
}

cloudabi_errno_t cloudabi_sys_fd_write(cloudabi_fd_t fd,
				       const cloudabi_ciovec_t *iovs,
				       size_t iovs_len, size_t *nwritten)
{
	return file_io(&io_write, fd, iovs, iovs_len, 0, nwritten);
}

cloudabi_errno_t cloudabi_sys_fd_pread(cloudabi_fd_t fd,
				       const cloudabi_iovec_t *iovs,
				       size_t iovs_len,
				       cloudabi_filesize_t offset,
				       size_t *nread)
{
	return file_io(&io_pread, fd, iovs, iovs_len, offset, nread);
}

cloudabi_errno_t cloudabi_sys_fd_pwrite(cloudabi_fd_t fd,
					const cloudabi_ciovec_t *iovs,
					size_t iovs_len,
					cloudabi_filesize_t offset,
					size_t *nwritten)
{
	return file_io(&io_pwrite, fd, iovs, iovs_len, offset, nwritten);
}

cloudabi_errno_t cloudabi_sys_fd_seek(cloudabi_fd_t fd,
				      cloudabi_filedelta_t offset,
				      cloudabi_whence_t whence,
				      cloudabi_filesize_t *newoffset)
{
	int linux_whence;
	switch (whence) {
	case CLOUDABI_WHENCE_CUR:
		linux_whence = SEEK_CUR;
		break;
	case CLOUDABI_WHENCE_END:
		linux_whence = SEEK_END;
		break;
	case CLOUDABI_WHENCE_SET:
		linux_whence = SEEK_SET;
		break;
	default:
		linux_whence = -1;
		break;
	}
	/* Asking where we are needs FD_TELL, which FD_SEEK implies; any
	 * move needs FD_SEEK.  A bad descriptor is EBADF before anything. */
	bool tell = whence == CLOUDABI_WHENCE_CUR && offset == 0;
	cloudabi_errno_t err = fdtable_check(fd, CLOUDABI_RIGHT_FD_SEEK);
	if (err == CLOUDABI_ENOTCAPABLE && tell)
		err = fdtable_check(fd, CLOUDABI_RIGHT_FD_TELL);
	if (err == CLOUDABI_EBADF)
		return err;
	if (linux_whence < 0)
		return CLOUDABI_EINVAL;
	if (err == 0)
		err = fdtable_fetch(fd);
	if (err != 0)
		return err;
	long ret = linux_syscall3(__NR_lseek, fd, offset, linux_whence);
	if (linux_is_error(ret))
		return capbox_errno_from_linux((int)-ret);
	*newoffset = (cloudabi_filesize_t)ret;
	return 0;
}

/* fsync or fdatasync: on the guest's own descriptor, except for a
 * directory, whose placeholder is nothing to sync: the broker syncs the
 * real one. */
static cloudabi_errno_t sync_fd(cloudabi_fd_t fd, cloudabi_rights_t right,
				long linux_call, uint16_t hypercall)
{
	cloudabi_errno_t err = fdtable_check(fd, right);
	if (err != 0)
		return err;
	if (fdtable_filetype(fd) == CLOUDABI_FILETYPE_DIRECTORY) {
		struct capbox_hc_fd params = {.fd = fd};
		return hc_call(hypercall, &params, sizeof(params), NULL, 0,
			       NULL);
	}
	err = fdtable_fetch(fd);
	if (err != 0)
		return err;
	long ret = linux_syscall1(linux_call, fd);
	return ret < 0 ? capbox_errno_from_linux((int)-ret) : 0;
}

cloudabi_errno_t cloudabi_sys_fd_sync(cloudabi_fd_t fd)
{
	return sync_fd(fd, CLOUDABI_RIGHT_FD_SYNC, __NR_fsync,
		       CLOUDABI_SYS_fd_sync);
}

cloudabi_errno_t cloudabi_sys_fd_datasync(cloudabi_fd_t fd)
{
	return sync_fd(fd, CLOUDABI_RIGHT_FD_DATASYNC, __NR_fdatasync,
		       CLOUDABI_SYS_fd_datasync);
}

/*
 * Answered from the shim's mirror, without a round trip: the mirror holds
 * the type and rights the broker sent with every change, and the status
 * flags live in the open file description the guest's descriptor shares
 * with the broker's (a directory's placeholder is the exception: no flags,
 * as in the broker).  The mirror is guest memory, so a guest that rewrote
 * it is lied to only by itself; every decision that grants something
 * (fd_stat_put, path calls, sock_send of descriptors) is still taken by
 * the broker from its own table.
 */
cloudabi_errno_t cloudabi_sys_fd_stat_get(cloudabi_fd_t fd,
					  cloudabi_fdstat_t *buf)
{
	struct shim_fd entry;
	if (!fdtable_get(fd, &entry))
		return CLOUDABI_EBADF;
	if (entry.waiting && entry.filetype != CLOUDABI_FILETYPE_DIRECTORY) {
		/* The flags are in the object, still in the broker. */
		struct capbox_hc_fd params = {.fd = fd};
		cloudabi_fdstat_t st;
		struct hc_result result = {.data = &st, .capacity = sizeof(st)};
		cloudabi_errno_t err = hc_call(CLOUDABI_SYS_fd_stat_get,
					       &params, sizeof(params), NULL, 0,
					       &result);
		if (err == 0 && result.length != sizeof(st))
			err = CLOUDABI_EIO;
		if (err == 0)
			*buf = st; /* as below: the guest's own pointer */
		return err;
	}
	cloudabi_fdflags_t flags = 0;
	if (entry.filetype != CLOUDABI_FILETYPE_DIRECTORY) {
		long fl = linux_syscall2(__NR_fcntl, fd, F_GETFL);
		if (!linux_is_error(fl))
			flags = capbox_fdflags_from_linux((int)fl);
	}
	*buf = (cloudabi_fdstat_t){
		.fs_filetype = entry.filetype,
		.fs_flags = flags,
		.fs_rights_base = entry.rights_base,
		.fs_rights_inheriting = entry.rights_inheriting,
	};
	return 0;
}

/* Whether closing fd may leave the broker's copy open until the process's
 * next request: for files and directories nobody else can tell; a peer
 * must see a socket or pipe end close at once, and closing a process's
 * last descriptor ends it. */
static bool close_can_wait(cloudabi_fd_t fd)
{
	cloudabi_filetype_t type = fdtable_filetype(fd);
	return type == CLOUDABI_FILETYPE_REGULAR_FILE ||
	       type == CLOUDABI_FILETYPE_DIRECTORY;
}

/* Closing holds the table lock: the number must not be handed out again
 * (and installed by another thread) before the kernel descriptor is gone. */
cloudabi_errno_t cloudabi_sys_fd_close(cloudabi_fd_t fd)
{
	struct capbox_hc_fd params = {.fd = fd};
	fdtable_lock();
	cloudabi_errno_t err = 0;
	if (!close_can_wait(fd) || !hc_defer_close(fd))
		err = hc_call(CLOUDABI_SYS_fd_close, &params, sizeof(params),
			      NULL, 0, NULL);
	if (err == 0) {
		bool held_by_guest = !fdtable_waiting(fd);
		fdtable_clear(fd);
		if (held_by_guest)
			linux_syscall1(__NR_close, fd);
	}
	fdtable_unlock();
	return err;
}

static void close_received(struct hc_result *result)
{
	for (size_t i = 0; i < result->nfds; i++)
		linux_syscall1(__NR_close, result->fds[i]);
}

/* A call whose reply is one capbox_hc_new_fd with one descriptor (or
 * none, when may_omit_fd: the mirror is updated only); under the table
 * lock.  Returns the entry's number in *fd. */
static cloudabi_errno_t call_new_fd(uint16_t call, const void *params,
				    size_t params_len, bool may_omit_fd,
				    cloudabi_fd_t *fd)
{
	struct capbox_hc_new_fd nfd;
	struct hc_result result = {.data = &nfd, .capacity = sizeof(nfd)};
	fdtable_lock();
	cloudabi_errno_t err = hc_call(call, params, params_len, NULL, 0,
				       &result);
	if (err == 0 && (result.length != sizeof(nfd) || result.nfds > 1 ||
			 (result.nfds == 0 && !may_omit_fd)))
		err = CLOUDABI_EIO;
	if (err == 0 && result.nfds == 1)
		err = fdtable_install(&nfd.entry, result.fds[0]);
	else if (err == 0)
		fdtable_set(&nfd.entry);
	else
		close_received(&result);
	fdtable_unlock();
	if (err == 0 && fd != NULL)
		*fd = nfd.entry.fd;
	return err;
}

cloudabi_errno_t cloudabi_sys_fd_create1(cloudabi_filetype_t type,
					 cloudabi_fd_t *fd)
{
	struct capbox_hc_fd_create params = {.type = type};
	return call_new_fd(CLOUDABI_SYS_fd_create1, &params, sizeof(params),
			   false, fd);
}

cloudabi_errno_t cloudabi_sys_fd_dup(cloudabi_fd_t from, cloudabi_fd_t *fd)
{
	struct capbox_hc_fd params = {.fd = from};
	return call_new_fd(CLOUDABI_SYS_fd_dup, &params, sizeof(params), false,
			   fd);
}

/* The broker replaces `to` in its table; the shim then dup3's the copy
 * over `to`, which Linux does atomically. */
cloudabi_errno_t cloudabi_sys_fd_replace(cloudabi_fd_t from, cloudabi_fd_t to)
{
	struct capbox_hc_fd_replace params = {.from = from, .to = to};
	return call_new_fd(CLOUDABI_SYS_fd_replace, &params, sizeof(params),
			   from == to, NULL);
}

cloudabi_errno_t cloudabi_sys_fd_stat_put(cloudabi_fd_t fd,
					  const cloudabi_fdstat_t *buf,
					  cloudabi_fdsflags_t flags)
{
	struct capbox_hc_fd_stat_put params = {.fd = fd, .flags = flags};
	if (flags != 0) {
		params.fs_flags = buf->fs_flags;
		params.rights_base = buf->fs_rights_base;
		params.rights_inheriting = buf->fs_rights_inheriting;
	}
	return call_new_fd(CLOUDABI_SYS_fd_stat_put, &params, sizeof(params),
			   true, NULL);
}

/* sys_sock.c: socket system calls: plain data straight to the kernel, descriptors through the broker; socket pairs. */
#include <asm/ioctls.h>
#include <linux/poll.h>
#include <linux/uio.h>

#include "common/linux_convert.h"
#include "common/stream_record.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/fdtable.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/sock_stream.h"
#include "shim/syscalls.h"

#define LINUX_IOV_MAX 1024
#define LINUX_SO_TYPE 3
#define LINUX_SOCK_STREAM 1
#define LINUX_SHUT_RD 0
#define LINUX_SHUT_WR 1
#define LINUX_SHUT_RDWR 2

/* The scratch buffer of a call through the broker: the largest reply. */
#define SCRATCH_SIZE                                                           \
	(sizeof(struct capbox_hc_sock_recv_reply) + CAPBOX_HC_SOCK_DATA_MAX)

static cloudabi_errno_t errno_of(long ret)
{
	return capbox_errno_from_linux((int)-ret);
}

/* Moves received[i] over entries[i].fd for every i, with the table lock
 * held.  A received descriptor sitting where an earlier one must go is
 * moved out of the way first.  Everything received ends up installed or
 * closed; returns the first error. */
static cloudabi_errno_t install_received(
	const struct capbox_hc_fd_entry *entries, int *received, size_t n)
{
	cloudabi_errno_t first = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if ((uint32_t)received[j] != entries[i].fd ||
			    received[j] == received[i])
				continue;
			long moved = linux_syscall3(__NR_fcntl, received[j],
						    F_DUPFD_CLOEXEC,
						    shim_proc.fds.private_end);
			linux_syscall1(__NR_close, received[j]);
			received[j] = (int)moved;
		}
		cloudabi_errno_t err = received[i] < 0
					       ? errno_of(received[i])
					       : fdtable_install(&entries[i],
								 received[i]);
		if (first == 0)
			first = err;
	}
	return first;
}

static void close_received(struct hc_result *result)
{
	for (size_t i = 0; i < result->nfds; i++)
		linux_syscall1(__NR_close, result->fds[i]);
}

cloudabi_errno_t cloudabi_sys_fd_create2(cloudabi_filetype_t type,
					 cloudabi_fd_t *fd1, cloudabi_fd_t *fd2)
{
	struct capbox_hc_fd_create params = {.type = type};
	struct capbox_hc_new_fd_pair pair;
	struct hc_result result = {.data = &pair, .capacity = sizeof(pair)};
	fdtable_lock();
	cloudabi_errno_t err = hc_call(CLOUDABI_SYS_fd_create2, &params,
				       sizeof(params), NULL, 0, &result);
	if (err == 0 && (result.length != sizeof(pair) || result.nfds != 2))
		err = CLOUDABI_EIO;
	if (err == 0) {
		struct capbox_hc_fd_entry entries[2] = {pair.first.entry,
							pair.second.entry};
		err = install_received(entries, result.fds, 2);
	} else {
		close_received(&result);
	}
	fdtable_unlock();
	if (err == 0) {
		*fd1 = pair.first.entry.fd;
		*fd2 = pair.second.entry.fd;
	}
	return err;
}

static bool is_nonblocking(cloudabi_fd_t fd)
{
	long fl = linux_syscall2(__NR_fcntl, fd, F_GETFL);
	return !linux_is_error(fl) && (fl & O_NONBLOCK);
}

static bool is_byte_stream(cloudabi_fd_t fd)
{
	int type = 0;
	int len = sizeof(type);
	long r = linux_syscall5(__NR_getsockopt, fd, LINUX_SOL_SOCKET,
				LINUX_SO_TYPE, &type, &len);
	return r == 0 && type == LINUX_SOCK_STREAM;
}

/* Waits in this thread until fd is ready for `events` (or has an error
 * or hang-up the next call will report). */
static cloudabi_errno_t wait_ready(cloudabi_fd_t fd, short events)
{
	struct pollfd pfd = {.fd = (int)fd, .events = events};
	for (;;) {
		long r = linux_syscall5(__NR_ppoll, &pfd, 1, NULL, NULL, 8);
		if (r >= 0)
			return 0;
		if (r != -EINTR)
			return errno_of(r);
	}
}

/* The total length of a vector, saturating (a hostile length cannot wrap). */
static size_t total_length(const cloudabi_iovec_t *iov, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if (iov[i].buf_len > SIZE_MAX - total)
			return SIZE_MAX;
		total += iov[i].buf_len;
	}
	return total;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void *scratch_map(void)
{
	void *p = linux_mmap(NULL, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return linux_mmap_failed(p) ? NULL : p;
}

static void scratch_unmap(void *p)
{
	linux_syscall2(__NR_munmap, p, SCRATCH_SIZE);
}

/* Copies up to len bytes out of a vector. */
static void gather(unsigned char *dst, const cloudabi_ciovec_t *iov, size_t n,
		   size_t len)
{
	for (size_t i = 0; i < n && len > 0; i++) {
		size_t chunk = min_size(iov[i].buf_len, len);
		memcpy(dst, iov[i].buf, chunk);
		dst += chunk;
		len -= chunk;
	}
}

/* Copies len bytes into a vector, starting `skip` bytes into it. */
static void scatter(const cloudabi_iovec_t *iov, size_t n, size_t skip,
		    const unsigned char *src, size_t len)
{
	for (size_t i = 0; i < n && len > 0; i++) {
		if (skip >= iov[i].buf_len) {
			skip -= iov[i].buf_len;
			continue;
		}
		size_t chunk = min_size(iov[i].buf_len - skip, len);
		memcpy((unsigned char *)iov[i].buf + skip, src, chunk);
		skip = 0;
		src += chunk;
		len -= chunk;
	}
}

/* The socket calls of stream_record_read in the shim: never waiting, no
 * control buffer (the kernel drops the descriptors a message carried). */
static long raw_peek(void *ctx, unsigned char *buf, size_t len, bool *fds)
{
	struct iovec iov = {buf, len};
	struct linux_msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	long n = linux_syscall3(__NR_recvmsg, *(int *)ctx, &msg,
				LINUX_MSG_PEEK | LINUX_MSG_DONTWAIT);
	*fds = msg.msg_flags & LINUX_MSG_CTRUNC;
	return n;
}

static long raw_take(void *ctx, unsigned char *buf, size_t len, bool with_fds)
{
	(void)with_fds;
	struct iovec iov = {buf, len};
	struct linux_msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	return linux_syscall3(__NR_recvmsg, *(int *)ctx, &msg,
			      LINUX_MSG_DONTWAIT);
}

#define BOUNDED_IOV 8

/* The first len bytes of a vector in at most BOUNDED_IOV entries; false
 * when it takes more. */
static bool bounded_vector(const cloudabi_iovec_t *iov, size_t n, size_t len,
			   struct iovec *out, size_t *outn)
{
	size_t k = 0;
	for (size_t i = 0; i < n && len > 0; i++) {
		if (iov[i].buf_len == 0)
			continue;
		if (k == BOUNDED_IOV)
			return false;
		size_t chunk = min_size(iov[i].buf_len, len);
		out[k++] = (struct iovec){iov[i].buf, chunk};
		len -= chunk;
	}
	*outn = k;
	return true;
}

/* The slow path: a descriptor-carrying message is within reach.  The
 * record is read into scratch memory (at most what is queued) and copied
 * out. */
static long record_via_scratch(int fd, const cloudabi_iovec_t *iov,
			       size_t iovlen, size_t want, size_t peeked)
{
	int queued = 0;
	size_t len = want;
	if (linux_syscall3(__NR_ioctl, fd, FIONREAD, &queued) == 0 &&
	    (size_t)queued < len)
		len = (size_t)queued > peeked ? (size_t)queued : peeked;
	void *buf = linux_mmap(NULL, len + 1, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (linux_mmap_failed(buf))
		return -ENOMEM;
	struct stream_ops ops = {raw_peek, raw_take, &fd};
	bool boundary;
	long n = stream_record_read(&ops, buf, len, &boundary);
	if (n > 0)
		scatter(iov, iovlen, 0, buf, (size_t)n);
	linux_syscall2(__NR_munmap, buf, len + 1);
	return n;
}

cloudabi_errno_t shim_stream_read(cloudabi_fd_t fd, const cloudabi_iovec_t *iov,
				  size_t iovlen, size_t *nread)
{
	size_t want = total_length(iov, iovlen);
	for (;;) {
		/* Waits as the descriptor's mode says, then looks. */
		struct linux_msghdr msg = {.msg_iov = (void *)iov,
					   .msg_iovlen = iovlen};
		long n = linux_syscall3(__NR_recvmsg, fd, &msg, LINUX_MSG_PEEK);
		if (n > 0 && !(msg.msg_flags & LINUX_MSG_CTRUNC)) {
			struct iovec bounded[BOUNDED_IOV];
			size_t nb;
			if (bounded_vector(iov, iovlen, (size_t)n, bounded,
					   &nb)) {
				msg = (struct linux_msghdr){.msg_iov = bounded,
							    .msg_iovlen = nb};
				n = linux_syscall3(__NR_recvmsg, fd, &msg,
						   LINUX_MSG_DONTWAIT);
			} else {
				n = record_via_scratch((int)fd, iov, iovlen,
						       want, (size_t)n);
			}
		} else if (n > 0) {
			n = record_via_scratch((int)fd, iov, iovlen, want,
					       (size_t)n);
		}
		/* Another reader took what was looked at: look again. */
		if (n == -EAGAIN && !is_nonblocking(fd))
			continue;
		if (linux_is_error(n))
			return errno_of(n);
		*nread = (size_t)n;
		return 0;
	}
}

/*
 * Sends data and descriptors through the broker.  At most
 * CAPBOX_HC_SOCK_DATA_MAX bytes travel with the descriptors: a byte
 * stream sends that much (a short write), any other socket fails with
 * EMSGSIZE.
 */
static cloudabi_errno_t send_via_broker(cloudabi_fd_t sock,
					const cloudabi_send_in_t *in,
					size_t *sent)
{
	if (in->si_fds_len > CAPBOX_HC_MAX_FDS)
		return CLOUDABI_EMSGSIZE;
	struct capbox_hc_sock_send params = {
		.sock = sock,
		.nfds = (uint16_t)in->si_fds_len,
	};
	for (size_t i = 0; i < in->si_fds_len; i++) {
		cloudabi_errno_t err = fdtable_check(in->si_fds[i], 0);
		if (err != 0)
			return err;
		params.fds[i] = in->si_fds[i];
	}
	size_t total = total_length((const cloudabi_iovec_t *)in->si_data,
				    in->si_data_len);
	if (total > CAPBOX_HC_SOCK_DATA_MAX && !is_byte_stream(sock))
		return CLOUDABI_EMSGSIZE;
	size_t len = min_size(total, CAPBOX_HC_SOCK_DATA_MAX);
	unsigned char *buf = scratch_map();
	if (buf == NULL)
		return CLOUDABI_ENOMEM;
	gather(buf, in->si_data, in->si_data_len, len);
	params.data_len = (uint32_t)len;

	bool nonblocking = is_nonblocking(sock);
	struct capbox_hc_sock_send_reply reply;
	struct hc_result result = {.data = &reply, .capacity = sizeof(reply)};
	cloudabi_errno_t err;
	for (;;) {
		err = hc_call(CLOUDABI_SYS_sock_send, &params, sizeof(params),
			      buf, len, &result);
		if (err != CLOUDABI_EAGAIN || nonblocking)
			break;
		err = wait_ready(sock, POLLOUT);
		if (err != 0)
			break;
	}
	scratch_unmap(buf);
	if (err == 0 && (result.length != sizeof(reply) || reply.datalen > len))
		err = CLOUDABI_EIO;
	if (err == 0)
		*sent = (size_t)reply.datalen;
	return err;
}

cloudabi_errno_t cloudabi_sys_sock_send(cloudabi_fd_t sock,
					const cloudabi_send_in_t *in,
					cloudabi_send_out_t *out)
{
	cloudabi_errno_t err = fdtable_use(sock, CLOUDABI_RIGHT_FD_WRITE);
	if (err != 0)
		return err;
	if (in->si_flags != 0 || in->si_data_len > LINUX_IOV_MAX)
		return CLOUDABI_EINVAL;
	size_t sent;
	if (in->si_fds_len > 0) {
		err = send_via_broker(sock, in, &sent);
	} else {
		/* No destination can be named (the filter refuses sendmsg
		 * and sendto with an address): one buffer, or an empty
		 * datagram (which writev would not send), goes with sendto,
		 * more with writev (SIGPIPE is ignored in every guest). */
		const cloudabi_ciovec_t *v = in->si_data;
		size_t total = total_length((const cloudabi_iovec_t *)v,
					    in->si_data_len);
		long n = total == 0 || in->si_data_len == 1
				 ? linux_syscall6(__NR_sendto, sock,
						  total == 0 ? 0 : (long)v->buf,
						  (long)total,
						  LINUX_MSG_NOSIGNAL, 0, 0)
				 : linux_syscall3(__NR_writev, sock, v,
						  in->si_data_len);
		if (linux_is_error(n))
			return errno_of(n);
		sent = (size_t)n;
	}
	if (err == 0)
		out->so_datalen = sent;
	return err;
}

/* One non-blocking receive through the broker, under the table lock;
 * installs the descriptors and copies the data into the vector at
 * `skip`.  Adds to *datalen, *nfds and *roflags. */
static cloudabi_errno_t recv_step(cloudabi_fd_t sock,
				  const cloudabi_recv_in_t *in, size_t skip,
				  size_t want, unsigned char *buf,
				  size_t *datalen, size_t *nfds,
				  cloudabi_roflags_t *roflags)
{
	struct capbox_hc_sock_recv params = {
		.sock = sock,
		.flags = in->ri_flags & CLOUDABI_SOCK_RECV_PEEK,
		.max_fds = (uint16_t)min_size(in->ri_fds_len,
					      CAPBOX_HC_MAX_FDS),
		.max_data = (uint32_t)min_size(want, CAPBOX_HC_SOCK_DATA_MAX),
	};
	struct capbox_hc_sock_recv_reply *reply = (void *)buf;
	struct hc_result result = {.data = buf, .capacity = SCRATCH_SIZE};
	fdtable_lock();
	cloudabi_errno_t err = hc_call(CLOUDABI_SYS_sock_recv, &params,
				       sizeof(params), NULL, 0, &result);
	if (err == 0 &&
	    (result.length < sizeof(*reply) ||
	     reply->datalen > params.max_data ||
	     result.length != sizeof(*reply) + reply->datalen ||
	     reply->nfds != result.nfds || reply->nfds > params.max_fds))
		err = CLOUDABI_EIO;
	if (err == 0)
		err = install_received(reply->fds, result.fds, result.nfds);
	else
		close_received(&result);
	fdtable_unlock();
	if (err != 0)
		return err;
	scatter(in->ri_data, in->ri_data_len, skip, buf + sizeof(*reply),
		reply->datalen);
	for (size_t i = 0; i < reply->nfds; i++)
		in->ri_fds[(*nfds)++] = reply->fds[i].fd;
	*datalen += reply->datalen;
	*roflags |= reply->roflags;
	return 0;
}

/*
 * A receive that can take descriptors.  The broker never waits, so this
 * thread waits for readability first (unless the socket is non-blocking)
 * and asks again when another reader got there first (EAGAIN).  WAITALL
 * on a byte stream repeats until the vector is full, the peer is done, or
 * descriptors arrive (a message boundary).
 */
static cloudabi_errno_t recv_via_broker(cloudabi_fd_t sock,
					const cloudabi_recv_in_t *in,
					cloudabi_recv_out_t *out)
{
	size_t total = total_length(in->ri_data, in->ri_data_len);
	bool nonblocking = is_nonblocking(sock);
	bool waitall = (in->ri_flags & CLOUDABI_SOCK_RECV_WAITALL) &&
		       !(in->ri_flags & CLOUDABI_SOCK_RECV_PEEK) &&
		       is_byte_stream(sock);
	unsigned char *buf = scratch_map();
	if (buf == NULL)
		return CLOUDABI_ENOMEM;
	size_t datalen = 0, nfds = 0;
	cloudabi_roflags_t roflags = 0;
	cloudabi_errno_t err;
	for (;;) {
		err = nonblocking ? 0 : wait_ready(sock, POLLIN);
		if (err != 0)
			break;
		size_t before = datalen;
		err = recv_step(sock, in, datalen, total - datalen, buf,
				&datalen, &nfds, &roflags);
		if (err == CLOUDABI_EAGAIN && !nonblocking)
			continue;
		if (err != 0 || !waitall || nfds > 0 || datalen == before ||
		    datalen >= total)
			break;
	}
	scratch_unmap(buf);
	/* What already arrived is not lost to a later error. */
	if (err != 0 && datalen == 0 && nfds == 0)
		return err;
	out->ro_datalen = datalen;
	out->ro_fdslen = nfds;
	out->ro_flags = roflags;
	return 0;
}

/*
 * sock_recv.  A receiver that asks for no descriptors reads straight from
 * the kernel; descriptors a message carried are then dropped (closed by
 * the kernel) without FDS_TRUNCATED, as in the reference implementation.
 */
cloudabi_errno_t cloudabi_sys_sock_recv(cloudabi_fd_t sock,
					const cloudabi_recv_in_t *in,
					cloudabi_recv_out_t *out)
{
	cloudabi_errno_t err = fdtable_use(sock, CLOUDABI_RIGHT_FD_READ);
	if (err != 0)
		return err;
	if ((in->ri_flags &
	     ~(CLOUDABI_SOCK_RECV_PEEK | CLOUDABI_SOCK_RECV_WAITALL)) ||
	    in->ri_data_len > LINUX_IOV_MAX)
		return CLOUDABI_EINVAL;
	if (in->ri_fds_len > 0)
		return recv_via_broker(sock, in, out);
	if (in->ri_flags == 0 &&
	    fdtable_filetype(sock) == CLOUDABI_FILETYPE_SOCKET_STREAM) {
		err = shim_stream_read(sock, in->ri_data, in->ri_data_len,
				       &out->ro_datalen);
		out->ro_fdslen = 0;
		out->ro_flags = 0;
		return err;
	}

	int flags = 0;
	if (in->ri_flags & CLOUDABI_SOCK_RECV_PEEK)
		flags |= LINUX_MSG_PEEK;
	if (in->ri_flags & CLOUDABI_SOCK_RECV_WAITALL)
		flags |= LINUX_MSG_WAITALL;
	struct linux_msghdr msg = {.msg_iov = in->ri_data,
				   .msg_iovlen = in->ri_data_len};
	long n = linux_syscall3(__NR_recvmsg, sock, &msg, flags);
	if (linux_is_error(n))
		return errno_of(n);
	out->ro_datalen = (size_t)n;
	out->ro_fdslen = 0;
	out->ro_flags = (msg.msg_flags & LINUX_MSG_TRUNC)
				? CLOUDABI_SOCK_RECV_DATA_TRUNCATED
				: 0;
	return 0;
}

cloudabi_errno_t cloudabi_sys_sock_shutdown(cloudabi_fd_t sock,
					    cloudabi_sdflags_t how)
{
	cloudabi_errno_t err = fdtable_use(sock, CLOUDABI_RIGHT_SOCK_SHUTDOWN);
	if (err != 0)
		return err;
	int linux_how;
	switch (how) {
	case CLOUDABI_SHUT_RD:
		linux_how = LINUX_SHUT_RD;
		break;
	case CLOUDABI_SHUT_WR:
		linux_how = LINUX_SHUT_WR;
		break;
	case CLOUDABI_SHUT_RD | CLOUDABI_SHUT_WR:
		linux_how = LINUX_SHUT_RDWR;
		break;
	default:
		return CLOUDABI_EINVAL;
	}
	long r = linux_syscall2(__NR_shutdown, sock, linux_how);
	return linux_is_error(r) ? errno_of(r) : 0;
}

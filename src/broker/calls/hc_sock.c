/* hc_sock.c: socket hypercalls: sending and receiving messages that carry descriptors, accepting connections. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/grant_internal.h"
#include "broker/inflight/inflight.h"
#include "broker/process.h"
#include "broker/inflight/sockdiag.h"
#include "common/linux_convert.h"
#include "common/stream_record.h"

/*
 * sock_send with descriptors: the broker checks the socket's FD_WRITE and
 * that every descriptor exists, records each one in the in-flight registry
 * (which also yields what goes on the wire: the object, or a token for a
 * directory) and sends one message on its own copy of the socket without
 * waiting (on a byte stream: the descriptors with the first byte, then
 * the rest).  On a byte stream, Linux drops descriptors sent with no data,
 * so that is EINVAL.  When the sandbox's quota of descriptors in flight
 * (INFLIGHT_MAX) is used up it is ENOBUFS, and nothing is sent.
 */
cloudabi_errno_t hc_sock_send(struct guest *g,
			      const struct capbox_hc_sock_send *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	if (p->flags != 0 || p->reserved != 0 || p->data_len != tail_len ||
	    p->nfds == 0 || p->nfds > CAPBOX_HC_MAX_FDS)
		return CLOUDABI_EINVAL;
	struct cap *sock;
	cloudabi_errno_t err = captable_check(&g->caps, p->sock,
					      CLOUDABI_RIGHT_FD_WRITE, &sock);
	for (size_t i = 0; err == 0 && i < p->nfds; i++)
		err = captable_check(&g->caps, p->fds[i], 0, NULL);
	if (err != 0)
		return err;
	int socktype = 0;
	socklen_t len = sizeof(socktype);
	bool stream = getsockopt(sock->object, SOL_SOCKET, SO_TYPE, &socktype,
				 &len) == 0 &&
		      socktype == SOCK_STREAM;
	if (tail_len == 0 && stream)
		return CLOUDABI_EINVAL;

	/* The socket the message will wait on: the peer of this one. */
	uint32_t waiting = 0;
	struct stat st;
	if (fstat(sock->object, &st) != 0 ||
	    sockdiag_unix_peer((uint32_t)st.st_ino, &waiting) != 0)
		waiting = 0;
	int wire[CAPBOX_HC_MAX_FDS];
	unsigned ids[CAPBOX_HC_MAX_FDS];
	size_t n = 0;
	for (; err == 0 && n < p->nfds; n++) {
		err = inflight_record(captable_get(&g->caps, p->fds[n]),
				      waiting, &wire[n], &ids[n]);
		if (err != 0)
			break;
	}
	ssize_t sent = -1;
	if (err == 0) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int) * CAPBOX_HC_MAX_FDS)];
		} control;
		memset(&control, 0, sizeof(control));
		/* On a stream the descriptors travel with one byte, the rest
		 * follows as plain bytes (common/stream_record.h). */
		struct iovec iov = {(void *)tail, stream ? 1 : tail_len};
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = control.buf,
			.msg_controllen = CMSG_SPACE(sizeof(int) * n),
		};
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), wire, sizeof(int) * n);
		do {
			sent = sendmsg(sock->object, &msg,
				       MSG_DONTWAIT | MSG_NOSIGNAL);
		} while (sent < 0 && errno == EINTR);
		if (sent < 0)
			err = fdbudget_errno(errno);
		ssize_t more = 0;
		while (sent == 1 && stream && (size_t)sent < tail_len &&
		       (more = send(sock->object, tail + 1, tail_len - 1,
				    MSG_DONTWAIT | MSG_NOSIGNAL)) < 0 &&
		       errno == EINTR)
			;
		if (sent == 1 && more > 0)
			sent += more; /* else a short write of 1 byte */
	}
	for (size_t i = 0; i < n; i++) {
		close(wire[i]);
		if (sent < 0)
			inflight_cancel(ids[i]);
	}
	if (err != 0)
		return err;
	struct capbox_hc_sock_send_reply reply = {(uint64_t)sent};
	hc_reply_add(out, &reply, sizeof(reply));
	return 0;
}

/* Enters cap as received descriptor number `i` of the reply, whose zeroed
 * header (hc_reply_zeroed) is already in place.  What arrives on a socket
 * never has more rights than the socket's inheriting rights (base and
 * inheriting alike): rights only shrink as an object travels. */
static cloudabi_errno_t enter_received(struct guest *g, const struct cap *sock,
				       struct cap *cap, size_t i,
				       struct hc_out *out)
{
	cap->rights.base &= sock->rights.inheriting;
	cap->rights.inheriting &= sock->rights.inheriting;
	struct guest *process = cap->process;
	size_t end = out->length;
	out->length = offsetof(struct capbox_hc_sock_recv_reply, fds) +
		      i * sizeof(struct capbox_hc_fd_entry);
	cloudabi_errno_t err = hc_reply_new_fd(g, cap, out);
	out->length = end;
	if (process != NULL)
		process_unref(process);
	return err;
}

/*
 * A listening socket "receives" connections: sock_recv accepts one and
 * returns it as the one descriptor of a message with no data.  Rights:
 * the defaults of the listener's type (the broker made the connection),
 * narrowed by its inheriting rights.
 * The broker must not block in accept; the listener's open file
 * description is made non-blocking for the call and restored.
 */
static cloudabi_errno_t accept_one(struct guest *g, const struct cap *lis,
				   const struct capbox_hc_sock_recv *p,
				   struct hc_out *out)
{
	if (p->flags != 0)
		return CLOUDABI_EINVAL; /* nothing to peek at */
	int fl = fcntl(lis->object, F_GETFL);
	if (fl < 0)
		return fdbudget_errno(errno);
	if (!(fl & O_NONBLOCK) &&
	    fcntl(lis->object, F_SETFL, fl | O_NONBLOCK) != 0)
		return fdbudget_errno(errno);
	int conn = accept4(lis->object, NULL, NULL, SOCK_CLOEXEC);
	int saved = errno;
	if (!(fl & O_NONBLOCK))
		fcntl(lis->object, F_SETFL, fl);
	if (conn < 0)
		return fdbudget_errno(saved);
	conn = grant_move_high(conn);
	if (conn < 0)
		return fdbudget_errno(errno);
	struct cap cap = {
		.type = lis->type,
		.rights = rights_for_type(lis->type), /* made by the broker */
		.object = conn,
	};
	struct capbox_hc_sock_recv_reply *reply =
		hc_reply_zeroed(out, sizeof(*reply));
	cloudabi_errno_t err = enter_received(g, lis, &cap, 0, out);
	if (err != 0)
		return err;
	reply->nfds = 1;
	return 0;
}

/* The socket calls stream_record_read makes (common/stream_record.h):
 * never waiting; only the take of a descriptor-carrying message has a
 * control buffer, whose flags are kept. */
struct broker_stream {
	int fd;
	struct msghdr *msg; /* its control buffer and size */
	size_t controllen;
	int flags; /* msg_flags of the take that had the control buffer */
};

static ssize_t recv_into(int fd, struct msghdr *msg, unsigned char *buf,
			 size_t len, int flags)
{
	struct iovec iov = {buf, len};
	msg->msg_iov = &iov;
	msg->msg_iovlen = 1;
	ssize_t n;
	do {
		n = recvmsg(fd, msg, flags | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	msg->msg_iov = NULL;
	msg->msg_iovlen = 0;
	return n < 0 ? -errno : n;
}

static long stream_peek(void *ctx, unsigned char *buf, size_t len, bool *fds)
{
	struct broker_stream *s = ctx;
	struct msghdr plain = {0};
	ssize_t n = recv_into(s->fd, &plain, buf, len, MSG_PEEK);
	*fds = plain.msg_flags & MSG_CTRUNC;
	return n;
}

static long stream_take(void *ctx, unsigned char *buf, size_t len,
			bool with_fds)
{
	struct broker_stream *s = ctx;
	if (!with_fds) {
		struct msghdr plain = {0};
		return recv_into(s->fd, &plain, buf, len, 0);
	}
	s->msg->msg_controllen = s->controllen;
	ssize_t n = recv_into(s->fd, s->msg, buf, len, 0);
	s->flags = s->msg->msg_flags;
	if (n < 0)
		s->msg->msg_controllen = 0;
	return n;
}

/*
 * One receive on the broker's copy of the socket into buf, never
 * waiting (the shim has waited for readability).  A byte stream stops
 * at record boundaries as natively (stream_record_read); a peek is
 * Linux's (docs/CONFORMANCE.md).  Sets *flags to the msg_flags that
 * matter.
 */
static ssize_t receive(const struct cap *sock, struct msghdr *msg,
		       unsigned char *buf, size_t max, bool peek, int *flags)
{
	size_t controllen = msg->msg_controllen;
	struct broker_stream s = {sock->object, msg, controllen, 0};
	struct stream_ops ops = {stream_peek, stream_take, &s};
	ssize_t n;
	if (sock->type == CLOUDABI_FILETYPE_SOCKET_STREAM && !peek) {
		msg->msg_controllen = 0;
		bool boundary;
		n = stream_record_read(&ops, buf, max, &boundary);
		*flags = s.flags;
		return n;
	}
	n = recv_into(sock->object, msg, buf, max, peek ? MSG_PEEK : 0);
	*flags = msg->msg_flags;
	if (n < 0)
		msg->msg_controllen = 0;
	return n;
}

/*
 * sock_recv that can take descriptors (see receive).  Each descriptor
 * received becomes a capability (inflight_claim) at the guest's lowest
 * free number.  At most max_data bytes come back: a datagram larger than
 * that is DATA_TRUNCATED.  Each descriptor received becomes a capability
 * (inflight_claim, capped by the socket's inheriting rights); one the
 * broker has no record of is refused.  Descriptors beyond max_fds, beyond
 * what the table can take, or refused, are closed and reported as
 * FDS_TRUNCATED; the data is never lost for that.
 */
cloudabi_errno_t hc_sock_recv(struct guest *g,
			      const struct capbox_hc_sock_recv *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	if ((p->flags & ~CLOUDABI_SOCK_RECV_PEEK) || p->reserved != 0 ||
	    p->max_fds == 0 || p->max_fds > CAPBOX_HC_MAX_FDS ||
	    p->max_data > CAPBOX_HC_SOCK_DATA_MAX)
		return CLOUDABI_EINVAL;
	struct cap *sock;
	cloudabi_errno_t err = captable_check(&g->caps, p->sock,
					      CLOUDABI_RIGHT_FD_READ, &sock);
	if (err != 0)
		return err;
	int listening = 0;
	socklen_t len = sizeof(listening);
	if (getsockopt(sock->object, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		       &len) == 0 &&
	    listening)
		return accept_one(g, sock, p, out);

	struct capbox_hc_sock_recv_reply *reply =
		hc_reply_zeroed(out, sizeof(*reply));
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * CAPBOX_HC_MAX_FDS)];
	} control;
	struct msghdr msg = {
		.msg_control = control.buf,
		.msg_controllen = CMSG_SPACE(sizeof(int) * p->max_fds),
	};
	bool peek = p->flags & CLOUDABI_SOCK_RECV_PEEK;
	int flags = 0;
	ssize_t n = receive(sock, &msg, out->data + sizeof(*reply), p->max_data,
			    peek, &flags);
	if (n < 0)
		return fdbudget_errno((int)-n);

	int fds[sizeof(control) / sizeof(int)];
	size_t nfds = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
	     c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0;
		     i < count && nfds < sizeof(fds) / sizeof(int); i++)
			memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int),
			       sizeof(int));
	}
	if (flags & MSG_TRUNC)
		reply->roflags |= CLOUDABI_SOCK_RECV_DATA_TRUNCATED;
	if ((flags & MSG_CTRUNC) || nfds > p->max_fds)
		reply->roflags |= CLOUDABI_SOCK_RECV_FDS_TRUNCATED;

	for (size_t i = 0; i < nfds; i++) {
		/* inflight_claim takes fds[i] over; one it refuses (no
		 * record proves a right) is dropped like one beyond max_fds. */
		struct cap cap;
		bool entered = false;
		if (reply->nfds >= p->max_fds)
			close(fds[i]);
		else if (inflight_claim(g->sandbox, fds[i], !peek, &cap) == 0)
			entered = enter_received(g, sock, &cap, reply->nfds,
						 out) == 0;
		if (entered)
			reply->nfds++;
		else
			reply->roflags |= CLOUDABI_SOCK_RECV_FDS_TRUNCATED;
	}
	reply->datalen = (uint32_t)n;
	/* The data bytes are exactly those the kernel wrote. */
	out->length = sizeof(*reply) + (size_t)n;
	return 0;
}

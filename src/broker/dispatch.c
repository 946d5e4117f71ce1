/* dispatch.c: the broker's single decoder of hypercalls and its table of handlers. */
#include "broker/dispatch.h"

#include "common/linux_convert.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct hc_entry {
	const char *name;
	hc_handler *handler;
	size_t params_size;
	size_t tail_max;
};

/* One row per call of CAPBOX_HYPERCALLS; a number listed twice is a
 * compile error (-Woverride-init under -Wextra -Werror). */
static const struct hc_entry table[CAPBOX_HC_CALL_LIMIT] = {
#define HC_ROW(number, name, type, tail)                                      \
	[number] = {#name, hc_##name, sizeof(type), (tail)},
	CAPBOX_HYPERCALLS(HC_ROW)
#undef HC_ROW
};

static void close_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

static int send_reply(int channel, const struct capbox_hc_request *req,
		      cloudabi_errno_t error, struct hc_out *out)
{
	struct capbox_hc_reply rep = {
		.magic = CAPBOX_HC_MAGIC,
		.version = CAPBOX_HC_VERSION,
		.call = req->call,
		.seq = req->seq,
		.length = error == 0 ? (uint32_t)out->length : 0,
		.error = error,
		.nfds = error == 0 ? (uint16_t)out->nfds : 0,
	};
	struct iovec iov[2] = {
		{&rep, sizeof(rep)},
		{out->data, rep.length},
	};
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * CAPBOX_HC_MAX_FDS)];
	} control;
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	if (rep.nfds > 0) {
		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * rep.nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * rep.nfds);
		memcpy(CMSG_DATA(c), out->fds, sizeof(int) * rep.nfds);
	}
	/* Never wait for the guest to read: a shim has one request in flight
	 * per channel, so a full channel means a guest that sends without
	 * reading its replies (the channel is then dropped). */
	ssize_t n = sendmsg(channel, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	close_fds(out->fds, out->nfds);
	out->nfds = 0;
	return n < 0 ? -1 : 1;
}

cloudabi_errno_t hc_attach_fd(struct hc_out *out, int fd)
{
	if (fd < 0)
		return capbox_errno_from_linux(errno);
	if (out->nfds >= CAPBOX_HC_MAX_FDS) {
		close(fd);
		return CLOUDABI_EMFILE;
	}
	out->fds[out->nfds++] = fd;
	return 0;
}

int hc_guest_view(const struct cap *cap)
{
	return cap->type == CLOUDABI_FILETYPE_DIRECTORY
		       ? epoll_create1(EPOLL_CLOEXEC)
		       : fcntl(cap->object, F_DUPFD_CLOEXEC, 0);
}

void hc_reply_add(struct hc_out *out, const void *data, size_t len)
{
	memcpy(out->data + out->length, data, len);
	out->length += len;
}

cloudabi_errno_t hc_reply_entry(struct guest *g, cloudabi_fd_t fd,
				struct hc_out *out)
{
	struct capbox_hc_new_fd result = {captable_entry(&g->caps, fd)};
	hc_reply_add(out, &result, sizeof(result));
	return 0;
}

cloudabi_errno_t hc_result(int r)
{
	return r == 0 ? 0 : capbox_errno_from_linux(errno);
}

cloudabi_errno_t hc_reply_new_fd(struct guest *g, const struct cap *cap,
				 struct hc_out *out)
{
	int held = hc_guest_view(cap);
	if (held < 0) {
		cloudabi_errno_t err = capbox_errno_from_linux(errno);
		close(cap->object);
		return err;
	}
	cloudabi_fd_t fd;
	cloudabi_errno_t err = captable_alloc(&g->caps, cap, &fd);
	if (err != 0) {
		close(held);
		close(cap->object);
		return err;
	}
	err = hc_attach_fd(out, held);
	if (err != 0) {
		captable_remove(&g->caps, fd);
		return err;
	}
	return hc_reply_entry(g, fd, out);
}

int dispatch_one(struct guest *g, int channel)
{
	static struct hc_out out;
	_Alignas(16) static unsigned char buf[CAPBOX_HC_MAX_MESSAGE];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * CAPBOX_HC_MAX_FDS)];
	} control;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	ssize_t n;
	do {
		n = recvmsg(channel, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 1 : -1;

	/* The guest has no business sending descriptors to the broker (not
	 * even with an empty message, which ends the channel below). */
	bool smuggled = false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
	     c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			int fds[CAPBOX_HC_MAX_FDS];
			memcpy(fds, CMSG_DATA(c), count * sizeof(int));
			close_fds(fds, count);
		}
		smuggled = true;
	}
	if (n == 0)
		return 0;

	struct capbox_hc_request req = {0};
	if ((size_t)n >= sizeof(req))
		memcpy(&req, buf, sizeof(req));
	out.length = 0;
	out.nfds = 0;
	if ((size_t)n < sizeof(req) || smuggled ||
	    (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    req.magic != CAPBOX_HC_MAGIC || req.version != CAPBOX_HC_VERSION ||
	    req.length != (size_t)n - sizeof(req))
		return send_reply(channel, &req, CLOUDABI_EINVAL, &out);
	if (req.call >= CAPBOX_HC_CALL_LIMIT || table[req.call].handler == NULL)
		return send_reply(channel, &req, CLOUDABI_ENOSYS, &out);

	const struct hc_entry *e = &table[req.call];
	size_t len = req.length;
	if (len < e->params_size || len - e->params_size > e->tail_max)
		return send_reply(channel, &req, CLOUDABI_EINVAL, &out);
	const unsigned char *params = buf + sizeof(req);
	cloudabi_errno_t err = e->handler(g, params, params + e->params_size,
					  len - e->params_size, &out);
	if (err != 0)
		close_fds(out.fds, out.nfds);
	return send_reply(channel, &req, err, &out);
}

/* dispatch.c: the broker's single decoder of hypercalls and its table of handlers. */
#include "broker/dispatch.h"
#include "broker/fdbudget.h"

#include "broker/grant.h"
#include "broker/grant_internal.h"
#include "broker/diag.h"
#include "broker/sandbox.h"
#include "common/linux_convert.h"
#include "trace/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The decoder's view of a handler: parameters as bytes it has checked. */
typedef cloudabi_errno_t hc_handler(struct guest *g, const void *params,
				    const unsigned char *tail, size_t tail_len,
				    struct hc_out *out);

struct hc_entry {
	const char *name;
	hc_handler *handler;
	size_t params_size;
	size_t tail_max;
};

/* For each row, call_<name> hands the checked bytes to hc_<name> as the
 * row's struct: the one place a request becomes typed parameters. */
#define HC_TYPED_CALL(number, name, type, tail_max)                            \
	static cloudabi_errno_t call_##name(                                   \
		struct guest *g, const void *params,                           \
		const unsigned char *tail, size_t tail_len,                    \
		struct hc_out *out)                                            \
	{                                                                      \
		return hc_##name(g, (const type *)params, tail, tail_len,      \
				 out);                                         \
	}
CAPBOX_HYPERCALLS(HC_TYPED_CALL)
#undef HC_TYPED_CALL

/* One row per call of CAPBOX_HYPERCALLS; a number listed twice is a
 * compile error (-Woverride-init under -Wextra -Werror). */
static const struct hc_entry table[CAPBOX_HC_CALL_LIMIT] = {
#define HC_ROW(number, name, type, tail)                                       \
	[number] = {#name, call_##name, sizeof(type), (tail)},
	CAPBOX_HYPERCALLS(HC_ROW)
#undef HC_ROW
};

/* Never called: a call number used twice, by two rows or by a row and a
 * transport call, is a duplicate case label and does not compile. */
__attribute__((unused)) static void call_numbers_are_distinct(uint16_t call)
{
	switch (call) {
#define HC_CASE(number, name, type, tail) case number:
		CAPBOX_HYPERCALLS(HC_CASE)
#undef HC_CASE
	case CAPBOX_HC_MAILBOX_ATTACH:
	case CAPBOX_HC_MAILBOX_DOORBELL:
	case CAPBOX_HC_TRACE_RECORD:
		break;
	}
}

/* Closes the reply's descriptors that it owns (not those it borrows from
 * a table) and empties its list. */
static void release_fds(struct hc_out *out)
{
	for (size_t i = 0; i < out->nfds; i++)
		if (!(out->borrowed & (1u << i)))
			close(out->fds[i]);
	out->nfds = 0;
	out->borrowed = 0;
}

/* An empty reply: no result bytes, no descriptors. */
static void reply_reset(struct hc_out *out)
{
	out->length = 0;
	out->nfds = 0;
	out->borrowed = 0;
}

static void close_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

/* The reply header for req, its error and out. */
static struct capbox_hc_reply reply_header(const struct capbox_hc_request *req,
					   cloudabi_errno_t error,
					   const struct hc_out *out)
{
	return (struct capbox_hc_reply){
		.magic = CAPBOX_HC_MAGIC,
		.version = CAPBOX_HC_VERSION,
		.call = req->call,
		.seq = req->seq,
		.length = error == 0 ? (uint32_t)out->length : 0,
		.error = error,
		.nfds = error == 0 ? (uint16_t)out->nfds : 0,
	};
}

static struct dispatch_counts counts;

/* Sends a reply header, data_len bytes of out's data and (if the header
 * says so) out's descriptors on the socket; closes the descriptors. */
static int send_reply(int channel, const struct capbox_hc_reply *rep,
		      size_t data_len, struct hc_out *out)
{
	struct iovec iov[2] = {
		{(void *)rep, sizeof(*rep)},
		{out->data, data_len},
	};
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * CAPBOX_HC_MAX_FDS)];
	} control;
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	if (rep->nfds > 0) {
		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * rep->nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * rep->nfds);
		memcpy(CMSG_DATA(c), out->fds, sizeof(int) * rep->nfds);
	}
	/* Never wait for the guest to read: a shim has one request in flight
	 * per channel, so a full channel means a guest that sends without
	 * reading its replies (the channel is then dropped). */
	ssize_t n = sendmsg(channel, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n >= 0)
		counts.passed += rep->nfds;
	release_fds(out);
	return n < 0 ? -1 : 1;
}

cloudabi_errno_t hc_attach_fd(struct hc_out *out, int fd)
{
	if (fd < 0)
		return fdbudget_errno(errno);
	if (out->nfds >= CAPBOX_HC_MAX_FDS) {
		close(fd);
		return CLOUDABI_EMFILE;
	}
	out->fds[out->nfds++] = fd;
	return 0;
}

cloudabi_errno_t hc_attach_view(struct hc_out *out, const struct cap *cap)
{
	if (cap->type == CLOUDABI_FILETYPE_DIRECTORY)
		return hc_attach_fd(out, epoll_create1(EPOLL_CLOEXEC));
	if (out->nfds >= CAPBOX_HC_MAX_FDS)
		return CLOUDABI_EMFILE;
	out->borrowed |= 1u << out->nfds;
	out->fds[out->nfds++] = cap->object;
	return 0;
}

void *hc_reply_zeroed(struct hc_out *out, size_t len)
{
	if (out->length > sizeof(out->data) ||
	    len > sizeof(out->data) - out->length)
		diag_die(CAPBOX_EXIT_USAGE,
			 "internal error: a reply of %zu + %zu bytes",
			 out->length, len);
	unsigned char *slot = out->data + out->length;
	memset(slot, 0, len);
	out->length += len;
	return slot;
}

void hc_reply_add(struct hc_out *out, const void *data, size_t len)
{
	memcpy(hc_reply_zeroed(out, len), data, len);
}

cloudabi_errno_t hc_reply_entry(struct guest *g, cloudabi_fd_t fd,
				struct hc_out *out)
{
	struct capbox_hc_new_fd result = {captable_entry(&g->caps, fd)};
	hc_reply_add(out, &result, sizeof(result));
	return 0;
}

cloudabi_errno_t hc_errno_of(int r)
{
	return r == 0 ? 0 : fdbudget_errno(errno);
}

/* The call being served and the descriptor its parameters name first
 * (every call that makes a descriptor names its source first, but
 * fd_create, which has none): a new capability's origin. */
static uint16_t serving_call;
static uint32_t serving_from;

/* Enters cap at the lowest free number (on failure closes its object).
 * The object joins the sandbox's descriptors above the guest's numbers,
 * where the budget counts it (broker/fdbudget.h). */
static cloudabi_errno_t enter_new(struct guest *g, const struct cap *cap,
				  cloudabi_fd_t *fd)
{
	struct cap kept = *cap;
	const struct cap *source = captable_get(&g->caps, serving_from);
	kept.origin.made_by = (uint16_t)(serving_call + 1);
	kept.origin.from = serving_from;
	if (kept.origin.grant == 0 && source != NULL)
		kept.origin.grant = source->origin.grant;
	if (kept.object < fdbudget_layout.private_end) {
		kept.object = grant_move_high(kept.object);
		if (kept.object < 0)
			return fdbudget_errno(errno);
	}
	cloudabi_errno_t err = captable_alloc(&g->caps, &kept, fd);
	if (err != 0)
		close(kept.object);
	return err;
}

cloudabi_errno_t hc_reply_new_fd(struct guest *g, const struct cap *cap,
				 struct hc_out *out)
{
	cloudabi_fd_t fd;
	cloudabi_errno_t err = enter_new(g, cap, &fd);
	if (err != 0)
		return err;
	err = hc_attach_view(out, captable_get(&g->caps, fd));
	if (err != 0) {
		captable_remove(&g->caps, fd);
		return err;
	}
	return hc_reply_entry(g, fd, out);
}

cloudabi_errno_t hc_reply_new_entry(struct guest *g, const struct cap *cap,
				    struct hc_out *out)
{
	cloudabi_fd_t fd;
	cloudabi_errno_t err = enter_new(g, cap, &fd);
	return err != 0 ? err : hc_reply_entry(g, fd, out);
}

/* For the trace's denial explanations: what g's table says of fd. */
static struct trace_origin origin_of(void *process, uint32_t fd)
{
	struct guest *g = process;
	const struct cap *cap = captable_get(&g->caps, fd);
	if (cap == NULL)
		return (struct trace_origin){0};
	return (struct trace_origin){
		.present = true,
		.base = cap->rights.base,
		.inheriting = cap->rights.inheriting,
		.grant = cap->origin.grant > 0
				 ? grant_origin(cap->origin.grant - 1u)
				 : NULL,
		.call = cap->origin.made_by == 0 ||
					cap->origin.made_by == CAP_GRANTED
				? TRACE_ORIGIN_GRANT
				: (uint16_t)(cap->origin.made_by - 1),
		.from = cap->origin.from,
	};
}

/* Copies out the header of a message of n bytes (zeros if too short);
 * true if the message is well framed: `intact` (as the transport found
 * it), capbox's magic and version, and exactly the length it announces. */
static bool read_header(const unsigned char *buf, size_t n, bool intact,
			struct capbox_hc_request *req)
{
	*req = (struct capbox_hc_request){0};
	if (n < sizeof(*req))
		return false;
	memcpy(req, buf, sizeof(*req));
	return intact && req->magic == CAPBOX_HC_MAGIC &&
	       req->version == CAPBOX_HC_VERSION &&
	       req->length == n - sizeof(*req);
}

/*
 * Checks one request message (n bytes in buf; `intact` false if the
 * transport found it malformed) and runs its handler.  Fills req with its
 * header (zeros if too short) and returns the error for the reply.
 */
static cloudabi_errno_t serve(struct guest *g, int channel,
			      const unsigned char *buf, size_t n, bool intact,
			      struct capbox_hc_request *req, struct hc_out *out)
{
	reply_reset(out);
	if (!read_header(buf, n, intact, req))
		return CLOUDABI_EINVAL;
	if (req->call >= CAPBOX_HC_CALL_LIMIT ||
	    table[req->call].handler == NULL)
		return CLOUDABI_ENOSYS;
	const struct hc_entry *e = &table[req->call];
	size_t len = req->length;
	if (len < e->params_size || len - e->params_size > e->tail_max)
		return CLOUDABI_EINVAL;
	/* What any thread of g closed is closed before g asks anything. */
	sandbox_apply_closes(g);
	const unsigned char *params = buf + sizeof(*req);
	serving_call = req->call;
	serving_from = UINT32_MAX;
	if (req->call != CLOUDABI_SYS_fd_create1 &&
	    req->call != CLOUDABI_SYS_fd_create2 && len >= sizeof(uint32_t))
		memcpy(&serving_from, params, sizeof(serving_from));
	/* --trace, --stats (src/trace/): one branch when off. */
	uint64_t started = trace_active ? trace_begin() : 0;
	cloudabi_errno_t err = e->handler(g, params, params + e->params_size,
					  len - e->params_size, out);
	if (trace_active)
		trace_served(&(struct trace_hypercall){
			.pid = (uint32_t)g->pid,
			.channel = channel,
			.call = req->call,
			.params = params,
			.tail = params + e->params_size,
			.tail_len = len - e->params_size,
			.error = err,
			.result = out->data,
			.result_len = out->length,
			.started_ns = started,
			.lookup = origin_of,
			.process = g});
	if (err != 0)
		release_fds(out);
	return err;
}

/* The broker serves one request at a time: one buffer for it, one for
 * its reply. */
static _Alignas(16) unsigned char message[CAPBOX_HC_MAX_MESSAGE];
static struct hc_out reply;

struct dispatch_counts dispatch_counts(void)
{
	return counts;
}

int dispatch_mailbox(struct guest *g, int channel, struct mailbox *mb)
{
	size_t n = mailbox_take(mb, message);
	if (n == 0)
		return 1;
	counts.mailbox++;
	struct capbox_hc_request req;
	cloudabi_errno_t err = serve(g, channel, message, n, true, &req,
				     &reply);
	struct capbox_hc_reply rep = reply_header(&req, err, &reply);
	/* Descriptors cannot travel through memory: they go on the socket
	 * (under the reply's header, its data left in the mailbox) before the
	 * reply they belong to is published. */
	if (rep.nfds > 0) {
		struct capbox_hc_reply carrier = rep;
		carrier.length = 0;
		if (send_reply(channel, &carrier, 0, &reply) < 0)
			return -1;
	}
	mailbox_reply(mb, &rep, reply.data);
	return 1;
}

/* CAPBOX_HC_MAILBOX_ATTACH (req, its parameter bytes after it): a new
 * mailbox for this channel. */
static cloudabi_errno_t attach_mailbox(const struct capbox_hc_request *req,
				       const unsigned char *params,
				       struct mailbox *mb, struct hc_out *out)
{
	struct capbox_hc_mailbox_attach p;
	if (req->length != sizeof(p))
		return CLOUDABI_EINVAL;
	memcpy(&p, params, sizeof(p));
	if (p.flags != 0 || p.reserved != 0)
		return CLOUDABI_EINVAL;
	return hc_attach_fd(out, mailbox_attach(mb));
}

int dispatch_one(struct guest *g, int channel, struct mailbox *mb)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * CAPBOX_HC_MAX_FDS)];
	} control;
	struct iovec iov = {message, sizeof(message)};
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
			size_t count = (c->cmsg_len - CMSG_LEN(0)) /
				       sizeof(int);
			int fds[CAPBOX_HC_MAX_FDS];
			memcpy(fds, CMSG_DATA(c), count * sizeof(int));
			close_fds(fds, count);
		}
		smuggled = true;
	}
	if (n == 0)
		return 0;

	bool intact = !smuggled && !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC));
	/* The transport calls concern this channel, not the process. */
	struct capbox_hc_request req;
	bool framed = read_header(message, (size_t)n, intact, &req);
	/* --trace: a shim's record of a call it served alone (not counted
	 * as a request); answered only if it asks (seq != 0: its last
	 * before it ends, protocol/hc_trace.h). */
	if (framed && req.call == CAPBOX_HC_TRACE_RECORD) {
		if (trace_active)
			trace_shim_record((uint32_t)g->pid, channel,
					  message + sizeof(req), req.length,
					  origin_of, g);
		reply_reset(&reply);
		struct capbox_hc_reply rep = reply_header(&req, 0, &reply);
		return req.seq == 0 ? 1 : send_reply(channel, &rep, 0, &reply);
	}
	counts.socket++;
	cloudabi_errno_t err;
	if (framed && req.call == CAPBOX_HC_MAILBOX_DOORBELL &&
	    req.length == 0) {
		counts.doorbell++;
		/* A mailbox whose pages the guest has not touched is not used:
		 * a shim that rings without writing them waits for nothing. */
		if (!mailbox_arm(mb))
			return 1;
		return dispatch_mailbox(g, channel, mb); /* no socket reply */
	}
	if (framed && req.call == CAPBOX_HC_MAILBOX_ATTACH) {
		reply_reset(&reply);
		err = attach_mailbox(&req, message + sizeof(req), mb, &reply);
	} else {
		err = serve(g, channel, message, (size_t)n, intact, &req,
			    &reply);
	}
	struct capbox_hc_reply rep = reply_header(&req, err, &reply);
	return send_reply(channel, &rep, rep.length, &reply);
}

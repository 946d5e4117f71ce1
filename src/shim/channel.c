/* channel.c: hypercall round trips from the shim to the broker over SOCK_SEQPACKET. */
#include "shim/channel.h"

#include <linux/uio.h>

#include "protocol/hypercall.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/shim.h"

/* The kernel's message header and SCM_RIGHTS layout (not in the uapi). */
struct linux_msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};

struct linux_cmsg_fds {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
	int fds[CAPBOX_HC_MAX_FDS];
};

#define LINUX_SOL_SOCKET 1
#define LINUX_SCM_RIGHTS 1
#define LINUX_MSG_CMSG_CLOEXEC 0x40000000
#define LINUX_MSG_TRUNC 0x20
#define LINUX_MSG_CTRUNC 0x08
#define LINUX_MSG_NOSIGNAL 0x4000

static cloudabi_errno_t lost_broker(long err)
{
	shim_fatal(SHIM_EXIT_BROKER_LOST, "lost the channel to the broker",
		   err);
}

cloudabi_errno_t hc_call(uint16_t call, const void *params, size_t params_len,
			 const void *tail, size_t tail_len,
			 struct hc_result *result)
{
	struct shim_thread *self = shim_self();
	struct capbox_hc_request req = {
		.magic = CAPBOX_HC_MAGIC,
		.version = CAPBOX_HC_VERSION,
		.call = call,
		.seq = ++self->seq,
		.length = (uint32_t)(params_len + tail_len),
	};
	struct iovec out[3] = {
		{&req, sizeof(req)},
		{(void *)params, params_len},
		{(void *)tail, tail_len},
	};
	struct linux_msghdr msg = {.msg_iov = out, .msg_iovlen = 3};
	long n = linux_syscall3(__NR_sendmsg, self->channel, &msg,
				LINUX_MSG_NOSIGNAL);
	if (n < 0)
		return lost_broker(n);

	struct capbox_hc_reply rep;
	struct linux_cmsg_fds cmsg;
	struct iovec in[2] = {
		{&rep, sizeof(rep)},
		{result ? result->data : NULL, result ? result->capacity : 0},
	};
	memset(&cmsg, 0, sizeof(cmsg));
	msg = (struct linux_msghdr){
		.msg_iov = in,
		.msg_iovlen = 2,
		.msg_control = &cmsg,
		.msg_controllen = sizeof(cmsg),
	};
	do {
		n = linux_syscall3(__NR_recvmsg, self->channel, &msg,
				   LINUX_MSG_CMSG_CLOEXEC);
	} while (n == -EINTR);
	if (n < (long)sizeof(rep))
		return lost_broker(n < 0 ? n : -EPROTO);
	if (rep.magic != CAPBOX_HC_MAGIC || rep.seq != req.seq ||
	    rep.call != call || (msg.msg_flags & (LINUX_MSG_TRUNC | LINUX_MSG_CTRUNC)) ||
	    (size_t)n != sizeof(rep) + rep.length)
		return lost_broker(-EPROTO);

	size_t nfds = 0;
	if (msg.msg_controllen >= sizeof(size_t) + 2 * sizeof(int) &&
	    cmsg.cmsg_level == LINUX_SOL_SOCKET &&
	    cmsg.cmsg_type == LINUX_SCM_RIGHTS) {
		nfds = (cmsg.cmsg_len - offsetof(struct linux_cmsg_fds, fds)) /
		       sizeof(int);
	}
	if (nfds != rep.nfds || nfds > CAPBOX_HC_MAX_FDS)
		return lost_broker(-EPROTO);
	if (result != NULL) {
		result->length = rep.length;
		result->nfds = nfds;
		for (size_t i = 0; i < nfds; i++)
			result->fds[i] = cmsg.fds[i];
	} else if (nfds > 0) {
		return lost_broker(-EPROTO);
	}
	return rep.error;
}

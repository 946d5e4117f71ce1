/* channel.c: hypercall round trips from the shim to the broker over SOCK_SEQPACKET. */
#include "shim/channel.h"

#include <linux/uio.h>

#include "protocol/hypercall.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/syscalls.h"

/* The kernel's SCM_RIGHTS layout (not in the uapi). */
struct linux_cmsg_fds {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
	int fds[CAPBOX_HC_MAX_FDS];
};

static cloudabi_errno_t lost_broker(long err)
{
	shim_fatal(SHIM_EXIT_BROKER_LOST, "lost the channel to the broker",
		   err);
}

/*
 * How long a thread polls for its reply before it sleeps, in nanoseconds.
 * Most replies take 2-10 us; when the broker runs on another CPU, a guest
 * that sleeps at once lets its CPU go idle, and waking an idle CPU costs
 * 30-60 us in a VM (docs/BENCHMARKS.md has the measurements).  Between
 * attempts the thread yields, so a broker on the same CPU runs at once.
 */
#define REPLY_POLL_NS 30000

static uint64_t monotonic_ns(void)
{
	cloudabi_timestamp_t t = 0;
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &t);
	return t;
}

/* recvmsg of the reply: polled (non-blocking, yielding) for at most
 * REPLY_POLL_NS, then blocking. */
static long receive_reply(int channel, struct linux_msghdr *msg)
{
	uint64_t deadline = 0;
	long n;
	for (;;) {
		n = linux_syscall3(__NR_recvmsg, channel, msg,
				   LINUX_MSG_CMSG_CLOEXEC | LINUX_MSG_DONTWAIT);
		if (n != -EAGAIN)
			break;
		uint64_t now = monotonic_ns();
		if (deadline == 0)
			deadline = now + REPLY_POLL_NS;
		else if (now >= deadline)
			break;
		linux_syscall0(__NR_sched_yield);
	}
	while (n == -EAGAIN || n == -EINTR)
		n = linux_syscall3(__NR_recvmsg, channel, msg,
				   LINUX_MSG_CMSG_CLOEXEC);
	return n;
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
	/* A bad guest tail (a path): the kernel copied nothing, sent nothing. */
	if (n == -EFAULT)
		return CLOUDABI_EFAULT;
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
	n = receive_reply(self->channel, &msg);
	/* A bad guest reply buffer (readlink, readdir: replies without
	 * descriptors): the kernel has consumed the reply. */
	if (n == -EFAULT && result != NULL)
		return CLOUDABI_EFAULT;
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

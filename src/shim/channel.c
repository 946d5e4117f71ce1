/* channel.c: hypercall round trips from the shim to the broker: through the thread's shared-memory mailbox, or over its SOCK_SEQPACKET channel. */
#include "shim/channel.h"

#include <linux/futex.h>
#include <linux/uio.h>

#include "protocol/hc_mailbox.h"
#include "protocol/hypercall.h"
#include "shim/fault.h"
#include "shim/fdtable.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/polling.h"
#include "shim/shim.h"
#include "shim/syscalls.h"
#include "shim/trace.h"

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
 * Most replies take 1-10 us; when the broker runs on another CPU, a guest
 * that sleeps at once lets its CPU go idle, and waking an idle CPU costs
 * 30-60 us in a VM (docs/BENCHMARKS.md has the measurements).  Between
 * looks the thread yields, so a broker on the same CPU runs at once.
 */
#define REPLY_POLL_NS 30000
/* Looks at the mailbox between two yields (with another CPU to run the
 * broker; with one, the thread yields at once). */
#define REPLY_SPINS 64
/* A thread asks for a mailbox once it has made this many calls: processes
 * that make a few calls and end (a fork child, hello) skip its cost. */
#define MAILBOX_AFTER_CALLS 4
/* A sleeping thread checks this often that the broker is still there. */
#define BROKER_CHECK_NS 100000000

/* recvmsg of a reply: polled (non-blocking, yielding) for at most
 * REPLY_POLL_NS, then blocking. */
static long receive_reply(int channel, struct linux_msghdr *msg)
{
	struct polling_window window;
	polling_window_start(&window);
	long n;
	do {
		n = linux_syscall3(__NR_recvmsg, channel, msg,
				   LINUX_MSG_CMSG_CLOEXEC | LINUX_MSG_DONTWAIT);
	} while (n == -EAGAIN && polling_window_next(&window, REPLY_POLL_NS));
	while (n == -EAGAIN || n == -EINTR)
		n = linux_syscall3(__NR_recvmsg, channel, msg,
				   LINUX_MSG_CMSG_CLOEXEC);
	return n;
}

/* The descriptors an SCM_RIGHTS message carried (0 without one). */
static size_t received_fds(const struct linux_msghdr *msg,
			   const struct linux_cmsg_fds *cmsg)
{
	if (msg->msg_controllen < sizeof(size_t) + 2 * sizeof(int) ||
	    cmsg->cmsg_level != LINUX_SOL_SOCKET ||
	    cmsg->cmsg_type != LINUX_SCM_RIGHTS)
		return 0;
	return (cmsg->cmsg_len - offsetof(struct linux_cmsg_fds, fds)) /
	       sizeof(int);
}

struct capbox_hc_request shim_request_header(uint16_t call, uint32_t seq,
					     size_t length)
{
	return (struct capbox_hc_request){
		.magic = CAPBOX_HC_MAGIC,
		.version = CAPBOX_HC_VERSION,
		.call = call,
		.seq = seq,
		.length = (uint32_t)length,
	};
}

/*
 * THE check of a reply header, whichever way it came (socket, mailbox, or
 * the socket message carrying a mailbox reply's descriptors): it answers
 * req (magic, version, call, sequence), and its result fits where the
 * caller wants it (at most the capacity of result, descriptors only if
 * the caller takes any).  Each transport then checks that what it
 * received matches the header.
 */
static bool reply_answers(const struct capbox_hc_reply *rep,
			  const struct capbox_hc_request *req,
			  const struct hc_result *result)
{
	size_t capacity = result != NULL ? result->capacity : 0;
	return rep->magic == CAPBOX_HC_MAGIC &&
	       rep->version == CAPBOX_HC_VERSION && rep->call == req->call &&
	       rep->seq == req->seq && rep->length <= capacity &&
	       rep->length <= CAPBOX_HC_MAX_MESSAGE - sizeof(*rep) &&
	       rep->nfds <= CAPBOX_HC_MAX_FDS &&
	       (rep->nfds == 0 || result != NULL);
}

/* Sends req, params and tail as one message on the channel; waits for the
 * reply there. */
static cloudabi_errno_t socket_call(int channel,
				    const struct capbox_hc_request *req,
				    const void *params, size_t params_len,
				    const void *tail, size_t tail_len,
				    struct hc_result *result)
{
	struct iovec out[3] = {
		{(void *)req, sizeof(*req)},
		{(void *)params, params_len},
		{(void *)tail, tail_len},
	};
	/* writev: one message on the SOCK_SEQPACKET channel (the filter
	 * refuses sendmsg: see confine_policy.c). */
	long n = linux_syscall3(__NR_writev, channel, out, 3);
	/* A bad guest tail (a path): the kernel copied nothing, sent nothing. */
	if (n == -EFAULT)
		return CLOUDABI_EFAULT;
	if (n < 0)
		return lost_broker(n);

	struct capbox_hc_reply rep;
	struct linux_cmsg_fds cmsg;
	struct linux_msghdr msg;
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
	n = receive_reply(channel, &msg);
	/* A bad guest reply buffer (readlink, readdir: replies without
	 * descriptors): the kernel has consumed the reply. */
	if (n == -EFAULT && result != NULL)
		return CLOUDABI_EFAULT;
	if (n < (long)sizeof(rep))
		return lost_broker(n < 0 ? n : -EPROTO);
	if (!reply_answers(&rep, req, result) ||
	    (msg.msg_flags & (LINUX_MSG_TRUNC | LINUX_MSG_CTRUNC)) ||
	    (size_t)n != sizeof(rep) + rep.length ||
	    received_fds(&msg, &cmsg) != rep.nfds)
		return lost_broker(-EPROTO);
	if (result != NULL) {
		result->length = rep.length;
		result->nfds = rep.nfds;
		for (size_t i = 0; i < rep.nfds; i++)
			result->fds[i] = cmsg.fds[i];
	}
	return rep.error;
}

bool hc_broker_gone(int channel)
{
	char byte;
	struct iovec iov = {&byte, 1};
	struct linux_msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	return linux_syscall3(__NR_recvmsg, channel, &msg,
			      LINUX_MSG_PEEK | LINUX_MSG_DONTWAIT) == 0;
}

/* Waits until the broker has published the reply numbered seq. */
static void wait_reply(unsigned char *box, uint32_t seq, int channel)
{
	struct capbox_hc_mailbox_control *c =
		(struct capbox_hc_mailbox_control *)box;
	uint32_t *published = capbox_hc_mailbox_reply_seq(box);
	int spins = shim_proc.ncpus > 1 ? REPLY_SPINS : 1;
	struct polling_window window;
	polling_window_start(&window);
	do {
		for (int i = 0; i < spins; i++) {
			if (__atomic_load_n(published, __ATOMIC_ACQUIRE) == seq)
				return;
			__builtin_ia32_pause();
		}
	} while (polling_window_next(&window, REPLY_POLL_NS));
	/* Sleep: the broker wakes us when it sees the flag (hc_mailbox.h). */
	__atomic_store_n(&c->guest_sleeping, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t seen;
	while ((seen = __atomic_load_n(published, __ATOMIC_ACQUIRE)) != seq) {
		struct __kernel_timespec check = {0, BROKER_CHECK_NS};
		long r = linux_syscall4(__NR_futex, published, FUTEX_WAIT, seen,
					&check);
		if (r == -ETIMEDOUT && hc_broker_gone(channel))
			lost_broker(-EPIPE);
	}
	__atomic_store_n(&c->guest_sleeping, 0, __ATOMIC_RELAXED);
}

/* The same exchange through the thread's mailbox: the request is copied
 * in (the tail with a guarded copy: it is guest memory), the doorbell rung
 * unless the broker is watching, the reply copied out. */
static cloudabi_errno_t mailbox_call(struct shim_thread *self,
				     const struct capbox_hc_request *req,
				     const void *params, size_t params_len,
				     const void *tail, size_t tail_len,
				     struct hc_result *result)
{
	unsigned char *request = self->mailbox + CAPBOX_HC_MAILBOX_REQUEST;
	const unsigned char *reply = self->mailbox + CAPBOX_HC_MAILBOX_REPLY;
	struct capbox_hc_mailbox_control *c =
		(struct capbox_hc_mailbox_control *)self->mailbox;
	/* Callers bound their tails far below this; checked without a sum
	 * that could wrap. */
	if (params_len > CAPBOX_HC_MAX_MESSAGE - sizeof(*req) ||
	    tail_len > CAPBOX_HC_MAX_MESSAGE - sizeof(*req) - params_len)
		return CLOUDABI_EINVAL;
	capbox_hc_mailbox_put_header(request, req, sizeof(*req));
	memcpy(request + sizeof(*req), params, params_len);
	if (tail_len > 0 &&
	    shim_guarded_copy(request + sizeof(*req) + params_len, tail,
			      tail_len) != 0)
		return CLOUDABI_EFAULT;
	unsigned cpu = UINT32_MAX;
	if (shim_proc.vdso_getcpu != NULL)
		shim_proc.vdso_getcpu(&cpu, NULL, NULL);
	if (__atomic_load_n(&c->guest_cpu, __ATOMIC_RELAXED) != cpu)
		__atomic_store_n(&c->guest_cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(capbox_hc_mailbox_request_seq(self->mailbox), req->seq,
			 __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->broker_polling, __ATOMIC_RELAXED) == 0) {
		struct capbox_hc_request bell = shim_request_header(
			CAPBOX_HC_MAILBOX_DOORBELL, req->seq, 0);
		long n = linux_syscall3(__NR_write, self->channel, &bell,
					sizeof(bell));
		if (n < 0)
			return lost_broker(n);
	}
	wait_reply(self->mailbox, req->seq, self->channel);

	struct capbox_hc_reply rep;
	memcpy(&rep, reply, sizeof(rep));
	if (!reply_answers(&rep, req, result))
		return lost_broker(-EPROTO);
	if (rep.nfds > 0) {
		/* They were sent on the socket before the reply was
		 * published, under a copy of its header. */
		struct capbox_hc_reply carrier;
		struct linux_cmsg_fds cmsg;
		struct iovec iov = {&carrier, sizeof(carrier)};
		memset(&cmsg, 0, sizeof(cmsg));
		struct linux_msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = &cmsg,
			.msg_controllen = sizeof(cmsg),
		};
		long n = receive_reply(self->channel, &msg);
		size_t nfds = n == (long)sizeof(carrier)
				      ? received_fds(&msg, &cmsg)
				      : 0;
		if (n != (long)sizeof(carrier) ||
		    !reply_answers(&carrier, req, result) ||
		    carrier.length != 0 || carrier.nfds != rep.nfds ||
		    (msg.msg_flags & (LINUX_MSG_TRUNC | LINUX_MSG_CTRUNC)) ||
		    nfds != rep.nfds)
			return lost_broker(n < 0 ? n : -EPROTO);
		for (size_t i = 0; i < nfds; i++)
			result->fds[i] = cmsg.fds[i];
	}
	if (result != NULL) {
		result->nfds = rep.nfds;
		result->length = rep.length;
		/* A bad guest reply buffer (readlink, readdir). */
		if (rep.length > 0 &&
		    shim_guarded_copy(result->data, reply + sizeof(rep),
				      rep.length) != 0) {
			for (size_t i = 0; i < result->nfds; i++)
				linux_syscall1(__NR_close, result->fds[i]);
			result->nfds = 0;
			return CLOUDABI_EFAULT;
		}
	}
	return rep.error;
}

bool hc_defer_close(cloudabi_fd_t fd)
{
	struct shim_thread *self = shim_self();
	if (self->mailbox == NULL)
		return false;
	struct capbox_hc_mailbox_control *c =
		(struct capbox_hc_mailbox_control *)self->mailbox;
	uint32_t head = __atomic_load_n(&c->closes_head, __ATOMIC_RELAXED);
	uint32_t done = __atomic_load_n(&c->closes_done, __ATOMIC_ACQUIRE);
	if (head - done >= CAPBOX_HC_MAILBOX_CLOSES)
		return false;
	__atomic_store_n(&c->closed[head % CAPBOX_HC_MAILBOX_CLOSES], fd,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&c->closes_head, head + 1, __ATOMIC_RELEASE);
	return true;
}

/* Asks the broker for this thread's mailbox and maps it.  The memfd lands
 * at a free guest number for a moment: hold the table lock meanwhile (see
 * fdtable.h).  On failure the thread keeps using its socket. */
static void attach_mailbox(struct shim_thread *self)
{
	bool held = fdtable_held();
	if (!held)
		fdtable_lock();
	struct capbox_hc_mailbox_attach params = {0};
	struct capbox_hc_request req = shim_request_header(
		CAPBOX_HC_MAILBOX_ATTACH, ++self->seq, sizeof(params));
	struct hc_result result = {.data = NULL, .capacity = 0};
	cloudabi_errno_t err = socket_call(self->channel, &req, &params,
					   sizeof(params), NULL, 0, &result);
	self->mailbox_failed = true;
	if (err == 0 && result.nfds == 1) {
		void *box = linux_mmap(NULL, CAPBOX_HC_MAILBOX_SIZE,
				       PROT_READ | PROT_WRITE, MAP_SHARED,
				       result.fds[0], 0);
		/* A forked child must not share it: it gets its own. */
		if (!linux_mmap_failed(box) &&
		    linux_syscall3(__NR_madvise, box, CAPBOX_HC_MAILBOX_SIZE,
				   MADV_DONTFORK) != 0) {
			linux_syscall2(__NR_munmap, box,
				       CAPBOX_HC_MAILBOX_SIZE);
			box = (void *)-ENOMEM;
		}
		if (!linux_mmap_failed(box)) {
			/* Every page written by the guest first, so that its
			 * memory is charged to the guest (mailbox_arm). */
			for (size_t at = 0; at < CAPBOX_HC_MAILBOX_SIZE;
			     at += 4096)
				__atomic_fetch_or((unsigned char *)box + at, 0,
						  __ATOMIC_RELAXED);
			self->mailbox = box;
			self->mailbox_failed = false;
		}
	}
	if (err == 0) {
		for (size_t i = 0; i < result.nfds; i++)
			linux_syscall1(__NR_close, result.fds[i]);
	}
	if (!held)
		fdtable_unlock();
}

cloudabi_errno_t hc_call(uint16_t call, const void *params, size_t params_len,
			 const void *tail, size_t tail_len,
			 struct hc_result *result)
{
	struct shim_thread *self = shim_self();
	if (CAPBOX_TRACE && self->trace_batch_len > 0)
		shim_trace_flush(self); /* the shim's records come first */
	if (CAPBOX_TRACE && call < CLOUDABI_SYSCALL_COUNT)
		self->trace_served = 1; /* the broker traces this call */
	if (self->mailbox == NULL && !self->mailbox_failed &&
	    self->seq >= MAILBOX_AFTER_CALLS && call != CAPBOX_HC_FATAL)
		attach_mailbox(self);
	struct capbox_hc_request req =
		shim_request_header(call, ++self->seq, params_len + tail_len);
	if (self->mailbox != NULL)
		return mailbox_call(self, &req, params, params_len, tail,
				    tail_len, result);
	return socket_call(self->channel, &req, params, params_len, tail,
			   tail_len, result);
}

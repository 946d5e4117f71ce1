/* trace.c: under --trace, wraps every system call and reports those the broker did not serve as one-way records, batched per thread. */
#include "shim/trace.h"

#include <linux/uio.h>

#include "common/syscall_args.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/fault.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/syscalls.h"

/*
 * A record is a debugging aid, not evidence: this code runs in the guest,
 * which can skip or forge it.  The broker validates and formats every
 * record itself (src/trace/), and traces what it serves on its own.
 */

static uint64_t now_ns(void)
{
	cloudabi_timestamp_t t = 0;
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &t);
	return t;
}

/* Sends this thread's batch as one message on its channel; a failure
 * only loses the records (the next hypercall finds a broken channel
 * anyway).  With `last` (the thread or process ends) it waits for the
 * broker's empty reply: then the broker has read every record sent. */
static void send_batch(struct shim_thread *self, bool last)
{
	uint32_t len = self->trace_batch_len;
	self->trace_batch_len = 0;
	if (len == 0 && !last)
		return;
	struct capbox_hc_request req =
		shim_request_header(CAPBOX_HC_TRACE_RECORD,
				    last ? ++self->seq : 0, /* 0: no reply */
				    len);
	struct iovec out[2] = {
		{&req, sizeof(req)},
		{self->trace_batch, len},
	};
	if (linux_syscall3(__NR_writev, self->channel, out, 2) < 0 || !last)
		return;
	struct capbox_hc_reply rep;
	struct iovec in = {&rep, sizeof(rep)};
	struct linux_msghdr msg = {.msg_iov = &in, .msg_iovlen = 1};
	long n;
	do
		n = linux_syscall3(__NR_recvmsg, self->channel, &msg, 0);
	while (n == -EINTR);
}

void shim_trace_flush(struct shim_thread *self)
{
	send_batch(self, false);
}

/* Adds a record and its data to this thread's batch, sending the batch
 * first if they do not fit, and after them if they are the thread's last,
 * or the batch's oldest record is CAPBOX_TRACE_BATCH_NS old. */
static void add_record(struct shim_thread *self,
		       const struct capbox_hc_trace_record *rec,
		       const void *data, uint64_t now, bool last)
{
	if (self->trace_batch == NULL) {
		void *p = linux_mmap(NULL, CAPBOX_TRACE_BATCH_MAX,
				     PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (linux_mmap_failed(p))
			return; /* the record is lost, the call is not */
		self->trace_batch = p;
	}
	size_t size = sizeof(*rec) + rec->data_len;
	if (self->trace_batch_len + size > CAPBOX_TRACE_BATCH_MAX)
		send_batch(self, false);
	if (self->trace_batch_len == 0)
		self->trace_batch_since = now;
	unsigned char *at = self->trace_batch + self->trace_batch_len;
	memcpy(at, rec, sizeof(*rec));
	memcpy(at + sizeof(*rec), data, rec->data_len);
	self->trace_batch_len += (uint32_t)size;
	if (last || now - self->trace_batch_since >= CAPBOX_TRACE_BATCH_NS)
		send_batch(self, last);
}

/* Tells the broker which thread this channel serves, once per thread
 * (a record is reused by later threads with the same channel). */
static void announce(struct shim_thread *self)
{
	if (self->trace_tid == self->tid)
		return;
	self->trace_tid = self->tid;
	struct capbox_hc_trace_record rec = {
		.syscall = CAPBOX_TRACE_HELLO,
		.tid = self->tid,
	};
	add_record(self, &rec, NULL, now_ns(), false);
}

/* Calls that may wait for another party: the batch goes first, so that a
 * program blocked in one shows every call it made before. */
#define TRACE_MAY_WAIT                                                         \
	((UINT64_C(1) << CLOUDABI_SYS_fd_read) |                               \
	 (UINT64_C(1) << CLOUDABI_SYS_fd_write) |                              \
	 (UINT64_C(1) << CLOUDABI_SYS_sock_recv) |                             \
	 (UINT64_C(1) << CLOUDABI_SYS_sock_send) |                             \
	 (UINT64_C(1) << CLOUDABI_SYS_poll))

/* Out of line, as finish: 49 wrappers share one copy (the shim's image
 * stays small). */
__attribute__((noinline)) static uint64_t start(unsigned syscall)
{
	struct shim_thread *self = shim_self();
	announce(self);
	if ((UINT64_C(1) << syscall) & TRACE_MAY_WAIT)
		send_batch(self, false);
	self->trace_served = 0;
	return now_ns();
}

static size_t smallest(uint64_t a, uint64_t b)
{
	uint64_t m = a < b ? a : b;
	return m < CAPBOX_TRACE_DATA_MAX ? (size_t)m : CAPBOX_TRACE_DATA_MAX;
}

/* Copies the first bytes of the call's path or data into data (guarded:
 * the program's pointers may be bad); returns how many. */
static size_t capture(const struct capbox_hc_trace_record *rec, bool has_result,
		      unsigned char *data)
{
	for (unsigned i = 0; i + 1 < CAPBOX_TRACE_ARGS; i++) {
		enum syscall_arg kind = syscall_arg_kind(rec->syscall, i);
		const void *ptr = (const void *)(uintptr_t)rec->args[i];
		uint64_t len = rec->args[i + 1];
		uint64_t done = has_result ? rec->result : len;
		size_t n = 0;
		if (kind == ARG_PATH || kind == ARG_BUF_IN)
			n = smallest(len, len);
		else if (kind == ARG_BUF_OUT && rec->error == 0)
			n = smallest(len, done);
		else if ((kind == ARG_IOVS_IN || kind == ARG_IOVS_OUT) &&
			 len > 0 && (kind == ARG_IOVS_IN || rec->error == 0)) {
			cloudabi_ciovec_t first;
			if (shim_guarded_copy(&first, ptr, sizeof(first)) != 0)
				return 0;
			ptr = first.buf;
			n = smallest(first.buf_len,
				     rec->error == 0 ? done : first.buf_len);
		} else {
			continue;
		}
		return n > 0 && shim_guarded_copy(data, ptr, n) == 0 ? n : 0;
	}
	return 0;
}

/* Reads back what the call stored through its out argument, if any;
 * whether there was one. */
static bool read_result(struct capbox_hc_trace_record *rec)
{
	for (unsigned i = 0; i < CAPBOX_TRACE_ARGS; i++) {
		enum syscall_arg kind = syscall_arg_kind(rec->syscall, i);
		size_t size = kind == ARG_OUT_FD || kind == ARG_OUT_U32
				      ? sizeof(uint32_t)
			      : kind == ARG_OUT_SIZE || kind == ARG_OUT_U64 ||
					      kind == ARG_OUT_PTR
				      ? sizeof(uint64_t)
				      : 0;
		if (size == 0)
			continue;
		rec->result = 0;
		if (rec->error == 0)
			shim_guarded_copy(&rec->result,
					  (const void *)(uintptr_t)rec->args[i],
					  size);
		return true;
	}
	return false;
}

__attribute__((noinline)) static void finish(unsigned syscall,
					     const uint64_t *args,
					     cloudabi_errno_t error,
					     uint64_t started, bool last)
{
	struct shim_thread *self = shim_self();
	if (self->trace_served)
		return;
	uint64_t now = now_ns();
	struct capbox_hc_trace_record rec = {
		.syscall = (uint16_t)syscall,
		.error = error,
		.tid = self->tid,
		.duration_ns = now - started,
	};
	memcpy(rec.args, args, sizeof(rec.args));
	bool has_result = read_result(&rec);
	unsigned char data[CAPBOX_TRACE_DATA_MAX];
	rec.data_len = (uint32_t)capture(&rec, has_result, data);
	add_record(self, &rec, data, now, last);
}

/* The argument list as words: up to CAPBOX_TRACE_ARGS of them. */
/* One argument as a word (a cloudabi_lookup_t is 8 bytes: fd and flags);
 * a copy of constant size, which the compiler makes a move. */
#define TRACE_WORD(x)                                                          \
	({                                                                     \
		uint64_t w_ = 0;                                               \
		__builtin_memcpy(&w_, &(x),                                    \
				 sizeof(x) < sizeof(w_) ? sizeof(x)            \
							: sizeof(w_));         \
		w_;                                                            \
	}),
#define TRACE_N_(_0, _1, _2, _3, _4, _5, _6, _7, n, ...) n
#define TRACE_N(...) TRACE_N_(0, ##__VA_ARGS__, 7, 6, 5, 4, 3, 2, 1, 0)
#define TRACE_CAT_(a, b) a##b
#define TRACE_CAT(a, b) TRACE_CAT_(a, b)
#define TRACE_W0()
#define TRACE_W1(a) TRACE_WORD(a)
#define TRACE_W2(a, ...) TRACE_WORD(a) TRACE_W1(__VA_ARGS__)
#define TRACE_W3(a, ...) TRACE_WORD(a) TRACE_W2(__VA_ARGS__)
#define TRACE_W4(a, ...) TRACE_WORD(a) TRACE_W3(__VA_ARGS__)
#define TRACE_W5(a, ...) TRACE_WORD(a) TRACE_W4(__VA_ARGS__)
#define TRACE_W6(a, ...) TRACE_WORD(a) TRACE_W5(__VA_ARGS__)
#define TRACE_W7(a, ...) TRACE_WORD(a) TRACE_W6(__VA_ARGS__)
#define TRACE_WORDS(...) TRACE_CAT(TRACE_W, TRACE_N(__VA_ARGS__))(__VA_ARGS__)

/* A call that returns: traced after it.  One that does not (proc_exit,
 * thread_exit): traced before. */
#define TRACED_cloudabi_errno_t(name, params, args)                            \
	cloudabi_errno_t shim_traced_##name params                             \
	{                                                                      \
		uint64_t words_[CAPBOX_TRACE_ARGS] = {TRACE_WORDS args};       \
		uint64_t started_ = start(CLOUDABI_SYS_##name);                \
		cloudabi_errno_t error_ = cloudabi_sys_##name args;            \
		finish(CLOUDABI_SYS_##name, words_, error_, started_, false);  \
		return error_;                                                 \
	}
#define TRACED_void(name, params, args)                                        \
	void shim_traced_##name params                                         \
	{                                                                      \
		uint64_t words_[CAPBOX_TRACE_ARGS] = {TRACE_WORDS args};       \
		finish(CLOUDABI_SYS_##name, words_, 0,                         \
		       start(CLOUDABI_SYS_##name), true);                      \
		cloudabi_sys_##name args;                                      \
	}
#define TRACED(name, ret, params, args) TRACED_##ret(name, params, args)
CLOUDABI_SYSCALLS(TRACED)
#undef TRACED

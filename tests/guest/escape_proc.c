/* capbox-test-args: --max-processes 4 */
/* escape_proc.c: forged process hypercalls and process lifetimes: FORK_COMMIT naming a process the broker already knows, forks left pending by a process that ends, a dead process's descriptors and channel. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "escape_raw.h"
#include "guest.h"
#include "proc.h"

/* Call numbers of src/protocol/hypercall.h (not in the guest's headers). */
#define HC_FORK_COMMIT 67
#define HC_MAX_MESSAGE 32768

static cloudabi_fd_t out_fd;
static uint32_t seq = 0x50000000; /* far from the shim's own numbers */
static uint16_t version;
static unsigned char reply_buf[HC_MAX_MESSAGE + 64];
static int reply_fd;

struct two_u32 {
	uint32_t a, b;
};

/* Sends header + body on `channel` and waits for the reply; returns its
 * error, or -1 when no well-formed reply came back (reply_buf holds it,
 * reply_fd its descriptor or -1). */
static int exchange(int channel, uint16_t call, const void *body,
		    size_t body_len)
{
	struct esc_request req = {ESC_HC_MAGIC, version, call, ++seq,
				  (uint32_t)body_len};
	struct esc_reply_info info;
	int err = esc_exchange(channel, req, body, body_len, reply_buf,
			       sizeof(reply_buf), &info);
	reply_fd = info.fd;
	if (err != -1 && version == 0)
		version = info.version;
	return err;
}

/* Learns the protocol version from the answer to a bad version. */
static void learn_version(void)
{
	struct two_u32 p = {(uint32_t)out_fd, 0};
	version = 0;
	exchange(ESC_FD_CHANNEL, CLOUDABI_SYS_fd_stat_get, &p, sizeof(p));
	CHECK(version != 0, "the protocol version is %u", version);
}

/* A forged PROC_FORK on `channel`: its error; *token and *channel_out
 * (the new channel, or -1) on success. */
static int forged_fork(int channel, uint32_t *token, int *channel_out)
{
	struct two_u32 p = {0, 0};
	int err = exchange(channel, CLOUDABI_SYS_proc_fork, &p, sizeof(p));
	*channel_out = reply_fd;
	memcpy(token, reply_buf + sizeof(struct esc_reply), sizeof(*token));
	return err;
}

/* A child that waits (up to 60 s) for its parent to end it. */
static void linger(void)
{
	proc_sleep(UINT64_C(60000000000));
	cloudabi_sys_proc_exit(0);
}

/*
 * FORK_COMMIT takes "the pidfd of the new child" from the guest's own
 * descriptor table.  A raw dup3 of an existing process descriptor names a
 * process the broker already has a record for: a second record would
 * reap it behind the first one's back (whose status then never comes).
 */
static void commit_known_process(void)
{
	cloudabi_fd_t pd;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&pd, &tid);
	if (err == 0 && pd == CLOUDABI_PROCESS_CHILD)
		linger();
	CHECK_EQ(err, 0, "fork a child");
	uint32_t token;
	int channel;
	CHECK_EQ(forged_fork(ESC_FD_CHANNEL, &token, &channel), 0,
		 "a forged PROC_FORK is answered");
	CHECK(channel >= 0, "with the pending child's channel");
	if (channel >= 0)
		raw(NR_close, channel);
	const int alias = 900;
	CHECK_EQ(raw(NR_dup3, pd, alias, 0), alias,
		 "a raw dup3 of the child's process descriptor to %d", alias);
	struct two_u32 commit = {token, alias};
	CHECK_EQ(exchange(ESC_FD_CHANNEL, HC_FORK_COMMIT, &commit,
			  sizeof(commit)),
		 CLOUDABI_EBADF,
		 "FORK_COMMIT naming an already known process: EBADF");
	raw(NR_close, alias);
	/* The real record still sees its process end. */
	CHECK_EQ(cloudabi_sys_fd_close(pd), 0,
		 "closing the only descriptor ends the child");
	escape_check_broker(out_fd, "FORK_COMMIT of a known process");
}

/* A child that forges a PROC_FORK and ends without committing it. */
static int fork_and_leave(void)
{
	uint32_t token;
	int channel;
	return forged_fork(ESC_FD_CHANNEL, &token, &channel) == 0 ? 0 : 1;
}

/*
 * Forks left pending by a process that ended can never be committed:
 * they must not keep counting against the process limit (4 here), nor
 * keep a pointer to the ended process's freed record.
 */
static void pending_forks_of_the_dead(void)
{
	int ok = 0;
	for (int i = 0; i < 8; i++) {
		cloudabi_fd_t pd;
		cloudabi_tid_t tid;
		cloudabi_errno_t err = cloudabi_sys_proc_fork(&pd, &tid);
		if (err != 0) {
			CHECK_EQ(err, 0, "fork %d of 8 (limit 4 processes)", i);
			break;
		}
		if (pd == CLOUDABI_PROCESS_CHILD)
			cloudabi_sys_proc_exit(
				(cloudabi_exitcode_t)fork_and_leave());
		cloudabi_event_t ev;
		if (proc_wait(pd, UINT64_C(10000000000), &ev) == 0 &&
		    ev.proc_terminate.exitcode == 0)
			ok++;
		cloudabi_sys_fd_close(pd);
	}
	CHECK_EQ(ok, 8,
		 "8 children each left a forged fork pending and "
		 "ended: the limit of 4 is never reached");
	escape_check_broker(out_fd, "pending forks of ended processes");
}

/*
 * A process's descriptors close when it ends, even while its parent still
 * holds its process descriptor: the other end of a socket pair sees EOF.
 */
static void descriptors_close_at_exit(void)
{
	cloudabi_fd_t a, b, pd;
	cloudabi_tid_t tid;
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a,
					 &b),
		 0, "a stream socket pair");
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&pd, &tid);
	if (err == 0 && pd == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(7);
	CHECK_EQ(err, 0, "fork a child");
	CHECK_EQ(cloudabi_sys_fd_close(b), 0, "the parent closes its end b");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(pd, UINT64_C(10000000000), &ev), 0,
		 "the child ends");
	CHECK_EQ(ev.proc_terminate.exitcode, 7, "with its exit code");
	cloudabi_subscription_t subs[2] = {
		{.userdata = 1,
		 .type = CLOUDABI_EVENTTYPE_FD_READ,
		 .fd_readwrite.fd = a},
		{.userdata = 2,
		 .type = CLOUDABI_EVENTTYPE_CLOCK,
		 .clock.clock_id = CLOUDABI_CLOCK_MONOTONIC,
		 .clock.timeout = UINT64_C(2000000000)},
	};
	cloudabi_event_t evs[2];
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_poll(subs, evs, 2, &n), 0, "poll a");
	CHECK(n >= 1 && evs[0].userdata == 1,
	      "a is readable at once (EOF), its process descriptor still held");
	char c;
	cloudabi_iovec_t iov = {&c, 1};
	size_t got = 99;
	if (n >= 1 && evs[0].userdata == 1)
		CHECK_EQ(cloudabi_sys_fd_read(a, &iov, 1, &got), 0, "read a");
	CHECK_EQ(got, 0, "end of file: the ended child's copy of b is closed");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(pd);
	escape_check_broker(out_fd, "a child's end");
}

/*
 * A child hands its channel to its parent (raw SCM_RIGHTS) and ends, so
 * that the parent could speak for a process that no longer exists.  The
 * filter refuses sendmsg, the only call that carries SCM_RIGHTS: the
 * child's send fails with EPERM and nothing reaches the parent.
 */
static void channel_of_the_dead(void)
{
	cloudabi_fd_t s1, s2, pd;
	cloudabi_tid_t tid;
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM, &s1,
					 &s2),
		 0, "a datagram socket pair");
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&pd, &tid);
	if (err == 0 && pd == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(
			esc_send_fd((int)s2, ESC_FD_CHANNEL) == -L_EPERM ? 0
									 : 1);
	CHECK_EQ(err, 0, "fork a child");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(pd, UINT64_C(10000000000), &ev), 0,
		 "the child ends");
	CHECK_EQ(ev.proc_terminate.exitcode, 0,
		 "its raw sendmsg of its channel was refused (EPERM)");
	int channel = -1;
	CHECK_EQ(esc_recv_fd((int)s1, &channel), -L_EAGAIN,
		 "the parent has nothing to receive");
	CHECK_EQ(channel, -1, "and no channel");
	cloudabi_sys_fd_close(s1);
	cloudabi_sys_fd_close(s2);
	cloudabi_sys_fd_close(pd);
	escape_check_broker(out_fd, "a child sending its channel");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = out_fd = (cloudabi_fd_t)guest_out_fd(ad);
	learn_version();
	commit_known_process();
	pending_forks_of_the_dead();
	descriptors_close_at_exit();
	channel_of_the_dead();
	exit(check_done());
}

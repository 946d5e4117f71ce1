/* escape_hypercalls.c: forged messages on the shim's channel (fd 1024): bad framing, unknown calls, overflowing lengths and counts, foreign descriptors, smuggled SCM_RIGHTS; the broker answers each exactly and keeps serving. */
#include <cloudabi/syscalls.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "escape_raw.h"
#include "guest.h"

/* Linux's struct msghdr, iovec and cmsghdr on x86-64. */
struct l_iovec {
	const void *base;
	size_t len;
};
struct l_msghdr {
	void *name;
	uint32_t namelen;
	struct l_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	int flags;
};
struct l_cmsg_fd {
	size_t len;
	int level;
	int type;
	int fd;
	int pad;
};
#define L_SOL_SOCKET 1
#define L_SCM_RIGHTS 1
#define L_MSG_DONTWAIT 0x40

/* Call numbers of src/protocol/hypercall.h (not in the guest's headers). */
#define HC_THREAD_CHANNEL 66
#define HC_CALL_LIMIT 96
#define HC_MAX_MESSAGE 32768

static cloudabi_fd_t out_fd;
static uint32_t seq = 0x40000000; /* far from the shim's own numbers */

struct fd_params {
	uint32_t fd;
	uint32_t reserved;
};

static unsigned char reply_buf[HC_MAX_MESSAGE + 64];
static int reply_fd;
/* The protocol version, learnt from the broker's first reply (a guest
 * cannot include src/protocol/hypercall.h, and it changes). */
static uint16_t version;
static uint16_t reply_version;

/* Sends header + body (the header's length field as given) on `channel`,
 * with `attach` as SCM_RIGHTS when >= 0; returns the reply's error, or
 * -1 when no well-formed reply came back. */
static int exchange(int channel, struct esc_request req, const void *body,
		    size_t body_len, int attach)
{
	struct l_iovec iov[2] = {{&req, sizeof(req)}, {body, body_len}};
	struct l_cmsg_fd cmsg = {.len = 20, .level = L_SOL_SOCKET,
				 .type = L_SCM_RIGHTS, .fd = attach};
	struct l_msghdr msg = {.iov = iov, .iovlen = body_len > 0 ? 2 : 1};
	if (attach >= 0) {
		msg.control = &cmsg;
		msg.controllen = sizeof(cmsg);
	}
	if (raw(NR_sendmsg, channel, &msg, 0) < 0)
		return -1;
	struct l_iovec riov = {reply_buf, sizeof(reply_buf)};
	struct l_cmsg_fd rcmsg = {0};
	struct l_msghdr rmsg = {.iov = &riov, .iovlen = 1, .control = &rcmsg,
				.controllen = sizeof(rcmsg)};
	long n = raw(NR_recvmsg, channel, &rmsg, 0);
	struct esc_reply rep;
	if (n < (long)sizeof(rep))
		return -1;
	memcpy(&rep, reply_buf, sizeof(rep));
	reply_version = rep.version;
	reply_fd = rmsg.controllen >= 20 && rcmsg.type == L_SCM_RIGHTS
			   ? rcmsg.fd
			   : -1;
	if (rep.magic != ESC_HC_MAGIC)
		return -1;
	return rep.error;
}

static struct esc_request header(uint16_t call, uint32_t length)
{
	return (struct esc_request){ESC_HC_MAGIC, version, call, ++seq, length};
}

static int fd_stat_get(int channel, uint32_t fd)
{
	struct fd_params p = {fd, 0};
	return exchange(channel, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)),
			&p, sizeof(p), -1);
}

static void check_broker(const char *after)
{
	escape_check_broker(out_fd, after);
}

static void framing(void)
{
	const int ch = ESC_FD_CHANNEL;
	struct fd_params p = {(uint32_t)out_fd, 0};
	struct esc_request h = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	h.magic ^= 1;
	CHECK_EQ(exchange(ch, h, &p, sizeof(p), -1), CLOUDABI_EINVAL,
		 "bad magic: EINVAL");
	version = reply_version;
	CHECK(version != 0, "the reply names the protocol version (%u)",
	      version);
	CHECK_EQ(fd_stat_get(ch, out_fd), 0,
		 "a well-formed forged fd_stat_get is answered (control)");
	h = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	h.version = (uint16_t)(version + 1);
	CHECK_EQ(exchange(ch, h, &p, sizeof(p), -1), CLOUDABI_EINVAL,
		 "bad version: EINVAL");
	CHECK_EQ(exchange(ch, header(HC_CALL_LIMIT - 1, sizeof(p)), &p,
			  sizeof(p), -1),
		 CLOUDABI_ENOSYS, "an unassigned call number: ENOSYS");
	CHECK_EQ(exchange(ch, header(0xffff, sizeof(p)), &p, sizeof(p), -1),
		 CLOUDABI_ENOSYS, "call number 0xffff: ENOSYS");
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, 0xffffffff),
			  &p, sizeof(p), -1),
		 CLOUDABI_EINVAL, "a length of 2^32-1 over 8 bytes: EINVAL");
	/* 16 + 0xfffffff8 is 8 in 32-bit arithmetic. */
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, 0xfffffff8), &p,
			  sizeof(p), -1),
		 CLOUDABI_EINVAL, "a length that wraps around with the header: "
				  "EINVAL");
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, 4), &p, 4, -1),
		 CLOUDABI_EINVAL, "parameters shorter than the call's struct: "
				  "EINVAL");
	static unsigned char big[64];
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(big)),
			  big, sizeof(big), -1),
		 CLOUDABI_EINVAL, "a tail on a call that takes none: EINVAL");
	static unsigned char huge[HC_MAX_MESSAGE + 16];
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(huge)),
			  huge, sizeof(huge), -1),
		 CLOUDABI_EINVAL, "a message beyond the maximum (truncated): "
				  "EINVAL");
	/* A truncated header: 8 of its 16 bytes. */
	struct esc_request whole = header(CLOUDABI_SYS_fd_stat_get, 8);
	struct l_iovec iov = {&whole, 8};
	struct l_msghdr msg = {.iov = &iov, .iovlen = 1};
	CHECK_EQ(raw(NR_sendmsg, ch, &msg, 0), 8, "a half header is sent");
	struct l_iovec riov = {reply_buf, sizeof(reply_buf)};
	struct l_msghdr rmsg = {.iov = &riov, .iovlen = 1};
	CHECK_EQ(raw(NR_recvmsg, ch, &rmsg, 0), 24, "and answered");
	struct esc_reply rep;
	memcpy(&rep, reply_buf, sizeof(rep));
	CHECK_EQ(rep.error, CLOUDABI_EINVAL, "with EINVAL");
	check_broker("the framing attacks");
}

static void authority(void)
{
	const int ch = ESC_FD_CHANNEL;
	CHECK_EQ(fd_stat_get(ch, 500), CLOUDABI_EBADF,
		 "fd_stat_get of a number the guest does not hold: EBADF");
	CHECK_EQ(fd_stat_get(ch, ESC_FD_CHANNEL), CLOUDABI_EBADF,
		 "of the channel's own number (1024): EBADF");
	CHECK_EQ(fd_stat_get(ch, 0xffffffff), CLOUDABI_EBADF,
		 "of fd 2^32-1: EBADF");
	struct fd_params p = {(uint32_t)out_fd, 0};
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)), &p,
			  sizeof(p), (int)out_fd),
		 CLOUDABI_EINVAL,
		 "a request carrying a descriptor (SCM_RIGHTS): EINVAL");
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_close, sizeof(p)),
			  &(struct fd_params){ESC_FD_CHANNEL, 0}, sizeof(p), -1),
		 CLOUDABI_EBADF, "fd_close of the channel: EBADF");

	/* Counts beyond their bounds. */
	struct {
		uint32_t fd, nfds, argdata_len, reserved;
	} exec = {(uint32_t)out_fd, 0xffffffff, 0, 0};
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_proc_exec, sizeof(exec)),
			  &exec, sizeof(exec), -1),
		 CLOUDABI_EINVAL, "proc_exec announcing 2^32-1 descriptors: "
				  "EINVAL");
	exec.nfds = 0;
	exec.argdata_len = 0xffffffff;
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_proc_exec, sizeof(exec)),
			  &exec, sizeof(exec), -1),
		 CLOUDABI_EINVAL, "proc_exec announcing 4 GiB of argdata: "
				  "EINVAL");
	struct {
		uint32_t dirfd, lookup_flags;
		uint16_t oflags, reserved;
		uint32_t path_len;
		cloudabi_fdstat_t fds;
	} open = {.dirfd = (uint32_t)out_fd, .path_len = 0xffffffff};
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_file_open, sizeof(open) + 4),
			  &open, sizeof(open) + 4, -1),
		 CLOUDABI_EINVAL,
		 "file_open announcing a 4 GiB path with 4 bytes: EINVAL");
	check_broker("the authority attacks");
}

/* A second channel (what a new thread gets) carries the same authority,
 * no more. */
static void second_channel(void)
{
	struct {
		uint32_t flags, reserved;
	} p = {0, 0};
	int err = exchange(ESC_FD_CHANNEL, header(HC_THREAD_CHANNEL, sizeof(p)),
			   &p, sizeof(p), -1);
	if (err == CLOUDABI_ENOSYS || err == CLOUDABI_EAGAIN) {
		CHECK_SKIP("thread channels are not served yet",
			   "another thread's channel");
		return;
	}
	CHECK(err == 0 && reply_fd >= 0,
	      "a thread channel is handed out (err %d, fd %d)", err, reply_fd);
	if (reply_fd < 0)
		return;
	int other = reply_fd;
	CHECK_EQ(fd_stat_get(other, 500), CLOUDABI_EBADF,
		 "on another thread's channel a foreign number is still EBADF");
	CHECK_EQ(fd_stat_get(other, out_fd), 0,
		 "and the guest's own descriptor is still its own");
	CHECK_EQ(raw(NR_close, other), 0, "closing that channel");
	check_broker("using another channel");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = out_fd = (cloudabi_fd_t)guest_out_fd(ad);
	framing();
	authority();
	second_channel();
	exit(check_done());
}

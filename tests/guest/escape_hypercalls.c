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

/* Call numbers of src/protocol/hypercall.h (not in the guest's headers). */
#define HC_THREAD_CHANNEL 66
#define HC_FD_FETCH 71
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

/* esc_exchange with this test's reply buffer; keeps the reply's
 * descriptor and version. */
static int exchange(int channel, struct esc_request req, const void *body,
		    size_t body_len)
{
	struct esc_reply_info info;
	int err = esc_exchange(channel, req, body, body_len, reply_buf,
			       sizeof(reply_buf), &info);
	reply_fd = info.fd;
	reply_version = info.version;
	return err;
}

static struct esc_request header(uint16_t call, uint32_t length)
{
	return (struct esc_request){ESC_HC_MAGIC, version, call, ++seq, length};
}

static int fd_stat_get(int channel, uint32_t fd)
{
	struct fd_params p = {fd, 0};
	return exchange(channel, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)),
			&p, sizeof(p));
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
	CHECK_EQ(exchange(ch, h, &p, sizeof(p)), CLOUDABI_EINVAL,
		 "bad magic: EINVAL");
	version = reply_version;
	CHECK(version != 0, "the reply names the protocol version (%u)",
	      version);
	CHECK_EQ(fd_stat_get(ch, out_fd), 0,
		 "a well-formed forged fd_stat_get is answered (control)");
	h = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	h.version = (uint16_t)(version + 1);
	CHECK_EQ(exchange(ch, h, &p, sizeof(p)), CLOUDABI_EINVAL,
		 "bad version: EINVAL");
	CHECK_EQ(exchange(ch, header(HC_CALL_LIMIT - 1, sizeof(p)), &p,
			  sizeof(p)),
		 CLOUDABI_ENOSYS, "an unassigned call number: ENOSYS");
	CHECK_EQ(exchange(ch, header(0xffff, sizeof(p)), &p, sizeof(p)),
		 CLOUDABI_ENOSYS, "call number 0xffff: ENOSYS");
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, 0xffffffff), &p,
			  sizeof(p)),
		 CLOUDABI_EINVAL, "a length of 2^32-1 over 8 bytes: EINVAL");
	/* 16 + 0xfffffff8 is 8 in 32-bit arithmetic. */
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, 0xfffffff8), &p,
			  sizeof(p)),
		 CLOUDABI_EINVAL,
		 "a length that wraps around with the header: "
		 "EINVAL");
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, 4), &p, 4),
		 CLOUDABI_EINVAL,
		 "parameters shorter than the call's struct: "
		 "EINVAL");
	static unsigned char big[64];
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(big)),
			  big, sizeof(big)),
		 CLOUDABI_EINVAL, "a tail on a call that takes none: EINVAL");
	static unsigned char huge[HC_MAX_MESSAGE + 16];
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(huge)),
			  huge, sizeof(huge)),
		 CLOUDABI_EINVAL,
		 "a message beyond the maximum (truncated): "
		 "EINVAL");
	/* A truncated header: 8 of its 16 bytes. */
	struct esc_request whole = header(CLOUDABI_SYS_fd_stat_get, 8);
	CHECK_EQ(raw(NR_write, ch, &whole, 8), 8, "a half header is sent");
	struct l_iovec riov = {reply_buf, sizeof(reply_buf)};
	struct l_msghdr rmsg = {.iov = &riov, .iovlen = 1};
	CHECK_EQ(raw(NR_recvmsg, ch, &rmsg, 0), 24, "and answered");
	struct esc_reply rep;
	memcpy(&rep, reply_buf, sizeof(rep));
	CHECK_EQ(rep.error, CLOUDABI_EINVAL, "with EINVAL");
	check_broker("the framing attacks");
}

/* Transfers the shim forwards for a file still in the broker
 * (hc_fd.h): only regular files (the broker never blocks on a socket),
 * bounded lengths, exact tails. */
struct io_params {
	uint32_t fd, length;
	uint64_t offset;
};

static int forward(uint16_t call, uint32_t fd, uint32_t length, uint64_t offset,
		   size_t tail_len)
{
	static unsigned char body[sizeof(struct io_params) + 1];
	struct io_params p = {fd, length, offset};
	memcpy(body, &p, sizeof(p));
	body[sizeof(p)] = 'x';
	return exchange(ESC_FD_CHANNEL, header(call, sizeof(p) + tail_len),
			body, sizeof(p) + tail_len);
}

static void forwarded_io(void)
{
	cloudabi_fd_t pair[2];
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &pair[0], &pair[1]),
		 0, "a socket pair with nothing to read");
	CHECK_EQ(forward(CLOUDABI_SYS_fd_read, pair[0], 1, 0, 0),
		 CLOUDABI_EINVAL,
		 "a forwarded read of an empty socket: EINVAL, not a broker "
		 "blocked for good");
	CHECK_EQ(forward(CLOUDABI_SYS_fd_write, pair[0], 1, 0, 1),
		 CLOUDABI_EINVAL, "a forwarded write to a socket: EINVAL");
	CHECK_EQ(forward(CLOUDABI_SYS_fd_pread, 500, 1, 0, 0), CLOUDABI_EBADF,
		 "a forwarded pread of a number not held: EBADF");
	CHECK_EQ(forward(CLOUDABI_SYS_fd_read, pair[0], 16385, 0, 0),
		 CLOUDABI_EINVAL,
		 "a forwarded read of more than 16 KiB: EINVAL");
	CHECK_EQ(forward(CLOUDABI_SYS_fd_read, pair[0], 0, 1, 0),
		 CLOUDABI_EINVAL, "an offset on an unpositioned read: EINVAL");
	CHECK_EQ(forward(CLOUDABI_SYS_fd_write, pair[0], 8, 0, 1),
		 CLOUDABI_EINVAL,
		 "a forwarded write announcing 8 bytes with 1: EINVAL");
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

/* A request carrying a descriptor (SCM_RIGHTS) needs sendmsg, which the
 * filter refuses: nothing reaches the broker, and the channel stays in
 * step (the next request gets its own answer). */
static void descriptor_attached(int ch)
{
	struct fd_params p = {(uint32_t)out_fd, 0};
	struct esc_request req = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	struct l_iovec iov[2] = {{&req, sizeof(req)}, {&p, sizeof(p)}};
	struct l_cmsg_fd cmsg = {.len = 20,
				 .level = L_SOL_SOCKET,
				 .type = L_SCM_RIGHTS,
				 .fd = (int)out_fd};
	struct l_msghdr msg = {.iov = iov,
			       .iovlen = 2,
			       .control = &cmsg,
			       .controllen = sizeof(cmsg)};
	CHECK_EQ(raw(NR_sendmsg, ch, &msg, 0), -L_EPERM,
		 "a request carrying a descriptor (SCM_RIGHTS): the filter "
		 "refuses sendmsg (EPERM)");
	CHECK_EQ(fd_stat_get(ch, out_fd), 0,
		 "and the next request is answered as its own");
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
	descriptor_attached(ch);
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_fd_close, sizeof(p)),
			  &(struct fd_params){ESC_FD_CHANNEL, 0}, sizeof(p)),
		 CLOUDABI_EBADF, "fd_close of the channel: EBADF");
	/* fd_fetch hands out only what the guest holds (a copy of it). */
	CHECK_EQ(exchange(ch, header(HC_FD_FETCH, sizeof(p)),
			  &(struct fd_params){500, 0}, sizeof(p)),
		 CLOUDABI_EBADF,
		 "fd_fetch of a number the guest does not "
		 "hold: EBADF");
	CHECK(reply_fd < 0, "and no descriptor with it");
	CHECK_EQ(exchange(ch, header(HC_FD_FETCH, sizeof(p)),
			  &(struct fd_params){ESC_FD_CHANNEL, 0}, sizeof(p)),
		 CLOUDABI_EBADF, "fd_fetch of the channel's number: EBADF");
	CHECK_EQ(exchange(ch, header(HC_FD_FETCH, sizeof(p)), &p, sizeof(p)), 0,
		 "fd_fetch of a descriptor the guest holds is answered");
	CHECK(reply_fd >= 0, "with a copy of it attached");
	if (reply_fd >= 0)
		raw(NR_close, reply_fd);
	forwarded_io();

	/* Counts beyond their bounds. */
	struct {
		uint32_t fd, nfds, argdata_len, reserved;
	} exec = {(uint32_t)out_fd, 0xffffffff, 0, 0};
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_proc_exec, sizeof(exec)),
			  &exec, sizeof(exec)),
		 CLOUDABI_EINVAL,
		 "proc_exec announcing 2^32-1 descriptors: "
		 "EINVAL");
	exec.nfds = 0;
	exec.argdata_len = 0xffffffff;
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_proc_exec, sizeof(exec)),
			  &exec, sizeof(exec)),
		 CLOUDABI_EINVAL,
		 "proc_exec announcing 4 GiB of argdata: "
		 "EINVAL");
	struct {
		uint32_t dirfd, lookup_flags;
		uint16_t oflags, reserved;
		uint32_t path_len;
		cloudabi_fdstat_t fds;
	} open = {.dirfd = (uint32_t)out_fd, .path_len = 0xffffffff};
	CHECK_EQ(exchange(ch, header(CLOUDABI_SYS_file_open, sizeof(open) + 4),
			  &open, sizeof(open) + 4),
		 CLOUDABI_EINVAL,
		 "file_open announcing a 4 GiB path with 4 bytes: EINVAL");
	check_broker("the authority attacks");
}

/* One request whose reserved bytes at `at` (of `width` bytes) must be
 * zero: with them zero it is answered (anything but EINVAL), with a byte
 * set it is EINVAL. */
struct reserved_case {
	const char *name;
	uint16_t call;
	unsigned char body[128];
	size_t len;
	size_t at;
};

static void put32(unsigned char *b, size_t at, uint32_t v)
{
	memcpy(b + at, &v, sizeof(v));
}

static void put16(unsigned char *b, size_t at, uint16_t v)
{
	memcpy(b + at, &v, sizeof(v));
}

static void reserved_fields(void)
{
	const int ch = ESC_FD_CHANNEL;
	const uint32_t fd = (uint32_t)out_fd;
	const size_t filestat = sizeof(cloudabi_filestat_t);
	const size_t fdstat = sizeof(cloudabi_fdstat_t);
	static struct reserved_case cases[12];
	size_t n = 0;
	struct reserved_case *c;

	/* Calls on descriptor 500 (not held): EBADF once decoded. */
	static const uint16_t fd_calls[] = {
		CLOUDABI_SYS_fd_close,    CLOUDABI_SYS_fd_dup,
		CLOUDABI_SYS_fd_sync,     CLOUDABI_SYS_fd_datasync,
		CLOUDABI_SYS_fd_stat_get, CLOUDABI_SYS_file_stat_fget,
		68 /* PROC_STATUS */,     HC_FD_FETCH};
	for (size_t i = 0; i < sizeof(fd_calls) / sizeof(fd_calls[0]); i++) {
		unsigned char b[8] = {0};
		put32(b, 0, 500);
		int zero = exchange(ch, header(fd_calls[i], 8), b, 8);
		b[4] = 1;
		int set = exchange(ch, header(fd_calls[i], 8), b, 8);
		CHECK(zero != CLOUDABI_EINVAL && set == CLOUDABI_EINVAL,
		      "call %u: reserved word zero is answered (%d), set is "
		      "EINVAL (%d)",
		      fd_calls[i], zero, set);
	}

	c = &cases[n++]; /* file_advise {fd, advice, reserved[3], off, len} */
	*c = (struct reserved_case){
		"file_advise", CLOUDABI_SYS_file_advise, {0}, 24, 5};
	put32(c->body, 0, fd);
	c->body[4] = CLOUDABI_ADVICE_NORMAL;
	c = &cases[n++]; /* file_allocate {fd, reserved, off, len} */
	*c = (struct reserved_case){
		"file_allocate", CLOUDABI_SYS_file_allocate, {0}, 24, 4};
	put32(c->body, 0, fd);
	put32(c->body, 16, 1);
	c = &cases[n++]; /* file_create {fd, type, res[3], path_len, res2} */
	*c = (struct reserved_case){
		"file_create", CLOUDABI_SYS_file_create, {0}, 17, 12};
	put32(c->body, 0, fd);
	c->body[4] = CLOUDABI_FILETYPE_DIRECTORY;
	put32(c->body, 8, 1);
	c->body[16] = 'x';
	c = &cases[n++]; /* file_rename {fd1, lookup, fd2, len1, len2, res} */
	*c = (struct reserved_case){
		"file_rename", CLOUDABI_SYS_file_rename, {0}, 26, 20};
	put32(c->body, 0, fd);
	put32(c->body, 8, fd);
	put32(c->body, 12, 1);
	put32(c->body, 16, 1);
	c->body[24] = 'a';
	c->body[25] = 'b';
	c = &cases[n++]; /* file_open {dirfd, lookup, oflags, res, len, fds} */
	*c = (struct reserved_case){
		"file_open", CLOUDABI_SYS_file_open, {0}, 16 + fdstat + 1, 10};
	put32(c->body, 0, fd);
	put32(c->body, 12, 1);
	c->body[16 + fdstat] = 'x';
	c = &cases[n++]; /* file_readlink {fd, path_len, buf_len, res} */
	*c = (struct reserved_case){
		"file_readlink", CLOUDABI_SYS_file_readlink, {0}, 17, 12};
	put32(c->body, 0, fd);
	put32(c->body, 4, 1);
	put32(c->body, 8, 16);
	c->body[16] = 'x';
	c = &cases[n++]; /* file_stat_fput {fd, flags, res, stat} */
	*c = (struct reserved_case){"file_stat_fput",
				    CLOUDABI_SYS_file_stat_fput,
				    {0},
				    8 + filestat,
				    6};
	/* On a number not held (EBADF): answered on the test's own output,
	 * it would truncate the log this test writes to. */
	put32(c->body, 0, 500);
	put16(c->body, 4, CLOUDABI_FILESTAT_SIZE);
	c = &cases[n++]; /* file_stat_get {fd, lookup, path_len, res} */
	*c = (struct reserved_case){
		"file_stat_get", CLOUDABI_SYS_file_stat_get, {0}, 17, 12};
	put32(c->body, 0, fd);
	put32(c->body, 8, 1);
	c->body[16] = 'x';
	c = &cases[n++]; /* file_stat_put {fd, lookup, len, flags, res, st} */
	*c = (struct reserved_case){"file_stat_put",
				    CLOUDABI_SYS_file_stat_put,
				    {0},
				    16 + filestat + 1,
				    14};
	put32(c->body, 0, fd);
	put32(c->body, 8, 1);
	put16(c->body, 12, CLOUDABI_FILESTAT_MTIM_NOW);
	c->body[16 + filestat] = 'x';
	c = &cases[n++]; /* file_symlink {fd, len1, len2, res} */
	*c = (struct reserved_case){
		"file_symlink", CLOUDABI_SYS_file_symlink, {0}, 18, 12};
	put32(c->body, 0, fd);
	put32(c->body, 4, 1);
	put32(c->body, 8, 1);
	c->body[16] = 'a';
	c->body[17] = 'b';
	c = &cases[n++]; /* file_unlink {fd, flags, res[3], path_len, res2} */
	*c = (struct reserved_case){
		"file_unlink", CLOUDABI_SYS_file_unlink, {0}, 17, 12};
	put32(c->body, 0, fd);
	put32(c->body, 8, 1);
	c->body[16] = 'x';

	for (size_t i = 0; i < n; i++) {
		c = &cases[i];
		int zero = exchange(ch, header(c->call, (uint32_t)c->len),
				    c->body, c->len);
		c->body[c->at] = 1;
		int set = exchange(ch, header(c->call, (uint32_t)c->len),
				   c->body, c->len);
		CHECK(zero != CLOUDABI_EINVAL && zero != -1 &&
			      set == CLOUDABI_EINVAL,
		      "%s: reserved bytes zero are answered (%d), set are "
		      "EINVAL (%d)",
		      c->name, zero, set);
	}
	CHECK_EQ(fd_stat_get(ch, out_fd), 0,
		 "the guest's descriptor is untouched");
	check_broker("requests with reserved bytes set");
}

/* A second channel (what a new thread gets) carries the same authority,
 * no more. */
static void second_channel(void)
{
	struct {
		uint32_t flags, reserved;
	} p = {0, 0};
	int err = exchange(ESC_FD_CHANNEL, header(HC_THREAD_CHANNEL, sizeof(p)),
			   &p, sizeof(p));
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

/* A raw ppoll of one descriptor for `events`, at most sec + nsec: 1 when
 * it is ready (what happened in *revents), 0 at the time limit, -errno. */
static long poll_one(int fd, short events, long sec, long nsec, short *revents)
{
	struct {
		int fd;
		short events, revents;
	} pfd = {fd, events, 0};
	struct {
		long sec, nsec;
	} limit = {sec, nsec};
	long ready = raw(NR_ppoll, &pfd, 1, &limit, 0, 8);
	*revents = pfd.revents;
	return ready;
}

/*
 * A guest that sends requests on a channel without ever reading the
 * replies fills the broker's side of it.  The broker must not wait for
 * room (it would stop serving every process): it drops that channel, and
 * the guest's other channel is still answered at once.
 */
static void unread_replies(void)
{
	struct {
		uint32_t flags, reserved;
	} tc = {0, 0};
	int err = exchange(ESC_FD_CHANNEL,
			   header(HC_THREAD_CHANNEL, sizeof(tc)), &tc,
			   sizeof(tc));
	CHECK(err == 0 && reply_fd >= 0, "a channel to flood (err %d)", err);
	if (err != 0 || reply_fd < 0)
		return;
	int flood = reply_fd;
	struct fd_params p = {(uint32_t)out_fd, 0};
	/* Send until the broker stops taking requests (it is stuck, or it
	 * dropped the channel): a queue full for 300 ms, or an error.  The
	 * filter lets a guest send only blocking (sendto takes MSG_NOSIGNAL
	 * alone, sendmsg is refused), so the guest waits for room itself
	 * before each send, which then cannot block. */
	CHECK_EQ(raw(NR_sendto, flood, &p, sizeof(p),
		     L_MSG_NOSIGNAL | L_MSG_DONTWAIT, 0, 0),
		 -L_EPERM, "a non-blocking send is refused by the filter");
	long sent = 0, last = 0;
	while (sent < 100000) {
		short revents = 0;
		if (poll_one(flood, 4 /* POLLOUT */, 0, 300000000, &revents) ==
		    0) {
			last = -L_EAGAIN;
			break;
		}
		if (!(revents & 4)) {
			last = -L_EBADF; /* POLLHUP, POLLERR: dropped */
			break;
		}
		struct esc_request req = header(CLOUDABI_SYS_fd_stat_get,
						sizeof(p));
		struct {
			struct esc_request req;
			struct fd_params p;
		} message = {req, p};
		last = raw(NR_sendto, flood, &message, sizeof(message),
			   L_MSG_NOSIGNAL, 0, 0);
		if (last < 0)
			break;
		sent++;
	}
	CHECK(last < 0, "flooding one channel stops after %ld requests (%ld)",
	      sent, last);
	/* A forged fd_stat_get on the main channel, answered within 5 s. */
	struct esc_request req = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	CHECK_EQ(esc_send_request(ESC_FD_CHANNEL, &req, &p, sizeof(p)),
		 (long)(sizeof(req) + sizeof(p)), "a request on fd 1024");
	short revents = 0;
	CHECK_EQ(poll_one(ESC_FD_CHANNEL, 1 /* POLLIN */, 5, 0, &revents), 1,
		 "is answered while the flooded channel is full");
	/* Closing the flooded channel frees a broker stuck on it. */
	raw(NR_close, flood);
	struct l_iovec riov = {reply_buf, sizeof(reply_buf)};
	struct l_msghdr rmsg = {.iov = &riov, .iovlen = 1};
	CHECK_EQ(raw(NR_recvmsg, ESC_FD_CHANNEL, &rmsg, 0), 24 + 24,
		 "with its fd_stat_get reply");
	check_broker("a channel flooded with unread replies");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = out_fd = (cloudabi_fd_t)guest_out_fd(ad);
	framing();
	authority();
	reserved_fields();
	second_channel();
	unread_replies();
	exit(check_done());
}

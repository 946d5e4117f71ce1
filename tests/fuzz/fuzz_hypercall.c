/* fuzz_hypercall.c: libFuzzer harness: the broker's decoder and every hypercall handler on arbitrary messages from a guest holding real capabilities. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/grant.h"
#include "broker/inflight/inflight.h"
#include "broker/sandbox.h"

/*
 * Every input gets a fresh world: a scratch directory (a file and a
 * subdirectory in it) under one temporary directory, a sandbox with one
 * guest holding
 *   0  the scratch directory (full rights)
 *   1  the file in it (full rights)
 *   2  the same file, read-only
 *   3  one end of a stream socketpair (the harness holds the other end,
 *      with a message carrying a descriptor from outside queued on it)
 *   4  one end of a datagram socketpair
 * and a SOCK_SEQPACKET channel.  Paths resolve beneath the scratch
 * directory only; writes are capped with RLIMIT_FSIZE.
 *
 * The input is a list of messages, each
 *   u8 call, u8 mode, u16 length (little endian), length bytes
 * Mode bit 0 clear: the harness writes a valid header (magic, version,
 * call, a sequence number, length) and the bytes are the parameters; set:
 * the bytes are the whole message, header included, so the decoder sees
 * anything.  Mode bit 1: a descriptor is attached (SCM_RIGHTS).  Each
 * message is sent on the guest's side, served with dispatch_one, and its
 * reply read and checked.  Afterwards everything is torn down and the
 * process must hold no descriptor it did not hold before the input.
 */

#define MUST(cond)                                                             \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static char base[64];    /* the temporary directory */
static char scratch[96]; /* base/s: one per input */
/* Descriptors open before an input (the fuzzer's own come and go). */
#define FD_SNAPSHOT_MAX 8192
static unsigned char open_before[FD_SNAPSHOT_MAX];

/* Calls fn for every open descriptor of the process. */
static void each_fd(void (*fn)(int fd))
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	MUST(d != NULL);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.')
			fn(atoi(e->d_name));
	}
	closedir(d);
}

static void note_open(int fd)
{
	if (fd >= 0 && fd < FD_SNAPSHOT_MAX)
		open_before[fd] = 1;
}

/* A descriptor the input left open is a leak in the broker. */
static void must_have_been_open(int fd)
{
	MUST(fd >= 0 && fd < FD_SNAPSHOT_MAX && open_before[fd]);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* The guest may have left a directory without search permission. */
	if (flag == FTW_DNR)
		chmod(path, 0700);
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

static void remove_scratch(void)
{
	/* Two passes: the first may have had to restore permissions. */
	if (nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_scratch(void)
{
	char path[160];
	int fd;

	MUST(mkdir(scratch, 0700) == 0);
	snprintf(path, sizeof(path), "%s/file", scratch);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	MUST(fd >= 0 && write(fd, "hello\n", 6) == 6);
	close(fd);
	snprintf(path, sizeof(path), "%s/dir", scratch);
	MUST(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/link", scratch);
	MUST(symlink("file", path) == 0);
}

/* The temporary directory is empty between inputs. */
static void remove_base(void)
{
	rmdir(base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	struct rlimit fsize = {1 << 20, 1 << 20};

	snprintf(base, sizeof(base), "%s/capbox-fuzz-XXXXXX",
		 tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	MUST(mkdtemp(base) != NULL);
	atexit(remove_base);
	snprintf(scratch, sizeof(scratch), "%s/s", base);
	/* Bounded writes: a file_allocate of 2^62 bytes gets EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	MUST(setrlimit(RLIMIT_FSIZE, &fsize) == 0);
	return 0;
}

/* Reads every reply waiting on the guest's side; checks each and closes
 * the descriptors it carries.  Returns how many were read. */
static int drain(int guest_side, uint16_t call, uint32_t seq)
{
	int replies = 0;
	for (;;) {
		_Alignas(16) unsigned char buf[CAPBOX_HC_MAX_MESSAGE + 16];
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int) *
					    (CAPBOX_HC_MAX_FDS + 1))];
		} control;
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr msg = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = control.buf,
			.msg_controllen = sizeof(control.buf),
		};
		ssize_t n = recvmsg(guest_side, &msg,
				    MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0) {
			MUST(errno == EAGAIN);
			return replies;
		}
		if (n == 0)
			return replies;
		replies++;
		size_t nfds = 0;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
		     c = CMSG_NXTHDR(&msg, c)) {
			MUST(c->cmsg_level == SOL_SOCKET &&
			     c->cmsg_type == SCM_RIGHTS);
			size_t count = (c->cmsg_len - CMSG_LEN(0)) /
				       sizeof(int);
			int fds[CAPBOX_HC_MAX_FDS + 1];
			MUST(count <= CAPBOX_HC_MAX_FDS);
			memcpy(fds, CMSG_DATA(c), count * sizeof(int));
			for (size_t i = 0; i < count; i++)
				close(fds[i]);
			nfds += count;
		}
		/* One well-formed reply per request, as announced. */
		struct capbox_hc_reply rep;
		MUST((size_t)n >= sizeof(rep) && !(msg.msg_flags & MSG_TRUNC) &&
		     !(msg.msg_flags & MSG_CTRUNC));
		memcpy(&rep, buf, sizeof(rep));
		MUST(rep.magic == CAPBOX_HC_MAGIC &&
		     rep.version == CAPBOX_HC_VERSION);
		MUST(rep.length == (size_t)n - sizeof(rep));
		MUST(rep.nfds == nfds);
		MUST(rep.error == 0 || (rep.length == 0 && rep.nfds == 0));
		if (call != UINT16_MAX)
			MUST(rep.call == call && rep.seq == seq);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sandbox sb;
	struct guest *g;
	char path[160];
	int ch[2], st[2], dg[2];
	cloudabi_fd_t fd;
	const struct grant_rights read_only = {.read_only = true};

	memset(open_before, 0, sizeof(open_before));
	each_fd(note_open);
	make_scratch();
	MUST(sandbox_init(&sb) == 0);
	g = guest_new();
	MUST(g != NULL);
	MUST(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, st) == 0);
	MUST(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, dg) == 0);
	MUST(grant_path(g, NULL, scratch, NULL, &fd) == 0 && fd == 0);
	snprintf(path, sizeof(path), "%s/file", scratch);
	MUST(grant_path(g, NULL, path, NULL, &fd) == 0 && fd == 1);
	MUST(grant_path(g, NULL, path, &read_only, &fd) == 0 && fd == 2);
	MUST(grant_host_fd(g, NULL, st[0], "stream", &fd) == 0 && fd == 3);
	MUST(grant_host_fd(g, NULL, dg[0], "dgram", &fd) == 0 && fd == 4);
	close(st[0]);
	close(dg[0]);
	/* Something to receive: data and a descriptor nobody recorded. */
	{
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int))];
		} control;
		struct iovec iov = {"xyz", 3};
		struct msghdr msg = {.msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = control.buf,
				     .msg_controllen = sizeof(control.buf)};
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &devnull, sizeof(int));
		MUST(devnull >= 0 && sendmsg(st[1], &msg, 0) == 3);
		MUST(send(dg[1], "datagram", 8, 0) == 8);
		close(devnull);
	}
	MUST(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ch) == 0);
	g->channel = ch[0];
	MUST(sandbox_add_guest(&sb, g) == 0);

	/* The channel's mailbox (the sandbox's own, so that the closes it
	 * lists are carried out), once an input attaches one. */
	struct mailbox *mb = sandbox_channel_mailbox(&sb, ch[0]);
	MUST(mb != NULL);
	uint32_t seq = 0;
	size_t off = 0;
	while (off + 4 <= size && !g->exited) {
		uint8_t call = data[off], mode = data[off + 1];
		size_t len = (size_t)data[off + 2] | (size_t)data[off + 3] << 8;
		off += 4;
		if (len > size - off)
			len = size - off;
		_Alignas(16) unsigned char
			msgbuf[sizeof(struct capbox_hc_request) + 65536];
		size_t n = 0;
		uint16_t want_call = UINT16_MAX;
		if (mode & 1) {
			memcpy(msgbuf, data + off, len);
			n = len;
		} else {
			struct capbox_hc_request req = {
				.magic = CAPBOX_HC_MAGIC,
				.version = CAPBOX_HC_VERSION,
				.call = call,
				.seq = ++seq,
				.length = (uint32_t)len,
			};
			memcpy(msgbuf, &req, sizeof(req));
			memcpy(msgbuf + sizeof(req), data + off, len);
			n = sizeof(req) + len;
			want_call = call;
		}
		off += len;
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int))];
		} control;
		struct iovec iov = {msgbuf, n};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
		int extra = -1;
		if (mode & 2) {
			extra = open("/dev/null", O_RDONLY | O_CLOEXEC);
			MUST(extra >= 0);
			msg.msg_control = control.buf;
			msg.msg_controllen = sizeof(control.buf);
			struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &extra, sizeof(int));
		}
		ssize_t sent = sendmsg(ch[1], &msg,
				       MSG_DONTWAIT | MSG_NOSIGNAL);
		if (extra >= 0)
			close(extra);
		if (sent < 0) {
			/* Larger than the socket takes: nothing to serve. */
			MUST(errno == EMSGSIZE || errno == ENOBUFS);
			continue;
		}
		int r = dispatch_one(g, ch[0], mb);
		int replies = drain(ch[1], want_call, seq);
		if (r <= 0)
			break; /* the broker would drop this channel */
		/* A message got exactly one reply (a message too long for the
		 * broker's buffer too); the decoder never stays silent.  A
		 * doorbell is answered in the mailbox (if any), not here. */
		bool doorbell = want_call == CAPBOX_HC_MAILBOX_DOORBELL &&
				len == 0 && extra < 0;
		MUST(replies == (doorbell ? 0 : 1));

		/* The same bytes through the mailbox: one reply there, with
		 * the request's seq. */
		if ((mode & 4) && mb->base != NULL) {
			struct capbox_hc_mailbox_control *c =
				(struct capbox_hc_mailbox_control *)mb->base;
			memcpy(mb->base + CAPBOX_HC_MAILBOX_REQUEST, msgbuf,
			       n < CAPBOX_HC_MAX_MESSAGE
				       ? n
				       : CAPBOX_HC_MAX_MESSAGE);
			/* Mode 8: the input's bytes also name descriptors the
			 * guest says it closed, with a head of its choosing. */
			if ((mode & 8) && len >= 4) {
				memcpy(c->closed, data + off - len,
				       len < sizeof(c->closed)
					       ? len
					       : sizeof(c->closed));
				memcpy(&c->closes_head, data + off - len, 4);
			}
			/* The copy overwrote the publishing seq word with the
			 * input's: publish it as a new request. */
			*capbox_hc_mailbox_request_seq(mb->base) = mb->served +
								   1;
			MUST(dispatch_mailbox(g, ch[0], mb) == 1);
			drain(ch[1], UINT16_MAX, 0);
			struct capbox_hc_reply rep;
			memcpy(&rep, mb->base + CAPBOX_HC_MAILBOX_REPLY,
			       sizeof(rep));
			MUST(rep.magic == CAPBOX_HC_MAGIC &&
			     *capbox_hc_mailbox_reply_seq(mb->base) ==
				     rep.seq &&
			     rep.length <= CAPBOX_HC_MAX_MESSAGE - sizeof(rep));
			MUST(!mailbox_pending(mb));
		}
	}

	close(ch[1]);
	close(st[1]);
	close(dg[1]);
	inflight_clear();
	sandbox_destroy(&sb);
	remove_scratch();
	/* Nothing the handlers opened may outlive the sandbox. */
	each_fd(must_have_been_open);
	return 0;
}

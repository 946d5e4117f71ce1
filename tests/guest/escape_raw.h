/* escape_raw.h: raw Linux system calls, their x86-64 numbers and the hypercall wire header, for the escape suite's hostile guests. */
#ifndef CAPBOX_TESTS_ESCAPE_RAW_H
#define CAPBOX_TESTS_ESCAPE_RAW_H

#include <stdint.h>

/*
 * A hostile program does not need the vDSO: it can execute `syscall`
 * itself.  These helpers do exactly that and return the kernel's raw
 * result (>= 0, or -errno).  Numbers: arch/x86/entry/syscalls/syscall_64.tbl.
 */
static inline long raw6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define raw(n, ...) raw_n_(n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define raw_n_(n, a, b, c, d, e, f, ...)                                       \
	raw6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e),       \
	     (long)(f))

enum {
	NR_read = 0,
	NR_write = 1,
	NR_open = 2,
	NR_close = 3,
	NR_stat = 4,
	NR_mmap = 9,
	NR_mprotect = 10,
	NR_ioctl = 16,
	NR_pwrite64 = 18,
	NR_writev = 20,
	NR_access = 21,
	NR_dup = 32,
	NR_dup2 = 33,
	NR_getpid = 39,
	NR_socket = 41,
	NR_connect = 42,
	NR_sendto = 44,
	NR_recvfrom = 45,
	NR_sendmsg = 46,
	NR_recvmsg = 47,
	NR_bind = 49,
	NR_listen = 50,
	NR_getsockname = 51,
	NR_getpeername = 52,
	NR_sendmmsg = 307,
	NR_socketpair = 53,
	NR_clone = 56,
	NR_fork = 57,
	NR_vfork = 58,
	NR_execve = 59,
	NR_kill = 62,
	NR_fcntl = 72,
	NR_accept4 = 288,
	NR_truncate = 76,
	NR_chdir = 80,
	NR_fchdir = 81,
	NR_rename = 82,
	NR_mkdir = 83,
	NR_link = 86,
	NR_unlink = 87,
	NR_symlink = 88,
	NR_readlink = 89,
	NR_chmod = 90,
	NR_chown = 92,
	NR_ptrace = 101,
	NR_getuid = 102,
	NR_setuid = 105,
	NR_setgroups = 116,
	NR_setresuid = 117,
	NR_setresgid = 119,
	NR_capset = 126,
	NR_getppid = 110,
	NR_setsid = 112,
	NR_rt_sigqueueinfo = 129,
	NR_mknod = 133,
	NR_personality = 135,
	NR_prctl = 157,
	NR_arch_prctl = 158,
	NR_setrlimit = 160,
	NR_chroot = 161,
	NR_mount = 165,
	NR_umount2 = 166,
	NR_pivot_root = 155,
	NR_tkill = 200,
	NR_futex = 202,
	NR_tgkill = 234,
	NR_add_key = 248,
	NR_request_key = 249,
	NR_keyctl = 250,
	NR_inotify_add_watch = 254,
	NR_openat = 257,
	NR_mkdirat = 258,
	NR_newfstatat = 262,
	NR_unlinkat = 263,
	NR_renameat = 264,
	NR_linkat = 265,
	NR_symlinkat = 266,
	NR_readlinkat = 267,
	NR_faccessat = 269,
	NR_unshare = 272,
	NR_perf_event_open = 298,
	NR_fanotify_init = 300,
	NR_prlimit64 = 302,
	NR_open_by_handle_at = 304,
	NR_setns = 308,
	NR_process_vm_readv = 310,
	NR_process_vm_writev = 311,
	NR_memfd_create = 319,
	NR_bpf = 321,
	NR_execveat = 322,
	NR_userfaultfd = 323,
	NR_statx = 332,
	NR_io_uring_setup = 425,
	NR_io_uring_enter = 426,
	NR_io_uring_register = 427,
	NR_open_tree = 428,
	NR_fsopen = 430,
	NR_pidfd_open = 434,
	NR_clone3 = 435,
	NR_openat2 = 437,
	NR_pidfd_getfd = 438,
	NR_landlock_create_ruleset = 444,
	NR_seccomp = 317,
	NR_mremap = 25,
	NR_madvise = 28,
	NR_getdents64 = 217,
	NR_sched_yield = 24,
	NR_ftruncate = 77,
	NR_ppoll = 271,
	NR_clock_nanosleep = 230,
	NR_dup3 = 292,
	NR_pkey_mprotect = 329,
};

/* Linux errno values the suite expects (asm-generic/errno-base.h). */
enum {
	L_EPERM = 1,
	L_ENOENT = 2,
	L_EBADF = 9,
	L_EAGAIN = 11,
	L_ENOMEM = 12,
	L_EACCES = 13,
	L_EINVAL = 22,
};

/* The hypercall framing as it travels on the channel; the authority is
 * src/protocol/hypercall.h, which a guest cannot include.  The version is
 * learnt from a reply (tests/guest/escape_hypercalls.c). */
#define ESC_FD_CHANNEL 1024
#define ESC_FD_SHIM 1027
#define ESC_HC_MAGIC UINT32_C(0x78626163)

struct esc_request {
	uint32_t magic;
	uint16_t version;
	uint16_t call;
	uint32_t seq;
	uint32_t length;
};

struct esc_reply {
	uint32_t magic;
	uint16_t version;
	uint16_t call;
	uint32_t seq;
	uint32_t length;
	uint16_t error;
	uint16_t nfds;
	uint32_t reserved;
};

/* A channel's shared-memory mailbox (src/protocol/hc_mailbox.h): control
 * words on the first page, then the request and reply areas. */
#define ESC_HC_MAILBOX_ATTACH 69
#define ESC_HC_MAILBOX_DOORBELL 70
#define ESC_MAILBOX_REQUEST 4096
#define ESC_MAILBOX_REPLY (4096 + 32768)
#define ESC_MAILBOX_SIZE (4096 + 2 * 32768)
/* A message is published by its header's seq word (offset 8). */
#define ESC_MAILBOX_REQUEST_SEQ (ESC_MAILBOX_REQUEST + 8)
#define ESC_MAILBOX_REPLY_SEQ (ESC_MAILBOX_REPLY + 8)

_Static_assert(sizeof(struct esc_request) == 16, "request header");
_Static_assert(sizeof(struct esc_reply) == 24, "reply header");

/* Linux's struct msghdr, iovec and a one-descriptor cmsghdr on x86-64. */
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
#define L_MSG_NOSIGNAL 0x4000

/* sendmsg(sock, "x" + SCM_RIGHTS {fd}) as a raw system call: a guest
 * sending a kernel descriptor behind the broker's back.  The filter
 * refuses sendmsg (-L_EPERM), whatever it carries. */
static inline long esc_send_fd(int sock, int fd)
{
	static const char byte = 'x';
	struct l_iovec iov = {&byte, 1};
	struct l_cmsg_fd cmsg = {.len = sizeof(size_t) + 3 * sizeof(int),
				 .level = L_SOL_SOCKET,
				 .type = L_SCM_RIGHTS,
				 .fd = fd};
	struct l_msghdr msg = {.iov = &iov,
			       .iovlen = 1,
			       .control = &cmsg,
			       .controllen = sizeof(cmsg)};
	return raw(NR_sendmsg, sock, &msg, 0);
}

/* recvmsg(sock) as a raw system call, behind the broker's back: the
 * received descriptor (or -1) in *fd; the byte count or -errno. */
static inline long esc_recv_fd(int sock, int *fd)
{
	char buf[64];
	struct l_iovec iov = {buf, sizeof(buf)};
	struct l_cmsg_fd cmsg = {0};
	struct l_msghdr msg = {.iov = &iov,
			       .iovlen = 1,
			       .control = &cmsg,
			       .controllen = sizeof(cmsg)};
	long n = raw(NR_recvmsg, sock, &msg, L_MSG_DONTWAIT);
	*fd = n >= 0 && msg.controllen >= 20 && cmsg.type == L_SCM_RIGHTS
		      ? cmsg.fd
		      : -1;
	return n;
}

/* What came back from one forged hypercall. */
struct esc_reply_info {
	int fd;           /* the descriptor attached to the reply, or -1 */
	uint16_t version; /* the protocol version the broker answered with */
};

/* Sends req + body as one message on channel with writev, as the shim
 * does (the filter refuses sendmsg); the byte count or -errno. */
static inline long esc_send_request(int channel, const struct esc_request *req,
				    const void *body, size_t body_len)
{
	struct l_iovec iov[2] = {{req, sizeof(*req)}, {body, body_len}};
	return raw(NR_writev, channel, iov, body_len > 0 ? 2 : 1);
}

/* Sends req + body on channel and waits for the reply, which lands in buf;
 * returns the reply's error, or -1 when no well-formed reply came back. */
static inline int esc_exchange(int channel, struct esc_request req,
			       const void *body, size_t body_len,
			       unsigned char *buf, size_t cap,
			       struct esc_reply_info *info)
{
	info->fd = -1;
	if (esc_send_request(channel, &req, body, body_len) < 0)
		return -1;
	struct l_iovec riov = {buf, cap};
	struct l_cmsg_fd rcmsg = {0};
	struct l_msghdr rmsg = {.iov = &riov,
				.iovlen = 1,
				.control = &rcmsg,
				.controllen = sizeof(rcmsg)};
	long n = raw(NR_recvmsg, channel, &rmsg, 0);
	struct esc_reply rep;
	if (n < (long)sizeof(rep))
		return -1;
	__builtin_memcpy(&rep, buf, sizeof(rep));
	info->version = rep.version;
	if (rmsg.controllen >= 20 && rcmsg.type == L_SCM_RIGHTS)
		info->fd = rcmsg.fd;
	if (rep.magic != ESC_HC_MAGIC)
		return -1;
	return rep.error;
}

#endif

/* linux.h: raw Linux system calls for the freestanding shim (no libc). */
#ifndef CAPBOX_SHIM_LINUX_H
#define CAPBOX_SHIM_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/time.h>
#include <linux/time_types.h>

/* Each returns the kernel's raw result: >= 0, or -errno. */
static inline long linux_syscall6(long n, long a, long b, long c, long d,
				  long e, long f)
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

#define linux_syscall0(n) linux_syscall6((n), 0, 0, 0, 0, 0, 0)
#define linux_syscall1(n, a) linux_syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define linux_syscall2(n, a, b)                                                \
	linux_syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define linux_syscall3(n, a, b, c)                                             \
	linux_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define linux_syscall4(n, a, b, c, d)                                          \
	linux_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define linux_syscall5(n, a, b, c, d, e)                                       \
	linux_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d),        \
		       (long)(e), 0)

static inline int linux_is_error(long ret)
{
	return ret < 0 && ret > -4096;
}

static inline void *linux_mmap(void *addr, size_t len, int prot, int flags,
			       int fd, uint64_t off)
{
	return (void *)linux_syscall6(__NR_mmap, (long)addr, (long)len, prot,
				      flags, fd, (long)off);
}

static inline int linux_mmap_failed(const void *p)
{
	return linux_is_error((long)p);
}

/* The kernel's message header (not in the uapi headers); msg_iov points
 * at struct iovec entries (CloudABI's iovecs have the same layout). */
struct linux_msghdr {
	void *msg_name;
	int msg_namelen;
	const void *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};

/* Socket levels, control message types and message flags of sendmsg and
 * recvmsg (in the libc headers only). */
#define LINUX_SOL_SOCKET 1
#define LINUX_SCM_RIGHTS 1
#define LINUX_MSG_PEEK 0x2
#define LINUX_MSG_CTRUNC 0x08
#define LINUX_MSG_TRUNC 0x20
#define LINUX_MSG_DONTWAIT 0x40
#define LINUX_MSG_WAITALL 0x100
#define LINUX_MSG_NOSIGNAL 0x4000
#define LINUX_MSG_CMSG_CLOEXEC 0x40000000

__attribute__((noreturn)) static inline void linux_exit_group(int status)
{
	for (;;)
		linux_syscall1(__NR_exit_group, status);
}

#endif

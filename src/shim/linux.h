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

__attribute__((noreturn)) static inline void linux_exit_group(int status)
{
	for (;;)
		linux_syscall1(__NR_exit_group, status);
}

#endif

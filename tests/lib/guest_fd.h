/* guest_fd.h: descriptor helpers shared by the fd_* and sock_* guest tests: text in and out, fd_stat_get/put, and raw Linux reads and writes that bypass the shim. */
#ifndef CAPBOX_TESTS_GUEST_FD_H
#define CAPBOX_TESTS_GUEST_FD_H

#include <cloudabi_syscalls.h>
#include <string.h>

#define LINUX_WRITE 1
#define LINUX_READV 19

/* A raw Linux system call, bypassing the shim and its rights checks (the
 * seccomp filter lets readv and write through); the kernel's result,
 * >= 0 or -errno. */
static inline long raw3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long raw_write(cloudabi_fd_t fd, const void *buf, size_t len)
{
	return raw3(LINUX_WRITE, fd, (long)buf, (long)len);
}

static inline long raw_read(cloudabi_fd_t fd, void *buf, size_t len)
{
	cloudabi_iovec_t iov = {buf, len};
	return raw3(LINUX_READV, fd, (long)&iov, 1);
}

/* Writes text with one fd_write. */
static inline cloudabi_errno_t put(cloudabi_fd_t fd, const char *text)
{
	cloudabi_ciovec_t iov = {text, strlen(text)};
	size_t n;
	return cloudabi_sys_fd_write(fd, &iov, 1, &n);
}

/* Reads up to len bytes with one fd_read; *n is how many (0 on error). */
static inline cloudabi_errno_t get(cloudabi_fd_t fd, char *buf, size_t len,
				   size_t *n)
{
	cloudabi_iovec_t iov = {buf, len};
	*n = 0;
	return cloudabi_sys_fd_read(fd, &iov, 1, n);
}

/* fd_stat_get's answer (all zero on error); *err, unless NULL, is the
 * error. */
static inline cloudabi_fdstat_t stat_of(cloudabi_fd_t fd, cloudabi_errno_t *err)
{
	cloudabi_fdstat_t st;
	memset(&st, 0, sizeof(st));
	cloudabi_errno_t e = cloudabi_sys_fd_stat_get(fd, &st);
	if (err != NULL)
		*err = e;
	return st;
}

/* fd_stat_put of the rights alone. */
static inline cloudabi_errno_t put_rights(cloudabi_fd_t fd,
					  cloudabi_rights_t base,
					  cloudabi_rights_t inheriting)
{
	cloudabi_fdstat_t st = {.fs_rights_base = base,
				.fs_rights_inheriting = inheriting};
	return cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_RIGHTS);
}

#endif

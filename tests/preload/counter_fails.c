/* counter_fails.c: preloaded into capbox, makes every read of the cgroup file named by CAPBOX_TEST_UNREADABLE fail with EIO, and every open of the one named by CAPBOX_TEST_UNOPENABLE with EACCES, so that a test can show the broker ends or refuses the sandbox rather than leave a budget unchecked. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Whether path's last component is the file the variable names. */
static int names(const char *variable, const char *path)
{
	const char *name = getenv(variable);
	if (name == NULL || *name == '\0' || path == NULL)
		return 0;
	const char *base = strrchr(path, '/');
	return strcmp(base != NULL ? base + 1 : path, name) == 0;
}

/* Whether fd is open on the file CAPBOX_TEST_UNREADABLE names. */
static int is_unreadable(int fd)
{
	if (getenv("CAPBOX_TEST_UNREADABLE") == NULL)
		return 0;
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return names("CAPBOX_TEST_UNREADABLE", path);
}

/* The C library's own definition of symbol, or NULL with errno set. */
static void *next(const char *symbol)
{
	void *fn = dlsym(RTLD_NEXT, symbol);
	if (fn == NULL)
		errno = ENOSYS;
	return fn;
}

/* -1 with errno err: the failure asked for. */
static int fail(int err)
{
	errno = err;
	return -1;
}

typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef int (*openat_fn)(int, const char *, int, ...);

static ssize_t read_at(const char *symbol, int fd, void *buf, size_t n,
		       off_t offset)
{
	if (is_unreadable(fd))
		return fail(EIO);
	pread_fn real = (pread_fn)next(symbol);
	return real == NULL ? -1 : real(fd, buf, n, offset);
}

ssize_t pread(int fd, void *buf, size_t n, off_t offset)
{
	return read_at("pread", fd, buf, n, offset);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t offset)
{
	return read_at("pread64", fd, buf, n, offset);
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (is_unreadable(fd))
		return fail(EIO);
	read_fn real = (read_fn)next("read");
	return real == NULL ? -1 : real(fd, buf, n);
}

static int open_at(const char *symbol, int dir, const char *path, int flags,
		   va_list ap)
{
	/* The mode is there only with O_CREAT or O_TMPFILE. */
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) != 0
			      ? (mode_t)va_arg(ap, int)
			      : 0;
	if (names("CAPBOX_TEST_UNOPENABLE", path))
		return fail(EACCES);
	openat_fn real = (openat_fn)next(symbol);
	return real == NULL ? -1 : real(dir, path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int fd = open_at("openat", dir, path, flags, ap);
	va_end(ap);
	return fd;
}

int openat64(int dir, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int fd = open_at("openat64", dir, path, flags, ap);
	va_end(ap);
	return fd;
}

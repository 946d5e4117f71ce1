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

typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);

static ssize_t unless_unreadable(const char *symbol, int fd, void *buf,
				 size_t n, off_t offset)
{
	if (is_unreadable(fd)) {
		errno = EIO;
		return -1;
	}
	pread_fn real = (pread_fn)dlsym(RTLD_NEXT, symbol);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(fd, buf, n, offset);
}

ssize_t pread(int fd, void *buf, size_t n, off_t offset)
{
	return unless_unreadable("pread", fd, buf, n, offset);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t offset)
{
	return unless_unreadable("pread64", fd, buf, n, offset);
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (is_unreadable(fd)) {
		errno = EIO;
		return -1;
	}
	ssize_t (*real)(int, void *, size_t) =
		(ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(fd, buf, n);
}

typedef int (*openat_fn)(int, const char *, int, ...);

static int unless_unopenable(const char *symbol, int dir, const char *path,
			     int flags, mode_t mode)
{
	if (names("CAPBOX_TEST_UNOPENABLE", path)) {
		errno = EACCES;
		return -1;
	}
	openat_fn real = (openat_fn)dlsym(RTLD_NEXT, symbol);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(dir, path, flags, mode);
}

/* The mode is there only with O_CREAT or O_TMPFILE. */
static mode_t mode_of(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) != 0 ? (mode_t)va_arg(ap, int)
						    : 0;
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_of(flags, ap);
	va_end(ap);
	return unless_unopenable("openat", dir, path, flags, mode);
}

int openat64(int dir, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_of(flags, ap);
	va_end(ap);
	return unless_unopenable("openat64", dir, path, flags, mode);
}

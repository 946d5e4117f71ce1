/* counter_fails.c: preloaded into capbox, makes every read of the cgroup file named by CAPBOX_TEST_UNREADABLE fail with EIO, so that a test can show the broker ends the sandbox rather than leave a budget unchecked. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Whether fd is open on a file whose last path component is the one
 * CAPBOX_TEST_UNREADABLE names. */
static int is_unreadable(int fd)
{
	const char *name = getenv("CAPBOX_TEST_UNREADABLE");
	if (name == NULL || *name == '\0')
		return 0;
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	const char *base = strrchr(path, '/');
	return base != NULL && strcmp(base + 1, name) == 0;
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

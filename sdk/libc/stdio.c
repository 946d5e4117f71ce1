/* stdio.c: dprintf/vdprintf (buffered fd_write) and snprintf/vsnprintf on top of the format engine. */
#include <cloudabi_syscalls.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capbox_internal.h"

/* ---- to a file descriptor ---- */

struct fd_sink {
	struct capbox_sink sink; /* first: the engine passes &sink */
	cloudabi_fd_t fd;
	cloudabi_errno_t error; /* first write error; later output dropped */
	size_t used;
	char buf[512];
};

static void fd_sink_flush(struct fd_sink *s)
{
	const char *p = s->buf;
	size_t left = s->used;

	s->used = 0;
	while (left > 0 && s->error == 0) {
		cloudabi_ciovec_t iov = {.buf = p, .buf_len = left};
		size_t n = 0;
		cloudabi_errno_t err = cloudabi_sys_fd_write(s->fd, &iov, 1,
							     &n);
		if (err != 0)
			s->error = err;
		else if (n == 0 || n > left)
			s->error = CLOUDABI_EIO; /* no progress: give up */
		else {
			p += n;
			left -= n;
		}
	}
}

static void fd_sink_put(struct capbox_sink *sink, const char *data, size_t len)
{
	struct fd_sink *s = (struct fd_sink *)sink;

	while (len > 0 && s->error == 0) {
		size_t room = sizeof(s->buf) - s->used;
		size_t chunk = len < room ? len : room;
		memcpy(s->buf + s->used, data, chunk);
		s->used += chunk;
		data += chunk;
		len -= chunk;
		if (s->used == sizeof(s->buf))
			fd_sink_flush(s);
	}
}

int vdprintf(int fd, const char *restrict format, va_list ap)
{
	struct fd_sink s = {.sink = {.put = fd_sink_put},
			    .fd = (cloudabi_fd_t)fd};
	size_t total;

	int err = __capbox_vformat(&s.sink, &total, format, ap);
	if (err == 0)
		fd_sink_flush(&s);
	if (err == 0 && s.error != 0)
		err = s.error;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return (int)total;
}

int dprintf(int fd, const char *restrict format, ...)
{
	va_list ap;

	va_start(ap, format);
	int r = vdprintf(fd, format, ap);
	va_end(ap);
	return r;
}

/* ---- to a buffer ---- */

struct buf_sink {
	struct capbox_sink sink; /* first: the engine passes &sink */
	char *buf;
	size_t cap; /* bytes that may still be stored, excluding the NUL */
};

static void buf_sink_put(struct capbox_sink *sink, const char *data, size_t len)
{
	struct buf_sink *s = (struct buf_sink *)sink;
	size_t chunk = len < s->cap ? len : s->cap;

	memcpy(s->buf, data, chunk);
	s->buf += chunk;
	s->cap -= chunk;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict format,
	      va_list ap)
{
	struct buf_sink s = {.sink = {.put = buf_sink_put},
			     .buf = buf,
			     .cap = size > 0 ? size - 1 : 0};
	size_t total;

	int err = __capbox_vformat(&s.sink, &total, format, ap);
	if (size > 0)
		*s.buf = '\0';
	if (err != 0) {
		errno = err;
		return -1;
	}
	return (int)total;
}

int snprintf(char *restrict buf, size_t size, const char *restrict format, ...)
{
	va_list ap;

	va_start(ap, format);
	int r = vsnprintf(buf, size, format, ap);
	va_end(ap);
	return r;
}

/* stdio.h: formatted output of the capbox guest SDK (to a file descriptor or a buffer; no FILE streams). */
#ifndef CAPBOX_SDK_STDIO_H
#define CAPBOX_SDK_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EOF (-1)

/*
 * Conversions: %d %i %u %x %X %o %c %s %p %%, flags "-+ #0", a width and a
 * precision (digits or *), length modifiers hh h l ll z j t.  %p prints
 * 0x followed by lower-case hex digits.  %s of NULL prints "(null)".  An
 * unknown conversion fails with EINVAL.  Floating point: %f %F %e %E %g %G
 * (also with l), exact and rounded half to even like glibc; no %a, no long
 * double (L).
 *
 * dprintf writes with fd_write (no buffering across calls) and returns the
 * number of bytes written, or -1 with errno set.  snprintf stores at most
 * size - 1 bytes plus a NUL (nothing when size is 0) and returns the length
 * the whole output would have had, or -1 with errno set (EOVERFLOW if that
 * exceeds INT_MAX).
 */
int dprintf(int fd, const char *__restrict format, ...)
	__attribute__((__format__(__printf__, 2, 3)));
int vdprintf(int fd, const char *__restrict format, va_list ap)
	__attribute__((__format__(__printf__, 2, 0)));
int snprintf(char *__restrict buf, size_t size, const char *__restrict format,
	     ...) __attribute__((__format__(__printf__, 3, 4)));
int vsnprintf(char *__restrict buf, size_t size, const char *__restrict format,
	      va_list ap) __attribute__((__format__(__printf__, 3, 0)));

#ifdef __cplusplus
}
#endif

#endif

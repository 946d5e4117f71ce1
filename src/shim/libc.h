/* libc.h: declarations of the shim's own memory and string functions. */
#ifndef CAPBOX_SHIM_LIBC_H
#define CAPBOX_SHIM_LIBC_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t shim_strlen(const char *s);

#endif

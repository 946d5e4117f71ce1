/* string.c: the memory and string functions of <string.h>. */
#include <stdint.h>
#include <string.h>

/*
 * no_builtin keeps the compiler from turning these loops back into calls
 * to the very functions they implement.
 */
#define CAPBOX_NO_BUILTIN __attribute__((no_builtin))

CAPBOX_NO_BUILTIN void *memcpy(void *restrict dst, const void *restrict src,
			       size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Word copies once both pointers are equally aligned. */
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n > 0 && ((uintptr_t)d & 7) != 0) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d =
				*(const uint64_t *)(const void *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

CAPBOX_NO_BUILTIN void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s >= n &&
	    (uintptr_t)s - (uintptr_t)d >= n)
		return memcpy(dst, src, n); /* the regions do not overlap */
	if (d < s) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dst;
}

CAPBOX_NO_BUILTIN void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	while (n > 0 && ((uintptr_t)p & 7) != 0) {
		*p++ = b;
		n--;
	}
	uint64_t word = 0x0101010101010101u * b;
	for (; n >= 8; n -= 8, p += 8)
		*(uint64_t *)(void *)p = word;
	while (n-- > 0)
		*p++ = b;
	return s;
}

CAPBOX_NO_BUILTIN int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

CAPBOX_NO_BUILTIN void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	}
	return NULL;
}

CAPBOX_NO_BUILTIN size_t strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

CAPBOX_NO_BUILTIN size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n] != '\0')
		n++;
	return n;
}

CAPBOX_NO_BUILTIN int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	return *x < *y ? -1 : *x > *y;
}

CAPBOX_NO_BUILTIN int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (*x == '\0')
			break;
	}
	return 0;
}

CAPBOX_NO_BUILTIN char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

CAPBOX_NO_BUILTIN char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

CAPBOX_NO_BUILTIN char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

CAPBOX_NO_BUILTIN char *strncpy(char *restrict dst, const char *restrict src,
				size_t n)
{
	size_t i = 0;

	for (; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

CAPBOX_NO_BUILTIN char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

CAPBOX_NO_BUILTIN char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)haystack;
	for (; *haystack != '\0'; haystack++) {
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	}
	return NULL;
}

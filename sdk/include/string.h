/* string.h: memory and string functions of the capbox guest SDK. */
#ifndef CAPBOX_SDK_STRING_H
#define CAPBOX_SDK_STRING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *memchr(const void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);

char *strcat(char *__restrict dst, const char *__restrict src);
char *strchr(const char *s, int c);
int strcmp(const char *a, const char *b);
char *strcpy(char *__restrict dst, const char *__restrict src);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n);
size_t strnlen(const char *s, size_t maxlen);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/* Message for a CloudABI errno value ("Unknown error" for others). */
char *strerror(int errnum);

#ifdef __cplusplus
}
#endif

#endif

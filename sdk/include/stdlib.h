/* stdlib.h: memory allocation and process termination of the capbox guest SDK. */
#ifndef CAPBOX_SDK_STDLIB_H
#define CAPBOX_SDK_STDLIB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/*
 * The allocator obtains memory with mem_map.  Every pointer it returns is
 * aligned to 16 bytes.  malloc(0) returns a unique pointer; realloc(p, 0)
 * keeps a minimal block.  Sizes that overflow give NULL with errno ENOMEM.
 * It is serialised by one process-wide spin lock (thread_yield while
 * contended).
 */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* Terminate the process (proc_exit).  No atexit handlers, no destructors. */
__attribute__((__noreturn__)) void exit(int status);
__attribute__((__noreturn__)) void _Exit(int status);
/* Raise SIGABRT (proc_raise); never returns. */
__attribute__((__noreturn__)) void abort(void);

int abs(int j);
long labs(long j);
long long llabs(long long j);

#ifdef __cplusplus
}
#endif

#endif

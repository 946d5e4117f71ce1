/* syscall_args.h: what each argument of each CloudABI system call is, for tracing (shim captures, broker formats). */
#ifndef CAPBOX_COMMON_SYSCALL_ARGS_H
#define CAPBOX_COMMON_SYSCALL_ARGS_H

#include <stdint.h>

/* The kind of one argument word.  A PATH, BUF or IOVS pointer is followed
 * by its length (shown with it); OUT_* point at where the call stores its
 * result (the shim reads it back after a successful call). */
enum syscall_arg {
	ARG_END = 0, /* no more arguments */
	ARG_FD,
	ARG_LOOKUP,   /* cloudabi_lookup_t by value: fd and lookup flags */
	ARG_PATH,     /* const char *, then its length */
	ARG_BUF_IN,   /* bytes the call reads, then their length */
	ARG_BUF_OUT,  /* bytes the call writes, then their length */
	ARG_IOVS_IN,  /* iovecs the call reads (writes to the fd), then count */
	ARG_IOVS_OUT, /* iovecs the call fills, then count */
	ARG_LEN,      /* the length of the argument before it */
	ARG_SIZE,
	ARG_U64,
	ARG_DELTA, /* signed */
	ARG_PTR,
	ARG_OUT_SIZE,
	ARG_OUT_FD,
	ARG_OUT_U64,
	ARG_OUT_U32, /* a cloudabi_tid_t */
	ARG_OUT_PTR,
	ARG_FILETYPE,
	ARG_OFLAGS,
	ARG_FDSTAT_IN, /* const cloudabi_fdstat_t * (rights captured) */
	ARG_FDSFLAGS,
	ARG_FSFLAGS,
	ARG_ULFLAGS,
	ARG_ADVICE,
	ARG_WHENCE,
	ARG_CLOCK,
	ARG_SCOPE,
	ARG_PROT,
	ARG_MFLAGS,
	ARG_MSFLAGS,
	ARG_SDFLAGS,
	ARG_SIGNAL,
	ARG_EXITCODE,
	ARG_NTHREADS,
	ARG_COUNT /* kinds */
};

#define SYSCALL_ARGS_MAX 7

/* The kind of argument i (0-based) of call `index` (CLOUDABI_SYS_<name>);
 * ARG_END past the last one or for an unknown call. */
enum syscall_arg syscall_arg_kind(unsigned index, unsigned i);

#endif

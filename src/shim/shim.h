/* shim.h: state shared by the parts of the shim: per-thread slot, process globals, fatal exit. */
#ifndef CAPBOX_SHIM_SHIM_H
#define CAPBOX_SHIM_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cloudabi/abi.h"
#include "protocol/hypercall.h"
#include "shim/lockwait.h"

/*
 * Each guest thread's %fs base points at its shim_thread.  The first word is
 * the TLS contract's slot (%fs:0 holds a pointer to a tcb; the guest rewrites
 * it with a pointer to its own copy); the shim finds itself through %fs:8,
 * which guest code never touches.  The shim uses no %fs-relative TLS.
 */
struct shim_thread {
	uint64_t fs_word;         /* %fs:0 */
	struct shim_thread *self; /* %fs:8 */
	int channel;              /* this thread's channel to the broker */
	uint32_t seq;             /* last hypercall sequence number */
	uint32_t tid;             /* CloudABI thread id (= Linux tid) */
	/* --trace (shim/trace.c): whether the call in progress made a
	 * CloudABI-numbered hypercall (the broker traces it then), and the
	 * tid this channel was last announced for. */
	uint32_t trace_served;
	uint32_t trace_tid;
	/* Its batch of records not yet sent (protocol/hc_trace.h): mapped
	 * at its first record; how many bytes it holds; when the oldest of
	 * them was made. */
	unsigned char *trace_batch;
	uint32_t trace_batch_len;
	uint64_t trace_batch_since;
	cloudabi_tcb_t tcb; /* the tcb %fs:0 first points at */
	/* Threads and locks (src/shim/thread.c, src/shim/lockwait.c). */
	struct lockwait_waiter wait; /* its place in a lock/condvar queue */
	_Atomic(uint32_t) alive; /* cleared by Linux when the thread is gone */
	uint32_t registry_state; /* free / running, for the thread registry */
	void *exit_stack;        /* top of the shim stack thread_exit uses */
	/* Its channel's shared-memory mailbox (channel.c): NULL until the
	 * first call after start-up asks for one; none after a failure. */
	unsigned char *mailbox;
	bool mailbox_failed;
};

static inline struct shim_thread *shim_self(void)
{
	struct shim_thread *t;
	__asm__("mov %%fs:8, %0" : "=r"(t));
	return t;
}

/* Facts about the process, set once at start-up. */
struct shim_process {
	uint64_t page_size;
	uint32_t ncpus;
	const void *linux_vdso; /* the kernel's own vDSO, for clock reads */
	/* Its clock_gettime (NULL: use the system call). */
	long (*vdso_clock_gettime)(long clock, void *ts);
	/* Its getcpu (NULL: the CPU is not reported to the broker). */
	long (*vdso_getcpu)(unsigned *cpu, unsigned *node, void *cache);
	/* Where this process's descriptors are (argv[1]: the broker's). */
	struct capbox_fd_layout fds;
	bool trace; /* the broker asked for trace records (protocol/hc_trace.h) */
};

extern struct shim_process shim_proc;

/* Reports a message to the broker (which shows it to the user) and ends
 * the process with the given status.  Never returns. */
__attribute__((noreturn)) void shim_fatal(int status, const char *what,
					  long linux_error);

/* In a forked child, before it returns to the program: forgets every
 * other thread (only the forking thread exists in the child). */
void shim_after_fork_child(void);

/* Exit statuses, shared with the broker's documentation. */
#define SHIM_EXIT_LOAD_FAILED 126
#define SHIM_EXIT_BROKER_LOST 125

#endif

/* capbox_thread.h: start and join threads of a capbox program on the CloudABI protocol (thread_create, thread_exit's join lock, poll). */
#ifndef CAPBOX_SDK_CAPBOX_THREAD_H
#define CAPBOX_SDK_CAPBOX_THREAD_H

#include <stddef.h>

#include <cloudabi/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A thread runs fn(arg) on a stack of its own with its own TLS block
 * (errno included), both in one mapping that capbox_thread_join frees.
 * The join word is a CloudABI lock that the thread holds for writing while
 * it runs; thread_exit releases it, and the joiner takes it with poll
 * (lock_wrlock).  Until the new thread has claimed it, it holds
 * WRLOCKED with owner 0, which no thread is.
 *
 * The struct belongs to the caller and must stay put until the join.
 */
typedef struct capbox_thread {
	_Atomic(cloudabi_lock_t) join;
	cloudabi_tid_t tid;
	void (*fn)(void *);
	void *arg;
	void *mapping;
	size_t mapping_len;
	void *tls_area;
	size_t tls_size;
} capbox_thread_t;

/* Default stack size (bytes) when capbox_thread_start is given 0. */
#define CAPBOX_THREAD_STACK_DEFAULT (256 * 1024)

/* Starts fn(arg) on a new thread; 0, or a CloudABI errno value
 * (EAGAIN: too many threads; ENOMEM). */
int capbox_thread_start(capbox_thread_t *thread, void (*fn)(void *), void *arg,
			size_t stack_size);

/* Waits until the thread has ended, then frees its stack; 0 or a
 * CloudABI errno value. */
int capbox_thread_join(capbox_thread_t *thread);

/* The calling thread's id: what it writes into locks it takes. */
cloudabi_tid_t capbox_thread_self(void);

/* In the child of proc_fork: its thread has the id proc_fork returned.
 * The SDK's cloudabi_sys_proc_fork calls it for the child already; a
 * program that forks by other means (its own vDSO call) calls it itself. */
void capbox_thread_forked(cloudabi_tid_t tid);

#ifdef __cplusplus
}
#endif

#endif

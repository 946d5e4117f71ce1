/* lockwait.h: the CloudABI lock and condition-variable protocol on guest words (what poll, lock_unlock, condvar_signal and thread_exit use). */
#ifndef CAPBOX_SHIM_LOCKWAIT_H
#define CAPBOX_SHIM_LOCKWAIT_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/time_types.h>

#include "cloudabi/abi.h"

/*
 * The words live in guest memory (RUNTIME-FACTS.md, "Threads, locks,
 * condition variables"):
 *   lock: 0 free, N readers, tid | WRLOCKED, plus KERNEL_MANAGED while
 *         threads wait for it (then the owner must call lock_unlock);
 *   condvar: 0 when nobody waits, non-zero otherwise.
 *
 * PRIVATE scope: this process keeps a FIFO wait queue per word (hashed
 * buckets, each with a mutex).  lock_unlock hands the lock over: it stores
 * waiter_tid | WRLOCKED (| KERNEL_MANAGED if more wait), or the number of
 * waiting readers; KERNEL_MANAGED is set exactly while the queue is not
 * empty.  condvar_signal moves up to N waiters from the condvar's queue to
 * their lock's queue (or gives them the lock at once if it is free).
 *
 * SHARED scope (the words may be in memory shared between processes, so
 * no queue in this process can see every waiter): waiters sleep on the word
 * itself with shared futexes.  lock_unlock stores 0 and wakes every
 * sleeper, which retry; the one that wins stores its own tid | WRLOCKED
 * and the others set KERNEL_MANAGED again before sleeping.  A shared
 * condvar word holds the number of waiters (low 16 bits) and a generation
 * that condvar_signal advances (high 16 bits); it is 0 exactly when nobody
 * waits.
 *
 * Writers go before readers.  A thread asking again for a lock it holds
 * for writing gets EDEADLK; unlocking or waiting on a condvar without
 * holding the lock for writing gets EPERM; a scope other than PRIVATE or
 * SHARED, or a misaligned word, EINVAL; a null word EFAULT.
 */

/* When a wait gives up: never (clock < 0), or at an absolute time on Linux
 * clock CLOCK_MONOTONIC or CLOCK_REALTIME. */
struct lockwait_deadline {
	int clock;
	struct __kernel_timespec at;
};

/* One thread's place in a wait queue; each thread has one
 * (struct shim_thread), since a thread waits for one thing at a time. */
struct lockwait_waiter {
	struct lockwait_waiter *prev, *next;
	_Atomic(uint32_t) *key;  /* the word whose queue it is in */
	_Atomic(uint32_t) *lock; /* condvar waiters: the lock to take back */
	uint32_t tid;
	uint8_t kind;            /* enum in lockwait.c */
	uint8_t lock_scope;      /* condvar waiters: the lock's scope */
	bool on_condvar;         /* still in a condvar queue (signal not yet) */
	_Atomic(uint32_t) state; /* futex word: waiting, granted, signalled */
};

/* Take the lock for reading / for writing, waiting until the deadline
 * (NULL: forever).  0, ETIMEDOUT or one of the errors above. */
cloudabi_errno_t lockwait_rdlock(_Atomic(cloudabi_lock_t) *lock,
				 cloudabi_scope_t scope,
				 const struct lockwait_deadline *deadline);
cloudabi_errno_t lockwait_wrlock(_Atomic(cloudabi_lock_t) *lock,
				 cloudabi_scope_t scope,
				 const struct lockwait_deadline *deadline);

/* Release a lock the calling thread holds for writing (lock_unlock). */
cloudabi_errno_t lockwait_unlock(_Atomic(cloudabi_lock_t) *lock,
				 cloudabi_scope_t scope);

/* Release the write-held lock, wait on the condvar, take the lock back.
 * 0 when woken; ETIMEDOUT at the deadline (the lock is held again in both
 * cases); another error leaves the lock as it was.  A signal that took the
 * waiter off the condvar before it could give up wins over the deadline:
 * the waiter then waits for the lock without one, and gets 0 (FreeBSD's
 * futex_queue_sleep does the same). */
cloudabi_errno_t lockwait_condvar_wait(
	_Atomic(cloudabi_condvar_t) *condvar, cloudabi_scope_t condvar_scope,
	_Atomic(cloudabi_lock_t) *lock, cloudabi_scope_t lock_scope,
	const struct lockwait_deadline *deadline);

/* Wake up to nwaiters threads waiting on the condvar (condvar_signal). */
cloudabi_errno_t lockwait_condvar_signal(_Atomic(cloudabi_condvar_t) *condvar,
					 cloudabi_scope_t scope,
					 cloudabi_nthreads_t nwaiters);

/* In a forked child: only the calling thread exists, so nobody waits and
 * no queue mutex is held. */
void lockwait_after_fork(void);

#endif

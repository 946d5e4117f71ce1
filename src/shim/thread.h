/* thread.h: the registry of this process's threads: records (slot, channel, exit stack) handed to new threads and reused after they end. */
#ifndef CAPBOX_SHIM_THREAD_H
#define CAPBOX_SHIM_THREAD_H

#include "cloudabi/abi.h"
#include "shim/shim.h"

/*
 * Every thread but the main one runs on a record: one mapping holding its
 * struct shim_thread (its %fs slot and tcb, wait-queue entry, channel) and
 * a small shim-owned stack that thread_exit switches to, so that nothing
 * touches the guest stack once the join lock is released.  A record goes
 * back to the registry when its thread ends, keeps its channel to the
 * broker, and is handed out again only after Linux has cleared `alive`
 * (CLONE_CHILD_CLEARTID): then the old thread no longer runs on its exit
 * stack.  Records are never unmapped.
 *
 * At most CAPBOX_MAX_THREADS threads per process, the main one included.
 */

/* A running record with a channel, or EAGAIN (no record left, or the
 * broker refused a channel) / ENOMEM. */
cloudabi_errno_t thread_record_acquire(struct shim_thread **record);

/* Gives back a record whose thread never started (alive must be 0). */
void thread_record_release(struct shim_thread *record);

/* Called by a thread about to exit: its record may be reused once Linux
 * clears `alive`. */
void thread_record_retire(struct shim_thread *record);

/* The top (16-byte aligned) of the shim stack `thread` exits on. */
void *thread_exit_stack(struct shim_thread *thread);

/* In a forked child: the other threads do not exist there, so their
 * records become free, their channels are closed, and no queue mutex or
 * lock wait is held.  To be called by the fork code in the child. */
void thread_after_fork(void);

#endif

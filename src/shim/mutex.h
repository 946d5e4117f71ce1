/* mutex.h: a small futex mutex for the shim's own process-wide state (not the guest's locks). */
#ifndef CAPBOX_SHIM_MUTEX_H
#define CAPBOX_SHIM_MUTEX_H

#include <stdint.h>

#include <linux/futex.h>

#include "shim/linux.h"

/* 0 unlocked, 1 locked, 2 locked with waiters. */
struct shim_mutex {
	_Atomic uint32_t state;
};

static inline void shim_mutex_lock(struct shim_mutex *m)
{
	uint32_t expected = 0;
	if (__atomic_compare_exchange_n(&m->state, &expected, 1, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		linux_syscall4(__NR_futex, &m->state, FUTEX_WAIT_PRIVATE, 2,
			       NULL);
}

static inline void shim_mutex_unlock(struct shim_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		linux_syscall3(__NR_futex, &m->state, FUTEX_WAKE_PRIVATE, 1);
}

/* In a forked child only the calling thread exists: nobody holds it. */
static inline void shim_mutex_reset(struct shim_mutex *m)
{
	__atomic_store_n(&m->state, 0, __ATOMIC_RELAXED);
}

#endif

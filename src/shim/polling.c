/* polling.c: yields for the shim's polling waits, and backing off from polling when the machine is busy. */
#include "shim/polling.h"

#include "common/polling_governor.h"
#include "shim/linux.h"
#include "shim/syscalls.h"

/* After a slow yield (common/polling_governor.h), nobody in the process
 * polls for a while; the back-off returns to its minimum after a yield on
 * time. */

static uint64_t busy_until;
static uint64_t backoff_ns;

uint64_t polling_now(void)
{
	cloudabi_timestamp_t t = 0;
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &t);
	return t;
}

bool polling_pays(uint64_t now)
{
	return now >= __atomic_load_n(&busy_until, __ATOMIC_RELAXED);
}

bool polling_yield(uint64_t now)
{
	linux_syscall0(__NR_sched_yield);
	uint64_t after = polling_now();
	if (polling_on_time(now, after)) {
		__atomic_store_n(&backoff_ns, 0, __ATOMIC_RELAXED);
		return true;
	}
	uint64_t b = polling_backoff_next(
		__atomic_load_n(&backoff_ns, __ATOMIC_RELAXED));
	__atomic_store_n(&backoff_ns, b, __ATOMIC_RELAXED);
	__atomic_store_n(&busy_until, after + b, __ATOMIC_RELAXED);
	return false;
}

void polling_window_start(struct polling_window *w)
{
	w->end = 0;
	w->last = polling_now();
}

bool polling_window_next(struct polling_window *w, uint64_t window_ns)
{
	uint64_t now = polling_now();
	if (!polling_on_time(w->last, now) ||
	    (w->end == 0 && !polling_pays(now)))
		return false;
	if (w->end == 0)
		w->end = now + window_ns;
	else if (now >= w->end)
		return false;
	if (!polling_yield(now))
		return false;
	w->last = polling_now();
	return true;
}

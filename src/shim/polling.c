/* polling.c: yields for the shim's polling waits, and backing off from polling when the machine is busy. */
#include "shim/polling.h"

#include "shim/linux.h"
#include "shim/syscalls.h"

/* Polling that takes longer than this between two looks at the clock
 * (a yield, or 64 pauses) lost the CPU to someone else's time slice. */
#define YIELD_SLOW_NS 200000
/* Then no polling for this long (for every thread of the process). */
#define BUSY_BACKOFF_NS 100000000

static uint64_t busy_until;

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

bool polling_on_time(uint64_t since, uint64_t now)
{
	if (now - since <= YIELD_SLOW_NS)
		return true;
	__atomic_store_n(&busy_until, now + BUSY_BACKOFF_NS, __ATOMIC_RELAXED);
	return false;
}

bool polling_yield(uint64_t now)
{
	linux_syscall0(__NR_sched_yield);
	return polling_on_time(now, polling_now());
}

/* polling.h: the shim's waits that poll before they sleep: the clock they use, and when polling does not pay. */
#ifndef CAPBOX_SHIM_POLLING_H
#define CAPBOX_SHIM_POLLING_H

#include <stdbool.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t polling_now(void);

/* Whether waits should poll at all: not for a while after a yield came
 * back late (the CPU is wanted by others, and every yield then hands it
 * away for a whole time slice). */
bool polling_pays(uint64_t now);

/* Whether a stretch of polling from `since` to `now` ran without losing
 * the CPU; if not, the caller should sleep instead of polling on. */
bool polling_on_time(uint64_t since, uint64_t now);

/* Yields the CPU once; false if that took long: the caller should sleep,
 * and nobody in the process polls for a while (the CPUs are wanted). */
bool polling_yield(uint64_t now);

#endif

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

/* Yields the CPU once; false if that took long: the caller should sleep,
 * and nobody in the process polls for a while (the CPUs are wanted). */
bool polling_yield(uint64_t now);

/*
 * A bounded stretch of polling: start it, then call polling_window_next
 * between two rounds of looking.  It yields and returns true to go on;
 * false once window_ns have passed since the first call, when polling does
 * not pay, or when the CPU was lost meanwhile (a round or a yield took too
 * long): the caller then sleeps instead.
 */
struct polling_window {
	uint64_t end;  /* 0 until the first call */
	uint64_t last; /* when the current round of looking began */
};
void polling_window_start(struct polling_window *w);
bool polling_window_next(struct polling_window *w, uint64_t window_ns);

#endif

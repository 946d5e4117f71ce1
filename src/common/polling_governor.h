/* polling_governor.h: when polling for the other side pays: the rules the broker's and the shim's polling loops share, as pure functions. */
#ifndef CAPBOX_COMMON_POLLING_GOVERNOR_H
#define CAPBOX_COMMON_POLLING_GOVERNOR_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Both sides poll for each other before they sleep (a guest on another
 * CPU then need not wake an idle one: 30-60 us in a VM,
 * docs/BENCHMARKS.md).  Polling must stop paying for itself at once when
 * the CPUs are wanted: a stretch of polling (a yield, a round of looks)
 * slower than POLL_YIELD_SLOW_NS ran someone else's time slice, and
 * polling on would hand the CPU away again and again.  Then nobody polls
 * for a while: the back-off.
 */
#define POLL_YIELD_SLOW_NS 500000
#define POLL_BACKOFF_MIN_NS 10000000
#define POLL_BACKOFF_MAX_NS 1000000000
/* The broker's first polling window after it slept for a short time. */
#define POLL_WINDOW_START_NS 10000

/* Whether polling from `since` to `now` (CLOCK_MONOTONIC, ns) kept the
 * CPU. */
bool polling_on_time(uint64_t since, uint64_t now);

/* The pause from polling after one more slow stretch, the last pause
 * being `backoff` (0: none since the last stretch on time):
 * POLL_BACKOFF_MIN_NS, then doubled up to POLL_BACKOFF_MAX_NS. */
uint64_t polling_backoff_next(uint64_t backoff);

/*
 * The broker's adaptive polling window, like KVM's halt polling: after
 * serving, the broker keeps looking for the next request for `window` ns
 * before it sleeps.  Given the window it used and how long it then waited
 * (idle_ns, from the last request to the next event), the next window:
 * doubled (from POLL_WINDOW_START_NS, never beyond max_ns) after a wait
 * shorter than max_ns, halved (to 0 below POLL_WINDOW_START_NS) after a
 * longer one, so a guest that computes between calls soon costs no
 * polling at all.  max_ns 0 turns polling off.
 */
uint64_t polling_window_after_wait(uint64_t window, uint64_t idle_ns,
				   uint64_t max_ns);

#endif

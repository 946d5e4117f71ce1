/* polling_governor.c: when polling for the other side pays (the rules of polling_governor.h). */
#include "common/polling_governor.h"

bool polling_on_time(uint64_t since, uint64_t now)
{
	return now - since <= POLL_YIELD_SLOW_NS;
}

uint64_t polling_backoff_next(uint64_t backoff)
{
	if (backoff == 0)
		return POLL_BACKOFF_MIN_NS;
	if (backoff >= POLL_BACKOFF_MAX_NS / 2)
		return POLL_BACKOFF_MAX_NS;
	return backoff * 2;
}

uint64_t polling_window_after_wait(uint64_t window, uint64_t idle_ns,
				   uint64_t max_ns)
{
	if (idle_ns >= max_ns)
		return window / 2 < POLL_WINDOW_START_NS ? 0 : window / 2;
	if (window == 0)
		return POLL_WINDOW_START_NS < max_ns ? POLL_WINDOW_START_NS
						     : max_ns;
	return window > max_ns / 2 ? max_ns : window * 2;
}

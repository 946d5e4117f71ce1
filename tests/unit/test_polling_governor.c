/* test_polling_governor.c: unit test of when polling pays: the slow-yield test, the back-off and the broker's adaptive window (common/polling_governor.h). */
#include <stdint.h>

#include "check.h"
#include "common/polling_governor.h"

#define US 1000u
#define MS 1000000u

static void slow_stretches(void)
{
	CHECK(polling_on_time(1000, 1000), "no time passed: on time");
	CHECK(polling_on_time(1000, 1000 + POLL_YIELD_SLOW_NS),
	      "exactly the limit: on time");
	CHECK(!polling_on_time(1000, 1001 + POLL_YIELD_SLOW_NS),
	      "one nanosecond more: the CPU was lost");
	CHECK(!polling_on_time(0, UINT64_MAX), "a whole clock's range: lost");
}

static void backoff(void)
{
	CHECK_EQ(polling_backoff_next(0), 10 * MS,
		 "the first slow yield pauses polling for 10 ms");
	CHECK_EQ(polling_backoff_next(10 * MS), 20 * MS, "the next doubles it");
	uint64_t b = 0;
	int steps = 0;
	while (b < POLL_BACKOFF_MAX_NS && steps < 100) {
		uint64_t next = polling_backoff_next(b);
		if (next <= b)
			break;
		b = next;
		steps++;
	}
	CHECK_EQ(b, 1000 * MS, "doubling reaches the 1 s ceiling");
	CHECK_EQ(steps, 8, "in eight slow yields (10 ms * 2^7 > 1 s / 2)");
	CHECK_EQ(polling_backoff_next(POLL_BACKOFF_MAX_NS), POLL_BACKOFF_MAX_NS,
		 "and stays there");
	CHECK_EQ(polling_backoff_next(POLL_BACKOFF_MAX_NS / 2 + 1),
		 POLL_BACKOFF_MAX_NS, "above half the ceiling: the ceiling");
	CHECK_EQ(polling_backoff_next(UINT64_MAX), POLL_BACKOFF_MAX_NS,
		 "a corrupt pause does not overflow");
}

static void window(void)
{
	const uint64_t max = 200 * US; /* SANDBOX_DEFAULT_POLL_NS */
	CHECK_EQ(polling_window_after_wait(0, 5 * US, max), 10 * US,
		 "a short wait opens a 10 us window");
	CHECK_EQ(polling_window_after_wait(10 * US, 5 * US, max), 20 * US,
		 "another short wait doubles it");
	CHECK_EQ(polling_window_after_wait(150 * US, 5 * US, max), max,
		 "never beyond the maximum");
	CHECK_EQ(polling_window_after_wait(max, 0, max), max,
		 "and stays at the maximum while requests come quickly");
	CHECK_EQ(polling_window_after_wait(max, max, max), 100 * US,
		 "a wait as long as the maximum halves it");
	CHECK_EQ(polling_window_after_wait(40 * US, 1000 * MS, max), 20 * US,
		 "a long wait halves it");
	CHECK_EQ(polling_window_after_wait(19 * US, 1000 * MS, max), 0,
		 "below the start size it closes: no polling at all");
	CHECK_EQ(polling_window_after_wait(0, 1000 * MS, max), 0,
		 "a closed window stays closed after long waits");

	uint64_t w = 0;
	for (int i = 0; i < 20; i++)
		w = polling_window_after_wait(w, 1 * US, max);
	CHECK_EQ(w, max, "a chatty guest: the window grows to the maximum");
	int calls = 0;
	while (w > 0 && calls < 100) {
		w = polling_window_after_wait(w, 50 * MS, max);
		calls++;
	}
	CHECK_EQ(w, 0, "a guest that computes between calls: polling stops");
	CHECK_EQ(calls, 5,
		 "after five long waits (200 > 100 > 50 > 25 > 12.5)");

	CHECK_EQ(polling_window_after_wait(0, 1 * US, 4 * US), 4 * US,
		 "a maximum below the start size: the maximum");
	CHECK_EQ(polling_window_after_wait(0, 0, 0), 0,
		 "--poll-us 0: never polls");
	CHECK_EQ(polling_window_after_wait(10 * US, 0, 0), 0,
		 "not even from an open window");
	CHECK_EQ(polling_window_after_wait(UINT64_MAX / 2 + 7, 0, UINT64_MAX),
		 UINT64_MAX, "doubling does not overflow");
}

int main(void)
{
	slow_stretches();
	backoff();
	window();
	return check_done();
}

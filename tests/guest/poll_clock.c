/* poll_clock.c: poll on clocks: relative and absolute, MONOTONIC and REALTIME, the earliest of several, bounds and per-subscription errors. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define MS UINT64_C(1000000)
#define MONO CLOUDABI_CLOCK_MONOTONIC
#define REAL CLOUDABI_CLOCK_REALTIME
#define ABS CLOUDABI_SUBSCRIPTION_CLOCK_ABSTIME

static cloudabi_subscription_t clock_sub(cloudabi_userdata_t ud,
					 cloudabi_clockid_t id,
					 uint64_t timeout, uint16_t flags)
{
	return (cloudabi_subscription_t){
		.userdata = ud,
		.type = CLOUDABI_EVENTTYPE_CLOCK,
		.clock = {.identifier = ud,
			  .clock_id = id,
			  .timeout = timeout,
			  .flags = flags},
	};
}

static uint64_t now(cloudabi_clockid_t id)
{
	cloudabi_timestamp_t t = 0;
	cloudabi_sys_clock_time_get(id, 0, &t);
	return t;
}

/* Polls and returns the elapsed monotonic time in nanoseconds. */
static uint64_t timed_poll(const cloudabi_subscription_t *subs,
			   cloudabi_event_t *ev, size_t n, size_t *nevents,
			   cloudabi_errno_t *err)
{
	uint64_t start = now(MONO);
	*err = cloudabi_sys_poll(subs, ev, n, nevents);
	return now(MONO) - start;
}

static void check_bounds(void)
{
	cloudabi_subscription_t sub = clock_sub(1, MONO, 0, 0);
	cloudabi_event_t ev;
	size_t n = 99;
	CHECK_EQ(cloudabi_sys_poll(&sub, &ev, 0, &n), 0,
		 "poll with 0 subscriptions succeeds");
	CHECK_EQ(n, 0, "with 0 events, at once");
	n = 99;
	CHECK_EQ(cloudabi_sys_poll(&sub, &ev, 4097, &n), CLOUDABI_EINVAL,
		 "more than 4096 subscriptions: EINVAL");
	CHECK_EQ(n, 99, "nevents untouched");
}

static void check_single(void)
{
	cloudabi_subscription_t sub = clock_sub(0xabc, MONO, 20 * MS, 0);
	cloudabi_event_t ev = {0};
	size_t n = 0;
	cloudabi_errno_t err;
	uint64_t took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1, "a relative MONOTONIC clock: one event");
	CHECK(ev.type == CLOUDABI_EVENTTYPE_CLOCK && ev.userdata == 0xabc &&
		      ev.error == 0,
	      "of type clock, with the userdata and no error");
	CHECK(took >= 20 * MS && took < 10000 * MS, "after 20 ms (%llu ms)",
	      (unsigned long long)(took / MS));

	uint64_t deadline = now(MONO) + 30 * MS;
	sub = clock_sub(2, MONO, deadline, ABS);
	took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1 && ev.userdata == 2,
	      "an absolute MONOTONIC clock");
	CHECK(now(MONO) >= deadline && took < 10000 * MS,
	      "returns once the deadline has passed");

	uint64_t rdeadline = now(REAL) + 30 * MS;
	sub = clock_sub(3, REAL, rdeadline, ABS);
	took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1 && ev.userdata == 3,
	      "an absolute REALTIME clock");
	CHECK(now(REAL) >= rdeadline && took < 10000 * MS,
	      "returns once the REALTIME deadline has passed");

	sub = clock_sub(4, REAL, 15 * MS, 0);
	took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1 && took >= 15 * MS && took < 10000 * MS,
	      "a relative REALTIME clock (%llu ms)",
	      (unsigned long long)(took / MS));

	sub = clock_sub(5, MONO, 1, ABS);
	took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1 && ev.userdata == 5 && took < 5000 * MS,
	      "an absolute deadline in the past fires at once");
	sub = clock_sub(6, MONO, 0, 0);
	took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1 && took < 5000 * MS,
	      "a relative timeout of 0 fires at once");

	sub = clock_sub(7, MONO, 10 * MS, 0);
	sub.clock.precision = 1000 * MS;
	took = timed_poll(&sub, &ev, 1, &n, &err);
	CHECK(err == 0 && n == 1 && took < 5000 * MS,
	      "a large precision does not delay the event (%llu ms)",
	      (unsigned long long)(took / MS));
}

static void check_several(void)
{
	cloudabi_subscription_t subs[3] = {
		clock_sub(10, MONO, 500 * MS, 0),
		clock_sub(11, MONO, 10 * MS, 0),
		clock_sub(12, MONO, UINT64_MAX, 0),
	};
	cloudabi_event_t ev[3] = {{0}};
	size_t n = 0;
	cloudabi_errno_t err;
	uint64_t took = timed_poll(subs, ev, 3, &n, &err);
	CHECK(err == 0 && n == 1 && ev[0].userdata == 11,
	      "of three clocks only the earliest is reported");
	CHECK(took >= 10 * MS, "not before its time (%llu ms)",
	      (unsigned long long)(took / MS));

	subs[0] = clock_sub(20, MONO, 5 * MS, 0);
	subs[1] = clock_sub(21, REAL, now(REAL) - 1000 * MS, ABS);
	subs[2] = clock_sub(22, MONO, 5 * MS, 0);
	timed_poll(subs, ev, 3, &n, &err);
	CHECK(err == 0 && n >= 1 && ev[0].userdata == 21,
	      "a REALTIME deadline in the past beats a MONOTONIC 5 ms");
	subs[1] = clock_sub(21, MONO, 5 * MS, 0);
	uint64_t start = now(MONO);
	while (now(MONO) - start < 10 * MS)
		cloudabi_sys_thread_yield();
	subs[0] = clock_sub(20, MONO, start, ABS);
	subs[1] = clock_sub(21, MONO, start + 1, ABS);
	subs[2] = clock_sub(22, REAL, 0, ABS);
	timed_poll(subs, ev, 3, &n, &err);
	CHECK(err == 0 && n == 3,
	      "every expired clock is reported (%zu events)", n);
	CHECK(ev[0].userdata == 20 && ev[1].userdata == 21 &&
		      ev[2].userdata == 22,
	      "in subscription order");

	/* Many subscriptions: the one short clock among long ones. */
	enum { MANY = 300 };
	static cloudabi_subscription_t many[MANY];
	static cloudabi_event_t out[MANY];
	for (int i = 0; i < MANY; i++)
		many[i] = clock_sub(1000 + i, MONO,
				    i == 137 ? 5 * MS : 10000 * MS, 0);
	took = timed_poll(many, out, MANY, &n, &err);
	CHECK(err == 0 && n == 1 && out[0].userdata == 1137 && took < 5000 * MS,
	      "%d subscriptions: the short clock among them fires", MANY);
}

static void check_errors(void)
{
	cloudabi_subscription_t subs[2] = {
		clock_sub(30, MONO, 10000 * MS, 0),
		clock_sub(31, 77, 0, 0),
	};
	cloudabi_event_t ev[2] = {{0}};
	size_t n = 0;
	cloudabi_errno_t err;
	uint64_t took = timed_poll(subs, ev, 2, &n, &err);
	CHECK(err == 0 && n == 1 && ev[0].userdata == 31 &&
		      ev[0].error == CLOUDABI_EINVAL &&
		      ev[0].type == CLOUDABI_EVENTTYPE_CLOCK,
	      "an unknown clock id: its event carries EINVAL");
	CHECK(took < 5000 * MS, "reported without waiting for the other clock");

	subs[1] = clock_sub(32, CLOUDABI_CLOCK_PROCESS_CPUTIME_ID, MS, 0);
	timed_poll(subs, ev, 2, &n, &err);
	CHECK(n == 1 && ev[0].error == CLOUDABI_ENOTSUP,
	      "waiting on a CPU-time clock: ENOTSUP");
	subs[1] = clock_sub(33, CLOUDABI_CLOCK_THREAD_CPUTIME_ID, MS, 0);
	timed_poll(subs, ev, 2, &n, &err);
	CHECK(n == 1 && ev[0].error == CLOUDABI_ENOTSUP,
	      "on the thread CPU-time clock: ENOTSUP");

	subs[1] = (cloudabi_subscription_t){.userdata = 34, .type = 42};
	timed_poll(subs, ev, 2, &n, &err);
	CHECK(n == 1 && ev[0].userdata == 34 &&
		      ev[0].error == CLOUDABI_EINVAL && ev[0].type == 42,
	      "an unknown event type: EINVAL");

	subs[1] = (cloudabi_subscription_t){
		.userdata = 35,
		.type = CLOUDABI_EVENTTYPE_PROC_TERMINATE,
		.proc_terminate = {.fd = 999}};
	timed_poll(subs, ev, 2, &n, &err);
	/* ENOSYS until proc_terminate is wired to process descriptors; then
	 * fd 999 (no such descriptor) is EBADF. */
	CHECK(n == 1 && ev[0].userdata == 35 &&
		      (ev[0].error == CLOUDABI_ENOSYS ||
		       ev[0].error == CLOUDABI_EBADF),
	      "proc_terminate on a descriptor that is not there: an error event (%d)",
	      ev[0].error);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	check_bounds();
	check_single();
	check_several();
	check_errors();
	exit(check_done());
}

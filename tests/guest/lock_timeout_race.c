/* lock_timeout_race.c: condvar waits with microsecond timeouts racing signals: however a wait ends, it returns with the lock held, and the words end free. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define PRIV CLOUDABI_SCOPE_PRIVATE
#define SHARED CLOUDABI_SCOPE_SHARED

/*
 * Timeouts of 1 to 15 us end most waits by their clock, so a signal often
 * lands between a waiter's timeout and its giving up: the signal has
 * already taken it off the condvar and is moving it to the lock.  Such a
 * waiter must still come back owning the lock (CloudABI: the signal wins,
 * the event is CONDVAR).
 */
enum { WAITERS = 4, SIGNALLERS = 2, ROUNDS = 6000 };

struct race {
	const char *name;
	cloudabi_scope_t cv_scope, lock_scope;
	_Atomic(uint32_t) lock, cv;
	_Atomic(int) waiters_left, inside;
	int counter; /* only touched with the lock held */
	_Atomic(int) not_owner, overlaps, signalled, timed_out;
};

static cloudabi_event_t timed_wait(struct race *r, uint64_t timeout_ns)
{
	cloudabi_subscription_t sub = {
		.userdata = 0xc0de,
		.type = CLOUDABI_EVENTTYPE_CONDVAR,
		.condvar = {.condvar = &r->cv,
			    .lock = &r->lock,
			    .condvar_scope = r->cv_scope,
			    .lock_scope = r->lock_scope},
	};
	return gl_poll(&sub, timeout_ns);
}

/* After every wait, whatever ended it: the word names this thread as the
 * writer, and nobody else is inside. */
static void waiter(void *arg)
{
	struct race *r = arg;
	uint32_t me = capbox_thread_self() | GL_WR;
	for (int i = 0; i < ROUNDS; i++) {
		gl_wrlock(&r->lock, r->lock_scope);
		cloudabi_event_t ev =
			timed_wait(r, 1000 + (uint64_t)(i % 8) * 2000);
		if ((gl_load(&r->lock) & ~GL_KM) != me)
			atomic_fetch_add(&r->not_owner, 1);
		if (atomic_fetch_add(&r->inside, 1) != 0)
			atomic_fetch_add(&r->overlaps, 1);
		r->counter++;
		atomic_fetch_sub(&r->inside, 1);
		if (ev.type == CLOUDABI_EVENTTYPE_CLOCK)
			atomic_fetch_add(&r->timed_out, 1);
		else if (ev.type == CLOUDABI_EVENTTYPE_CONDVAR && ev.error == 0)
			atomic_fetch_add(&r->signalled, 1);
		else
			gl_failed();
		gl_unlock(&r->lock, r->lock_scope);
	}
	atomic_fetch_sub(&r->waiters_left, 1);
}

/* Signals one waiter, or all, with and without the lock, as fast as it
 * can, until the waiters are done. */
static void signaller(void *arg)
{
	struct race *r = arg;
	for (unsigned i = 0; atomic_load(&r->waiters_left) > 0; i++) {
		uint32_t n = i % 8 == 0 ? UINT32_MAX : 1;
		if (i % 4 == 1) {
			gl_wrlock(&r->lock, r->lock_scope);
			gl_cond_signal(&r->cv, r->cv_scope, n);
			gl_unlock(&r->lock, r->lock_scope);
		} else {
			gl_cond_signal(&r->cv, r->cv_scope, n);
		}
		if (i % 32 == 0)
			cloudabi_sys_thread_yield();
	}
}

static void check_race(struct race *r)
{
	static capbox_thread_t threads[WAITERS + SIGNALLERS];
	atomic_store(&r->waiters_left, WAITERS);
	int ok = 0;
	for (int i = 0; i < WAITERS + SIGNALLERS; i++)
		ok += capbox_thread_start(&threads[i],
					  i < WAITERS ? waiter : signaller, r,
					  0) == 0;
	for (int i = 0; i < WAITERS + SIGNALLERS; i++)
		ok += capbox_thread_join(&threads[i]) == 0;
	CHECK_EQ(ok, 2 * (WAITERS + SIGNALLERS),
		 "%s: %d waiters and %d signallers ran and ended", r->name,
		 WAITERS, SIGNALLERS);
	CHECK_EQ(atomic_load(&r->not_owner), 0,
		 "%s: every wait returned with the lock held", r->name);
	CHECK_EQ(atomic_load(&r->overlaps), 0, "%s: never two threads inside",
		 r->name);
	CHECK_EQ(r->counter, WAITERS * ROUNDS, "%s: the counter is exact",
		 r->name);
	CHECK_EQ(gl_load(&r->lock), 0, "%s: the lock is free", r->name);
	CHECK_EQ(gl_load(&r->cv), 0, "%s: the condvar word is 0: nobody waits",
		 r->name);
	dprintf(check_out_fd,
		"# %s: %d waits ended by a signal, %d by their clock\n",
		r->name, atomic_load(&r->signalled),
		atomic_load(&r->timed_out));
}

static struct race races[] = {
	{.name = "private lock", .cv_scope = PRIV, .lock_scope = PRIV},
	{.name = "shared lock, private condvar",
	 .cv_scope = PRIV,
	 .lock_scope = SHARED},
	{.name = "shared lock and condvar",
	 .cv_scope = SHARED,
	 .lock_scope = SHARED},
};

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	for (size_t i = 0; i < sizeof(races) / sizeof(races[0]); i++)
		check_race(&races[i]);
	CHECK_EQ(gl_errors, 0, "no lock operation failed in any thread");
	exit(check_done());
}

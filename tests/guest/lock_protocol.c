/* lock_protocol.c: the lock and condvar words as one thread sees them: exact values, EDEADLK/EPERM/EINVAL/EFAULT, timeouts, the poll forms. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define PRIV CLOUDABI_SCOPE_PRIVATE
#define SHARED CLOUDABI_SCOPE_SHARED
#define MS UINT64_C(1000000)

static _Atomic(uint32_t) lock, cv;
static cloudabi_tid_t me;

static cloudabi_event_t lock_poll(_Atomic(uint32_t) *l, cloudabi_scope_t scope,
				  cloudabi_eventtype_t type, uint64_t timeout)
{
	cloudabi_subscription_t sub = gl_lock_sub(l, scope, type);
	return gl_poll(&sub, timeout);
}

static void check_write_lock(void)
{
	cloudabi_event_t ev = lock_poll(&lock, PRIV,
					CLOUDABI_EVENTTYPE_LOCK_WRLOCK, 0);
	CHECK(ev.error == 0 && ev.type == CLOUDABI_EVENTTYPE_LOCK_WRLOCK &&
		      ev.userdata == 0x10c4,
	      "poll(lock_wrlock) on a free lock: the lock event, userdata kept");
	CHECK_EQ(gl_load(&lock), me | GL_WR, "the word is tid | WRLOCKED");
	ev = lock_poll(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_WRLOCK, 0);
	CHECK_EQ(ev.error, CLOUDABI_EDEADLK, "write-locking it again: EDEADLK");
	ev = lock_poll(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_RDLOCK, 0);
	CHECK_EQ(ev.error, CLOUDABI_EDEADLK,
		 "read-locking it while holding it for writing: EDEADLK");
	CHECK_EQ(cloudabi_sys_lock_unlock(&lock, 0x77), CLOUDABI_EINVAL,
		 "lock_unlock with a bad scope: EINVAL");
	CHECK_EQ(gl_load(&lock), me | GL_WR, "and the lock stays held");
	CHECK_EQ(cloudabi_sys_lock_unlock(&lock, PRIV), 0,
		 "lock_unlock by the owner");
	CHECK_EQ(gl_load(&lock), 0, "the word is 0 again");
	CHECK_EQ(cloudabi_sys_lock_unlock(&lock, PRIV), CLOUDABI_EPERM,
		 "lock_unlock of a free lock: EPERM");
	atomic_store(&lock, 12345 | GL_WR);
	CHECK_EQ(cloudabi_sys_lock_unlock(&lock, PRIV), CLOUDABI_EPERM,
		 "lock_unlock of a lock another thread holds: EPERM");
	atomic_store(&lock, 3);
	CHECK_EQ(cloudabi_sys_lock_unlock(&lock, PRIV), CLOUDABI_EPERM,
		 "lock_unlock of a read-locked lock: EPERM");
	atomic_store(&lock, 0);
}

static void check_bad_words(void)
{
	static _Alignas(8) unsigned char raw[8];
	_Atomic(uint32_t) *odd = (_Atomic(uint32_t) *)(raw + 1);
	CHECK_EQ(cloudabi_sys_lock_unlock(odd, PRIV), CLOUDABI_EINVAL,
		 "lock_unlock of a misaligned word: EINVAL");
	CHECK_EQ(cloudabi_sys_lock_unlock(NULL, PRIV), CLOUDABI_EFAULT,
		 "lock_unlock of a null word: EFAULT");
	CHECK_EQ(cloudabi_sys_condvar_signal(NULL, PRIV, 1), CLOUDABI_EFAULT,
		 "condvar_signal of a null word: EFAULT");
	CHECK_EQ(cloudabi_sys_condvar_signal(&cv, 0, 1), CLOUDABI_EINVAL,
		 "condvar_signal with scope 0: EINVAL");
	CHECK_EQ(cloudabi_sys_condvar_signal(&cv, PRIV | SHARED, 1),
		 CLOUDABI_EINVAL, "condvar_signal with both scopes: EINVAL");
	CHECK_EQ(cloudabi_sys_condvar_signal(&cv, PRIV, 1), 0,
		 "condvar_signal with nobody waiting: 0");
	CHECK_EQ(cloudabi_sys_condvar_signal(&cv, SHARED, 0), 0,
		 "condvar_signal of 0 waiters: 0");
	CHECK_EQ(gl_load(&cv), 0, "the condvar word stays 0");
	cloudabi_event_t ev = lock_poll(&lock, 0x10,
					CLOUDABI_EVENTTYPE_LOCK_WRLOCK, 0);
	CHECK(ev.error == CLOUDABI_EINVAL &&
		      ev.type == CLOUDABI_EVENTTYPE_LOCK_WRLOCK,
	      "poll(lock_wrlock) with a bad scope: the lock event with EINVAL");
	ev = lock_poll(odd, PRIV, CLOUDABI_EVENTTYPE_LOCK_RDLOCK, 0);
	CHECK_EQ(ev.error, CLOUDABI_EINVAL,
		 "poll(lock_rdlock) on a misaligned word: EINVAL");
	CHECK_EQ(gl_load(&lock), 0, "a refused request leaves the lock alone");
}

static void check_read_lock(void)
{
	cloudabi_event_t ev = lock_poll(&lock, PRIV,
					CLOUDABI_EVENTTYPE_LOCK_RDLOCK, 0);
	CHECK(ev.error == 0 && ev.type == CLOUDABI_EVENTTYPE_LOCK_RDLOCK,
	      "poll(lock_rdlock) on a free lock");
	CHECK_EQ(gl_load(&lock), 1, "the word counts one reader");
	ev = lock_poll(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_RDLOCK, 0);
	CHECK_EQ(gl_load(&lock), 2,
		 "a second read lock (readers are recursive): 2");

	/* This thread waits for itself: only the timeout can end it. */
	uint64_t start = gl_now_ns();
	ev = lock_poll(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_WRLOCK, 30 * MS);
	uint64_t took = gl_now_ns() - start;
	CHECK(ev.type == CLOUDABI_EVENTTYPE_CLOCK && ev.error == 0 &&
		      ev.userdata == 0xc10c,
	      "a write lock on a read-held lock times out: the clock event");
	CHECK(took >= 30 * MS && took < 10000 * MS,
	      "after the timeout (%llu ms)", (unsigned long long)(took / MS));
	CHECK_EQ(
		gl_load(&lock), 2,
		"the readers keep it; no KERNEL_MANAGED bit once nobody waits");
	gl_rdunlock(&lock, PRIV);
	gl_rdunlock(&lock, PRIV);
	CHECK_EQ(gl_load(&lock), 0, "both read locks released");
}

static void check_timeouts(void)
{
	/* Held by a thread that will not let go (a made-up tid). */
	atomic_store(&lock, 777 | GL_WR);
	cloudabi_subscription_t subs[2] = {
		gl_lock_sub(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_WRLOCK),
		{.userdata = 55,
		 .type = CLOUDABI_EVENTTYPE_CLOCK,
		 .clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			   .timeout = 1,
			   .flags = CLOUDABI_SUBSCRIPTION_CLOCK_ABSTIME}},
	};
	cloudabi_event_t ev[2];
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_poll(subs, ev, 2, &n), 0,
		 "poll(lock_wrlock, clock in the past)");
	CHECK(n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_CLOCK &&
		      ev[0].userdata == 55,
	      "an absolute deadline in the past: the clock event at once");
	CHECK_EQ(gl_load(&lock), 777 | GL_WR,
		 "the word is as before (no waiter left behind)");

	cloudabi_timestamp_t rt = 0;
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_REALTIME, 0, &rt);
	subs[1].clock.clock_id = CLOUDABI_CLOCK_REALTIME;
	subs[1].clock.timeout = rt + 20 * MS;
	subs[0].type = CLOUDABI_EVENTTYPE_LOCK_RDLOCK;
	uint64_t start = gl_now_ns();
	CHECK_EQ(cloudabi_sys_poll(subs, ev, 2, &n), 0,
		 "poll(lock_rdlock, REALTIME deadline)");
	uint64_t took = gl_now_ns() - start;
	CHECK(n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_CLOCK &&
		      took >= 15 * MS && took < 10000 * MS,
	      "a REALTIME absolute deadline ends a read-lock wait (%llu ms)",
	      (unsigned long long)(took / MS));

	subs[1].clock.clock_id = 99;
	CHECK_EQ(cloudabi_sys_poll(subs, ev, 2, &n), 0, "poll(lock, clock 99)");
	CHECK(n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_LOCK_RDLOCK &&
		      ev[0].error == CLOUDABI_EINVAL,
	      "an unknown timeout clock: the lock event with EINVAL, no wait");
	subs[1].clock.clock_id = CLOUDABI_CLOCK_THREAD_CPUTIME_ID;
	cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK_EQ(ev[0].error, CLOUDABI_ENOTSUP,
		 "a CPU-time timeout clock: ENOTSUP");
	atomic_store(&lock, 0);
}

static void check_condvar(void)
{
	cloudabi_event_t ev = gl_cond_wait(&cv, &lock, PRIV, 0);
	CHECK(ev.type == CLOUDABI_EVENTTYPE_CONDVAR &&
		      ev.error == CLOUDABI_EPERM && ev.userdata == 0xc0de,
	      "waiting on a condvar without holding the lock: EPERM");
	CHECK_EQ(gl_load(&cv), 0, "and the condvar word stays 0");

	gl_wrlock(&lock, PRIV);
	uint64_t start = gl_now_ns();
	ev = gl_cond_wait(&cv, &lock, PRIV, 25 * MS);
	uint64_t took = gl_now_ns() - start;
	CHECK(ev.type == CLOUDABI_EVENTTYPE_CLOCK && ev.error == 0,
	      "a condvar wait nobody signals ends with the clock event");
	CHECK(took >= 25 * MS && took < 10000 * MS,
	      "after the timeout (%llu ms)", (unsigned long long)(took / MS));
	CHECK_EQ(gl_load(&lock), me | GL_WR,
		 "the lock is held again after the timeout");
	CHECK_EQ(gl_load(&cv), 0, "the condvar word is back to 0");

	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_CONDVAR,
		.condvar = {.condvar = &cv,
			    .lock = &lock,
			    .condvar_scope = PRIV,
			    .lock_scope = 3},
	};
	ev = gl_poll(&sub, 0);
	CHECK_EQ(ev.error, CLOUDABI_EINVAL,
		 "a condvar wait with a bad lock scope: EINVAL");
	sub.condvar.lock_scope = PRIV;
	sub.condvar.condvar_scope = 0;
	ev = gl_poll(&sub, 0);
	CHECK_EQ(ev.error, CLOUDABI_EINVAL,
		 "a condvar wait with a bad condvar scope: EINVAL");
	CHECK_EQ(gl_load(&lock), me | GL_WR,
		 "refused waits leave the lock held");

	/* SHARED scope, same thread. */
	ev = gl_cond_wait(&cv, &lock, SHARED, 10 * MS);
	CHECK(ev.type == CLOUDABI_EVENTTYPE_CLOCK &&
		      gl_load(&lock) == (me | GL_WR) && gl_load(&cv) == 0,
	      "a SHARED condvar wait times out, retakes the lock, leaves the word 0");
	gl_unlock(&lock, PRIV);
	CHECK_EQ(gl_load(&lock), 0, "unlocked");
}

static void check_poll_forms(void)
{
	cloudabi_subscription_t subs[3] = {
		gl_lock_sub(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_WRLOCK),
		{.type = CLOUDABI_EVENTTYPE_CLOCK,
		 .clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			   .timeout = MS}},
		{.type = CLOUDABI_EVENTTYPE_CLOCK,
		 .clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			   .timeout = MS}},
	};
	cloudabi_event_t ev[3];
	size_t n = 99;
	CHECK_EQ(cloudabi_sys_poll(subs, ev, 3, &n), CLOUDABI_ENOTSUP,
		 "a lock subscription followed by two more: ENOTSUP");
	subs[1].type = CLOUDABI_EVENTTYPE_FD_READ;
	CHECK_EQ(cloudabi_sys_poll(subs, ev, 2, &n), CLOUDABI_ENOTSUP,
		 "a lock subscription followed by a non-clock one: ENOTSUP");
	subs[1] = subs[0];
	subs[0] = subs[2];
	CHECK_EQ(cloudabi_sys_poll(subs, ev, 2, &n), CLOUDABI_ENOTSUP,
		 "a lock subscription that is not the first: ENOTSUP");
	CHECK_EQ(n, 99, "nevents untouched on failure");
	CHECK_EQ(gl_load(&lock), 0, "no lock was taken");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	me = capbox_thread_self();
	check_write_lock();
	check_bad_words();
	check_read_lock();
	check_timeouts();
	check_condvar();
	check_poll_forms();
	exit(check_done());
}

/* guest_lock.h: what a C library builds on the CloudABI lock protocol (mutex, reader-writer lock, condvar), for guest tests. */
#ifndef CAPBOX_TESTS_GUEST_LOCK_H
#define CAPBOX_TESTS_GUEST_LOCK_H

#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <stdatomic.h>

/*
 * The user-space fast paths are compare-and-swaps on the lock word; only
 * contention goes to the host (poll to wait, lock_unlock when the
 * KERNEL_MANAGED bit says someone waits), as RUNTIME-FACTS.md describes.
 * A failure the tests do not expect is counted in gl_errors (checked by
 * the main thread) rather than reported from another thread.
 */
#define GL_WR CLOUDABI_LOCK_WRLOCKED
#define GL_KM CLOUDABI_LOCK_KERNEL_MANAGED

static _Atomic(unsigned) gl_errors;

static inline uint32_t gl_load(_Atomic(uint32_t) *word)
{
	return atomic_load(word);
}

static inline int gl_cas(_Atomic(uint32_t) *word, uint32_t old, uint32_t new)
{
	return atomic_compare_exchange_strong(word, &old, new);
}

static inline void gl_failed(void)
{
	atomic_fetch_add(&gl_errors, 1);
}

/* poll on one lock/condvar subscription, optionally with a relative
 * MONOTONIC timeout (timeout_ns 0: none).  Returns the event. */
static inline cloudabi_event_t gl_poll(const cloudabi_subscription_t *sub,
				       uint64_t timeout_ns)
{
	cloudabi_subscription_t subs[2] = {*sub};
	subs[1] = (cloudabi_subscription_t){
		.userdata = 0xc10c,
		.type = CLOUDABI_EVENTTYPE_CLOCK,
		.clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			  .timeout = timeout_ns},
	};
	cloudabi_event_t ev[2] = {{0}};
	size_t n = 0;
	cloudabi_errno_t err = cloudabi_sys_poll(subs, ev,
						 timeout_ns != 0 ? 2 : 1, &n);
	if (err != 0 || n != 1) {
		gl_failed();
		ev[0].error = err != 0 ? err : CLOUDABI_EIO;
	}
	return ev[0];
}

static inline cloudabi_subscription_t gl_lock_sub(_Atomic(uint32_t) *lock,
						  cloudabi_scope_t scope,
						  cloudabi_eventtype_t type)
{
	return (cloudabi_subscription_t){
		.userdata = 0x10c4,
		.type = type,
		.lock = {.lock = lock, .lock_scope = scope},
	};
}

static inline void gl_wrlock(_Atomic(uint32_t) *lock, cloudabi_scope_t scope)
{
	if (gl_cas(lock, 0, capbox_thread_self() | GL_WR))
		return;
	cloudabi_subscription_t sub =
		gl_lock_sub(lock, scope, CLOUDABI_EVENTTYPE_LOCK_WRLOCK);
	cloudabi_event_t ev = gl_poll(&sub, 0);
	if (ev.error != 0 || ev.type != CLOUDABI_EVENTTYPE_LOCK_WRLOCK)
		gl_failed();
}

static inline void gl_unlock(_Atomic(uint32_t) *lock, cloudabi_scope_t scope)
{
	if (gl_cas(lock, capbox_thread_self() | GL_WR, 0))
		return;
	if (cloudabi_sys_lock_unlock(lock, scope) != 0)
		gl_failed();
}

/* Readers do not overtake a waiting writer (KERNEL_MANAGED). */
static inline void gl_rdlock(_Atomic(uint32_t) *lock, cloudabi_scope_t scope)
{
	for (;;) {
		uint32_t old = gl_load(lock);
		if ((old & (GL_WR | GL_KM)) != 0)
			break;
		if (gl_cas(lock, old, old + 1))
			return;
	}
	cloudabi_subscription_t sub =
		gl_lock_sub(lock, scope, CLOUDABI_EVENTTYPE_LOCK_RDLOCK);
	cloudabi_event_t ev = gl_poll(&sub, 0);
	if (ev.error != 0 || ev.type != CLOUDABI_EVENTTYPE_LOCK_RDLOCK)
		gl_failed();
}

/* The last reader of a managed lock upgrades it and calls the host. */
static inline void gl_rdunlock(_Atomic(uint32_t) *lock, cloudabi_scope_t scope)
{
	for (;;) {
		uint32_t old = gl_load(lock);
		if (old == (GL_KM | 1)) {
			if (!gl_cas(lock, old,
				    capbox_thread_self() | GL_WR | GL_KM))
				continue;
			if (cloudabi_sys_lock_unlock(lock, scope) != 0)
				gl_failed();
			return;
		}
		if ((old & ~GL_KM) == 0 || (old & GL_WR) != 0) {
			gl_failed(); /* not read-locked */
			return;
		}
		if (gl_cas(lock, old, old - 1))
			return;
	}
}

/* Waits on the condvar (the lock held for writing); with a timeout, the
 * event tells which came first (CONDVAR or CLOCK). */
static inline cloudabi_event_t gl_cond_wait(_Atomic(uint32_t) *condvar,
					    _Atomic(uint32_t) *lock,
					    cloudabi_scope_t scope,
					    uint64_t timeout_ns)
{
	cloudabi_subscription_t sub = {
		.userdata = 0xc0de,
		.type = CLOUDABI_EVENTTYPE_CONDVAR,
		.condvar = {.condvar = condvar,
			    .lock = lock,
			    .condvar_scope = scope,
			    .lock_scope = scope},
	};
	return gl_poll(&sub, timeout_ns);
}

static inline void gl_cond_signal(_Atomic(uint32_t) *condvar,
				  cloudabi_scope_t scope, uint32_t n)
{
	if (gl_load(condvar) == CLOUDABI_CONDVAR_HAS_NO_WAITERS)
		return;
	if (cloudabi_sys_condvar_signal(condvar, scope, n) != 0)
		gl_failed();
}

/* Yields until *word == want or about two seconds pass; 1 if it did. */
static inline int gl_wait_for_word(_Atomic(uint32_t) *word, uint32_t want)
{
	cloudabi_timestamp_t start = 0, now = 0;
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &start);
	while (gl_load(word) != want) {
		cloudabi_sys_thread_yield();
		cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &now);
		if (now - start > 2000000000u)
			return 0;
	}
	return 1;
}

static inline uint64_t gl_now_ns(void)
{
	cloudabi_timestamp_t t = 0;
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &t);
	return t;
}

#endif

/*
 * Strict turns: thread `me` of `nthreads` runs only when turn % nthreads
 * == me, so every step hands the lock and a broadcast to another thread.
 * A wait that times out (2 s) without the turn having moved is a stall: a
 * lost wake-up would show up here instead of hanging the test.
 */
struct gl_turns {
	_Atomic(uint32_t) lock, cv;
	cloudabi_scope_t scope;
	int nthreads, steps, turn, stalls;
};

static inline void gl_take_turns(struct gl_turns *t, int me)
{
	gl_wrlock(&t->lock, t->scope);
	while (t->turn < t->steps) {
		if (t->turn % t->nthreads != me) {
			int before = t->turn;
			cloudabi_event_t ev =
				gl_cond_wait(&t->cv, &t->lock, t->scope,
					     UINT64_C(2000000000));
			if (ev.type == CLOUDABI_EVENTTYPE_CLOCK &&
			    t->turn == before)
				t->stalls++;
			continue;
		}
		t->turn++;
		gl_cond_signal(&t->cv, t->scope, UINT32_MAX);
	}
	gl_unlock(&t->lock, t->scope);
}

/* lock_handover.c: what other threads see of the protocol: lock hand-over bits, readers, writer preference, condvar moves onto the lock. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define PRIV CLOUDABI_SCOPE_PRIVATE
#define MS UINT64_C(1000000)

static _Atomic(uint32_t) lock, cv;

/* One helper thread: what it did and saw, and when it may go on. */
struct helper {
	capbox_thread_t thread;
	void (*role)(struct helper *);
	_Atomic(uint32_t) ready;   /* about to wait */
	_Atomic(uint32_t) has;     /* got what it waited for */
	_Atomic(uint32_t) release; /* may let go */
	uint32_t seen;             /* the lock word right after */
	cloudabi_eventtype_t event;
};

static void helper_main(void *arg)
{
	struct helper *h = arg;
	h->role(h);
}

static void start(struct helper *h, void (*role)(struct helper *))
{
	h->role = role;
	atomic_store(&h->ready, 0);
	atomic_store(&h->has, 0);
	atomic_store(&h->release, 0);
	if (capbox_thread_start(&h->thread, helper_main, h, 64 * 1024) != 0)
		gl_failed();
}

static void pause_ms(uint64_t ms)
{
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_CLOCK,
		.clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			  .timeout = ms * MS},
	};
	cloudabi_event_t ev;
	size_t n;
	cloudabi_sys_poll(&sub, &ev, 1, &n);
}

/* Hold until told, then let go. */
static void hold(struct helper *h)
{
	atomic_store(&h->has, 1);
	while (atomic_load(&h->release) == 0)
		cloudabi_sys_thread_yield();
}

static void writer(struct helper *h)
{
	atomic_store(&h->ready, 1);
	gl_wrlock(&lock, PRIV);
	h->seen = gl_load(&lock);
	hold(h);
	gl_unlock(&lock, PRIV);
}

static void reader(struct helper *h)
{
	atomic_store(&h->ready, 1);
	gl_rdlock(&lock, PRIV);
	h->seen = gl_load(&lock);
	hold(h);
	gl_rdunlock(&lock, PRIV);
}

/* A reader that gives up after 50 ms. */
static void impatient_reader(struct helper *h)
{
	atomic_store(&h->ready, 1);
	cloudabi_subscription_t sub =
		gl_lock_sub(&lock, PRIV, CLOUDABI_EVENTTYPE_LOCK_RDLOCK);
	cloudabi_event_t ev = gl_poll(&sub, 50 * MS);
	h->event = ev.type;
	if (ev.type == CLOUDABI_EVENTTYPE_LOCK_RDLOCK)
		gl_rdunlock(&lock, PRIV);
	atomic_store(&h->has, 1);
}

static void cond_waiter(struct helper *h)
{
	gl_wrlock(&lock, PRIV);
	atomic_store(&h->ready, 1);
	cloudabi_event_t ev = gl_cond_wait(&cv, &lock, PRIV, 0);
	h->event = ev.type;
	h->seen = gl_load(&lock);
	hold(h);
	gl_unlock(&lock, PRIV);
}

static void wait_ready(struct helper *h)
{
	while (atomic_load(&h->ready) == 0)
		cloudabi_sys_thread_yield();
}

static void finish(struct helper *h)
{
	atomic_store(&h->release, 1);
	if (capbox_thread_join(&h->thread) != 0)
		gl_failed();
}

static void check_one_writer(cloudabi_tid_t me)
{
	struct helper w = {0};
	gl_wrlock(&lock, PRIV);
	start(&w, writer);
	CHECK(gl_wait_for_word(&lock, me | GL_WR | GL_KM),
	      "a waiting writer sets KERNEL_MANAGED on the held lock");
	CHECK_EQ(cloudabi_sys_lock_unlock(&lock, PRIV), 0,
		 "the owner calls lock_unlock");
	CHECK(gl_wait_for_word(&w.has, 1), "the waiter gets the lock");
	CHECK_EQ(
		w.seen, w.thread.tid | GL_WR,
		"handed over as waiter_tid | WRLOCKED, no KERNEL_MANAGED (nobody else waits)");
	finish(&w);
	CHECK_EQ(gl_load(&lock), 0, "its own user-space unlock frees it");
}

static void check_two_writers(cloudabi_tid_t me)
{
	struct helper a = {0}, b = {0};
	gl_wrlock(&lock, PRIV);
	start(&a, writer);
	gl_wait_for_word(&lock, me | GL_WR | GL_KM);
	start(&b, writer);
	wait_ready(&b);
	pause_ms(50); /* b reaches poll */
	gl_unlock(&lock, PRIV);
	CHECK(gl_wait_for_word(&a.has, 1),
	      "the first waiter gets the lock first");
	CHECK_EQ(a.seen, a.thread.tid | GL_WR | GL_KM,
		 "handed over with KERNEL_MANAGED while another waits");
	CHECK_EQ(atomic_load(&b.has), 0, "the second still waits");
	atomic_store(&a.release, 1);
	CHECK(gl_wait_for_word(&b.has, 1),
	      "the first one's unlock hands it on");
	CHECK_EQ(b.seen, b.thread.tid | GL_WR,
		 "to the second, without KERNEL_MANAGED");
	finish(&a);
	finish(&b);
	CHECK_EQ(gl_load(&lock), 0, "free at the end");
}

static void check_readers(cloudabi_tid_t me)
{
	enum { N = 3 };
	struct helper r[N] = {{0}};
	gl_wrlock(&lock, PRIV);
	for (int i = 0; i < N; i++) {
		start(&r[i], reader);
		wait_ready(&r[i]);
	}
	CHECK(gl_wait_for_word(&lock, me | GL_WR | GL_KM),
	      "waiting readers set KERNEL_MANAGED");
	pause_ms(50);
	gl_unlock(&lock, PRIV);
	int all = 1;
	for (int i = 0; i < N; i++)
		all &= gl_wait_for_word(&r[i].has, 1);
	CHECK(all, "unlocking gives the lock to every waiting reader at once");
	CHECK_EQ(gl_load(&lock), N,
		 "the word counts %d readers, no KERNEL_MANAGED", N);
	int saw = 1;
	for (int i = 0; i < N; i++)
		saw &= r[i].seen >= 1 && r[i].seen <= N;
	CHECK(saw, "each reader saw a reader count");
	for (int i = 0; i < N; i++)
		finish(&r[i]);
	CHECK_EQ(gl_load(&lock), 0, "free after the readers left");
}

static void check_writer_preference(void)
{
	struct helper w = {0}, r = {0};
	gl_rdlock(&lock, PRIV);
	start(&w, writer);
	CHECK(gl_wait_for_word(&lock, 1 | GL_KM),
	      "a writer waiting for a read-held lock sets KERNEL_MANAGED (1 | KM)");
	start(&r, impatient_reader);
	CHECK(gl_wait_for_word(&r.has, 1), "a new reader's wait ends");
	CHECK_EQ(r.event, CLOUDABI_EVENTTYPE_CLOCK,
		 "by its timeout: readers do not overtake a waiting writer");
	CHECK_EQ(gl_load(&lock), 1 | GL_KM,
		 "the word is unchanged by the reader that gave up");
	gl_rdunlock(&lock, PRIV);
	CHECK(gl_wait_for_word(&w.has, 1),
	      "the last reader's upgrade + lock_unlock wakes the writer");
	CHECK_EQ(w.seen, w.thread.tid | GL_WR, "which owns it alone");
	finish(&w);
	finish(&r);
	CHECK_EQ(gl_load(&lock), 0, "free at the end");
}

static void check_condvar_move(cloudabi_tid_t me)
{
	struct helper c = {0};
	start(&c, cond_waiter);
	wait_ready(&c);
	CHECK(gl_wait_for_word(&cv, 1),
	      "a condvar waiter makes the condvar word non-zero");
	CHECK(gl_wait_for_word(&lock, 0),
	      "and releases the lock while it waits");
	gl_wrlock(&lock, PRIV);
	CHECK_EQ(cloudabi_sys_condvar_signal(&cv, PRIV, 1), 0,
		 "condvar_signal(1)");
	CHECK_EQ(gl_load(&cv), 0, "no waiter left: the condvar word is 0");
	CHECK_EQ(gl_load(&lock), me | GL_WR | GL_KM,
		 "the waiter moved onto the held lock (KERNEL_MANAGED)");
	CHECK_EQ(atomic_load(&c.has), 0,
		 "it does not run before it has the lock");
	gl_unlock(&lock, PRIV);
	CHECK(gl_wait_for_word(&c.has, 1), "unlocking hands it the lock");
	CHECK(c.event == CLOUDABI_EVENTTYPE_CONDVAR &&
		      c.seen == (c.thread.tid | GL_WR),
	      "its condvar event comes with the lock held for writing");
	finish(&c);

	/* Signalled while nobody holds the lock: it takes it at once. */
	start(&c, cond_waiter);
	wait_ready(&c);
	gl_wait_for_word(&cv, 1);
	gl_wait_for_word(&lock, 0);
	CHECK_EQ(cloudabi_sys_condvar_signal(&cv, PRIV, 5), 0,
		 "condvar_signal(5) without the lock");
	CHECK(gl_wait_for_word(&c.has, 1) && c.seen == (c.thread.tid | GL_WR),
	      "the waiter gets the free lock directly");
	finish(&c);
	CHECK_EQ(gl_load(&lock) | gl_load(&cv), 0, "lock and condvar free");
}

static void check_partial_signal(void)
{
	enum { N = 3 };
	struct helper c[N] = {{0}};
	for (int i = 0; i < N; i++) {
		start(&c[i], cond_waiter);
		wait_ready(&c[i]);
	}
	gl_wrlock(&lock, PRIV); /* every waiter has released it */
	cloudabi_sys_condvar_signal(&cv, PRIV, 2);
	CHECK(gl_load(&cv) != 0,
	      "signalling 2 of 3 leaves the condvar word non-zero");
	gl_unlock(&lock, PRIV);
	int woken = 0;
	for (int i = 0; i < N; i++)
		atomic_store(&c[i].release, 1);
	for (int k = 0; k < 50 && woken < 2; k++) {
		pause_ms(2);
		woken = 0;
		for (int i = 0; i < N; i++)
			woken += atomic_load(&c[i].has);
	}
	pause_ms(30);
	woken = 0;
	for (int i = 0; i < N; i++)
		woken += atomic_load(&c[i].has);
	CHECK_EQ(woken, 2, "exactly two waiters woke");
	gl_wrlock(&lock, PRIV);
	cloudabi_sys_condvar_signal(&cv, PRIV, 1);
	CHECK_EQ(gl_load(&cv), 0, "signalling the last one: 0");
	gl_unlock(&lock, PRIV);
	for (int i = 0; i < N; i++)
		finish(&c[i]);
	int events = 0;
	for (int i = 0; i < N; i++)
		events += c[i].event == CLOUDABI_EVENTTYPE_CONDVAR;
	CHECK_EQ(events, N, "all three got their condvar event");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_tid_t me = capbox_thread_self();
	check_one_writer(me);
	check_two_writers(me);
	check_readers(me);
	check_writer_preference();
	check_condvar_move(me);
	check_partial_signal();
	CHECK_EQ(gl_errors, 0, "no lock operation failed in any thread");
	exit(check_done());
}

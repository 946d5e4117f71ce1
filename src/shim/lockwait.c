/* lockwait.c: the CloudABI lock and condvar protocol: wait queues for PRIVATE words, bare shared futexes for SHARED ones. */
#include "shim/lockwait.h"

#include <linux/futex.h>

#include "shim/linux.h"
#include "shim/mutex.h"
#include "shim/polling.h"
#include "shim/shim.h"
#include "shim/syscalls.h"

#define LOCK_WR CLOUDABI_LOCK_WRLOCKED
#define LOCK_KM CLOUDABI_LOCK_KERNEL_MANAGED
#define LOCK_READERS_MAX (LOCK_WR - 1) /* the low 30 bits */

/* The shared condvar word: waiters in the low half, generation above. */
#define CV_COUNT_MASK UINT32_C(0xffff)
#define CV_GENERATION UINT32_C(0x10000)

enum { WAITER_READER = 1, WAITER_WRITER, WAITER_CONDVAR };
/* WAITING: queued, not (yet) in futex_wait; SLEEPING: queued and about
 * to sleep or asleep, so whoever lets it go must wake the futex. */
enum { STATE_WAITING = 0, STATE_GRANTED, STATE_SIGNALLED, STATE_SLEEPING };

/*
 * How long a waiter without a deadline polls its state before it sleeps,
 * in nanoseconds.  A hand-over between two threads takes 1-3 us when
 * neither sleeps; a thread that sleeps at once lets its CPU go idle, and
 * waking an idle CPU costs 15-50 us in a VM (docs/BENCHMARKS.md).  Between
 * checks the thread yields, so a waker on the same CPU runs at once; a
 * waiter that never slept costs its waker no futex_wake.
 */
#define SPIN_NS 20000
#define SPIN_PAUSES 64 /* pause instructions between two yields */
#define SPINNERS_MAX 2 /* polling at once: both sides of a hand-over */

#define NBUCKETS 64

struct bucket {
	struct shim_mutex mutex;
	struct lockwait_waiter *head, *tail; /* FIFO, every key mixed */
};

static struct bucket buckets[NBUCKETS];

/* Waiters polling right now: with many waiters (a contended lock), the
 * others sleep at once, so that polling never takes the CPU from the
 * threads that hold the lock. */
static _Atomic(uint32_t) spinners;

/* ---- helpers ---------------------------------------------------------- */

static struct bucket *bucket_of(const void *word)
{
	uint64_t h = ((uint64_t)(uintptr_t)word >> 2) *
		     UINT64_C(0x9e3779b97f4a7c15);
	return &buckets[h >> 58];
}

static uint32_t load(_Atomic(uint32_t) *word)
{
	return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}

static void store(_Atomic(uint32_t) *word, uint32_t value)
{
	__atomic_store_n(word, value, __ATOMIC_SEQ_CST);
}

static bool cas(_Atomic(uint32_t) *word, uint32_t old, uint32_t new)
{
	return __atomic_compare_exchange_n(word, &old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static long futex_wait(_Atomic(uint32_t) *word, uint32_t expected, bool shared,
		       const struct lockwait_deadline *deadline)
{
	long op = FUTEX_WAIT_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG);
	const struct __kernel_timespec *at = NULL;
	if (deadline != NULL && deadline->clock >= 0) {
		at = &deadline->at;
		if (deadline->clock == CLOCK_REALTIME)
			op |= FUTEX_CLOCK_REALTIME;
	}
	return linux_syscall6(__NR_futex, (long)word, op, expected, (long)at, 0,
			      (long)FUTEX_BITSET_MATCH_ANY);
}

static void futex_wake(_Atomic(uint32_t) *word, int count, bool shared)
{
	linux_syscall3(__NR_futex, word,
		       FUTEX_WAKE | (shared ? 0 : FUTEX_PRIVATE_FLAG), count);
}

static cloudabi_errno_t check_word(const void *word, cloudabi_scope_t scope)
{
	if (scope != CLOUDABI_SCOPE_PRIVATE && scope != CLOUDABI_SCOPE_SHARED)
		return CLOUDABI_EINVAL;
	if (word == NULL)
		return CLOUDABI_EFAULT;
	if (((uintptr_t)word & 3) != 0)
		return CLOUDABI_EINVAL;
	return 0;
}

static bool holds_wrlock(uint32_t value, uint32_t tid)
{
	return (value & ~LOCK_KM) == (tid | LOCK_WR);
}

/* ---- private wait queues ---------------------------------------------- */

static void enqueue(struct bucket *b, struct lockwait_waiter *w)
{
	w->next = NULL;
	w->prev = b->tail;
	if (b->tail != NULL)
		b->tail->next = w;
	else
		b->head = w;
	b->tail = w;
}

static void dequeue(struct bucket *b, struct lockwait_waiter *w)
{
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		b->head = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	else
		b->tail = w->prev;
	w->prev = w->next = NULL;
}

/* The oldest waiter for `key` of `kind` (0: any kind) other than `skip`. */
static struct lockwait_waiter *find(struct bucket *b, const void *key, int kind,
				    const struct lockwait_waiter *skip)
{
	for (struct lockwait_waiter *w = b->head; w != NULL; w = w->next) {
		if (w->key == key && w != skip &&
		    (kind == 0 || w->kind == kind))
			return w;
	}
	return NULL;
}

static uint32_t count_readers(struct bucket *b, const void *key)
{
	uint32_t n = 0;
	for (struct lockwait_waiter *w = b->head; w != NULL; w = w->next) {
		if (w->key == key && w->kind == WAITER_READER)
			n++;
	}
	return n;
}

static bool still_waiting(uint32_t state)
{
	return state == STATE_WAITING || state == STATE_SLEEPING;
}

/* Lets a waiter go.  It may return (and reuse its record) as soon as the
 * state is stored; a late wake-up on the word is harmless.  A waiter that
 * is still polling (WAITING) sees the store without a futex_wake. */
static void release_waiter(struct lockwait_waiter *w, uint32_t state)
{
	if (__atomic_exchange_n(&w->state, state, __ATOMIC_SEQ_CST) ==
	    STATE_SLEEPING)
		futex_wake(&w->state, 1, false);
}

static void grant_readers(struct bucket *b, const void *key)
{
	struct lockwait_waiter *w = b->head;
	while (w != NULL) {
		struct lockwait_waiter *next = w->next;
		if (w->key == key && w->kind == WAITER_READER) {
			dequeue(b, w);
			release_waiter(w, STATE_GRANTED);
		}
		w = next;
	}
}

/*
 * Under b: replaces `old` (a free lock, or one the caller is releasing) by
 * the next owner(s): the oldest waiting writer, else every waiting reader,
 * else nobody.  False if the word was no longer `old`.
 */
static bool hand_over(struct bucket *b, _Atomic(uint32_t) *lock, uint32_t old)
{
	struct lockwait_waiter *w = find(b, lock, WAITER_WRITER, NULL);
	if (w != NULL) {
		uint32_t more = find(b, lock, 0, w) != NULL ? LOCK_KM : 0;
		if (!cas(lock, old, w->tid | LOCK_WR | more))
			return false;
		dequeue(b, w);
		release_waiter(w, STATE_GRANTED);
		return true;
	}
	if (!cas(lock, old, count_readers(b, lock)))
		return false;
	grant_readers(b, lock);
	return true;
}

/*
 * Under b, after its queue for `lock` changed without the owner's help (a
 * waiter gave up, a condvar waiter arrived): make the word agree with the
 * queue again.
 */
static void settle(struct bucket *b, _Atomic(uint32_t) *lock)
{
	for (;;) {
		uint32_t old = load(lock);
		uint32_t value = old & ~LOCK_KM;
		if (value == 0) {
			if (hand_over(b, lock, old))
				return;
			continue;
		}
		if ((value & LOCK_WR) == 0 &&
		    find(b, lock, WAITER_WRITER, NULL) == NULL) {
			/* Read-held and no writer waits: readers join in. */
			uint32_t n = count_readers(b, lock);
			if (n > LOCK_READERS_MAX - value)
				return;
			if (!cas(lock, old, value + n))
				continue;
			grant_readers(b, lock);
			return;
		}
		uint32_t new = find(b, lock, 0, NULL) != NULL ? old | LOCK_KM
							      : old & ~LOCK_KM;
		if (new == old || cas(lock, old, new))
			return;
	}
}

/* Polls the state (pause, then yield) for at most SPIN_NS; true if the
 * waiter was let go meanwhile.  The state may already be SLEEPING (a timed
 * condvar wait that a signal overtook sleeps again): that is not let go. */
static bool spin_window(struct lockwait_waiter *w)
{
	struct polling_window window;
	polling_window_start(&window);
	do {
		for (int i = 0; i < SPIN_PAUSES; i++) {
			if (!still_waiting(__atomic_load_n(&w->state,
							   __ATOMIC_ACQUIRE)))
				return true;
			__builtin_ia32_pause();
		}
	} while (polling_window_next(&window, SPIN_NS));
	return false;
}

/* spin_window, unless SPINNERS_MAX other waiters already poll. */
static bool spin_on(struct lockwait_waiter *w)
{
	if (__atomic_fetch_add(&spinners, 1, __ATOMIC_RELAXED) >=
	    SPINNERS_MAX) {
		__atomic_fetch_sub(&spinners, 1, __ATOMIC_RELAXED);
		return false;
	}
	bool released = spin_window(w);
	__atomic_fetch_sub(&spinners, 1, __ATOMIC_RELAXED);
	return released;
}

/* Waits until the waiter is let go (the state leaves WAITING and
 * SLEEPING) or the deadline passes.  Only a wait without a deadline polls
 * first: a timed wait sleeps at once, so that it never overshoots. */
static cloudabi_errno_t sleep_on(struct lockwait_waiter *w,
				 const struct lockwait_deadline *deadline)
{
	if ((deadline == NULL || deadline->clock < 0) && spin_on(w))
		return 0;
	for (;;) {
		uint32_t state = __atomic_load_n(&w->state, __ATOMIC_SEQ_CST);
		if (!still_waiting(state))
			return 0;
		if (state == STATE_WAITING &&
		    !cas(&w->state, STATE_WAITING, STATE_SLEEPING))
			continue;
		long r = futex_wait(&w->state, STATE_SLEEPING, false, deadline);
		if (r == -ETIMEDOUT &&
		    still_waiting(__atomic_load_n(&w->state, __ATOMIC_SEQ_CST)))
			return CLOUDABI_ETIMEDOUT;
	}
}

static cloudabi_errno_t private_lock(_Atomic(uint32_t) *lock, int kind,
				     const struct lockwait_deadline *deadline)
{
	struct shim_thread *self = shim_self();
	struct lockwait_waiter *w = &self->wait;
	struct bucket *b = bucket_of(lock);
	shim_mutex_lock(&b->mutex);
	for (;;) {
		uint32_t old = load(lock);
		uint32_t value = old & ~LOCK_KM;
		if (holds_wrlock(old, self->tid)) {
			shim_mutex_unlock(&b->mutex);
			return CLOUDABI_EDEADLK;
		}
		bool free_for_us;
		uint32_t new;
		if (kind == WAITER_WRITER) {
			free_for_us = value == 0;
			new = self->tid | LOCK_WR |
			      (find(b, lock, 0, NULL) != NULL ? LOCK_KM : 0);
		} else {
			free_for_us = (value & LOCK_WR) == 0 &&
				      find(b, lock, WAITER_WRITER, NULL) ==
					      NULL;
			if (free_for_us && value == LOCK_READERS_MAX) {
				shim_mutex_unlock(&b->mutex);
				return CLOUDABI_EAGAIN;
			}
			new = old + 1;
		}
		if (free_for_us) {
			if (!cas(lock, old, new))
				continue;
			shim_mutex_unlock(&b->mutex);
			return 0;
		}
		if ((old & LOCK_KM) == 0 && !cas(lock, old, old | LOCK_KM))
			continue;
		break;
	}
	w->key = lock;
	w->kind = (uint8_t)kind;
	w->tid = self->tid;
	w->on_condvar = false;
	__atomic_store_n(&w->state, STATE_WAITING, __ATOMIC_SEQ_CST);
	enqueue(b, w);
	shim_mutex_unlock(&b->mutex);

	if (sleep_on(w, deadline) == 0)
		return 0;
	shim_mutex_lock(&b->mutex);
	cloudabi_errno_t err = 0;
	if (still_waiting(__atomic_load_n(&w->state, __ATOMIC_SEQ_CST))) {
		dequeue(b, w);
		settle(b, lock);
		err = CLOUDABI_ETIMEDOUT;
	}
	shim_mutex_unlock(&b->mutex);
	return err;
}

static cloudabi_errno_t private_unlock(_Atomic(uint32_t) *lock)
{
	uint32_t tid = shim_self()->tid;
	struct bucket *b = bucket_of(lock);
	cloudabi_errno_t err = 0;
	shim_mutex_lock(&b->mutex);
	for (;;) {
		uint32_t old = load(lock);
		if (!holds_wrlock(old, tid)) {
			err = CLOUDABI_EPERM;
			break;
		}
		if (hand_over(b, lock, old))
			break;
	}
	shim_mutex_unlock(&b->mutex);
	return err;
}

/* ---- shared words: futexes, no queue ---------------------------------- */

static cloudabi_errno_t shared_lock(_Atomic(uint32_t) *lock, int kind,
				    const struct lockwait_deadline *deadline)
{
	uint32_t tid = shim_self()->tid;
	for (;;) {
		uint32_t old = load(lock);
		uint32_t value = old & ~LOCK_KM;
		if (holds_wrlock(old, tid))
			return CLOUDABI_EDEADLK;
		if (kind == WAITER_WRITER && value == 0) {
			if (cas(lock, old, tid | LOCK_WR | (old & LOCK_KM)))
				return 0;
			continue;
		}
		/* Readers wait while a writer holds or (KM) waits. */
		if (kind == WAITER_READER && (value & LOCK_WR) == 0 &&
		    ((old & LOCK_KM) == 0 || value == 0)) {
			if (value == LOCK_READERS_MAX)
				return CLOUDABI_EAGAIN;
			if (cas(lock, old, old + 1))
				return 0;
			continue;
		}
		if ((old & LOCK_KM) == 0) {
			if (!cas(lock, old, old | LOCK_KM))
				continue;
			old |= LOCK_KM;
		}
		if (futex_wait(lock, old, true, deadline) == -ETIMEDOUT)
			return CLOUDABI_ETIMEDOUT;
	}
}

static cloudabi_errno_t shared_unlock(_Atomic(uint32_t) *lock)
{
	uint32_t tid = shim_self()->tid;
	for (;;) {
		uint32_t old = load(lock);
		if (!holds_wrlock(old, tid))
			return CLOUDABI_EPERM;
		if (!cas(lock, old, 0))
			continue;
		if ((old & LOCK_KM) != 0)
			futex_wake(lock, INT32_MAX, true);
		return 0;
	}
}

/* ---- either scope ----------------------------------------------------- */

static cloudabi_errno_t take(_Atomic(uint32_t) *lock, cloudabi_scope_t scope,
			     int kind, const struct lockwait_deadline *deadline)
{
	cloudabi_errno_t err = check_word(lock, scope);
	if (err != 0)
		return err;
	if (scope == CLOUDABI_SCOPE_SHARED)
		return shared_lock(lock, kind, deadline);
	return private_lock(lock, kind, deadline);
}

cloudabi_errno_t lockwait_rdlock(_Atomic(cloudabi_lock_t) *lock,
				 cloudabi_scope_t scope,
				 const struct lockwait_deadline *deadline)
{
	return take(lock, scope, WAITER_READER, deadline);
}

cloudabi_errno_t lockwait_wrlock(_Atomic(cloudabi_lock_t) *lock,
				 cloudabi_scope_t scope,
				 const struct lockwait_deadline *deadline)
{
	return take(lock, scope, WAITER_WRITER, deadline);
}

cloudabi_errno_t lockwait_unlock(_Atomic(cloudabi_lock_t) *lock,
				 cloudabi_scope_t scope)
{
	cloudabi_errno_t err = check_word(lock, scope);
	if (err != 0)
		return err;
	if (scope == CLOUDABI_SCOPE_SHARED)
		return shared_unlock(lock);
	return private_unlock(lock);
}

/* ---- condition variables ---------------------------------------------- */

/* A private condvar's waiter, taken off its queue by a signal. */
static void wake_condvar_waiter(struct lockwait_waiter *w)
{
	if (w->lock_scope == CLOUDABI_SCOPE_SHARED) {
		release_waiter(w, STATE_SIGNALLED); /* it takes the lock */
		return;
	}
	struct bucket *b = bucket_of(w->lock);
	shim_mutex_lock(&b->mutex);
	w->key = w->lock;
	w->kind = WAITER_WRITER;
	enqueue(b, w);
	settle(b, w->lock); /* a free lock is its own at once */
	shim_mutex_unlock(&b->mutex);
}

static cloudabi_errno_t private_condvar_wait(
	_Atomic(uint32_t) *condvar, _Atomic(uint32_t) *lock,
	cloudabi_scope_t lock_scope, const struct lockwait_deadline *deadline)
{
	struct shim_thread *self = shim_self();
	struct lockwait_waiter *w = &self->wait;
	struct bucket *b = bucket_of(condvar);

	shim_mutex_lock(&b->mutex);
	w->key = condvar;
	w->lock = lock;
	w->lock_scope = lock_scope;
	w->kind = WAITER_CONDVAR;
	w->tid = self->tid;
	w->on_condvar = true;
	__atomic_store_n(&w->state, STATE_WAITING, __ATOMIC_SEQ_CST);
	enqueue(b, w);
	if (load(condvar) == CLOUDABI_CONDVAR_HAS_NO_WAITERS)
		store(condvar, 1);
	shim_mutex_unlock(&b->mutex);

	cloudabi_errno_t err = lockwait_unlock(lock, lock_scope);
	bool timed_out = err == 0 && sleep_on(w, deadline) != 0;
	if (err != 0 || timed_out) {
		shim_mutex_lock(&b->mutex);
		bool still_waiting = w->on_condvar;
		if (still_waiting) {
			dequeue(b, w);
			w->on_condvar = false;
			if (find(b, condvar, WAITER_CONDVAR, NULL) == NULL)
				store(condvar, CLOUDABI_CONDVAR_HAS_NO_WAITERS);
		}
		shim_mutex_unlock(&b->mutex);
		if (err != 0 && still_waiting)
			return err; /* the lock was not ours to release */
		if (still_waiting) {
			cloudabi_errno_t again = take(lock, lock_scope,
						      WAITER_WRITER, NULL);
			return again != 0 ? again : CLOUDABI_ETIMEDOUT;
		}
		/* Signalled in the meantime: that wins over the timeout. */
		sleep_on(w, NULL);
	}
	if (__atomic_load_n(&w->state, __ATOMIC_SEQ_CST) == STATE_SIGNALLED)
		return take(lock, lock_scope, WAITER_WRITER, NULL);
	return 0; /* the lock was handed to us */
}

static cloudabi_errno_t private_condvar_signal(_Atomic(uint32_t) *condvar,
					       cloudabi_nthreads_t nwaiters)
{
	struct bucket *b = bucket_of(condvar);
	struct lockwait_waiter *woken = NULL, **tail = &woken;
	shim_mutex_lock(&b->mutex);
	for (; nwaiters > 0; nwaiters--) {
		struct lockwait_waiter *w = find(b, condvar, WAITER_CONDVAR,
						 NULL);
		if (w == NULL)
			break;
		dequeue(b, w);
		w->on_condvar = false;
		*tail = w;
		tail = &w->next;
	}
	if (find(b, condvar, WAITER_CONDVAR, NULL) == NULL)
		store(condvar, CLOUDABI_CONDVAR_HAS_NO_WAITERS);
	shim_mutex_unlock(&b->mutex);
	while (woken != NULL) {
		struct lockwait_waiter *w = woken;
		woken = w->next;
		wake_condvar_waiter(w);
	}
	return 0;
}

/* Leaves a shared condvar's count: the last one out makes the word 0. */
static void shared_condvar_leave(_Atomic(uint32_t) *condvar)
{
	for (;;) {
		uint32_t old = load(condvar);
		uint32_t count = old & CV_COUNT_MASK;
		if (count == 0)
			return; /* the program overwrote it */
		if (cas(condvar, old, count == 1 ? 0 : old - 1))
			return;
	}
}

static cloudabi_errno_t shared_condvar_wait(
	_Atomic(uint32_t) *condvar, _Atomic(uint32_t) *lock,
	cloudabi_scope_t lock_scope, const struct lockwait_deadline *deadline)
{
	uint32_t joined;
	for (;;) {
		uint32_t old = load(condvar);
		if ((old & CV_COUNT_MASK) == CV_COUNT_MASK)
			return CLOUDABI_EAGAIN;
		joined = old + 1;
		if (cas(condvar, old, joined))
			break;
	}
	cloudabi_errno_t err = lockwait_unlock(lock, lock_scope);
	if (err != 0) {
		shared_condvar_leave(condvar);
		return err;
	}
	/* Any change of the word (a signal, or another waiter coming or
	 * going) ends the wait: a spurious wake-up at worst. */
	long r;
	do {
		r = futex_wait(condvar, joined, true, deadline);
	} while (r == -EINTR);
	shared_condvar_leave(condvar);
	err = take(lock, lock_scope, WAITER_WRITER, NULL);
	if (err != 0)
		return err;
	return r == -ETIMEDOUT ? CLOUDABI_ETIMEDOUT : 0;
}

static cloudabi_errno_t shared_condvar_signal(_Atomic(uint32_t) *condvar,
					      cloudabi_nthreads_t nwaiters)
{
	for (;;) {
		uint32_t old = load(condvar);
		if ((old & CV_COUNT_MASK) == 0)
			return 0;
		if (cas(condvar, old, old + CV_GENERATION))
			break;
	}
	futex_wake(condvar, nwaiters > INT32_MAX ? INT32_MAX : (int)nwaiters,
		   true);
	return 0;
}

cloudabi_errno_t lockwait_condvar_wait(_Atomic(cloudabi_condvar_t) *condvar,
				       cloudabi_scope_t condvar_scope,
				       _Atomic(cloudabi_lock_t) *lock,
				       cloudabi_scope_t lock_scope,
				       const struct lockwait_deadline *deadline)
{
	cloudabi_errno_t err = check_word(condvar, condvar_scope);
	if (err == 0)
		err = check_word(lock, lock_scope);
	if (err != 0)
		return err;
	if (!holds_wrlock(load(lock), shim_self()->tid))
		return CLOUDABI_EPERM;
	if (condvar_scope == CLOUDABI_SCOPE_SHARED)
		return shared_condvar_wait(condvar, lock, lock_scope, deadline);
	return private_condvar_wait(condvar, lock, lock_scope, deadline);
}

cloudabi_errno_t lockwait_condvar_signal(_Atomic(cloudabi_condvar_t) *condvar,
					 cloudabi_scope_t scope,
					 cloudabi_nthreads_t nwaiters)
{
	cloudabi_errno_t err = check_word(condvar, scope);
	if (err != 0 || nwaiters == 0)
		return err;
	if (scope == CLOUDABI_SCOPE_SHARED)
		return shared_condvar_signal(condvar, nwaiters);
	return private_condvar_signal(condvar, nwaiters);
}

void lockwait_after_fork(void)
{
	__atomic_store_n(&spinners, 0, __ATOMIC_RELAXED);
	for (size_t i = 0; i < NBUCKETS; i++) {
		shim_mutex_reset(&buckets[i].mutex);
		buckets[i].head = buckets[i].tail = NULL;
	}
}

/* plat_capbox_sync.c: CloudABI threads, locks and condition variables for the benchmarks (the user-space lock protocol plus poll). */
#include <stdatomic.h>

#include "plat_capbox.h"

/* The SDK's record of the initial thread's id (AT_TID). */
extern cloudabi_tid_t __capbox_main_tid;

#define THREAD_STACK_SIZE (256 * 1024)
#define THREAD_SLOTS 2

struct plat_thread {
	_Atomic(cloudabi_lock_t)
		join; /* write-held by the thread while it runs */
	plat_thread_fn *fn;
	void *arg;
	void *stack; /* mapped on first use, then reused */
	int used;
};

static struct plat_thread thread_slots[THREAD_SLOTS];

int plat_poll_one(const cloudabi_subscription_t *sub, cloudabi_event_t *ev)
{
	size_t n;
	cloudabi_errno_t err = cloudabi_sys_poll(sub, ev, 1, &n);
	if (err != 0)
		return plat_result(err);
	if (n != 1 || ev->type != sub->type)
		return CLOUDABI_EIO;
	return plat_result(ev->error);
}

plat_self_t plat_main_self(void)
{
	return __capbox_main_tid;
}

/* Write-locks word: compare-and-swap, else wait in poll. */
static int lock_acquire(_Atomic(cloudabi_lock_t) *word, plat_self_t self)
{
	cloudabi_lock_t expected = CLOUDABI_LOCK_UNLOCKED;
	if (atomic_compare_exchange_strong_explicit(
		    word, &expected, self | CLOUDABI_LOCK_WRLOCKED,
		    memory_order_acquire, memory_order_relaxed))
		return 0;
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_LOCK_WRLOCK,
		.lock.lock = word,
		.lock.lock_scope = CLOUDABI_SCOPE_PRIVATE,
	};
	cloudabi_event_t ev;
	return plat_poll_one(&sub, &ev);
}

/*
 * The join word starts out BOGUS; whichever of the new thread and its
 * creator comes first stores tid | WRLOCKED (both know the tid).
 */
static void claim_join(struct plat_thread *t, cloudabi_tid_t tid)
{
	cloudabi_lock_t expected = CLOUDABI_LOCK_BOGUS;
	atomic_compare_exchange_strong_explicit(
		&t->join, &expected, tid | CLOUDABI_LOCK_WRLOCKED,
		memory_order_acquire, memory_order_relaxed);
}

static _Noreturn void thread_entry(cloudabi_tid_t tid, void *data)
{
	struct plat_thread *t = data;
	claim_join(t, tid);
	t->fn(tid, t->arg);
	cloudabi_sys_thread_exit(&t->join, CLOUDABI_SCOPE_PRIVATE);
}

static struct plat_thread *free_slot(void)
{
	for (int i = 0; i < THREAD_SLOTS; i++) {
		if (!thread_slots[i].used)
			return &thread_slots[i];
	}
	return NULL;
}

int plat_thread_start(plat_thread_fn *fn, void *arg, struct plat_thread **t)
{
	struct plat_thread *th = free_slot();
	if (th == NULL)
		return CLOUDABI_EAGAIN;
	if (th->stack == NULL) {
		int err = plat_map_anon(THREAD_STACK_SIZE, &th->stack);
		if (err != 0)
			return err;
	}
	th->fn = fn;
	th->arg = arg;
	atomic_store_explicit(&th->join, CLOUDABI_LOCK_BOGUS,
			      memory_order_relaxed);
	cloudabi_threadattr_t attr = {
		.entry_point = thread_entry,
		.stack = th->stack,
		.stack_len = THREAD_STACK_SIZE,
		.argument = th,
	};
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_thread_create(&attr, &tid);
	if (err != 0)
		return plat_result(err);
	claim_join(th, tid);
	th->used = 1;
	*t = th;
	return 0;
}

int plat_thread_join(struct plat_thread *t)
{
	/* thread_exit released the join word (to us if we already wait). */
	int err = lock_acquire(&t->join, plat_main_self());
	if (err == 0)
		t->used = 0;
	return err;
}

void plat_mutex_init(struct plat_mutex *m)
{
	atomic_init(&m->word, CLOUDABI_LOCK_UNLOCKED);
}

int plat_mutex_lock(struct plat_mutex *m, plat_self_t self)
{
	return lock_acquire(&m->word, self);
}

int plat_mutex_unlock(struct plat_mutex *m, plat_self_t self)
{
	cloudabi_lock_t expected = self | CLOUDABI_LOCK_WRLOCKED;
	if (atomic_compare_exchange_strong_explicit(
		    &m->word, &expected, CLOUDABI_LOCK_UNLOCKED,
		    memory_order_release, memory_order_relaxed))
		return 0;
	/* KERNEL_MANAGED is set: waiters exist, the host hands it over. */
	return plat_result(
		cloudabi_sys_lock_unlock(&m->word, CLOUDABI_SCOPE_PRIVATE));
}

void plat_cond_init(struct plat_cond *c)
{
	atomic_init(&c->word, CLOUDABI_CONDVAR_HAS_NO_WAITERS);
}

int plat_cond_wait(struct plat_cond *c, struct plat_mutex *m, plat_self_t self)
{
	(void)self; /* the host knows which thread waits */
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_CONDVAR,
		.condvar.condvar = &c->word,
		.condvar.lock = &m->word,
		.condvar.condvar_scope = CLOUDABI_SCOPE_PRIVATE,
		.condvar.lock_scope = CLOUDABI_SCOPE_PRIVATE,
	};
	cloudabi_event_t ev;
	return plat_poll_one(&sub, &ev);
}

int plat_cond_signal(struct plat_cond *c)
{
	if (atomic_load_explicit(&c->word, memory_order_relaxed) ==
	    CLOUDABI_CONDVAR_HAS_NO_WAITERS)
		return 0;
	return plat_result(cloudabi_sys_condvar_signal(
		&c->word, CLOUDABI_SCOPE_PRIVATE, 1));
}

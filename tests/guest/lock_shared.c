/* lock_shared.c: SHARED-scope locks and condvars in shared memory: words, hand-over, readers, contention, mixed scopes, and across proc_fork. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define SHARED CLOUDABI_SCOPE_SHARED
#define PRIV CLOUDABI_SCOPE_PRIVATE
#define MS UINT64_C(1000000)

/* Everything the threads (and a forked child) share. */
struct area {
	_Atomic(uint32_t) lock, cv;
	_Atomic(uint32_t) plock, pcv; /* for the mixed-scope cases */
	int counter, tokens, child_done;
};

static struct area *area;
static size_t area_len = 65536;

/* A shared-memory descriptor, sized and mapped MAP_SHARED. */
static void map_area(void)
{
	cloudabi_fd_t fd;
	void *p = NULL;
	cloudabi_errno_t err =
		cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &fd);
	if (err == 0) {
		cloudabi_filestat_t st = {.st_size = area_len};
		err = cloudabi_sys_file_stat_fput(fd, &st,
						  CLOUDABI_FILESTAT_SIZE);
		if (err == 0)
			err = cloudabi_sys_mem_map(
				NULL, area_len,
				CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
				CLOUDABI_MAP_SHARED, fd, 0, &p);
		cloudabi_sys_fd_close(fd);
	}
	CHECK_EQ(err, 0,
		 "a shared-memory descriptor, sized and mapped MAP_SHARED");
	if (err != 0)
		exit(check_done());
	area = p;
}

struct helper {
	capbox_thread_t thread;
	_Atomic(uint32_t) has, release;
	uint32_t seen;
	cloudabi_eventtype_t event;
	cloudabi_scope_t cv_scope, lock_scope;
};

static void hold(struct helper *h)
{
	atomic_store(&h->has, 1);
	while (atomic_load(&h->release) == 0)
		cloudabi_sys_thread_yield();
}

static void writer(void *arg)
{
	struct helper *h = arg;
	gl_wrlock(&area->lock, SHARED);
	h->seen = gl_load(&area->lock);
	hold(h);
	gl_unlock(&area->lock, SHARED);
}

static void reader(void *arg)
{
	struct helper *h = arg;
	gl_rdlock(&area->lock, SHARED);
	h->seen = gl_load(&area->lock);
	hold(h);
	gl_rdunlock(&area->lock, SHARED);
}

/* Waits on a condvar with the scopes in h (the lock matching the scope). */
static void cond_waiter(void *arg)
{
	struct helper *h = arg;
	_Atomic(uint32_t) *l = h->lock_scope == SHARED ? &area->lock
						       : &area->plock;
	_Atomic(uint32_t) *c = h->cv_scope == SHARED ? &area->cv : &area->pcv;
	gl_wrlock(l, h->lock_scope);
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_CONDVAR,
		.condvar = {.condvar = c,
			    .lock = l,
			    .condvar_scope = h->cv_scope,
			    .lock_scope = h->lock_scope},
	};
	cloudabi_event_t ev = gl_poll(&sub, 0);
	h->event = ev.type;
	h->seen = gl_load(l);
	hold(h);
	gl_unlock(l, h->lock_scope);
}

static void finish(struct helper *h)
{
	atomic_store(&h->release, 1);
	if (capbox_thread_join(&h->thread) != 0)
		gl_failed();
}

static void check_words(cloudabi_tid_t me)
{
	cloudabi_subscription_t sub = gl_lock_sub(
		&area->lock, SHARED, CLOUDABI_EVENTTYPE_LOCK_WRLOCK);
	cloudabi_event_t ev = gl_poll(&sub, 0);
	CHECK(ev.error == 0 && gl_load(&area->lock) == (me | GL_WR),
	      "SHARED poll(lock_wrlock): tid | WRLOCKED");
	ev = gl_poll(&sub, 0);
	CHECK_EQ(ev.error, CLOUDABI_EDEADLK,
		 "SHARED: write-locking again is EDEADLK");
	CHECK_EQ(cloudabi_sys_lock_unlock(&area->lock, SHARED), 0,
		 "SHARED lock_unlock");
	CHECK_EQ(gl_load(&area->lock), 0, "free again");
	CHECK_EQ(cloudabi_sys_lock_unlock(&area->lock, SHARED), CLOUDABI_EPERM,
		 "SHARED lock_unlock of a free lock: EPERM");
	sub.type = CLOUDABI_EVENTTYPE_LOCK_RDLOCK;
	gl_poll(&sub, 0);
	gl_poll(&sub, 0);
	CHECK_EQ(gl_load(&area->lock), 2, "SHARED read locks count up");
	ev = gl_poll(
		&(cloudabi_subscription_t){
			.type = CLOUDABI_EVENTTYPE_LOCK_WRLOCK,
			.lock = {.lock = &area->lock, .lock_scope = SHARED}},
		20 * MS);
	CHECK_EQ(ev.type, CLOUDABI_EVENTTYPE_CLOCK,
		 "SHARED: a writer times out on a read-held lock");
	gl_rdunlock(&area->lock, SHARED);
	gl_rdunlock(&area->lock, SHARED);
	CHECK_EQ(gl_load(&area->lock), 0,
		 "SHARED: the readers' unlocks free it");
}

static void check_handover(cloudabi_tid_t me)
{
	struct helper w = {0};
	gl_wrlock(&area->lock, SHARED);
	capbox_thread_start(&w.thread, writer, &w, 64 * 1024);
	CHECK(gl_wait_for_word(&area->lock, me | GL_WR | GL_KM),
	      "SHARED: a waiter sets KERNEL_MANAGED");
	gl_unlock(&area->lock, SHARED);
	CHECK(gl_wait_for_word(&w.has, 1), "SHARED: the waiter gets the lock");
	CHECK_EQ(w.seen, w.thread.tid | GL_WR, "as waiter_tid | WRLOCKED");
	finish(&w);
	CHECK_EQ(gl_load(&area->lock), 0, "free at the end");

	enum { N = 3 };
	struct helper r[N] = {{0}};
	gl_wrlock(&area->lock, SHARED);
	for (int i = 0; i < N; i++)
		capbox_thread_start(&r[i].thread, reader, &r[i], 64 * 1024);
	gl_wait_for_word(&area->lock, me | GL_WR | GL_KM);
	gl_unlock(&area->lock, SHARED);
	int all = 1;
	for (int i = 0; i < N; i++)
		all &= gl_wait_for_word(&r[i].has, 1);
	CHECK(all && gl_load(&area->lock) == N,
	      "SHARED: the readers all get it after the writer (word %u)",
	      gl_load(&area->lock));
	for (int i = 0; i < N; i++)
		finish(&r[i]);
	CHECK_EQ(gl_load(&area->lock), 0, "free after the readers");
}

static void check_condvar(cloudabi_tid_t me)
{
	static const cloudabi_scope_t scopes[][2] = {
		{SHARED, SHARED}, {PRIV, SHARED}, {SHARED, PRIV}};
	static const char *const names[] = {"shared condvar, shared lock",
					    "private condvar, shared lock",
					    "shared condvar, private lock"};
	for (int k = 0; k < 3; k++) {
		struct helper c = {.cv_scope = scopes[k][0],
				   .lock_scope = scopes[k][1]};
		_Atomic(uint32_t) *l = c.lock_scope == SHARED ? &area->lock
							      : &area->plock;
		_Atomic(uint32_t) *cv = c.cv_scope == SHARED ? &area->cv
							     : &area->pcv;
		capbox_thread_start(&c.thread, cond_waiter, &c, 64 * 1024);
		int waiting = gl_wait_for_word(cv,
					       c.cv_scope == SHARED ? 1 : 1);
		gl_wait_for_word(l, 0);
		gl_wrlock(l, c.lock_scope);
		CHECK_EQ(cloudabi_sys_condvar_signal(cv, c.cv_scope, 1), 0,
			 "%s: signal", names[k]);
		gl_unlock(l, c.lock_scope);
		CHECK(waiting && gl_wait_for_word(&c.has, 1),
		      "%s: the waiter wakes", names[k]);
		CHECK(c.event == CLOUDABI_EVENTTYPE_CONDVAR &&
			      (c.seen & ~GL_KM) == (c.thread.tid | GL_WR),
		      "%s: condvar event with the lock held", names[k]);
		finish(&c);
		CHECK(gl_wait_for_word(cv, 0) && gl_load(l) == 0,
		      "%s: condvar word 0 and lock free afterwards", names[k]);
	}
	(void)me;
}

/* The token scheme of lock_stress.c on SHARED words. */
static void contend(void *arg)
{
	int ops = *(int *)arg;
	for (int i = 0; i < ops; i++) {
		gl_wrlock(&area->lock, SHARED);
		while (area->tokens == 0)
			gl_cond_wait(&area->cv, &area->lock, SHARED, 0);
		area->tokens--;
		area->counter++;
		gl_unlock(&area->lock, SHARED);
		gl_wrlock(&area->lock, SHARED);
		area->tokens++;
		gl_cond_signal(&area->cv, SHARED, 1);
		gl_unlock(&area->lock, SHARED);
	}
}

static _Atomic(int) at_start_line;

static void contend_together(void *arg)
{
	atomic_fetch_add(&at_start_line, 1);
	while (atomic_load(&at_start_line) < 4)
		cloudabi_sys_thread_yield();
	contend(arg);
}

static void check_contention(void)
{
	enum { N = 4, OPS = 5000 }; /* N: see contend_together */
	static capbox_thread_t t[N];
	static int ops = OPS;
	area->counter = 0;
	area->tokens = 1;
	uint64_t start = gl_now_ns();
	int ok = 0;
	for (int i = 0; i < N; i++)
		ok += capbox_thread_start(&t[i], contend_together, &ops, 0) ==
		      0;
	for (int i = 0; i < N; i++)
		ok += capbox_thread_join(&t[i]) == 0;
	CHECK_EQ(ok, 2 * N, "SHARED: %d contending threads ran and ended", N);
	CHECK_EQ(area->counter, N * OPS, "SHARED: the counter is exact");
	CHECK(area->tokens == 1 && gl_load(&area->lock) == 0 &&
		      gl_load(&area->cv) == 0,
	      "SHARED: token back, lock free, condvar word 0");
	dprintf(check_out_fd, "# SHARED: %d operations in %llu ms\n", N * OPS,
		(unsigned long long)((gl_now_ns() - start) / MS));
}

static int turn_ids[3] = {0, 1, 2};

static void take_turns(void *arg)
{
	struct gl_turns *t = (struct gl_turns *)(area + 1);
	gl_take_turns(t, *(int *)arg);
}

static void check_turns(void)
{
	struct gl_turns *t = (struct gl_turns *)(area + 1);
	*t = (struct gl_turns){.scope = SHARED, .nthreads = 3, .steps = 3000};
	static capbox_thread_t threads[3];
	uint64_t start = gl_now_ns();
	int ok = 0;
	for (int i = 0; i < 3; i++)
		ok += capbox_thread_start(&threads[i], take_turns, &turn_ids[i],
					  0) == 0;
	for (int i = 0; i < 3; i++)
		ok += capbox_thread_join(&threads[i]) == 0;
	CHECK_EQ(ok, 6, "SHARED: 3 threads took strict turns and ended");
	CHECK_EQ(t->turn, t->steps, "SHARED: all %d turns were taken",
		 t->steps);
	CHECK_EQ(t->stalls, 0,
		 "SHARED: no wait outlived a 2 s timeout (no lost wake-up)");
	dprintf(check_out_fd, "# SHARED: %d strict turns: %llu ms\n", t->steps,
		(unsigned long long)((gl_now_ns() - start) / MS));
}

static void check_fork(void)
{
	enum { OPS = 2000 };
	cloudabi_fd_t proc;
	cloudabi_tid_t tid;
	area->counter = 0;
	area->tokens = 1;
	area->child_done = 0;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&proc, &tid);
	CHECK_EQ(err, 0, "proc_fork");
	if (err != 0)
		return;
	if (proc == CLOUDABI_PROCESS_CHILD) {
		static int ops = OPS;
		contend(&ops);
		gl_wrlock(&area->lock, SHARED);
		area->child_done = 1;
		gl_cond_signal(&area->cv, SHARED, UINT32_MAX);
		gl_unlock(&area->lock, SHARED);
		cloudabi_sys_proc_exit(0);
	}
	static int ops = OPS;
	contend(&ops);
	uint64_t start = gl_now_ns();
	gl_wrlock(&area->lock, SHARED);
	while (!area->child_done && gl_now_ns() - start < 20000 * MS)
		gl_cond_wait(&area->cv, &area->lock, SHARED, 100 * MS);
	int done = area->child_done;
	gl_unlock(&area->lock, SHARED);
	CHECK(done,
	      "the child finished its share (woken through the shared condvar)");
	CHECK_EQ(area->counter, 2 * OPS,
		 "parent and child counted exactly under the shared lock");
	cloudabi_sys_fd_close(proc);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_tid_t me = capbox_thread_self();
	map_area();
	check_words(me);
	check_handover(me);
	check_condvar(me);
	check_contention();
	check_turns();
	check_fork();
	CHECK_EQ(gl_errors, 0, "no lock operation failed in any thread");
	exit(check_done());
}

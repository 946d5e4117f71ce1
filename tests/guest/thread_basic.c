/* thread_basic.c: thread_create, thread_exit and joining: arguments, thread ids, TLS per thread, errors, record reuse, the thread limit. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <errno.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

/* CAPBOX_MAX_THREADS (src/protocol/hypercall.h), the main thread included. */
#define MAX_THREADS 256

static _Thread_local int tls_value = 42;
static _Thread_local int tls_zero;

struct job {
	int in;
	int out;
	cloudabi_tid_t seen_tid;
	int tls_at_start;
};

static void job_run(void *arg)
{
	struct job *j = arg;
	j->seen_tid = capbox_thread_self();
	j->tls_at_start = tls_value * 1000 + tls_zero;
	tls_value = j->in;
	tls_zero = j->in + 1;
	errno = j->in;
	cloudabi_sys_thread_yield();
	int same = tls_value == j->in && tls_zero == j->in + 1 &&
		   errno == j->in;
	j->out = same ? j->in * 2 : -1;
}

static void check_one_thread(cloudabi_tid_t main_tid)
{
	tls_value = 7;
	errno = EDOM;
	struct job j = {.in = 21};
	capbox_thread_t t;
	CHECK_EQ(capbox_thread_start(&t, job_run, &j, 0), 0,
		 "thread_create works");
	CHECK(t.tid != 0 && t.tid < (1u << 30),
	      "the new tid is non-zero with the top two bits clear (%u)",
	      t.tid);
	CHECK(t.tid != main_tid, "the new tid differs from the main thread's");
	CHECK_EQ(capbox_thread_join(&t), 0, "joining works");
	CHECK_EQ(
		j.out, 42,
		"entry_point got its argument; TLS and errno are the thread's own");
	CHECK_EQ(j.seen_tid, t.tid,
		 "entry_point got the tid that thread_create returned");
	CHECK_EQ(j.tls_at_start, 42000,
		 "a new thread starts from the TLS initialisation image");
	CHECK_EQ(tls_value, 7, "the main thread's TLS variable is untouched");
	CHECK_EQ(errno, EDOM, "the main thread's errno is untouched");
	CHECK_EQ(gl_load(&t.join), main_tid | CLOUDABI_LOCK_WRLOCKED,
		 "the joiner now holds the join lock released by thread_exit");
}

static void check_concurrent(void)
{
	enum { N = 16 };
	static struct job jobs[N];
	static capbox_thread_t threads[N];
	int started = 0, joined = 0, right = 0, distinct = 1;
	for (int i = 0; i < N; i++) {
		jobs[i] = (struct job){.in = 100 + i};
		if (capbox_thread_start(&threads[i], job_run, &jobs[i],
					64 * 1024) == 0)
			started++;
	}
	for (int i = 0; i < N; i++) {
		if (capbox_thread_join(&threads[i]) == 0)
			joined++;
		if (jobs[i].out == 2 * (100 + i) &&
		    jobs[i].seen_tid == threads[i].tid)
			right++;
		for (int k = 0; k < i; k++)
			distinct &= threads[k].tid != threads[i].tid;
	}
	CHECK_EQ(started, N, "%d threads start at once", N);
	CHECK_EQ(joined, N, "all %d are joined", N);
	CHECK_EQ(right, N, "each one saw its own argument, tid and TLS");
	CHECK(distinct, "their thread ids are distinct");
}

/* More threads one after another than there are records: reuse. */
static void check_sequential(void)
{
	enum { N = 400 };
	int ok = 0;
	uint64_t start = gl_now_ns();
	for (int i = 0; i < N; i++) {
		struct job j = {.in = i};
		capbox_thread_t t;
		if (capbox_thread_start(&t, job_run, &j, 16 * 1024) != 0)
			break;
		if (capbox_thread_join(&t) == 0 && j.out == 2 * i)
			ok++;
	}
	uint64_t ms = (gl_now_ns() - start) / 1000000;
	CHECK_EQ(ok, N, "%d threads created and joined one after another", N);
	dprintf(check_out_fd, "# %d create/join pairs took %llu ms\n", N,
		(unsigned long long)ms);
}

static void check_errors(void)
{
	static char stack[4096] __attribute__((aligned(16)));
	cloudabi_tid_t tid = 0;
	cloudabi_threadattr_t attr = {.entry_point = NULL,
				      .stack = stack,
				      .stack_len = sizeof(stack)};
	CHECK_EQ(cloudabi_sys_thread_create(&attr, &tid), CLOUDABI_EINVAL,
		 "thread_create without an entry point: EINVAL");
	attr.entry_point = (cloudabi_threadentry_t *)job_run;
	attr.stack_len = 0;
	CHECK_EQ(cloudabi_sys_thread_create(&attr, &tid), CLOUDABI_EINVAL,
		 "thread_create with an empty stack: EINVAL");
	attr.stack_len = 8;
	CHECK_EQ(cloudabi_sys_thread_create(&attr, &tid), CLOUDABI_EINVAL,
		 "thread_create with an 8-byte stack: EINVAL");
	attr.stack = (void *)(uintptr_t)-64;
	attr.stack_len = 4096;
	CHECK_EQ(cloudabi_sys_thread_create(&attr, &tid), CLOUDABI_EINVAL,
		 "thread_create with a stack range that wraps: EINVAL");
	CHECK_EQ(tid, 0, "no tid is written on failure");
	CHECK_EQ(cloudabi_sys_thread_yield(), 0, "thread_yield returns 0");
}

/* Threads parked on a condvar until the gate opens. */
static _Atomic(uint32_t) gate_lock, gate_cv;
static int gate_open, gate_passed;

static void wait_at_gate(void *arg)
{
	(void)arg;
	gl_wrlock(&gate_lock, CLOUDABI_SCOPE_PRIVATE);
	while (!gate_open)
		gl_cond_wait(&gate_cv, &gate_lock, CLOUDABI_SCOPE_PRIVATE, 0);
	gate_passed++;
	gl_unlock(&gate_lock, CLOUDABI_SCOPE_PRIVATE);
}

static void check_limit(void)
{
	static capbox_thread_t threads[MAX_THREADS + 8];
	int n = 0, err = 0;
	while (n < MAX_THREADS + 8) {
		err = capbox_thread_start(&threads[n], wait_at_gate, NULL,
					  16 * 1024);
		if (err != 0)
			break;
		n++;
	}
	CHECK_EQ(n, MAX_THREADS - 1, "%d threads besides the main one can run",
		 MAX_THREADS - 1);
	CHECK_EQ(err, CLOUDABI_EAGAIN, "one more: EAGAIN");

	gl_wrlock(&gate_lock, CLOUDABI_SCOPE_PRIVATE);
	gate_open = 1;
	gl_cond_signal(&gate_cv, CLOUDABI_SCOPE_PRIVATE, UINT32_MAX);
	gl_unlock(&gate_lock, CLOUDABI_SCOPE_PRIVATE);
	int joined = 0;
	for (int i = 0; i < n; i++)
		joined += capbox_thread_join(&threads[i]) == 0;
	CHECK_EQ(joined, n, "every parked thread was woken and joined");
	CHECK_EQ(gate_passed, n, "each passed the gate once, under the lock");
	CHECK_EQ(gl_load(&gate_cv), 0, "the condvar word is 0 again");

	struct job j = {.in = 5};
	capbox_thread_t t;
	CHECK_EQ(capbox_thread_start(&t, job_run, &j, 0), 0,
		 "after they ended a new thread starts again");
	CHECK_EQ(capbox_thread_join(&t) == 0 ? j.out : -1, 10, "and runs");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_tid_t main_tid = capbox_thread_self();
	CHECK(main_tid != 0 && main_tid < (1u << 30),
	      "the main thread has a tid (%u)", main_tid);
	check_one_thread(main_tid);
	check_concurrent();
	check_errors();
	check_sequential();
	check_limit();
	CHECK_EQ(gl_errors, 0, "no lock operation failed in any thread");
	exit(check_done());
}

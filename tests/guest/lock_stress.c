/* lock_stress.c: 8 threads on one lock and condvar for 100,000 operations (exact count, no lost wake-up), readers/writers, timed waits racing signals. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define PRIV CLOUDABI_SCOPE_PRIVATE
#define MS UINT64_C(1000000)

enum { NTHREADS = 8, OPERATIONS = 100000, TOKENS = 2 };

static _Atomic(uint32_t) lock, cv;
static int counter, tokens = TOKENS, max_tokens_seen, waits;

/* Every thread starts contending at the same moment. */
static _Atomic(int) at_start_line;

/* Take one of TOKENS tokens (waiting on the condvar while none is left),
 * count, give it back and wake one waiter; every 16th time the signal
 * comes after the unlock. */
static void contend(void *arg)
{
	int ops = *(int *)arg;
	atomic_fetch_add(&at_start_line, 1);
	while (atomic_load(&at_start_line) < NTHREADS)
		cloudabi_sys_thread_yield();
	for (int i = 0; i < ops; i++) {
		gl_wrlock(&lock, PRIV);
		while (tokens == 0) {
			waits++;
			gl_cond_wait(&cv, &lock, PRIV, 0);
		}
		tokens--;
		counter++;
		gl_unlock(&lock, PRIV);

		gl_wrlock(&lock, PRIV);
		tokens++;
		if (tokens > max_tokens_seen)
			max_tokens_seen = tokens;
		if (i % 16 != 0)
			gl_cond_signal(&cv, PRIV, 1);
		gl_unlock(&lock, PRIV);
		if (i % 16 == 0)
			gl_cond_signal(&cv, PRIV, 1);
	}
}

static void check_contention(void)
{
	static capbox_thread_t threads[NTHREADS];
	static int share = OPERATIONS / NTHREADS;
	int started = 0;
	uint64_t start = gl_now_ns();
	for (int i = 0; i < NTHREADS; i++)
		started += capbox_thread_start(&threads[i], contend, &share,
					       0) == 0;
	int joined = 0;
	for (int i = 0; i < NTHREADS; i++)
		joined += capbox_thread_join(&threads[i]) == 0;
	uint64_t ms = (gl_now_ns() - start) / MS;
	CHECK_EQ(started, NTHREADS, "%d threads started", NTHREADS);
	CHECK_EQ(joined, NTHREADS, "all of them finished (no deadlock)");
	CHECK_EQ(counter, OPERATIONS,
		 "the counter is exact after %d operations", OPERATIONS);
	CHECK_EQ(tokens, TOKENS, "every token came back");
	CHECK_EQ(max_tokens_seen, TOKENS, "never more tokens than exist");
	CHECK_EQ(gl_load(&lock), 0, "the lock is free");
	CHECK_EQ(gl_load(&cv), 0, "the condvar word is 0: nobody waits");
	/* No time limit here: speed is for make bench; a deadlock ends in
	 * the runner's timeout and the join checks above. */
	dprintf(check_out_fd,
		"# %d operations on %d threads: %llu ms, %d condvar waits\n",
		OPERATIONS, NTHREADS, (unsigned long long)ms, waits);
}

/* Readers check that the writers' two fields always agree. */
static _Atomic(uint32_t) rw;
static int field_a, field_b;
static _Atomic(int) torn, readers_inside, max_readers_inside, writes_left;

static void rw_reader(void *arg)
{
	(void)arg;
	while (atomic_load(&writes_left) > 0) {
		gl_rdlock(&rw, PRIV);
		int inside = atomic_fetch_add(&readers_inside, 1) + 1;
		int seen = atomic_load(&max_readers_inside);
		while (inside > seen &&
		       !atomic_compare_exchange_weak(&max_readers_inside, &seen,
						     inside)) {
		}
		if (field_a != field_b)
			atomic_fetch_add(&torn, 1);
		atomic_fetch_sub(&readers_inside, 1);
		gl_rdunlock(&rw, PRIV);
	}
}

static void rw_writer(void *arg)
{
	int n = *(int *)arg;
	for (int i = 0; i < n; i++) {
		gl_wrlock(&rw, PRIV);
		if (atomic_load(&readers_inside) != 0)
			atomic_fetch_add(&torn, 1);
		field_a++;
		cloudabi_sys_thread_yield();
		field_b++;
		gl_unlock(&rw, PRIV);
		atomic_fetch_sub(&writes_left, 1);
	}
}

static void check_readers_writers(void)
{
	enum { READERS = 4, WRITERS = 2, WRITES = 3000 };
	static capbox_thread_t threads[READERS + WRITERS];
	static int per_writer = WRITES;
	atomic_store(&writes_left, WRITERS * WRITES);
	int started = 0, joined = 0;
	for (int i = 0; i < READERS + WRITERS; i++)
		started += capbox_thread_start(&threads[i],
					       i < READERS ? rw_reader
							   : rw_writer,
					       &per_writer, 0) == 0;
	for (int i = 0; i < READERS + WRITERS; i++)
		joined += capbox_thread_join(&threads[i]) == 0;
	CHECK_EQ(started + joined, 2 * (READERS + WRITERS),
		 "%d readers and %d writers ran", READERS, WRITERS);
	CHECK_EQ(field_a, WRITERS * WRITES, "every write happened");
	CHECK_EQ(field_b, field_a, "no write was lost");
	CHECK_EQ(atomic_load(&torn), 0,
		 "no reader saw a half-done write, no writer saw a reader");
	CHECK_EQ(gl_load(&rw), 0, "the lock is free");
	dprintf(check_out_fd, "# at most %d readers inside at once\n",
		atomic_load(&max_readers_inside));
}

/* Consumers wait with short timeouts while producers signal. */
static _Atomic(uint32_t) q_lock, q_cv;
static int q_items, q_produced, q_consumed, q_timeouts;
static _Atomic(int) q_not_owner;
enum { ITEMS = 20000 };

static void producer(void *arg)
{
	int n = *(int *)arg;
	for (int i = 0; i < n; i++) {
		gl_wrlock(&q_lock, PRIV);
		q_items++;
		q_produced++;
		gl_cond_signal(&q_cv, PRIV, 1);
		gl_unlock(&q_lock, PRIV);
		if (i % 64 == 0)
			cloudabi_sys_thread_yield();
	}
}

static void consumer(void *arg)
{
	(void)arg;
	uint32_t me = capbox_thread_self() | GL_WR;
	gl_wrlock(&q_lock, PRIV);
	while (q_consumed < ITEMS) {
		if (q_items == 0) {
			cloudabi_event_t ev = gl_cond_wait(&q_cv, &q_lock, PRIV,
							   MS / 5);
			if ((gl_load(&q_lock) & ~GL_KM) != me)
				atomic_fetch_add(&q_not_owner, 1);
			if (ev.type == CLOUDABI_EVENTTYPE_CLOCK)
				q_timeouts++;
			continue;
		}
		q_items--;
		q_consumed++;
	}
	gl_unlock(&q_lock, PRIV);
	/* Wake the other consumers so they see the end. */
	gl_cond_signal(&q_cv, PRIV, UINT32_MAX);
}

static void check_timed_waits(void)
{
	enum { PRODUCERS = 2, CONSUMERS = 3 };
	static capbox_thread_t threads[PRODUCERS + CONSUMERS];
	static int per_producer = ITEMS / PRODUCERS;
	int ok = 0;
	for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
		ok += capbox_thread_start(&threads[i],
					  i < PRODUCERS ? producer : consumer,
					  &per_producer, 0) == 0;
	for (int i = 0; i < PRODUCERS + CONSUMERS; i++)
		ok += capbox_thread_join(&threads[i]) == 0;
	CHECK_EQ(ok, 2 * (PRODUCERS + CONSUMERS),
		 "producers and consumers ran and ended");
	CHECK_EQ(atomic_load(&q_not_owner), 0,
		 "every timed wait returned with the lock held");
	CHECK_EQ(q_consumed, ITEMS, "every item was consumed exactly once");
	CHECK_EQ(q_items, 0, "none left over");
	CHECK_EQ(gl_load(&q_lock) | gl_load(&q_cv), 0,
		 "lock and condvar free at the end");
	dprintf(check_out_fd, "# %d timed waits ended by their clock\n",
		q_timeouts);
}

static struct gl_turns turns = {.scope = PRIV, .nthreads = 3, .steps = 6000};
static int turn_ids[3] = {0, 1, 2};

static void take_turns(void *arg)
{
	gl_take_turns(&turns, *(int *)arg);
}

static void check_turns(void)
{
	static capbox_thread_t threads[3];
	uint64_t start = gl_now_ns();
	int ok = 0;
	for (int i = 0; i < 3; i++)
		ok += capbox_thread_start(&threads[i], take_turns, &turn_ids[i],
					  0) == 0;
	for (int i = 0; i < 3; i++)
		ok += capbox_thread_join(&threads[i]) == 0;
	CHECK_EQ(ok, 6, "3 threads took strict turns and ended");
	CHECK_EQ(turns.turn, turns.steps, "all %d turns were taken",
		 turns.steps);
	CHECK_EQ(turns.stalls, 0,
		 "no wait outlived a 2 s timeout (no lost wake-up)");
	dprintf(check_out_fd, "# %d strict turns (broadcast each): %llu ms\n",
		turns.steps, (unsigned long long)((gl_now_ns() - start) / MS));
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	check_contention();
	check_readers_writers();
	check_timed_waits();
	check_turns();
	CHECK_EQ(gl_errors, 0, "no lock operation failed in any thread");
	exit(check_done());
}

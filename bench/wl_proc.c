/* wl_proc.c: memory, thread, process, clock and random workloads. */
#include "workload.h"

#define MAP_SIZE (1024 * 1024)
#define RANDOM_SIZE 64

static int map_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		void *mem;
		TRY(plat_map_anon(MAP_SIZE, &mem));
		TRY(plat_unmap(mem, MAP_SIZE));
	}
	return 0;
}

static void thread_body(plat_self_t self, void *arg)
{
	(void)self;
	(void)arg;
}

static int thread_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		struct plat_thread *t;
		TRY(plat_thread_start(thread_body, NULL, &t));
		TRY(plat_thread_join(t));
	}
	return 0;
}

static int fork_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int child, is_child, code;
		TRY(plat_fork(&child, &is_child));
		if (is_child)
			plat_child_exit(7);
		TRY(plat_wait(child, &code));
		EXPECT(code == 7);
	}
	return 0;
}

static int clock_loop(uint64_t n)
{
	uint64_t last = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t now;
		TRY(plat_clock_ns(&now));
		EXPECT(now >= last);
		last = now;
	}
	return 0;
}

/* clock_gettime_2t: n clock reads in all, shared by two threads (the
 * traced throughput of a multi-threaded program, docs/BENCHMARKS.md). */
#define CLOCK_THREADS 2 /* the platforms keep two thread slots */
struct clock_share {
	uint64_t n;
	int result;
};

static void clock_body(plat_self_t self, void *arg)
{
	(void)self;
	struct clock_share *share = arg;
	share->result = clock_loop(share->n);
}

static int clock_threads_loop(uint64_t n)
{
	struct clock_share share[CLOCK_THREADS];
	struct plat_thread *t[CLOCK_THREADS];
	for (int i = 0; i < CLOCK_THREADS; i++) {
		share[i] = (struct clock_share){n / CLOCK_THREADS, 0};
		TRY(plat_thread_start(clock_body, &share[i], &t[i]));
	}
	for (int i = 0; i < CLOCK_THREADS; i++) {
		TRY(plat_thread_join(t[i]));
		TRY(share[i].result);
	}
	return 0;
}

static int random_loop(uint64_t n)
{
	unsigned char buf[RANDOM_SIZE];
	for (uint64_t i = 0; i < n; i++)
		TRY(plat_random(buf, sizeof(buf)));
	return 0;
}

const struct workload bench_proc[] = {
	{"mmap_1m", NULL, map_loop, NULL},
	{"thread_create_join", NULL, thread_loop, NULL},
	{"fork_exit_wait", NULL, fork_loop, NULL},
	{"clock_gettime", NULL, clock_loop, NULL},
	{"clock_gettime_2t", NULL, clock_threads_loop, NULL},
	{"random_64", NULL, random_loop, NULL},
	{NULL, NULL, NULL, NULL},
};

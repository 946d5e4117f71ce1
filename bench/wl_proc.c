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
	{"random_64", NULL, random_loop, NULL},
	{NULL, NULL, NULL, NULL},
};

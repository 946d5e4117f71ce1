/* driver.c: finds a workload by name, warms it up, times N iterations and prints ns_per_op (shared by both platforms). */
#include <stdio.h>
#include <string.h>

#include "workload.h"

const char *bench_failed = "?";

/* Exit statuses the runner reads. */
#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_ENOSYS 3

static const struct workload *const bench_groups[] = {
	bench_files,
	bench_ipc,
	bench_proc,
};

static const struct workload *find_workload(const char *name)
{
	for (size_t g = 0; g < sizeof(bench_groups) / sizeof(bench_groups[0]);
	     g++) {
		for (const struct workload *w = bench_groups[g]; w->name; w++) {
			if (strcmp(w->name, name) == 0)
				return w;
		}
	}
	return NULL;
}

/* Reports a failed step; returns the exit status. */
static int report_failure(const struct plat_env *env, const char *name, int err)
{
	char line[512];
	/* The failed call's function name: the text before its '('. */
	const char *paren = strchr(bench_failed, '(');
	int call_len = paren != NULL ? (int)(paren - bench_failed)
				     : (int)strlen(bench_failed);
	if (err == PLAT_ENOSYS) {
		snprintf(line, sizeof(line), "%s n/a (ENOSYS) in %.*s\n", name,
			 call_len, bench_failed);
		plat_print(env, line);
		return EXIT_ENOSYS;
	}
	snprintf(line, sizeof(line), "%s error in %.*s: code %d\n", name,
		 call_len, bench_failed, err);
	plat_print(env, line);
	return EXIT_FAILED;
}

/*
 * Idle sandbox for the footprint measurement: says "ready", then blocks
 * reading "in" until a byte, end of file or an error arrives.
 */
static int idle(const struct plat_env *env)
{
	char byte;
	size_t done;
	plat_print(env, "ready\n");
	plat_read(env->in, &byte, 1, &done);
	return EXIT_OK;
}

/* Runs loop(n) and stores the elapsed monotonic nanoseconds. */
static int timed(const struct workload *w, uint64_t n, uint64_t *ns)
{
	uint64_t start, end;
	TRY(plat_clock_ns(&start));
	int err = w->loop(n);
	if (err != 0)
		return err;
	TRY(plat_clock_ns(&end));
	*ns = end - start;
	return 0;
}

static int measure(const struct plat_env *env, const struct workload *w,
		   uint64_t iterations, uint64_t *ns)
{
	uint64_t warmup = iterations / 10 > 0 ? iterations / 10 : 1;
	uint64_t ignored;
	if (w->setup != NULL) {
		int err = w->setup(env);
		if (err != 0)
			return err;
	}
	int err = timed(w, warmup, &ignored);
	if (err == 0)
		err = timed(w, iterations, ns);
	if (w->teardown != NULL)
		w->teardown();
	return err;
}

int bench_main(const struct plat_env *env, const char *name,
	       uint64_t iterations)
{
	if (strcmp(name, "idle") == 0)
		return idle(env);
	const struct workload *w = find_workload(name);
	if (w == NULL || iterations == 0) {
		char line[256];
		snprintf(line, sizeof(line),
			 "%s: unknown workload or no iterations\n", name);
		plat_print(env, line);
		return EXIT_USAGE;
	}
	uint64_t ns = 0;
	int err = measure(env, w, iterations, &ns);
	if (err != 0)
		return report_failure(env, name, err);
	/* Picoseconds per operation, printed as nanoseconds with 3 decimals. */
	unsigned long long ps = (unsigned long long)(ns * 1000 / iterations);
	char line[256];
	snprintf(line, sizeof(line), "%s ns_per_op=%llu.%03llu iters=%llu\n",
		 name, ps / 1000, ps % 1000, (unsigned long long)iterations);
	plat_print(env, line);
	return EXIT_OK;
}

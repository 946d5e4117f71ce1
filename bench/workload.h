/* workload.h: what a benchmark workload provides to the driver, and the error bookkeeping they share. */
#ifndef CAPBOX_BENCH_WORKLOAD_H
#define CAPBOX_BENCH_WORKLOAD_H

#include "plat.h"

/* A transfer moved fewer bytes, or a result was not what was asked for. */
#define BENCH_EUNEXPECTED (-2)

struct workload {
	const char *name;
	/* Prepares the state loop uses (may be NULL). */
	int (*setup)(const struct plat_env *env);
	/* Performs the operation n times. */
	int (*loop)(uint64_t n);
	/* Releases what setup took (may be NULL). */
	void (*teardown)(void);
};

/* The expression that failed last, for the report. */
extern const char *bench_failed;

/* Evaluates a platform call; on failure records it and returns its code. */
#define TRY(call)                                                              \
	do {                                                                   \
		int try_err_ = (call);                                         \
		if (try_err_ != 0) {                                           \
			bench_failed = #call;                                  \
			return try_err_;                                       \
		}                                                              \
	} while (0)

/* Fails with BENCH_EUNEXPECTED unless cond holds. */
#define EXPECT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			bench_failed = #cond;                                  \
			return BENCH_EUNEXPECTED;                              \
		}                                                              \
	} while (0)

/* The workload groups, each terminated by an entry with a NULL name. */
extern const struct workload bench_files[]; /* wl_files.c */
extern const struct workload bench_ipc[];   /* wl_ipc.c */
extern const struct workload bench_proc[];  /* wl_proc.c */

#endif

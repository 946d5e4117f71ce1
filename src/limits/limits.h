/* limits.h: the sandbox's budgets: what was asked, how each is enforced, the broker's check and the end it makes. */
#ifndef CAPBOX_LIMITS_LIMITS_H
#define CAPBOX_LIMITS_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the command line asked for; 0 is "no limit" for each. */
struct limits_request {
	uint64_t time_ns;      /* --time-limit: wall clock of the sandbox */
	uint64_t cpu_ns;       /* --cpu-limit: CPU time of all its processes */
	uint64_t memory_bytes; /* --memory-limit: all its memory */
	uint64_t file_size;    /* --max-file-size: bytes, RLIMIT_FSIZE */
	uint32_t cpus_milli;   /* --cpus: CPUs' worth of time, in 1/1000 */
	uint32_t cpu_share;    /* --cpu-share: relative weight, 1..10000 */
	uint32_t tasks;        /* processes and threads together (pids.max) */
	bool require;          /* --require-limits: refuse a weaker mechanism */
	bool verbose;          /* --verbose: say which mechanism holds each */
};

/* The values of the options (limits_parse.c); each returns 0, or -1 for
 * a value that is malformed or out of range (the caller names it). */
int limits_parse_duration(const char *text, uint64_t *ns);
int limits_parse_size(const char *text, uint64_t *bytes);
int limits_parse_cpus(const char *text, uint32_t *milli);

/* Bounds of the values (docs/CLI.md). */
#define LIMITS_DURATION_MAX_NS (UINT64_C(1000000) * 1000000000u) /* 11.5 d */
#define LIMITS_MEMORY_MIN (UINT64_C(16) << 20)
#define LIMITS_SIZE_MAX (UINT64_C(1) << 50) /* 1 PiB */

/*
 * The budgets are set up in steps, so that making the cgroups (a few
 * hundred microseconds of mkdir and writes) runs beside the start instead
 * of delaying it:
 * - limits_plan, in `capbox run` before the broker is forked: takes the
 *   request (the wall clock starts here), prepares the handoffs and says
 *   what the launcher must keep and when limits_make runs.
 * - limits_make, in the launcher (src/broker/pidns.h
 *   pidns_launcher_hook): once the broker has forked the first guest
 *   process and compiled its filter, beside the guest's own set-up; or,
 *   when a budget is held by cgroup v2 (before_guest), right after the
 *   broker is forked, since the guest is then forked into that cgroup.
 *   Chooses the mechanism of each limit, makes the sandbox's cgroups
 *   (under capbox's own, named capbox-PID), with req->verbose says what
 *   holds each, and hands the cgroups over.  Under req->require a limit
 *   that would have only the weaker mechanism ends capbox (125) instead,
 *   and the broker with it.  The cgroups are removed when the sandbox is
 *   empty (limits_teardown, from pidns_at_sandbox_end).
 * - limits_before_fork, in the broker right before it forks the first
 *   guest process: 0 and in *cgroup the cgroup v2 to fork it into (or
 *   -1); else an errno (EPIPE: the launcher sent nothing and ended,
 *   having said why).
 * - limits_enter (below), in the first guest process before it runs.
 * - limits_receive, in the broker once the first guest process is forked,
 *   while that process sets itself up: the cgroups' places for its checks,
 *   if limits_before_fork did not take them, and the counters it reads
 *   kept open; 0, or an errno as limits_before_fork.
 */
#define LIMITS_KEEP_MAX 2
struct limits_launch {
	int keep[LIMITS_KEEP_MAX]; /* the launcher's descriptors for limits_make */
	size_t nkeep;
	bool before_guest; /* limits_make runs before the guest is forked */
};
void limits_plan(const struct limits_request *req, struct limits_launch *out);
void limits_make(void);
int limits_before_fork(int *cgroup);
int limits_receive(void);

/* In the first guest process, after its namespaces are made (src/broker/
 * spawn/spawn.h): waits for what the launcher hands it, enters the
 * cgroups (while single-threaded: cg_join_file), and gives the RLIMIT_CPU
 * (seconds) and RLIMIT_AS (bytes) that stand in for a cgroup the launcher
 * could not make, 0 for none.  0 or an errno. */
int limits_enter(uint64_t *rlimit_cpu_s, uint64_t *rlimit_as);

/* RLIMIT_FSIZE for --max-file-size, on the broker: every guest inherits
 * it, and the broker's own forwarded writes are bounded by it too (it
 * ignores SIGXFSZ: a write past it is EFBIG).  Returns 0 or an errno. */
int limits_apply_file_size(void);

/* How often the broker calls limits_check while a limit needs it; 0 when
 * none does. */
uint64_t limits_check_period_ns(void);

/* In the broker: 0 while every budget holds; else the exit status of the
 * spent one, after printing its one line.  `live` is the broker's count
 * of the sandbox's processes. */
int limits_check(size_t live);

/* In the broker after the main process ended (by signal `sig`, or 0):
 * the status of a budget it ended by (a process the kernel killed for
 * the memory limit, or the CPU rlimit's SIGXCPU/SIGKILL), after its one
 * line; else 0. */
int limits_verdict(int sig, size_t live);

/* One line, with --stats: the use of each limited resource and the
 * mechanism that bounded it. */
void limits_print_stats(void);

/* Kills what is left in the cgroups and removes them (in the process that
 * made them; elsewhere nothing).  Safe to call more than once. */
void limits_teardown(void);

#endif

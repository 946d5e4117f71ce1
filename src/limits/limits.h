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
 * In `capbox run`, before the broker is forked: chooses the mechanism of
 * each limit asked for, makes the sandbox's cgroups (under capbox's own,
 * named capbox-PID), and with req->verbose says what holds each.  Under
 * req->require a limit that would have only the weaker mechanism ends
 * capbox (125) instead.  The cgroups are removed when the process that
 * made them exits (limits_teardown).
 */
void limits_setup(const struct limits_request *req);

/* What the first guest process takes on before it runs (src/broker/
 * spawn/spawn.h): it writes "0" to each of join_fds (the cgroups'
 * cgroup.procs, so it and every process it makes stay in them), and lowers
 * RLIMIT_CPU and RLIMIT_AS to these values where not 0 (where a cgroup
 * does not hold that limit). */
struct limits_guest {
	const int *join_fds;
	size_t njoin;
	uint64_t rlimit_cpu_s;
	uint64_t rlimit_as;
};
void limits_for_guest(struct limits_guest *out);

/* After the first guest process started: the broker closes join_fds. */
void limits_guest_started(void);

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

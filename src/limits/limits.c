/* limits.c: the sandbox's budgets: the mechanism of each, the broker's periodic check, the one line and the exit status when one is spent. */
#include "limits/limits.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "broker/diag.h"
#include "confine/confine.h"
#include "limits/limits_cgroup.h"
#include "limits/limits_handoff.h"

/* How often the broker looks at the clock and the counters: the most a
 * budget is overrun by (plus the time the kernel takes to kill). */
#define CHECK_PERIOD_NS 50000000u

static struct limits_request want;
static struct cg_place places[CG_COUNT] = {
	{.dir = -1}, {.dir = -1}, {.dir = -1}, {.dir = -1}};
static pid_t owner; /* the process that made the cgroups */
static uint64_t start_ns;
/* The handoffs, while due: the launcher's ends [0], the receivers' [1]. */
static int to_broker[2] = {-1, -1}; /* the places, for the checks */
static int to_guest[2] = {-1, -1};  /* what the first guest process takes on */
/* The first guest process is forked into the cgroup v2 of the sandbox
 * (clone3's CLONE_INTO_CGROUP: no move, whose wait on v2 is an RCU grace
 * period), so the cgroups are made before it is forked. */
static bool fork_into;

/* The message to the first guest process, with its join files. */
struct guest_wire {
	uint64_t rlimit_cpu_s; /* where not 0: RLIMIT_CPU, seconds */
	uint64_t rlimit_as;    /* where not 0: RLIMIT_AS, bytes */
};

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool held_by_cgroup(enum cg_controller c)
{
	return places[c].dir >= 0;
}

/* "2 s", "2.5 s", "0.25 s": a limit as the user gave it. */
static const char *seconds(uint64_t ns, char *buf, size_t size)
{
	snprintf(buf, size, "%.3f", (double)ns / 1e9);
	char *end = buf + strlen(buf);
	while (end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		*--end = '\0';
	snprintf(end, size - (size_t)(end - buf), " s");
	return buf;
}

/* "64 MiB", "1.5 GiB", "4096 B". */
static const char *bytes(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = {"B",   "KiB", "MiB",
					    "GiB", "TiB", "PiB"};
	size_t u = 0;
	double v = (double)n;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (v == (double)(uint64_t)v)
		snprintf(buf, size, "%llu %s", (unsigned long long)v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
	return buf;
}

static const char *labelled(const char *name, const char *value, char *buf,
			    size_t size)
{
	snprintf(buf, size, "%s %s", name, value);
	return buf;
}

static void say(const char *what, const char *how)
{
	if (want.verbose)
		diag_warn("limit: %s: %s", what, how);
}

/* A limit that has only its weaker form here: refused under
 * --require-limits, else said with --verbose. */
static void degraded(const char *option, enum cg_controller c, const char *why,
		     const char *instead)
{
	if (want.require)
		diag_die(CAPBOX_EXIT_USAGE,
			 "%s: no %s cgroup (%s); --require-limits refuses %s",
			 option, cg_name(c), why, instead);
	say(option, instead);
}

/* The cgroup of c, or the reason there is none (and -1). */
static int make(enum cg_controller c, const char **why)
{
	char name[32];
	snprintf(name, sizeof(name), "capbox-%d", (int)owner);
	int err = cg_make(c, name, &places[c], places, CG_COUNT, why);
	if (err != 0) {
		static char reason[160];
		snprintf(reason, sizeof(reason), "%s: %s", *why, strerror(err));
		*why = reason;
		return -1;
	}
	return 0;
}

/* Removes c's cgroup, made a moment ago, again. */
static void give_up(enum cg_controller c)
{
	int dir = places[c].dir;
	cg_remove(&places[c]);
	close(dir);
}

/* Writes file=value in c's cgroup, or gives the cgroup up (-1). */
static int set(enum cg_controller c, const char *file, uint64_t value,
	       const char **why)
{
	char text[32];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	int err = cg_write(&places[c], file, text);
	if (err == 0)
		return 0;
	static char reason[160];
	snprintf(reason, sizeof(reason), "cannot write %s: %s", file,
		 strerror(err));
	*why = reason;
	give_up(c);
	return -1;
}

static void describe(enum cg_controller c, const char *what, const char *scope)
{
	char how[PATH_MAX + 128];
	snprintf(how, sizeof(how), "cgroup v%d %s (%s): %s", places[c].version,
		 cg_name(c), places[c].path, scope);
	say(what, how);
}

static void setup_memory(void)
{
	const char *why = NULL;
	if (make(CG_MEMORY, &why) == 0) {
		bool v1 = places[CG_MEMORY].version == 1;
		if (set(CG_MEMORY, v1 ? "memory.limit_in_bytes" : "memory.max",
			want.memory_bytes, &why) == 0) {
			/* Swap counts too where the kernel accounts it (the
			 * file is missing when it does not). */
			char text[32];
			snprintf(text, sizeof(text), "%llu",
				 (unsigned long long)want.memory_bytes);
			cg_write(&places[CG_MEMORY],
				 v1 ? "memory.memsw.limit_in_bytes"
				    : "memory.swap.max",
				 v1 ? text : "0");
			char a[32], what[64];
			describe(
				CG_MEMORY,
				labelled("memory",
					 bytes(want.memory_bytes, a, sizeof(a)),
					 what, sizeof(what)),
				"every process, thread, memfd and mailbox together, page cache they dirty included; past it the kernel kills and the sandbox ends");
			return;
		}
	}
	degraded(
		"--memory-limit", CG_MEMORY, why,
		"RLIMIT_AS per process only (address space of each process, not memory across processes or memfd pages it does not map)");
}

static void setup_cpu_time(void)
{
	const char *why = NULL;
	if (make(CG_CPUACCT, &why) == 0) {
		char a[32], what[64];
		describe(
			CG_CPUACCT,
			labelled("cpu", seconds(want.cpu_ns, a, sizeof(a)),
				 what, sizeof(what)),
			"CPU time of every process and thread together, checked every 50 ms");
		return;
	}
	degraded(
		"--cpu-limit", CG_CPUACCT, why,
		"RLIMIT_CPU per process and the broker's count of ended processes (live processes together may use up to the limit each; --time-limit bounds them)");
}

static void setup_cpu_rate(void)
{
	const char *why = NULL;
	const char *option = want.cpus_milli != 0 ? "--cpus" : "--cpu-share";
	if (make(CG_CPU, &why) != 0)
		goto refused;
	bool v1 = places[CG_CPU].version == 1;
	if (want.cpus_milli != 0) {
		const uint64_t period = 100000; /* us */
		uint64_t quota = (uint64_t)want.cpus_milli * period / 1000;
		if (v1 ? set(CG_CPU, "cpu.cfs_period_us", period, &why) != 0 ||
				    set(CG_CPU, "cpu.cfs_quota_us", quota,
					&why) != 0
		       : 0)
			goto refused;
		if (!v1) {
			char text[48];
			snprintf(text, sizeof(text), "%llu %llu",
				 (unsigned long long)quota,
				 (unsigned long long)period);
			int err = cg_write(&places[CG_CPU], "cpu.max", text);
			if (err != 0) {
				why = strerror(err);
				give_up(CG_CPU);
				goto refused;
			}
		}
	}
	if (want.cpu_share != 0 &&
	    set(CG_CPU, v1 ? "cpu.shares" : "cpu.weight",
		v1 ? (uint64_t)want.cpu_share * 1024 / 100 : want.cpu_share,
		&why) != 0) {
		option = "--cpu-share";
		goto refused;
	}
	describe(CG_CPU, "cpu rate",
		 "the CPU bandwidth of every process together");
	return;
refused:
	/* No weaker form exists: refused whatever --require-limits says. */
	diag_die(CAPBOX_EXIT_USAGE,
		 "%s: no writable cpu cgroup (%s): it cannot be enforced",
		 option, why);
}

static void setup_tasks(void)
{
	char what[64];
	snprintf(what, sizeof(what), "tasks %u", want.tasks);
	/* A guest identity used by this sandbox alone makes RLIMIT_NPROC
	 * its bound: a pids cgroup would add nothing but its cost. */
	if (confine_guest_identity_own()) {
		say(what,
		    "RLIMIT_NPROC on the sandbox's own identity: processes and threads together, raw clones included (with --max-processes's records)");
		return;
	}
	const char *why = NULL;
	if (make(CG_PIDS, &why) == 0 &&
	    set(CG_PIDS, "pids.max", want.tasks, &why) == 0) {
		describe(
			CG_PIDS, what,
			"processes and threads together, raw clones included (with --max-processes's records)");
		return;
	}
	/* RLIMIT_NPROC and the broker's records remain (docs/SECURITY.md),
	 * but the first binds no guest that keeps the host's root: with
	 * nothing to bound its raw clones, refused (fail closed). */
	if (confine_guest_keeps_host_root())
		diag_die(
			CAPBOX_EXIT_USAGE,
			"tasks: no pids cgroup (%s), and the guest keeps the host's root here, which RLIMIT_NPROC does not bind: refused (give capbox CAP_SYS_ADMIN, or CAP_SETUID and CAP_SETGID, or a pids cgroup hierarchy it may write to)",
			why);
	say("tasks", "RLIMIT_NPROC and the broker's process records");
}

/* Whether some budget asked for is held by a cgroup where one exists.
 * Tasks always: whether they need a pids cgroup is known only once the
 * broker is forked (confine_guest_identity_none), after this plan. */
static bool wants_cgroups(void)
{
	return want.memory_bytes != 0 || want.cpu_ns != 0 ||
	       want.cpus_milli != 0 || want.cpu_share != 0 || want.tasks != 0;
}

static void close_end(int *end)
{
	if (*end >= 0)
		close(*end);
	*end = -1;
}

static void close_pair(int pair[2])
{
	close_end(&pair[0]);
	close_end(&pair[1]);
}

/* Whether a budget asked for is likely held by cgroup v2 here (the guess
 * decides only when limits_make runs: cg_version_guess).  A pids cgroup
 * that turns out needed after all (confine_guest_identity_none) is joined
 * by its file instead. */
static bool wants_v2(void)
{
	return (want.memory_bytes != 0 && cg_version_guess(CG_MEMORY) == 2) ||
	       (want.cpu_ns != 0 && cg_version_guess(CG_CPUACCT) == 2) ||
	       ((want.cpus_milli != 0 || want.cpu_share != 0) &&
		cg_version_guess(CG_CPU) == 2) ||
	       (want.tasks != 0 && cg_version_guess(CG_PIDS) == 2 &&
		!confine_guest_identity_own());
}

void limits_plan(const struct limits_request *req, struct limits_launch *out)
{
	want = *req;
	owner = getpid();
	start_ns = monotonic_ns();
	*out = (struct limits_launch){0};
	if (!wants_cgroups())
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, to_broker) !=
		    0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, to_guest) !=
		    0)
		diag_die_errno(CAPBOX_EXIT_USAGE,
			       "cannot prepare the sandbox's cgroups");
	fork_into = wants_v2();
	out->keep[0] = to_broker[0];
	out->keep[1] = to_guest[0];
	out->nkeep = 2;
	out->before_guest = fork_into;
}

/* The launcher's part of the handoff: the places to the broker, the join
 * files and the rlimits that stand in for a missing cgroup to the guest. */
static void hand_over(void)
{
	int join[CG_COUNT];
	size_t njoin = 0;
	for (int c = 0; c < CG_COUNT; c++) {
		if (!held_by_cgroup((enum cg_controller)c))
			continue;
		bool shared = false;
		for (int d = 0; d < c; d++)
			shared = shared ||
				 (places[d].dir >= 0 &&
				  strcmp(places[d].path, places[c].path) == 0);
		/* v2: the guest process is forked into it (fork_into) */
		if (shared || (places[c].version == 2 && fork_into))
			continue;
		int fd = cg_open_join(&places[c]);
		if (fd < 0)
			diag_die_errno(CAPBOX_EXIT_USAGE, "cannot open %s/%s",
				       places[c].path,
				       cg_join_file(&places[c]));
		join[njoin++] = fd;
	}
	struct guest_wire g = {0};
	if (want.cpu_ns != 0 && !held_by_cgroup(CG_CPUACCT))
		g.rlimit_cpu_s = (want.cpu_ns + 999999999u) / 1000000000u;
	if (want.memory_bytes != 0 && !held_by_cgroup(CG_MEMORY))
		g.rlimit_as = want.memory_bytes;
	/* EPIPE: that receiver has ended already (the first guest process
	 * failed its set-up, or the broker died); the broker still gets its
	 * message if it lives, and says why, or its end says how. */
	int err = handoff_send(to_guest[0], &g, sizeof(g), join, njoin);
	if (err == 0 || err == EPIPE)
		err = handoff_send_places(to_broker[0], places);
	if (err != 0 && err != EPIPE) {
		errno = err;
		diag_die_errno(
			CAPBOX_EXIT_USAGE,
			"cannot hand the sandbox's cgroups to the broker");
	}
	for (size_t i = 0; i < njoin; i++)
		close(join[i]);
	/* The numbers stay in places[] as the mark of a cgroup to remove
	 * (by path: cg_remove). */
	for (int c = 0; c < CG_COUNT; c++) {
		if (places[c].dir >= 0)
			close(places[c].dir);
	}
}

void limits_make(void)
{
	/* The receivers' ends are theirs: the launcher has closed them
	 * already with every descriptor it does not keep (src/broker/pidns.c
	 * close_all_but), and a number may name another file since. */
	to_broker[1] = -1;
	to_guest[1] = -1;
	char text[64], what[80];
	if (want.time_ns != 0)
		say(labelled("time", seconds(want.time_ns, text, sizeof(text)),
			     what, sizeof(what)),
		    "wall clock, the broker's (init of the sandbox's pid namespace: its end ends every process)");
	if (want.memory_bytes != 0)
		setup_memory();
	if (want.cpu_ns != 0)
		setup_cpu_time();
	if (want.cpus_milli != 0 || want.cpu_share != 0)
		setup_cpu_rate();
	if (want.tasks != 0)
		setup_tasks();
	if (want.file_size != 0)
		say(labelled("file size",
			     bytes(want.file_size, text, sizeof(text)), what,
			     sizeof(what)),
		    "RLIMIT_FSIZE: each file, written by any process or by the broker for it (EFBIG past it)");
	if (to_broker[0] >= 0)
		hand_over();
	close_pair(to_broker);
	close_pair(to_guest);
}

int limits_enter(uint64_t *rlimit_cpu_s, uint64_t *rlimit_as)
{
	*rlimit_cpu_s = 0;
	*rlimit_as = 0;
	if (to_guest[1] < 0)
		return 0;
	close_end(&to_guest[0]);
	struct guest_wire g;
	int join[CG_COUNT];
	size_t njoin;
	int err = handoff_receive(to_guest[1], &g, sizeof(g), join, CG_COUNT,
				  &njoin);
	for (size_t i = 0; i < njoin; i++) {
		/* "0": the calling thread, this whole process (cg_join_file) */
		if (err == 0 && write(join[i], "0", 1) != 1)
			err = errno != 0 ? errno : EIO;
		close(join[i]);
	}
	if (err != 0)
		return err;
	*rlimit_cpu_s = g.rlimit_cpu_s;
	*rlimit_as = g.rlimit_as;
	return 0;
}

/* The broker's counters, kept open from limits_receive on: the CPU time
 * of the sandbox's cgroup, the kernel's kills for its memory. */
static int cpu_counter = -1;
static int oom_counter = -1;

static int open_counter(enum cg_controller c, const char *v1_file,
			const char *v2_file, int *fd)
{
	if (!held_by_cgroup(c))
		return 0;
	const struct cg_place *p = &places[c];
	*fd = cg_open_counter(p, p->version == 1 ? v1_file : v2_file);
	return *fd < 0 ? errno : 0;
}

static int open_counters(void)
{
	int err = open_counter(CG_CPUACCT, "cpuacct.usage", "cpu.stat",
			       &cpu_counter);
	if (err == 0)
		err = open_counter(CG_MEMORY, "memory.oom_control",
				   "memory.events", &oom_counter);
	return err;
}

/* The places, once (the broker's part of the handoff). */
static int receive_places(void)
{
	if (to_broker[1] < 0)
		return 0;
	int err = handoff_receive_places(to_broker[1], places);
	close_end(&to_broker[1]);
	return err;
}

int limits_before_fork(int *cgroup)
{
	*cgroup = -1;
	/* The launcher's ends are its own (and the guest process sees the
	 * end of its handoff if the launcher goes without a word). */
	close_end(&to_broker[0]);
	close_end(&to_guest[0]);
	if (!fork_into)
		return 0;
	int err = receive_places();
	for (int c = 0; err == 0 && c < CG_COUNT; c++) {
		if (places[c].version == 2 && places[c].dir >= 0)
			*cgroup = places[c].dir;
	}
	return err;
}

int limits_receive(void)
{
	close_end(&to_guest[1]); /* the guest process has its copy */
	int err = receive_places();
	if (err == 0)
		err = open_counters();
	return err;
}

int limits_apply_file_size(void)
{
	/* The broker's soft limit only: its own files are not the guest's
	 * (confine_own_files_begin); the guest's hard limit follows the
	 * soft one (confine_set_limits). */
	return want.file_size == 0
		       ? 0
		       : confine_lower_limit(RLIMIT_FSIZE, want.file_size,
					     RLIM_INFINITY);
}

uint64_t limits_check_period_ns(void)
{
	return want.time_ns != 0 || want.cpu_ns != 0 ||
			       held_by_cgroup(CG_MEMORY)
		       ? CHECK_PERIOD_NS
		       : 0;
}

/* A counter that cannot be read ends the sandbox rather than leave its
 * budget unchecked. */
static int unreadable(const char *what, int err)
{
	diag_warn("cannot read the sandbox's %s (%s): ending it", what,
		  strerror(err));
	return CAPBOX_EXIT_USAGE;
}

/* CPU time of the sandbox so far into *ns: its cgroup's, or (without one)
 * that of the processes the broker has reaped; 0 or an errno. */
static int cpu_used_ns(uint64_t *ns)
{
	uint64_t v = 0;
	int err;
	if (held_by_cgroup(CG_CPUACCT)) {
		bool v1 = places[CG_CPUACCT].version == 1;
		err = cpu_counter < 0
			      ? EBADF
			      : cg_read_counter(cpu_counter,
						v1 ? NULL : "usage_usec", &v);
		*ns = v1 ? v : v * 1000;
		return err;
	}
	struct rusage ru;
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
		return errno;
	*ns = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		      1000000000u +
	      (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000u;
	return 0;
}

/* Processes of the sandbox now: its cgroup's (raw clones included), else
 * the broker's count. */
static size_t processes(enum cg_controller c, size_t live)
{
	return held_by_cgroup(c) ? cg_count_procs(&places[c]) : live;
}

/* Times the kernel killed a process of the sandbox for its memory, into
 * *kills; 0 or an errno. */
static int oom_kills(uint64_t *kills)
{
	*kills = 0;
	return oom_counter < 0
		       ? EBADF
		       : cg_read_counter(oom_counter, "oom_kill", kills);
}

static uint64_t memory_peak(void)
{
	uint64_t v = 0;
	const struct cg_place *p = &places[CG_MEMORY];
	if (p->version == 1)
		cg_read_u64(p, "memory.max_usage_in_bytes", NULL, &v);
	else if (cg_read_u64(p, "memory.peak", NULL, &v) != 0)
		cg_read_u64(p, "memory.current", NULL, &v);
	return v;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "es";
}

int limits_check(size_t live)
{
	char a[32], b[32];
	uint64_t now = monotonic_ns();
	if (want.time_ns != 0 && now - start_ns >= want.time_ns) {
		size_t n = processes(CG_CPUACCT, live);
		diag_warn(
			"time limit %s reached (%.2f s elapsed, %zu process%s running)",
			seconds(want.time_ns, a, sizeof(a)),
			(double)(now - start_ns) / 1e9, n, plural(n));
		return CAPBOX_EXIT_TIME_LIMIT;
	}
	if (want.cpu_ns != 0) {
		uint64_t used;
		int err = cpu_used_ns(&used);
		if (err != 0)
			return unreadable("CPU time", err);
		if (used >= want.cpu_ns) {
			size_t n = processes(CG_CPUACCT, live);
			diag_warn(
				"cpu limit %s reached (%.2f s used; %zu process%s running)",
				seconds(want.cpu_ns, a, sizeof(a)),
				(double)used / 1e9, n, plural(n));
			return CAPBOX_EXIT_CPU_LIMIT;
		}
	}
	if (held_by_cgroup(CG_MEMORY)) {
		uint64_t kills;
		int err = oom_kills(&kills);
		if (err != 0)
			return unreadable("memory kills", err);
		if (kills > 0) {
			diag_warn(
				"memory limit %s reached (%s used; the kernel killed %llu process%s)",
				bytes(want.memory_bytes, a, sizeof(a)),
				bytes(memory_peak(), b, sizeof(b)),
				(unsigned long long)kills,
				plural((size_t)kills));
			return CAPBOX_EXIT_MEMORY_LIMIT;
		}
	}
	return 0;
}

int limits_verdict(int sig, size_t live)
{
	int status = limits_check(live);
	if (status != 0)
		return status;
	if (sig == SIGXCPU && want.cpu_ns != 0 && !held_by_cgroup(CG_CPUACCT)) {
		char a[32];
		diag_warn("cpu limit %s reached (by one process: RLIMIT_CPU)",
			  seconds(want.cpu_ns, a, sizeof(a)));
		return CAPBOX_EXIT_CPU_LIMIT;
	}
	return 0;
}

void limits_print_stats(void)
{
	if (want.time_ns == 0 && want.cpu_ns == 0 && want.memory_bytes == 0)
		return;
	char a[32];
	fprintf(stderr, "capbox: limits: time %.3f s (%s)",
		(double)(monotonic_ns() - start_ns) / 1e9,
		want.time_ns != 0 ? "broker clock" : "no limit");
	uint64_t used = 0;
	if (want.cpu_ns != 0 && cpu_used_ns(&used) == 0)
		fprintf(stderr, ", cpu %.3f s (%s)", (double)used / 1e9,
			held_by_cgroup(CG_CPUACCT) ? "cgroup"
						   : "rlimit, reaped only");
	if (want.memory_bytes != 0) {
		if (held_by_cgroup(CG_MEMORY))
			fprintf(stderr, ", memory peak %s (cgroup)",
				bytes(memory_peak(), a, sizeof(a)));
		else
			fprintf(stderr, ", memory (rlimit, per process)");
	}
	fputc('\n', stderr);
}

void limits_teardown(void)
{
	if (owner == 0 || getpid() != owner)
		return;
	for (int c = 0; c < CG_COUNT; c++)
		cg_remove(&places[c]);
}

/* cmd_run.c: `capbox run`: grants from the command line, spawn, serve, report. */
#include "cli/cmd_run.h"

#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "confine/confine.h"
#include "broker/diag.h"
#include "broker/fdbudget.h"
#include "broker/grant.h"
#include "broker/guest.h"
#include "broker/pidns.h"
#include "cli/print_grants.h"
#include "cli/trace_options.h"
#include "cli/program.h"
#include "broker/sandbox.h"
#include "broker/spawn/spawn.h"
#include "common/abi_names.h"
#include "common/argdata.h"
#include "common/linux_convert.h"
#include "limits/limits.h"

/* Each NAME=VALUE option becomes one key and one value of the program's
 * argdata map, in command-line order. */
struct run_args {
	struct argdata_node *items; /* key, value, key, value, ... */
	size_t nitems;
	const char *program;
	const char *config; /* file, "-" for stdin, or NULL */
	struct config_options config_options;
	bool stdin_granted; /* by --fd NAME=stdin or NAME=0 */
	size_t max_processes;
	unsigned long
		max_fds;   /* --max-fds, or 0 for the most the limit allows */
	long poll_us;      /* --poll-us, or -1 for the default */
	bool print_grants; /* --print-grants[=FILE] */
	const char *grants_file;      /* its FILE, or NULL for stderr */
	struct limits_request limits; /* --time-limit ... --require-limits */
	struct trace_options trace;   /* --trace, --stats ... */
};

void cmd_run_usage(void)
{
	fputs("usage: capbox run [OPTION]... PROGRAM [CONFIG]\n"
	      "Run the CloudABI executable PROGRAM in a sandbox.  It gets only what the YAML\n"
	      "configuration CONFIG (a file, or - for standard input) and the options grant;\n"
	      "each NAME=VALUE becomes an entry of its argument map.  Without CONFIG and\n"
	      "without grant options, a configuration is read from standard input unless it\n"
	      "is a terminal.  See docs/CONFIG.md or man capbox.\n"
	      "\n"
	      "  --fd NAME=stdin|stdout|stderr|N   share a descriptor of capbox\n"
	      "  --dir NAME=PATH     a directory, read-only\n"
	      "  --dir-rw NAME=PATH  a directory, read-write\n"
	      "  --file NAME=PATH    a file, read-only\n"
	      "  --file-rw NAME=PATH a file, read-write\n"
	      "  --socket NAME=[stream:|dgram:|seqpacket:]bind:ADDR|connect:ADDR\n"
	      "                      a socket bound (and listening) at, or connected to,\n"
	      "                      ADDR: /unix/path, host:port or [v6]:port (port 0: any,\n"
	      "                      the one chosen is printed)\n"
	      "  --str NAME=TEXT     a string\n"
	      "  --int NAME=N        an integer\n"
	      "  --bool NAME=true|false\n"
	      "  --untagged=string|guess  type of untagged YAML scalars (default string)\n"
	      "  --max-processes N   processes the program may have, itself included, ended\n"
	      "                      ones still named by a descriptor too\n"
	      "                      (default 64; forking beyond is EAGAIN)\n"
	      "  --max-fds N         descriptors the broker may hold for the whole sandbox\n"
	      "                      (its grants included; default and most: what ulimit -n\n"
	      "                      allows; beyond it a call fails with ENFILE)\n"
	      "  --max-process-fds N each process's own table: numbers 0..N-1 (16 up to\n"
	      "                      1024; beyond: EMFILE; give it before the grants)\n"
	      "  --time-limit T      wall clock of the whole sandbox (T: seconds, or with\n"
	      "                      ms, s, m or h; status 124 when reached)\n"
	      "  --cpu-limit T       CPU time of all its processes together (status 123)\n"
	      "  --memory-limit SIZE all its memory (SIZE: bytes, or with K, M, G or T;\n"
	      "                      a memory cgroup; status 122 when reached)\n"
	      "  --max-file-size SIZE  largest file it may write (beyond: EFBIG)\n"
	      "  --cpus N            CPUs' worth of time per period (a cpu cgroup)\n"
	      "  --cpu-share N       relative CPU weight, 1..10000, default 100 (a cpu cgroup)\n"
	      "  --require-limits    refuse to run when a limit would have only its weaker\n"
	      "                      form (rlimits instead of a cgroup)\n"
	      "  --verbose           say which mechanism enforces each limit\n"
	      "  --poll-us N         microseconds the broker keeps looking for the next\n"
	      "                      request before it sleeps (0..10000, default 200)\n"
	      "  --print-grants[=FILE]  before the program starts, list each descriptor it\n"
	      "                      gets: name, number, type, rights, origin (to FILE,\n"
	      "                      complete when it appears, or to standard error)\n",
	      stdout);
	fputs(trace_usage, stdout);
	fputs("  --require-all-layers  refuse to run without every confinement layer\n"
	      "                      (docs/SECURITY.md) instead of warning\n"
	      "  -h, --help          this text\n"
	      "  --                  ends the options: the next word is PROGRAM even if it\n"
	      "                      starts with '-'\n"
	      "\n"
	      "Exit status: the program's (low 8 bits); 128+N if a signal N ended it;\n"
	      "122, 123, 124 if the memory, cpu, time limit was reached;\n"
	      "125 if capbox itself failed, 126 if PROGRAM cannot be loaded, 127 if it does not exist.\n",
	      stdout);
}

enum run_option {
	OPT_FD = 1000,
	OPT_DIR,
	OPT_DIR_RW,
	OPT_FILE,
	OPT_FILE_RW,
	OPT_SOCKET,
	OPT_STR,
	OPT_INT,
	OPT_BOOL,
	OPT_UNTAGGED,
	OPT_REQUIRE_ALL_LAYERS,
	OPT_MAX_PROCESSES,
	OPT_MAX_FDS,
	OPT_MAX_PROCESS_FDS,
	OPT_POLL_US,
	OPT_PRINT_GRANTS,
	OPT_TIME_LIMIT,
	OPT_CPU_LIMIT,
	OPT_MEMORY_LIMIT,
	OPT_MAX_FILE_SIZE,
	OPT_CPUS,
	OPT_CPU_SHARE,
	OPT_REQUIRE_LIMITS,
	OPT_VERBOSE,
};

static const struct option run_options[] = {
	{"fd", required_argument, NULL, OPT_FD},
	{"dir", required_argument, NULL, OPT_DIR},
	{"dir-rw", required_argument, NULL, OPT_DIR_RW},
	{"file", required_argument, NULL, OPT_FILE},
	{"file-rw", required_argument, NULL, OPT_FILE_RW},
	{"socket", required_argument, NULL, OPT_SOCKET},
	{"str", required_argument, NULL, OPT_STR},
	{"int", required_argument, NULL, OPT_INT},
	{"bool", required_argument, NULL, OPT_BOOL},
	{"untagged", required_argument, NULL, OPT_UNTAGGED},
	{"require-all-layers", no_argument, NULL, OPT_REQUIRE_ALL_LAYERS},
	{"max-processes", required_argument, NULL, OPT_MAX_PROCESSES},
	{"max-fds", required_argument, NULL, OPT_MAX_FDS},
	{"max-process-fds", required_argument, NULL, OPT_MAX_PROCESS_FDS},
	{"poll-us", required_argument, NULL, OPT_POLL_US},
	{"print-grants", optional_argument, NULL, OPT_PRINT_GRANTS},
	{"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
	{"cpu-limit", required_argument, NULL, OPT_CPU_LIMIT},
	{"memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT},
	{"max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE},
	{"cpus", required_argument, NULL, OPT_CPUS},
	{"cpu-share", required_argument, NULL, OPT_CPU_SHARE},
	{"require-limits", no_argument, NULL, OPT_REQUIRE_LIMITS},
	{"verbose", no_argument, NULL, OPT_VERBOSE},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* The decimal number an option was given, within [min, max]; anything
 * else ends capbox with a usage error naming the option. */
static unsigned long number_option(const char *name, const char *text,
				   unsigned long min, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || !(text[0] >= '0' && text[0] <= '9') ||
	    n < min || n > max)
		diag_die(CAPBOX_EXIT_USAGE,
			 "--%s %s: expected a number from %lu to %lu", name,
			 text, min, max);
	return n;
}

static const char *option_name(int opt);

/* A limit option's value: true if it was one (and is recorded). */
static bool limit_option(struct limits_request *lim, int opt, const char *value)
{
	int bad = 0;
	const char *expected = NULL;
	switch (opt) {
	case OPT_TIME_LIMIT:
	case OPT_CPU_LIMIT:
		bad = limits_parse_duration(value, opt == OPT_TIME_LIMIT
							   ? &lim->time_ns
							   : &lim->cpu_ns);
		expected =
			"a duration from 1ms to 1000000s (seconds, or with ms, s, m or h)";
		break;
	case OPT_MEMORY_LIMIT:
		bad = limits_parse_size(value, &lim->memory_bytes) != 0 ||
		      lim->memory_bytes < LIMITS_MEMORY_MIN;
		expected =
			"a size from 16M to 1024T (bytes, or with K, M, G or T)";
		break;
	case OPT_MAX_FILE_SIZE:
		bad = limits_parse_size(value, &lim->file_size);
		expected =
			"a size from 1 to 1024T (bytes, or with K, M, G or T)";
		break;
	case OPT_CPUS:
		bad = limits_parse_cpus(value, &lim->cpus_milli);
		expected = "a number of CPUs from 0.01 to 1024";
		break;
	case OPT_CPU_SHARE:
		lim->cpu_share = (uint32_t)number_option("cpu-share", value, 1,
							 10000);
		return true;
	case OPT_REQUIRE_LIMITS:
		lim->require = true;
		return true;
	case OPT_VERBOSE:
		lim->verbose = true;
		return true;
	default:
		return false;
	}
	if (bad)
		diag_die(CAPBOX_EXIT_USAGE, "--%s %s: expected %s",
			 option_name(opt), value, expected);
	return true;
}

static const char *option_name(int opt)
{
	for (const struct option *o = run_options; o->name != NULL; o++) {
		if (o->val == opt)
			return o->name;
	}
	return "?";
}

/* Splits NAME=VALUE in place; the name must be non-empty, unique and
 * valid UTF-8 (it becomes an argdata string). */
static const char *split_name(struct run_args *args, int opt, char *arg,
			      char **value)
{
	char *eq = strchr(arg, '=');
	if (eq == NULL || eq == arg)
		diag_die(CAPBOX_EXIT_USAGE, "--%s %s: expected NAME=VALUE",
			 option_name(opt), arg);
	*eq = '\0';
	*value = eq + 1;
	if (!argdata_utf8_valid((const uint8_t *)arg, strlen(arg)))
		diag_die(CAPBOX_EXIT_USAGE, "--%s: name is not valid UTF-8",
			 option_name(opt));
	for (size_t i = 0; i < args->nitems; i += 2) {
		if (strcmp((const char *)args->items[i].v.bytes.ptr, arg) == 0)
			diag_die(CAPBOX_EXIT_USAGE,
				 "--%s %s: %s is granted twice",
				 option_name(opt), arg, arg);
	}
	return arg;
}

static struct argdata_node value_node(struct guest *g, int opt,
				      const char *name, char *value)
{
	switch (opt) {
	case OPT_FD:
	case OPT_SOCKET:
	case OPT_DIR:
	case OPT_FILE:
	case OPT_DIR_RW:
	case OPT_FILE_RW: {
		struct config_grant_option grant;
		cloudabi_fd_t fd;
		if (config_grant_option(&grant, option_name(opt), name,
					value) != 0 ||
		    grant_open(g, &grant.desc, &fd) != 0)
			exit(CAPBOX_EXIT_USAGE);
		return argdata_node_fd(fd);
	}
	case OPT_STR:
		if (!argdata_utf8_valid((const uint8_t *)value, strlen(value)))
			diag_die(CAPBOX_EXIT_USAGE,
				 "--str %s: value is not valid UTF-8", name);
		return argdata_node_str_c(value);
	case OPT_INT: {
		char *end;
		errno = 0;
		long long n = strtoll(value, &end, 0);
		if (errno != 0 || *end != '\0' || end == value)
			diag_die(CAPBOX_EXIT_USAGE,
				 "--int %s=%s: not a 64-bit integer", name,
				 value);
		return argdata_node_int(n);
	}
	case OPT_BOOL:
		if (strcmp(value, "true") == 0)
			return argdata_node_bool(true);
		if (strcmp(value, "false") == 0)
			return argdata_node_bool(false);
		diag_die(CAPBOX_EXIT_USAGE,
			 "--bool %s=%s: expected true or false", name, value);
	default:
		diag_die(CAPBOX_EXIT_USAGE, "internal error: option %d", opt);
	}
}

static void parse(struct run_args *args, struct guest *g, int argc, char **argv)
{
	args->items = calloc((size_t)argc * 2, sizeof(*args->items));
	if (args->items == NULL)
		diag_die(CAPBOX_EXIT_USAGE, "out of memory");
	/* run_options, then the tracing options (cli/trace_options.h). */
	size_t nrun = sizeof(run_options) / sizeof(run_options[0]) - 1;
	struct option all[sizeof(run_options) / sizeof(run_options[0]) +
			  TRACE_OPTIONS_COUNT];
	memcpy(all, run_options, nrun * sizeof(all[0]));
	memcpy(all + nrun, trace_long_options, sizeof(trace_long_options));
	all[nrun + TRACE_OPTIONS_COUNT] = (struct option){0};
	trace_options_init(&args->trace);
	int opt;
	optind = 1;
	opterr = 0; /* capbox's own words, with capbox's prefix */
	while ((opt = getopt_long(argc, argv, "+:h", all, NULL)) != -1) {
		if (opt == 'h') {
			cmd_run_usage();
			exit(0);
		}
		if (opt == '?' || opt == ':') {
			const char *word = argv[optind - 1];
			if (opt == ':')
				diag_warn(
					"option '%s' needs a value (see 'capbox run --help')",
					word);
			else if (optopt != 0 && word[0] == '-' &&
				 word[1] != '-')
				diag_warn("unknown option '-%c'", optopt);
			else
				diag_warn("unknown option '%s'", word);
			fputs("Try 'capbox run --help'.\n", stderr);
			exit(CAPBOX_EXIT_USAGE);
		}
		if (limit_option(&args->limits, opt, optarg) ||
		    trace_take_option(&args->trace, opt, optarg))
			continue;
		if (opt == OPT_REQUIRE_ALL_LAYERS) {
			confine_require_all_layers = true;
			continue;
		}
		if (opt == OPT_MAX_PROCESSES) {
			args->max_processes = number_option("max-processes",
							    optarg, 1, 4096);
			continue;
		}
		if (opt == OPT_MAX_FDS) {
			args->max_fds = number_option("max-fds", optarg,
						      FDBUDGET_MIN,
						      fdbudget_most());
			continue;
		}
		if (opt == OPT_MAX_PROCESS_FDS) {
			unsigned long most =
				number_option("max-process-fds", optarg,
					      FDBUDGET_MIN_PROCESS_FDS,
					      fdbudget_layout.guest_fds);
			/* Grants are entered as their options come. */
			for (cloudabi_fd_t fd = (cloudabi_fd_t)most;
			     fd < fdbudget_layout.guest_fds; fd++)
				if (captable_get(&g->caps, fd) != NULL)
					diag_die(
						CAPBOX_EXIT_USAGE,
						"--max-process-fds %lu: the options before it grant descriptor %u already (give it first)",
						most, (unsigned)fd);
			fdbudget_cap_process((uint32_t)most);
			continue;
		}
		if (opt == OPT_PRINT_GRANTS) {
			args->print_grants = true;
			args->grants_file = optarg;
			continue;
		}
		if (opt == OPT_POLL_US) {
			args->poll_us = (long)number_option("poll-us", optarg,
							    0, 10000);
			continue;
		}
		if (opt == OPT_UNTAGGED) {
			if (strcmp(optarg, "string") == 0)
				args->config_options.untagged =
					CONFIG_UNTAGGED_STRING;
			else if (strcmp(optarg, "guess") == 0)
				args->config_options.untagged =
					CONFIG_UNTAGGED_GUESS;
			else
				diag_die(
					CAPBOX_EXIT_USAGE,
					"--untagged=%s: expected string or guess",
					optarg);
			continue;
		}
		char *value;
		const char *name = split_name(args, opt, optarg, &value);
		if (opt == OPT_FD && config_host_fd(value) == 0)
			args->stdin_granted = true;
		args->items[args->nitems] = argdata_node_str_c(name);
		args->items[args->nitems + 1] = value_node(g, opt, name, value);
		args->nitems += 2;
	}
	if (optind >= argc) {
		diag_warn("no PROGRAM given");
		fputs("Try 'capbox run --help'.\n", stderr);
		exit(CAPBOX_EXIT_USAGE);
	}
	for (int i = optind + 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			diag_die(
				CAPBOX_EXIT_USAGE,
				"'%s' comes after PROGRAM: options go before it (capbox run [OPTION]... PROGRAM [CONFIG])",
				argv[i]);
	if (argc - optind > 2)
		diag_die(
			CAPBOX_EXIT_USAGE,
			"'%s' comes after CONFIG: expected PROGRAM [CONFIG], then nothing",
			argv[optind + 2]);
	args->program = argv[optind];
	args->config_options.program = args->program;
	if (optind + 1 < argc)
		args->config = argv[optind + 1];
	else if (args->nitems == 0 && !isatty(0))
		args->config = "-"; /* like the original launcher */
}

/* Opens the configuration's grants in document order and puts their
 * numbers in its tree; -1 after the failing grant printed why. */
static int open_config_grants(struct guest *g, struct config *cfg)
{
	cloudabi_fd_t *fds = calloc(cfg->ngrants + 1, sizeof(*fds));
	if (fds == NULL)
		diag_die(CAPBOX_EXIT_USAGE, "out of memory");
	for (size_t i = 0; i < cfg->ngrants; i++) {
		if (grant_open(g, &cfg->grants[i], &fds[i]) != 0) {
			free(fds);
			return -1;
		}
	}
	config_resolve_grants(cfg, fds);
	free(fds);
	return 0;
}

/* The argdata root: the configuration (if any) plus the options' keys. */
static void build_root(const struct run_args *args, struct guest *g,
		       struct config *cfg)
{
	if (args->config == NULL) {
		cfg->root = argdata_node_map(args->items, args->nitems);
		return;
	}
	if (strcmp(args->config, "-") == 0 && args->stdin_granted)
		diag_die(
			CAPBOX_EXIT_USAGE,
			"standard input cannot be both the configuration and a grant");
	char *text;
	size_t len;
	const char *name = strcmp(args->config, "-") == 0 ? "<stdin>"
							  : args->config;
	if (config_read(args->config, &text, &len) != 0)
		exit(CAPBOX_EXIT_USAGE);
	/* Option grants are in the table already: those that remain. */
	unsigned used = 0;
	for (cloudabi_fd_t fd = 0; fd < fdbudget_layout.guest_fds; fd++)
		used += captable_get(&g->caps, fd) != NULL;
	struct config_options opts = args->config_options;
	opts.max_grants = fdbudget_layout.guest_fds - used;
	opts.table_size = fdbudget_layout.guest_fds;
	int r = config_parse(cfg, name, text, len, &opts);
	free(text);
	if (r != 0 || open_config_grants(g, cfg) != 0 ||
	    config_add_entries(cfg, name, args->items, args->nitems) != 0) {
		config_free(cfg);
		exit(CAPBOX_EXIT_USAGE);
	}
}

static uint8_t *encode_root(const struct argdata_node *root, size_t *len)
{
	if (argdata_encoded_size(root, len) != ARGDATA_OK ||
	    *len > CAPBOX_ARGDATA_MAX)
		diag_die(CAPBOX_EXIT_USAGE, "argument data too large");
	uint8_t *buf = malloc(*len > 0 ? *len : 1);
	size_t used;
	if (buf == NULL ||
	    argdata_encode(root, buf, *len, &used) != ARGDATA_OK ||
	    used != *len)
		diag_die(CAPBOX_EXIT_USAGE, "cannot encode the argument data");
	return buf;
}

/* Tells the user how the program ended; returns capbox's exit status. */
static int report(const struct guest *g, const char *program)
{
	if (g->fatal) {
		diag_warn("%s: %s", program, g->fatal_message);
		return g->fatal_status;
	}
	if (g->wait_code == CLD_EXITED)
		return g->wait_status;
	int sig = g->wait_status;
	const char *name = cloudabi_signal_name(capbox_signal_from_linux(sig));
	diag_warn("%s: terminated by signal %s%s", program,
		  name != NULL ? name : strsignal(sig),
		  g->wait_code == CLD_DUMPED ? " (core dumped)" : "");
	return CAPBOX_EXIT_SIGNAL_BASE + sig;
}

/* The main process has ended: a budget it ended by (its one line said
 * so), else the program's own status. */
static int ended(const struct sandbox *sb, const struct guest *g,
		 const char *program)
{
	bool by_signal = g->wait_code == CLD_KILLED ||
			 g->wait_code == CLD_DUMPED;
	int spent = limits_verdict(by_signal ? g->wait_status : 0,
				   sandbox_live_processes(sb));
	return spent != 0 ? spent : report(g, program);
}

/* The budgets, planned before the broker exists: their cgroups are made
 * by the launcher (on the host's side of the namespaces) beside the first
 * guest process's set-up, or before it is forked when one is cgroup v2
 * (src/limits/limits.h), and removed by the launcher once the sandbox is
 * empty.  Tasks are bounded as RLIMIT_NPROC does (CONFINE_GUEST_NPROC)
 * whenever a budget held by a cgroup is asked for: by a pids cgroup,
 * unless the guest has an identity of its own, whose RLIMIT_NPROC bounds
 * this sandbox alone already.  A guest that keeps the host's root
 * (confine_guest_keeps_host_root) gets the pids cgroup always: nothing
 * else bounds its tasks.  The time and file-size limits need no cgroup,
 * and a cgroup costs its making and removal. */
static void start_limits(struct run_args *args)
{
	struct limits_request *lim = &args->limits;
	if (args->max_processes != 0 || lim->cpu_ns != 0 ||
	    lim->memory_bytes != 0 || lim->cpus_milli != 0 ||
	    lim->cpu_share != 0 || confine_guest_keeps_host_root())
		lim->tasks = CONFINE_GUEST_NPROC;
	struct limits_launch launch;
	limits_plan(lim, &launch);
	pidns_launcher_hook(limits_make, launch.keep, launch.nkeep,
			    launch.before_guest ? PIDNS_BROKER_FORKED
						: PIDNS_GUEST_FORKED);
	pidns_at_sandbox_end(limits_teardown);
}

/* The broker's part of the cgroups' handoff: 0, or -1 after saying why
 * (nothing to say when the launcher has, and ended). */
static int received_cgroups(int err)
{
	if (err == EPIPE)
		exit(CAPBOX_EXIT_USAGE);
	if (err == 0)
		return 0;
	errno = err;
	diag_warn_errno("cannot take over the sandbox's cgroups");
	return -1;
}

/* Right before the first guest process is forked: the cgroup v2 it is
 * forked into, if any. */
static int guest_cgroup(int *cgroup)
{
	return received_cgroups(limits_before_fork(cgroup));
}

/* Once the first guest process is forked: the launcher makes the cgroups
 * now, and the broker takes their places and arms its checks of the
 * budgets while that process sets itself up. */
/* The sandbox being started, whose checks guest_forked arms. */
static struct sandbox *starting;

static int guest_forked(void)
{
	pidns_report_guest_forked();
	if (received_cgroups(limits_receive()) != 0)
		return -1;
	uint64_t period = limits_check_period_ns();
	if (period != 0 &&
	    sandbox_set_check(starting, period, limits_check) != 0) {
		diag_warn_errno("cannot watch the sandbox's limits");
		return -1;
	}
	return 0;
}

/* After a stop signal has ended the sandbox: capbox ends by the same
 * signal, as a program without capbox would (the launcher does, told by
 * the broker: init cannot end by a signal it sends itself). */
__attribute__((noreturn)) static void stopped_by(int sig)
{
	diag_warn("stopped by %s: every guest process was killed",
		  strsignal(sig));
	pidns_exit_stopped(sig);
}

/* --stats: the call table, then the sandbox's CPU time (its processes,
 * reaped by the broker), its largest process's peak memory and how many
 * processes it started. */
static void print_run_stats(const struct sandbox *sb, int fd)
{
	trace_finish();
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	dprintf(fd,
		"capbox: sandbox: cpu %ld.%06lds user %ld.%06lds system, peak memory %ld KiB, processes %u\n",
		(long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
		(long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
		ru.ru_maxrss, sb->next_id);
}

int cmd_run(int argc, char **argv)
{
	struct guest *g = guest_new();
	if (g == NULL)
		diag_die(CAPBOX_EXIT_USAGE, "out of memory");
	struct run_args args = {.poll_us = -1};
	parse(&args, g, argc, argv);

	int program = program_open(args.program);
	struct config cfg = {0};
	build_root(&args, g, &cfg);
	if (args.print_grants &&
	    print_grants(&cfg.root, g, args.grants_file) != 0)
		exit(CAPBOX_EXIT_USAGE);
	size_t len;
	uint8_t *argdata = encode_root(&cfg.root, &len);
	config_free(&cfg);
	start_limits(&args);
	/* Before the guest boots: its shim learns at boot whether to report
	 * its calls. */
	args.trace.table_size = fdbudget_layout.guest_fds;
	trace_options_start(&args.trace);
	/* From here on this is the broker, pid 1 of the sandbox's pid
	 * namespace; the launcher waits in pidns_enter (and then removes
	 * the budgets' cgroups). */
	pidns_enter();
	/* The forecast of start_limits missed: the pid namespace needed a
	 * user namespace after all, where the guest keeps the host's root,
	 * and no pids cgroup is coming for its tasks.  Refused before any
	 * guest process exists. */
	if (args.limits.tasks == 0 && confine_guest_keeps_host_root())
		diag_die(
			CAPBOX_EXIT_USAGE,
			"cannot bound the guest's tasks: its pid namespace needed a user namespace of its own, where the guest keeps the host's root, which RLIMIT_NPROC does not bind; set a budget (e.g. --max-processes) for a pids cgroup");
	struct sandbox sb;
	if (sandbox_init(&sb) != 0)
		diag_die_errno(CAPBOX_EXIT_USAGE, "cannot create the sandbox");
	if (args.max_processes != 0)
		sb.max_processes = args.max_processes;
	if (args.poll_us >= 0)
		sb.poll_max_ns = (uint64_t)args.poll_us * 1000;
	starting = &sb;
	spawn_set_extras(&(struct spawn_extras){
		.before_fork = guest_cgroup,
		.enter_limits = limits_enter,
		.forked = guest_forked,
	});
	int err = limits_apply_file_size();
	if (err != 0)
		diag_die(CAPBOX_EXIT_USAGE, "--max-file-size: %s",
			 strerror(err));
	if (spawn_guest(g, program, argdata, len) != 0)
		exit(CAPBOX_EXIT_USAGE);
	free(argdata);
	free(args.items);
	close(program);
	if (sandbox_add_guest(&sb, g) != 0) {
		diag_warn_errno("cannot watch the guest");
		sandbox_destroy(&sb);
		exit(CAPBOX_EXIT_USAGE);
	}

	if (fdbudget_apply(args.max_fds) != 0) {
		diag_warn_errno("cannot set the sandbox's descriptor budget");
		sandbox_destroy(&sb);
		exit(CAPBOX_EXIT_USAGE);
	}
	/* A stop signal says why on its own (stopped_by, below). */
	int served = sandbox_serve(&sb);
	fdbudget_release();
	int status = served != 0            ? CAPBOX_EXIT_USAGE
		     : sb.stop_signal != 0  ? 0
		     : sb.check_status != 0 ? sb.check_status
					    : ended(&sb, g, args.program);
	if (args.trace.stats) {
		print_run_stats(&sb, args.trace.fd);
		sandbox_print_stats(&sb);
		limits_print_stats();
	}
	trace_finish();
	sandbox_destroy(&sb);
	pidns_report_empty();
	if (sb.stop_signal != 0)
		stopped_by(sb.stop_signal);
	return status;
}

/* trace_options.c: capbox run's tracing options: parsing, the destination, the call classes of --trace-calls. */
#include "cli/trace_options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "broker/diag.h"
#include "cloudabi/syscalls.h"
#include "common/abi_names.h"

enum {
	OPT_TRACE = TRACE_OPT_FIRST,
	OPT_TRACE_FORMAT,
	OPT_TRACE_CALLS,
	OPT_TRACE_ERRORS,
	OPT_STATS,
	OPT_EXPLAIN_DENIALS,
};

const struct option trace_long_options[TRACE_OPTIONS_COUNT] = {
	{"trace", optional_argument, NULL, OPT_TRACE},
	{"trace-format", required_argument, NULL, OPT_TRACE_FORMAT},
	{"trace-calls", required_argument, NULL, OPT_TRACE_CALLS},
	{"trace-errors", no_argument, NULL, OPT_TRACE_ERRORS},
	{"stats", no_argument, NULL, OPT_STATS},
	{"explain-denials", no_argument, NULL, OPT_EXPLAIN_DENIALS},
};

const char trace_usage[] =
	"  --trace[=FILE|fd:N] one line per system call of every process and thread\n"
	"                      (to FILE, descriptor N, or standard error; docs/TRACE.md)\n"
	"  --trace-format=text|json  lines like strace (default), or JSON Lines\n"
	"  --trace-calls=LIST  only these calls or classes (file, fd, sock, proc, mem,\n"
	"                      poll, lock, thread, clock, random), comma separated\n"
	"  --trace-errors      only the calls that failed\n"
	"  --stats             at exit, per call: count, errors, total and median time;\n"
	"                      the sandbox's CPU time, peak memory, processes\n"
	"  --explain-denials   for each refusal (a missing right, a path out of its\n"
	"                      directory, a limit), once per cause: which descriptor\n"
	"                      lacks what, and the grant (FILE:LINE:COLUMN) or call it\n"
	"                      came from\n";

static const char *destination; /* --trace's value, or NULL */

void trace_options_init(struct trace_options *o)
{
	*o = (struct trace_options){
		.fd = 2,
		.calls = (UINT64_C(1) << CLOUDABI_SYSCALL_COUNT) - 1,
	};
}

/* The calls of a class: those whose name starts with one of its
 * prefixes (lock also has the condition variables). */
static uint64_t class_calls(const char *word, size_t len)
{
	static const struct {
		const char *class;
		const char *prefixes[3];
	} classes[] = {
		{"file", {"file_"}},
		{"fd", {"fd_"}},
		{"sock", {"sock_"}},
		{"proc", {"proc_"}},
		{"mem", {"mem_"}},
		{"poll", {"poll"}},
		{"lock", {"lock_", "condvar_"}},
		{"thread", {"thread_"}},
		{"clock", {"clock_"}},
		{"random", {"random_"}},
	};
	uint64_t calls = 0;
	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		if (strlen(classes[c].class) != len ||
		    memcmp(classes[c].class, word, len) != 0)
			continue;
		for (unsigned i = 0; i < CLOUDABI_SYSCALL_COUNT; i++)
			for (size_t p = 0; p < 3 && classes[c].prefixes[p]; p++)
				if (strncmp(cloudabi_syscall_name(i),
					    classes[c].prefixes[p],
					    strlen(classes[c].prefixes[p])) ==
				    0)
					calls |= UINT64_C(1) << i;
	}
	for (unsigned i = 0; i < CLOUDABI_SYSCALL_COUNT; i++) {
		const char *name = cloudabi_syscall_name(i);
		if (strlen(name) == len && memcmp(name, word, len) == 0)
			calls |= UINT64_C(1) << i;
	}
	return calls;
}

static uint64_t parse_calls(const char *list)
{
	uint64_t calls = 0;
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		uint64_t these = class_calls(p, len);
		if (these == 0)
			diag_die(
				CAPBOX_EXIT_USAGE,
				"--trace-calls: '%.*s' is neither a call nor a class (file, fd, sock, proc, mem, poll, lock, thread, clock, random)",
				(int)len, p);
		calls |= these;
		if (p[len] == '\0')
			return calls;
		p += len + 1;
	}
}

bool trace_take_option(struct trace_options *o, int opt, const char *arg)
{
	switch (opt) {
	case OPT_TRACE:
		o->lines = true;
		destination = arg;
		return true;
	case OPT_TRACE_FORMAT:
		if (strcmp(arg, "text") == 0)
			o->format = TRACE_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->format = TRACE_JSON;
		else
			diag_die(CAPBOX_EXIT_USAGE,
				 "--trace-format=%s: expected text or json",
				 arg);
		return true;
	case OPT_TRACE_CALLS:
		o->calls = parse_calls(arg);
		return true;
	case OPT_TRACE_ERRORS:
		o->errors_only = true;
		return true;
	case OPT_STATS:
		o->stats = true;
		return true;
	case OPT_EXPLAIN_DENIALS:
		o->explain = true;
		return true;
	default:
		return false;
	}
}

/* fd:N: a descriptor of capbox's that is open for writing. */
static int inherited_fd(const char *text)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || end == text || n < 0 || n > 1 << 20)
		diag_die(CAPBOX_EXIT_USAGE,
			 "--trace=fd:%s: not a descriptor number", text);
	int flags = fcntl((int)n, F_GETFL);
	if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
		diag_die(CAPBOX_EXIT_USAGE,
			 "--trace=fd:%ld: not a descriptor open for writing",
			 n);
	/* The broker's own copy: the guest never inherits it. */
	int fd = fcntl((int)n, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		diag_die_errno(CAPBOX_EXIT_USAGE, "--trace=fd:%ld", n);
	return fd;
}

void trace_options_start(struct trace_options *o)
{
	if (!o->lines && !o->stats && !o->explain)
		return;
	if (destination != NULL && strncmp(destination, "fd:", 3) == 0)
		o->fd = inherited_fd(destination + 3);
	else if (destination != NULL) {
		o->fd = open(destination,
			     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
				     O_NOCTTY,
			     0644);
		if (o->fd < 0)
			diag_die_errno(CAPBOX_EXIT_USAGE, "--trace=%s",
				       destination);
	}
	if (!trace_start(o))
		diag_die(
			CAPBOX_EXIT_USAGE,
			"--trace, --stats and --explain-denials: this capbox was built without tracing (make TRACE=0)");
}

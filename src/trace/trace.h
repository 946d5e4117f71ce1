/* trace.h: capbox run --trace, --stats, --explain-denials: what the broker records of a sandbox's calls, and where it goes. */
#ifndef CAPBOX_TRACE_TRACE_H
#define CAPBOX_TRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/hc_trace.h" /* CAPBOX_TRACE */

enum trace_format {
	TRACE_TEXT,
	TRACE_JSON, /* JSON Lines, docs/TRACE.md */
};

struct trace_options {
	bool lines; /* --trace: one line per call */
	int fd;     /* where lines go (stderr by default) */
	enum trace_format format;
	uint64_t calls;      /* --trace-calls: bit CLOUDABI_SYS_<name> shown */
	bool errors_only;    /* --trace-errors */
	bool stats;          /* --stats: a table at exit */
	bool explain;        /* --explain-denials: once per distinct cause */
	unsigned table_size; /* a process's descriptor table (the layout's G) */
};

/* Where a descriptor came from, as the broker's table says. */
#define TRACE_ORIGIN_GRANT UINT16_MAX /* `call` of a launch grant */
#define TRACE_ORIGIN_NONE UINT32_MAX  /* `from`: made from no descriptor */
struct trace_origin {
	bool present;  /* the broker's table has the descriptor */
	uint64_t base; /* its rights */
	uint64_t inheriting;
	const char *grant; /* the grant it is or descends from ("--dir
			      * data", "FILE:LINE:COLUMN"), or NULL */
	uint16_t call;     /* the call that made it, or TRACE_ORIGIN_GRANT */
	uint32_t from;     /* the descriptor it was made from */
};

/* The table size trace_start was given (for "the table is full"). */
unsigned trace_table_size(void);

/* The broker's answer to "where did fd of this process come from". */
typedef struct trace_origin trace_lookup(void *process, uint32_t fd);

/* The decoder's one branch: true once trace_start has been called with
 * anything to do.  False (the default) costs nothing else; built with
 * TRACE=0 it is the constant false, and the branches compile out. */
#if CAPBOX_TRACE
extern bool trace_active;
#else
#define trace_active false
#endif

/* Starts recording (options copied); false if this capbox was built
 * without tracing (make TRACE=0). */
bool trace_start(const struct trace_options *options);

/* CAPBOX_BOOT_TRACE if the shims should report their calls, else 0. */
uint32_t trace_boot_flags(void);

/* A monotonic time in nanoseconds, for durations. */
uint64_t trace_clock(void);

/* A hypercall the broker served. */
struct trace_hypercall {
	uint32_t pid;  /* the process, as the sandbox numbers it */
	int channel;   /* the broker's descriptor of the thread's channel */
	unsigned call; /* its number */
	const void *params; /* the checked parameter struct */
	const unsigned char *tail;
	size_t tail_len;
	uint16_t error;
	const unsigned char *result; /* the reply's result bytes */
	size_t result_len;
	uint64_t started_ns;  /* trace_begin() before the handler */
	trace_lookup *lookup; /* for denial explanations */
	void *process;
};

/* Before a handler: forgets the last denial noted; the time. */
uint64_t trace_begin(void);

/*
 * What the broker notes where it refuses (one branch when off): the
 * descriptor that lacks rights, or that cannot pass them on to what it
 * opens; a path that would leave its directory.  trace_served explains
 * the refusal with them.
 */
void trace_note_missing(uint32_t fd, uint64_t missing);
void trace_note_not_inherited(uint32_t fd, uint64_t missing);
void trace_note_path_escape(void);

/* Records a served hypercall (those that serve a CloudABI call). */
void trace_served(const struct trace_hypercall *hc);

/* A CAPBOX_HC_TRACE_RECORD message's parameters (len bytes, hostile) from
 * channel of process pid: validated, formatted, or dropped (counted). */
void trace_shim_record(uint32_t pid, int channel, const unsigned char *params,
		       size_t len, trace_lookup *lookup, void *process);

/* Ends recording: prints the --stats table (to the trace's destination). */
void trace_finish(void);

#endif

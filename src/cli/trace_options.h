/* trace_options.h: capbox run's tracing options (--trace, --trace-format, --trace-calls, --trace-errors, --stats, --explain-denials). */
#ifndef CAPBOX_CLI_TRACE_OPTIONS_H
#define CAPBOX_CLI_TRACE_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "trace/trace.h"

/* The options' getopt_long entries (values TRACE_OPT_FIRST...), ended by
 * an all-zero entry; cmd_run copies them into its table. */
#define TRACE_OPT_FIRST 2000
#define TRACE_OPTIONS_COUNT 6
extern const struct option trace_long_options[TRACE_OPTIONS_COUNT];

/* The usage lines of these options. */
extern const char trace_usage[];

/* Takes getopt's opt (and optarg) into o if it is one of these options
 * (true), or returns false.  A bad value ends capbox with a usage error. */
bool trace_take_option(struct trace_options *o, int opt, const char *arg);

/* Opens the destination (FILE or fd:N) and starts the trace, if any
 * option asked for it. */
void trace_options_start(struct trace_options *o);

/* Defaults: nothing on, every call shown, text, to stderr. */
void trace_options_init(struct trace_options *o);

#endif

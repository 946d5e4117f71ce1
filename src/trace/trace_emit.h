/* trace_emit.h: one trace_event as one line of text or of JSON. */
#ifndef CAPBOX_TRACE_TRACE_EMIT_H
#define CAPBOX_TRACE_TRACE_EMIT_H

#include <stddef.h>

#include "trace/trace.h"
#include "trace/trace_event.h"

/* The longest line either format writes, its newline included: each line
 * goes out in one write(2), so lines never interleave with other writers
 * of a pipe (PIPE_BUF). */
#define TRACE_LINE_MAX 4096

/* Formats ev into line (TRACE_LINE_MAX bytes); returns its length, the
 * final newline included. */
size_t trace_emit_text(const struct trace_event *ev, char *line);
size_t trace_emit_json(const struct trace_event *ev, char *line);

#endif

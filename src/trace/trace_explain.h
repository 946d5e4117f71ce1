/* trace_explain.h: why a call was refused: the descriptor, the missing right, where the descriptor came from. */
#ifndef CAPBOX_TRACE_TRACE_EXPLAIN_H
#define CAPBOX_TRACE_TRACE_EXPLAIN_H

#include "trace/trace.h"
#include "trace/trace_event.h"

/* Forgets the last noted denial (before each handler). */
void trace_explain_reset(void);

/* Fills ev->denial (and sets ev->denied) if ev is a refusal capbox can
 * explain: from what the broker noted while serving it (authoritative)
 * or, for a shim's ENOTCAPABLE, from the broker's table. */
void trace_explain(struct trace_event *ev, trace_lookup *lookup, void *process);

/* True the first time a cause is seen (a fixed set: 128 causes, of which
 * at most 64 from shims' records, which a guest can forge, so that they
 * never use up the room of the broker's; once a part is full, false and
 * *set_full, and the caller says so once). */
bool trace_explain_first(const struct trace_event *ev, bool *set_full);

#endif

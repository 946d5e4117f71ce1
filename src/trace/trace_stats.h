/* trace_stats.h: --stats: per call count, errors, total and median time, in fixed memory. */
#ifndef CAPBOX_TRACE_TRACE_STATS_H
#define CAPBOX_TRACE_TRACE_STATS_H

#include "trace/trace_event.h"

/* Counts one traced call. */
void trace_stats_add(const struct trace_event *ev);

/* Counts one shim record the broker refused as malformed. */
void trace_stats_dropped(void);

/* Writes the table (calls that were made, most total time first) to fd. */
void trace_stats_print(int fd);

#endif

/* trace_decode.h: turns a shim's trace record or a hypercall the broker served into a trace_event. */
#ifndef CAPBOX_TRACE_TRACE_DECODE_H
#define CAPBOX_TRACE_TRACE_DECODE_H

#include "trace/trace.h"
#include "trace/trace_event.h"

/* A record (already checked: syscall < CLOUDABI_SYSCALL_COUNT, data_len
 * <= CAPBOX_TRACE_DATA_MAX) and its data, as the shim reported them. */
void trace_decode_record(const struct capbox_hc_trace_record *rec,
			 const unsigned char *data, struct trace_event *ev);

/* A CloudABI-numbered hypercall as the broker served it. */
void trace_decode_served(const struct trace_hypercall *hc,
			 struct trace_event *ev);

#endif

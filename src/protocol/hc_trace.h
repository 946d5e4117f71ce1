/* hc_trace.h: the shim's one-way batches of trace records (capbox run --trace): the layout the broker validates and formats; the TRACE=0 build switch. */
#ifndef CAPBOX_PROTOCOL_HC_TRACE_H
#define CAPBOX_PROTOCOL_HC_TRACE_H

/*
 * With --trace the boot reply's flags carry CAPBOX_BOOT_TRACE, and the
 * shim's vDSO then exports traced wrappers instead of the plain calls
 * (without it nothing changes: not even a branch on the fast paths).  A
 * wrapper records every call that the broker did not serve itself (a call
 * served by a CloudABI-numbered hypercall is traced by the broker,
 * authoritatively) in its thread's batch, and sends the batch as one
 * CAPBOX_HC_TRACE_RECORD message on its thread's socket: when the next
 * record would not fit, before any hypercall (so a thread's records and
 * the broker's lines of its calls stay in order), before a call that may
 * wait for another party (fd_read, fd_write, sock_recv, sock_send, poll),
 * when its oldest record is CAPBOX_TRACE_BATCH_NS old, at thread or
 * process exit, and when the thread crashes (SIGSEGV).  A batch is a sequence of records, each a struct below
 * and its data_len bytes of data, CAPBOX_TRACE_BATCH_MAX bytes at most.
 * The message gets no reply (seq 0), except the batch holding the record
 * of proc_exit and thread_exit, which asks for an empty one (seq != 0):
 * the broker has then read every earlier message of the channel, so none
 * is lost when the process ends.  The broker takes a batch as hostile
 * input: every record a fixed struct plus at most CAPBOX_TRACE_DATA_MAX
 * bytes, every field formatted by the broker (numbers, names from its own
 * tables, escaped bytes); one malformed record drops its whole batch.
 * Nothing in it is believed: it is shown as "shim" (forgeable).
 */
#include <stdint.h>

#include "protocol/hypercall.h" /* CAPBOX_HC_TRACE_RECORD */

/* The build switch (make TRACE=0 defines it 0): without tracing the
 * broker's hooks are constant false, the shim never exports its traced
 * wrappers nor notes what the broker served (docs/BENCHMARKS.md). */
#ifndef CAPBOX_TRACE
#define CAPBOX_TRACE 1
#endif

#define CAPBOX_BOOT_TRACE UINT32_C(1) /* capbox_hc_boot_reply.flags */

#define CAPBOX_TRACE_ARGS 7         /* the most arguments a call has */
#define CAPBOX_TRACE_DATA_MAX 64    /* bytes of a path or buffer shown */
#define CAPBOX_TRACE_HELLO 0xffff   /* syscall: "this channel is thread tid" */
#define CAPBOX_TRACE_BATCH_MAX 8192 /* bytes of records in one message */
#define CAPBOX_TRACE_BATCH_NS 10000000 /* 10 ms: the oldest record's age */

struct capbox_hc_trace_record {
	uint16_t syscall; /* CLOUDABI_SYS_<name>, or CAPBOX_TRACE_HELLO */
	uint16_t error;   /* cloudabi_errno_t the call returned */
	uint32_t tid;     /* the thread's CloudABI id, as the shim says */
	uint64_t args[CAPBOX_TRACE_ARGS]; /* the raw argument words */
	uint64_t result; /* the value stored through the out argument */
	uint64_t duration_ns;
	uint32_t data_len; /* bytes after the struct (a path or data) */
	uint32_t reserved;
};

_Static_assert(sizeof(struct capbox_hc_trace_record) == 88, "trace record");
_Static_assert(sizeof(struct capbox_hc_request) + CAPBOX_TRACE_BATCH_MAX <=
		       CAPBOX_HC_MAX_MESSAGE,
	       "a batch fits in one message");

#endif

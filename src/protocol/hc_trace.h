/* hc_trace.h: the shim's one-way trace record (capbox run --trace): the layout the broker validates and formats. */
#ifndef CAPBOX_PROTOCOL_HC_TRACE_H
#define CAPBOX_PROTOCOL_HC_TRACE_H

/*
 * With --trace the boot reply's flags carry CAPBOX_BOOT_TRACE, and the
 * shim's vDSO then exports traced wrappers instead of the plain calls
 * (without it nothing changes: not even a branch on the fast paths).  A
 * wrapper sends one CAPBOX_HC_TRACE_RECORD message on its thread's socket
 * after every call that the broker did not serve itself (a call served by
 * a CloudABI-numbered hypercall is traced by the broker, authoritatively).
 * The message gets no reply (seq 0), except the record of proc_exit and
 * thread_exit, which asks for an empty one (seq != 0): the broker has then
 * read every earlier message of the channel, so none is lost when the
 * process ends.  The broker takes a record as hostile input: a fixed
 * struct plus at most CAPBOX_TRACE_DATA_MAX bytes, every field formatted
 * by the broker (numbers, names from its own tables, escaped bytes).
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

#define CAPBOX_TRACE_ARGS 7      /* the most arguments a call has */
#define CAPBOX_TRACE_DATA_MAX 64 /* bytes of a path or buffer shown */
#define CAPBOX_TRACE_HELLO 0xffff /* syscall: "this channel is thread tid" */

struct capbox_hc_trace_record {
	uint16_t syscall;  /* CLOUDABI_SYS_<name>, or CAPBOX_TRACE_HELLO */
	uint16_t error;    /* cloudabi_errno_t the call returned */
	uint32_t tid;      /* the thread's CloudABI id, as the shim says */
	uint64_t args[CAPBOX_TRACE_ARGS]; /* the raw argument words */
	uint64_t result;   /* the value stored through the out argument */
	uint64_t duration_ns;
	uint32_t data_len; /* bytes after the struct (a path or data) */
	uint32_t reserved;
};

_Static_assert(sizeof(struct capbox_hc_trace_record) == 88, "trace record");

#endif

/* trace.h: the traced wrappers of the 49 system calls that the vDSO exports under --trace (protocol/hc_trace.h). */
#ifndef CAPBOX_SHIM_TRACE_H
#define CAPBOX_SHIM_TRACE_H

#include "cloudabi/abi.h"
#include "cloudabi/syscalls.h"
#include "shim/shim.h"

/* shim_traced_<name>: calls cloudabi_sys_<name> and, unless the broker
 * served it, sends the broker a record of it. */
#define SHIM_DECLARE_TRACED(name, ret, params, args)                           \
	ret shim_traced_##name params;
CLOUDABI_SYSCALLS(SHIM_DECLARE_TRACED)
#undef SHIM_DECLARE_TRACED

/* Sends the thread's batch of records, if it holds any: before every
 * hypercall (channel.c), so that its records and the broker's lines of
 * its calls stay in order. */
void shim_trace_flush(struct shim_thread *self);

#endif

/* proc.h: what poll needs from the process code: how the process behind a descriptor ended. */
#ifndef CAPBOX_SHIM_PROC_H
#define CAPBOX_SHIM_PROC_H

#include <stdbool.h>

#include "cloudabi/abi.h"

/*
 * A process descriptor is the guest's pidfd for the child; it becomes
 * readable (POLLIN) when the child ends.  Then this asks the broker, which
 * reaps every guest process, how it ended: *exited is false if the broker
 * has not seen the end yet (try again shortly).  Returns EBADF or
 * ENOTCAPABLE (no POLL_PROC_TERMINATE right) like any other call.
 */
cloudabi_errno_t proc_terminated(cloudabi_fd_t fd, bool *exited,
				 cloudabi_exitcode_t *code,
				 cloudabi_signal_t *sig);

#endif

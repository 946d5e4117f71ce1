/* fault.h: copies between the shim and guest memory that fail with EFAULT instead of killing the process. */
#ifndef CAPBOX_SHIM_FAULT_H
#define CAPBOX_SHIM_FAULT_H

#include <stddef.h>

/* Installs the SIGSEGV handler that makes shim_guarded_copy recoverable.
 * Once per process (exec starts over); returns 0 or -errno. */
long fault_install(void);

/* Copies len bytes; 0, or -EFAULT if either range was not accessible.
 * Any other SIGSEGV still ends the process as before. */
long shim_guarded_copy(void *dst, const void *src, size_t len);

#endif

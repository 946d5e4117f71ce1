/* fault.h: copies between the shim and guest memory that fail with EFAULT instead of killing the process. */
#ifndef CAPBOX_SHIM_FAULT_H
#define CAPBOX_SHIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>

/* Installs the SIGSEGV handler that makes shim_guarded_copy recoverable.
 * Once per process (exec starts over); returns 0 or -errno. */
long fault_install(void);

/* Copies len bytes; 0, or -EFAULT if either range was not accessible.
 * Any other SIGSEGV still ends the process as before. */
long shim_guarded_copy(void *dst, const void *src, size_t len);

/* 0 if every page of [buf, buf + len) can be read (and, if `writable`,
 * written: one byte of each is written back as it was read); else
 * -EFAULT.  For a call that must know before it acts, not after. */
long shim_guarded_probe(void *buf, size_t len, bool writable);

#endif

/* abi_names.h: names of CloudABI errnos, signals, syscalls, types, rights. */
#ifndef CAPBOX_COMMON_ABI_NAMES_H
#define CAPBOX_COMMON_ABI_NAMES_H

#include <stddef.h>

#include "cloudabi/abi.h"

/*
 * Freestanding (no libc) and free of pointer tables, so the shim can use it
 * without dynamic relocations.  Every lookup returns a static string, or
 * NULL when the value is not one the spec defines.
 */

/* "ENOTCAPABLE" for CLOUDABI_ENOTCAPABLE; "ESUCCESS" for 0. */
const char *cloudabi_errno_name(unsigned error);

/* "SIGFPE" for CLOUDABI_SIGFPE; NULL for 0. */
const char *cloudabi_signal_name(unsigned sig);

/* "clock_res_get" for index 0 (CLOUDABI_SYS_clock_res_get) ... */
const char *cloudabi_syscall_name(unsigned index);

/* "directory" for CLOUDABI_FILETYPE_DIRECTORY (the spec's member names). */
const char *cloudabi_filetype_name(unsigned type);

/* "fd_read" for CLOUDABI_RIGHT_FD_READ; NULL unless exactly one known bit. */
const char *cloudabi_right_name(cloudabi_rights_t right);

/*
 * Looks up a right by its spec name (name[0..len), need not be
 * NUL-terminated), e.g. "fd_read".  Returns 0 and stores the bit in *out,
 * or -1 if no right has exactly that name.
 */
int cloudabi_right_from_name(const char *name, size_t len,
			     cloudabi_rights_t *out);

#endif

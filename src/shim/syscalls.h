/* syscalls.h: the shim's implementations of the CloudABI system calls, exported through the vDSO. */
#ifndef CAPBOX_SHIM_SYSCALLS_H
#define CAPBOX_SHIM_SYSCALLS_H

#include <stddef.h>

#include "cloudabi/abi.h"
#include "cloudabi/syscalls.h"

/* cloudabi_sys_<name> for all 49 calls.  The ones a family file does not
 * define fall back to the weak ENOSYS versions in sys_unimplemented.c. */
#define SHIM_DECLARE_SYSCALL(name, ret, params, args) ret cloudabi_sys_##name params;
CLOUDABI_SYSCALLS(SHIM_DECLARE_SYSCALL)
#undef SHIM_DECLARE_SYSCALL

#endif

/* syscalls.h: the shim's implementations of the CloudABI system calls, exported through the vDSO. */
#ifndef CAPBOX_SHIM_SYSCALLS_H
#define CAPBOX_SHIM_SYSCALLS_H

#include <stddef.h>

#include "cloudabi/abi.h"
#include "cloudabi/syscalls.h"

/* cloudabi_sys_<name> for all 49 calls, each defined in the family file
 * (sys_*.c) it belongs to; vdso.c refers to every one of them. */
#define SHIM_DECLARE_SYSCALL(name, ret, params, args)                          \
	ret cloudabi_sys_##name params;
CLOUDABI_SYSCALLS(SHIM_DECLARE_SYSCALL)
#undef SHIM_DECLARE_SYSCALL

#endif

/* sys_unimplemented.c: weak ENOSYS versions of every system call a family file does not implement yet. */
#include "shim/syscalls.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

#define SHIM_ENOSYS_errno return CLOUDABI_ENOSYS;
#define SHIM_ENOSYS_void for (;;) __builtin_trap();
#define SHIM_WEAK_SYSCALL(name, ret, params, args)                             \
	__attribute__((weak)) ret cloudabi_sys_##name params                   \
	{                                                                      \
		SHIM_ENOSYS_BODY(ret)                                          \
	}
#define SHIM_ENOSYS_BODY(ret) SHIM_ENOSYS_##ret
#define SHIM_ENOSYS_cloudabi_errno_t SHIM_ENOSYS_errno

CLOUDABI_SYSCALLS(SHIM_WEAK_SYSCALL)

/* cloudabi_syscalls.h: cloudabi_sys_<name>() for all 49 CloudABI system calls, routed through the vDSO. */
#ifndef CAPBOX_SDK_CLOUDABI_SYSCALLS_H
#define CAPBOX_SDK_CLOUDABI_SYSCALLS_H

#include <cloudabi/abi.h>
#include <cloudabi/syscalls.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Each function has the vDSO's prototype from CLOUDABI_SYSCALLS and
 * returns a CloudABI errno (0 = success).  The start-up code links them to
 * the vDSO; a call the vDSO does not export returns CLOUDABI_ENOSYS.
 * cloudabi_sys_proc_exit and cloudabi_sys_thread_exit never return.
 *
 * CAPBOX_SYSCALL_NORETURN_<name> marks the calls that never return; the
 * probe macros pick the second argument of CAPBOX_SYSCALL_PICK_ when the
 * marker is defined, the default otherwise.
 */
#define CAPBOX_SYSCALL_NORETURN_proc_exit ~, __attribute__((__noreturn__))
#define CAPBOX_SYSCALL_NORETURN_thread_exit ~, __attribute__((__noreturn__))
#define CAPBOX_SYSCALL_SECOND_(a, b, ...) b
#define CAPBOX_SYSCALL_PICK__(...) CAPBOX_SYSCALL_SECOND_(__VA_ARGS__, ~)
#define CAPBOX_SYSCALL_PICK_(probe, dflt) CAPBOX_SYSCALL_PICK__(probe, dflt)
/* Expands to the noreturn attribute for the two calls that never return, else nothing. */
#define CAPBOX_SYSCALL_NORETURN(name)                                          \
	CAPBOX_SYSCALL_PICK_(CAPBOX_SYSCALL_NORETURN_##name, )

#define CAPBOX_SYSCALL_DECLARE_(name, ret, params, args)                       \
	CAPBOX_SYSCALL_NORETURN(name) ret cloudabi_sys_##name params;
CLOUDABI_SYSCALLS(CAPBOX_SYSCALL_DECLARE_)
#undef CAPBOX_SYSCALL_DECLARE_

#ifdef __cplusplus
}
#endif

#endif

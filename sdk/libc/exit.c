/* exit.c: process termination (exit, _Exit, abort) and the stack protector's failure path. */
#include <cloudabi_syscalls.h>
#include <stdint.h>
#include <stdlib.h>

#include "capbox_internal.h"

void _Exit(int status)
{
	cloudabi_sys_proc_exit((cloudabi_exitcode_t)status);
}

void exit(int status)
{
	/* stdio is unbuffered and there are no atexit handlers. */
	_Exit(status);
}

void abort(void)
{
	cloudabi_sys_proc_raise(CLOUDABI_SIGABRT);
	/* SIGABRT was not delivered or did not end the process. */
	for (;;)
		__builtin_trap();
}

/*
 * -fstack-protector on this target compares against a global guard.
 * crt0 fills it from AT_CANARY; until then it holds a fixed value with a
 * zero byte (which stops string overruns from reproducing it).
 */
uintptr_t __stack_chk_guard = 0xff0a000000000000u;

_Noreturn void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	abort();
}

int abs(int j)
{
	return j < 0 ? -j : j;
}

long labs(long j)
{
	return j < 0 ? -j : j;
}

long long llabs(long long j)
{
	return j < 0 ? -j : j;
}

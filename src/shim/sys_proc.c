/* sys_proc.c: process and thread system calls that need no broker. */
#include "shim/linux.h"
#include "shim/syscalls.h"

void cloudabi_sys_proc_exit(cloudabi_exitcode_t rval)
{
	/* Linux keeps the low eight bits of the exit code. */
	linux_exit_group((int)(rval & 0xff));
}

cloudabi_errno_t cloudabi_sys_thread_yield(void)
{
	linux_syscall0(__NR_sched_yield);
	return 0;
}

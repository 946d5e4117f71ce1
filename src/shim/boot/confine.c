/* confine.c: installs the guest's seccomp-bpf filter, handed over by the broker as a sealed memfd. */
#include "shim/boot/confine.h"

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "protocol/hypercall.h"
#include "shim/linux.h"
#include "shim/shim.h"

/* The kernel's limit on one filter, plus one to detect a longer file. */
static struct sock_filter program[BPF_MAXINSNS + 1];

/* After proc_exec the filter installed at the first start is still in
 * force (filters survive exec), and it refuses seccomp() itself. */
static int already_confined(void)
{
	uint32_t action = SECCOMP_RET_ALLOW;
	return linux_syscall3(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0,
			      &action) == -EPERM;
}

void shim_confine(void)
{
	if (already_confined()) {
		linux_syscall1(__NR_close, shim_proc.fds.seccomp);
		return;
	}
	long n;
	do {
		n = linux_syscall4(__NR_pread64, shim_proc.fds.seccomp, program,
				   sizeof(program), 0);
	} while (n == -EINTR);
	linux_syscall1(__NR_close, shim_proc.fds.seccomp);
	if (n < 0)
		shim_fatal(SHIM_EXIT_LOAD_FAILED,
			   "cannot read the system call filter", n);
	if (n == 0 || n % (long)sizeof(program[0]) != 0 ||
	    n > (long)(BPF_MAXINSNS * sizeof(program[0])))
		shim_fatal(SHIM_EXIT_LOAD_FAILED,
			   "malformed system call filter", 0);
	struct sock_fprog prog = {
		.len = (unsigned short)(n / (long)sizeof(program[0])),
		.filter = program,
	};
	long err = linux_syscall3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				  &prog);
	if (err < 0)
		shim_fatal(SHIM_EXIT_LOAD_FAILED,
			   "cannot install the system call filter", err);
}

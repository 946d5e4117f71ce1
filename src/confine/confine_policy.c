/* confine_policy.c: THE list of Linux system calls a guest may make after start-up, with their argument rules. */
#include "confine/confine_policy.h"

#include <asm/unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define ARCH_SET_FS 0x1002

/*
 * Every call the shim's data plane makes, nothing else: no call that takes
 * a path, creates a socket or names another process.  tools/check-seccomp-
 * policy fails the test suite when src/shim uses a call missing here (or in
 * confine_startup_only below).  A call may appear more than once: the rows
 * are alternatives.  No call names another process: kill, tkill, tgkill,
 * ptrace, process_vm_* and pidfd_* are all refused.
 */
/* One row per line, as tools/check-seccomp-policy reads them:
 * clang-format (tools/check-format) would pack them. */
/* clang-format off */
#define ALLOW(name, check, arg, value)                                         \
	{__NR_##name, #name, (check), (arg), (value), NO_ARG, 0}
#define ALLOW2(name, arg, value, arg2, value2)                                 \
	{__NR_##name, #name, CHECK_ARG_EQ, (arg), (value), (arg2), (value2)}

const struct confine_rule confine_policy[] = {
	/* memory: never writable and executable at once */
	ALLOW(mmap, CHECK_NOT_WX, 2, 0),
	ALLOW(mprotect, CHECK_NOT_WX, 2, 0),
	ALLOW(munmap, CHECK_NONE, 0, 0),
	/* mem_advise's five, and MADV_DONTFORK for the mailbox: not
	 * MADV_DOFORK (a forked child would share the parent's mailbox),
	 * nor MADV_WIPEONFORK, MADV_HWPOISON and the like. */
	ALLOW(madvise, CHECK_ARG_EQ, 2, MADV_NORMAL),
	ALLOW(madvise, CHECK_ARG_EQ, 2, MADV_RANDOM),
	ALLOW(madvise, CHECK_ARG_EQ, 2, MADV_SEQUENTIAL),
	ALLOW(madvise, CHECK_ARG_EQ, 2, MADV_WILLNEED),
	ALLOW(madvise, CHECK_ARG_EQ, 2, MADV_DONTNEED),
	ALLOW(madvise, CHECK_ARG_EQ, 2, MADV_DONTFORK),
	ALLOW(msync, CHECK_NONE, 0, 0),

	/* descriptors the process already holds */
	ALLOW(read, CHECK_NONE, 0, 0),
	ALLOW(readv, CHECK_NONE, 0, 0),
	ALLOW(write, CHECK_NONE, 0, 0),
	ALLOW(writev, CHECK_NONE, 0, 0),
	ALLOW(pread64, CHECK_NONE, 0, 0),
	ALLOW(preadv, CHECK_NONE, 0, 0),
	ALLOW(pwrite64, CHECK_NONE, 0, 0),
	ALLOW(pwritev, CHECK_NONE, 0, 0),
	ALLOW(lseek, CHECK_NONE, 0, 0),
	ALLOW(fsync, CHECK_NONE, 0, 0),
	ALLOW(fdatasync, CHECK_NONE, 0, 0),
	ALLOW(dup3, CHECK_NONE, 0, 0),
	ALLOW(close, CHECK_NONE, 0, 0),
	ALLOW(close_range, CHECK_NONE, 0, 0),
	ALLOW(fcntl, CHECK_ARG_EQ, 1, F_GETFD),
	ALLOW(fcntl, CHECK_ARG_EQ, 1, F_SETFD),
	ALLOW(fcntl, CHECK_ARG_EQ, 1, F_GETFL),
	ALLOW(fcntl, CHECK_ARG_EQ, 1, F_DUPFD_CLOEXEC),

	/*
	 * sockets already held (the hypercall channel is one of them).  The
	 * shim sends plain data with write/writev or sendto without an
	 * address (dest_addr NULL: its addrlen is then ignored) and with
	 * MSG_NOSIGNAL alone (no MSG_FASTOPEN, MSG_OOB, MSG_DONTWAIT).  A
	 * socket therefore sends only to the peer it is connected to: the
	 * filter cannot read a message's destination, so sendmsg and
	 * sendmmsg (an address, SCM_RIGHTS, any flags in memory) are
	 * refused; descriptors travel through the broker (sock_send).
	 * getsockopt tells only the socket's type: SO_PEERCRED, SO_PEERSEC,
	 * SO_PEERGROUPS and SO_PEERPIDFD would name the broker's process.
	 */
	ALLOW2(sendto, 4, 0, 3, MSG_NOSIGNAL),
	ALLOW(recvmsg, CHECK_NONE, 0, 0),
	ALLOW(shutdown, CHECK_NONE, 0, 0),
	ALLOW2(getsockopt, 1, SOL_SOCKET, 2, SO_TYPE),
	ALLOW(ioctl, CHECK_ARG_EQ, 1, FIONREAD),

	/* time, waiting, randomness */
	ALLOW(clock_gettime, CHECK_NONE, 0, 0),
	ALLOW(clock_getres, CHECK_NONE, 0, 0),
	ALLOW(clock_nanosleep, CHECK_NONE, 0, 0),
	ALLOW(ppoll, CHECK_NONE, 0, 0),
	ALLOW(getrandom, CHECK_NONE, 0, 0),
	ALLOW(restart_syscall, CHECK_NONE, 0, 0),

	/* threads of this process; proc_fork's child, whose parent is the
	 * broker (src/shim/calls/sys_proc.c) */
	ALLOW(clone, CHECK_THREAD_ONLY, 0, 0),
	ALLOW(clone, CHECK_ARG_EQ, 0, CLONE_PARENT | CLONE_PIDFD | SIGCHLD),
	ALLOW(futex, CHECK_NONE, 0, 0),
	ALLOW(set_robust_list, CHECK_NONE, 0, 0),
	ALLOW(gettid, CHECK_NONE, 0, 0),
	ALLOW(sched_yield, CHECK_NONE, 0, 0),
	ALLOW(arch_prctl, CHECK_ARG_EQ, 0, ARCH_SET_FS),
	ALLOW(rt_sigprocmask, CHECK_NONE, 0, 0),
	ALLOW(rt_sigreturn, CHECK_NONE, 0, 0),
	/* the shim's handler: faults in its guarded copies become EFAULT */
	ALLOW(rt_sigaction, CHECK_ARG_EQ, 0, SIGSEGV),
	ALLOW(exit, CHECK_NONE, 0, 0),
	/* a forked child dies with the broker (never the reverse: 0) */
	ALLOW2(prctl, 0, PR_SET_PDEATHSIG, 1, SIGKILL),

	/* this process: signals go through the broker (proc_raise); proc_exec
	 * re-executes the shim's own sealed image and nothing else by number
	 * (a path given instead is stopped by Landlock and the empty root) */
	ALLOW(exit_group, CHECK_NONE, 0, 0),
	ALLOW2(execveat, 0, CONFINE_SHIM_IMAGE_FD, 4, AT_EMPTY_PATH),
	ALLOW(memfd_create, CHECK_ARG_EQ, 1, MFD_CLOEXEC), /* new argdata */
};
/* clang-format on */
const size_t confine_policy_len = sizeof(confine_policy) /
				  sizeof(confine_policy[0]);

const char *const confine_startup_only[] = {
	"seccomp", /* installs this very filter */
};
const size_t confine_startup_only_len = sizeof(confine_startup_only) /
					sizeof(confine_startup_only[0]);

/* proc_fork.c: proc_fork, process descriptors, exit codes and signals seen through poll, proc_raise. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

/* Forks; in the child runs body(arg) and exits with its result. */
static cloudabi_fd_t spawn(int (*body)(int), int arg, cloudabi_errno_t *err)
{
	cloudabi_fd_t fd;
	cloudabi_tid_t tid;
	*err = cloudabi_sys_proc_fork(&fd, &tid);
	if (*err != 0)
		return (cloudabi_fd_t)-1;
	if (fd == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit((cloudabi_exitcode_t)body(arg));
	return fd;
}

static int exit_with(int code)
{
	return code;
}

static int raise_signal(int sig)
{
	cloudabi_sys_proc_raise((cloudabi_signal_t)sig);
	return 99; /* only if the signal did not end us */
}

static int divide_by_zero(int unused)
{
	int dividend = 1, divisor = unused * 0;
	__asm__ volatile("cltd; idivl %1"
			 : "+a"(dividend)
			 : "r"(divisor)
			 : "rdx");
	return 98;
}

/* Expects the child to end as described; returns the event. */
static void expect_end(cloudabi_fd_t fd, cloudabi_exitcode_t code,
		       cloudabi_signal_t sig, const char *what)
{
	cloudabi_event_t ev;
	cloudabi_errno_t err = proc_wait(fd, UINT64_C(10000000000), &ev);
	CHECK_EQ(err, 0, "%s: poll reports its end", what);
	CHECK_EQ(ev.type, CLOUDABI_EVENTTYPE_PROC_TERMINATE,
		 "%s: as a proc_terminate event", what);
	CHECK_EQ(ev.proc_terminate.signal, sig, "%s: signal", what);
	CHECK_EQ(ev.proc_terminate.exitcode, code, "%s: exit code", what);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_errno_t err;

	cloudabi_fd_t fd = spawn(exit_with, 42, &err);
	CHECK_EQ(err, 0, "proc_fork succeeds");
	CHECK(fd < 1024 && fd != (cloudabi_fd_t)check_out_fd,
	      "the parent gets a new descriptor (%u)", fd);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &st), 0, "fd_stat_get on it");
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_PROCESS,
		 "it is a process descriptor");
	CHECK((st.fs_rights_base & CLOUDABI_RIGHT_POLL_PROC_TERMINATE) != 0,
	      "with the POLL_PROC_TERMINATE right");
	expect_end(fd, 42, 0, "exit(42)");
	/* The status stays available after the process has been reaped. */
	expect_end(fd, 42, 0, "exit(42), polled again");
	CHECK_EQ(cloudabi_sys_fd_close(fd), 0, "closing a finished process");

	fd = spawn(exit_with, 0, &err);
	expect_end(fd, 0, 0, "exit(0)");
	cloudabi_sys_fd_close(fd);

	fd = spawn(divide_by_zero, 0, &err);
	expect_end(fd, 0, CLOUDABI_SIGFPE, "division by zero");
	cloudabi_sys_fd_close(fd);

	fd = spawn(raise_signal, CLOUDABI_SIGUSR1, &err);
	expect_end(fd, 0, CLOUDABI_SIGUSR1, "proc_raise(SIGUSR1)");
	cloudabi_sys_fd_close(fd);

	fd = spawn(raise_signal, CLOUDABI_SIGABRT, &err);
	expect_end(fd, 0, CLOUDABI_SIGABRT, "proc_raise(SIGABRT)");
	cloudabi_sys_fd_close(fd);

	/* The shim handles SIGSEGV (to turn faults in its guarded copies
	 * into EFAULT); a SIGSEGV that was sent must still end the process. */
	fd = spawn(raise_signal, CLOUDABI_SIGSEGV, &err);
	expect_end(fd, 0, CLOUDABI_SIGSEGV, "proc_raise(SIGSEGV)");
	cloudabi_sys_fd_close(fd);

	fd = spawn(raise_signal, CLOUDABI_SIGCHLD, &err);
	expect_end(fd, 99, 0, "proc_raise(SIGCHLD) is ignored");
	cloudabi_sys_fd_close(fd);

	fd = spawn(raise_signal, CLOUDABI_SIGURG, &err);
	expect_end(fd, 99, 0, "proc_raise(SIGURG) is ignored");
	cloudabi_sys_fd_close(fd);

	CHECK_EQ(cloudabi_sys_proc_raise(0), CLOUDABI_EINVAL,
		 "proc_raise(0) is EINVAL");
	CHECK_EQ(cloudabi_sys_proc_raise(27), CLOUDABI_EINVAL,
		 "proc_raise(27) is EINVAL");

	/* The child's descriptor table is a copy of the parent's. */
	cloudabi_tid_t tid;
	err = cloudabi_sys_proc_fork(&fd, &tid);
	if (fd == CLOUDABI_PROCESS_CHILD) {
		CHECK(tid != 0 && (tid & 0xc0000000u) == 0,
		      "the child's initial thread id is valid (%u)", tid);
		CHECK_EQ(capbox_thread_self(), tid,
			 "the SDK's proc_fork gave the child's thread its id");
		cloudabi_fdstat_t out;
		CHECK_EQ(cloudabi_sys_fd_stat_get((cloudabi_fd_t)check_out_fd,
						  &out),
			 0, "the child still holds the parent's descriptors");
		cloudabi_sys_proc_exit(check_failures == 0 ? 7 : 1);
	}
	expect_end(fd, 7, 0, "the child's own checks");
	cloudabi_sys_fd_close(fd);

	exit(check_done());
}

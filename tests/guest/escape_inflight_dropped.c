/* escape_inflight_dropped.c: (found by review) descriptors sent with sock_send on a socket pair that is then closed unreceived must not use up the sandbox's in-flight quota for every process, nor keep what they carried open for good. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

static cloudabi_errno_t send_one(cloudabi_fd_t sock, cloudabi_fd_t fd)
{
	cloudabi_fd_t arr[1] = {fd};
	cloudabi_send_in_t si = {.si_data = &(cloudabi_ciovec_t){"x", 1},
				 .si_data_len = 1,
				 .si_fds = arr,
				 .si_fds_len = 1};
	cloudabi_send_out_t so;
	return cloudabi_sys_sock_send(sock, &si, &so);
}

/* A pair whose first end travels on a second pair that is then closed
 * without anyone receiving: natively the message, and the end it carries,
 * are gone. */
static cloudabi_errno_t drop_one(cloudabi_fd_t *kept)
{
	cloudabi_fd_t a, b, s, t;
	cloudabi_errno_t err = cloudabi_sys_fd_create2(
		CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	if (err != 0)
		return err;
	err = cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &s, &t);
	if (err == 0) {
		err = send_one(s, a);
		cloudabi_sys_fd_close(s);
		cloudabi_sys_fd_close(t);
	}
	cloudabi_sys_fd_close(a);
	if (kept != NULL && err == 0)
		*kept = b;
	else
		cloudabi_sys_fd_close(b);
	return err;
}

/* Its peer's read: 0 for end of file, else the error (EAGAIN: the other
 * end is still held somewhere). */
static cloudabi_errno_t read_end(cloudabi_fd_t peer, size_t *n)
{
	char c;
	*n = 99;
	return cloudabi_sys_fd_read(peer, &(cloudabi_iovec_t){&c, 1}, 1, n);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t peer = UINT32_MAX;
	CHECK_EQ(drop_one(&peer), 0, "a socket end sent on a pair then closed");
	cloudabi_fdstat_t st = {.fs_flags = CLOUDABI_FDFLAG_NONBLOCK};
	CHECK_EQ(cloudabi_sys_fd_stat_put(peer, &st, CLOUDABI_FDSTAT_FLAGS), 0,
		 "its peer made non-blocking");

	/* A child drops 1100 such messages and ends: more than the
	 * sandbox's quota of 1024 records. */
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		int failed = 0;
		for (int i = 0; i < 1100; i++)
			failed += drop_one(NULL) != 0;
		cloudabi_sys_proc_exit(failed == 0 ? 0 : 1);
	}
	CHECK_EQ(err, 0, "proc_fork");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(120000000000), &ev), 0,
		 "the child that dropped 1100 messages ended");
	CHECK_EQ(ev.proc_terminate.exitcode, 0,
		 "and every one of its sends went through (the records of "
		 "dropped messages are collected, not counted for good)");

	/* The parent, which did nothing wrong, can still send. */
	cloudabi_fd_t s, t;
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &s,
					 &t),
		 0, "a fresh pair in the parent");
	CHECK_EQ(send_one(s, t), 0,
		 "the parent can still send a descriptor (ENOBUFS = %u)",
		 CLOUDABI_ENOBUFS);

	/* The first message's record was collected too: the end it carried
	 * is closed, so its peer sees end of file, as natively. */
	size_t n;
	err = read_end(peer, &n);
	CHECK(err == 0 && n == 0,
	      "the peer of the dropped end sees end of file (err %u, n %zu)",
	      err, n);
	exit(check_done());
}

/* proc_selfref.c: forks "count" children, sends each its own process descriptor (a reference cycle through its table), lets it end and closes the parent's copy; the broker must keep nothing of them (tests/cli/proc_limits.sh). */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

/* The child: receives one descriptor (its own process descriptor), then
 * ends with 0 if it got exactly that. */
static void child(cloudabi_fd_t sock)
{
	char byte;
	cloudabi_fd_t fd = UINT32_MAX;
	cloudabi_iovec_t iov = {&byte, 1};
	cloudabi_recv_in_t in = {.ri_data = &iov,
				 .ri_data_len = 1,
				 .ri_fds = &fd,
				 .ri_fds_len = 1};
	cloudabi_recv_out_t out;
	cloudabi_errno_t err = cloudabi_sys_sock_recv(sock, &in, &out);
	cloudabi_sys_proc_exit(err == 0 && out.ro_fdslen == 1 ? 0 : 1);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	argdata_t value;
	int64_t count = 100;
	if (argdata_map_find(*ad, "count", 5, &value) == ARGDATA_OK)
		argdata_get_int64(value, &count);

	int64_t failures = 0;
	for (int64_t i = 0; i < count; i++) {
		cloudabi_fd_t a, b, pd;
		cloudabi_tid_t tid;
		if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a,
					    &b) != 0) {
			failures++;
			continue;
		}
		if (cloudabi_sys_proc_fork(&pd, &tid) != 0) {
			failures++;
			cloudabi_sys_fd_close(a);
			cloudabi_sys_fd_close(b);
			continue;
		}
		if (pd == CLOUDABI_PROCESS_CHILD)
			child(b);
		cloudabi_ciovec_t iov = {"p", 1};
		cloudabi_send_in_t in = {.si_data = &iov,
					 .si_data_len = 1,
					 .si_fds = &pd,
					 .si_fds_len = 1};
		cloudabi_send_out_t out;
		cloudabi_event_t ev;
		if (cloudabi_sys_sock_send(a, &in, &out) != 0 ||
		    proc_wait(pd, UINT64_C(10000000000), &ev) != 0 ||
		    ev.proc_terminate.exitcode != 0)
			failures++;
		cloudabi_sys_fd_close(pd);
		cloudabi_sys_fd_close(a);
		cloudabi_sys_fd_close(b);
	}
	CHECK_EQ(failures, 0,
		 "%lld children each received their own process descriptor "
		 "and ended",
		 (long long)count);
	exit(check_done());
}

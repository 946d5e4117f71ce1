/* proc_tree.c: a child's table holds a copy of an ended sibling's process descriptor; the broker frees both records safely in either order. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

#define ROUNDS 40
#define SECONDS(n) ((cloudabi_timestamp_t)(n)*1000000000u)

static void wait_byte(cloudabi_fd_t fd)
{
	char c;
	cloudabi_iovec_t iov = {&c, 1};
	size_t n;
	cloudabi_sys_fd_read(fd, &iov, 1, &n);
}

static void send_byte(cloudabi_fd_t fd)
{
	char c = 'g';
	cloudabi_ciovec_t iov = {&c, 1};
	size_t n;
	cloudabi_sys_fd_write(fd, &iov, 1, &n);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	int failures = 0;
	for (int i = 0; i < ROUNDS; i++) {
		cloudabi_fd_t go[2];
		if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					    &go[0], &go[1]) != 0)
			exit(4);
		cloudabi_fd_t a, b;
		cloudabi_tid_t tid;
		cloudabi_event_t ev;
		if (cloudabi_sys_proc_fork(&a, &tid) != 0)
			exit(5);
		if (a == CLOUDABI_PROCESS_CHILD)
			cloudabi_sys_proc_exit(1);
		/* B's table holds a copy of A's descriptor. */
		if (cloudabi_sys_proc_fork(&b, &tid) != 0)
			exit(6);
		if (b == CLOUDABI_PROCESS_CHILD) {
			wait_byte(go[1]);
			cloudabi_sys_proc_exit(2);
		}
		/* A has ended and been reaped; only B's copy names it once
		 * the parent lets go (every other round), so B's end is what
		 * frees A's record: in the same pass that reaps B. */
		if (proc_wait(a, SECONDS(10), &ev) != 0 ||
		    ev.proc_terminate.exitcode != 1)
			failures++;
		if (i % 2 == 0)
			cloudabi_sys_fd_close(a);
		send_byte(go[0]);
		if (proc_wait(b, SECONDS(10), &ev) != 0 ||
		    ev.proc_terminate.exitcode != 2)
			failures++;
		cloudabi_sys_fd_close(b);
		if (i % 2 != 0)
			cloudabi_sys_fd_close(a);
		cloudabi_sys_fd_close(go[0]);
		cloudabi_sys_fd_close(go[1]);
	}
	CHECK_EQ(failures, 0,
		 "%d rounds of a child holding its ended sibling's descriptor",
		 ROUNDS);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get((cloudabi_fd_t)check_out_fd, &st), 0,
		 "the broker still answers");
	exit(check_done());
}

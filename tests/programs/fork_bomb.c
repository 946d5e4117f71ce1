/* fork_bomb.c: forks until refused; every child waits on its parent's socket, then all are released. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

#define ATTEMPTS 5000

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	static cloudabi_fd_t children[ATTEMPTS];
	size_t n = 0;
	cloudabi_errno_t err = 0;
	while (n < ATTEMPTS) {
		cloudabi_fd_t fd;
		cloudabi_tid_t tid;
		err = cloudabi_sys_proc_fork(&fd, &tid);
		if (err != 0)
			break;
		if (fd == CLOUDABI_PROCESS_CHILD) {
			/* Stay alive until killed: the parent closes us. */
			for (;;)
				proc_sleep(UINT64_C(60000000000));
		}
		children[n++] = fd;
	}
	CHECK_EQ(err, CLOUDABI_EAGAIN, "forking stops with EAGAIN");
	CHECK(n > 0 && n < ATTEMPTS, "after %zu children", n);
	dprintf(check_out_fd, "# children: %zu\n", n);
	/* Closing a process descriptor kills the process. */
	for (size_t i = 0; i < n; i++)
		cloudabi_sys_fd_close(children[i]);
	exit(check_done());
}

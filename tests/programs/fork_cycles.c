/* fork_cycles.c: forks "count" children that exit at once, polls and closes each; checks no descriptor leaks. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

/* The lowest free descriptor number, found by duplicating and closing. */
static cloudabi_fd_t lowest_free(void)
{
	cloudabi_fd_t fd = UINT32_MAX;
	if (cloudabi_sys_fd_dup((cloudabi_fd_t)check_out_fd, &fd) == 0)
		cloudabi_sys_fd_close(fd);
	return fd;
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	argdata_t value;
	int64_t count = 1000;
	if (argdata_map_find(*ad, "count", 5, &value) == ARGDATA_OK)
		argdata_get_int64(value, &count);

	cloudabi_fd_t before = lowest_free();
	int64_t failures = 0, wrong = 0;
	for (int64_t i = 0; i < count; i++) {
		cloudabi_fd_t fd;
		cloudabi_tid_t tid;
		if (cloudabi_sys_proc_fork(&fd, &tid) != 0) {
			failures++;
			continue;
		}
		if (fd == CLOUDABI_PROCESS_CHILD)
			cloudabi_sys_proc_exit((cloudabi_exitcode_t)(i & 0x7f));
		cloudabi_event_t ev;
		if (proc_wait(fd, 0, &ev) != 0 ||
		    ev.proc_terminate.exitcode != (uint32_t)(i & 0x7f))
			wrong++;
		if (cloudabi_sys_fd_close(fd) != 0)
			failures++;
	}
	CHECK_EQ(failures, 0, "%lld fork/exit/poll/close cycles all succeed",
		 (long long)count);
	CHECK_EQ(wrong, 0, "every child's exit code was reported exactly");
	CHECK_EQ(lowest_free(), before,
		 "no descriptor leaked in the guest (lowest free is still %u)",
		 before);
	exit(check_done());
}

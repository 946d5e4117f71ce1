/* proc_raise_race.c: a child whose very first call is proc_raise still dies of that signal (its fork may not be committed yet). */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

#define ROUNDS 1000

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	int wrong = 0, failed = 0;
	for (int i = 0; i < ROUNDS; i++) {
		cloudabi_fd_t child;
		cloudabi_tid_t tid;
		if (cloudabi_sys_proc_fork(&child, &tid) != 0) {
			failed++;
			continue;
		}
		if (child == CLOUDABI_PROCESS_CHILD) {
			cloudabi_sys_proc_raise(CLOUDABI_SIGUSR2);
			cloudabi_sys_proc_exit(
				99); /* the signal did not end us */
		}
		cloudabi_event_t ev;
		if (proc_wait(child, UINT64_C(10000000000), &ev) != 0)
			failed++;
		else if (ev.proc_terminate.signal != CLOUDABI_SIGUSR2)
			wrong++;
		cloudabi_sys_fd_close(child);
	}
	CHECK_EQ(failed, 0, "%d forks and waits succeed", ROUNDS);
	CHECK_EQ(
		wrong, 0,
		"every child that raised SIGUSR2 at once died of it (%d did not)",
		wrong);
	exit(check_done());
}

/* block_forever.c: forks a child; both say they are ready, then block (the child in a clock poll of an hour, the parent waiting for it); tests/cli/broker_stop.sh stops the broker under them. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "proc.h"

static void say(cloudabi_fd_t out, const char *text)
{
	cloudabi_ciovec_t iov = {text, strlen(text)};
	size_t n;
	cloudabi_sys_fd_write(out, &iov, 1, &n);
}

void program_main(const argdata_t *ad)
{
	cloudabi_fd_t out = (cloudabi_fd_t)guest_out_fd(ad);
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&child, &tid) != 0)
		exit(4);
	if (child == CLOUDABI_PROCESS_CHILD) {
		say(out, "child ready\n");
		cloudabi_subscription_t hour = {
			.type = CLOUDABI_EVENTTYPE_CLOCK,
			.clock.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			.clock.timeout = UINT64_C(3600000000000),
		};
		cloudabi_event_t ev;
		size_t n;
		cloudabi_sys_poll(&hour, &ev, 1, &n);
		exit(5);
	}
	say(out, "parent ready\n");
	cloudabi_event_t ev;
	proc_wait(child, 0, &ev);
	exit(6);
}

/* block_forever.c: makes "warm" broker calls, forks a child; both say they are ready, then block (the child in a clock poll of an hour, the parent waiting for it); tests/cli/broker_stop.sh stops the broker under them, tests/cli/mailbox_fork.sh looks at their mappings. */
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
	argdata_t value;
	int64_t warm = 0;
	if (argdata_map_find(*ad, "warm", 4, &value) == ARGDATA_OK)
		argdata_get_int64(value, &warm);
	/* Enough calls, and the process has its shared-memory mailbox. */
	for (int64_t i = 0; i < warm; i++) {
		cloudabi_fd_t copy;
		if (cloudabi_sys_fd_dup(out, &copy) == 0)
			cloudabi_sys_fd_close(copy);
	}
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&child, &tid) != 0)
		exit(4);
	if (child == CLOUDABI_PROCESS_CHILD) {
		say(out, "child ready\n");
		proc_sleep(UINT64_C(3600000000000)); /* an hour */
		exit(5);
	}
	say(out, "parent ready\n");
	cloudabi_event_t ev;
	proc_wait(child, 0, &ev);
	exit(6);
}

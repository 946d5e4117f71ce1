/* call_loop.c: "count" fd_dup + fd_close pairs (or with "dir", file_open + fd_close of its file "f", with "reads" one-byte reads between) on the main thread, a second thread and a forked child; tests/cli/mailbox.sh counts how the broker received them. */
#include <argdata.h>
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

static int64_t count = 100;
static cloudabi_fd_t dir = UINT32_MAX; /* "dir": open its "f" instead */
static int64_t reads;                  /* "reads": one-byte reads of it */

/* file_open of dir's "f" (and its reads), or fd_dup of out. */
static cloudabi_errno_t get_one(cloudabi_fd_t *fd)
{
	if (dir == UINT32_MAX)
		return cloudabi_sys_fd_dup((cloudabi_fd_t)check_out_fd, fd);
	cloudabi_fdstat_t want = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	cloudabi_lookup_t at = {.fd = dir};
	cloudabi_errno_t err = cloudabi_sys_file_open(at, "f", 1, 0, &want, fd);
	char c;
	size_t n;
	for (int64_t i = 0; err == 0 && i < reads; i++)
		err = cloudabi_sys_fd_read(*fd, &(cloudabi_iovec_t){&c, 1}, 1,
					   &n);
	return err;
}

/* get_one and fd_close, count times; returns how many failed. */
static int64_t dup_close_loop(void)
{
	int64_t failed = 0;
	for (int64_t i = 0; i < count; i++) {
		cloudabi_fd_t fd;
		if (get_one(&fd) != 0 || cloudabi_sys_fd_close(fd) != 0)
			failed++;
	}
	return failed;
}

static int64_t thread_failed;

static void thread_body(void *arg)
{
	(void)arg;
	thread_failed = dup_close_loop();
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	argdata_t value;
	if (argdata_map_find(*ad, "count", 5, &value) == ARGDATA_OK)
		argdata_get_int64(value, &count);
	if (argdata_map_find(*ad, "dir", 3, &value) == ARGDATA_OK)
		argdata_get_fd(value, &dir);
	if (argdata_map_find(*ad, "reads", 5, &value) == ARGDATA_OK)
		argdata_get_int64(value, &reads);

	CHECK_EQ(dup_close_loop(), 0, "main thread: %lld dup/close pairs",
		 (long long)count);

	capbox_thread_t t;
	CHECK_EQ(capbox_thread_start(&t, thread_body, NULL, 0), 0,
		 "start a thread");
	CHECK_EQ(capbox_thread_join(&t), 0, "join it");
	CHECK_EQ(thread_failed, 0, "second thread: %lld dup/close pairs",
		 (long long)count);

	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t forked = cloudabi_sys_proc_fork(&child, &tid);
	if (forked == 0 && child == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(dup_close_loop() == 0 ? 0 : 1);
	CHECK_EQ(forked, 0, "fork");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, 0, &ev), 0, "wait for the child");
	CHECK_EQ(ev.proc_terminate.exitcode, 0,
		 "forked child: %lld dup/close pairs", (long long)count);
	exit(check_done());
}

/* escape_exhaust.c: hostile guests that fill the broker's descriptor table (forked children flooding file_open) or its process records, then check every later answer is a clean refusal or right. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../guest/file_test.h"
#include "proc.h"

#define HELPERS 6      /* enough to spend a budget of 4096 - 1096 */
#define FLOOD_CAP 1100 /* more than one guest table holds (at most 1024) */

static cloudabi_fd_t dir;

/* One byte (or a small message) on a stream socket. */
static void put(cloudabi_fd_t sock, const void *buf, size_t len)
{
	cloudabi_ciovec_t iov = {buf, len};
	size_t n;
	if (cloudabi_sys_fd_write(sock, &iov, 1, &n) != 0 || n != len)
		cloudabi_sys_proc_exit(90);
}

static void get(cloudabi_fd_t sock, void *buf, size_t len)
{
	cloudabi_iovec_t iov = {buf, len};
	size_t n;
	if (cloudabi_sys_fd_read(sock, &iov, 1, &n) != 0 || n != len)
		cloudabi_sys_proc_exit(91);
}

struct flood_report {
	uint32_t opened;
	uint16_t error;
};

/*
 * A helper child: opens the directory again and again until refused, says
 * how far it got, then frees one of its descriptors for each byte the
 * parent sends (answering each once the broker has applied the close: a
 * broker round trip follows it) and ends when the parent goes.
 */
static void helper(cloudabi_fd_t ctl)
{
	static cloudabi_fd_t held[FLOOD_CAP];
	struct flood_report r = {0, 0};
	while (r.opened < FLOOD_CAP) {
		cloudabi_errno_t err = ft_open(dir, ".", 0, &held[r.opened]);
		if (err != 0) {
			r.error = err;
			break;
		}
		r.opened++;
	}
	put(ctl, &r, sizeof(r));
	for (;;) {
		char c;
		get(ctl, &c, 1);
		if (r.opened > 0)
			cloudabi_sys_fd_close(held[--r.opened]);
		cloudabi_fd_t probe;
		if (cloudabi_sys_fd_dup(ctl, &probe) == 0)
			cloudabi_sys_fd_close(probe);
		put(ctl, &c, 1);
	}
}

/* proc_fork where the child ends at once with status 7; 0 once the parent
 * has seen it end so, else the fork's error. */
static cloudabi_errno_t fork_and_wait(void)
{
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err != 0)
		return err;
	if (child == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(7);
	cloudabi_event_t ev;
	err = proc_wait(child, 0, &ev);
	CHECK(err == 0 && ev.proc_terminate.exitcode == 7 &&
		      ev.proc_terminate.signal == 0,
	      "the child forked at the budget's edge ran and ended with 7");
	cloudabi_sys_fd_close(child);
	return 0;
}

static void flood(void)
{
	cloudabi_fd_t ctl[HELPERS];
	struct flood_report last = {0, 0};
	int helpers = 0;
	cloudabi_errno_t fork_err = 0;
	/* Helpers until one is stopped by the broker's budget (ENFILE)
	 * rather than by its own table (EMFILE: the table's size follows
	 * the descriptor limit), or a fork is refused. */
	while (helpers < HELPERS) {
		cloudabi_fd_t pair[2];
		if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					    &pair[0], &pair[1]) != 0)
			break;
		cloudabi_fd_t child;
		cloudabi_tid_t tid;
		fork_err = cloudabi_sys_proc_fork(&child, &tid);
		if (fork_err != 0) {
			cloudabi_sys_fd_close(pair[0]);
			cloudabi_sys_fd_close(pair[1]);
			break;
		}
		if (child == CLOUDABI_PROCESS_CHILD) {
			cloudabi_sys_fd_close(pair[0]);
			helper(pair[1]);
		}
		cloudabi_sys_fd_close(pair[1]);
		ctl[helpers++] = pair[0];
		get(pair[0], &last, sizeof(last));
		if (last.error != CLOUDABI_EMFILE)
			break;
	}
	CHECK(helpers > 0, "%d helper(s) flooded the broker", helpers);
	CHECK(fork_err == 0 || fork_err == CLOUDABI_ENFILE,
	      "a fork during the flood succeeded or was refused with ENFILE "
	      "(%u)",
	      fork_err);
	CHECK_EQ(last.error, CLOUDABI_ENFILE,
		 "the last helper's file_open was refused with ENFILE after %u "
		 "opens (its own table had room)",
		 last.opened);

	/* The main process, with room in its own table: clean refusals. */
	cloudabi_fd_t fd;
	CHECK_EQ(ft_open(dir, "real", 0, &fd), CLOUDABI_ENFILE,
		 "file_open of a real file: ENFILE while the budget is spent");
	CHECK_EQ(cloudabi_sys_fd_dup(dir, &fd), CLOUDABI_ENFILE,
		 "fd_dup: ENFILE");
	cloudabi_fd_t a, b;
	CHECK_EQ(
		cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM, &a, &b),
		CLOUDABI_ENFILE, "fd_create2: ENFILE");
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	CHECK_EQ(cloudabi_sys_proc_fork(&child, &tid), CLOUDABI_ENFILE,
		 "proc_fork: ENFILE, and the parent lives on");

	/* One descriptor freed at a time: every fork either is refused with
	 * ENFILE or runs; none may be half-made (a prepared fork whose commit
	 * fails ends the parent). */
	cloudabi_fd_t last_ctl = ctl[helpers - 1];
	cloudabi_errno_t err = CLOUDABI_ENFILE;
	int freed = 0;
	bool only_enfile = true;
	while (err == CLOUDABI_ENFILE && freed < 64) {
		char c = 'x';
		put(last_ctl, &c, 1);
		get(last_ctl, &c, 1);
		freed++;
		err = fork_and_wait();
		only_enfile &= err == 0 || err == CLOUDABI_ENFILE;
	}
	CHECK(only_enfile, "forks at the budget's edge: ENFILE until one fit");
	CHECK_EQ(err, 0, "a fork ran once %d descriptors were freed", freed);

	for (int i = 0; i < 4; i++) {
		char c = 'x';
		put(last_ctl, &c, 1);
		get(last_ctl, &c, 1);
	}
	CHECK_EQ(ft_open(dir, "real", 0, &fd), 0,
		 "file_open of a real file works once some are freed");
	char buf[8] = {0};
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	size_t n = 0;
	CHECK(cloudabi_sys_fd_read(fd, &iov, 1, &n) == 0 && n == 5 &&
		      memcmp(buf, "real\n", 5) == 0,
	      "and reads what the file holds");
	/* The helpers still block, holding the budget: capbox must end them
	 * and itself cleanly when this process exits. */
}

/* Children that have ended but whose process descriptors are kept still
 * cost a record each: they count against --max-processes. */
static void records(void)
{
	cloudabi_fd_t kept[3];
	for (int i = 0; i < 3; i++) {
		cloudabi_tid_t tid;
		cloudabi_errno_t err = cloudabi_sys_proc_fork(&kept[i], &tid);
		if (err == 0 && kept[i] == CLOUDABI_PROCESS_CHILD)
			cloudabi_sys_proc_exit(0);
		CHECK_EQ(err, 0, "fork %d", i + 1);
		cloudabi_event_t ev;
		CHECK_EQ(proc_wait(kept[i], 0, &ev), 0, "child %d ended",
			 i + 1);
	}
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	CHECK_EQ(cloudabi_sys_proc_fork(&child, &tid), CLOUDABI_EAGAIN,
		 "a 4th fork is EAGAIN under --max-processes 4: 3 ended "
		 "children are still named");
	cloudabi_sys_fd_close(kept[0]);
	CHECK_EQ(fork_and_wait(), 0, "closing one descriptor lets a fork run");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	argdata_t value;
	const char *mode = "";
	size_t len;
	if (argdata_map_find(*ad, "mode", 4, &value) == ARGDATA_OK)
		argdata_get_str(value, &mode, &len);
	if (strcmp(mode, "records") == 0) {
		records();
	} else {
		dir = ft_grant(ad, "dir");
		flood();
	}
	exit(check_done());
}

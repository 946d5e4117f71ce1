/* capbox-test-args: --dir-rw rw=@SCRATCH@ */
/* file_rename_race.c: a thread renaming a directory back and forth never lets a lookup escape the capability. */
#include <program.h>

#include "file_test.h"

#define ROUNDS 2000

/*
 * The classic attack on "beneath" checks: while one thread moves a
 * directory between two places, another opens "a/b/../../../x"-style
 * paths through it.  Every open must either fail or land inside.
 */
static volatile int stop;
static cloudabi_fd_t race_dir;

static _Atomic(cloudabi_lock_t) mover_lock;

static void mover(cloudabi_tid_t tid, void *arg)
{
	(void)arg;
	mover_lock = tid | CLOUDABI_LOCK_WRLOCKED;
	while (!stop) {
		FT_RENAME(race_dir, "in/a", race_dir, "a");
		FT_RENAME(race_dir, "a", race_dir, "in/a");
	}
	cloudabi_sys_thread_exit(&mover_lock, CLOUDABI_SCOPE_PRIVATE);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw");
	CHECK_EQ(FT_MKDIR(rw, "in"), 0, "make in");
	CHECK_EQ(FT_MKDIR(rw, "in/a"), 0, "make in/a");
	CHECK_EQ(FT_MKDIR(rw, "in/a/b"), 0, "make in/a/b");
	cloudabi_fd_t in;
	CHECK_EQ(ft_open_dir(rw, "in", &in), 0, "open in");
	race_dir = rw;

	static char stack[65536] __attribute__((aligned(16)));
	cloudabi_threadattr_t attr = {
		.entry_point = mover,
		.stack = stack,
		.stack_len = sizeof(stack),
		.argument = NULL,
	};
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_thread_create(&attr, &tid);
	CHECK_EQ(err, 0, "start the renaming thread");
	int escaped = 0, opened = 0;
	for (int i = 0; i < ROUNDS; i++) {
		cloudabi_fd_t fd;
		/* From "in", "a/b/../../.." is the parent of "in": outside. */
		if (ft_open_dir(in, "a/b/../../..", &fd) == 0) {
			escaped++;
			cloudabi_sys_fd_close(fd);
		}
		if (ft_open_dir(in, "a/b/../..", &fd) == 0) {
			opened++;
			cloudabi_sys_fd_close(fd);
		}
	}
	stop = 1;
	CHECK_EQ(escaped, 0, "no open escaped in %d tries", ROUNDS);
	CHECK(opened > 0, "the inner path opened at times (%d)", opened);
	exit(check_done());
}

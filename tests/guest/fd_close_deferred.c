/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* fd_close_deferred.c: a file or directory closed without a round trip (listed in the mailbox) is closed for the broker before the process asks anything else: from the same thread, another thread, a forked child; a full list falls back to a request. */
#include <capbox_thread.h>
#include <program.h>
#include <stdatomic.h>

#include "file_test.h"
#include "proc.h"

#define WARM_CALLS 8
#define MANY 40 /* more than a mailbox lists (16) */

static cloudabi_fd_t dir;

/* Enough calls for this thread to have its mailbox. */
static void warm_up(void)
{
	cloudabi_filestat_t st;
	for (int i = 0; i < WARM_CALLS; i++)
		cloudabi_sys_file_stat_get(ft_at(dir, 0), "f", 1, &st);
}

/* Whether the broker still has fd: fd_dup asks it (no mirror check). */
static cloudabi_errno_t broker_dup(cloudabi_fd_t fd)
{
	cloudabi_fd_t copy;
	cloudabi_errno_t err = cloudabi_sys_fd_dup(fd, &copy);
	if (err == 0)
		cloudabi_sys_fd_close(copy);
	return err;
}

static cloudabi_errno_t stat_in(cloudabi_fd_t d)
{
	cloudabi_filestat_t st;
	return cloudabi_sys_file_stat_get(ft_at(d, 0), ".", 1, &st);
}

/* ---- another thread uses a directory the main thread has closed ---- */

static _Atomic int step;
static cloudabi_fd_t shared_dir;
static cloudabi_errno_t thread_saw;

static void other_thread(void *arg)
{
	(void)arg;
	warm_up();
	atomic_store(&step, 1);
	while (atomic_load(&step) != 2)
		cloudabi_sys_thread_yield();
	thread_saw = stat_in(shared_dir);
}

static void same_thread(void)
{
	cloudabi_fd_t sub;
	CHECK_EQ(ft_open_dir(dir, "sub", &sub), 0, "open a directory");
	CHECK_EQ(stat_in(sub), 0, "it works");
	CHECK_EQ(cloudabi_sys_fd_close(sub), 0, "close it");
	CHECK_EQ(stat_in(sub), CLOUDABI_EBADF,
		 "the broker has closed it before the next request");
	CHECK_EQ(broker_dup(sub), CLOUDABI_EBADF, "fd_dup of it: EBADF");

	/* The number comes back for the next open, with the new file. */
	cloudabi_fd_t a, b;
	CHECK_EQ(ft_put(dir, "one", "first"), 0, "a file");
	CHECK_EQ(ft_put(dir, "two", "second"), 0, "another");
	CHECK_EQ(ft_open(dir, "one", 0, &a), 0, "open the first");
	CHECK_EQ(cloudabi_sys_fd_close(a), 0, "close it");
	CHECK_EQ(ft_open(dir, "two", 0, &b), 0, "open the second");
	char buf[16] = {0};
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_fd_pread(b, &iov, 1, 0, &n), 0, "read it");
	CHECK(n == 6 && memcmp(buf, "second", 6) == 0,
	      "the descriptor (%u, the closed one was %u) reads the second file",
	      b, a);
	cloudabi_sys_fd_close(b);
}

static void another_thread(void)
{
	CHECK_EQ(ft_open_dir(dir, "sub", &shared_dir), 0,
		 "open a directory for another thread");
	capbox_thread_t t;
	CHECK_EQ(capbox_thread_start(&t, other_thread, NULL, 0), 0,
		 "start the thread");
	while (atomic_load(&step) != 1)
		cloudabi_sys_thread_yield();
	CHECK_EQ(cloudabi_sys_fd_close(shared_dir), 0,
		 "the main thread closes the directory");
	atomic_store(&step, 2);
	CHECK_EQ(capbox_thread_join(&t), 0, "join the thread");
	CHECK_EQ(thread_saw, CLOUDABI_EBADF,
		 "the other thread's next request finds it closed");
}

static void forked_child(void)
{
	cloudabi_fd_t sub;
	CHECK_EQ(ft_open_dir(dir, "sub", &sub), 0,
		 "open a directory before forking");
	CHECK_EQ(cloudabi_sys_fd_close(sub), 0, "close it");
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t forked = cloudabi_sys_proc_fork(&child, &tid);
	if (forked == 0 && child == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(broker_dup(sub));
	CHECK_EQ(forked, 0, "fork");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, 0, &ev), 0, "wait for the child");
	CHECK_EQ(ev.proc_terminate.exitcode, CLOUDABI_EBADF,
		 "the child's table does not have it either");
	cloudabi_sys_fd_close(child);
}

static void full_list(void)
{
	static cloudabi_fd_t fds[MANY];
	int opened = 0;
	for (int i = 0; i < MANY; i++)
		opened += ft_open(dir, "one", 0, &fds[i]) == 0;
	CHECK_EQ(opened, MANY, "open the same file %d times", MANY);
	int closed = 0;
	for (int i = 0; i < MANY; i++)
		closed += cloudabi_sys_fd_close(fds[i]) == 0;
	CHECK_EQ(closed, MANY,
		 "close them one after the other (more than "
		 "the mailbox lists)");
	int gone = 0;
	for (int i = 0; i < MANY; i++)
		gone += broker_dup(fds[i]) == CLOUDABI_EBADF;
	CHECK_EQ(gone, MANY, "the broker has closed every one of them");
	CHECK_EQ(cloudabi_sys_fd_close(fds[0]), CLOUDABI_EBADF,
		 "closing one again: EBADF");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	dir = ft_grant(ad, "dir");
	CHECK_EQ(ft_put(dir, "f", "x"), 0, "make f");
	CHECK_EQ(cloudabi_sys_file_create(dir, "sub", 3,
					  CLOUDABI_FILETYPE_DIRECTORY),
		 0, "make sub");
	warm_up();
	same_thread();
	another_thread();
	forked_child();
	full_list();
	exit(check_done());
}

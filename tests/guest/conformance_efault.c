/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* conformance_efault.c: NULL and unmapped guest pointers give EFAULT or kill only the guest process, never the broker. */
#include <program.h>
#include <stdio.h>

#include "file_test.h"
#include "proc.h"

#define PAGE 4096

static cloudabi_fd_t dir, file, sock_a, sock_b;
static char *hole; /* an unmapped page */

/* ---- the bad calls: each returns its error ---- */

static cloudabi_errno_t open_null(void)
{
	cloudabi_fdstat_t fds = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	cloudabi_fd_t fd;
	return cloudabi_sys_file_open(ft_at(dir, 0), NULL, 3, 0, &fds, &fd);
}

static cloudabi_errno_t open_hole(void)
{
	cloudabi_fdstat_t fds = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	cloudabi_fd_t fd;
	return cloudabi_sys_file_open(ft_at(dir, 0), hole, 3, 0, &fds, &fd);
}

static cloudabi_errno_t create_null(void)
{
	return cloudabi_sys_file_create(dir, NULL, 3,
					CLOUDABI_FILETYPE_DIRECTORY);
}

static cloudabi_errno_t unlink_hole(void)
{
	return cloudabi_sys_file_unlink(dir, hole, 1, 0);
}

static cloudabi_errno_t stat_get_null_path(void)
{
	cloudabi_filestat_t st;
	return cloudabi_sys_file_stat_get(ft_at(dir, 0), NULL, 1, &st);
}

static cloudabi_errno_t stat_put_hole_path(void)
{
	cloudabi_filestat_t st = {0};
	return cloudabi_sys_file_stat_put(ft_at(dir, 0), hole, 1, &st,
					  CLOUDABI_FILESTAT_MTIM_NOW);
}

static cloudabi_errno_t readlink_null_path(void)
{
	char buf[16];
	size_t n;
	return cloudabi_sys_file_readlink(dir, NULL, 2, buf, sizeof(buf), &n);
}

static cloudabi_errno_t readlink_hole_buf(void)
{
	size_t n;
	return cloudabi_sys_file_readlink(dir, "sl", 2, hole, 16, &n);
}

static cloudabi_errno_t readdir_hole_buf(void)
{
	size_t n;
	return cloudabi_sys_file_readdir(dir, hole, PAGE,
					 CLOUDABI_DIRCOOKIE_START, &n);
}

static cloudabi_errno_t readdir_null_buf(void)
{
	size_t n;
	return cloudabi_sys_file_readdir(dir, NULL, 256,
					 CLOUDABI_DIRCOOKIE_START, &n);
}

static cloudabi_errno_t read_hole(void)
{
	cloudabi_iovec_t iov = {hole, 4};
	size_t n;
	return cloudabi_sys_fd_pread(file, &iov, 1, 0, &n);
}

static cloudabi_errno_t write_hole(void)
{
	cloudabi_ciovec_t iov = {hole, 4};
	size_t n;
	return cloudabi_sys_fd_write(file, &iov, 1, &n);
}

static cloudabi_errno_t send_hole(void)
{
	cloudabi_ciovec_t iov = {hole, 4};
	cloudabi_send_in_t in = {.si_data = &iov, .si_data_len = 1};
	cloudabi_send_out_t out;
	return cloudabi_sys_sock_send(sock_a, &in, &out);
}

static cloudabi_errno_t random_null(void)
{
	return cloudabi_sys_random_get(NULL, 16);
}

static cloudabi_errno_t random_hole(void)
{
	return cloudabi_sys_random_get(hole, 16);
}

/* ---- calls whose pointer the shim itself reads or writes ---- */

static cloudabi_errno_t stat_get_null_buf(void)
{
	return cloudabi_sys_file_stat_get(ft_at(dir, 0), "f", 1, NULL);
}

static cloudabi_errno_t stat_put_null_buf(void)
{
	return cloudabi_sys_file_stat_put(ft_at(dir, 0), "f", 1, NULL,
					  CLOUDABI_FILESTAT_MTIM_NOW);
}

static cloudabi_errno_t fget_null(void)
{
	return cloudabi_sys_file_stat_fget(file, NULL);
}

static cloudabi_errno_t fd_stat_get_null(void)
{
	return cloudabi_sys_fd_stat_get(file, NULL);
}

static cloudabi_errno_t rename_null(void)
{
	return cloudabi_sys_file_rename(dir, NULL, 1, dir, "g", 1);
}

static cloudabi_errno_t symlink_hole(void)
{
	return cloudabi_sys_file_symlink(hole, 1, dir, "s2", 2);
}

static cloudabi_errno_t clock_null(void)
{
	return cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, NULL);
}

static cloudabi_errno_t poll_null(void)
{
	size_t n;
	return cloudabi_sys_poll(NULL, NULL, 1, &n);
}

static cloudabi_errno_t open_null_fd_out(void)
{
	cloudabi_fdstat_t fds = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	return cloudabi_sys_file_open(ft_at(dir, 0), "f", 1, 0, &fds, NULL);
}

/* expect: the error, or 0 when the guest's own access faults (SIGSEGV). */
struct bad {
	const char *what;
	cloudabi_errno_t (*call)(void);
	cloudabi_errno_t expect;
};

#define EF CLOUDABI_EFAULT

static const struct bad bad_calls[] = {
	{"file_open NULL path", open_null, EF},
	{"file_open unmapped path", open_hole, EF},
	{"file_create NULL path", create_null, EF},
	{"file_unlink unmapped path", unlink_hole, EF},
	{"file_stat_get NULL path", stat_get_null_path, EF},
	{"file_stat_put unmapped path", stat_put_hole_path, EF},
	{"file_readlink NULL path", readlink_null_path, EF},
	{"file_readlink unmapped buffer", readlink_hole_buf, EF},
	{"file_readdir unmapped buffer", readdir_hole_buf, EF},
	{"file_readdir NULL buffer", readdir_null_buf, EF},
	{"fd_pread into unmapped memory", read_hole, EF},
	{"fd_write from unmapped memory", write_hole, EF},
	{"sock_send from unmapped memory", send_hole, EF},
	{"random_get NULL", random_null, EF},
	{"random_get unmapped", random_hole, EF},
	{"file_stat_get NULL stat", stat_get_null_buf, 0},
	{"file_stat_put NULL stat", stat_put_null_buf, 0},
	{"file_stat_fget NULL stat", fget_null, 0},
	{"fd_stat_get NULL stat", fd_stat_get_null, 0},
	{"file_rename NULL path", rename_null, 0},
	{"file_symlink unmapped target", symlink_hole, 0},
	{"clock_time_get NULL", clock_null, 0},
	{"poll NULL", poll_null, 0},
	{"file_open NULL fd out", open_null_fd_out, 0},
};

#define WARM_CALLS 8

/* Runs b in a forked child (after WARM_CALLS good calls if warm) and checks
 * how the child ended and that the broker still answers. */
static void try_bad(const struct bad *b, bool warm)
{
	const char *path = warm ? "through the mailbox" : "through the socket";
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&child, &tid) != 0)
		exit(4);
	if (child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_filestat_t st;
		for (int i = 0; warm && i < WARM_CALLS; i++)
			if (cloudabi_sys_file_stat_get(ft_at(dir, 0), "f", 1,
						       &st) != 0)
				cloudabi_sys_proc_exit(0x7f);
		/* The error, then whether the channel is still in step: a
		 * good call right after must work (+0x80). */
		cloudabi_errno_t bad = b->call();
		cloudabi_errno_t good =
			cloudabi_sys_file_stat_get(ft_at(dir, 0), "f", 1, &st);
		cloudabi_sys_proc_exit(bad | (good == 0 ? 0 : 0x80));
	}
	cloudabi_event_t ev;
	cloudabi_errno_t err = proc_wait(child, UINT64_C(10000000000), &ev);
	CHECK_EQ(err, 0, "%s, %s: the child ends", b->what, path);
	if (b->expect != 0) {
		CHECK_EQ(ev.proc_terminate.signal, 0, "%s, %s: no signal",
			 b->what, path);
		CHECK_EQ(ev.proc_terminate.exitcode, b->expect,
			 "%s, %s: EFAULT, and the next call works", b->what,
			 path);
	} else {
		CHECK_EQ(ev.proc_terminate.signal, CLOUDABI_SIGSEGV,
			 "%s, %s: the guest's own access faults (SIGSEGV)",
			 b->what, path);
	}
	cloudabi_sys_fd_close(child);
	cloudabi_filestat_t st;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(dir, 0), "f", 1, &st), 0,
		 "after %s, %s: the broker still answers", b->what, path);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	dir = ft_grant(ad, "dir");
	CHECK_EQ(ft_put(dir, "f", "hello"), 0, "make f");
	CHECK_EQ(FT_SYMLINK("f", dir, "sl"), 0, "make sl");
	CHECK_EQ(ft_open(dir, "f", 0, &file), 0, "open f");
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &sock_a, &sock_b),
		 0, "a socket pair");
	void *p;
	CHECK_EQ(cloudabi_sys_mem_map(NULL, PAGE, CLOUDABI_PROT_READ,
				      CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
				      CLOUDABI_MAP_ANON_FD, 0, &p),
		 0, "map a page");
	CHECK_EQ(cloudabi_sys_mem_unmap(p, PAGE), 0, "and unmap it");
	hole = p;

	/* Each bad call twice: as a new process's first call (its channel's
	 * socket carries it) and after WARM_CALLS calls, when the process has
	 * its shared-memory mailbox and the shim copies paths and replies
	 * itself (src/shim/channel.c). */
	for (int warm = 0; warm <= 1; warm++) {
		for (size_t i = 0; i < sizeof(bad_calls) / sizeof(bad_calls[0]);
		     i++)
			try_bad(&bad_calls[i], warm != 0);
	}
	exit(check_done());
}

/* escape_paths.c: capability escapes through the broker: more rights than inherited, fd_stat_put adding rights, links out of a read-only directory, a racing rename that swaps a directory for an outward symlink, a placeholder passed over a socket. */
/* capbox-test-args: --dir-rw rw=@SCRATCH@ --dir src=@SRCDIR@ */
#include <program.h>

#include "escape_broker.h"
#include "escape_raw.h"
#include "file_test.h"

#define RACE_ROUNDS 2000

static cloudabi_fd_t out_fd, rw, src;

static void check_broker(const char *after)
{
	escape_check_broker(out_fd, after);
}

/* A read-only directory hands out read-only files, whatever is asked:
 * rights beyond its inheriting rights are dropped (src/broker/
 * hc_file_open.c), and the kernel descriptor is opened O_RDONLY. */
static void inherited_rights(void)
{
	static const char x[] = "x";
	cloudabi_fd_t fd = (cloudabi_fd_t)-1;
	cloudabi_errno_t err = ft_open_rights(src, "README.md", 0,
					      ~(cloudabi_rights_t)0,
					      ~(cloudabi_rights_t)0, 0, &fd);
	CHECK_EQ(err, 0,
		 "file_open asking for every right beneath a "
		 "read-only directory opens the file");
	if (err == 0) {
		cloudabi_fdstat_t st;
		CHECK(cloudabi_sys_fd_stat_get(fd, &st) == 0 &&
			      (st.fs_rights_base & CLOUDABI_RIGHT_FD_WRITE) ==
				      0 &&
			      (st.fs_rights_inheriting &
			       CLOUDABI_RIGHT_FD_WRITE) == 0,
		      "but without FD_WRITE in base or inheriting rights");
		CHECK_EQ(cloudabi_sys_fd_write(fd, &(cloudabi_ciovec_t){x, 1},
					       1, &(size_t){0}),
			 CLOUDABI_ENOTCAPABLE, "fd_write on it: ENOTCAPABLE");
		/* Until the shim uses it, the number is empty in the kernel's
		 * table (file_open leaves the file in the broker). */
		CHECK_EQ(raw(NR_write, fd, x, 1), -L_EBADF,
			 "a raw write() before the shim fetched the file: "
			 "EBADF");
		char c;
		CHECK_EQ(ft_fetch(fd), 0, "the shim fetches it");
		CHECK_EQ(raw(NR_read, fd, &c, 1), 1,
			 "now the kernel descriptor is the file (a raw read "
			 "works)");
		CHECK_EQ(raw(NR_write, fd, x, 1), -L_EBADF,
			 "a raw write() to the file itself: EBADF from the "
			 "kernel");
		cloudabi_sys_fd_close(fd);
	}
	CHECK_EQ(ft_open_rights(src, "capbox-new", CLOUDABI_O_CREAT,
				CLOUDABI_RIGHT_FD_READ, 0, 0, &fd),
		 CLOUDABI_ENOTCAPABLE,
		 "creating a file in a read-only directory: ENOTCAPABLE");
	err = ft_open_rights(src, "README.md", 0, CLOUDABI_RIGHT_FD_READ, 0, 0,
			     &fd);
	CHECK_EQ(err, 0, "file_open with FD_READ only works");
	if (err != 0)
		return;
	cloudabi_fdstat_t more = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
				  CLOUDABI_RIGHT_FD_WRITE,
	};
	err = cloudabi_sys_fd_stat_put(fd, &more, CLOUDABI_FDSTAT_RIGHTS);
	{
		CHECK_EQ(err, CLOUDABI_ENOTCAPABLE,
			 "fd_stat_put adding FD_WRITE: ENOTCAPABLE");
		cloudabi_fdstat_t st;
		CHECK(cloudabi_sys_fd_stat_get(fd, &st) == 0 &&
			      st.fs_rights_base == CLOUDABI_RIGHT_FD_READ,
		      "and the rights stay FD_READ");
	}
	CHECK_EQ(cloudabi_sys_file_link(ft_at(src, 0), "README.md", 9, rw,
					"stolen", 6),
		 CLOUDABI_ENOTCAPABLE,
		 "hard-linking a file out of the read-only directory: "
		 "ENOTCAPABLE");
	cloudabi_sys_fd_close(fd);
	check_broker("the rights attacks");
}

static cloudabi_errno_t rename_in(const char *from, const char *to)
{
	return cloudabi_sys_file_rename(rw, from, strlen(from), rw, to,
					strlen(to));
}

/*
 * A child process swaps "d" (a real, empty directory) and "s" (a symlink
 * to /etc) as fast as it can while this process opens "d/passwd".  Each
 * open must find the directory (ENOENT) or refuse the symlink
 * (ENOTCAPABLE); it must never reach /etc/passwd.
 */
static void racing_rename(void)
{
	CHECK_EQ(cloudabi_sys_file_create(rw, "d", 1,
					  CLOUDABI_FILETYPE_DIRECTORY),
		 0, "race set-up: directory d");
	CHECK_EQ(cloudabi_sys_file_symlink("/etc", 4, rw, "s", 1), 0,
		 "race set-up: symlink s -> /etc");
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		for (;;) {
			rename_in("d", "t");
			rename_in("s", "d");
			rename_in("d", "s");
			rename_in("t", "d");
		}
	}
	CHECK_EQ(err, 0, "proc_fork for the renaming child");
	if (err != 0)
		return;
	int reached = 0, missing = 0, refused = 0, other = 0;
	for (int i = 0; i < RACE_ROUNDS; i++) {
		cloudabi_fd_t fd;
		err = ft_open_rights(rw, "d/passwd", 0, CLOUDABI_RIGHT_FD_READ,
				     0, 0, &fd);
		if (err == 0) {
			reached++;
			cloudabi_sys_fd_close(fd);
		} else if (err == CLOUDABI_ENOENT) {
			missing++;
		} else if (err == CLOUDABI_ENOTCAPABLE) {
			refused++;
		} else {
			other++;
		}
	}
	/* Closing the last process descriptor ends the child. */
	cloudabi_sys_fd_close(child);
	CHECK_EQ(reached, 0,
		 "%d racing opens of d/passwd never reached /etc/passwd "
		 "(%d ENOENT, %d ENOTCAPABLE, %d other)",
		 RACE_ROUNDS, missing, refused, other);
	CHECK_EQ(other, 0, "and failed only with ENOENT or ENOTCAPABLE");
	check_broker("the racing rename");
}

/* A directory's placeholder travels over a socket: the receiver gets an
 * epoll descriptor, not a directory. */
static void placeholder_over_socket(void)
{
	cloudabi_fd_t a, b;
	cloudabi_errno_t err = cloudabi_sys_fd_create2(
		CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	CHECK_EQ(err, 0, "fd_create2 makes a socket pair");
	if (err != 0)
		return;
	cloudabi_ciovec_t data = {.buf = "d", .buf_len = 1};
	cloudabi_send_in_t in = {.si_data = &data,
				 .si_data_len = 1,
				 .si_fds = &rw,
				 .si_fds_len = 1};
	cloudabi_send_out_t sent;
	err = cloudabi_sys_sock_send(a, &in, &sent);
	CHECK_EQ(err, 0, "sending the directory descriptor");
	char byte;
	cloudabi_iovec_t riov = {.buf = &byte, .buf_len = 1};
	cloudabi_fd_t got = (cloudabi_fd_t)-1;
	cloudabi_recv_in_t rin = {.ri_data = &riov,
				  .ri_data_len = 1,
				  .ri_fds = &got,
				  .ri_fds_len = 1};
	cloudabi_recv_out_t rout;
	CHECK_EQ(cloudabi_sys_sock_recv(b, &rin, &rout), 0,
		 "receiving it on the other end");
	CHECK_EQ(raw(NR_openat, got, "..", 0), -L_EPERM,
		 "the received descriptor cannot be used for openat: EPERM");
	CHECK_EQ(raw(NR_fchdir, got), -L_EPERM, "nor fchdir: EPERM");
	CHECK_EQ(raw(NR_getdents64, got, &byte, 1), -L_EPERM,
		 "nor getdents64: EPERM");
	check_broker("passing a placeholder");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = out_fd = (cloudabi_fd_t)guest_out_fd(ad);
	rw = ft_grant(ad, "rw");
	src = ft_grant(ad, "src");
	inherited_rights();
	racing_rename();
	placeholder_over_socket();
	exit(check_done());
}

/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* fd_table_full.c: a full descriptor table (1024 numbers, or the int `limit` under --max-process-fds) refuses every new descriptor with EMFILE, fork included, and the process carries on. */
#include <program.h>

#include "file_test.h"
#include "proc.h"

#define GUEST_FD_LIMIT 1024

static cloudabi_fd_t dir;
static cloudabi_fd_t opened[GUEST_FD_LIMIT];
static size_t table_size = GUEST_FD_LIMIT; /* the int `limit`, if given */
static size_t nopened;

/* Opens "f" (left waiting in the broker) until the table is full. */
static cloudabi_errno_t fill(void)
{
	for (;;) {
		cloudabi_fd_t fd;
		cloudabi_errno_t err = ft_open(dir, "f", 0, &fd);
		if (err != 0)
			return err;
		if (nopened == table_size)
			return CLOUDABI_EIO; /* more than the table holds */
		opened[nopened++] = fd;
	}
}

static void empty(void)
{
	while (nopened > 0)
		cloudabi_sys_fd_close(opened[--nopened]);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	dir = ft_grant(ad, "dir");
	argdata_t value;
	int64_t limit;
	if (argdata_map_find(*ad, "limit", 5, &value) == ARGDATA_OK &&
	    argdata_get_int64(value, &limit) == ARGDATA_OK && limit > 0 &&
	    limit <= GUEST_FD_LIMIT)
		table_size = (size_t)limit;
	CHECK_EQ(ft_put(dir, "f", "x"), 0, "a file");

	CHECK_EQ(fill(), CLOUDABI_EMFILE,
		 "file_open until the table is full: "
		 "EMFILE");
	CHECK(nopened > table_size - 8, "after %zu opens (a table of %zu)",
	      nopened, table_size);
	cloudabi_fd_t fd;
	CHECK_EQ(cloudabi_sys_fd_dup(dir, &fd), CLOUDABI_EMFILE,
		 "fd_dup: EMFILE");
	cloudabi_fd_t pair[2];
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &pair[0], &pair[1]),
		 CLOUDABI_EMFILE, "fd_create2: EMFILE");
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		CHECK(false, "a refused fork runs no child");
		cloudabi_sys_proc_exit(1);
	}
	CHECK_EQ(err, CLOUDABI_EMFILE, "proc_fork: EMFILE (and no child ran)");
	CHECK_EQ(ft_put(dir, "g", "y"), CLOUDABI_EMFILE,
		 "and the process carries on (another open: EMFILE)");

	/* One number free: room for a process descriptor, not a pair. */
	cloudabi_sys_fd_close(opened[--nopened]);
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &pair[0], &pair[1]),
		 CLOUDABI_EMFILE, "one number free: fd_create2 is EMFILE");
	err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(7);
	CHECK_EQ(err, 0, "proc_fork works");
	if (err == 0) {
		cloudabi_event_t ev;
		CHECK_EQ(proc_wait(child, 0, &ev), 0, "the child ends");
		CHECK_EQ(ev.proc_terminate.exitcode, 7, "with its code");
		cloudabi_sys_fd_close(child);
	}

	empty();
	CHECK_EQ(ft_open(dir, "f", 0, &fd), 0,
		 "emptied, the table opens again");
	char buf[4];
	CHECK_EQ(ft_read(fd, buf, sizeof(buf)), 0, "and the file reads");
	CHECK(strcmp(buf, "x") == 0, "its byte (%s)", buf);
	exit(check_done());
}

/* capbox-test-args: --dir-rw dir=@SCRATCH@ --file target=@BUILD@/programs/exec_launder */
/* escape_exec.c: laundering through proc_exec: a narrowed file passed into a new image keeps its rights there, and sent raw and received by the new image after its capability is closed, it is refused (tests/programs/exec_launder.c). */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "exec_target_args.h"
#include "file_test.h"
#include "guest.h"
#include "proc.h"

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	cloudabi_fd_t target = guest_grant_fd(ad, "target");
	CHECK_EQ(ft_put(dir, "f", "twelve bytes"), 0, "a file of 12 bytes");
	cloudabi_fd_t file;
	CHECK_EQ(ft_open_rights(dir, "f", 0,
				CLOUDABI_RIGHT_FD_READ |
					CLOUDABI_RIGHT_FD_WRITE |
					CLOUDABI_RIGHT_FILE_STAT_FGET,
				0, 0, &file),
		 0, "opened read-write without file_stat_fput_size");
	cloudabi_fd_t pair[2];
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &pair[0], &pair[1]),
		 0, "a socket pair");
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_fd_t keep[4] = {(cloudabi_fd_t)check_out_fd, pair[0],
					 pair[1], file};
		cloudabi_sys_proc_exec(target, exec_target_argdata,
				       sizeof(exec_target_argdata), keep, 4);
		cloudabi_sys_proc_exit(100); /* exec failed */
	}
	CHECK_EQ(err, 0, "proc_fork");
	/* The new image holds the only copy once this one is closed; it
	 * waits for the byte that says so. */
	CHECK_EQ(cloudabi_sys_fd_close(file), 0, "the parent closes its copy");
	/* The broker closes its side at the process's next request. */
	escape_check_broker((cloudabi_fd_t)check_out_fd, "closing the file");
	size_t n;
	CHECK_EQ(cloudabi_sys_fd_write(pair[0], &(cloudabi_ciovec_t){"g", 1}, 1,
				       &n),
		 0, "and tells the new image");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(60000000000), &ev), 0,
		 "the new image ends");
	CHECK_EQ(ev.proc_terminate.exitcode, EXEC_TARGET_CODE,
		 "with every check of the new image held");
	cloudabi_filestat_t st;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(dir, 0), "f", 1, &st), 0,
		 "stat of the file");
	CHECK_EQ(st.st_size, 12, "the file is unchanged");
	exit(check_done());
}

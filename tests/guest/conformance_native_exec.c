/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* conformance_native_exec.c: proc_exec of a descriptor open for writing is EBADF, as in FreeBSD (program_spawn_test.c:55 of the C library). */
#include <program.h>

#include "file_test.h"

#define R(x) CLOUDABI_RIGHT_##x

/* proc_exec of fd with no argument data and no descriptors. */
static cloudabi_errno_t exec(cloudabi_fd_t fd)
{
	return cloudabi_sys_proc_exec(fd, "", 0, NULL, 0);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = ft_grant(ad, "dir");
	cloudabi_fd_t fd;
	/* An empty file: were it opened for reading it would be ENOEXEC. */
	CHECK_EQ(ft_open_rights(dir, "Hello", CLOUDABI_O_CREAT,
				R(FD_WRITE) | R(FD_SEEK) | R(PROC_EXEC), 0, 0,
				&fd),
		 0, "create Hello write-only, holding proc_exec");
	CHECK_EQ(exec(fd), CLOUDABI_EBADF,
		 "proc_exec of a write-only descriptor: EBADF "
		 "(program_spawn_test.c:55)");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open_rights(dir, "Hello", 0,
				R(FD_READ) | R(FD_WRITE) | R(PROC_EXEC), 0, 0,
				&fd),
		 0, "open Hello read-write, holding proc_exec");
	CHECK_EQ(exec(fd), CLOUDABI_EBADF,
		 "proc_exec of a read-write descriptor: EBADF");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open_rights(dir, "Hello", 0, R(PROC_EXEC), 0, 0, &fd), 0,
		 "open Hello with proc_exec only (O_EXEC)");
	CHECK_EQ(exec(fd), CLOUDABI_ENOEXEC,
		 "proc_exec of an empty file open for execution: ENOEXEC");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(exec(dir), CLOUDABI_ENOTCAPABLE,
		 "proc_exec of a directory: ENOTCAPABLE (the C library "
		 "makes it EACCES)");
	exit(check_done());
}

/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* escape_access.c: the kernel access mode of a guest's descriptor follows its rights by one rule (src/broker/rights.h): no right that needs write access, no raw write; rights that need it keep working. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_raw.h"
#include "file_test.h"
#include "guest.h"

static cloudabi_fd_t dir;

/* Raw write() and pwrite64() on fd's kernel descriptor both fail with
 * EBADF: the kernel does not let it write. */
static void raw_write_refused(cloudabi_fd_t fd, const char *what)
{
	CHECK_EQ(raw(NR_write, fd, "x", 1), -L_EBADF, "%s: raw write: EBADF",
		 what);
	CHECK_EQ(raw(NR_pwrite64, fd, "x", 1, 0), -L_EBADF,
		 "%s: raw pwrite64: EBADF", what);
}

static void unchanged(const char *name, size_t size)
{
	cloudabi_filestat_t st;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(dir, 0), name, strlen(name),
					    &st),
		 0, "stat of %s", name);
	CHECK_EQ(st.st_size, size, "%s keeps its %zu bytes", name, size);
}

/* Finding 8 of issue 12: file_open counted fd_datasync as a right that
 * needs write access and opened such a file read-write. */
static void datasync_without_write(void)
{
	CHECK_EQ(ft_put(dir, "datasync", "data"), 0, "a file of 4 bytes");
	cloudabi_fd_t fd;
	CHECK_EQ(ft_open_rights(dir, "datasync", 0,
				CLOUDABI_RIGHT_FD_READ |
					CLOUDABI_RIGHT_FD_DATASYNC |
					CLOUDABI_RIGHT_FILE_STAT_FGET,
				0, 0, &fd),
		 0, "opened with fd_datasync but without fd_write");
	CHECK_EQ(ft_fetch(fd), 0, "the shim fetches it");
	raw_write_refused(fd, "fd_datasync without fd_write");
	CHECK_EQ(cloudabi_sys_fd_datasync(fd), 0, "fd_datasync still works");
	cloudabi_sys_fd_close(fd);
	unchanged("datasync", 4);
}

/*
 * fd_stat_put narrows the kernel descriptor by the same rule: dropping
 * fd_write but keeping file_allocate keeps write access (file_allocate
 * used to fail with EBADF: the descriptor was made read-only); dropping
 * every right that needs write access makes it read-only.
 */
static void narrowing(void)
{
	CHECK_EQ(ft_put(dir, "narrow", "data"), 0, "a file of 4 bytes");
	cloudabi_fd_t fd;
	CHECK_EQ(ft_open_rights(dir, "narrow", 0,
				CLOUDABI_RIGHT_FD_READ |
					CLOUDABI_RIGHT_FD_WRITE |
					CLOUDABI_RIGHT_FILE_ALLOCATE |
					CLOUDABI_RIGHT_FILE_STAT_FGET,
				0, 0, &fd),
		 0, "opened read-write");
	CHECK_EQ(ft_fetch(fd), 0, "the shim fetches it");
	cloudabi_fdstat_t st = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
				  CLOUDABI_RIGHT_FILE_ALLOCATE |
				  CLOUDABI_RIGHT_FILE_STAT_FGET};
	CHECK_EQ(cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "fd_write dropped, file_allocate kept");
	CHECK_EQ(cloudabi_sys_file_allocate(fd, 0, 8), 0,
		 "file_allocate still works");
	unchanged("narrow", 8);
	st.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
			    CLOUDABI_RIGHT_FILE_STAT_FGET;
	CHECK_EQ(cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "every right that needs write access dropped");
	raw_write_refused(fd, "after fd_stat_put");
	char c;
	CHECK_EQ(raw(NR_read, fd, &c, 1), 1, "a raw read still works");
	cloudabi_sys_fd_close(fd);
	unchanged("narrow", 8);

	cloudabi_fd_t shm;
	CHECK_EQ(cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &shm),
		 0, "shared memory");
	st.fs_rights_base = CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_MEM_MAP;
	CHECK_EQ(cloudabi_sys_fd_stat_put(shm, &st, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "shared memory narrowed to reading");
	raw_write_refused(shm, "narrowed shared memory");
	cloudabi_sys_fd_close(shm);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	dir = guest_grant_fd(ad, "dir");
	datasync_without_write();
	narrowing();
	exit(check_done());
}

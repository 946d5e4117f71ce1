/* write_beyond.c: writes past the file size limit capbox runs under (tests/cli/file_size_limit.sh) fail with EFBIG, whether the broker makes them (a file's first transfers, file_stat_fput, file_allocate) or the guest itself. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

#define BEYOND                                                                 \
	(UINT64_C(4) << 20) /* past the script's `ulimit -f 1024` (1 MiB) */

static cloudabi_fd_t dir;

static cloudabi_fd_t open_new(const char *name)
{
	cloudabi_fdstat_t all = {.fs_rights_base = ~(cloudabi_rights_t)0,
				 .fs_rights_inheriting = ~(cloudabi_rights_t)0};
	cloudabi_fd_t fd = UINT32_MAX;
	CHECK_EQ(cloudabi_sys_file_open((cloudabi_lookup_t){.fd = dir}, name,
					strlen(name), CLOUDABI_O_CREAT, &all,
					&fd),
		 0, "create %s", name);
	return fd;
}

static cloudabi_errno_t pwrite_at(cloudabi_fd_t fd, uint64_t offset)
{
	size_t n;
	return cloudabi_sys_fd_pwrite(fd, &(cloudabi_ciovec_t){"x", 1}, 1,
				      offset, &n);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	dir = guest_grant_fd(ad, "dir");

	/* Its first transfer: the broker writes. */
	cloudabi_fd_t a = open_new("a");
	CHECK_EQ(pwrite_at(a, BEYOND), CLOUDABI_EFBIG,
		 "a first pwrite past the limit (the broker's): EFBIG");
	CHECK_EQ(pwrite_at(a, 0), 0, "a small one still works");
	cloudabi_filestat_t st = {.st_size = BEYOND};
	CHECK_EQ(cloudabi_sys_file_stat_fput(a, &st, CLOUDABI_FILESTAT_SIZE),
		 CLOUDABI_EFBIG, "file_stat_fput of a size past it: EFBIG");
	CHECK_EQ(cloudabi_sys_file_allocate(a, BEYOND, 1), CLOUDABI_EFBIG,
		 "file_allocate past it: EFBIG");

	/* Fetched (a two-buffer read is never forwarded): the guest writes. */
	cloudabi_fd_t b = open_new("b");
	char c0, c1;
	cloudabi_iovec_t two[2] = {{&c0, 0}, {&c1, 0}};
	size_t n;
	CHECK_EQ(cloudabi_sys_fd_read(b, two, 2, &n), 0, "fetch the second");
	CHECK_EQ(pwrite_at(b, BEYOND), CLOUDABI_EFBIG,
		 "the guest's own pwrite past the limit: EFBIG, not SIGXFSZ");
	CHECK_EQ(pwrite_at(b, 0), 0, "a small one works");
	exit(check_done());
}

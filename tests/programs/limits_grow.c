/* limits_grow.c: a hostile guest for --max-file-size: appends to a file without end; the first refusal must be EFBIG with the file exactly at the limit (given as "limit"). */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	argdata_t value;
	int64_t limit = 0;
	if (argdata_map_find(*ad, "limit", 5, &value) != ARGDATA_OK ||
	    argdata_get_int64(value, &limit) != ARGDATA_OK)
		exit(3);
	cloudabi_fdstat_t all = {.fs_rights_base = ~(cloudabi_rights_t)0,
				 .fs_rights_inheriting = ~(cloudabi_rights_t)0};
	cloudabi_fd_t fd = UINT32_MAX;
	CHECK_EQ(cloudabi_sys_file_open((cloudabi_lookup_t){.fd = dir}, "grow",
					4, CLOUDABI_O_CREAT, &all, &fd),
		 0, "create the file");
	static char block[65536 + 7]; /* not a divisor of the limit */
	memset(block, 'g', sizeof(block));
	uint64_t size = 0;
	cloudabi_errno_t err = 0;
	while (size < (uint64_t)limit * 2) {
		size_t n;
		err = cloudabi_sys_fd_write(
			fd, &(cloudabi_ciovec_t){block, sizeof(block)}, 1, &n);
		if (err != 0)
			break;
		size += n;
	}
	CHECK_EQ(err, CLOUDABI_EFBIG, "growing stops with EFBIG");
	CHECK_EQ(size, (uint64_t)limit, "at exactly the limit (%llu bytes)",
		 (unsigned long long)limit);
	exit(check_done());
}

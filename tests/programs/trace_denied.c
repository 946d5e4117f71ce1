/* trace_denied.c: refusals for --explain-denials (tests/cli/trace_denials.sh): a right the grant lacks, a right a directory cannot pass on, a path out of its directory, a write on a read-only file (the shim refuses it); the first one twice. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "guest.h"

void program_main(const argdata_t *ad)
{
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	cloudabi_lookup_t at = {.fd = dir};
	/* The grant has no file_unlink: twice, explained once. */
	int refused = 0;
	for (int i = 0; i < 2; i++)
		refused += cloudabi_sys_file_unlink(dir, "f", 1, 0) ==
			   CLOUDABI_ENOTCAPABLE;
	/* It cannot pass fd_write on to a file it opens. */
	cloudabi_fdstat_t rw = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
						  CLOUDABI_RIGHT_FD_WRITE};
	cloudabi_fd_t f;
	refused += cloudabi_sys_file_open(at, "f", 1, 0, &rw, &f) ==
		   CLOUDABI_ENOTCAPABLE;
	/* A path that leaves the directory. */
	cloudabi_fdstat_t ro = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	refused += cloudabi_sys_file_open(at, "../f", 4, 0, &ro, &f) ==
		   CLOUDABI_ENOTCAPABLE;
	/* A file opened read-only: its write is refused by the shim. */
	if (cloudabi_sys_file_open(at, "f", 1, 0, &ro, &f) == 0) {
		size_t n;
		cloudabi_ciovec_t data = {"x", 1};
		refused += cloudabi_sys_fd_write(f, &data, 1, &n) ==
			   CLOUDABI_ENOTCAPABLE;
	}
	exit(refused);
}

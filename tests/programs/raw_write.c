/* raw_write.c: a hostile guest that tries every way to change the regular file granted as "file" (tests/cli/conformance_file_grant.sh checks the file). */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>

#include "../guest/escape_raw.h"
#include "guest.h"

void program_main(const argdata_t *ad)
{
	int out = guest_out_fd(ad);
	cloudabi_fd_t fd = guest_grant_fd(ad, "file");
	static const char pwned[] = "PWNED";
	/* Through capbox: the rights decide. */
	cloudabi_ciovec_t iov = {pwned, 5};
	size_t n;
	dprintf(out, "fd_write %d\n", cloudabi_sys_fd_write(fd, &iov, 1, &n));
	/* Make the shim fetch the file from the broker if it has not (a read
	 * into two buffers is never forwarded), then write with the kernel's
	 * own calls: only the open mode decides. */
	char a, b;
	cloudabi_iovec_t riov[2] = {{&a, 0}, {&b, 0}};
	dprintf(out, "fd_read %d\n", cloudabi_sys_fd_read(fd, riov, 2, &n));
	dprintf(out, "write %ld\n", raw(NR_write, fd, pwned, 5));
	dprintf(out, "pwrite64 %ld\n", raw(NR_pwrite64, fd, pwned, 5, 0));
	dprintf(out, "ftruncate %ld\n", raw(NR_ftruncate, fd, 1));
	exit(0);
}

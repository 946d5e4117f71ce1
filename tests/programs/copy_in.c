/* copy_in.c: copies descriptor "in" to "out" with fd_read and fd_write until end of file (a pipe, a socket, a file); with "recv", says what sock_recv on "in" answers. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

void program_main(const argdata_t *ad)
{
	cloudabi_fd_t in = guest_grant_fd(ad, "in");
	cloudabi_fd_t out = guest_grant_fd(ad, "out");
	static char buf[4096];
	argdata_t value;
	if (argdata_map_find(*ad, "recv", 4, &value) == ARGDATA_OK) {
		cloudabi_iovec_t iov = {buf, sizeof(buf)};
		cloudabi_recv_in_t rin = {.ri_data = &iov, .ri_data_len = 1};
		cloudabi_recv_out_t rout;
		cloudabi_errno_t e = cloudabi_sys_sock_recv(in, &rin, &rout);
		dprintf((int)out, "sock_recv: %s\n",
			e == 0 ? "ok" : strerror(e));
		exit(0);
	}
	for (;;) {
		cloudabi_iovec_t iov = {buf, sizeof(buf)};
		size_t got;
		if (cloudabi_sys_fd_read(in, &iov, 1, &got) != 0)
			exit(2);
		if (got == 0)
			exit(0);
		for (size_t done = 0; done < got;) {
			cloudabi_ciovec_t ciov = {buf + done, got - done};
			size_t put;
			if (cloudabi_sys_fd_write(out, &ciov, 1, &put) != 0)
				exit(3);
			done += put;
		}
	}
}

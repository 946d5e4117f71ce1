/* exec_launder.c: the image tests/guest/escape_exec.c starts: given a narrowed file at 3 and a socket pair at 1 and 2, it sends the file raw (the filter refuses: EPERM), closes it and, were it sent, receives it through the broker, which must refuse it; exits with EXEC_TARGET_CODE when every check held. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "exec_target_args.h"
#include "guest.h"
#include "../guest/escape_raw.h"

enum { SEND = 1, RECV = 2, FILE_FD = 3 };

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(FILE_FD, &st), 0,
		 "exec: the narrowed file arrived");
	CHECK_EQ(st.fs_rights_base & CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE, 0,
		 "exec: still without file_stat_fput_size");
	char c;
	cloudabi_iovec_t fetch[2] = {{&c, 0}, {&c, 0}};
	size_t n;
	CHECK_EQ(cloudabi_sys_fd_read(FILE_FD, fetch, 2, &n), 0,
		 "exec: the shim fetches it");
	cloudabi_iovec_t go = {&c, 1};
	CHECK_EQ(cloudabi_sys_fd_read(RECV, &go, 1, &n), 0,
		 "exec: the old process has closed its copy");
	long sent = esc_send_fd(SEND, FILE_FD);
	CHECK_EQ(sent, -L_EPERM,
		 "exec: a raw sendmsg of it is refused by the filter (EPERM)");
	CHECK_EQ(cloudabi_sys_fd_close(FILE_FD), 0,
		 "exec: its capability closed");
	if (sent == 1) {
		cloudabi_fd_t got = UINT32_MAX;
		cloudabi_iovec_t iov = {&c, 1};
		cloudabi_recv_in_t in = {.ri_data = &iov,
					 .ri_data_len = 1,
					 .ri_fds = &got,
					 .ri_fds_len = 1};
		cloudabi_recv_out_t out = {0};
		CHECK_EQ(cloudabi_sys_sock_recv(RECV, &in, &out), 0,
			 "exec: received through the broker");
		CHECK_EQ(out.ro_fdslen, 0,
			 "exec: the laundered file is refused");
		cloudabi_filestat_t size = {.st_size = 0};
		CHECK_EQ(cloudabi_sys_file_stat_fput(FILE_FD, &size,
						     CLOUDABI_FILESTAT_SIZE),
			 CLOUDABI_EBADF, "exec: nothing to truncate it with");
	}
	exit(check_failures == 0 ? EXEC_TARGET_CODE : 1);
}

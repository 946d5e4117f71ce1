/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* escape_resend.c: a narrowed descriptor sent to itself with a raw sendmsg (bypassing the broker) comes back with no more rights than the sandbox had for it. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_raw.h"
#include "file_test.h"
#include "guest.h"

/* sendmsg(sock, "x" + SCM_RIGHTS {fd}) as a raw system call. */
static long raw_send_fd(cloudabi_fd_t sock, cloudabi_fd_t fd)
{
	char byte = 'x';
	struct l_iovec iov = {&byte, 1};
	struct l_cmsg_fd cmsg = {.len = sizeof(size_t) + 3 * sizeof(int),
				 .level = L_SOL_SOCKET,
				 .type = L_SCM_RIGHTS,
				 .fd = (int)fd};
	struct l_msghdr msg = {.iov = &iov, .iovlen = 1, .control = &cmsg,
			       .controllen = sizeof(cmsg)};
	return raw(NR_sendmsg, sock, &msg, 0);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	/* Readable and writable for the kernel, but without the right to set
	 * its times: a right only the broker enforces. */
	cloudabi_fdstat_t want = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
				  CLOUDABI_RIGHT_FILE_STAT_FGET,
	};
	cloudabi_fd_t ro;
	cloudabi_lookup_t at = {.fd = dir};
	CHECK_EQ(cloudabi_sys_file_open(at, "f", 1, CLOUDABI_O_CREAT, &want, &ro),
		 0, "a new file with a narrow set of rights");
	cloudabi_fdstat_t before;
	CHECK_EQ(cloudabi_sys_fd_stat_get(ro, &before), 0, "its rights");
	CHECK((before.fs_rights_base & CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES) == 0,
	      "lack FILE_STAT_FPUT_TIMES");
	/* file_open leaves the file in the broker until the shim uses it:
	 * fetch it, so that `ro` is the file itself for the raw send below. */
	CHECK_EQ(ft_fetch(ro), 0, "the shim fetches it");

	cloudabi_fd_t pair[2];
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &pair[0],
					 &pair[1]),
		 0, "a socket pair");
	CHECK_EQ(raw_send_fd(pair[0], ro), 1,
		 "a raw sendmsg of the file to itself gets through the kernel");

	char byte;
	cloudabi_fd_t got = UINT32_MAX;
	cloudabi_iovec_t iov = {&byte, 1};
	cloudabi_recv_in_t in = {.ri_data = &iov, .ri_data_len = 1,
				 .ri_fds = &got, .ri_fds_len = 1};
	cloudabi_recv_out_t out;
	CHECK_EQ(cloudabi_sys_sock_recv(pair[1], &in, &out), 0,
		 "received through the broker");
	CHECK_EQ(out.ro_fdslen, 1, "with the descriptor");
	cloudabi_fdstat_t after;
	CHECK_EQ(cloudabi_sys_fd_stat_get(got, &after), 0, "stat of the copy");
	CHECK_EQ(after.fs_filetype, before.fs_filetype, "same type");
	CHECK((after.fs_rights_base & ~before.fs_rights_base) == 0,
	      "no right the original lacked (extra %#llx)",
	      (unsigned long long)(after.fs_rights_base & ~before.fs_rights_base));
	CHECK((after.fs_rights_inheriting & ~before.fs_rights_inheriting) == 0,
	      "no inheriting right the original lacked");
	cloudabi_filestat_t times = {.st_atim = 1, .st_mtim = 1};
	CHECK_EQ(cloudabi_sys_file_stat_fput(got, &times,
					     CLOUDABI_FILESTAT_ATIM |
						     CLOUDABI_FILESTAT_MTIM),
		 CLOUDABI_ENOTCAPABLE, "setting its times is still refused");
	exit(check_done());
}

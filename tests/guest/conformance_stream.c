/* conformance_stream.c: stream boundaries around descriptor-carrying messages as natively (cloudlibc's uv_read_start tests, their exact sequences): such a message starts a read, the plain bytes after it join it. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

static cloudabi_errno_t put(cloudabi_fd_t fd, const char *text)
{
	cloudabi_ciovec_t iov = {text, strlen(text)};
	size_t n;
	return cloudabi_sys_fd_write(fd, &iov, 1, &n);
}

static cloudabi_errno_t send_fds(cloudabi_fd_t sock, const char *text,
				 const cloudabi_fd_t *fds, size_t nfds)
{
	cloudabi_ciovec_t iov = {text, strlen(text)};
	cloudabi_send_in_t in = {.si_data = &iov,
				 .si_data_len = 1,
				 .si_fds = fds,
				 .si_fds_len = nfds};
	cloudabi_send_out_t out;
	return cloudabi_sys_sock_send(sock, &in, &out);
}

/* uv_read_start::ipc_disabled: reads with fd_read into 10 bytes. */
static void ipc_disabled(void)
{
	cloudabi_fd_t fds[2];
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &fds[0],
				&fds[1]);
	CHECK_EQ(put(fds[1], "A"), 0, "write A");
	CHECK_EQ(send_fds(fds[1], "BC", fds, 2), 0, "send BC with 2 fds");
	CHECK_EQ(put(fds[1], "DE"), 0, "write DE");
	char buf[10];
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_fd_read(fds[0], &iov, 1, &n), 0, "read 1");
	CHECK(n == 1 && buf[0] == 'A', "stops before the message (%zu)", n);
	CHECK_EQ(cloudabi_sys_fd_read(fds[0], &iov, 1, &n), 0, "read 2");
	CHECK(n == 4 && memcmp(buf, "BCDE", 4) == 0,
	      "the message and the plain bytes after it (%zu)", n);
	CHECK_EQ(put(fds[1], "FGHIJKLMNOPQRSTU"), 0, "16 bytes");
	CHECK(cloudabi_sys_fd_read(fds[0], &iov, 1, &n) == 0 && n == 10,
	      "a full buffer");
	CHECK(cloudabi_sys_fd_read(fds[0], &iov, 1, &n) == 0 && n == 6,
	      "then the rest");
	cloudabi_sys_fd_close(fds[0]);
	cloudabi_sys_fd_close(fds[1]);
}

/* uv_read_start::ipc_enabled: two messages of 5 bytes and 2 fds each. */
static void ipc_enabled(void)
{
	cloudabi_fd_t fds[2], m[4], x;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &fds[0],
				&fds[1]);
	for (int i = 0; i < 4; i++)
		cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &m[i],
					&x);
	CHECK_EQ(send_fds(fds[1], "ABCDE", m, 2), 0, "ABCDE with 2 fds");
	CHECK_EQ(send_fds(fds[1], "FGHIJ", m + 2, 2), 0, "FGHIJ with 2 fds");
	for (int round = 0; round < 2; round++) {
		char buf[10];
		cloudabi_fd_t got[64];
		cloudabi_iovec_t iov = {buf, sizeof(buf)};
		cloudabi_recv_in_t in = {.ri_data = &iov,
					 .ri_data_len = 1,
					 .ri_fds = got,
					 .ri_fds_len = 64};
		cloudabi_recv_out_t out;
		CHECK_EQ(cloudabi_sys_sock_recv(fds[0], &in, &out), 0,
			 "receive %d", round);
		CHECK(out.ro_datalen == 5 &&
			      memcmp(buf, round ? "FGHIJ" : "ABCDE", 5) == 0,
		      "one message's 5 bytes (%zu)", out.ro_datalen);
		CHECK_EQ(out.ro_fdslen, 2, "and its 2 descriptors");
	}
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	ipc_disabled();
	ipc_enabled();
	exit(check_done());
}

/* sock_accept.c: sock_recv on a listening socket accepts a connection (driven by tests/cli/sock_accept.sh, which grants the listener as "lis"). */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

static cloudabi_errno_t accept_one(cloudabi_fd_t lis, size_t nfds,
				   cloudabi_riflags_t flags,
				   cloudabi_recv_out_t *out,
				   cloudabi_fd_t *conn)
{
	char buf[4];
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	cloudabi_recv_in_t in = {.ri_data = &iov,
				 .ri_data_len = 1,
				 .ri_fds = conn,
				 .ri_fds_len = nfds,
				 .ri_flags = flags};
	memset(out, 0, sizeof(*out));
	return cloudabi_sys_sock_recv(lis, &in, out);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	argdata_t value;
	uint32_t lis;
	if (argdata_map_find(*ad, "lis", 3, &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &lis) != ARGDATA_OK)
		exit(3); /* tests/cli/sock_accept.sh grants it */
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(lis, &st), 0,
		 "the listener is granted");
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_SOCKET_STREAM,
		 "as a stream socket");

	cloudabi_recv_out_t out;
	cloudabi_fd_t conn = UINT32_MAX;
	CHECK_EQ(accept_one(lis, 0, 0, &out, &conn), CLOUDABI_EINVAL,
		 "accepting needs room for a descriptor: EINVAL without");
	CHECK_EQ(accept_one(lis, 1, CLOUDABI_SOCK_RECV_PEEK, &out, &conn),
		 CLOUDABI_EINVAL, "PEEK on a listener is EINVAL");
	CHECK_EQ(accept_one(lis, 1, 0, &out, &conn), 0,
		 "sock_recv on the listener accepts a connection");
	CHECK_EQ(out.ro_datalen, 0, "with 0 data bytes");
	CHECK_EQ(out.ro_fdslen, 1, "and one descriptor");
	cloudabi_fdstat_t cs;
	CHECK_EQ(cloudabi_sys_fd_stat_get(conn, &cs), 0, "the connection");
	CHECK_EQ(cs.fs_filetype, CLOUDABI_FILETYPE_SOCKET_STREAM,
		 "is a stream socket");
	CHECK((cs.fs_rights_base &
	       (CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE)) ==
		      (CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE),
	      "that can be read and written");
	char buf[16] = {0};
	cloudabi_iovec_t iov = {buf, 5};
	size_t n;
	CHECK(cloudabi_sys_fd_read(conn, &iov, 1, &n) == 0 && n == 5 &&
		      memcmp(buf, "hello", 5) == 0,
	      "reads what the client sent");
	cloudabi_ciovec_t reply = {"world", 5};
	CHECK_EQ(cloudabi_sys_fd_write(conn, &reply, 1, &n), 0,
		 "answers the client");
	cloudabi_sys_fd_close(conn);

	cloudabi_fdstat_t nb = {.fs_flags = CLOUDABI_FDFLAG_NONBLOCK};
	CHECK_EQ(cloudabi_sys_fd_stat_put(lis, &nb, CLOUDABI_FDSTAT_FLAGS), 0,
		 "make the listener non-blocking");
	CHECK_EQ(accept_one(lis, 1, 0, &out, &conn), CLOUDABI_EAGAIN,
		 "with no pending connection, accepting is EAGAIN");
	exit(check_done());
}

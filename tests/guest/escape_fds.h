/* escape_fds.h: the escape suite's one-descriptor sock_send and sock_recv through the broker, and a descriptor's rights. */
#ifndef CAPBOX_TESTS_ESCAPE_FDS_H
#define CAPBOX_TESTS_ESCAPE_FDS_H

#include <cloudabi_syscalls.h>

#include "check.h"

/* Sends one byte ("x") carrying fd. */
static inline cloudabi_errno_t escape_send_fd(cloudabi_fd_t sock,
					      cloudabi_fd_t fd)
{
	cloudabi_ciovec_t iov = {"x", 1};
	cloudabi_send_in_t in = {.si_data = &iov,
				 .si_data_len = 1,
				 .si_fds = &fd,
				 .si_fds_len = 1};
	cloudabi_send_out_t out;
	return cloudabi_sys_sock_send(sock, &in, &out);
}

/* Receives one byte and at most one descriptor (*got, UINT32_MAX if
 * none) with flags (0 or CLOUDABI_SOCK_RECV_PEEK). */
static inline cloudabi_errno_t escape_recv_fd(cloudabi_fd_t sock,
					      cloudabi_riflags_t flags,
					      cloudabi_fd_t *got,
					      cloudabi_recv_out_t *out)
{
	static char byte;
	cloudabi_iovec_t iov = {&byte, 1};
	cloudabi_recv_in_t in = {.ri_data = &iov,
				 .ri_data_len = 1,
				 .ri_fds = got,
				 .ri_fds_len = 1,
				 .ri_flags = flags};
	*got = UINT32_MAX;
	return cloudabi_sys_sock_recv(sock, &in, out);
}

/* The rights of fd, base and inheriting or'ed (any right at all). */
static inline cloudabi_rights_t escape_rights_of(cloudabi_fd_t fd)
{
	cloudabi_fdstat_t st = {0};
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &st), 0, "fd_stat_get");
	return st.fs_rights_base | st.fs_rights_inheriting;
}

#endif

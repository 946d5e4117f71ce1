/* capbox-test-args: --file ro=@SRCDIR@/README.md */
/* sock_data.c: sock_send and sock_recv of plain data (straight to the kernel): PEEK, WAITALL, DATA_TRUNCATED, EAGAIN, EPIPE, sock_shutdown, and the errors of each call. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

static cloudabi_errno_t send_text(cloudabi_fd_t sock, const char *text,
				  size_t *sent)
{
	cloudabi_ciovec_t iov = {text, strlen(text)};
	cloudabi_send_in_t in = {.si_data = &iov, .si_data_len = 1};
	cloudabi_send_out_t out = {0};
	cloudabi_errno_t err = cloudabi_sys_sock_send(sock, &in, &out);
	if (sent != NULL)
		*sent = out.so_datalen;
	return err;
}

static cloudabi_errno_t recv_text(cloudabi_fd_t sock, char *buf, size_t len,
				  cloudabi_riflags_t flags,
				  cloudabi_recv_out_t *out)
{
	memset(buf, 0, len);
	memset(out, 0, sizeof(*out));
	cloudabi_iovec_t iov = {buf, len};
	cloudabi_recv_in_t in = {
		.ri_data = &iov, .ri_data_len = 1, .ri_flags = flags};
	return cloudabi_sys_sock_recv(sock, &in, out);
}

static cloudabi_errno_t narrow(cloudabi_fd_t fd, cloudabi_rights_t base)
{
	cloudabi_fdstat_t st = {.fs_rights_base = base};
	return cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_RIGHTS);
}

static void later_send(void *arg)
{
	cloudabi_fd_t fd = *(cloudabi_fd_t *)arg;
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_CLOCK,
		.clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC,
			  .timeout = 50000000},
	};
	cloudabi_event_t ev;
	size_t n;
	cloudabi_sys_poll(&sub, &ev, 1, &n);
	send_text(fd, "tail", NULL);
}

static void test_stream(void)
{
	cloudabi_fd_t a, b;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	size_t sent;
	CHECK_EQ(send_text(a, "hello", &sent), 0, "sock_send of data");
	CHECK_EQ(sent, 5, "sends 5 bytes");
	char buf[32];
	cloudabi_recv_out_t out;
	CHECK_EQ(recv_text(b, buf, sizeof(buf), CLOUDABI_SOCK_RECV_PEEK, &out),
		 0, "sock_recv with PEEK");
	CHECK(out.ro_datalen == 5 && memcmp(buf, "hello", 5) == 0,
	      "peeks at the data");
	CHECK_EQ(recv_text(b, buf, 3, 0, &out), 0, "sock_recv of 3 bytes");
	CHECK(out.ro_datalen == 3 && memcmp(buf, "hel", 3) == 0 &&
		      out.ro_flags == 0 && out.ro_fdslen == 0,
	      "a stream returns part of the data without truncation flags");
	CHECK_EQ(recv_text(b, buf, sizeof(buf), 0, &out), 0, "the rest");
	CHECK(out.ro_datalen == 2 && memcmp(buf, "lo", 2) == 0, "\"lo\"");

	/* WAITALL waits for the rest, sent later by another thread. */
	capbox_thread_t t;
	send_text(a, "head", NULL);
	CHECK_EQ(capbox_thread_start(&t, later_send, &a, 0), 0,
		 "a thread will send the rest later");
	CHECK_EQ(recv_text(b, buf, 8, CLOUDABI_SOCK_RECV_WAITALL, &out), 0,
		 "sock_recv with WAITALL");
	CHECK(out.ro_datalen == 8 && memcmp(buf, "headtail", 8) == 0,
	      "waits for all 8 bytes (got %zu)", out.ro_datalen);
	capbox_thread_join(&t);

	/* Non-blocking. */
	cloudabi_fdstat_t nb = {.fs_flags = CLOUDABI_FDFLAG_NONBLOCK};
	cloudabi_sys_fd_stat_put(b, &nb, CLOUDABI_FDSTAT_FLAGS);
	CHECK_EQ(recv_text(b, buf, sizeof(buf), 0, &out), CLOUDABI_EAGAIN,
		 "an empty non-blocking socket is EAGAIN");

	/* Shutdown. */
	CHECK_EQ(cloudabi_sys_sock_shutdown(a, CLOUDABI_SHUT_WR), 0,
		 "sock_shutdown(SHUT_WR)");
	CHECK_EQ(recv_text(b, buf, sizeof(buf), 0, &out), 0,
		 "the peer reads end of stream");
	CHECK_EQ(out.ro_datalen, 0, "0 bytes");
	CHECK_EQ(send_text(a, "more", NULL), CLOUDABI_EPIPE,
		 "sending after SHUT_WR is EPIPE (no SIGPIPE)");
	CHECK_EQ(cloudabi_sys_sock_shutdown(b, CLOUDABI_SHUT_RD), 0,
		 "sock_shutdown(SHUT_RD)");
	CHECK_EQ(cloudabi_sys_sock_shutdown(b, CLOUDABI_SHUT_RD |
						       CLOUDABI_SHUT_WR),
		 0, "sock_shutdown(SHUT_RD | SHUT_WR)");
	CHECK_EQ(cloudabi_sys_sock_shutdown(b, 0), CLOUDABI_EINVAL,
		 "sock_shutdown(0) is EINVAL");
	CHECK_EQ(cloudabi_sys_sock_shutdown(b, 4), CLOUDABI_EINVAL,
		 "an undefined sdflag is EINVAL");
	CHECK_EQ(cloudabi_sys_sock_shutdown(900, CLOUDABI_SHUT_RD),
		 CLOUDABI_EBADF, "sock_shutdown of an absent fd is EBADF");
	narrow(a, CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE);
	CHECK_EQ(cloudabi_sys_sock_shutdown(a, CLOUDABI_SHUT_RD),
		 CLOUDABI_ENOTCAPABLE,
		 "sock_shutdown without SOCK_SHUTDOWN is ENOTCAPABLE");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);

	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	cloudabi_sys_fd_close(b);
	CHECK_EQ(send_text(a, "x", NULL), CLOUDABI_EPIPE,
		 "sending to a closed peer is EPIPE");
	CHECK_EQ(recv_text(a, buf, sizeof(buf), 0, &out), 0,
		 "receiving from a closed peer");
	CHECK_EQ(out.ro_datalen, 0, "is end of stream");
	cloudabi_sys_fd_close(a);
}

static void test_dgram(void)
{
	cloudabi_fd_t a, b;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM, &a, &b);
	cloudabi_ciovec_t parts[3] = {{"one ", 4}, {"two ", 4}, {"three", 5}};
	cloudabi_send_in_t in = {.si_data = parts, .si_data_len = 3};
	cloudabi_send_out_t sout;
	CHECK_EQ(cloudabi_sys_sock_send(a, &in, &sout), 0,
		 "a datagram gathered from three vectors");
	CHECK_EQ(sout.so_datalen, 13, "13 bytes");
	char x[5], y[64];
	cloudabi_iovec_t iov[2] = {{x, 5}, {y, sizeof(y)}};
	cloudabi_recv_in_t rin = {.ri_data = iov, .ri_data_len = 2};
	cloudabi_recv_out_t out;
	CHECK_EQ(cloudabi_sys_sock_recv(b, &rin, &out), 0,
		 "received into two vectors");
	CHECK(out.ro_datalen == 13 && memcmp(x, "one t", 5) == 0 &&
		      memcmp(y, "wo three", 8) == 0 && out.ro_flags == 0,
	      "scattered in order, not truncated");
	send_text(a, "a long datagram", NULL);
	char buf[8];
	CHECK_EQ(recv_text(b, buf, 4, 0, &out), 0,
		 "a datagram into a short buffer");
	CHECK(out.ro_datalen == 4 && memcmp(buf, "a lo", 4) == 0,
	      "gets the first 4 bytes");
	CHECK_EQ(out.ro_flags, CLOUDABI_SOCK_RECV_DATA_TRUNCATED,
		 "with DATA_TRUNCATED");
	send_text(a, "next", NULL);
	recv_text(b, buf, sizeof(buf), 0, &out);
	CHECK(out.ro_datalen == 4 && memcmp(buf, "next", 4) == 0,
	      "the rest of the truncated datagram is gone");
	CHECK_EQ(send_text(a, "", NULL), 0, "an empty datagram");
	CHECK(recv_text(b, buf, sizeof(buf), 0, &out) == 0 &&
		      out.ro_datalen == 0,
	      "arrives empty");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
}

static void test_errors(cloudabi_fd_t ro)
{
	cloudabi_fd_t a, b;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	char buf[8];
	cloudabi_recv_out_t out;
	CHECK_EQ(send_text(900, "x", NULL), CLOUDABI_EBADF,
		 "sock_send on an absent fd is EBADF");
	CHECK_EQ(recv_text(900, buf, sizeof(buf), 0, &out), CLOUDABI_EBADF,
		 "sock_recv on an absent fd is EBADF");
	CHECK_EQ(recv_text(b, buf, sizeof(buf), 0x1, &out), CLOUDABI_EINVAL,
		 "an undefined riflag is EINVAL");
	cloudabi_ciovec_t iov = {"x", 1};
	cloudabi_send_in_t in = {
		.si_data = &iov, .si_data_len = 1, .si_flags = 1};
	cloudabi_send_out_t sout;
	CHECK_EQ(cloudabi_sys_sock_send(a, &in, &sout), CLOUDABI_EINVAL,
		 "non-zero siflags are EINVAL");
	in.si_flags = 0;
	in.si_data_len = 1025;
	CHECK_EQ(cloudabi_sys_sock_send(a, &in, &sout), CLOUDABI_EINVAL,
		 "1025 send vectors are EINVAL");
	cloudabi_fd_t w;
	cloudabi_sys_fd_dup(a, &w);
	narrow(w, CLOUDABI_RIGHT_FD_READ);
	CHECK_EQ(send_text(w, "x", NULL), CLOUDABI_ENOTCAPABLE,
		 "sock_send without FD_WRITE is ENOTCAPABLE");
	narrow(w, 0);
	CHECK_EQ(recv_text(w, buf, sizeof(buf), 0, &out), CLOUDABI_ENOTCAPABLE,
		 "sock_recv without FD_READ is ENOTCAPABLE");
	cloudabi_sys_fd_close(w);
	CHECK_EQ(recv_text(ro, buf, sizeof(buf), 0, &out), CLOUDABI_ENOTSOCK,
		 "sock_recv on a regular file is ENOTSOCK");
	cloudabi_ciovec_t badv = {(const void *)8, 4};
	cloudabi_send_in_t bad = {.si_data = &badv, .si_data_len = 1};
	CHECK_EQ(cloudabi_sys_sock_send(a, &bad, &sout), CLOUDABI_EFAULT,
		 "a send vector at unmapped memory is EFAULT");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	argdata_t value;
	uint32_t ro;
	if (argdata_map_find(*ad, "ro", 2, &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &ro) != ARGDATA_OK)
		exit(3);
	test_stream();
	test_dgram();
	test_errors(ro);
	exit(check_done());
}

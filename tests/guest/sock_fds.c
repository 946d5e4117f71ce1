/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* sock_fds.c: descriptors travelling on socket pairs keep their rights (never more), directories arrive as usable capabilities, truncation flags, and the reference stream semantics. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "guest_fd.h"

#define LINUX_EBADF 9
#define LINUX_EINVAL 22
#define SEND_MAX_FDS 16 /* descriptors per message (CAPBOX_HC_MAX_FDS) */

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

struct got {
	char data[64];
	cloudabi_fd_t fds[20];
	cloudabi_recv_out_t out;
};

static cloudabi_errno_t recv_fds(cloudabi_fd_t sock, struct got *g,
				 size_t data_len, size_t nfds,
				 cloudabi_riflags_t flags)
{
	memset(g, 0, sizeof(*g));
	cloudabi_iovec_t iov = {g->data, data_len};
	cloudabi_recv_in_t in = {.ri_data = &iov,
				 .ri_data_len = 1,
				 .ri_fds = g->fds,
				 .ri_fds_len = nfds,
				 .ri_flags = flags};
	return cloudabi_sys_sock_recv(sock, &in, &g->out);
}

static void test_socket_travels(cloudabi_fd_t a, cloudabi_fd_t b)
{
	cloudabi_fd_t x, y;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &x, &y);
	cloudabi_rights_t r = CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
			      CLOUDABI_RIGHT_POLL_FD_READWRITE;
	CHECK_EQ(put_rights(y, r, CLOUDABI_RIGHT_FD_READ), 0,
		 "narrow a socket's rights before sending it");
	CHECK_EQ(send_fds(a, "sock", &y, 1), 0,
		 "sock_send with one descriptor");
	struct got g;
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 4, 0), 0,
		 "sock_recv with room for 4 descriptors");
	CHECK_EQ(g.out.ro_datalen, 4, "receives the 4 data bytes");
	CHECK(memcmp(g.data, "sock", 4) == 0, "intact");
	CHECK_EQ(g.out.ro_fdslen, 1, "and one descriptor");
	CHECK_EQ(g.out.ro_flags, 0, "nothing truncated");
	cloudabi_fd_t z = g.fds[0];
	cloudabi_fdstat_t st = stat_of(z, NULL);
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_SOCKET_STREAM,
		 "it is a stream socket");
	CHECK_EQ(st.fs_rights_base, r,
		 "with exactly the rights it was sent with");
	CHECK_EQ(st.fs_rights_inheriting, CLOUDABI_RIGHT_FD_READ,
		 "and the inheriting rights");
	CHECK_EQ(cloudabi_sys_sock_shutdown(z, CLOUDABI_SHUT_WR),
		 CLOUDABI_ENOTCAPABLE,
		 "a right it was not sent with (SOCK_SHUTDOWN) is refused");
	CHECK_EQ(put(z, "through"), 0, "the received socket works");
	char buf[16];
	size_t n;
	CHECK(get(x, buf, sizeof(buf), &n) == 0 && n == 7 &&
		      memcmp(buf, "through", 7) == 0,
	      "and talks to the original's peer");
	cloudabi_sys_fd_close(x);
	cloudabi_sys_fd_close(y);
	cloudabi_sys_fd_close(z);
}

static void test_many(cloudabi_fd_t a, cloudabi_fd_t b)
{
	cloudabi_fd_t shm[3];
	for (int i = 0; i < 3; i++)
		cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY,
					&shm[i]);
	put_rights(shm[1], CLOUDABI_RIGHT_FD_READ, 0);
	put(shm[0], "zero");
	CHECK_EQ(send_fds(a, "three", shm, 3), 0, "send three descriptors");
	struct got g;
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 3, 0), 0, "receive them");
	CHECK_EQ(g.out.ro_fdslen, 3, "all three arrive");
	CHECK(g.fds[0] != g.fds[1] && g.fds[1] != g.fds[2] &&
		      g.fds[0] != g.fds[2],
	      "at three numbers");
	CHECK_EQ(stat_of(g.fds[1], NULL).fs_rights_base, CLOUDABI_RIGHT_FD_READ,
		 "in order: the second has the narrowed rights");
	CHECK_EQ(stat_of(g.fds[0], NULL).fs_rights_base,
		 stat_of(shm[0], NULL).fs_rights_base,
		 "the first has the full ones");
	CHECK_EQ(stat_of(g.fds[2], NULL).fs_filetype,
		 CLOUDABI_FILETYPE_SHARED_MEMORY, "types survive");
	CHECK_EQ(put(g.fds[1], "x"), CLOUDABI_ENOTCAPABLE,
		 "the narrowed one cannot write");
	CHECK_EQ(put(g.fds[0], "more"), 0, "the full one can");
	for (int i = 0; i < 3; i++) {
		cloudabi_sys_fd_close(g.fds[i]);
		cloudabi_sys_fd_close(shm[i]);
	}
}

/* Fewer slots than descriptors: FDS_TRUNCATED; none asked: silently
 * dropped, as in the reference implementation. */
static void test_truncation(cloudabi_fd_t a, cloudabi_fd_t b,
			    cloudabi_filetype_t type)
{
	cloudabi_fd_t x, y;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &x, &y);
	cloudabi_fd_t two[2] = {x, y};
	struct got g;
	CHECK_EQ(send_fds(a, "fds", two, 2), 0, "send two descriptors");
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, 0), 0,
		 "receive with room for one");
	CHECK_EQ(g.out.ro_fdslen, 1, "one arrives");
	CHECK_EQ(g.out.ro_flags & CLOUDABI_SOCK_RECV_FDS_TRUNCATED,
		 CLOUDABI_SOCK_RECV_FDS_TRUNCATED, "with FDS_TRUNCATED");
	CHECK_EQ(g.out.ro_datalen, 3, "and the data");
	cloudabi_sys_fd_close(g.fds[0]);

	CHECK_EQ(send_fds(a, "zero", two, 2), 0, "send two more");
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 0, 0), 0,
		 "receive asking for no descriptors");
	CHECK_EQ(g.out.ro_datalen, 4, "the data arrives");
	CHECK_EQ(g.out.ro_fdslen, 0, "no descriptor");
	CHECK_EQ(g.out.ro_flags, 0,
		 "and no FDS_TRUNCATED (reference behaviour: dropped)");

	if (type == CLOUDABI_FILETYPE_SOCKET_DGRAM) {
		CHECK_EQ(send_fds(a, "a long datagram", two, 1), 0,
			 "send a datagram with a descriptor");
		CHECK_EQ(recv_fds(b, &g, 4, 1, 0), 0,
			 "receive it into 4 bytes");
		CHECK_EQ(g.out.ro_datalen, 4, "4 bytes arrive");
		CHECK_EQ(g.out.ro_flags, CLOUDABI_SOCK_RECV_DATA_TRUNCATED,
			 "with DATA_TRUNCATED only");
		CHECK_EQ(g.out.ro_fdslen, 1, "and the descriptor");
		cloudabi_sys_fd_close(g.fds[0]);
		cloudabi_send_in_t in = {.si_fds = two, .si_fds_len = 1};
		cloudabi_send_out_t out;
		CHECK_EQ(cloudabi_sys_sock_send(a, &in, &out), 0,
			 "a datagram may carry descriptors and no data");
		CHECK(recv_fds(b, &g, sizeof(g.data), 2, 0) == 0 &&
			      g.out.ro_datalen == 0 && g.out.ro_fdslen == 1,
		      "it arrives with 0 bytes and the descriptor");
		cloudabi_sys_fd_close(g.fds[0]);
	} else {
		cloudabi_send_in_t in = {.si_fds = two, .si_fds_len = 1};
		cloudabi_send_out_t out;
		CHECK_EQ(cloudabi_sys_sock_send(a, &in, &out), CLOUDABI_EINVAL,
			 "on a byte stream, descriptors need data: EINVAL");
	}
	cloudabi_sys_fd_close(x);
	cloudabi_sys_fd_close(y);
}

/* Plain data is not merged with a following descriptor-carrying message. */
static void test_no_merge(cloudabi_fd_t a, cloudabi_fd_t b)
{
	cloudabi_fd_t shm;
	cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &shm);
	CHECK_EQ(put(a, "plain"), 0, "write plain data");
	CHECK_EQ(send_fds(a, "carrier", &shm, 1), 0,
		 "then a message with a descriptor");
	struct got g;
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, 0), 0, "receive");
	CHECK_EQ(g.out.ro_datalen, 5, "only the plain data comes first");
	CHECK_EQ(g.out.ro_fdslen, 0, "without the descriptor");
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, 0), 0, "receive again");
	CHECK(g.out.ro_datalen == 7 && memcmp(g.data, "carrier", 7) == 0,
	      "the carrier's data comes next");
	CHECK_EQ(g.out.ro_fdslen, 1, "with its descriptor");
	cloudabi_sys_fd_close(g.fds[0]);

	CHECK_EQ(put(a, "again"), 0, "plain data once more");
	CHECK_EQ(send_fds(a, "second", &shm, 1), 0, "and another carrier");
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 0, 0), 0,
		 "a reader asking for no descriptors");
	CHECK_EQ(g.out.ro_datalen, 5, "gets only the plain data");
	recv_fds(b, &g, sizeof(g.data), 0, 0);
	CHECK(g.out.ro_datalen == 6 && g.out.ro_flags == 0,
	      "then the carrier's data, its descriptor dropped silently");

	/* PEEK leaves the message (and its descriptor) queued. */
	send_fds(a, "peek", &shm, 1);
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, CLOUDABI_SOCK_RECV_PEEK), 0,
		 "peek at a carrier");
	/* A peek stops after the message's first byte, which carries the
	 * descriptors (docs/CONFORMANCE.md, "Stream boundaries"). */
	CHECK(g.out.ro_datalen >= 1 && memcmp(g.data, "p", 1) == 0 &&
		      g.out.ro_fdslen == 1,
	      "shows its data and a descriptor");
	cloudabi_fd_t peeked = g.fds[0];
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, 0), 0, "receive it");
	CHECK(g.out.ro_datalen == 4 && g.out.ro_fdslen == 1,
	      "the message was still there");
	CHECK_EQ(stat_of(g.fds[0], NULL).fs_rights_base,
		 stat_of(peeked, NULL).fs_rights_base,
		 "peeked and received copies have the same rights");
	cloudabi_sys_fd_close(peeked);
	cloudabi_sys_fd_close(g.fds[0]);
	cloudabi_sys_fd_close(shm);
}

static void test_errors(cloudabi_fd_t a, cloudabi_fd_t b)
{
	cloudabi_fd_t bad = 900;
	CHECK_EQ(send_fds(a, "x", &bad, 1), CLOUDABI_EBADF,
		 "sending an absent descriptor is EBADF");
	cloudabi_fd_t many[SEND_MAX_FDS + 1];
	for (size_t i = 0; i <= SEND_MAX_FDS; i++)
		many[i] = a;
	CHECK_EQ(send_fds(a, "x", many, SEND_MAX_FDS + 1), CLOUDABI_EMSGSIZE,
		 "more than %d descriptors is EMSGSIZE", SEND_MAX_FDS);
	CHECK_EQ(send_fds(a, "max", many, SEND_MAX_FDS), 0,
		 "%d descriptors are fine", SEND_MAX_FDS);
	struct got g;
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 20, 0), 0, "and all arrive");
	CHECK_EQ(g.out.ro_fdslen, SEND_MAX_FDS, "every one of them");
	for (size_t i = 0; i < g.out.ro_fdslen; i++)
		cloudabi_sys_fd_close(g.fds[i]);

	cloudabi_fd_t ro;
	cloudabi_sys_fd_dup(a, &ro);
	put_rights(ro, CLOUDABI_RIGHT_FD_READ, 0);
	CHECK_EQ(send_fds(ro, "x", &a, 1), CLOUDABI_ENOTCAPABLE,
		 "sending with descriptors needs FD_WRITE");
	put_rights(ro, 0, 0);
	CHECK_EQ(recv_fds(ro, &g, sizeof(g.data), 1, 0), CLOUDABI_ENOTCAPABLE,
		 "receiving descriptors needs FD_READ");
	cloudabi_sys_fd_close(ro);
	CHECK_EQ(recv_fds(bad, &g, sizeof(g.data), 1, 0), CLOUDABI_EBADF,
		 "receiving on an absent socket is EBADF");

	cloudabi_fdstat_t nb = {.fs_flags = CLOUDABI_FDFLAG_NONBLOCK};
	cloudabi_sys_fd_stat_put(b, &nb, CLOUDABI_FDSTAT_FLAGS);
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, 0), CLOUDABI_EAGAIN,
		 "a non-blocking receive of descriptors on an empty socket "
		 "is EAGAIN");
	nb.fs_flags = 0;
	cloudabi_sys_fd_stat_put(b, &nb, CLOUDABI_FDSTAT_FLAGS);
}

static void test_directory(cloudabi_fd_t dir, cloudabi_fd_t a, cloudabi_fd_t b)
{
	cloudabi_fdstat_t dst = stat_of(dir, NULL);
	cloudabi_rights_t r = dst.fs_rights_base & ~CLOUDABI_RIGHT_FILE_UNLINK;
	cloudabi_fd_t d2;
	cloudabi_sys_fd_dup(dir, &d2);
	put_rights(d2, r, dst.fs_rights_inheriting & ~CLOUDABI_RIGHT_FD_SEEK);
	CHECK_EQ(send_fds(a, "dir", &d2, 1), 0, "send a directory");
	struct got g;
	CHECK_EQ(recv_fds(b, &g, sizeof(g.data), 1, 0), 0, "receive it");
	CHECK_EQ(g.out.ro_fdslen, 1, "one descriptor arrives");
	cloudabi_fd_t rd = g.fds[0];
	cloudabi_fdstat_t st = stat_of(rd, NULL);
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_DIRECTORY,
		 "it is a directory");
	CHECK_EQ(st.fs_rights_base, r, "with the rights it was sent with");
	CHECK_EQ(st.fs_rights_inheriting,
		 dst.fs_rights_inheriting & ~CLOUDABI_RIGHT_FD_SEEK,
		 "and its inheriting rights");
	char buf[8];
	CHECK_EQ(raw_write(rd, "x", 1), -LINUX_EINVAL,
		 "the guest holds a placeholder (an epoll descriptor), not the "
		 "directory: a raw write() is EINVAL");
	(void)buf;

	cloudabi_fdstat_t want = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
				  CLOUDABI_RIGHT_FD_WRITE |
				  CLOUDABI_RIGHT_FD_SEEK,
	};
	cloudabi_fd_t f;
	cloudabi_lookup_t at = {.fd = rd};
	cloudabi_errno_t err = cloudabi_sys_file_open(
		at, "via-socket", 10, CLOUDABI_O_CREAT, &want, &f);
	CHECK_EQ(err, 0, "file_open through the received directory");
	if (err == 0) {
		CHECK_EQ(put(f, "made"), 0, "creates a writable file");
		cloudabi_fd_t f2;
		cloudabi_lookup_t at2 = {.fd = dir};
		want.fs_rights_base = CLOUDABI_RIGHT_FD_READ;
		CHECK_EQ(cloudabi_sys_file_open(at2, "via-socket", 10, 0, &want,
						&f2),
			 0, "the file is in the original directory");
		char text[8] = {0};
		size_t n;
		CHECK(get(f2, text, sizeof(text), &n) == 0 && n == 4 &&
			      memcmp(text, "made", 4) == 0,
		      "with what was written through the received one");
		cloudabi_sys_fd_close(f);
		cloudabi_sys_fd_close(f2);
		CHECK_EQ(cloudabi_sys_file_unlink(rd, "via-socket", 10, 0),
			 CLOUDABI_ENOTCAPABLE,
			 "the right removed before sending (FILE_UNLINK) is "
			 "missing on arrival");
	}
	cloudabi_sys_fd_close(rd);
	cloudabi_sys_fd_close(d2);
}

/* A file narrowed (and so reopened read-only) stays read-only for the
 * receiver, at the kernel level too. */
static void test_file_kernel(cloudabi_fd_t dir, cloudabi_fd_t a,
			     cloudabi_fd_t b)
{
	cloudabi_fdstat_t want = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
				  CLOUDABI_RIGHT_FD_WRITE |
				  CLOUDABI_RIGHT_FD_SEEK,
	};
	cloudabi_fd_t f;
	cloudabi_lookup_t at = {.fd = dir};
	cloudabi_errno_t err = cloudabi_sys_file_open(
		at, "ro-sent", 7, CLOUDABI_O_CREAT, &want, &f);
	CHECK_EQ(err, 0, "a file to narrow and send");
	if (err != 0)
		return;
	put(f, "file");
	put_rights(f, CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_SEEK, 0);
	CHECK_EQ(send_fds(a, "f", &f, 1), 0, "send a narrowed file");
	struct got g;
	recv_fds(b, &g, sizeof(g.data), 1, 0);
	CHECK_EQ(g.out.ro_fdslen, 1, "it arrives");
	cloudabi_fdstat_t st = stat_of(g.fds[0], NULL);
	CHECK_EQ(st.fs_rights_base,
		 CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_SEEK,
		 "read-only, as sent");
	CHECK_EQ(raw_write(g.fds[0], "x", 1), -LINUX_EBADF,
		 "and a raw write() on it is EBADF");
	char buf[8] = {0};
	cloudabi_iovec_t iov = {buf, 4};
	size_t n;
	CHECK(cloudabi_sys_fd_pread(g.fds[0], &iov, 1, 0, &n) == 0 && n == 4 &&
		      memcmp(buf, "file", 4) == 0,
	      "it reads the file");
	cloudabi_sys_fd_close(g.fds[0]);
	cloudabi_sys_fd_close(f);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	cloudabi_fd_t a, b;
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a,
					 &b),
		 0, "a stream socket pair");
	test_socket_travels(a, b);
	test_many(a, b);
	test_truncation(a, b, CLOUDABI_FILETYPE_SOCKET_STREAM);
	test_no_merge(a, b);
	test_errors(a, b);
	test_directory(dir, a, b);
	test_file_kernel(dir, a, b);
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);

	CHECK_EQ(
		cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM, &a, &b),
		0, "a datagram socket pair");
	test_socket_travels(a, b);
	test_truncation(a, b, CLOUDABI_FILETYPE_SOCKET_DGRAM);
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
	exit(check_done());
}

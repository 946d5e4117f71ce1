/* capbox-test-args: --dir-rw rw=@SCRATCH@ */
/* escape_leaks.c: a hostile guest looks for the host in what the broker sends it: credentials on stream sockets, the channel's peer credentials, padding bytes of reply structs. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_raw.h"
#include "file_test.h"

#define NR_getsockopt 55
#define L_SO_PEERCRED 17
#define L_SO_PEERSEC 31
#define L_SO_PEERGROUPS 59
#define L_SCM_CREDENTIALS 2
#define ROUNDS 300
#define LONG_NAME "a-file-with-a-long-name-\xff\xff\xff\xff"

/* Issue 12, finding 6: after the broker sent a descriptor on a stream
 * pair (it used to set SO_PASSCRED there), a raw recvmsg with room for
 * every control message finds SCM_RIGHTS only, never SCM_CREDENTIALS. */
static void test_no_credentials(void)
{
	cloudabi_fd_t a, b, shm;
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a,
					 &b),
		 0, "a stream socket pair");
	cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &shm);
	cloudabi_ciovec_t iov = {"xy", 2};
	cloudabi_send_in_t in = {.si_data = &iov,
				 .si_data_len = 1,
				 .si_fds = &shm,
				 .si_fds_len = 1};
	cloudabi_send_out_t out;
	CHECK_EQ(cloudabi_sys_sock_send(a, &in, &out), 0,
		 "the broker sends a descriptor on it");
	CHECK_EQ(raw(NR_write, a, "z", 1), 1, "then plain data");
	int creds = 0, rights = 0;
	for (int i = 0; i < 3; i++) {
		char data[8];
		_Alignas(8) unsigned char control[512];
		memset(control, 0, sizeof(control));
		struct l_iovec riov = {data, sizeof(data)};
		struct l_msghdr msg = {.iov = &riov,
				       .iovlen = 1,
				       .control = control,
				       .controllen = sizeof(control)};
		long n = raw(NR_recvmsg, b, &msg, 0x40 /* DONTWAIT */);
		if (n <= 0)
			break;
		for (size_t off = 0; off + 16 <= msg.controllen;) {
			struct l_cmsg_fd *c = (void *)(control + off);
			if (c->len < 16)
				break;
			creds += c->level == L_SOL_SOCKET &&
				 c->type == L_SCM_CREDENTIALS;
			rights += c->level == L_SOL_SOCKET &&
				  c->type == L_SCM_RIGHTS;
			off += (c->len + 7) & ~(size_t)7;
		}
	}
	CHECK_EQ(rights, 1, "the descriptor arrives (control)");
	CHECK_EQ(creds, 0, "no SCM_CREDENTIALS: no broker pid or uid");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
	cloudabi_sys_fd_close(shm);
}

/* Peer credentials name the broker: refused on the channel and on a
 * socket pair the broker made. */
static void test_peer_options(void)
{
	cloudabi_fd_t a, b;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	const int fds[] = {ESC_FD_CHANNEL, (int)a};
	const int opts[] = {L_SO_PEERCRED, L_SO_PEERSEC, L_SO_PEERGROUPS};
	for (size_t f = 0; f < 2; f++) {
		for (size_t o = 0; o < 3; o++) {
			unsigned char buf[256];
			unsigned len = sizeof(buf);
			CHECK_EQ(raw(NR_getsockopt, fds[f], L_SOL_SOCKET,
				     opts[o], buf, &len),
				 -L_EPERM, "getsockopt(%d, option %d): EPERM",
				 fds[f], opts[o]);
		}
	}
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
}

static int nonzero(const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i] != 0)
			return 1;
	return 0;
}

/* Issue 12, finding 7: padding bytes of dirents (21-23), filestat
 * (17-19) and fdstat (1, 4-7) are zero in every reply, interleaved with
 * calls that leave other data on the broker's stack. */
static void test_padding(cloudabi_fd_t dir)
{
	CHECK_EQ(ft_put(dir, LONG_NAME, "x"), 0, "a file");
	cloudabi_fd_t f;
	CHECK_EQ(ft_open(dir, LONG_NAME, 0, &f), 0, "opened");
	int bad_dirent = 0, bad_stat = 0, bad_fdstat = 0;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned char buf[4096];
		size_t used = 0;
		if (cloudabi_sys_file_readdir(dir, buf, sizeof(buf),
					      CLOUDABI_DIRCOOKIE_START,
					      &used) == 0) {
			for (size_t off = 0;
			     off + sizeof(cloudabi_dirent_t) <= used;) {
				cloudabi_dirent_t d;
				memcpy(&d, buf + off, sizeof(d));
				bad_dirent += nonzero(buf + off, 21, 24);
				off += sizeof(d) + d.d_namlen;
			}
		}
		cloudabi_filestat_t st;
		memset(&st, 0, sizeof(st));
		cloudabi_sys_file_stat_fget(f, &st);
		bad_stat += nonzero((unsigned char *)&st, 17, 20);
		memset(&st, 0, sizeof(st));
		cloudabi_sys_file_stat_get(ft_at(dir, 0), LONG_NAME,
					   strlen(LONG_NAME), &st);
		bad_stat += nonzero((unsigned char *)&st, 17, 20);
		cloudabi_fdstat_t fs;
		memset(&fs, 0, sizeof(fs));
		cloudabi_sys_fd_stat_get(f, &fs);
		bad_fdstat += nonzero((unsigned char *)&fs, 1, 2) +
			      nonzero((unsigned char *)&fs, 4, 8);
	}
	CHECK_EQ(bad_dirent, 0, "dirent padding is zero in %d replies", ROUNDS);
	CHECK_EQ(bad_stat, 0, "filestat padding is zero in %d replies",
		 2 * ROUNDS);
	CHECK_EQ(bad_fdstat, 0, "fdstat padding is zero in %d replies", ROUNDS);
	cloudabi_sys_fd_close(f);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	test_no_credentials();
	test_peer_options();
	test_padding(ft_grant(ad, "rw"));
	exit(check_done());
}

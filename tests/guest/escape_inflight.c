/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* escape_inflight.c: descriptors sent through the broker keep the rights they were sent with: capped by the receiving socket's inheriting rights (also when peeked), never forgotten while their message waits, even when a guest floods the registry. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "escape_fds.h"
#include "escape_raw.h"
#include "file_test.h"
#include "guest.h"

/* Rights the file is sent with: no size, allocate, times or exec. */
#define NARROW (CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FILE_STAT_FGET)
#define FLOOD 1100

static cloudabi_fd_t out_fd, dir;

static void pair_of(cloudabi_filetype_t type, cloudabi_fd_t pair[2])
{
	CHECK_EQ(cloudabi_sys_fd_create2(type, &pair[0], &pair[1]), 0,
		 "a socket pair");
}
/*
 * Finding 5 of issue 12: the receiving socket's inheriting rights cap
 * what arrives on it (docs/CONFIG.md).  The receiver sets them to 0; a
 * wide file, and a directory, sent to it arrive with no rights, whether
 * peeked (MSG_PEEK) first or received at once.
 */
static void receiver_inheriting(void)
{
	cloudabi_fd_t pair[2];
	pair_of(CLOUDABI_FILETYPE_SOCKET_DGRAM, pair);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(pair[1], &st), 0, "its rights");
	st.fs_rights_inheriting = 0;
	CHECK_EQ(cloudabi_sys_fd_stat_put(pair[1], &st, CLOUDABI_FDSTAT_RIGHTS),
		 0, "the receiver passes on no rights");
	CHECK_EQ(ft_put(dir, "wide", "wide"), 0, "a file");
	cloudabi_fd_t wide;
	CHECK_EQ(ft_open(dir, "wide", 0, &wide), 0, "opened with every right");
	const struct {
		cloudabi_fd_t fd;
		const char *what;
	} objects[] = {{wide, "a read-write file"}, {dir, "a directory"}};
	for (size_t i = 0; i < 2; i++) {
		const char *what = objects[i].what;
		CHECK_EQ(escape_send_fd(pair[0], objects[i].fd), 0,
			 "%s is sent", what);
		cloudabi_fd_t peeked, got;
		cloudabi_recv_out_t out;
		CHECK_EQ(escape_recv_fd(pair[1], CLOUDABI_SOCK_RECV_PEEK,
					&peeked, &out),
			 0, "%s: peeked", what);
		CHECK_EQ(out.ro_fdslen, 1, "%s: the peek sees it", what);
		CHECK_EQ(escape_rights_of(peeked), 0,
			 "%s: peeked with no rights", what);
		CHECK_EQ(escape_recv_fd(pair[1], 0, &got, &out), 0,
			 "%s: received", what);
		CHECK_EQ(out.ro_fdslen, 1, "%s: the receive takes it", what);
		CHECK_EQ(escape_rights_of(got), 0,
			 "%s: received with no rights", what);
		cloudabi_filestat_t size = {.st_size = 0};
		CHECK_EQ(cloudabi_sys_file_stat_fput(got, &size,
						     CLOUDABI_FILESTAT_SIZE),
			 CLOUDABI_ENOTCAPABLE, "%s: truncating: ENOTCAPABLE",
			 what);
		cloudabi_fd_t inner;
		CHECK_EQ(ft_open(got, "wide", 0, &inner), CLOUDABI_ENOTCAPABLE,
			 "%s: opening beneath it: ENOTCAPABLE", what);
		cloudabi_sys_fd_close(peeked);
		cloudabi_sys_fd_close(got);
	}
	cloudabi_sys_fd_close(wide);
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
	escape_check_broker(out_fd,
			    "receiving on a socket that passes on nothing");
}

/*
 * Finding 4 of issue 12: a narrowed file is sent and left waiting; 1,100
 * more descriptors are sent and drained with a raw recvmsg (their records
 * stay behind).  The broker used to evict the oldest record, so the first
 * message came back with the defaults of a read-write file.  Now the
 * flood is refused with ENOBUFS once the quota is used, and the waiting
 * message keeps its rights.  Last in this program: the quota stays used.
 */
static void registry_flood(void)
{
	cloudabi_fd_t waiting[2], flood[2];
	pair_of(CLOUDABI_FILETYPE_SOCKET_DGRAM, waiting);
	pair_of(CLOUDABI_FILETYPE_SOCKET_DGRAM, flood);
	CHECK_EQ(ft_put(dir, "narrow", "twelve bytes"), 0, "a file");
	cloudabi_fd_t narrow;
	CHECK_EQ(ft_open_rights(dir, "narrow", 0, NARROW, 0, 0, &narrow), 0,
		 "opened read-only, narrow");
	CHECK_EQ(escape_send_fd(waiting[0], narrow), 0,
		 "the narrowed file is sent");
	CHECK_EQ(cloudabi_sys_fd_close(narrow), 0, "and closed");
	size_t sent = 0, refused = 0, other = 0, drained = 0;
	for (int i = 0; i < FLOOD; i++) {
		cloudabi_errno_t err = escape_send_fd(flood[0], out_fd);
		if (err == 0)
			sent++;
		else if (err == CLOUDABI_ENOBUFS)
			refused++;
		else
			other++;
		int fd;
		if (esc_recv_fd((int)flood[1], &fd) == 1 && fd >= 0) {
			drained++;
			raw(NR_close, fd);
		}
	}
	CHECK_EQ(other, 0, "every flooding send succeeds or is ENOBUFS");
	CHECK_EQ(drained, sent, "every message sent is drained raw");
	CHECK(refused > 0 && sent < FLOOD,
	      "the flood is refused once the quota is used (%zu sent, %zu "
	      "refused)",
	      sent, refused);
	cloudabi_fd_t got;
	cloudabi_recv_out_t out;
	CHECK_EQ(escape_recv_fd(waiting[1], 0, &got, &out), 0,
		 "the first message is received");
	CHECK_EQ(out.ro_fdslen, 1, "with its descriptor");
	cloudabi_fdstat_t st = {0};
	CHECK_EQ(cloudabi_sys_fd_stat_get(got, &st), 0, "its rights");
	CHECK((st.fs_rights_base & ~(cloudabi_rights_t)NARROW) == 0,
	      "no right it was not sent with (extra %#llx)",
	      (unsigned long long)(st.fs_rights_base & ~NARROW));
	cloudabi_filestat_t size = {.st_size = 0};
	CHECK_EQ(
		cloudabi_sys_file_stat_fput(got, &size, CLOUDABI_FILESTAT_SIZE),
		CLOUDABI_ENOTCAPABLE, "truncating it: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_allocate(got, 0, 4096), CLOUDABI_ENOTCAPABLE,
		 "file_allocate: ENOTCAPABLE");
	cloudabi_filestat_t fst;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(dir, 0), "narrow", 6, &fst),
		 0, "stat of the file");
	CHECK_EQ(fst.st_size, 12, "the file is unchanged");
	escape_check_broker(out_fd, "flooding the in-flight registry");
}

void program_main(const argdata_t *ad)
{
	out_fd = check_out_fd = guest_out_fd(ad);
	dir = guest_grant_fd(ad, "dir");
	receiver_inheriting();
	registry_flood();
	exit(check_done());
}

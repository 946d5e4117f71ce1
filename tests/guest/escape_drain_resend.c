/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* escape_drain_resend.c: a socket's inheriting rights (0) cannot be bypassed by draining its message raw and resending the kernel descriptor on a fresh socket pair (found by review). */
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

static cloudabi_fd_t out_fd, dir;

/*
 * The receiver's socket passes on no rights (docs/CONFIG.md; issue 12
 * finding 5).  Process A sends a wide file / a directory to it.  Instead
 * of sock_recv, the receiver drains the message with a raw recvmsg (a
 * file's kernel descriptor, or a directory's token), sends that raw on a
 * fresh fd_create2 pair (full inheriting rights) and receives it there,
 * where the in-flight record (matched by the object, not the socket)
 * handed out the sender's rights before sendmsg was refused.
 */
static void launder(cloudabi_fd_t object, const char *what)
{
	cloudabi_fd_t narrow[2], fresh[2];
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM,
					 &narrow[0], &narrow[1]),
		 0, "%s: a pair", what);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(narrow[1], &st), 0, "its rights");
	st.fs_rights_inheriting = 0;
	CHECK_EQ(cloudabi_sys_fd_stat_put(narrow[1], &st,
					  CLOUDABI_FDSTAT_RIGHTS),
		 0, "%s: the receiver passes on no rights", what);
	CHECK_EQ(escape_send_fd(narrow[0], object), 0, "%s: sent", what);
	int kernel = -1;
	CHECK_EQ(esc_recv_fd((int)narrow[1], &kernel), 1,
		 "%s: drained with a raw recvmsg", what);
	CHECK(kernel >= 0, "%s: its kernel descriptor / token", what);
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM,
					 &fresh[0], &fresh[1]),
		 0, "%s: a fresh pair", what);
	/* The filter refuses sendmsg: nothing can put a raw descriptor in a
	 * message the broker would claim.  Were it allowed again, the
	 * checks below must still hold. */
	long sent = esc_send_fd((int)fresh[0], kernel);
	raw(NR_close, kernel);
	CHECK_EQ(sent, -L_EPERM, "%s: a raw resend is refused (EPERM)", what);
	if (sent != 1) {
		escape_check_broker(out_fd, "laundering through a raw drain");
		return;
	}
	cloudabi_fd_t got;
	cloudabi_recv_out_t out;
	CHECK_EQ(escape_recv_fd(fresh[1], 0, &got, &out), 0, "%s: sock_recv",
		 what);
	if (out.ro_fdslen == 1) {
		cloudabi_rights_t rights = escape_rights_of(got);
		CHECK_EQ(rights, 0,
			 "%s: arrives with no rights (the narrowed socket's "
			 "inheriting rights)",
			 what);
		cloudabi_fd_t inner;
		CHECK(ft_open(got, "wide", 0, &inner) != 0,
		      "%s: cannot open beneath it", what);
		cloudabi_filestat_t size = {.st_size = 0};
		CHECK(cloudabi_sys_file_stat_fput(got, &size,
						  CLOUDABI_FILESTAT_SIZE) != 0,
		      "%s: cannot truncate it", what);
	} else {
		CHECK(out.ro_flags & CLOUDABI_SOCK_RECV_FDS_TRUNCATED,
		      "%s: refused", what);
	}
	escape_check_broker(out_fd, "laundering through a raw drain");
}

void program_main(const argdata_t *ad)
{
	out_fd = check_out_fd = guest_out_fd(ad);
	dir = guest_grant_fd(ad, "dir");
	CHECK_EQ(ft_put(dir, "wide", "wide file"), 0, "a file");
	cloudabi_fd_t wide;
	CHECK_EQ(ft_open(dir, "wide", 0, &wide), 0, "opened with every right");
	launder(wide, "a read-write file");
	launder(dir, "a directory");
	exit(check_done());
}

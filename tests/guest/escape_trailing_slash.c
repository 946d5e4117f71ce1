/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* escape_trailing_slash.c: file_unlink follows a trailing-slash symlink as FreeBSD does, and never out of its directory: loops, long expansions, escapes (found holding by review). */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "file_test.h"
#include "guest.h"

static cloudabi_fd_t dir;

static cloudabi_errno_t link_(const char *target, const char *name)
{
	return cloudabi_sys_file_symlink(target, strlen(target), dir, name,
					 strlen(name));
}

static cloudabi_errno_t unlink_(const char *path, int flags)
{
	return cloudabi_sys_file_unlink(dir, path, strlen(path), flags);
}

void program_main(const argdata_t *ad)
{
	int out = check_out_fd = guest_out_fd(ad);
	dir = guest_grant_fd(ad, "dir");
	CHECK_EQ(link_("loop", "loop"), 0, "a self loop");
	CHECK_EQ(unlink_("loop/", 0), CLOUDABI_ELOOP, "loop/: ELOOP");
	CHECK_EQ(link_("grow/grow/grow/grow/grow/grow/grow/grow/grow/", "grow"),
		 0, "a growing link");
	cloudabi_errno_t e = unlink_("grow/", CLOUDABI_UNLINK_REMOVEDIR);
	CHECK(e == CLOUDABI_ELOOP || e == CLOUDABI_ENAMETOOLONG,
	      "grow/: ELOOP or ENAMETOOLONG (%d)", e);
	CHECK_EQ(link_("../../../..", "up"), 0, "a link upwards");
	CHECK_EQ(unlink_("up/", CLOUDABI_UNLINK_REMOVEDIR),
		 CLOUDABI_ENOTCAPABLE, "up/: ENOTCAPABLE");
	CHECK_EQ(link_("/tmp", "abs"), 0, "an absolute link");
	CHECK_EQ(unlink_("abs/", CLOUDABI_UNLINK_REMOVEDIR),
		 CLOUDABI_ENOTCAPABLE, "abs/: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_create(dir, "d", 1,
					  CLOUDABI_FILETYPE_DIRECTORY),
		 0, "a directory d");
	CHECK_EQ(link_("d/../../x", "esc"), 0, "d/../../x");
	CHECK_EQ(unlink_("esc/", CLOUDABI_UNLINK_REMOVEDIR),
		 CLOUDABI_ENOTCAPABLE, "esc/: ENOTCAPABLE");
	char longname[300];
	memset(longname, 'a', 255);
	longname[255] = 0;
	CHECK_EQ(link_(longname, "l0"), 0, "a long target");
	char chain[4096];
	size_t n = 0;
	for (; n + 3 < 4000; n += 3)
		memcpy(chain + n, "l0/", 3);
	chain[n] = 0;
	e = unlink_(chain, 0);
	CHECK(e != 0, "a 4000-byte chain: refused (%d)", e);
	escape_check_broker(out, "trailing-slash probes");
	exit(check_done());
}

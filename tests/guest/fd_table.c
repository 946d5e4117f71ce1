/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* fd_table.c: fd_create1, fd_create2, fd_dup, fd_replace, fd_close, fd_stat_get and fd_stat_put (flags; rights only shrink, and the kernel access mode follows). */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "guest_fd.h"

#define LINUX_EBADF 9

static cloudabi_errno_t put_flags(cloudabi_fd_t fd, cloudabi_fdflags_t flags)
{
	cloudabi_fdstat_t st = {.fs_flags = flags};
	return cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_FLAGS);
}

static void test_create1(void)
{
	cloudabi_fd_t shm;
	cloudabi_errno_t err;
	CHECK_EQ(cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &shm),
		 0, "fd_create1(shared_memory) succeeds");
	cloudabi_fdstat_t st = stat_of(shm, &err);
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_SHARED_MEMORY,
		 "it is shared memory");
	CHECK((st.fs_rights_base &
	       (CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
		CLOUDABI_RIGHT_MEM_MAP)) ==
		      (CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
		       CLOUDABI_RIGHT_MEM_MAP),
	      "with read, write and mem_map rights");
	CHECK_EQ(put(shm, "shared"), 0, "shared memory takes a write");
	cloudabi_filesize_t off;
	CHECK_EQ(cloudabi_sys_fd_seek(shm, 0, CLOUDABI_WHENCE_SET, &off),
		 CLOUDABI_ENOTCAPABLE, "but has no fd_seek right");
	char buf[16];
	size_t n;
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	CHECK_EQ(cloudabi_sys_fd_pread(shm, &iov, 1, 0, &n),
		 CLOUDABI_ENOTCAPABLE, "nor fd_pread (needs fd_seek)");
	CHECK_EQ(cloudabi_sys_fd_close(shm), 0, "closes");

	static const cloudabi_filetype_t bad[] = {
		CLOUDABI_FILETYPE_UNKNOWN,
		CLOUDABI_FILETYPE_REGULAR_FILE,
		CLOUDABI_FILETYPE_DIRECTORY,
		CLOUDABI_FILETYPE_SOCKET_STREAM,
		CLOUDABI_FILETYPE_SOCKET_DGRAM,
		CLOUDABI_FILETYPE_PROCESS,
		CLOUDABI_FILETYPE_SYMBOLIC_LINK,
		0xff,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cloudabi_fd_t fd = 12345;
		CHECK_EQ(cloudabi_sys_fd_create1(bad[i], &fd), CLOUDABI_EINVAL,
			 "fd_create1(type %#x) is EINVAL", bad[i]);
	}
}

static void test_create2(cloudabi_filetype_t type, const char *name)
{
	cloudabi_fd_t a, b;
	cloudabi_errno_t err;
	CHECK_EQ(cloudabi_sys_fd_create2(type, &a, &b), 0,
		 "fd_create2(%s) succeeds", name);
	CHECK(a != b, "%s: two different descriptors (%u, %u)", name, a, b);
	cloudabi_fdstat_t sa = stat_of(a, &err);
	cloudabi_fdstat_t sb = stat_of(b, &err);
	CHECK_EQ(sa.fs_filetype, type, "%s: the first has the type", name);
	CHECK_EQ(sb.fs_filetype, type, "%s: the second too", name);
	CHECK((sa.fs_rights_base & CLOUDABI_RIGHT_SOCK_SHUTDOWN) &&
		      (sa.fs_rights_base & CLOUDABI_RIGHT_FD_READ) &&
		      (sa.fs_rights_base & CLOUDABI_RIGHT_FD_WRITE),
	      "%s: socket rights (read, write, shutdown)", name);
	CHECK_EQ(sa.fs_rights_base, sb.fs_rights_base,
		 "%s: both ends have the same rights", name);
	CHECK_EQ(put(a, "ping"), 0, "%s: write one end", name);
	char buf[8] = {0};
	size_t n;
	CHECK(get(b, buf, sizeof(buf), &n) == 0 && n == 4 &&
		      memcmp(buf, "ping", 4) == 0,
	      "%s: read it at the other", name);
	CHECK_EQ(put(b, "pong"), 0, "%s: and back", name);
	CHECK(get(a, buf, sizeof(buf), &n) == 0 && n == 4 &&
		      memcmp(buf, "pong", 4) == 0,
	      "%s: both directions work", name);
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
}

static void test_create2_errors(void)
{
	static const cloudabi_filetype_t bad[] = {
		CLOUDABI_FILETYPE_UNKNOWN,
		CLOUDABI_FILETYPE_REGULAR_FILE,
		CLOUDABI_FILETYPE_SHARED_MEMORY,
		CLOUDABI_FILETYPE_DIRECTORY,
		0x81,
		0xff,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cloudabi_fd_t a, b;
		CHECK_EQ(cloudabi_sys_fd_create2(bad[i], &a, &b),
			 CLOUDABI_EINVAL, "fd_create2(type %#x) is EINVAL",
			 bad[i]);
	}
}

static void test_dup_close(void)
{
	cloudabi_fd_t a, b, c;
	cloudabi_errno_t err;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	CHECK_EQ(cloudabi_sys_fd_dup(a, &c), 0, "fd_dup succeeds");
	CHECK(c != a && c != b, "to a new number (%u)", c);
	cloudabi_fdstat_t sa = stat_of(a, &err), sc = stat_of(c, &err);
	CHECK(sa.fs_rights_base == sc.fs_rights_base &&
		      sa.fs_rights_inheriting == sc.fs_rights_inheriting &&
		      sa.fs_filetype == sc.fs_filetype,
	      "the duplicate has the same type and rights");
	CHECK_EQ(put(c, "dup"), 0, "writing through the duplicate");
	char buf[8];
	size_t n;
	CHECK(get(b, buf, sizeof(buf), &n) == 0 && n == 3,
	      "reaches the same socket");

	/* Narrowed rights travel with a duplicate. */
	CHECK_EQ(put_rights(c, CLOUDABI_RIGHT_FD_READ, 0), 0,
		 "narrowing the duplicate's rights");
	cloudabi_fd_t d;
	CHECK_EQ(cloudabi_sys_fd_dup(c, &d), 0, "duplicating it");
	cloudabi_fdstat_t sd = stat_of(d, &err);
	CHECK(sd.fs_rights_base == CLOUDABI_RIGHT_FD_READ &&
		      sd.fs_rights_inheriting == 0,
	      "keeps the narrowed rights");
	CHECK_EQ(put(d, "x"), CLOUDABI_ENOTCAPABLE,
		 "so fd_write on it is ENOTCAPABLE");
	sa = stat_of(a, &err);
	CHECK(sa.fs_rights_base & CLOUDABI_RIGHT_FD_WRITE,
	      "the original keeps its rights");

	/* Lowest free number. */
	CHECK_EQ(cloudabi_sys_fd_close(c), 0, "fd_close succeeds");
	cloudabi_fd_t e;
	CHECK_EQ(cloudabi_sys_fd_dup(a, &e), 0, "dup again");
	CHECK_EQ(e, c, "takes the lowest free number");
	CHECK_EQ(cloudabi_sys_fd_close(e), 0, "close it");
	CHECK_EQ(cloudabi_sys_fd_close(e), CLOUDABI_EBADF,
		 "closing twice is EBADF");
	stat_of(e, &err);
	CHECK_EQ(err, CLOUDABI_EBADF,
		 "fd_stat_get on a closed number is EBADF");
	CHECK_EQ(cloudabi_sys_fd_dup(e, &c), CLOUDABI_EBADF,
		 "fd_dup of a closed number is EBADF");
	CHECK_EQ(cloudabi_sys_fd_dup(5000, &c), CLOUDABI_EBADF,
		 "fd_dup of a number beyond the table is EBADF");
	CHECK_EQ(cloudabi_sys_fd_close(1024), CLOUDABI_EBADF,
		 "fd_close of the shim's channel number is EBADF");
	CHECK_EQ(cloudabi_sys_fd_close(UINT32_MAX), CLOUDABI_EBADF,
		 "fd_close(UINT32_MAX) is EBADF");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
	cloudabi_sys_fd_close(d);
}

static void test_replace(void)
{
	cloudabi_fd_t a, b, x, y;
	cloudabi_errno_t err;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM, &x, &y);
	CHECK_EQ(put_rights(a, CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FD_READ,
			    0),
		 0, "narrow the stream socket's rights");
	CHECK_EQ(cloudabi_sys_fd_replace(a, x), 0, "fd_replace succeeds");
	cloudabi_fdstat_t sx = stat_of(x, &err);
	CHECK_EQ(sx.fs_filetype, CLOUDABI_FILETYPE_SOCKET_STREAM,
		 "the target now is the stream socket");
	CHECK(sx.fs_rights_base == (CLOUDABI_RIGHT_FD_WRITE |
				    CLOUDABI_RIGHT_FD_READ) &&
		      sx.fs_rights_inheriting == 0,
	      "with the source's rights");
	CHECK_EQ(put(x, "via x"), 0, "writing through the target");
	char buf[16];
	size_t n;
	CHECK(get(b, buf, sizeof(buf), &n) == 0 && n == 5 &&
		      memcmp(buf, "via x", 5) == 0,
	      "reaches the source's peer: the kernel descriptor was replaced");
	CHECK_EQ(put(y, "lost"), CLOUDABI_ECONNREFUSED,
		 "the old object's last descriptor is gone: its datagram peer "
		 "gets ECONNREFUSED");
	CHECK_EQ(cloudabi_sys_fd_replace(a, a), 0,
		 "replacing with itself is 0");
	CHECK_EQ(put(a, "x"), 0, "and keeps it usable");
	get(b, buf, sizeof(buf), &n);
	CHECK_EQ(cloudabi_sys_fd_replace(777, a), CLOUDABI_EBADF,
		 "an absent source is EBADF");
	CHECK_EQ(cloudabi_sys_fd_replace(a, 777), CLOUDABI_EBADF,
		 "an absent target is EBADF");
	CHECK_EQ(cloudabi_sys_fd_replace(a, 4096), CLOUDABI_EBADF,
		 "a target beyond the table is EBADF");
	stat_of(777, &err);
	CHECK_EQ(err, CLOUDABI_EBADF, "and fd_replace created nothing");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
	cloudabi_sys_fd_close(x);
	cloudabi_sys_fd_close(y);
}

static void test_flags(void)
{
	cloudabi_fd_t a, b;
	cloudabi_errno_t err;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	cloudabi_fdstat_t st = stat_of(a, &err);
	CHECK_EQ(st.fs_flags, 0, "a new socket has no flags");
	CHECK_EQ(put_flags(a, CLOUDABI_FDFLAG_NONBLOCK), 0,
		 "setting NONBLOCK succeeds");
	st = stat_of(a, &err);
	CHECK_EQ(st.fs_flags, CLOUDABI_FDFLAG_NONBLOCK,
		 "fd_stat_get reports NONBLOCK");
	char buf[4];
	size_t n;
	CHECK_EQ(get(a, buf, sizeof(buf), &n), CLOUDABI_EAGAIN,
		 "a non-blocking read of an empty socket is EAGAIN");
	CHECK_EQ(put_flags(a, 0), 0, "clearing the flags");
	st = stat_of(a, &err);
	CHECK_EQ(st.fs_flags, 0, "fd_stat_get reports none");
	CHECK_EQ(put_flags(a, CLOUDABI_FDFLAG_DSYNC), CLOUDABI_ENOTSUP,
		 "DSYNC cannot be changed on an open descriptor: ENOTSUP");
	CHECK_EQ(put_flags(a, CLOUDABI_FDFLAG_SYNC), CLOUDABI_ENOTSUP,
		 "SYNC: ENOTSUP");
	CHECK_EQ(put_flags(a, CLOUDABI_FDFLAG_RSYNC), CLOUDABI_ENOTSUP,
		 "RSYNC: ENOTSUP");
	CHECK_EQ(put_flags(a, 0x20), CLOUDABI_EINVAL,
		 "an undefined fdflag is EINVAL");
	cloudabi_fdstat_t any = {0};
	CHECK_EQ(cloudabi_sys_fd_stat_put(a, &any, 0x04), CLOUDABI_EINVAL,
		 "an undefined fdsflag is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_stat_put(900, &any, CLOUDABI_FDSTAT_FLAGS),
		 CLOUDABI_EBADF, "fd_stat_put on an absent fd is EBADF");
	CHECK_EQ(put_rights(a, CLOUDABI_RIGHT_FD_READ, 0), 0,
		 "drop FD_STAT_PUT_FLAGS");
	CHECK_EQ(put_flags(a, CLOUDABI_FDFLAG_NONBLOCK), CLOUDABI_ENOTCAPABLE,
		 "then setting flags is ENOTCAPABLE");
	st = stat_of(a, &err);
	CHECK_EQ(st.fs_flags, 0, "and changed nothing");
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
}

static void test_rights_shrink(void)
{
	cloudabi_fd_t a, b;
	cloudabi_errno_t err;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	cloudabi_fdstat_t st = stat_of(a, &err);
	cloudabi_rights_t base = st.fs_rights_base;
	cloudabi_rights_t inh = st.fs_rights_inheriting;
	CHECK_EQ(put_rights(a, base | CLOUDABI_RIGHT_FD_SEEK, inh),
		 CLOUDABI_ENOTCAPABLE, "adding a base right is ENOTCAPABLE");
	CHECK_EQ(put_rights(a, base, inh & ~CLOUDABI_RIGHT_FD_SEEK), 0,
		 "dropping an inheriting right (FD_SEEK)");
	CHECK_EQ(put_rights(a, base, inh), CLOUDABI_ENOTCAPABLE,
		 "adding it back is ENOTCAPABLE");
	inh &= ~CLOUDABI_RIGHT_FD_SEEK;
	CHECK_EQ(put_rights(a, ~(cloudabi_rights_t)0, ~(cloudabi_rights_t)0),
		 CLOUDABI_ENOTCAPABLE, "asking for all rights is ENOTCAPABLE");
	st = stat_of(a, &err);
	CHECK(st.fs_rights_base == base && st.fs_rights_inheriting == inh,
	      "failed attempts change nothing");
	CHECK_EQ(put_rights(a, base, inh), 0, "keeping the same rights is 0");
	CHECK_EQ(put_rights(a, base & ~CLOUDABI_RIGHT_FD_WRITE, 0), 0,
		 "dropping FD_WRITE and all inheriting rights");
	st = stat_of(a, &err);
	CHECK(st.fs_rights_base == (base & ~CLOUDABI_RIGHT_FD_WRITE) &&
		      st.fs_rights_inheriting == 0,
	      "fd_stat_get shows exactly the smaller rights");
	CHECK_EQ(put(a, "no"), CLOUDABI_ENOTCAPABLE,
		 "fd_write is now ENOTCAPABLE");
	CHECK_EQ(put_rights(a, base, 0), CLOUDABI_ENOTCAPABLE,
		 "and FD_WRITE cannot come back");
	CHECK_EQ(put_rights(a, 0, 0), 0, "dropping every right");
	char buf[4];
	size_t n;
	CHECK_EQ(get(a, buf, sizeof(buf), &n), CLOUDABI_ENOTCAPABLE,
		 "then fd_read is ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_fd_close(a), 0,
		 "a descriptor without rights can still be closed");
	cloudabi_sys_fd_close(b);
}

/* Removing FD_WRITE / FD_READ from a regular file reopens the kernel
 * descriptor, so a raw system call is refused by Linux too. */
static void test_rights_kernel(cloudabi_fd_t dir)
{
	cloudabi_fd_t f;
	cloudabi_fdstat_t want = {
		.fs_rights_base =
			CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
			CLOUDABI_RIGHT_FD_SEEK | CLOUDABI_RIGHT_FD_TELL |
			CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS,
	};
	cloudabi_lookup_t at = {.fd = dir};
	cloudabi_errno_t err = cloudabi_sys_file_open(
		at, "narrow", 6, CLOUDABI_O_CREAT, &want, &f);
	CHECK_EQ(err, 0, "file_open creates a read-write file");
	CHECK_EQ(put(f, "0123456789"), 0, "write ten bytes");
	cloudabi_filesize_t off;
	CHECK_EQ(cloudabi_sys_fd_seek(f, 4, CLOUDABI_WHENCE_SET, &off), 0,
		 "seek to 4");
	CHECK_EQ(raw_write(f, "!", 1), 1,
		 "a raw write() works while FD_WRITE is held");
	CHECK_EQ(put_rights(f, want.fs_rights_base & ~CLOUDABI_RIGHT_FD_WRITE,
			    0),
		 0, "drop FD_WRITE");
	CHECK_EQ(raw_write(f, "!", 1), -LINUX_EBADF,
		 "now a raw write() fails with EBADF: the kernel descriptor "
		 "is read-only");
	CHECK_EQ(put(f, "x"), CLOUDABI_ENOTCAPABLE, "fd_write is ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_fd_seek(f, 0, CLOUDABI_WHENCE_CUR, &off), 0,
		 "tell after the reopen");
	CHECK_EQ(off, 5, "the offset survived the reopen");
	char buf[8] = {0};
	CHECK_EQ(raw_read(f, buf, 3), 3, "a raw read() still works");
	CHECK(memcmp(buf, "567", 3) == 0, "and reads the file's bytes");
	cloudabi_fdstat_t st = stat_of(f, &err);
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_REGULAR_FILE,
		 "still a regular file");
	CHECK_EQ(put_flags(f, CLOUDABI_FDFLAG_APPEND), 0,
		 "set APPEND on the reopened file");
	st = stat_of(f, &err);
	CHECK_EQ(st.fs_flags, CLOUDABI_FDFLAG_APPEND, "APPEND is reported");

	CHECK_EQ(put_rights(f, CLOUDABI_RIGHT_FD_SEEK, 0), 0,
		 "drop FD_READ as well");
	CHECK_EQ(raw_read(f, buf, 1), -LINUX_EBADF,
		 "a raw read() fails with EBADF too");
	CHECK_EQ(raw_write(f, "!", 1), -LINUX_EBADF,
		 "and a raw write() still fails");
	CHECK_EQ(cloudabi_sys_fd_seek(f, 2, CLOUDABI_WHENCE_SET, &off), 0,
		 "the right left still works: fd_seek");
	CHECK_EQ(off, 2, "to offset 2");
	st = stat_of(f, &err);
	CHECK(err == 0 && st.fs_rights_base == CLOUDABI_RIGHT_FD_SEEK,
	      "fd_stat_get shows the one right left");
	cloudabi_sys_fd_close(f);

	/* The other direction: a write-only result. */
	err = cloudabi_sys_file_open(at, "narrow", 6, 0, &want, &f);
	CHECK_EQ(err, 0, "reopen the file read-write");
	CHECK_EQ(put_rights(f, CLOUDABI_RIGHT_FD_WRITE, 0), 0,
		 "keep only FD_WRITE");
	CHECK_EQ(raw_read(f, buf, 1), -LINUX_EBADF,
		 "a raw read() fails with EBADF");
	CHECK_EQ(raw_write(f, "w", 1), 1, "a raw write() works");
	cloudabi_sys_fd_close(f);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	test_create1();
	test_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, "stream");
	test_create2(CLOUDABI_FILETYPE_SOCKET_DGRAM, "dgram");
	test_create2_errors();
	test_dup_close();
	test_replace();
	test_flags();
	test_rights_shrink();
	test_rights_kernel(dir);
	exit(check_done());
}

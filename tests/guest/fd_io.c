/* capbox-test-args: --dir-rw dir=@SCRATCH@ --file ro=@SRCDIR@/README.md */
/* fd_io.c: fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_sync, fd_datasync: results, vectors, offsets, and every error (EBADF, ENOTCAPABLE per right, EINVAL, EFAULT, EPIPE). */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "guest_fd.h"

#define LINUX_EBADF 9
#define IOV_TOO_MANY 1025

static cloudabi_filesize_t tell(cloudabi_fd_t fd)
{
	cloudabi_filesize_t off = UINT64_MAX;
	cloudabi_sys_fd_seek(fd, 0, CLOUDABI_WHENCE_CUR, &off);
	return off;
}

/* A duplicate of fd holding only `rights`. */
static cloudabi_fd_t with_rights(cloudabi_fd_t fd, cloudabi_rights_t rights)
{
	cloudabi_fd_t copy;
	if (cloudabi_sys_fd_dup(fd, &copy) != 0)
		return UINT32_MAX;
	if (put_rights(copy, rights, 0) != 0) {
		cloudabi_sys_fd_close(copy);
		return UINT32_MAX;
	}
	return copy;
}

static void test_rw(cloudabi_fd_t f)
{
	cloudabi_ciovec_t out[2] = {{"hello ", 6}, {"world", 5}};
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_fd_write(f, out, 2, &n), 0,
		 "fd_write with two vectors");
	CHECK_EQ(n, 11, "writes both (11 bytes)");
	CHECK_EQ(tell(f), 11, "the offset follows the write");
	cloudabi_filesize_t off = 99;
	CHECK_EQ(cloudabi_sys_fd_seek(f, 0, CLOUDABI_WHENCE_SET, &off), 0,
		 "seek to the start");
	CHECK_EQ(off, 0, "new offset 0");
	char a[2], b[3], c[32];
	cloudabi_iovec_t in[3] = {{a, 2}, {b, 3}, {c, sizeof(c)}};
	CHECK_EQ(cloudabi_sys_fd_read(f, in, 3, &n), 0,
		 "fd_read with three vectors");
	CHECK_EQ(n, 11, "reads all 11 bytes");
	CHECK(memcmp(a, "he", 2) == 0 && memcmp(b, "llo", 3) == 0 &&
		      memcmp(c, " world", 6) == 0,
	      "scattered over the vectors in order");
	CHECK(cloudabi_sys_fd_read(f, in, 3, &n) == 0 && n == 0,
	      "a read at the end returns 0 bytes");
	CHECK_EQ(cloudabi_sys_fd_read(f, in, 0, &n), 0,
		 "fd_read with no vectors succeeds");
	CHECK_EQ(n, 0, "and reads nothing");
	CHECK_EQ(cloudabi_sys_fd_seek(f, -5, CLOUDABI_WHENCE_END, &off), 0,
		 "seek 5 before the end");
	CHECK_EQ(off, 6, "lands at 6");
	CHECK_EQ(cloudabi_sys_fd_seek(f, 2, CLOUDABI_WHENCE_CUR, &off), 0,
		 "seek 2 forward");
	CHECK_EQ(off, 8, "lands at 8");
	CHECK_EQ(cloudabi_sys_fd_seek(f, 100, CLOUDABI_WHENCE_SET, &off), 0,
		 "seeking past the end is allowed");
	CHECK_EQ(off, 100, "lands at 100");
	CHECK_EQ(cloudabi_sys_fd_seek(f, -1, CLOUDABI_WHENCE_SET, &off),
		 CLOUDABI_EINVAL, "a negative offset is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_seek(f, -1000, CLOUDABI_WHENCE_CUR, &off),
		 CLOUDABI_EINVAL, "moving before the start is EINVAL");
	CHECK_EQ(tell(f), 100, "a failed seek leaves the offset");
	CHECK_EQ(cloudabi_sys_fd_seek(f, 0, 0, &off), CLOUDABI_EINVAL,
		 "whence 0 is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_seek(f, 0, 4, &off), CLOUDABI_EINVAL,
		 "whence 4 is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_seek(900, 0, 4, &off), CLOUDABI_EBADF,
		 "a bad descriptor is EBADF even with a bad whence");

	/* Positional I/O leaves the offset alone. */
	char w[8] = {0};
	cloudabi_iovec_t wi = {w, 5};
	CHECK_EQ(cloudabi_sys_fd_pread(f, &wi, 1, 6, &n), 0, "fd_pread at 6");
	CHECK(n == 5 && memcmp(w, "world", 5) == 0, "reads \"world\"");
	CHECK_EQ(tell(f), 100, "fd_pread does not move the offset");
	cloudabi_ciovec_t up = {"HELLO", 5};
	CHECK_EQ(cloudabi_sys_fd_pwrite(f, &up, 1, 0, &n), 0, "fd_pwrite at 0");
	CHECK_EQ(n, 5, "writes 5 bytes");
	CHECK_EQ(tell(f), 100, "fd_pwrite does not move the offset");
	CHECK(cloudabi_sys_fd_pread(f, &wi, 1, 0, &n) == 0 && n == 5 &&
		      memcmp(w, "HELLO", 5) == 0,
	      "fd_pread sees the fd_pwrite");
	CHECK(cloudabi_sys_fd_pread(f, &wi, 1, 1000, &n) == 0 && n == 0,
	      "fd_pread beyond the end reads 0 bytes");
	CHECK_EQ(cloudabi_sys_fd_pread(f, &wi, 1, UINT64_MAX, &n),
		 CLOUDABI_EINVAL, "fd_pread at an offset over 2^63 is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_pwrite(f, &up, 1, (cloudabi_filesize_t)1 << 63,
					&n),
		 CLOUDABI_EINVAL, "fd_pwrite at 2^63 is EINVAL");

	/* Vector bounds. */
	static cloudabi_iovec_t many[IOV_TOO_MANY];
	for (size_t i = 0; i < IOV_TOO_MANY; i++)
		many[i] = (cloudabi_iovec_t){w, 1};
	CHECK_EQ(cloudabi_sys_fd_read(f, many, IOV_TOO_MANY, &n),
		 CLOUDABI_EINVAL, "fd_read with 1025 vectors is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_write(f, (cloudabi_ciovec_t *)many,
				       IOV_TOO_MANY, &n),
		 CLOUDABI_EINVAL, "fd_write with 1025 vectors is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_pread(f, many, IOV_TOO_MANY, 0, &n),
		 CLOUDABI_EINVAL, "fd_pread with 1025 vectors is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_pwrite(f, (cloudabi_ciovec_t *)many,
					IOV_TOO_MANY, 0, &n),
		 CLOUDABI_EINVAL, "fd_pwrite with 1025 vectors is EINVAL");
	CHECK_EQ(cloudabi_sys_fd_pread(f, many, 1024, 0, &n), 0,
		 "1024 vectors are fine");
	CHECK_EQ(n, 11, "and read the whole file, one byte each");
	cloudabi_iovec_t bad = {(void *)8, 4};
	CHECK_EQ(cloudabi_sys_fd_pread(f, &bad, 1, 0, &n), CLOUDABI_EFAULT,
		 "a vector pointing at unmapped memory is EFAULT");
	cloudabi_ciovec_t badw = {(const void *)8, 4};
	CHECK_EQ(cloudabi_sys_fd_write(f, &badw, 1, &n), CLOUDABI_EFAULT,
		 "for writes too");
	CHECK_EQ(cloudabi_sys_fd_read(f, (cloudabi_iovec_t *)8, 1, &n),
		 CLOUDABI_EFAULT, "and a vector array that is not mapped");

	CHECK_EQ(cloudabi_sys_fd_sync(f), 0, "fd_sync");
	CHECK_EQ(cloudabi_sys_fd_datasync(f), 0, "fd_datasync");
}

struct needs {
	const char *call;
	cloudabi_rights_t missing;
};

/* Each call fails with ENOTCAPABLE when one of its rights is missing. */
static void test_rights(cloudabi_fd_t f, cloudabi_rights_t all)
{
	static const struct needs cases[] = {
		{"fd_read", CLOUDABI_RIGHT_FD_READ},
		{"fd_write", CLOUDABI_RIGHT_FD_WRITE},
		{"fd_pread", CLOUDABI_RIGHT_FD_READ},
		{"fd_pread", CLOUDABI_RIGHT_FD_SEEK},
		{"fd_pwrite", CLOUDABI_RIGHT_FD_WRITE},
		{"fd_pwrite", CLOUDABI_RIGHT_FD_SEEK},
		{"fd_seek", CLOUDABI_RIGHT_FD_SEEK},
		{"fd_sync", CLOUDABI_RIGHT_FD_SYNC},
		{"fd_datasync", CLOUDABI_RIGHT_FD_DATASYNC},
	};
	char buf[4];
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cloudabi_fd_t d = with_rights(f, all & ~cases[i].missing);
		size_t n;
		cloudabi_filesize_t off;
		cloudabi_errno_t err = CLOUDABI_ENOSYS;
		const char *c = cases[i].call;
		if (strcmp(c, "fd_read") == 0)
			err = cloudabi_sys_fd_read(d, &iov, 1, &n);
		else if (strcmp(c, "fd_write") == 0)
			err = cloudabi_sys_fd_write(
				d, (const cloudabi_ciovec_t *)&iov, 1, &n);
		else if (strcmp(c, "fd_pread") == 0)
			err = cloudabi_sys_fd_pread(d, &iov, 1, 0, &n);
		else if (strcmp(c, "fd_pwrite") == 0)
			err = cloudabi_sys_fd_pwrite(
				d, (const cloudabi_ciovec_t *)&iov, 1, 0, &n);
		else if (strcmp(c, "fd_seek") == 0)
			err = cloudabi_sys_fd_seek(d, 1, CLOUDABI_WHENCE_SET,
						   &off);
		else if (strcmp(c, "fd_sync") == 0)
			err = cloudabi_sys_fd_sync(d);
		else if (strcmp(c, "fd_datasync") == 0)
			err = cloudabi_sys_fd_datasync(d);
		CHECK_EQ(err, CLOUDABI_ENOTCAPABLE,
			 "%s without right %#llx is ENOTCAPABLE", c,
			 (unsigned long long)cases[i].missing);
		cloudabi_sys_fd_close(d);
	}

	/* fd_tell is fd_seek(CUR, 0): FD_TELL, or FD_SEEK which implies it. */
	cloudabi_filesize_t off;
	cloudabi_fd_t d = with_rights(f, CLOUDABI_RIGHT_FD_TELL);
	CHECK_EQ(cloudabi_sys_fd_seek(d, 0, CLOUDABI_WHENCE_CUR, &off), 0,
		 "telling with FD_TELL alone works");
	CHECK_EQ(cloudabi_sys_fd_seek(d, 0, CLOUDABI_WHENCE_SET, &off),
		 CLOUDABI_ENOTCAPABLE, "but moving needs FD_SEEK");
	CHECK_EQ(cloudabi_sys_fd_seek(d, 1, CLOUDABI_WHENCE_CUR, &off),
		 CLOUDABI_ENOTCAPABLE, "a relative move too");
	cloudabi_sys_fd_close(d);
	d = with_rights(f, CLOUDABI_RIGHT_FD_SEEK);
	CHECK_EQ(cloudabi_sys_fd_seek(d, 0, CLOUDABI_WHENCE_CUR, &off), 0,
		 "telling with FD_SEEK alone works (it implies FD_TELL)");
	cloudabi_sys_fd_close(d);
	d = with_rights(f, CLOUDABI_RIGHT_FD_READ);
	CHECK_EQ(cloudabi_sys_fd_seek(d, 0, CLOUDABI_WHENCE_CUR, &off),
		 CLOUDABI_ENOTCAPABLE, "telling with neither is ENOTCAPABLE");
	cloudabi_sys_fd_close(d);
}

static void test_ebadf(void)
{
	static const cloudabi_fd_t bad[] = {900, 1024, 5000, UINT32_MAX};
	char buf[4];
	cloudabi_iovec_t iov = {buf, sizeof(buf)};
	cloudabi_ciovec_t ciov = {buf, sizeof(buf)};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cloudabi_fd_t fd = bad[i];
		size_t n;
		cloudabi_filesize_t off;
		CHECK_EQ(cloudabi_sys_fd_read(fd, &iov, 1, &n), CLOUDABI_EBADF,
			 "fd_read(%u) is EBADF", fd);
		CHECK_EQ(cloudabi_sys_fd_write(fd, &ciov, 1, &n),
			 CLOUDABI_EBADF, "fd_write(%u) is EBADF", fd);
		CHECK_EQ(cloudabi_sys_fd_pread(fd, &iov, 1, 0, &n),
			 CLOUDABI_EBADF, "fd_pread(%u) is EBADF", fd);
		CHECK_EQ(cloudabi_sys_fd_pwrite(fd, &ciov, 1, 0, &n),
			 CLOUDABI_EBADF, "fd_pwrite(%u) is EBADF", fd);
		CHECK_EQ(cloudabi_sys_fd_seek(fd, 0, CLOUDABI_WHENCE_CUR, &off),
			 CLOUDABI_EBADF, "fd_seek(%u) is EBADF", fd);
		CHECK_EQ(cloudabi_sys_fd_sync(fd), CLOUDABI_EBADF,
			 "fd_sync(%u) is EBADF", fd);
		CHECK_EQ(cloudabi_sys_fd_datasync(fd), CLOUDABI_EBADF,
			 "fd_datasync(%u) is EBADF", fd);
	}
}

static void test_read_only(cloudabi_fd_t ro)
{
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(ro, &st), 0, "fd_stat_get(ro)");
	CHECK(!(st.fs_rights_base & CLOUDABI_RIGHT_FD_WRITE) &&
		      (st.fs_rights_base & CLOUDABI_RIGHT_FD_READ),
	      "a read-only grant has FD_READ without FD_WRITE");
	CHECK_EQ(put(ro, "x"), CLOUDABI_ENOTCAPABLE,
		 "fd_write on it is ENOTCAPABLE");
	CHECK_EQ(raw_write(ro, "x", 1), -LINUX_EBADF,
		 "a raw write() is EBADF: the kernel descriptor is read-only");
	char buf[9] = {0};
	cloudabi_iovec_t iov = {buf, 8};
	size_t n;
	CHECK(cloudabi_sys_fd_pread(ro, &iov, 1, 0, &n) == 0 && n == 8 &&
		      memcmp(buf, "# capbox", 8) == 0,
	      "fd_pread reads the granted file");
}

static void test_socket(void)
{
	cloudabi_fd_t a, b;
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	cloudabi_filesize_t off;
	CHECK_EQ(cloudabi_sys_fd_seek(a, 0, CLOUDABI_WHENCE_SET, &off),
		 CLOUDABI_ENOTCAPABLE, "a socket has no FD_SEEK: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_fd_sync(a), CLOUDABI_ENOTCAPABLE, "nor FD_SYNC");
	CHECK_EQ(put(a, "data"), 0, "fd_write on a socket");
	cloudabi_sys_fd_close(b);
	CHECK_EQ(put(a, "data"), CLOUDABI_EPIPE,
		 "after the peer closed, fd_write is EPIPE (no SIGPIPE)");
	cloudabi_sys_fd_close(a);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	cloudabi_fd_t ro = guest_grant_fd(ad, "ro");
	cloudabi_fdstat_t want = {
		.fs_rights_base =
			CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
			CLOUDABI_RIGHT_FD_SEEK | CLOUDABI_RIGHT_FD_TELL |
			CLOUDABI_RIGHT_FD_SYNC | CLOUDABI_RIGHT_FD_DATASYNC,
	};
	cloudabi_fd_t f;
	cloudabi_lookup_t at = {.fd = dir};
	cloudabi_errno_t err = cloudabi_sys_file_open(
		at, "io", 2, CLOUDABI_O_CREAT, &want, &f);
	{
		CHECK_EQ(err, 0, "file_open creates a file to work on");
		test_rw(f);
		test_rights(f, want.fs_rights_base);
		cloudabi_sys_fd_close(f);
	}
	test_ebadf();
	test_read_only(ro);
	test_socket();
	exit(check_done());
}

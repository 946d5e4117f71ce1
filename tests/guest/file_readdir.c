/* capbox-test-args: --dir-rw rw=@SCRATCH@ */
/* file_readdir.c: file_readdir: every entry once, stable cookies, buffers larger than a reply, exact truncation. */
#include <program.h>
#include <stdio.h>

#include "file_test.h"

#define NFILES 600
#define BIG (128 * 1024)

static unsigned char big[BIG];
static int seen[NFILES];

/* "entry-NNNN-padding...": NNNN, or -1. */
static int entry_number(const char *name, size_t len)
{
	if (len < 10 || memcmp(name, "entry-", 6) != 0)
		return -1;
	int n = 0;
	for (size_t i = 6; i < 10; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	return n < NFILES ? n : -1;
}

/* Counts the whole entries of a buffer into seen[]; *last is the cookie
 * after the last whole one; *dots counts "." and "..". */
static int scan(const unsigned char *buf, size_t used,
		cloudabi_dircookie_t *last, int *dots, int *wrong_type)
{
	int count = 0;
	size_t off = 0;
	while (used - off >= sizeof(cloudabi_dirent_t)) {
		cloudabi_dirent_t d;
		memcpy(&d, buf + off, sizeof(d));
		if (d.d_namlen > used - off - sizeof(d))
			break;
		const char *name = (const char *)buf + off + sizeof(d);
		int n = entry_number(name, d.d_namlen);
		if (n >= 0) {
			seen[n]++;
			if (d.d_type != CLOUDABI_FILETYPE_REGULAR_FILE)
				(*wrong_type)++;
		} else if ((d.d_namlen == 1 && name[0] == '.') ||
			   (d.d_namlen == 2 && name[0] == '.' &&
			    name[1] == '.')) {
			(*dots)++;
			if (d.d_type != CLOUDABI_FILETYPE_DIRECTORY)
				(*wrong_type)++;
		}
		off += sizeof(d) + d.d_namlen;
		*last = d.d_next;
		count++;
	}
	return count;
}

static int all_seen_once(void)
{
	for (int i = 0; i < NFILES; i++)
		if (seen[i] != 1)
			return 0;
	return 1;
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw");
	cloudabi_fd_t dir, fd;
	CHECK_EQ(FT_MKDIR(rw, "d"), 0, "make d");
	CHECK_EQ(ft_open_dir(rw, "d", &dir), 0, "open d");
	int made = 0;
	for (int i = 0; i < NFILES; i++) {
		char name[64];
		snprintf(name, sizeof(name), "entry-%04d-%.*s", i, i % 40,
			 "padding-padding-padding-padding-padding-");
		if (ft_open(dir, name, CLOUDABI_O_CREAT, &fd) == 0) {
			cloudabi_sys_fd_close(fd);
			made++;
		}
	}
	CHECK_EQ(made, NFILES, "create %d files", NFILES);

	/* One call, a buffer larger than one reply. */
	size_t used = 0;
	CHECK_EQ(cloudabi_sys_file_readdir(dir, big, sizeof(big),
					   CLOUDABI_DIRCOOKIE_START, &used),
		 0, "readdir into 128 KiB");
	CHECK(used > 16384 && used < sizeof(big),
	      "more than one reply's worth, less than the buffer (%zu)", used);
	cloudabi_dircookie_t last = 0;
	int dots = 0, wrong = 0;
	int count = scan(big, used, &last, &dots, &wrong);
	CHECK_EQ(count, NFILES + 2, "every entry plus . and ..");
	CHECK(all_seen_once(), "each file exactly once");
	CHECK_EQ(dots, 2, ". and .. are there");
	CHECK_EQ(wrong, 0, "every type is right");
	size_t end_used = 99;
	CHECK_EQ(cloudabi_sys_file_readdir(dir, big, sizeof(big), last,
					   &end_used),
		 0, "readdir from the last cookie");
	CHECK_EQ(end_used, 0, "is the end");

	/* Small buffers, resuming at the last whole entry each time. */
	memset(seen, 0, sizeof(seen));
	cloudabi_dircookie_t cookie = CLOUDABI_DIRCOOKIE_START;
	int calls = 0, total = 0, progress = 1;
	dots = wrong = 0;
	unsigned char small[200];
	while (calls < 5000) {
		calls++;
		size_t n = 0;
		if (cloudabi_sys_file_readdir(dir, small, sizeof(small), cookie,
					      &n) != 0) {
			progress = 0;
			break;
		}
		int c = scan(small, n, &cookie, &dots, &wrong);
		total += c;
		if (n < sizeof(small))
			break;
		if (c == 0) {
			progress = 0;
			break;
		}
	}
	CHECK(progress, "200-byte reads always make progress");
	CHECK_EQ(total, NFILES + 2, "they see every entry (%d calls)", calls);
	CHECK(all_seen_once(), "each exactly once: the cookies are stable");

	/* A re-read from a remembered cookie gives the same entries. */
	cloudabi_dircookie_t mid = 0;
	size_t n1 = 0, n2 = 0;
	CHECK_EQ(cloudabi_sys_file_readdir(dir, small, 100, 0, &n1), 0,
		 "read 100 bytes");
	scan(small, n1, &mid, &dots, &wrong);
	unsigned char a[300], b[300];
	CHECK_EQ(cloudabi_sys_file_readdir(dir, a, sizeof(a), mid, &n1), 0,
		 "read from a cookie");
	CHECK_EQ(cloudabi_sys_file_readdir(dir, b, sizeof(b), mid, &n2), 0,
		 "read from it again");
	CHECK(n1 == n2 && memcmp(a, b, n1) == 0, "the same bytes");

	/* Truncation: the buffer is filled completely, the last entry cut
	 * five bytes into its name. */
	size_t off = 0;
	cloudabi_dirent_t d;
	for (;;) {
		memcpy(&d, big + off, sizeof(d));
		if (d.d_namlen >= 10)
			break;
		off += sizeof(d) + d.d_namlen;
	}
	size_t cut = off + sizeof(d) + 5, n = 0;
	CHECK_EQ(cloudabi_sys_file_readdir(dir, a, cut, 0, &n), 0,
		 "read into %zu bytes", cut);
	CHECK_EQ(n, cut, "the buffer is filled completely");
	CHECK(memcmp(a, big, cut) == 0,
	      "with the start of the full stream, the last name cut");
	CHECK_EQ(cloudabi_sys_file_readdir(dir, a, 10, 0, &n), 0,
		 "read into 10 bytes");
	CHECK_EQ(n, 10, "part of a header");
	CHECK_EQ(cloudabi_sys_file_readdir(dir, a, 0, 0, &n), 0,
		 "a zero-length buffer");
	CHECK_EQ(n, 0, "holds nothing");

	/* Errors. */
	CHECK_EQ(cloudabi_sys_file_readdir(999, a, sizeof(a), 0, &n),
		 CLOUDABI_EBADF, "a bad fd: EBADF");
	CHECK_EQ(cloudabi_sys_file_readdir(check_out_fd, a, sizeof(a), 0, &n),
		 CLOUDABI_ENOTCAPABLE, "without FILE_READDIR: ENOTCAPABLE");
	CHECK_EQ(ft_open_rights(rw, "d", CLOUDABI_O_DIRECTORY,
				CLOUDABI_RIGHT_FILE_OPEN, 0, 0, &fd),
		 0, "open d without FILE_READDIR");
	CHECK_EQ(cloudabi_sys_file_readdir(fd, a, sizeof(a), 0, &n),
		 CLOUDABI_ENOTCAPABLE, "readdir on it: ENOTCAPABLE");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(cloudabi_sys_file_readdir(dir, a, sizeof(a), UINT64_MAX, &n),
		 CLOUDABI_EINVAL, "a cookie past INT64_MAX: EINVAL");
	exit(check_done());
}

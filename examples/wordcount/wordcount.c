/* wordcount.c: example: counts lines, words and bytes of every regular file in a read-only directory it was handed. */
#include <argdata.h>
#include <cloudabi/names.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * argdata: {out: fd (where to print), dir: fd (a directory with
 * file_readdir and file_open, whose files may be opened with fd_read)}.
 * Prints "LINES WORDS BYTES NAME" per file in directory order, then the
 * total.  A failing call prints "wordcount: CALL: ERRNO" and exits 1.
 */

static int out;

static const char *errno_name(cloudabi_errno_t e)
{
#define ERRNO_CASE(sym, name)                                                  \
	if (e == CLOUDABI_##sym)                                               \
		return name;
	CLOUDABI_ERRNO_NAMES(ERRNO_CASE)
#undef ERRNO_CASE
	return "?";
}

static void fail(const char *call, cloudabi_errno_t e)
{
	dprintf(out, "wordcount: %s: %s\n", call, errno_name(e));
	exit(1);
}

struct counts {
	unsigned long long lines, words, bytes;
};

static void count_file(cloudabi_fd_t dir, const char *name, size_t len,
		       struct counts *total)
{
	cloudabi_lookup_t at = {.fd = dir, .flags = 0};
	cloudabi_fdstat_t want = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	cloudabi_fd_t fd;
	cloudabi_errno_t e = cloudabi_sys_file_open(at, name, len, 0, &want,
						    &fd);
	if (e != 0)
		fail("file_open", e);
	struct counts c = {0};
	bool in_word = false;
	char buf[4096];
	for (;;) {
		cloudabi_iovec_t iov = {.buf = buf, .buf_len = sizeof(buf)};
		size_t got;
		e = cloudabi_sys_fd_read(fd, &iov, 1, &got);
		if (e != 0)
			fail("fd_read", e);
		if (got == 0)
			break;
		c.bytes += got;
		for (size_t i = 0; i < got; i++) {
			bool space = buf[i] == ' ' || buf[i] == '\n' ||
				     buf[i] == '\t' || buf[i] == '\r';
			c.lines += buf[i] == '\n';
			c.words += !space && !in_word;
			in_word = !space;
		}
	}
	cloudabi_sys_fd_close(fd);
	dprintf(out, "%llu %llu %llu %.*s\n", c.lines, c.words, c.bytes,
		(int)len, name);
	total->lines += c.lines;
	total->words += c.words;
	total->bytes += c.bytes;
}

void program_main(const argdata_t *ad)
{
	argdata_t value;
	uint32_t fd, dir;
	if (argdata_map_find(*ad, "out", 3, &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(2);
	out = (int)fd;
	if (argdata_map_find(*ad, "dir", 3, &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &dir) != ARGDATA_OK) {
		dprintf(out, "wordcount: expected a directory as \"dir\"\n");
		exit(2);
	}

	struct counts total = {0};
	char buf[8192];
	cloudabi_dircookie_t cookie = CLOUDABI_DIRCOOKIE_START;
	for (;;) {
		size_t used;
		cloudabi_errno_t e = cloudabi_sys_file_readdir(
			dir, buf, sizeof(buf), cookie, &used);
		if (e != 0)
			fail("file_readdir", e);
		size_t pos = 0;
		for (;;) {
			cloudabi_dirent_t d;
			if (used - pos < sizeof(d))
				break;
			memcpy(&d, buf + pos, sizeof(d));
			if (used - pos - sizeof(d) < d.d_namlen)
				break; /* truncated: read again from cookie */
			const char *name = buf + pos + sizeof(d);
			if (d.d_type == CLOUDABI_FILETYPE_REGULAR_FILE)
				count_file(dir, name, d.d_namlen, &total);
			cookie = d.d_next;
			pos += sizeof(d) + d.d_namlen;
		}
		if (used < sizeof(buf))
			break;
	}
	dprintf(out, "%llu %llu %llu total\n", total.lines, total.words,
		total.bytes);
	exit(0);
}

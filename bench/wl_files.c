/* wl_files.c: file workloads: 4 KiB pread/pwrite, fd_stat_get, open+close (and open+read+close) and stat beneath a directory, readdir of 1000 entries. */
#include "workload.h"

#define IO_SIZE 4096
#define IO_SPAN 16 /* offsets cycle over the first 16 blocks (64 KiB) */
#define BIG_ENTRIES 1000
#define DIRBUF_SIZE 32768

static const struct plat_env *files_env;
static _Alignas(64) unsigned char files_buf[DIRBUF_SIZE];

static int files_setup(const struct plat_env *env)
{
	files_env = env;
	return 0;
}

static int pread_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		size_t done;
		TRY(plat_pread(files_env->file, files_buf, IO_SIZE,
			       (i % IO_SPAN) * IO_SIZE, &done));
		EXPECT(done == IO_SIZE);
	}
	return 0;
}

static int pwrite_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		size_t done;
		files_buf[0] = (unsigned char)i;
		TRY(plat_pwrite(files_env->file, files_buf, IO_SIZE,
				(i % IO_SPAN) * IO_SIZE, &done));
		EXPECT(done == IO_SIZE);
	}
	return 0;
}

static int fd_status_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		TRY(plat_fd_status(files_env->file));
	return 0;
}

static int open_close_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int fd;
		TRY(plat_open_read(files_env->dir, "file", &fd));
		TRY(plat_close(fd));
	}
	return 0;
}

/* As a program that opens a file to use it: the first read is where
 * capbox fetches the descriptor from the broker. */
static int open_read_close_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int fd;
		size_t done;
		TRY(plat_open_read(files_env->dir, "file", &fd));
		TRY(plat_pread(fd, files_buf, IO_SIZE, 0, &done));
		EXPECT(done == IO_SIZE);
		TRY(plat_close(fd));
	}
	return 0;
}

static int stat_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t size;
		TRY(plat_stat_size(files_env->dir, "file", &size));
		EXPECT(size >= IO_SIZE * IO_SPAN);
	}
	return 0;
}

static int readdir_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		size_t entries;
		TRY(plat_readdir_count(files_env->big, files_buf,
				       sizeof(files_buf), &entries));
		/* The 1000 files, plus "." and ".." where listed. */
		EXPECT(entries >= BIG_ENTRIES && entries <= BIG_ENTRIES + 2);
	}
	return 0;
}

const struct workload bench_files[] = {
	{"pread_4k", files_setup, pread_loop, NULL},
	{"pwrite_4k", files_setup, pwrite_loop, NULL},
	{"fd_stat_get", files_setup, fd_status_loop, NULL},
	{"open_close", files_setup, open_close_loop, NULL},
	{"open_read_close", files_setup, open_read_close_loop, NULL},
	{"stat", files_setup, stat_loop, NULL},
	{"readdir_1000", files_setup, readdir_loop, NULL},
	{NULL, NULL, NULL, NULL},
};

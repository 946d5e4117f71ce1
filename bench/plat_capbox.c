/* plat_capbox.c: the platform layer as a capbox guest (CloudABI calls through the vDSO); entry point program_main(). */
#include <argdata.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "plat_capbox.h"

void plat_print(const struct plat_env *env, const char *text)
{
	size_t len = strlen(text);
	while (len > 0) {
		cloudabi_ciovec_t iov = {.buf = text, .buf_len = len};
		size_t n;
		if (cloudabi_sys_fd_write((cloudabi_fd_t)env->out, &iov, 1,
					  &n) != 0 ||
		    n == 0)
			return;
		text += n;
		len -= n;
	}
}

int plat_clock_ns(uint64_t *ns)
{
	return plat_result(
		cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 1, ns));
}

int plat_random(void *buf, size_t len)
{
	return plat_result(cloudabi_sys_random_get(buf, len));
}

int plat_pread(int fd, void *buf, size_t len, uint64_t off, size_t *done)
{
	cloudabi_iovec_t iov = {.buf = buf, .buf_len = len};
	return plat_result(
		cloudabi_sys_fd_pread((cloudabi_fd_t)fd, &iov, 1, off, done));
}

int plat_pwrite(int fd, const void *buf, size_t len, uint64_t off, size_t *done)
{
	cloudabi_ciovec_t iov = {.buf = buf, .buf_len = len};
	return plat_result(
		cloudabi_sys_fd_pwrite((cloudabi_fd_t)fd, &iov, 1, off, done));
}

int plat_read(int fd, void *buf, size_t len, size_t *done)
{
	cloudabi_iovec_t iov = {.buf = buf, .buf_len = len};
	return plat_result(
		cloudabi_sys_fd_read((cloudabi_fd_t)fd, &iov, 1, done));
}

int plat_write(int fd, const void *buf, size_t len, size_t *done)
{
	cloudabi_ciovec_t iov = {.buf = buf, .buf_len = len};
	return plat_result(
		cloudabi_sys_fd_write((cloudabi_fd_t)fd, &iov, 1, done));
}

int plat_socketpair(int fds[2])
{
	cloudabi_fd_t a, b;
	cloudabi_errno_t err = cloudabi_sys_fd_create2(
		CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	if (err != 0)
		return plat_result(err);
	fds[0] = (int)a;
	fds[1] = (int)b;
	return 0;
}

int plat_close(int fd)
{
	return plat_result(cloudabi_sys_fd_close((cloudabi_fd_t)fd));
}

int plat_fd_status(int fd)
{
	cloudabi_fdstat_t st;
	return plat_result(cloudabi_sys_fd_stat_get((cloudabi_fd_t)fd, &st));
}

static cloudabi_lookup_t beneath(int dir)
{
	return (cloudabi_lookup_t){.fd = (cloudabi_fd_t)dir, .flags = 0};
}

int plat_open_read(int dir, const char *path, int *fd)
{
	cloudabi_fdstat_t want = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
						    CLOUDABI_RIGHT_FD_SEEK};
	cloudabi_fd_t opened;
	cloudabi_errno_t err = cloudabi_sys_file_open(
		beneath(dir), path, strlen(path), 0, &want, &opened);
	if (err != 0)
		return plat_result(err);
	*fd = (int)opened;
	return 0;
}

int plat_stat_size(int dir, const char *path, uint64_t *size)
{
	cloudabi_filestat_t st;
	cloudabi_errno_t err = cloudabi_sys_file_stat_get(beneath(dir), path,
							  strlen(path), &st);
	if (err != 0)
		return plat_result(err);
	*size = st.st_size;
	return 0;
}

/* Counts the whole entries in buf[0..used); advances *cookie past them. */
static size_t count_entries(const unsigned char *buf, size_t used,
			    cloudabi_dircookie_t *cookie)
{
	size_t count = 0, off = 0;
	while (used - off >= sizeof(cloudabi_dirent_t)) {
		cloudabi_dirent_t d;
		memcpy(&d, buf + off, sizeof(d));
		if (used - off - sizeof(d) < d.d_namlen)
			break; /* truncated: read again from its cookie */
		count++;
		*cookie = d.d_next;
		off += sizeof(d) + d.d_namlen;
	}
	return count;
}

int plat_readdir_count(int dir, void *buf, size_t buf_len, size_t *entries)
{
	cloudabi_dircookie_t cookie = CLOUDABI_DIRCOOKIE_START;
	size_t total = 0;
	for (;;) {
		size_t used;
		cloudabi_errno_t err = cloudabi_sys_file_readdir(
			(cloudabi_fd_t)dir, buf, buf_len, cookie, &used);
		if (err != 0)
			return plat_result(err);
		size_t got = count_entries(buf, used, &cookie);
		total += got;
		if (used < buf_len)
			break;
		if (got == 0)
			return CLOUDABI_ENOBUFS; /* one entry fills buf */
	}
	*entries = total;
	return 0;
}

int plat_map_anon(size_t len, void **mem)
{
	return plat_result(cloudabi_sys_mem_map(
		NULL, len, CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
		CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE, CLOUDABI_MAP_ANON_FD,
		0, mem));
}

int plat_unmap(void *mem, size_t len)
{
	return plat_result(cloudabi_sys_mem_unmap(mem, len));
}

int plat_fork(int *child, int *is_child)
{
	cloudabi_fd_t fd;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&fd, &tid);
	if (err != 0)
		return plat_result(err);
	*is_child = fd == CLOUDABI_PROCESS_CHILD;
	*child = (int)fd;
	return 0;
}

_Noreturn void plat_child_exit(int code)
{
	cloudabi_sys_proc_exit((cloudabi_exitcode_t)code);
}

int plat_wait(int child, int *code)
{
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_PROC_TERMINATE,
		.proc_terminate.fd = (cloudabi_fd_t)child,
	};
	cloudabi_event_t ev;
	int err = plat_poll_one(&sub, &ev);
	if (err != 0)
		return err;
	*code = ev.proc_terminate.signal != 0
			? 128 + (int)ev.proc_terminate.signal
			: (int)ev.proc_terminate.exitcode;
	return plat_close(child);
}

/* The descriptor stored under key, or -1. */
static int arg_fd(const argdata_t *ad, const char *key)
{
	argdata_t value;
	uint32_t fd;
	if (argdata_map_find(*ad, key, strlen(key), &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		return -1;
	return (int)fd;
}

void program_main(const argdata_t *ad)
{
	argdata_t value;
	const char *workload = "";
	uint64_t iterations = 0;
	if (argdata_map_find(*ad, "workload", strlen("workload"), &value) ==
	    ARGDATA_OK)
		argdata_get_str_c(value, &workload);
	if (argdata_map_find(*ad, "iters", strlen("iters"), &value) ==
	    ARGDATA_OK)
		argdata_get_uint64(value, &iterations);
	struct plat_env env = {
		.out = arg_fd(ad, "out"),
		.in = arg_fd(ad, "in"),
		.file = arg_fd(ad, "file"),
		.dir = arg_fd(ad, "dir"),
		.big = arg_fd(ad, "big"),
	};
	if (env.out < 0)
		exit(2); /* nowhere to report anything */
	exit(bench_main(&env, workload, iterations));
}

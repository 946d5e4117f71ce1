/* trace_all_calls.c: makes each of the 49 CloudABI system calls at least once (in "dir", a writable directory), for tests/cli/trace_*.sh to find every one decoded in the trace. */
#include <argdata.h>
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "guest.h"
#include "proc.h"

static cloudabi_fd_t dir;

static void files(void)
{
	cloudabi_fdstat_t want = {
		.fs_rights_base =
			CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |
			CLOUDABI_RIGHT_FD_SEEK | CLOUDABI_RIGHT_FD_SYNC |
			CLOUDABI_RIGHT_FD_DATASYNC |
			CLOUDABI_RIGHT_FILE_ADVISE |
			CLOUDABI_RIGHT_FILE_ALLOCATE |
			CLOUDABI_RIGHT_FILE_STAT_FGET |
			CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE |
			CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS |
			CLOUDABI_RIGHT_MEM_MAP,
	};
	cloudabi_lookup_t at = {.fd = dir};
	cloudabi_fd_t f;
	cloudabi_sys_file_open(at, "t.txt", 5, CLOUDABI_O_CREAT, &want, &f);
	size_t n;
	cloudabi_ciovec_t out = {"traced data\n", 12};
	cloudabi_sys_fd_write(f, &out, 1, &n);
	cloudabi_sys_fd_pwrite(f, &out, 1, 12, &n);
	char buf[32];
	cloudabi_iovec_t in = {buf, sizeof(buf)};
	cloudabi_filesize_t pos;
	cloudabi_sys_fd_seek(f, 0, CLOUDABI_WHENCE_SET, &pos);
	cloudabi_sys_fd_read(f, &in, 1, &n);
	cloudabi_sys_fd_pread(f, &in, 1, 0, &n);
	cloudabi_sys_fd_sync(f);
	cloudabi_sys_fd_datasync(f);
	cloudabi_fdstat_t st;
	cloudabi_sys_fd_stat_get(f, &st);
	st.fs_flags = CLOUDABI_FDFLAG_APPEND;
	cloudabi_sys_fd_stat_put(f, &st, CLOUDABI_FDSTAT_FLAGS);
	cloudabi_sys_file_advise(f, 0, 10, CLOUDABI_ADVICE_NORMAL);
	cloudabi_sys_file_allocate(f, 0, 100);
	cloudabi_filestat_t fs;
	cloudabi_sys_file_stat_fget(f, &fs);
	fs.st_size = 50;
	cloudabi_sys_file_stat_fput(f, &fs, CLOUDABI_FILESTAT_SIZE);
	void *map;
	cloudabi_sys_mem_map(NULL, 4096, CLOUDABI_PROT_READ,
			     CLOUDABI_MAP_SHARED, f, 0, &map);
	cloudabi_sys_mem_sync(map, 4096, CLOUDABI_MS_SYNC);
	cloudabi_sys_mem_unmap(map, 4096);
	cloudabi_fd_t g;
	cloudabi_sys_fd_dup(f, &g);
	cloudabi_sys_fd_replace(f, g);
	cloudabi_sys_fd_close(g);
	cloudabi_sys_fd_close(f);

	cloudabi_sys_file_create(dir, "sub", 3, CLOUDABI_FILETYPE_DIRECTORY);
	cloudabi_sys_file_link(at, "t.txt", 5, dir, "l.txt", 5);
	cloudabi_sys_file_rename(dir, "l.txt", 5, dir, "r.txt", 5);
	cloudabi_sys_file_symlink("t.txt", 5, dir, "s", 1);
	cloudabi_sys_file_readlink(dir, "s", 1, buf, sizeof(buf), &n);
	cloudabi_sys_file_stat_get(at, "t.txt", 5, &fs);
	cloudabi_sys_file_stat_put(at, "t.txt", 5, &fs,
				   CLOUDABI_FILESTAT_MTIM_NOW);
	cloudabi_fd_t d;
	want.fs_rights_base = CLOUDABI_RIGHT_FILE_READDIR;
	cloudabi_sys_file_open(at, ".", 1, CLOUDABI_O_DIRECTORY, &want, &d);
	char entries[256];
	cloudabi_sys_file_readdir(d, entries, sizeof(entries),
				  CLOUDABI_DIRCOOKIE_START, &n);
	cloudabi_sys_fd_close(d);
	cloudabi_sys_file_unlink(dir, "s", 1, 0);
	cloudabi_sys_file_unlink(dir, "sub", 3, CLOUDABI_UNLINK_REMOVEDIR);
	/* The directory is left empty for the next run (renaming l.txt onto
	 * a left-over r.txt, a link of the same file, would change nothing). */
	cloudabi_sys_file_unlink(dir, "r.txt", 5, 0);
	cloudabi_sys_file_unlink(dir, "t.txt", 5, 0);
}

static void memory_and_time(void)
{
	void *m;
	cloudabi_sys_mem_map(NULL, 8192,
			     CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
			     CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
			     CLOUDABI_MAP_ANON_FD, 0, &m);
	cloudabi_sys_mem_advise(m, 8192, CLOUDABI_ADVICE_WILLNEED);
	cloudabi_sys_mem_protect(m, 8192, CLOUDABI_PROT_READ);
	cloudabi_sys_mem_unmap(m, 8192);
	cloudabi_timestamp_t t;
	cloudabi_sys_clock_res_get(CLOUDABI_CLOCK_MONOTONIC, &t);
	cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_REALTIME, 1, &t);
	char r[8];
	cloudabi_sys_random_get(r, sizeof(r));
	cloudabi_sys_thread_yield();
	_Atomic(cloudabi_condvar_t) cv = CLOUDABI_CONDVAR_HAS_NO_WAITERS;
	cloudabi_sys_condvar_signal(&cv, CLOUDABI_SCOPE_PRIVATE, 1);
	/* A write-locked lock of this thread (unlock with no waiters). */
	_Atomic(cloudabi_lock_t) lock = CLOUDABI_LOCK_UNLOCKED;
	cloudabi_sys_lock_unlock(&lock, CLOUDABI_SCOPE_PRIVATE);
}

static void sockets_and_fds(void)
{
	cloudabi_fd_t a, b, s;
	cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &s);
	cloudabi_sys_fd_close(s);
	cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	cloudabi_ciovec_t data = {"ping", 4};
	cloudabi_send_in_t si = {.si_data = &data, .si_data_len = 1};
	cloudabi_send_out_t so;
	cloudabi_sys_sock_send(a, &si, &so);
	char buf[8];
	cloudabi_iovec_t in = {buf, sizeof(buf)};
	cloudabi_recv_in_t ri = {.ri_data = &in, .ri_data_len = 1};
	cloudabi_recv_out_t ro;
	cloudabi_sys_sock_recv(b, &ri, &ro);
	cloudabi_sys_sock_shutdown(a, CLOUDABI_SHUT_WR);
	cloudabi_subscription_t sub = {.type = CLOUDABI_EVENTTYPE_FD_READ,
				       .fd_readwrite.fd = b};
	cloudabi_event_t ev;
	size_t nev;
	cloudabi_sys_poll(&sub, &ev, 1, &nev);
	cloudabi_sys_fd_close(a);
	cloudabi_sys_fd_close(b);
}

static void thread_body(void *arg)
{
	(void)arg;
	cloudabi_sys_thread_yield();
}

void program_main(const argdata_t *ad)
{
	dir = guest_grant_fd(ad, "dir");
	files();
	memory_and_time();
	sockets_and_fds();
	capbox_thread_t t; /* thread_create, and thread_exit in it */
	capbox_thread_start(&t, thread_body, NULL, 0);
	capbox_thread_join(&t);
	cloudabi_sys_proc_raise(0); /* EINVAL: no signal 0 */
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&child, &tid) == 0 &&
	    child == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(7);
	cloudabi_event_t ev;
	proc_wait(child, 0, &ev);
	/* EBADF: no such descriptor; the program goes on. */
	cloudabi_sys_proc_exec(999, NULL, 0, NULL, 0);
	exit(0);
}

/* capbox-test-args: --dir-rw dir=@SCRATCH@ --dir progs=@BUILD@/programs */
/* fd_waiting.c: a file file_open left in the broker (its first transfers done by the broker, then fetched) behaves as the file itself for every call that uses it: read, write, seek, stat flags, mem_map, poll, dup, replace, send, fork (same open file), exec, racing threads. */
#include <capbox_thread.h>
#include <program.h>
#include <stdatomic.h>

#include "exec_target_args.h"
#include "file_test.h"
#include "proc.h"

#define TEXT "0123456789abcdef"
#define RACERS 4

static cloudabi_fd_t dir;

/* Opens "text" for reading (and seeking); exits on failure. */
static cloudabi_fd_t open_text(cloudabi_fdflags_t flags)
{
	cloudabi_fd_t fd;
	cloudabi_rights_t rights =
		CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_SEEK |
		CLOUDABI_RIGHT_FD_TELL | CLOUDABI_RIGHT_FD_WRITE |
		CLOUDABI_RIGHT_MEM_MAP | CLOUDABI_RIGHT_POLL_FD_READWRITE |
		CLOUDABI_RIGHT_FILE_STAT_FGET;
	CHECK_EQ(ft_open_rights(dir, "text", 0, rights, 0, flags, &fd), 0,
		 "open the text file");
	if (check_failures != 0)
		exit(1);
	return fd;
}

static void first_use(void)
{
	char buf[8];
	cloudabi_fd_t fd = open_text(0);
	CHECK_EQ(ft_read(fd, buf, 5), 0, "the first read of a new descriptor");
	CHECK(strcmp(buf, "0123") == 0, "reads the file from its start (%s)",
	      buf);
	cloudabi_filesize_t at = 0;
	CHECK_EQ(cloudabi_sys_fd_seek(fd, 0, CLOUDABI_WHENCE_CUR, &at), 0,
		 "fd_seek tells");
	CHECK_EQ(at, 4, "the offset the read left");
	cloudabi_sys_fd_close(fd);

	fd = open_text(0);
	CHECK_EQ(cloudabi_sys_fd_seek(fd, 10, CLOUDABI_WHENCE_SET, &at), 0,
		 "a seek as the first use");
	CHECK_EQ(ft_read(fd, buf, 3), 0, "then a read");
	CHECK(strcmp(buf, "ab") == 0, "from where the seek went (%s)", buf);
	cloudabi_sys_fd_close(fd);

	/* The status flags live in the file, still in the broker. */
	fd = open_text(CLOUDABI_FDFLAG_APPEND);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &st), 0,
		 "fd_stat_get before any "
		 "use");
	CHECK_EQ(st.fs_flags, CLOUDABI_FDFLAG_APPEND, "reports APPEND");
	CHECK_EQ(st.fs_filetype, CLOUDABI_FILETYPE_REGULAR_FILE, "a file");
	CHECK(st.fs_rights_base & CLOUDABI_RIGHT_FD_READ, "with its rights");
	CHECK_EQ(ft_read(fd, buf, 2), 0, "after a read");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &st), 0, "fd_stat_get again");
	CHECK_EQ(st.fs_flags, CLOUDABI_FDFLAG_APPEND, "still APPEND");
	cloudabi_sys_fd_close(fd);
}

/* The first FORWARDED transfers are the broker's, the rest the guest's
 * own descriptor's: one open file, one offset, across the switch. */
#define FORWARDED 4

static void transfers(void)
{
	cloudabi_fd_t fd = open_text(0);
	char got[17] = {0};
	int failed = 0;
	for (int i = 0; i < 16; i++) {
		size_t n = 0;
		if (cloudabi_sys_fd_read(fd, &(cloudabi_iovec_t){&got[i], 1}, 1,
					 &n) != 0 ||
		    n != 1)
			failed++;
	}
	CHECK_EQ(failed, 0, "16 one-byte reads");
	CHECK(strcmp(got, TEXT) == 0,
	      "read the file in order across the "
	      "switch (%s)",
	      got);
	cloudabi_sys_fd_close(fd);

	cloudabi_fd_t w;
	CHECK_EQ(ft_open(dir, "written", CLOUDABI_O_CREAT | CLOUDABI_O_TRUNC,
			 &w),
		 0, "a new file to write");
	failed = 0;
	for (int i = 0; i < 2 * FORWARDED; i++) {
		size_t n = 0;
		if (cloudabi_sys_fd_write(w, &(cloudabi_ciovec_t){"ab", 2}, 1,
					  &n) != 0 ||
		    n != 2)
			failed++;
	}
	CHECK_EQ(failed, 0, "8 two-byte writes");
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_fd_pwrite(w, &(cloudabi_ciovec_t){"Z", 1}, 1, 1,
					&n),
		 0, "a pwrite");
	char back[32] = {0};
	CHECK_EQ(cloudabi_sys_fd_pread(w, &(cloudabi_iovec_t){back, 31}, 1, 0,
				       &n),
		 0, "read it back");
	CHECK(n == 16 && strcmp(back, "aZabababababab"
				      "ab") == 0,
	      "the writes landed in order, the pwrite where it said (%s)",
	      back);
	cloudabi_sys_fd_close(w);

	/* Forwarded, a transfer still answers like the kernel's. */
	fd = open_text(CLOUDABI_FDFLAG_APPEND);
	CHECK_EQ(cloudabi_sys_fd_write(fd, &(cloudabi_ciovec_t){"+", 1}, 1, &n),
		 0, "a write to a file opened to append");
	CHECK_EQ(cloudabi_sys_fd_pread(fd, &(cloudabi_iovec_t){back, 31}, 1, 0,
				       &n),
		 0, "read it");
	back[n] = '\0';
	CHECK(strcmp(back, TEXT "+") == 0, "went to its end (%s)", back);
	CHECK_EQ(cloudabi_sys_fd_pread(fd, &(cloudabi_iovec_t){(void *)16, 4},
				       1, 0, &n),
		 CLOUDABI_EFAULT, "a read into an unmapped buffer: EFAULT");
	CHECK_EQ(cloudabi_sys_fd_write(fd, &(cloudabi_ciovec_t){(void *)16, 4},
				       1, &n),
		 CLOUDABI_EFAULT, "a write from one: EFAULT");
	static char big[20000];
	CHECK_EQ(cloudabi_sys_fd_pread(
			 fd, &(cloudabi_iovec_t){big, sizeof(big)}, 1, 0, &n),
		 0,
		 "a read larger than the broker forwards (fetches the file)");
	CHECK_EQ(n, 17, "reads it all");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_put(dir, "text", TEXT), 0, "the text file as it was");

	/* A buffer that cannot take the bytes: nothing is consumed, as with
	 * the kernel's read (the broker's read would move the offset before
	 * the bytes reached the guest, so the shim does not forward it). */
	static const char rodata[8] = "rodata!";
	fd = open_text(0);
	CHECK_EQ(cloudabi_sys_fd_read(
			 fd, &(cloudabi_iovec_t){(void *)rodata, 4}, 1, &n),
		 CLOUDABI_EFAULT, "a read into read-only memory: EFAULT");
	cloudabi_filesize_t at = 99;
	CHECK_EQ(cloudabi_sys_fd_seek(fd, 0, CLOUDABI_WHENCE_CUR, &at), 0,
		 "tell");
	CHECK_EQ(at, 0, "the failed read consumed nothing");
	cloudabi_sys_fd_close(fd);
	/* A buffer running into an unmapped page: the kernel's short count. */
	void *two = NULL;
	CHECK_EQ(cloudabi_sys_mem_map(NULL, 8192,
				      CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
				      CLOUDABI_MAP_PRIVATE | CLOUDABI_MAP_ANON,
				      CLOUDABI_MAP_ANON_FD, 0, &two),
		 0, "two pages");
	if (two != NULL) {
		char *second = (char *)two + 4096;
		cloudabi_sys_mem_unmap(second, 4096);
		fd = open_text(0);
		CHECK_EQ(cloudabi_sys_fd_read(
				 fd, &(cloudabi_iovec_t){second - 4, 8}, 1, &n),
			 0, "a read whose buffer runs into an unmapped page");
		CHECK(n == 4 && memcmp(second - 4, "0123", 4) == 0,
		      "fills what is mapped and says so (%zu bytes)", n);
		cloudabi_sys_fd_close(fd);
		cloudabi_sys_mem_unmap(two, 4096);
	}

	cloudabi_fdstat_t st = {.fs_rights_base = CLOUDABI_RIGHT_FD_SEEK};
	fd = open_text(0);
	CHECK_EQ(cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "drop all but FD_SEEK");
	CHECK_EQ(cloudabi_sys_fd_read(fd, &(cloudabi_iovec_t){back, 1}, 1, &n),
		 CLOUDABI_ENOTCAPABLE, "a read is then ENOTCAPABLE");
	cloudabi_sys_fd_close(fd);
}

static void map_and_poll(void)
{
	cloudabi_fd_t fd = open_text(0);
	void *addr = NULL;
	CHECK_EQ(cloudabi_sys_mem_map(NULL, 4096, CLOUDABI_PROT_READ,
				      CLOUDABI_MAP_PRIVATE, fd, 0, &addr),
		 0, "mem_map as the first use");
	if (addr != NULL) {
		CHECK(memcmp(addr, TEXT, 16) == 0, "maps the file's bytes");
		cloudabi_sys_mem_unmap(addr, 4096);
	}
	cloudabi_sys_fd_close(fd);

	fd = open_text(0);
	cloudabi_subscription_t sub = {
		.userdata = 7,
		.type = CLOUDABI_EVENTTYPE_FD_READ,
		.fd_readwrite.fd = fd,
	};
	cloudabi_event_t ev;
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_poll(&sub, &ev, 1, &n), 0,
		 "poll as the first "
		 "use");
	CHECK(n == 1 && ev.userdata == 7 && ev.error == 0,
	      "reports the file readable (%zu events, error %u)", n, ev.error);
	CHECK(ev.fd_readwrite.nbytes == 16, "with its 16 bytes (%llu)",
	      (unsigned long long)ev.fd_readwrite.nbytes);
	cloudabi_sys_fd_close(fd);
}

static void copies(void)
{
	char buf[8];
	cloudabi_fd_t fd = open_text(0), copy;
	CHECK_EQ(cloudabi_sys_fd_dup(fd, &copy), 0, "fd_dup of it");
	CHECK_EQ(ft_read(copy, buf, 3), 0, "the copy reads");
	CHECK(strcmp(buf, "01") == 0, "the file (%s)", buf);
	CHECK_EQ(ft_read(fd, buf, 3), 0, "the original reads");
	CHECK(strcmp(buf, "23") == 0, "on from the copy's offset (%s)", buf);
	cloudabi_sys_fd_close(copy);
	cloudabi_sys_fd_close(fd);

	cloudabi_fd_t other;
	CHECK_EQ(ft_put(dir, "other", "xyz"), 0, "another file");
	CHECK_EQ(ft_open(dir, "other", 0, &other), 0, "open it");
	fd = open_text(0);
	CHECK_EQ(cloudabi_sys_fd_replace(fd, other), 0,
		 "fd_replace of the other by it");
	CHECK_EQ(ft_read(other, buf, 3), 0, "the replaced number reads");
	CHECK(strcmp(buf, "01") == 0, "the text file (%s)", buf);
	cloudabi_sys_fd_close(other);
	cloudabi_sys_fd_close(fd);

	/* Rights dropped before the first use hold after it. */
	fd = open_text(0);
	cloudabi_fdstat_t st = {.fs_rights_base = CLOUDABI_RIGHT_FD_SEEK};
	CHECK_EQ(cloudabi_sys_fd_stat_put(fd, &st, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "fd_stat_put keeps only FD_SEEK");
	CHECK_EQ(ft_read(fd, buf, 2), CLOUDABI_ENOTCAPABLE,
		 "a read then is ENOTCAPABLE");
	cloudabi_filesize_t at;
	CHECK_EQ(cloudabi_sys_fd_seek(fd, 3, CLOUDABI_WHENCE_SET, &at), 0,
		 "a seek works");
	cloudabi_sys_fd_close(fd);

	cloudabi_fd_t pair[2];
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &pair[0], &pair[1]),
		 0, "a socket pair");
	fd = open_text(0);
	cloudabi_ciovec_t data = {"m", 1};
	cloudabi_send_in_t in = {.si_data = &data,
				 .si_data_len = 1,
				 .si_fds = &fd,
				 .si_fds_len = 1};
	cloudabi_send_out_t sent;
	CHECK_EQ(cloudabi_sys_sock_send(pair[0], &in, &sent), 0,
		 "sock_send of it before any use");
	cloudabi_sys_fd_close(fd);
	char byte;
	cloudabi_iovec_t riov = {&byte, 1};
	cloudabi_fd_t got = UINT32_MAX;
	cloudabi_recv_in_t rin = {.ri_data = &riov,
				  .ri_data_len = 1,
				  .ri_fds = &got,
				  .ri_fds_len = 1};
	cloudabi_recv_out_t rout;
	CHECK_EQ(cloudabi_sys_sock_recv(pair[1], &rin, &rout), 0, "received");
	CHECK_EQ(rout.ro_fdslen, 1, "with the descriptor");
	if (rout.ro_fdslen == 1) {
		CHECK_EQ(ft_read(got, buf, 3), 0, "which reads");
		CHECK(strcmp(buf, "01") == 0, "the text file (%s)", buf);
		cloudabi_sys_fd_close(got);
	}
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

/* A child fetches a descriptor opened (unused) before the fork: the same
 * open file as the parent's, offset included. */
static void forked(void)
{
	cloudabi_fd_t fd = open_text(0), child;
	cloudabi_tid_t tid;
	char buf[8];
	CHECK_EQ(cloudabi_sys_proc_fork(&child, &tid), 0, "fork");
	if (child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_errno_t err = ft_read(fd, buf, 4);
		cloudabi_sys_proc_exit(err == 0 && strcmp(buf, "012") == 0 ? 0
									   : 1);
	}
	/* The kernel placed the child's process descriptor at its lowest
	 * free number: the file's, empty in the kernel's table until used. */
	cloudabi_fdstat_t st;
	CHECK(child != fd,
	      "the process descriptor (%u) is not the file's "
	      "number (%u)",
	      child, fd);
	CHECK(cloudabi_sys_fd_stat_get(child, &st) == 0 &&
		      st.fs_filetype == CLOUDABI_FILETYPE_PROCESS,
	      "and is a process descriptor");
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, 0, &ev), 0, "the child ends");
	CHECK_EQ(ev.proc_terminate.exitcode, 0, "after reading \"012\"");
	cloudabi_sys_fd_close(child);
	CHECK_EQ(ft_read(fd, buf, 4), 0, "the parent reads");
	CHECK(strcmp(buf, "345") == 0, "on from the child's offset (%s)", buf);
	cloudabi_sys_fd_close(fd);
}

/* proc_exec of a program file_open left in the broker, its output going
 * to a file also left there: the new image finds both in place. */
static void exec_waiting(cloudabi_fd_t progs)
{
	cloudabi_fd_t prog, report, child;
	CHECK_EQ(ft_open_rights(progs, "exec_target", 0,
				CLOUDABI_RIGHT_PROC_EXEC |
					CLOUDABI_RIGHT_FD_READ,
				0, 0, &prog),
		 0, "open the program to exec");
	CHECK_EQ(ft_open(dir, "report", CLOUDABI_O_CREAT | CLOUDABI_O_TRUNC,
			 &report),
		 0, "and a file for its report");
	cloudabi_tid_t tid;
	CHECK_EQ(cloudabi_sys_proc_fork(&child, &tid), 0, "fork");
	if (child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_sys_proc_exec(prog, exec_target_argdata,
				       sizeof(exec_target_argdata), &report, 1);
		cloudabi_sys_proc_exit(100);
	}
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(20000000000), &ev), 0,
		 "the exec'd child ends");
	CHECK_EQ(ev.proc_terminate.exitcode, EXEC_TARGET_CODE,
		 "with the new image's code (all its checks held)");
	cloudabi_sys_fd_close(child);
	static char text[4096];
	cloudabi_iovec_t iov = {text, sizeof(text) - 1};
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_fd_pread(report, &iov, 1, 0, &n), 0,
		 "read its report");
	text[n] = '\0';
	CHECK(strstr(text, "ok 1 - exec: out was renumbered to 0") != NULL,
	      "it wrote its checks to the file at its descriptor 0");
	cloudabi_sys_fd_close(report);
	cloudabi_sys_fd_close(prog);
}

static cloudabi_fd_t shared;
static _Atomic int go;
static _Atomic int racers_ok;

static void racer(void *arg)
{
	(void)arg;
	while (!atomic_load(&go))
		;
	char c;
	cloudabi_iovec_t iov = {&c, 1};
	size_t n = 0;
	if (cloudabi_sys_fd_pread(shared, &iov, 1, 5, &n) == 0 && n == 1 &&
	    c == '5')
		atomic_fetch_add(&racers_ok, 1);
}

static void racing_threads(void)
{
	for (int round = 0; round < 20; round++) {
		shared = open_text(0);
		atomic_store(&go, 0);
		atomic_store(&racers_ok, 0);
		capbox_thread_t t[RACERS];
		for (int i = 0; i < RACERS; i++)
			capbox_thread_start(&t[i], racer, NULL, 0);
		atomic_store(&go, 1);
		for (int i = 0; i < RACERS; i++)
			capbox_thread_join(&t[i]);
		if (atomic_load(&racers_ok) != RACERS)
			break;
		cloudabi_sys_fd_close(shared);
	}
	CHECK_EQ(atomic_load(&racers_ok), RACERS,
		 "%d threads using a new descriptor at once all read the file "
		 "(20 rounds)",
		 RACERS);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	dir = ft_grant(ad, "dir");
	cloudabi_fd_t progs = ft_grant(ad, "progs");
	CHECK_EQ(ft_put(dir, "text", TEXT), 0, "a 16-byte file");
	first_use();
	transfers();
	map_and_poll();
	copies();
	forked();
	exec_waiting(progs);
	racing_threads();
	exit(check_done());
}

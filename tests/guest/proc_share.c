/* proc_share.c: a process descriptor passed to another process keeps working; faults and stop signals in children. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

#define SECOND UINT64_C(1000000000)

static cloudabi_fd_t fork_or_die(void)
{
	cloudabi_fd_t fd;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&fd, &tid) != 0)
		exit(4);
	return fd;
}

static size_t read_byte(cloudabi_fd_t fd, char *c)
{
	cloudabi_iovec_t iov = {c, 1};
	size_t n = 0;
	if (cloudabi_sys_fd_read(fd, &iov, 1, &n) != 0)
		return 0;
	return n;
}

static void write_byte(cloudabi_fd_t fd, char c)
{
	cloudabi_ciovec_t iov = {&c, 1};
	size_t n;
	cloudabi_sys_fd_write(fd, &iov, 1, &n);
}

/* Process A waits for a byte, then exits 7.  Process B receives A's
 * descriptor over a socket and exits with the code it sees A end with.
 * The parent closes its own descriptor for A in between: B's copy keeps
 * A alive and observable. */
static void test_passed_descriptor(void)
{
	cloudabi_fd_t go[2], pass[2];
	if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &go[0],
				    &go[1]) != 0 ||
	    cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &pass[0],
				    &pass[1]) != 0)
		exit(5);

	cloudabi_fd_t a = fork_or_die();
	if (a == CLOUDABI_PROCESS_CHILD) {
		char c;
		read_byte(go[1], &c);
		cloudabi_sys_proc_exit(7);
	}
	cloudabi_fd_t b = fork_or_die();
	if (b == CLOUDABI_PROCESS_CHILD) {
		char c;
		cloudabi_fd_t got[1];
		cloudabi_iovec_t iov = {&c, 1};
		cloudabi_recv_in_t in = {.ri_data = &iov,
					 .ri_data_len = 1,
					 .ri_fds = got,
					 .ri_fds_len = 1};
		cloudabi_recv_out_t out;
		if (cloudabi_sys_sock_recv(pass[1], &in, &out) != 0 ||
		    out.ro_fdslen != 1)
			cloudabi_sys_proc_exit(60);
		cloudabi_event_t ev;
		if (proc_wait(got[0], 20 * SECOND, &ev) != 0)
			cloudabi_sys_proc_exit(61);
		cloudabi_sys_proc_exit(100 + ev.proc_terminate.exitcode);
	}

	char c = 'p';
	cloudabi_ciovec_t iov = {&c, 1};
	cloudabi_send_in_t in = {.si_data = &iov,
				 .si_data_len = 1,
				 .si_fds = &a,
				 .si_fds_len = 1};
	cloudabi_send_out_t out;
	CHECK_EQ(cloudabi_sys_sock_send(pass[0], &in, &out), 0,
		 "a process descriptor can be sent over a socket");
	CHECK_EQ(cloudabi_sys_fd_close(a), 0, "the sender closes its own copy");
	cloudabi_event_t ev;
	CHECK_EQ(
		proc_wait(b, SECOND / 5, &ev), CLOUDABI_ETIMEDOUT,
		"the receiver is still waiting: A was not killed by the close");
	write_byte(go[0], 'x');
	CHECK_EQ(proc_wait(b, 20 * SECOND, &ev), 0, "the receiver ends");
	CHECK_EQ(ev.proc_terminate.exitcode, 107,
		 "it saw A exit with 7 through the passed descriptor");
	cloudabi_sys_fd_close(b);
	for (int i = 0; i < 2; i++) {
		cloudabi_sys_fd_close(go[i]);
		cloudabi_sys_fd_close(pass[i]);
	}
}

static void test_faults(void)
{
	cloudabi_fd_t child = fork_or_die();
	if (child == CLOUDABI_PROCESS_CHILD) {
		static volatile uintptr_t nowhere;
		*(volatile int *)nowhere = 1;
		cloudabi_sys_proc_exit(1);
	}
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, 10 * SECOND, &ev), 0, "a child faults");
	CHECK_EQ(ev.proc_terminate.signal, CLOUDABI_SIGSEGV,
		 "a write through NULL is SIGSEGV");
	cloudabi_sys_fd_close(child);

	child = fork_or_die();
	if (child == CLOUDABI_PROCESS_CHILD) {
		/* A shared mapping beyond the end of an empty memory object. */
		cloudabi_fd_t shm;
		void *p;
		if (cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY,
					    &shm) != 0 ||
		    cloudabi_sys_mem_map(NULL, 4096,
					 CLOUDABI_PROT_READ |
						 CLOUDABI_PROT_WRITE,
					 CLOUDABI_MAP_SHARED, shm, 0, &p) != 0)
			cloudabi_sys_proc_exit(2);
		*(volatile char *)p = 1;
		cloudabi_sys_proc_exit(1);
	}
	CHECK_EQ(proc_wait(child, 10 * SECOND, &ev), 0, "another child faults");
	CHECK_EQ(ev.proc_terminate.signal, CLOUDABI_SIGBUS,
		 "touching a mapping past the object's end is SIGBUS");
	cloudabi_sys_fd_close(child);

	child = fork_or_die();
	if (child == CLOUDABI_PROCESS_CHILD) {
		__asm__ volatile("int3");
		cloudabi_sys_proc_exit(1);
	}
	CHECK_EQ(proc_wait(child, 10 * SECOND, &ev), 0, "a child traps");
	CHECK_EQ(ev.proc_terminate.signal, CLOUDABI_SIGTRAP,
		 "a breakpoint instruction is SIGTRAP");
	cloudabi_sys_fd_close(child);
}

static void test_stop(void)
{
	CHECK_EQ(cloudabi_sys_proc_raise(CLOUDABI_SIGCONT), 0,
		 "raising SIGCONT on a running process does nothing");
	cloudabi_fd_t child = fork_or_die();
	if (child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_sys_proc_raise(CLOUDABI_SIGSTOP);
		cloudabi_sys_proc_exit(3); /* only if it was continued */
	}
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, SECOND / 5, &ev), CLOUDABI_ETIMEDOUT,
		 "a child that raised SIGSTOP stays stopped");
	/* Closing the last descriptor kills it, stopped or not (SIGKILL). */
	CHECK_EQ(cloudabi_sys_fd_close(child), 0, "closing it");
}

/* A child that loops for ever holds the only other end of a socket pair;
 * closing its process descriptor must kill it, which the parent sees as
 * end-of-file on its end. */
static void test_close_kills(void)
{
	cloudabi_fd_t pair[2];
	if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &pair[0],
				    &pair[1]) != 0)
		exit(5);
	cloudabi_fd_t child = fork_or_die();
	if (child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_sys_fd_close(pair[0]);
		for (;;)
			cloudabi_sys_thread_yield();
	}
	cloudabi_sys_fd_close(pair[1]);
	cloudabi_subscription_t subs[2] = {
		{.userdata = 1,
		 .type = CLOUDABI_EVENTTYPE_FD_READ,
		 .fd_readwrite.fd = pair[0]},
		{.userdata = 2,
		 .type = CLOUDABI_EVENTTYPE_CLOCK,
		 .clock.clock_id = CLOUDABI_CLOCK_MONOTONIC,
		 .clock.timeout = SECOND / 5},
	};
	cloudabi_event_t ev;
	size_t n;
	CHECK(cloudabi_sys_poll(subs, &ev, 2, &n) == 0 && n == 1 &&
		      ev.userdata == 2,
	      "the looping child is alive while its descriptor is open");
	CHECK_EQ(cloudabi_sys_fd_close(child), 0,
		 "closing the only process descriptor");
	subs[1].clock.timeout = 10 * SECOND;
	CHECK(cloudabi_sys_poll(subs, &ev, 2, &n) == 0 && n == 1 &&
		      ev.userdata == 1,
	      "its end of the socket pair closes: the child was killed");
	char c;
	CHECK_EQ(read_byte(pair[0], &c), 0, "reading gives end-of-file");
	cloudabi_sys_fd_close(pair[0]);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	test_close_kills();
	test_passed_descriptor();
	test_faults();
	test_stop();
	exit(check_done());
}

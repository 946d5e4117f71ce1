/* poll_fd.c: poll on descriptors: write/read readiness, nbytes, hangup, EBADF and ENOTCAPABLE events, a socket pair, a thread woken by data. */
/* capbox-test-args: --dir dir=@SCRATCH@ --file readme=@SRCDIR@/README.md */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

#define MS UINT64_C(1000000)

static cloudabi_subscription_t fd_sub(cloudabi_userdata_t ud,
				      cloudabi_eventtype_t type,
				      cloudabi_fd_t fd)
{
	return (cloudabi_subscription_t){
		.userdata = ud, .type = type, .fd_readwrite = {.fd = fd}};
}

static cloudabi_subscription_t timeout_sub(uint64_t ns)
{
	return (cloudabi_subscription_t){
		.userdata = 0x71,
		.type = CLOUDABI_EVENTTYPE_CLOCK,
		.clock = {.clock_id = CLOUDABI_CLOCK_MONOTONIC, .timeout = ns},
	};
}

static cloudabi_fd_t named_fd(const argdata_t *ad, const char *key)
{
	argdata_t value;
	uint32_t fd = UINT32_MAX;
	if (argdata_map_find(*ad, key, strlen(key), &value) == ARGDATA_OK)
		argdata_get_fd(value, &fd);
	return fd;
}

static void check_granted(const argdata_t *ad)
{
	cloudabi_fd_t out = (cloudabi_fd_t)check_out_fd;
	cloudabi_subscription_t subs[2] = {
		fd_sub(1, CLOUDABI_EVENTTYPE_FD_WRITE, out),
		timeout_sub(5000 * MS)};
	cloudabi_event_t ev[2] = {{0}};
	size_t n = 0;
	cloudabi_errno_t err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_FD_WRITE &&
		      ev[0].userdata == 1 && ev[0].error == 0,
	      "the output descriptor is ready for writing");
	CHECK(ev[0].fd_readwrite.nbytes == 0 && ev[0].fd_readwrite.flags == 0,
	      "with nbytes 0 and no hangup");

	cloudabi_fd_t readme = named_fd(ad, "readme");
	cloudabi_filestat_t st = {0};
	CHECK_EQ(cloudabi_sys_file_stat_fget(readme, &st), 0,
		 "a read-only regular file");
	subs[0] = fd_sub(2, CLOUDABI_EVENTTYPE_FD_READ, readme);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_FD_READ &&
		      ev[0].error == 0,
	      "a regular file is always ready for reading");
	CHECK(st.st_size > 0 && ev[0].fd_readwrite.nbytes == st.st_size,
	      "nbytes is what is left to read (%llu of %llu)",
	      (unsigned long long)ev[0].fd_readwrite.nbytes,
	      (unsigned long long)st.st_size);

	cloudabi_fd_t dir = named_fd(ad, "dir");
	subs[0] = fd_sub(3, CLOUDABI_EVENTTYPE_FD_READ, dir);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].userdata == 3 &&
		      ev[0].error == CLOUDABI_ENOTCAPABLE,
	      "a directory lacks POLL_FD_READWRITE: ENOTCAPABLE");

	subs[0] = fd_sub(4, CLOUDABI_EVENTTYPE_FD_WRITE, 700);
	uint64_t start = gl_now_ns();
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].userdata == 4 &&
		      ev[0].error == CLOUDABI_EBADF &&
		      ev[0].type == CLOUDABI_EVENTTYPE_FD_WRITE,
	      "a descriptor that does not exist: EBADF");
	CHECK(gl_now_ns() - start < 2000 * MS,
	      "reported at once, not after the 5 s clock");
	subs[0] = fd_sub(5, CLOUDABI_EVENTTYPE_FD_READ, 5000);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(n == 1 && ev[0].error == CLOUDABI_EBADF,
	      "a descriptor number beyond the table: EBADF");
	subs[0] = fd_sub(6, CLOUDABI_EVENTTYPE_FD_READ, 1024);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(n == 1 && ev[0].error == CLOUDABI_EBADF,
	      "the shim's own descriptor 1024 is not the guest's: EBADF");

	cloudabi_subscription_t three[3] = {
		fd_sub(7, CLOUDABI_EVENTTYPE_FD_WRITE, out),
		fd_sub(8, CLOUDABI_EVENTTYPE_FD_READ, readme),
		fd_sub(9, CLOUDABI_EVENTTYPE_FD_READ, 700)};
	cloudabi_event_t ev3[3];
	err = cloudabi_sys_poll(three, ev3, 3, &n);
	CHECK(err == 0 && n == 3 && ev3[0].userdata == 7 &&
		      ev3[1].userdata == 8 && ev3[2].userdata == 9 &&
		      ev3[2].error == CLOUDABI_EBADF,
	      "several ready descriptors and an error at once: three events");
}

struct reader_job {
	capbox_thread_t thread;
	cloudabi_fd_t fd;
	cloudabi_event_t ev;
	size_t n;
	uint64_t waited;
};

static void wait_readable(void *arg)
{
	struct reader_job *j = arg;
	cloudabi_subscription_t sub = fd_sub(40, CLOUDABI_EVENTTYPE_FD_READ,
					     j->fd);
	uint64_t start = gl_now_ns();
	if (cloudabi_sys_poll(&sub, &j->ev, 1, &j->n) != 0)
		gl_failed();
	j->waited = gl_now_ns() - start;
}

static void check_socket_pair(void)
{
	cloudabi_fd_t a, b;
	cloudabi_errno_t err = cloudabi_sys_fd_create2(
		CLOUDABI_FILETYPE_SOCKET_STREAM, &a, &b);
	CHECK_EQ(err, 0, "fd_create2 makes a socket pair");
	if (err != 0)
		return;
	cloudabi_subscription_t subs[3] = {
		fd_sub(10, CLOUDABI_EVENTTYPE_FD_READ, b),
		timeout_sub(20 * MS)};
	cloudabi_event_t ev[3] = {{0}};
	size_t n = 0;
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_CLOCK,
	      "an empty socket is not readable: the clock fires");

	cloudabi_ciovec_t iov = {.buf = "hello", .buf_len = 5};
	size_t written = 0;
	cloudabi_sys_fd_write(a, &iov, 1, &written);
	subs[1] = fd_sub(11, CLOUDABI_EVENTTYPE_FD_WRITE, b);
	subs[2] = timeout_sub(5000 * MS);
	err = cloudabi_sys_poll(subs, ev, 3, &n);
	CHECK(err == 0 && n == 2 && ev[0].userdata == 10 &&
		      ev[1].userdata == 11,
	      "after a write: readable and writable");
	CHECK(ev[0].fd_readwrite.nbytes == 5 && ev[0].fd_readwrite.flags == 0,
	      "nbytes counts the 5 waiting bytes (%llu)",
	      (unsigned long long)ev[0].fd_readwrite.nbytes);

	struct reader_job j = {.fd = a};
	capbox_thread_start(&j.thread, wait_readable, &j, 0);
	cloudabi_subscription_t nap = timeout_sub(30 * MS);
	cloudabi_sys_poll(&nap, ev, 1, &n);
	iov.buf = "xy";
	iov.buf_len = 2;
	cloudabi_sys_fd_write(b, &iov, 1, &written);
	capbox_thread_join(&j.thread);
	CHECK(j.n == 1 && j.ev.userdata == 40 && j.ev.fd_readwrite.nbytes == 2,
	      "a thread waiting in poll wakes when data arrives");
	CHECK(j.waited >= 20 * MS && j.waited < 10000 * MS,
	      "not before (%llu ms)", (unsigned long long)(j.waited / MS));

	CHECK_EQ(cloudabi_sys_fd_close(a), 0, "close one end");
	subs[1] = timeout_sub(5000 * MS);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_FD_READ &&
		      (ev[0].fd_readwrite.flags &
		       CLOUDABI_EVENT_FD_READWRITE_HANGUP) != 0,
	      "the other end reports HANGUP");
	CHECK_EQ(ev[0].fd_readwrite.nbytes, 5,
		 "with the unread bytes still counted");
	subs[0] = fd_sub(12, CLOUDABI_EVENTTYPE_FD_WRITE, b);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(err == 0 && n == 1 && ev[0].type == CLOUDABI_EVENTTYPE_FD_WRITE &&
		      (ev[0].fd_readwrite.flags &
		       CLOUDABI_EVENT_FD_READWRITE_HANGUP) != 0,
	      "and writing to it reports HANGUP too");
	cloudabi_sys_fd_close(b);
	subs[0] = fd_sub(13, CLOUDABI_EVENTTYPE_FD_READ, b);
	err = cloudabi_sys_poll(subs, ev, 2, &n);
	CHECK(n == 1 && ev[0].error == CLOUDABI_EBADF,
	      "a closed descriptor: EBADF");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	check_granted(ad);
	check_socket_pair();
	CHECK_EQ(gl_errors, 0, "no poll failed in a thread");
	exit(check_done());
}

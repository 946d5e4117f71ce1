/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* escape_resend.c: kernel descriptors sent with a raw sendmsg (bypassing the broker) are refused by the filter (EPERM), and no right comes back through the broker for them. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "escape_fds.h"
#include "escape_raw.h"
#include "file_test.h"
#include "guest.h"

/* Readable and writable for the kernel, but without the rights to set
 * its size, allocate, set its times or execute it: rights only the broker
 * enforces. */
#define NARROW                                                                 \
	(CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |                    \
	 CLOUDABI_RIGHT_FILE_STAT_FGET)
#define CONTENT "twelve bytes"

static cloudabi_fd_t out_fd, dir;

/* A new socket pair (stream). */
static void socket_pair(cloudabi_fd_t pair[2])
{
	CHECK_EQ(cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM,
					 &pair[0], &pair[1]),
		 0, "a socket pair");
}

/* Opens name (created with CONTENT) with NARROW rights and makes the
 * shim fetch it, so that its number is the file itself in the kernel. */
static cloudabi_fd_t open_narrow(const char *name)
{
	CHECK_EQ(ft_put(dir, name, CONTENT), 0, "%s holds %zu bytes", name,
		 strlen(CONTENT));
	cloudabi_fd_t fd = UINT32_MAX;
	CHECK_EQ(ft_open_rights(dir, name, 0, NARROW, 0, 0, &fd), 0,
		 "%s opened with a narrow set of rights", name);
	CHECK_EQ(ft_fetch(fd), 0, "the shim fetches %s", name);
	return fd;
}
/* Nothing waits on sock: the raw send never happened. */
static void nothing_pending(const char *what, cloudabi_fd_t sock)
{
	int pending = -1;
	CHECK_EQ(raw(NR_ioctl, sock, 0x541B /* FIONREAD */, &pending), 0,
		 "%s: FIONREAD", what);
	CHECK_EQ(pending, 0, "%s: nothing reached the other end", what);
}

/*
 * Sends fd's kernel descriptor on pair[0] with a raw sendmsg, lets
 * `forget` run (which closes every capability the sandbox has for it),
 * and receives on pair[1] through the broker.  The filter refuses the
 * raw sendmsg (EPERM); were it sent, the broker would find no record and
 * the sandbox would hold nothing, so it must be refused (dropped,
 * reported as FDS_TRUNCATED).  Either way no right may come back: the
 * number a received capability would get (the lowest free one) must
 * stay empty.
 */
static void resend_refused(const char *what, cloudabi_fd_t pair[2], int fd,
			   void (*forget)(void))
{
	long sent = esc_send_fd((int)pair[0], fd);
	CHECK_EQ(sent, -L_EPERM,
		 "%s: a raw sendmsg of it is refused by the "
		 "filter (EPERM)",
		 what);
	if (forget != NULL)
		forget();
	cloudabi_fd_t free_number;
	CHECK_EQ(cloudabi_sys_fd_dup(pair[0], &free_number), 0,
		 "%s: the lowest free number", what);
	cloudabi_sys_fd_close(free_number);
	if (sent == 1) {
		cloudabi_fd_t got;
		cloudabi_recv_out_t out = {0};
		CHECK_EQ(escape_recv_fd(pair[1], 0, &got, &out), 0,
			 "%s: the message is received through the broker",
			 what);
		CHECK_EQ(out.ro_fdslen, 0,
			 "%s: the descriptor nobody recorded is refused", what);
		CHECK(out.ro_flags & CLOUDABI_SOCK_RECV_FDS_TRUNCATED,
		      "%s: reported as FDS_TRUNCATED", what);
	}
	nothing_pending(what, pair[1]);
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(free_number, &st), CLOUDABI_EBADF,
		 "%s: no capability appeared at %u", what, free_number);
	cloudabi_filestat_t size = {.st_size = 0};
	CHECK_EQ(cloudabi_sys_file_stat_fput(free_number, &size,
					     CLOUDABI_FILESTAT_SIZE),
		 CLOUDABI_EBADF, "%s: truncating it: EBADF", what);
	CHECK_EQ(cloudabi_sys_file_allocate(free_number, 0, 4096),
		 CLOUDABI_EBADF, "%s: file_allocate on it: EBADF", what);
	CHECK_EQ(cloudabi_sys_proc_exec(free_number, NULL, 0, NULL, 0),
		 CLOUDABI_EBADF, "%s: proc_exec of it: EBADF", what);
	escape_check_broker(out_fd, what);
}

/* Checks name still holds CONTENT (nothing truncated or grown). */
static void unchanged(const char *name)
{
	cloudabi_filestat_t st;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(dir, 0), name, strlen(name),
					    &st),
		 0, "stat of %s", name);
	CHECK_EQ(st.st_size, strlen(CONTENT), "%s is unchanged", name);
}

/* Still held: the received copy gets no right the sandbox lacks. */
static void held(void)
{
	cloudabi_fd_t ro = open_narrow("held");
	cloudabi_fdstat_t before;
	CHECK_EQ(cloudabi_sys_fd_stat_get(ro, &before), 0, "its rights");
	cloudabi_fd_t pair[2];
	socket_pair(pair);
	long sent = esc_send_fd((int)pair[0], (int)ro);
	CHECK_EQ(
		sent, -L_EPERM,
		"a raw sendmsg of a held file is refused by the filter (EPERM)");
	if (sent == 1) {
		cloudabi_fd_t got;
		cloudabi_recv_out_t out;
		CHECK_EQ(escape_recv_fd(pair[1], 0, &got, &out), 0,
			 "received through the broker");
		CHECK_EQ(out.ro_fdslen, 1, "with the descriptor");
		cloudabi_fdstat_t after;
		CHECK_EQ(cloudabi_sys_fd_stat_get(got, &after), 0,
			 "stat of the copy");
		CHECK_EQ(after.fs_filetype, before.fs_filetype, "same type");
		CHECK((after.fs_rights_base & ~before.fs_rights_base) == 0,
		      "no right the original lacked (extra %#llx)",
		      (unsigned long long)(after.fs_rights_base &
					   ~before.fs_rights_base));
		CHECK((after.fs_rights_inheriting &
		       ~before.fs_rights_inheriting) == 0,
		      "no inheriting right the original lacked");
		cloudabi_filestat_t times = {.st_atim = 1, .st_mtim = 1};
		CHECK_EQ(cloudabi_sys_file_stat_fput(
				 got, &times,
				 CLOUDABI_FILESTAT_ATIM |
					 CLOUDABI_FILESTAT_MTIM),
			 CLOUDABI_ENOTCAPABLE,
			 "setting its times is still refused");
		cloudabi_sys_fd_close(got);
	}
	nothing_pending("a held file", pair[1]);
	cloudabi_sys_fd_close(ro);
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

static cloudabi_fd_t victim;

static void close_victim(void)
{
	CHECK_EQ(cloudabi_sys_fd_close(victim), 0, "the capability is closed");
}

/* Finding 3 of issue 12: the capability is closed while its raw copy
 * travels; the broker used to give the defaults of a read-write file. */
static void closed_while_travelling(void)
{
	cloudabi_fd_t pair[2];
	socket_pair(pair);
	victim = open_narrow("closed");
	resend_refused("a narrowed file closed while in flight", pair,
		       (int)victim, close_victim);
	unchanged("closed");
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

/* The shim's private descriptors (the channel to the broker, the shim's
 * image) are nobody's capability: sent to itself they are refused. */
static void private_descriptors(void)
{
	static const struct {
		int fd;
		const char *what;
	} privates[] = {
		{ESC_FD_CHANNEL, "the hypercall channel"},
		{ESC_FD_SHIM, "the shim's image"},
	};
	for (size_t i = 0; i < sizeof(privates) / sizeof(privates[0]); i++) {
		cloudabi_fd_t pair[2];
		socket_pair(pair);
		resend_refused(privates[i].what, pair, privates[i].fd, NULL);
		cloudabi_sys_fd_close(pair[0]);
		cloudabi_sys_fd_close(pair[1]);
	}
}

/* A raw dup3 kept from before fd_stat_put narrowed the file (a new, read-
 * only open file description): the old description is no capability any
 * more, so sent and received it is refused rather than read-write. */
static void kept_from_before_narrowing(void)
{
	cloudabi_fd_t pair[2];
	socket_pair(pair);
	cloudabi_fd_t fd = open_narrow("narrowed");
	enum { KEPT = 700 };
	CHECK_EQ(raw(NR_dup3, fd, KEPT, 0), KEPT,
		 "a raw dup3 keeps the writable description");
	cloudabi_fdstat_t ro = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
				  CLOUDABI_RIGHT_FILE_STAT_FGET};
	CHECK_EQ(cloudabi_sys_fd_stat_put(fd, &ro, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "fd_stat_put drops FD_WRITE");
	CHECK_EQ(raw(NR_write, fd, "x", 1), -L_EBADF,
		 "the capability's kernel descriptor is now read-only");
	resend_refused("a description kept from before narrowing", pair, KEPT,
		       NULL);
	raw(NR_close, KEPT);
	unchanged("narrowed");
	cloudabi_sys_fd_close(fd);
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

static cloudabi_fd_t forked_file, forked_sync;

static void parent_forgets(void)
{
	char c = 0;
	cloudabi_iovec_t iov = {&c, 1};
	size_t n = 0;
	CHECK_EQ(cloudabi_sys_fd_read(forked_sync, &iov, 1, &n), 0,
		 "the child has tried to send and closed its copy");
	CHECK_EQ(c, 'e', "the filter refused the child's raw sendmsg (EPERM)");
	CHECK_EQ(cloudabi_sys_fd_close(forked_file), 0,
		 "the parent closes its capability too");
}

/* A process descriptor narrowed to no rights, sent raw and closed: it
 * must not come back (as a process, or as anything else). */
static void launder_process(cloudabi_fd_t process)
{
	cloudabi_fdstat_t none = {0};
	CHECK_EQ(cloudabi_sys_fd_stat_put(process, &none,
					  CLOUDABI_FDSTAT_RIGHTS),
		 0, "the process descriptor gives up its rights");
	cloudabi_fd_t pair[2];
	socket_pair(pair);
	victim = process;
	resend_refused("a narrowed process descriptor", pair, (int)process,
		       close_victim);
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

/*
 * Through proc_fork: the child sends its inherited kernel descriptor with
 * a raw sendmsg and closes its capability, the parent closes its own,
 * then receives the message: nobody holds the file any more.
 */
static void through_fork(void)
{
	cloudabi_fd_t pair[2], sync[2];
	socket_pair(pair);
	socket_pair(sync);
	forked_file = open_narrow("forked");
	forked_sync = sync[1];
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t forked = cloudabi_sys_proc_fork(&child, &tid);
	if (forked == 0 && child == CLOUDABI_PROCESS_CHILD) {
		long sent = esc_send_fd((int)pair[0], (int)forked_file);
		cloudabi_sys_fd_close(forked_file);
		cloudabi_ciovec_t iov = {sent == -L_EPERM ? "e" : "s", 1};
		size_t n;
		cloudabi_sys_fd_write(sync[0], &iov, 1, &n);
		cloudabi_sys_proc_exit(0);
	}
	CHECK_EQ(forked, 0, "proc_fork");
	parent_forgets();
	cloudabi_fd_t spare;
	CHECK_EQ(cloudabi_sys_fd_dup(pair[0], &spare), 0, "a spare number");
	cloudabi_sys_fd_close(spare);
	cloudabi_fd_t got;
	cloudabi_recv_out_t out = {0};
	int pending = 0; /* nothing when the filter refused the raw send */
	raw(NR_ioctl, pair[1], 0x541B /* FIONREAD */, &pending);
	CHECK_EQ(pending, 0, "nothing reached the parent");
	if (pending > 0) {
		CHECK_EQ(escape_recv_fd(pair[1], 0, &got, &out), 0,
			 "the child's message is received by the parent");
		CHECK_EQ(out.ro_fdslen, 0,
			 "the forked copy nobody holds any more is refused");
		CHECK(out.ro_flags & CLOUDABI_SOCK_RECV_FDS_TRUNCATED,
		      "reported as FDS_TRUNCATED");
		cloudabi_filestat_t size = {.st_size = 0};
		CHECK_EQ(cloudabi_sys_file_stat_fput(spare, &size,
						     CLOUDABI_FILESTAT_SIZE),
			 CLOUDABI_EBADF, "no capability to truncate it with");
	}
	unchanged("forked");
	for (int i = 0; i < 2; i++) {
		cloudabi_sys_fd_close(pair[i]);
		cloudabi_sys_fd_close(sync[i]);
	}
	launder_process(child);
}

void program_main(const argdata_t *ad)
{
	out_fd = check_out_fd = guest_out_fd(ad);
	dir = guest_grant_fd(ad, "dir");
	held();
	closed_while_travelling();
	private_descriptors();
	kept_from_before_narrowing();
	through_fork();
	exit(check_done());
}

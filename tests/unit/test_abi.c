/* test_abi.c: unit test of the ABI tables, names and Linux conversions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cloudabi/abi.h"
#include "cloudabi/names.h"
#include "cloudabi/syscalls.h"
#include "common/abi_names.h"
#include "common/linux_convert.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The syscalls of spec/cloudabi.txt in the order the spec lists them. */
static const char *const spec_syscalls[] = {
	"clock_res_get", "clock_time_get", "condvar_signal", "fd_close",
	"fd_create1",    "fd_create2",     "fd_datasync",    "fd_dup",
	"fd_pread",      "fd_pwrite",      "fd_read",        "fd_replace",
	"fd_seek",       "fd_stat_get",    "fd_stat_put",    "fd_sync",
	"fd_write",      "file_advise",    "file_allocate",  "file_create",
	"file_link",     "file_open",      "file_readdir",   "file_readlink",
	"file_rename",   "file_stat_fget", "file_stat_fput", "file_stat_get",
	"file_stat_put", "file_symlink",   "file_unlink",    "lock_unlock",
	"mem_advise",    "mem_map",        "mem_protect",    "mem_sync",
	"mem_unmap",     "poll",           "proc_exec",      "proc_exit",
	"proc_fork",     "proc_raise",     "random_get",     "sock_recv",
	"sock_send",     "sock_shutdown",  "thread_create",  "thread_exit",
	"thread_yield",
};

/* The spec's errno members, 0..76, as C names. */
static const char *const spec_errnos[] = {
	"ESUCCESS",
	"E2BIG",
	"EACCES",
	"EADDRINUSE",
	"EADDRNOTAVAIL",
	"EAFNOSUPPORT",
	"EAGAIN",
	"EALREADY",
	"EBADF",
	"EBADMSG",
	"EBUSY",
	"ECANCELED",
	"ECHILD",
	"ECONNABORTED",
	"ECONNREFUSED",
	"ECONNRESET",
	"EDEADLK",
	"EDESTADDRREQ",
	"EDOM",
	"EDQUOT",
	"EEXIST",
	"EFAULT",
	"EFBIG",
	"EHOSTUNREACH",
	"EIDRM",
	"EILSEQ",
	"EINPROGRESS",
	"EINTR",
	"EINVAL",
	"EIO",
	"EISCONN",
	"EISDIR",
	"ELOOP",
	"EMFILE",
	"EMLINK",
	"EMSGSIZE",
	"EMULTIHOP",
	"ENAMETOOLONG",
	"ENETDOWN",
	"ENETRESET",
	"ENETUNREACH",
	"ENFILE",
	"ENOBUFS",
	"ENODEV",
	"ENOENT",
	"ENOEXEC",
	"ENOLCK",
	"ENOLINK",
	"ENOMEM",
	"ENOMSG",
	"ENOPROTOOPT",
	"ENOSPC",
	"ENOSYS",
	"ENOTCONN",
	"ENOTDIR",
	"ENOTEMPTY",
	"ENOTRECOVERABLE",
	"ENOTSOCK",
	"ENOTSUP",
	"ENOTTY",
	"ENXIO",
	"EOVERFLOW",
	"EOWNERDEAD",
	"EPERM",
	"EPIPE",
	"EPROTO",
	"EPROTONOSUPPORT",
	"EPROTOTYPE",
	"ERANGE",
	"EROFS",
	"ESPIPE",
	"ESRCH",
	"ESTALE",
	"ETIMEDOUT",
	"ETXTBSY",
	"EXDEV",
	"ENOTCAPABLE",
};

/* The spec's signal members, 1..26. */
static const char *const spec_signals[] = {
	NULL,        "SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCONT",
	"SIGFPE",    "SIGHUP",  "SIGILL",  "SIGINT", "SIGKILL", "SIGPIPE",
	"SIGQUIT",   "SIGSEGV", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP",
	"SIGTSTP",   "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2",
	"SIGVTALRM", "SIGXCPU", "SIGXFSZ",
};

/* The spec's rights with their bit values. */
static const struct {
	const char *name;
	uint64_t bit;
} spec_rights[] = {
	{"fd_datasync", 0x1},
	{"fd_read", 0x2},
	{"fd_seek", 0x4},
	{"fd_stat_put_flags", 0x8},
	{"fd_sync", 0x10},
	{"fd_tell", 0x20},
	{"fd_write", 0x40},
	{"file_advise", 0x80},
	{"file_allocate", 0x100},
	{"file_create_directory", 0x200},
	{"file_create_file", 0x400},
	{"file_link_source", 0x1000},
	{"file_link_target", 0x2000},
	{"file_open", 0x4000},
	{"file_readdir", 0x8000},
	{"file_readlink", 0x10000},
	{"file_rename_source", 0x20000},
	{"file_rename_target", 0x40000},
	{"file_stat_fget", 0x80000},
	{"file_stat_fput_size", 0x100000},
	{"file_stat_fput_times", 0x200000},
	{"file_stat_get", 0x400000},
	{"file_stat_put_times", 0x800000},
	{"file_symlink", 0x1000000},
	{"file_unlink", 0x2000000},
	{"mem_map", 0x4000000},
	{"mem_map_exec", 0x8000000},
	{"poll_fd_readwrite", 0x10000000},
	{"poll_proc_terminate", 0x40000000},
	{"proc_exec", 0x100000000},
	{"sock_shutdown", 0x8000000000},
};

/* Every X-macro argument list must name exactly the declared parameters. */
#define FORWARD(n, ret, params, args)                                          \
	static ret(*target_##n) params;                                        \
	__attribute__((unused)) static void forward_##n params                 \
	{                                                                      \
		(void)target_##n args;                                         \
	}
CLOUDABI_SYSCALLS(FORWARD)
#undef FORWARD

static int streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void test_syscalls(void)
{
	unsigned i;
	int all_match = 1, sorted = 1;

	CHECK_EQ(CLOUDABI_SYSCALL_COUNT, 49, "49 system calls");
	CHECK_EQ(CLOUDABI_SYS__COUNT, 49, "X-macro lists 49 calls");
	CHECK_EQ(ARRAY_LEN(spec_syscalls), 49, "test lists 49 calls");
	for (i = 0; i < ARRAY_LEN(spec_syscalls); i++) {
		if (!streq(cloudabi_syscall_name(i), spec_syscalls[i]))
			all_match = 0;
		if (i > 0 && strcmp(cloudabi_syscall_name(i - 1),
				    cloudabi_syscall_name(i)) >= 0)
			sorted = 0;
	}
	CHECK(all_match, "all 49 syscall names in spec order");
	CHECK(sorted, "syscall names strictly ascending (sorted, unique)");
	CHECK(streq(cloudabi_syscall_name(0), "clock_res_get"), "index 0");
	CHECK(streq(cloudabi_syscall_name(3), "fd_close"), "index 3");
	CHECK(streq(cloudabi_syscall_name(10), "fd_read"), "index 10");
	CHECK(streq(cloudabi_syscall_name(21), "file_open"), "index 21");
	CHECK(streq(cloudabi_syscall_name(33), "mem_map"), "index 33");
	CHECK(streq(cloudabi_syscall_name(37), "poll"), "index 37");
	CHECK(streq(cloudabi_syscall_name(39), "proc_exit"), "index 39");
	CHECK(streq(cloudabi_syscall_name(46), "thread_create"), "index 46");
	CHECK(streq(cloudabi_syscall_name(48), "thread_yield"), "index 48");
	CHECK_EQ(CLOUDABI_SYS_clock_res_get, 0, "enum clock_res_get");
	CHECK_EQ(CLOUDABI_SYS_fd_write, 16, "enum fd_write");
	CHECK_EQ(CLOUDABI_SYS_poll, 37, "enum poll");
	CHECK_EQ(CLOUDABI_SYS_thread_yield, 48, "enum thread_yield");
	CHECK(cloudabi_syscall_name(49) == NULL, "index 49 has no name");
	CHECK(cloudabi_syscall_name(~0u) == NULL, "huge index has no name");
}

static void test_errno_names(void)
{
	unsigned i, j;
	int all_match = 1, unique = 1;

	CHECK_EQ(ARRAY_LEN(spec_errnos), 77, "77 errnos in the spec");
	for (i = 0; i < ARRAY_LEN(spec_errnos); i++) {
		if (!streq(cloudabi_errno_name(i), spec_errnos[i]))
			all_match = 0;
		for (j = 0; j < i; j++)
			if (streq(cloudabi_errno_name(i),
				  cloudabi_errno_name(j)))
				unique = 0;
	}
	CHECK(all_match, "errno names 0..76 match the spec");
	CHECK(unique, "errno names unique");
	CHECK(streq(cloudabi_errno_name(CLOUDABI_ENOTCAPABLE), "ENOTCAPABLE"),
	      "ENOTCAPABLE by constant");
	CHECK_EQ(CLOUDABI_ENOTCAPABLE, 76, "ENOTCAPABLE is 76");
	CHECK_EQ(CLOUDABI_EINVAL, 28, "EINVAL is 28");
	CHECK_EQ(CLOUDABI_ENOSYS, 52, "ENOSYS is 52");
	CHECK(cloudabi_errno_name(77) == NULL, "errno 77 unknown");
	CHECK(cloudabi_errno_name(65535) == NULL, "errno 65535 unknown");
	CHECK(cloudabi_errno_name(~0u) == NULL, "errno ~0 unknown");
}

static void test_signal_and_filetype_names(void)
{
	unsigned i;
	int all_match = 1;

	for (i = 1; i < ARRAY_LEN(spec_signals); i++)
		if (!streq(cloudabi_signal_name(i), spec_signals[i]))
			all_match = 0;
	CHECK(all_match, "signal names 1..26 match the spec");
	CHECK(cloudabi_signal_name(0) == NULL, "signal 0 has no name");
	CHECK(cloudabi_signal_name(27) == NULL, "signal 27 unknown");
	CHECK(cloudabi_signal_name(256) == NULL, "signal 256 unknown");
	CHECK(streq(cloudabi_signal_name(CLOUDABI_SIGFPE), "SIGFPE"),
	      "SIGFPE (6)");

	CHECK(streq(cloudabi_filetype_name(0x00), "unknown"), "ft 0x00");
	CHECK(streq(cloudabi_filetype_name(0x10), "block_device"), "ft 0x10");
	CHECK(streq(cloudabi_filetype_name(0x11), "character_device"),
	      "ft 0x11");
	CHECK(streq(cloudabi_filetype_name(0x20), "directory"), "ft 0x20");
	CHECK(streq(cloudabi_filetype_name(0x50), "process"), "ft 0x50");
	CHECK(streq(cloudabi_filetype_name(0x60), "regular_file"), "ft 0x60");
	CHECK(streq(cloudabi_filetype_name(0x70), "shared_memory"), "ft 0x70");
	CHECK(streq(cloudabi_filetype_name(0x80), "socket_dgram"), "ft 0x80");
	CHECK(streq(cloudabi_filetype_name(0x82), "socket_stream"), "ft 0x82");
	CHECK(streq(cloudabi_filetype_name(0x90), "symbolic_link"), "ft 0x90");
	CHECK(cloudabi_filetype_name(0x01) == NULL, "ft 0x01 unknown");
	CHECK(cloudabi_filetype_name(0x81) == NULL, "ft 0x81 unknown");
	CHECK(cloudabi_filetype_name(0x160) == NULL, "ft 0x160 unknown");
}

static void test_rights(void)
{
	static const char *const bad[] = {
		"",
		"fd",
		"fd_",
		"fd_rea",
		"fd_read_",
		"FD_READ",
		"fd-read",
		"file_stat",
		"mem_map_e",
		"sock_shutdownx",
		"right_fd_read",
		"nonsense",
	};
	cloudabi_rights_t all = 0, got;
	unsigned i;
	int roundtrip = 1, names = 1, distinct = 1;

#define OR_RIGHT(sym, name) | CLOUDABI_##sym
	CHECK_EQ(0 CLOUDABI_RIGHT_NAMES(OR_RIGHT), CLOUDABI_RIGHTS_ALL,
		 "names.h lists every right in RIGHTS_ALL");
#undef OR_RIGHT
	CHECK_EQ(ARRAY_LEN(spec_rights), 31, "31 rights in the spec");
	for (i = 0; i < ARRAY_LEN(spec_rights); i++) {
		const char *n = spec_rights[i].name;

		got = 0;
		if (cloudabi_right_from_name(n, strlen(n), &got) != 0 ||
		    got != spec_rights[i].bit)
			roundtrip = 0;
		if (!streq(cloudabi_right_name(spec_rights[i].bit), n))
			names = 0;
		if (all & spec_rights[i].bit)
			distinct = 0;
		all |= spec_rights[i].bit;
	}
	CHECK(roundtrip, "every right parses to its spec bit");
	CHECK(names, "every right bit has its spec name");
	CHECK(distinct, "right bits distinct");
	CHECK_EQ(all, CLOUDABI_RIGHTS_ALL, "RIGHTS_ALL is the spec's rights");
	CHECK_EQ(CLOUDABI_RIGHT_FD_READ, 0x2, "RIGHT_FD_READ");
	CHECK_EQ(CLOUDABI_RIGHT_PROC_EXEC, 0x100000000, "RIGHT_PROC_EXEC");
	CHECK_EQ(sizeof(CLOUDABI_RIGHT_FD_READ), 8, "rights are 64-bit");

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		got = 12345;
		CHECK(cloudabi_right_from_name(bad[i], strlen(bad[i]), &got) ==
				      -1 &&
			      got == 12345,
		      "right \"%s\" rejected", bad[i]);
	}
	got = 0;
	CHECK(cloudabi_right_from_name("fd_readXYZ", 7, &got) == 0 &&
		      got == CLOUDABI_RIGHT_FD_READ,
	      "name need not be NUL-terminated");
	CHECK(cloudabi_right_from_name("fd_read\0x", 9, &got) == -1,
	      "embedded NUL rejected");
	CHECK(cloudabi_right_name(0) == NULL, "no name for 0");
	CHECK(cloudabi_right_name(0x800) == NULL, "no name for unused bit");
	CHECK(cloudabi_right_name(0x6) == NULL, "no name for two bits");
}

static void test_errno_from_linux(void)
{
	static const struct {
		int lx;
		cloudabi_errno_t ca;
	} map[] = {
		{0, CLOUDABI_ESUCCESS},
		{EPERM, CLOUDABI_EPERM},
		{ENOENT, CLOUDABI_ENOENT},
		{ESRCH, CLOUDABI_ESRCH},
		{EINTR, CLOUDABI_EINTR},
		{EIO, CLOUDABI_EIO},
		{E2BIG, CLOUDABI_E2BIG},
		{ENOEXEC, CLOUDABI_ENOEXEC},
		{EBADF, CLOUDABI_EBADF},
		{EAGAIN, CLOUDABI_EAGAIN},
		{EWOULDBLOCK, CLOUDABI_EAGAIN},
		{ENOMEM, CLOUDABI_ENOMEM},
		{EACCES, CLOUDABI_EACCES},
		{EFAULT, CLOUDABI_EFAULT},
		{EEXIST, CLOUDABI_EEXIST},
		{ENOTDIR, CLOUDABI_ENOTDIR},
		{EISDIR, CLOUDABI_EISDIR},
		{EINVAL, CLOUDABI_EINVAL},
		{EMFILE, CLOUDABI_EMFILE},
		{ENOSPC, CLOUDABI_ENOSPC},
		{ESPIPE, CLOUDABI_ESPIPE},
		{EPIPE, CLOUDABI_EPIPE},
		{EDEADLK, CLOUDABI_EDEADLK},
		{EDEADLOCK, CLOUDABI_EDEADLK},
		{ENAMETOOLONG, CLOUDABI_ENAMETOOLONG},
		{ENOSYS, CLOUDABI_ENOSYS},
		{ENOTEMPTY, CLOUDABI_ENOTEMPTY},
		{ELOOP, CLOUDABI_ELOOP},
		{EOVERFLOW, CLOUDABI_EOVERFLOW},
		{EBADFD, CLOUDABI_EBADF},
		{ENOTSOCK, CLOUDABI_ENOTSOCK},
		{EOPNOTSUPP, CLOUDABI_ENOTSUP},
		{ENOTSUP, CLOUDABI_ENOTSUP},
		{EAFNOSUPPORT, CLOUDABI_EAFNOSUPPORT},
		{EADDRINUSE, CLOUDABI_EADDRINUSE},
		{ECONNRESET, CLOUDABI_ECONNRESET},
		{ENOTCONN, CLOUDABI_ENOTCONN},
		{ESHUTDOWN, CLOUDABI_EPIPE},
		{ETIMEDOUT, CLOUDABI_ETIMEDOUT},
		{ECONNREFUSED, CLOUDABI_ECONNREFUSED},
		{EINPROGRESS, CLOUDABI_EINPROGRESS},
		{ESTALE, CLOUDABI_ESTALE},
		{EDQUOT, CLOUDABI_EDQUOT},
		{ECANCELED, CLOUDABI_ECANCELED},
		{EOWNERDEAD, CLOUDABI_EOWNERDEAD},
		{ENOTRECOVERABLE, CLOUDABI_ENOTRECOVERABLE},
		{ETXTBSY, CLOUDABI_ETXTBSY},
		{EXDEV, CLOUDABI_EXDEV},
		{EHWPOISON, CLOUDABI_EIO},
	};
	unsigned i;
	int lx, all_valid = 1;

	for (i = 0; i < ARRAY_LEN(map); i++)
		CHECK_EQ(capbox_errno_from_linux(map[i].lx), map[i].ca,
			 "Linux errno %d -> %s", map[i].lx,
			 cloudabi_errno_name(map[i].ca));
	for (lx = 1; lx <= EHWPOISON; lx++) {
		cloudabi_errno_t e = capbox_errno_from_linux(lx);

		if (e == CLOUDABI_ESUCCESS || e > CLOUDABI_ENOTCAPABLE)
			all_valid = 0;
	}
	CHECK(all_valid, "every Linux errno 1..133 maps to a CloudABI error");
	CHECK_EQ(capbox_errno_from_linux(41), CLOUDABI_EIO, "unused 41 -> EIO");
	CHECK_EQ(capbox_errno_from_linux(EHWPOISON + 1), CLOUDABI_EIO,
		 "134 -> EIO");
	CHECK_EQ(capbox_errno_from_linux(-EINVAL), CLOUDABI_EIO,
		 "negative -> EIO");
	CHECK_EQ(capbox_errno_from_linux(512), CLOUDABI_EIO, "512 -> EIO");
}

static void test_signals(void)
{
	int linux_of[27] = {0};
	unsigned s, t;
	int roundtrip = 1, distinct = 1;

	for (s = 1; s <= 26; s++) {
		linux_of[s] = capbox_signal_to_linux((cloudabi_signal_t)s);
		if (linux_of[s] <= 0 ||
		    capbox_signal_from_linux(linux_of[s]) != s)
			roundtrip = 0;
		for (t = 1; t < s; t++)
			if (linux_of[t] == linux_of[s])
				distinct = 0;
	}
	CHECK(roundtrip, "all 26 signals round-trip through Linux");
	CHECK(distinct, "26 distinct Linux signals");
	CHECK_EQ(capbox_signal_to_linux(CLOUDABI_SIGFPE), SIGFPE, "SIGFPE");
	CHECK_EQ(capbox_signal_to_linux(CLOUDABI_SIGKILL), SIGKILL, "SIGKILL");
	CHECK_EQ(capbox_signal_to_linux(CLOUDABI_SIGSEGV), SIGSEGV, "SIGSEGV");
	CHECK_EQ(capbox_signal_to_linux(CLOUDABI_SIGABRT), SIGABRT, "SIGABRT");
	CHECK_EQ(capbox_signal_to_linux(CLOUDABI_SIGSYS), SIGSYS, "SIGSYS");
	CHECK_EQ(capbox_signal_from_linux(SIGPIPE), CLOUDABI_SIGPIPE,
		 "from SIGPIPE");
	CHECK_EQ(capbox_signal_from_linux(SIGIOT), CLOUDABI_SIGABRT,
		 "SIGIOT is SIGABRT");
	CHECK_EQ(capbox_signal_to_linux(0), 0, "signal 0 invalid");
	CHECK_EQ(capbox_signal_to_linux(27), 0, "signal 27 invalid");
	CHECK_EQ(capbox_signal_to_linux(255), 0, "signal 255 invalid");
	CHECK_EQ(capbox_signal_from_linux(0), 0, "Linux 0 -> none");
	CHECK_EQ(capbox_signal_from_linux(-1), 0, "Linux -1 -> none");
	CHECK_EQ(capbox_signal_from_linux(SIGWINCH), 0, "SIGWINCH -> none");
	CHECK_EQ(capbox_signal_from_linux(SIGPROF), 0, "SIGPROF -> none");
	CHECK_EQ(capbox_signal_from_linux(SIGSTKFLT), 0, "SIGSTKFLT -> none");
	CHECK_EQ(capbox_signal_from_linux(SIGPWR), 0, "SIGPWR -> none");
	CHECK_EQ(capbox_signal_from_linux(SIGRTMIN), 0, "SIGRTMIN -> none");
	CHECK_EQ(capbox_signal_from_linux(65), 0, "Linux 65 -> none");
}

static void test_filetypes(void)
{
	struct stat st;
	int p[2], sv[2];

	CHECK_EQ(capbox_filetype_from_mode(S_IFBLK | 0660),
		 CLOUDABI_FILETYPE_BLOCK_DEVICE, "S_IFBLK");
	CHECK_EQ(capbox_filetype_from_mode(S_IFCHR | 0666),
		 CLOUDABI_FILETYPE_CHARACTER_DEVICE, "S_IFCHR");
	CHECK_EQ(capbox_filetype_from_mode(S_IFDIR | 0755),
		 CLOUDABI_FILETYPE_DIRECTORY, "S_IFDIR");
	CHECK_EQ(capbox_filetype_from_mode(S_IFIFO | 0600),
		 CLOUDABI_FILETYPE_SOCKET_STREAM, "S_IFIFO is a stream socket");
	CHECK_EQ(capbox_filetype_from_mode(S_IFLNK | 0777),
		 CLOUDABI_FILETYPE_SYMBOLIC_LINK, "S_IFLNK");
	CHECK_EQ(capbox_filetype_from_mode(S_IFREG | 04755),
		 CLOUDABI_FILETYPE_REGULAR_FILE, "S_IFREG with setuid");
	CHECK_EQ(capbox_filetype_from_mode(S_IFSOCK | 0777),
		 CLOUDABI_FILETYPE_SOCKET_STREAM, "S_IFSOCK");
	CHECK_EQ(capbox_filetype_from_mode(0644), CLOUDABI_FILETYPE_UNKNOWN,
		 "no type bits");
	CHECK_EQ(capbox_filetype_from_mode(0170000), CLOUDABI_FILETYPE_UNKNOWN,
		 "all type bits");

	CHECK_EQ(capbox_filetype_from_socktype(SOCK_STREAM),
		 CLOUDABI_FILETYPE_SOCKET_STREAM, "SOCK_STREAM");
	CHECK_EQ(capbox_filetype_from_socktype(SOCK_DGRAM),
		 CLOUDABI_FILETYPE_SOCKET_DGRAM, "SOCK_DGRAM");
	CHECK_EQ(capbox_filetype_from_socktype(SOCK_DGRAM | SOCK_NONBLOCK |
					       SOCK_CLOEXEC),
		 CLOUDABI_FILETYPE_SOCKET_DGRAM, "SOCK_DGRAM with flags");
	CHECK_EQ(capbox_filetype_from_socktype(SOCK_SEQPACKET),
		 CLOUDABI_FILETYPE_UNKNOWN, "SOCK_SEQPACKET unknown");
	CHECK_EQ(capbox_filetype_from_socktype(SOCK_RAW),
		 CLOUDABI_FILETYPE_UNKNOWN, "SOCK_RAW unknown");

	/* The same through real descriptors. */
	CHECK(stat("/", &st) == 0 && capbox_filetype_from_mode(st.st_mode) ==
					     CLOUDABI_FILETYPE_DIRECTORY,
	      "/ is a directory");
	CHECK(stat("/dev/null", &st) == 0 &&
		      capbox_filetype_from_mode(st.st_mode) ==
			      CLOUDABI_FILETYPE_CHARACTER_DEVICE,
	      "/dev/null is a character device");
	if (pipe(p) == 0) {
		CHECK(fstat(p[0], &st) == 0 &&
			      capbox_filetype_from_mode(st.st_mode) ==
				      CLOUDABI_FILETYPE_SOCKET_STREAM,
		      "a pipe is a stream socket");
		close(p[0]);
		close(p[1]);
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0) {
		int type = 0;
		socklen_t len = sizeof(type);

		CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len) ==
				      0 &&
			      capbox_filetype_from_socktype(type) ==
				      CLOUDABI_FILETYPE_SOCKET_DGRAM,
		      "a datagram socketpair is a datagram socket");
		close(sv[0]);
		close(sv[1]);
	}
}

static void test_layout(void)
{
	cloudabi_lookup_t l = {.fd = 3,
			       .flags = CLOUDABI_LOOKUP_SYMLINK_FOLLOW};
	uint64_t reg;

	/* A lookup travels in one register: fd low, flags high. */
	memcpy(&reg, &l, sizeof(reg));
	CHECK_EQ(reg, 0x100000003ull, "lookup packs fd low, flags high");
	CHECK_EQ(sizeof(cloudabi_event_t), 32, "event is 32 bytes");
	CHECK_EQ(sizeof(cloudabi_subscription_t), 56, "subscription is 56");
	CHECK_EQ(CLOUDABI_PROCESS_CHILD, 0xffffffffu, "PROCESS_CHILD");
	CHECK_EQ(CLOUDABI_AT_SYSINFO_EHDR, 262, "AT_SYSINFO_EHDR");
	CHECK_EQ(CLOUDABI_LOCK_WRLOCKED | CLOUDABI_LOCK_KERNEL_MANAGED,
		 0xc0000000u, "lock bits");
}

int main(void)
{
	test_syscalls();
	test_errno_names();
	test_signal_and_filetype_names();
	test_rights();
	test_errno_from_linux();
	test_signals();
	test_filetypes();
	test_layout();
	return check_done();
}

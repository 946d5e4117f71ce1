/* escape_syscalls.c: a hostile guest's raw system calls (paths, sockets, processes, identity, namespaces, kernel interfaces, W+X) all fail; the broker still answers. */
/* capbox-test-args: --file ro=@SRCDIR@/README.md --dir-rw dir=@SCRATCH@ */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "escape_raw.h"
#include "guest.h"

/* Linux flag values the attacks pass (uapi headers). */
#define L_AT_FDCWD (-100)
#define L_AT_EMPTY_PATH 0x1000
#define L_O_RDONLY 0
#define L_PROT_R 1
#define L_PROT_W 2
#define L_PROT_X 4
#define L_MAP_PRIVATE 0x02
#define L_MAP_ANON 0x20
#define L_SIGCHLD 17
#define L_CLONE_THREAD_FLAGS 0x50f00 /* VM|FS|FILES|SIGHAND|THREAD|SYSVSEM */
#define L_CLONE_NEWNS 0x00020000
#define L_CLONE_NEWUSER 0x10000000
#define L_CLONE_PARENT 0x00008000
#define L_CLONE_PIDFD 0x00001000
#define L_CLONE_VFORK 0x00004000
#define L_CLONE_VM 0x100

static cloudabi_fd_t out_fd, ro_fd, dir_fd;

static cloudabi_fd_t granted(const argdata_t *ad, const char *name)
{
	argdata_t value;
	uint32_t fd = UINT32_MAX;
	if (argdata_map_find(*ad, name, strlen(name), &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(3);
	return fd;
}

/* The broker still serves this guest: a round trip on its channel. */
static void check_broker(const char *after)
{
	escape_check_broker(out_fd, after);
}

#define REFUSED(call, ...)                                                     \
	CHECK_EQ(raw(__VA_ARGS__), -L_EPERM, "%s: EPERM", call)

/* Every descriptor the guest holds, private ones included. */
static const int held[] = {0, 1, 2, 1024, 1025, 1026, 1027, 1028};

static void paths(void)
{
	static const char abs[] = "/etc/passwd";
	REFUSED("open(/etc/passwd)", NR_open, abs, L_O_RDONLY);
	REFUSED("openat(AT_FDCWD, /etc/passwd)", NR_openat, L_AT_FDCWD, abs,
		L_O_RDONLY);
	REFUSED("openat(AT_FDCWD, ..)", NR_openat, L_AT_FDCWD, "..", 0);
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		char what[64];
		snprintf(what, sizeof(what), "openat(%d, ..)", held[i]);
		REFUSED(what, NR_openat, held[i], "..", L_O_RDONLY);
		snprintf(what, sizeof(what), "openat(%d, \"\") (reopen)",
			 held[i]);
		REFUSED(what, NR_openat, held[i], "", L_O_RDONLY);
		snprintf(what, sizeof(what), "newfstatat(%d, ..)", held[i]);
		REFUSED(what, NR_newfstatat, held[i], "..", 0, 0);
		if (held[i] != ESC_FD_SHIM) {
			snprintf(what, sizeof(what), "execveat(%d, \"\")",
				 held[i]);
			REFUSED(what, NR_execveat, held[i], "", 0, 0,
				L_AT_EMPTY_PATH);
		}
	}
	uint64_t how[3] = {0, 0, 0};
	REFUSED("openat2(AT_FDCWD, /etc/passwd)", NR_openat2, L_AT_FDCWD, abs,
		how, sizeof(how));
	unsigned char statbuf[256];
	REFUSED("stat(/)", NR_stat, "/", statbuf);
	REFUSED("statx(/)", NR_statx, L_AT_FDCWD, "/", 0, 0xfff, statbuf);
	REFUSED("access(/etc/passwd)", NR_access, abs, 0);
	char *const argv[] = {"sh", NULL};
	REFUSED("execve(/bin/sh)", NR_execve, "/bin/sh", argv, argv + 1);
	REFUSED("execveat(shim, /bin/sh) without AT_EMPTY_PATH", NR_execveat,
		ESC_FD_SHIM, "/bin/sh", argv, argv + 1, 0);
	REFUSED("mkdir(/tmp/x)", NR_mkdir, "/tmp/capbox-escape", 0700);
	REFUSED("mkdirat(dir, x)", NR_mkdirat, dir_fd, "x", 0700);
	REFUSED("unlink(/tmp/x)", NR_unlink, "/tmp/capbox-escape");
	REFUSED("unlinkat(dir, x)", NR_unlinkat, dir_fd, "x", 0);
	REFUSED("rename", NR_rename, "/tmp/a", "/tmp/b");
	REFUSED("renameat", NR_renameat, dir_fd, "a", L_AT_FDCWD, "/tmp/b");
	REFUSED("link(/etc/passwd)", NR_link, abs, "/tmp/capbox-escape");
	REFUSED("linkat(AT_FDCWD, /etc/passwd, dir, x)", NR_linkat, L_AT_FDCWD,
		abs, dir_fd, "x", 0);
	REFUSED("symlink(/, x)", NR_symlink, "/", "/tmp/capbox-escape");
	REFUSED("symlinkat(/, dir, x)", NR_symlinkat, "/", dir_fd, "x");
	char buf[64];
	REFUSED("readlink(/proc/self/exe)", NR_readlink, "/proc/self/exe", buf,
		sizeof(buf));
	REFUSED("readlinkat(dir, x)", NR_readlinkat, dir_fd, "x", buf,
		sizeof(buf));
	REFUSED("chdir(/)", NR_chdir, "/");
	REFUSED("fchdir(directory placeholder)", NR_fchdir, dir_fd);
	REFUSED("chmod", NR_chmod, abs, 0777);
	REFUSED("chown", NR_chown, abs, 0, 0);
	REFUSED("truncate", NR_truncate, abs, 0);
	REFUSED("mknod", NR_mknod, "/tmp/capbox-escape", 0020666, 0x0103);
	REFUSED("inotify_add_watch", NR_inotify_add_watch, 0, "/", 0xfff);
	REFUSED("open_by_handle_at", NR_open_by_handle_at, dir_fd, buf, 0);
	REFUSED("fanotify_init", NR_fanotify_init, 0, 0);
	check_broker("the path attacks");
}

static void sockets(void)
{
	REFUSED("socket(AF_INET, SOCK_STREAM)", NR_socket, 2, 1, 0);
	REFUSED("socket(AF_INET6, SOCK_DGRAM)", NR_socket, 10, 2, 0);
	REFUSED("socket(AF_UNIX, SOCK_STREAM)", NR_socket, 1, 1, 0);
	REFUSED("socket(AF_NETLINK)", NR_socket, 16, 3, 0);
	int pair[2];
	REFUSED("socketpair(AF_UNIX)", NR_socketpair, 1, 1, 0, pair);
	/* sockaddr_in 127.0.0.1:22; sockaddr_un "/run/x" and abstract "\0x" */
	unsigned char in[16] = {2, 0, 0, 22, 127, 0, 0, 1};
	unsigned char un[110] = {1, 0, '/', 'r', 'u', 'n', '/', 'x'};
	unsigned char abstract[110] = {1, 0, 0, 'x'};
	REFUSED("connect(TCP 127.0.0.1:22)", NR_connect, out_fd, in,
		sizeof(in));
	REFUSED("connect(unix /run/x)", NR_connect, out_fd, un, sizeof(un));
	REFUSED("connect(abstract unix)", NR_connect, out_fd, abstract, 5);
	REFUSED("bind(TCP)", NR_bind, out_fd, in, sizeof(in));
	REFUSED("bind(unix path)", NR_bind, out_fd, un, sizeof(un));
	REFUSED("bind(abstract unix)", NR_bind, out_fd, abstract, 5);
	REFUSED("listen", NR_listen, out_fd, 1);
	/* Accepting and changing status flags belong to the broker (a guest
	 * clearing O_NONBLOCK could otherwise stall the broker's accept). */
	REFUSED("accept4", NR_accept4, out_fd, 0, 0, 0);
	REFUSED("fcntl(F_SETFL)", NR_fcntl, out_fd, 4 /* F_SETFL */, 0);
	unsigned char params[120] = {0};
	REFUSED("io_uring_setup", NR_io_uring_setup, 8, params);
	REFUSED("io_uring_enter", NR_io_uring_enter, 0, 1, 0, 0, 0, 0);
	REFUSED("io_uring_register", NR_io_uring_register, 0, 0, 0, 0);
	check_broker("the socket attacks");
}

/* Signal number 0 probes without harming anyone, should a call get through. */
static void processes(void)
{
	REFUSED("getppid (finding the broker)", NR_getppid, 0);
	REFUSED("getpid", NR_getpid, 0);
	REFUSED("kill(1, 0)", NR_kill, 1, 0);
	REFUSED("kill(0, 0) (process group)", NR_kill, 0, 0);
	REFUSED("kill(-1, 0) (everyone)", NR_kill, -1, 0);
	REFUSED("tkill(1, 0)", NR_tkill, 1, 0);
	REFUSED("tgkill(1, 1, 0)", NR_tgkill, 1, 1, 0);
	unsigned char info[128] = {0};
	REFUSED("rt_sigqueueinfo(1)", NR_rt_sigqueueinfo, 1, 0, info);
	for (int pid = 1; pid < 4; pid++) {
		char what[64];
		snprintf(what, sizeof(what), "pidfd_open(%d)", pid);
		REFUSED(what, NR_pidfd_open, pid, 0);
		snprintf(what, sizeof(what), "ptrace(PTRACE_ATTACH, %d)", pid);
		REFUSED(what, NR_ptrace, 16, pid, 0, 0);
		unsigned char local[8], remote[8];
		long liov[2] = {(long)local, 8}, riov[2] = {(long)remote, 8};
		snprintf(what, sizeof(what), "process_vm_readv(%d)", pid);
		REFUSED(what, NR_process_vm_readv, pid, liov, 1, riov, 1, 0);
		snprintf(what, sizeof(what), "process_vm_writev(%d)", pid);
		REFUSED(what, NR_process_vm_writev, pid, liov, 1, riov, 1, 0);
	}
	for (int fd = 0; fd < 4; fd++) {
		char what[64];
		snprintf(what, sizeof(what), "pidfd_getfd(%d, 0)", fd);
		REFUSED(what, NR_pidfd_getfd, fd, 0, 0);
	}
	REFUSED("ptrace(PTRACE_TRACEME)", NR_ptrace, 0, 0, 0, 0);
	REFUSED("fork", NR_fork, 0);
	REFUSED("vfork", NR_vfork, 0);
	uint64_t cl_args[11] = {0};
	REFUSED("clone3", NR_clone3, cl_args, sizeof(cl_args));
	REFUSED("clone(SIGCHLD) (plain fork)", NR_clone, L_SIGCHLD, 0, 0, 0, 0);
	REFUSED("clone(CLONE_VM|CLONE_VFORK)", NR_clone,
		L_CLONE_VM | L_CLONE_VFORK | L_SIGCHLD, 0, 0, 0, 0);
	REFUSED("clone(thread flags|CLONE_NEWNS)", NR_clone,
		L_CLONE_THREAD_FLAGS | L_CLONE_NEWNS, 0, 0, 0, 0);
	REFUSED("clone(fork flags|CLONE_NEWUSER)", NR_clone,
		L_CLONE_PARENT | L_CLONE_PIDFD | L_SIGCHLD | L_CLONE_NEWUSER, 0,
		0, 0, 0);
	REFUSED("setsid", NR_setsid, 0);
	check_broker("the process attacks");
}

static void namespaces_and_kernel(void)
{
	REFUSED("mount(tmpfs, /tmp)", NR_mount, "none", "/tmp", "tmpfs", 0, 0);
	REFUSED("umount2(/)", NR_umount2, "/", 2);
	REFUSED("chroot(/)", NR_chroot, "/");
	REFUSED("pivot_root(., .)", NR_pivot_root, ".", ".");
	REFUSED("unshare(CLONE_NEWUSER)", NR_unshare, L_CLONE_NEWUSER);
	REFUSED("unshare(CLONE_NEWNS)", NR_unshare, L_CLONE_NEWNS);
	REFUSED("setns(0, 0)", NR_setns, 0, 0);
	REFUSED("open_tree(/)", NR_open_tree, L_AT_FDCWD, "/", 1);
	REFUSED("fsopen(tmpfs)", NR_fsopen, "tmpfs", 0);
	unsigned char attr[128] = {0};
	REFUSED("bpf(BPF_PROG_LOAD)", NR_bpf, 5, attr, sizeof(attr));
	REFUSED("perf_event_open", NR_perf_event_open, attr, 0, -1, -1, 0);
	REFUSED("userfaultfd", NR_userfaultfd, 0);
	REFUSED("keyctl(KEYCTL_GET_KEYRING_ID)", NR_keyctl, 0, -3, 0);
	REFUSED("add_key", NR_add_key, "user", "capbox", "x", 1, -3);
	REFUSED("request_key", NR_request_key, "user", "capbox", 0, -3);
	REFUSED("personality(query)", NR_personality, 0xffffffff);
	REFUSED("personality(READ_IMPLIES_EXEC)", NR_personality, 0x0400000);
	REFUSED("seccomp(SECCOMP_SET_MODE_FILTER)", NR_seccomp, 1, 0, attr);
	REFUSED("prctl(PR_SET_DUMPABLE)", NR_prctl, 4, 1, 0, 0, 0);
	REFUSED("prctl(PR_SET_PDEATHSIG)", NR_prctl, 1, 0, 0, 0, 0);
	REFUSED("arch_prctl(ARCH_SET_GS)", NR_arch_prctl, 0x1001, 0);
	REFUSED("arch_prctl(ARCH_GET_FS)", NR_arch_prctl, 0x1003, attr);
	uint64_t lim[2] = {UINT64_MAX, UINT64_MAX};
	REFUSED("setrlimit(RLIMIT_NOFILE, unlimited)", NR_setrlimit, 7, lim);
	REFUSED("prlimit64(0, RLIMIT_NPROC, unlimited)", NR_prlimit64, 0, 6,
		lim, 0);
	REFUSED("ioctl(TIOCSTI) (typing into the terminal)", NR_ioctl, out_fd,
		0x5412, "x");
	REFUSED("fcntl(F_SETOWN)", NR_fcntl, out_fd, 8, 1);
	REFUSED("fcntl(F_DUPFD)", NR_fcntl, out_fd, 0, 0);
	REFUSED("dup", NR_dup, out_fd);
	REFUSED("getuid", NR_getuid, 0);
	/* Back to root, or to the groups of the user namespace it left (a
	 * container's root maps the guest's identity beside its own there,
	 * with setgroups allowed: src/broker/pidns.c). */
	REFUSED("setresuid(0, 0, 0)", NR_setresuid, 0, 0, 0);
	REFUSED("setuid(0)", NR_setuid, 0);
	REFUSED("setresgid(0, 0, 0)", NR_setresgid, 0, 0, 0);
	static const unsigned root_group[1] = {0};
	REFUSED("setgroups(1, {0})", NR_setgroups, 1, root_group);
	REFUSED("setgroups(0)", NR_setgroups, 0, 0);
	/* Version 3, this process; then every capability, three sets. */
	static const unsigned cap_head[2] = {0x20080522, 0};
	static const unsigned cap_all[6] = {~0u, ~0u, ~0u, ~0u, ~0u, ~0u};
	REFUSED("capset(all)", NR_capset, cap_head, cap_all);
	REFUSED("memfd_create(MFD_ALLOW_SEALING)", NR_memfd_create, "x", 3);
	REFUSED("landlock_create_ruleset", NR_landlock_create_ruleset, 0, 0, 1);
	check_broker("the namespace and kernel-interface attacks");
}

static void memory(void)
{
	long anon = L_MAP_PRIVATE | L_MAP_ANON;
	REFUSED("mmap(PROT_WRITE|PROT_EXEC)", NR_mmap, 0, 4096,
		L_PROT_R | L_PROT_W | L_PROT_X, anon, -1, 0);
	REFUSED("mmap(W|X with high garbage bits)", NR_mmap, 0, 4096,
		(long)0x7fff000000000000 | L_PROT_W | L_PROT_X, anon, -1, 0);
	long p = raw(NR_mmap, 0, 4096, L_PROT_R | L_PROT_W, anon, -1, 0);
	CHECK(p > 0, "mmap(PROT_READ|PROT_WRITE) is allowed (%ld)", p);
	if (p <= 0)
		return;
	*(volatile char *)p = 1;
	REFUSED("mprotect(to W|X)", NR_mprotect, p, 4096,
		L_PROT_R | L_PROT_W | L_PROT_X);
	CHECK_EQ(raw(NR_mprotect, p, 4096, L_PROT_R | L_PROT_X), 0,
		 "mprotect(to R|X) is allowed");
	REFUSED("mprotect(back to W|X)", NR_mprotect, p, 4096,
		L_PROT_W | L_PROT_X);
	REFUSED("pkey_mprotect(W|X)", NR_pkey_mprotect, p, 4096,
		L_PROT_W | L_PROT_X, -1);
	REFUSED("mremap", NR_mremap, p, 4096, 8192, 1);
	/* Only the advice mem_advise and the mailbox need: MADV_DOFORK
	 * would let a forked child share its parent's mailbox (its
	 * requests served as the parent's). */
	REFUSED("madvise(MADV_DOFORK)", NR_madvise, p, 4096, 11);
	REFUSED("madvise(MADV_WIPEONFORK)", NR_madvise, p, 4096, 18);
	REFUSED("madvise(MADV_HWPOISON)", NR_madvise, p, 4096, 100);
	CHECK_EQ(raw(NR_madvise, p, 4096, 4), 0,
		 "madvise(MADV_DONTNEED) is allowed (mem_advise)");
	check_broker("the W+X attacks");
}

static void descriptors(void)
{
	static const char x[] = "x";
	CHECK_EQ(raw(NR_write, ro_fd, x, 1), -L_EBADF,
		 "write() to the read-only file: EBADF from the kernel (it was "
		 "opened O_RDONLY)");
	long iov[2] = {(long)x, 1};
	CHECK_EQ(raw(NR_writev, ro_fd, iov, 1), -L_EBADF,
		 "writev() to the read-only file: EBADF");
	CHECK_EQ(raw(NR_pwrite64, ro_fd, x, 1, 0), -L_EBADF,
		 "pwrite64() to the read-only file: EBADF (allowed: the shim's "
		 "fd_pwrite of one buffer)");
	CHECK_EQ(raw(NR_write, dir_fd, x, 1), -L_EINVAL,
		 "write() to a directory's placeholder: EINVAL (an epoll "
		 "descriptor, useless)");
	REFUSED("getdents64 on the placeholder", NR_getdents64, dir_fd, iov,
		16);
	REFUSED("dup2", NR_dup2, out_fd, 1000);
	CHECK_EQ(raw(NR_dup3, out_fd, 5000, 0), -L_EBADF,
		 "dup3 beyond RLIMIT_NOFILE: EBADF");
	check_broker("the descriptor attacks");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = out_fd = (cloudabi_fd_t)guest_out_fd(ad);
	ro_fd = granted(ad, "ro");
	dir_fd = granted(ad, "dir");
	paths();
	sockets();
	processes();
	namespaces_and_kernel();
	memory();
	descriptors();
	exit(check_done());
}

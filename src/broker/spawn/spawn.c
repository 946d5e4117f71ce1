/* spawn.c: starts a guest process: confinement layers, descriptors in place, limits set, shim executed. */
#include "broker/spawn/spawn.h"

#include <errno.h>
#include <linux/sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine/confine.h"
#include "confine/confine_seccomp.h"
#include "broker/diag.h"
#include "broker/fdbudget.h"
#include "broker/spawn/shim_image.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* One descriptor the child must hold at a fixed number. */
struct placement {
	int from; /* broker descriptor, always >= fdbudget_layout.private_end */
	int to;
};

#define MAX_PLACEMENTS (CAPBOX_GUEST_FD_LIMIT + 5)

static int argdata_memfd(const uint8_t *data, size_t len)
{
	int fd = memfd_create("capbox-argdata",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	size_t done = 0;
	uint64_t soft = confine_own_files_begin();
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	confine_own_files_end(soft);
	if (done < len)
		goto fail;
	if (fcntl(fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) !=
	    0)
		goto fail;
	return fd;
fail:;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

static int high(int fd)
{
	if (fd < 0 || fd >= fdbudget_layout.private_end)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, fdbudget_layout.private_end);
	close(fd);
	return moved;
}

static struct spawn_extras extras;

void spawn_set_extras(const struct spawn_extras *x)
{
	extras = *x;
}

/* fork, or with a cgroup v2 directory clone3 into it: the child is in
 * the cgroup from its first instruction, and no move (which on v2 waits
 * for an RCU grace period) is needed.  No fallback: a kernel without
 * CLONE_INTO_CGROUP fails the start. */
static pid_t fork_into(int cgroup)
{
	if (cgroup < 0)
		return fork();
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgroup,
	};
	return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* What the child says on err_pipe before it executes the shim (the pipe
 * closes on exec): a confinement layer it goes without, or why it gave up. */
enum { STEP_FAILED = -1, CGROUPS_FAILED = -2 };
struct child_report {
	int32_t gave_up; /* 0: a layer is missing and the child goes on */
	int32_t layer;   /* enum confine_layer, or a *_FAILED above */
	int32_t error;   /* errno */
};

static void report(int err_pipe, int gave_up, int layer, int error)
{
	struct child_report r = {gave_up, layer, error};
	if (write(err_pipe, &r, sizeof(r)) < 0) {
		/* nothing more to say */
	}
}

/* A layer set-up step's result: reported when missing, and the end of the
 * child under --require-all-layers.  Returns whether the layer is on. */
static int layer_on(int err_pipe, enum confine_layer layer, int error)
{
	if (error == 0)
		return 1;
	report(err_pipe, confine_require_all_layers, (int)layer, error);
	if (confine_require_all_layers)
		_exit(127);
	return 0;
}

/* Dies with the broker; no privilege gained by exec; default signal
 * handling with nothing blocked, but SIGPIPE stays ignored so that writes
 * to closed sockets return EPIPE, and SIGXFSZ so that a write beyond the
 * file size limit returns EFBIG whether the guest or the broker makes it
 * (the broker makes a file's first few writes, src/broker/calls/hc_fd_io.c). */
static int process_basics(void)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return errno;
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigaction(SIGPIPE, &ign, NULL);
	sigaction(SIGXFSZ, &ign, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return 0;
}

/* The guest's descriptors at 0..nguest-1, the private ones at theirs
 * (fdbudget_layout); nothing else below the private end survives, and
 * everything above it is close-on-exec. */
static int place_descriptors(const struct placement *place, size_t nplace,
			     int nguest)
{
	const struct capbox_fd_layout *at = &fdbudget_layout;
	for (size_t i = 0; i < nplace; i++) {
		if (dup3(place[i].from, place[i].to, 0) < 0)
			return errno;
	}
	if (nguest < (int)at->guest_fds &&
	    syscall(SYS_close_range, nguest, at->guest_fds - 1, 0) != 0)
		return errno;
	if (syscall(SYS_close_range, at->seccomp + 1, at->private_end - 1, 0) !=
		    0 ||
	    syscall(SYS_close_range, at->private_end, ~0U,
		    CLOSE_RANGE_CLOEXEC) != 0)
		return errno;
	return 0;
}

/* Runs in the child between fork and exec, one set-up step after the other
 * (docs/SECURITY.md); the seccomp filter itself is installed by the shim.
 * The broker is single-threaded, so the child may use the C library. */
__attribute__((noreturn)) static void child(const struct placement *place,
					    size_t nplace, int nguest,
					    char *guest_fds_arg, int err_pipe,
					    pid_t broker)
{
	int err = process_basics();
	if (err == 0)
		err = confine_drop_root();
	/* Again: a change of identity clears the parent-death signal.  If
	 * the broker is gone already, nobody would send it. */
	if (err == 0 &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != broker))
		_exit(127);
	if (err == 0 &&
	    layer_on(err_pipe, CONFINE_NAMESPACES, confine_enter_namespaces()))
		layer_on(err_pipe, CONFINE_EMPTY_ROOT, confine_empty_root());
	/* The cgroups as late as this: the launcher makes them meanwhile
	 * (src/limits/limits.h).  Single-threaded, so the move is cheap. */
	uint64_t rlimit_cpu_s = 0, rlimit_as = 0;
	if (err == 0 && extras.enter_limits != NULL) {
		int failed = extras.enter_limits(&rlimit_cpu_s, &rlimit_as);
		if (failed != 0) {
			report(err_pipe, 1, CGROUPS_FAILED, failed);
			_exit(127);
		}
	}
	if (err == 0)
		err = place_descriptors(place, nplace, nguest);
	if (err == 0)
		err = confine_set_limits(fdbudget_guest_nofile());
	/* RLIMIT_CPU's hard limit a second later: SIGXCPU comes first and
	 * names the cause; SIGKILL follows only if that was ignored. */
	if (err == 0 && rlimit_cpu_s != 0)
		err = confine_lower_limit(RLIMIT_CPU, rlimit_cpu_s,
					  rlimit_cpu_s + 1);
	if (err == 0 && rlimit_as != 0)
		err = confine_lower_limit(RLIMIT_AS, rlimit_as, rlimit_as);
	if (err == 0) {
		layer_on(err_pipe, CONFINE_LANDLOCK, confine_landlock());
		/* The shim's layout: protocol/hypercall.h. */
		char *const argv[] = {"capbox-shim", guest_fds_arg, NULL};
		char *const envp[] = {NULL};
		syscall(SYS_execveat, fdbudget_layout.shim, "", argv, envp,
			AT_EMPTY_PATH);
		err = errno;
	}
	report(err_pipe, 1, STEP_FAILED, err);
	_exit(127);
}

/* Reads the child's reports until its exec closes the pipe: warns about
 * each missing layer; returns -1 after saying why when the child gave up. */
static int read_reports(int fd)
{
	struct child_report r;
	for (;;) {
		ssize_t n = read(fd, &r, sizeof(r));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(r))
			return 0;
		const char *reason = r.layer == CONFINE_NAMESPACES
					     ? confine_userns_failure(r.error)
					     : strerror(r.error);
		if (!r.gave_up) {
			diag_warn(
				"warning: %s unavailable: %s; continuing without it",
				confine_layer_name(r.layer), reason);
		} else if (r.layer >= 0) {
			diag_warn("%s unavailable: %s (--require-all-layers)",
				  confine_layer_name(r.layer), reason);
			return -1;
		} else {
			errno = r.error;
			diag_warn_errno(
				r.layer == CGROUPS_FAILED
					? "cannot move the guest into the sandbox's cgroups"
					: "cannot start the guest process");
			return -1;
		}
	}
}

int spawn_guest(struct guest *g, int program_fd, const uint8_t *argdata,
		size_t argdata_len)
{
	struct placement place[MAX_PLACEMENTS];
	size_t nplace = 0;
	int nguest = 0;
	int channel[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	int placeholder = -1, argfd = -1, progfd = -1, filterfd = -1;
	int ret = -1;
	const struct capbox_fd_layout *at = &fdbudget_layout;
	char guest_fds_arg[16];
	snprintf(guest_fds_arg, sizeof(guest_fds_arg), "%u",
		 (unsigned)at->guest_fds);

	int shim_fd = shim_image_fd();
	if (shim_fd < 0) {
		diag_warn_errno("cannot prepare the shim");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) !=
		    0 ||
	    pipe2(err_pipe, O_CLOEXEC) != 0) {
		diag_warn_errno("cannot create the guest's channel");
		goto out;
	}
	/* Everything the child reads from or hands on lives above the
	 * numbers it fills and closes. */
	channel[1] = high(channel[1]);
	err_pipe[1] = high(err_pipe[1]);
	placeholder = high(epoll_create1(EPOLL_CLOEXEC));
	progfd = high(fcntl(program_fd, F_DUPFD_CLOEXEC, at->private_end));
	argfd = argdata_len > 0 ? high(argdata_memfd(argdata, argdata_len))
				: high(open("/dev/null", O_RDONLY | O_CLOEXEC));
	if (channel[1] < 0 || err_pipe[1] < 0 || placeholder < 0 ||
	    progfd < 0 || argfd < 0) {
		diag_warn_errno("cannot prepare the guest's descriptors");
		goto out;
	}
	filterfd = high(confine_seccomp_memfd());
	if (filterfd < 0) {
		diag_warn_errno(
			"cannot prepare the guest's system call filter");
		goto out;
	}

	for (int fd = 0; fd < (int)at->guest_fds; fd++) {
		const struct cap *cap = &g->caps.slots[fd];
		if (!cap->present)
			continue;
		/* A directory is reachable only through the broker. */
		int from = cap->type == CLOUDABI_FILETYPE_DIRECTORY
				   ? placeholder
				   : cap->object;
		place[nplace++] = (struct placement){from, fd};
		nguest = fd + 1;
	}
	if ((size_t)nguest != nplace) {
		diag_warn("internal error: guest descriptors are not dense");
		goto out;
	}
	place[nplace++] = (struct placement){channel[1], at->channel};
	place[nplace++] = (struct placement){progfd, at->program};
	place[nplace++] = (struct placement){argfd, at->argdata};
	place[nplace++] = (struct placement){filterfd, at->seccomp};
	/* The shim keeps its own image: proc_exec re-executes it. */
	place[nplace++] = (struct placement){shim_fd, at->shim};

	int cgroup = -1;
	if (extras.before_fork != NULL && extras.before_fork(&cgroup) != 0)
		goto out;
	pid_t broker = getpid();
	pid_t pid = fork_into(cgroup);
	if (pid < 0) {
		diag_warn_errno(
			cgroup >= 0
				? "cannot start the guest process in its cgroup"
				: "cannot start the guest process");
		goto out;
	}
	if (pid == 0)
		child(place, nplace, nguest, guest_fds_arg, err_pipe[1],
		      broker);

	close(err_pipe[1]);
	err_pipe[1] = -1;
	g->pid = pid;
	g->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* Meanwhile the child sets itself up: compile the filter now (its
	 * shim reads it after BOOT, which the broker has not answered). */
	uint64_t soft = confine_own_files_begin();
	int filled = confine_seccomp_fill(filterfd, at->shim);
	confine_own_files_end(soft);
	if (filled != 0)
		diag_warn_errno("cannot build the guest's system call filter");
	if (filled != 0 || (extras.forked != NULL && extras.forked() != 0)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		g->pid = -1;
		goto out;
	}
	if (read_reports(err_pipe[0]) != 0) {
		waitpid(pid, NULL, 0);
		g->pid = -1;
		goto out;
	}
	if (g->pidfd < 0) {
		diag_warn_errno("cannot get a process handle for the guest");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		g->pid = -1;
		goto out;
	}
	g->channel = channel[0];
	channel[0] = -1;
	g->argdata_len = (uint32_t)argdata_len;
	ret = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (channel[i] >= 0)
			close(channel[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	if (placeholder >= 0)
		close(placeholder);
	if (argfd >= 0)
		close(argfd);
	if (filterfd >= 0)
		close(filterfd);
	if (progfd >= 0)
		close(progfd);
	return ret;
}

/* spawn.c: starts a guest process: descriptors in place, limits set, shim executed. */
#include "broker/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker/diag.h"
#include "broker/shim_image.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* One descriptor the child must hold at a fixed number. */
struct placement {
	int from; /* broker descriptor, always >= CAPBOX_FD_PRIVATE_END */
	int to;
};

#define MAX_PLACEMENTS (CAPBOX_GUEST_FD_LIMIT + 3)

static int argdata_memfd(const uint8_t *data, size_t len)
{
	int fd = memfd_create("capbox-argdata", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
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
	if (fd < 0 || fd >= CAPBOX_FD_PRIVATE_END)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, CAPBOX_FD_PRIVATE_END);
	close(fd);
	return moved;
}

/* Runs in the child between fork and exec: async-signal-safe calls only.
 * Reports a failure as an errno on err_pipe and exits. */
__attribute__((noreturn)) static void
child(const struct placement *place, size_t nplace, int nguest,
      int shim_fd, int err_pipe)
{
	int err;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		goto fail;

	/* Default signal handling, nothing blocked; SIGPIPE stays ignored so
	 * that writes to closed sockets return EPIPE. */
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigaction(SIGPIPE, &ign, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	for (size_t i = 0; i < nplace; i++) {
		if (dup3(place[i].from, place[i].to, 0) < 0)
			goto fail;
	}
	/* Nothing else below the private end survives; everything above is
	 * close-on-exec. */
	if (nguest < CAPBOX_GUEST_FD_LIMIT &&
	    syscall(SYS_close_range, nguest, CAPBOX_GUEST_FD_LIMIT - 1, 0) != 0)
		goto fail;
	if (syscall(SYS_close_range, CAPBOX_FD_PRIVATE_END, ~0U,
		    CLOSE_RANGE_CLOEXEC) != 0)
		goto fail;

	struct rlimit nofile = {CAPBOX_GUEST_NOFILE, CAPBOX_GUEST_NOFILE};
	if (setrlimit(RLIMIT_NOFILE, &nofile) != 0)
		goto fail;

	char *const argv[] = {"capbox-shim", NULL};
	char *const envp[] = {NULL};
	syscall(SYS_execveat, shim_fd, "", argv, envp, AT_EMPTY_PATH);
fail:
	err = errno;
	if (write(err_pipe, &err, sizeof(err)) < 0) {
		/* nothing more to say */
	}
	_exit(127);
}

int spawn_guest(struct guest *g, int program_fd, const uint8_t *argdata,
		size_t argdata_len)
{
	struct placement place[MAX_PLACEMENTS];
	size_t nplace = 0;
	int nguest = 0;
	int channel[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	int placeholder = -1, argfd = -1, progfd = -1;
	int ret = -1;

	int shim_fd = shim_image_fd();
	if (shim_fd < 0) {
		diag_warn_errno("cannot prepare the shim");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) != 0 ||
	    pipe2(err_pipe, O_CLOEXEC) != 0) {
		diag_warn_errno("cannot create the guest's channel");
		goto out;
	}
	/* Everything the child reads from or hands on lives above the
	 * numbers it fills and closes. */
	channel[1] = high(channel[1]);
	err_pipe[1] = high(err_pipe[1]);
	placeholder = high(epoll_create1(EPOLL_CLOEXEC));
	progfd = high(fcntl(program_fd, F_DUPFD_CLOEXEC, CAPBOX_FD_PRIVATE_END));
	argfd = argdata_len > 0 ? high(argdata_memfd(argdata, argdata_len))
				: high(open("/dev/null", O_RDONLY | O_CLOEXEC));
	if (channel[1] < 0 || err_pipe[1] < 0 || placeholder < 0 ||
	    progfd < 0 || argfd < 0) {
		diag_warn_errno("cannot prepare the guest's descriptors");
		goto out;
	}

	for (int fd = 0; fd < CAPBOX_GUEST_FD_LIMIT; fd++) {
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
	place[nplace++] = (struct placement){channel[1], CAPBOX_FD_CHANNEL};
	place[nplace++] = (struct placement){progfd, CAPBOX_FD_PROGRAM};
	place[nplace++] = (struct placement){argfd, CAPBOX_FD_ARGDATA};

	pid_t pid = fork();
	if (pid < 0) {
		diag_warn_errno("cannot start the guest process");
		goto out;
	}
	if (pid == 0)
		child(place, nplace, nguest, shim_fd, err_pipe[1]);

	close(err_pipe[1]);
	err_pipe[1] = -1;
	g->pid = pid;
	g->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int child_errno;
	ssize_t n;
	do {
		n = read(err_pipe[0], &child_errno, sizeof(child_errno));
	} while (n < 0 && errno == EINTR);
	if (n == sizeof(child_errno)) {
		errno = child_errno;
		diag_warn_errno("cannot start the guest process");
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
	if (progfd >= 0)
		close(progfd);
	return ret;
}

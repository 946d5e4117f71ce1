/* pidns.c: the sandbox's pid namespace: the launcher makes it and waits, the broker is its init, and the kernel ends every process in it when the broker ends. */
#include "broker/pidns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine/confine.h"
#include "broker/diag.h"

/*
 * The report pipe, broker to launcher, carries one byte per event: 0 once
 * the broker is set up (the write fails if the launcher has died: see
 * become_init), REPORT_FORKED once it has forked the first guest process
 * and done its own part of that process's set-up, REPORT_EMPTY once it has
 * killed and reaped the sandbox's other processes, and N when stop signal
 * N ended the sandbox.
 */
#define REPORT_READY 0
#define REPORT_FORKED 254
#define REPORT_EMPTY 255

/* The most descriptors pidns_launcher_hook keeps for its hook. */
#define KEEP_MAX 4

static bool is_init;       /* this process is the broker: pid 1 */
static int report_fd = -1; /* the broker's end of the report pipe */
static void (*launcher_hook)(void);
static enum pidns_moment hook_moment;
static int kept[KEEP_MAX];
static size_t nkept;
static void (*at_sandbox_end)(void);
static pid_t broker_pid; /* in the launcher: the broker, until reaped */

/* In the launcher: a hook, once. */
static void run_once(void (**hook)(void))
{
	void (*fn)(void) = *hook;
	*hook = NULL;
	if (fn != NULL)
		fn();
}

static void sandbox_ended(void)
{
	run_once(&at_sandbox_end);
}

/* At the launcher's exit, whatever the path (exit, diag_die): the broker
 * goes first if it has not (and the sandbox with it), then the hook. */
static void end_of_launcher(void)
{
	if (broker_pid > 0) {
		kill(broker_pid, SIGKILL);
		while (waitpid(broker_pid, NULL, 0) < 0 && errno == EINTR) {
		}
		broker_pid = 0;
	}
	sandbox_ended();
}

void pidns_launcher_hook(void (*fn)(void), const int *keep, size_t nkeep,
			 enum pidns_moment when)
{
	if (nkeep > KEEP_MAX)
		diag_die(CAPBOX_EXIT_USAGE,
			 "internal error: too many descriptors to keep");
	launcher_hook = fn;
	hook_moment = when;
	memcpy(kept, keep, nkeep * sizeof(*keep));
	nkept = nkeep;
}

void pidns_at_sandbox_end(void (*fn)(void))
{
	at_sandbox_end = fn;
}

/* The signals the launcher waits for; the broker inherits them blocked,
 * so none is lost before its signalfd exists (init drops a signal it
 * neither handles nor blocks). */
static void waited_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/*
 * Forks the broker into a new pid namespace: with CAP_SYS_ADMIN (root) a
 * pid namespace alone; else inside a new user namespace where the caller's
 * uid and gid map to themselves, so that the broker's file access is
 * unchanged (and, where the launcher may map it, the guest's own identity
 * beside them: confine_can_map_guest_identity).  clone, not unshare: the
 * launcher's own later children (a sanitizer's helper, say) stay in the
 * host's namespace, which cannot take new processes once its init has
 * ended.  Returns as fork does, with errno set on failure.
 */
static pid_t fork_broker(void)
{
	unsigned uid = geteuid(), gid = getegid();
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, NULL,
				   NULL, 0);
	if (pid >= 0 || errno != EPERM)
		return pid;
	/* Where the launcher can, it maps the guest's own identity there too
	 * (root without CAP_SYS_ADMIN, as in a container), and the broker
	 * waits for that; else the guest cannot take it there, and the
	 * broker maps its own ids. */
	int mapped[2] = {-1, -1};
	if (confine_can_map_guest_identity() && pipe2(mapped, O_CLOEXEC) != 0)
		return -1;
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD,
			     0, NULL, NULL, 0);
	int err = 0;
	if (pid == 0 && mapped[0] >= 0) {
		char byte;
		close(mapped[1]);
		if (read(mapped[0], &byte, 1) != 1)
			_exit(CAPBOX_EXIT_USAGE); /* the launcher said why */
		close(mapped[0]);
	} else if (pid == 0) {
		confine_guest_identity_none();
		err = confine_map_same_ids(uid, gid);
	} else if (pid > 0 && mapped[0] >= 0) {
		err = confine_map_ids_with_guest_identity(pid, uid, gid);
		if (err == 0 && write(mapped[1], "", 1) != 1)
			err = errno;
	} else if (pid > 0) {
		confine_guest_identity_none();
	}
	if (mapped[0] >= 0 && pid != 0) {
		close(mapped[0]);
		close(mapped[1]);
	}
	if (err != 0)
		diag_die(CAPBOX_EXIT_USAGE,
			 "cannot map ids in the sandbox's user namespace: %s",
			 strerror(err));
	return pid;
}

/* In the broker: die with the launcher (so SIGKILL of the launcher ends
 * the namespace).  A launcher already gone would never send that signal:
 * its end of the report pipe, which nothing else holds, is closed then
 * (a process's files close before its children get the parent-death
 * signal), and the write fails. */
static void become_init(int report_read, int report_write)
{
	close(report_read);
	const char ready = REPORT_READY;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    write(report_write, &ready, 1) != 1)
		_exit(CAPBOX_EXIT_USAGE);
	is_init = true;
	report_fd = report_write;
}

/* Ends the launcher by signal sig, as the program it ran ended. */
__attribute__((noreturn)) static void die_by_signal(int sig)
{
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	exit(CAPBOX_EXIT_SIGNAL_BASE + sig);
}

/* What the broker has reported so far. */
struct reports {
	int stop; /* the stop signal, or 0 */
	bool forked;
	bool empty;
};

/* Reads the reports that have come, without waiting; false at the pipe's
 * end. */
static bool read_reports(int fd, struct reports *seen)
{
	unsigned char buf[16];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == REPORT_FORKED)
				seen->forked = true;
			else if (buf[i] == REPORT_EMPTY)
				seen->empty = true;
			else if (buf[i] != REPORT_READY)
				seen->stop = buf[i];
		}
	}
	return n < 0 && (errno == EAGAIN || errno == EINTR);
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Closes every descriptor from 3 up but the report pipe and the kept
 * ones. */
static void close_all_but(int report)
{
	int keep[KEEP_MAX + 1];
	size_t n = 0;
	keep[n++] = report;
	for (size_t i = 0; i < nkept; i++) {
		if (kept[i] >= 3)
			keep[n++] = kept[i];
	}
	qsort(keep, n, sizeof(keep[0]), compare_ints);
	unsigned from = 3;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1,
				0);
		if ((unsigned)keep[i] >= from)
			from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

/*
 * The launcher from the fork on: keeps only standard input, output, error,
 * the report pipe and the descriptors of pidns_launcher_hook's hook (a
 * descriptor the guest closes must close for real, for a peer waiting for
 * its end), runs the hooks when the broker reports, forwards the stop
 * signals and ends as the broker did.
 */
__attribute__((noreturn)) static void launcher(pid_t broker, int report)
{
	broker_pid = broker;
	if (atexit(end_of_launcher) != 0) {
		kill(broker, SIGKILL);
		waitpid(broker, NULL, 0);
		diag_die(CAPBOX_EXIT_USAGE, "cannot create the sandbox");
	}
	close_all_but(report);
	if (hook_moment == PIDNS_BROKER_FORKED)
		run_once(&launcher_hook);
	fcntl(report, F_SETFL, O_NONBLOCK);
	sigset_t set;
	waited_signals(&set);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	int status = 0;
	struct reports seen = {0};
	/* The report pipe until its end; the signals until the broker's. */
	struct pollfd watch[2] = {{sfd, POLLIN, 0}, {report, POLLIN, 0}};
	for (;;) {
		if (sfd >= 0 && poll(watch, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			/* Cannot wait: fail closed, as below. */
			diag_die_errno(CAPBOX_EXIT_USAGE,
				       "cannot wait for the broker");
		}
		if (watch[1].fd >= 0 && watch[1].revents != 0) {
			if (!read_reports(report, &seen))
				watch[1].fd = -1;
			/* Beside the guest's set-up, not the broker's. */
			if (seen.forked)
				run_once(&launcher_hook);
			/* Every other process is gone: clean up while the
			 * broker itself ends. */
			if (seen.empty)
				sandbox_ended();
		}
		if (sfd >= 0 && (watch[0].revents & POLLIN) == 0)
			continue;
		struct signalfd_siginfo si;
		ssize_t n = sfd < 0 ? -1 : read(sfd, &si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(si)) {
			/* Cannot forward signals: fail closed, now (the
			 * broker is killed at exit: end_of_launcher). */
			diag_die_errno(CAPBOX_EXIT_USAGE,
				       "cannot wait for the broker");
		}
		if (si.ssi_signo != SIGCHLD) {
			kill(broker, (int)si.ssi_signo);
			continue;
		}
		if (waitpid(broker, &status, WNOHANG) == broker)
			break;
	}
	broker_pid = 0;
	sandbox_ended();
	read_reports(report, &seen);
	if (seen.stop != 0)
		die_by_signal(seen.stop);
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	diag_die(
		CAPBOX_EXIT_USAGE,
		"the broker was killed by signal %s: every guest process died with it",
		strsignal(WTERMSIG(status)));
}

void pidns_enter(void)
{
	sigset_t set;
	waited_signals(&set);
	int report[2];
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    pipe2(report, O_CLOEXEC) != 0)
		diag_die_errno(CAPBOX_EXIT_USAGE, "cannot create the sandbox");
	/* Unique on the host while the sandbox lives (src/confine/confine.h). */
	confine_sandbox_number = (unsigned)getpid();
	/* Before the fork: the guest's identity is decided once, here, for
	 * the launcher's limits and the guest process alike. */
	(void)confine_guest_identity_own();
	pid_t broker = fork_broker();
	if (broker < 0)
		diag_die(
			CAPBOX_EXIT_USAGE,
			"cannot create the sandbox's pid namespace: %s; run capbox as root or allow unprivileged user namespaces",
			confine_userns_failure(errno));
	if (broker == 0) {
		become_init(report[0], report[1]);
		return;
	}
	close(report[1]);
	launcher(broker, report[0]);
}

void pidns_kill_all(void)
{
	if (!is_init)
		return;
	/* From init, -1 is every process of its namespace but itself. */
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0) {
	}
}

/* One byte to the launcher; if it is gone, the broker dies of that soon
 * (become_init) and nothing waits for the byte. */
static void report(unsigned char byte)
{
	if (report_fd >= 0 && write(report_fd, &byte, 1) != 1) {
		/* nobody to tell */
	}
}

void pidns_report_guest_forked(void)
{
	report(REPORT_FORKED);
}

void pidns_report_empty(void)
{
	report(REPORT_EMPTY);
}

void pidns_exit_stopped(int sig)
{
	report((unsigned char)sig);
	exit(CAPBOX_EXIT_SIGNAL_BASE + sig);
}

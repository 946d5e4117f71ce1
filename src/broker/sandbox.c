/* sandbox.c: every process of one sandbox and the event loop that serves their channels. */
#include "broker/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "broker/diag.h"
#include "broker/dispatch.h"
#include "broker/grant_internal.h"
#include "broker/pidns.h"
#include "broker/process.h"
#include "common/polling_governor.h"

/* Bounds one sandbox's use of the broker. */
#define SANDBOX_MAX_CHANNELS 4096

/* What an epoll event points at: a guest thread's channel, or (g == NULL)
 * the SIGCHLD signalfd or the periodic check's timer. */
struct endpoint {
	int fd;
	struct guest *g;
	struct mailbox mb; /* its shared-memory mailbox, once attached */
	struct endpoint *prev, *next; /* every endpoint of the sandbox */
	struct endpoint *guest_prev, *guest_next; /* g's endpoints */
};

static int watch(struct sandbox *sb, struct guest *g, int fd)
{
	struct endpoint *ep = malloc(sizeof(*ep));
	if (ep == NULL)
		return -1;
	*ep = (struct endpoint){.fd = fd, .g = g};
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = ep};
	if (epoll_ctl(sb->epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
		free(ep);
		return -1;
	}
	ep->next = sb->endpoints;
	if (ep->next != NULL)
		ep->next->prev = ep;
	sb->endpoints = ep;
	if (g != NULL) {
		ep->guest_next = g->endpoints;
		if (ep->guest_next != NULL)
			ep->guest_next->guest_prev = ep;
		g->endpoints = ep;
	}
	return 0;
}

int sandbox_init(struct sandbox *sb)
{
	*sb = (struct sandbox){.max_processes = SANDBOX_DEFAULT_MAX_PROCESSES,
			       .poll_max_ns = SANDBOX_DEFAULT_POLL_NS,
			       .last_guest_cpu = UINT32_MAX,
			       .sigchld = -1,
			       .ticker = -1};
	/* Guest processes are the broker's children (CLONE_PARENT for
	 * forks), and as init of the sandbox's pid namespace it inherits
	 * every orphan: it learns of every exit from SIGCHLD.  A stop signal
	 * ends the sandbox the same way as the main process's end does: every
	 * guest process is killed before the broker goes.  (The launcher
	 * blocked these already: init would drop them, unhandled.) */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	sb->epoll = epoll_create1(EPOLL_CLOEXEC);
	sb->sigchld = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sb->epoll < 0 || sb->sigchld < 0 || watch(sb, NULL, sb->sigchld))
		return -1;
	return 0;
}

int sandbox_set_check(struct sandbox *sb, uint64_t period_ns,
		      int (*check)(size_t live))
{
	struct itimerspec every = {
		.it_interval = {(time_t)(period_ns / 1000000000u),
				(long)(period_ns % 1000000000u)},
	};
	every.it_value = every.it_interval;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -1;
	if (timerfd_settime(fd, 0, &every, NULL) != 0 ||
	    watch(sb, NULL, fd) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	sb->ticker = fd;
	sb->check = check;
	return 0;
}

/* The periodic check's turn (its timer fired). */
static void run_check(struct sandbox *sb)
{
	uint64_t expirations;
	if (read(sb->ticker, &expirations, sizeof(expirations)) < 0) {
		/* EAGAIN: already read; the check runs anyway */
	}
	if (sb->check_status == 0)
		sb->check_status = sb->check(sandbox_live_processes(sb));
}

int sandbox_new_channel(int pair[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
		return -1;
	pair[0] = grant_move_high(pair[0]);
	if (pair[0] < 0) {
		int saved = errno;
		close(pair[1]);
		errno = saved;
		return -1;
	}
	return 0;
}

int sandbox_add_channel(struct sandbox *sb, struct guest *g, int fd)
{
	if (sb->nchannels >= SANDBOX_MAX_CHANNELS) {
		errno = EMFILE;
		return -1;
	}
	if (watch(sb, g, fd) != 0)
		return -1;
	sb->nchannels++;
	g->nchannels++;
	return 0;
}

int sandbox_add_guest(struct sandbox *sb, struct guest *g)
{
	if (sandbox_add_channel(sb, g, g->channel) != 0)
		return -1;
	g->channel = -1; /* owned by its endpoint now */
	sandbox_link_guest(sb, g);
	return 0;
}

void sandbox_link_guest(struct sandbox *sb, struct guest *g)
{
	g->sandbox = sb;
	g->id = ++sb->next_id;
	g->next = sb->guests;
	sb->guests = g;
	sb->nguests++;
	if (sb->main == NULL)
		sb->main = g;
}

size_t sandbox_live_processes(const struct sandbox *sb)
{
	size_t n = 0;
	for (const struct guest *g = sb->guests; g != NULL; g = g->next)
		n += !g->exited;
	return n;
}

void sandbox_release(struct sandbox *sb, struct guest *g)
{
	if (!g->exited || g->nchannels > 0 || g->cap_refs > 0 ||
	    g == sb->main || g->fork_parent != NULL)
		return;
	for (struct guest **p = &sb->guests; *p != NULL; p = &(*p)->next) {
		if (*p == g) {
			*p = g->next;
			sb->nguests--;
			guest_free(g);
			return;
		}
	}
}

void sandbox_ended(struct sandbox *sb, struct guest *g)
{
	/* Its own table may name g (a process descriptor sent to itself):
	 * hold g while the table closes. */
	g->cap_refs++;
	captable_clear(&g->caps);
	guest_forget_exec(g);
	/* Nobody can commit the forks g left pending any more. */
	for (;;) {
		struct guest *c = sb->guests;
		while (c != NULL && c->fork_parent != g)
			c = c->next;
		if (c == NULL)
			break;
		c->fork_parent = NULL;
		if (!c->exited) {
			c->exited = true;
			sandbox_ended(sb, c);
		}
	}
	g->cap_refs--;
	sandbox_release(sb, g);
}

/* Stops watching a channel and closes it. */
static void drop_endpoint(struct sandbox *sb, struct endpoint *ep)
{
	epoll_ctl(sb->epoll, EPOLL_CTL_DEL, ep->fd, NULL);
	close(ep->fd);
	mailbox_detach(&ep->mb);
	if (ep->g != NULL) {
		sb->nchannels--;
		ep->g->nchannels--;
		if (ep->guest_prev != NULL)
			ep->guest_prev->guest_next = ep->guest_next;
		else
			ep->g->endpoints = ep->guest_next;
		if (ep->guest_next != NULL)
			ep->guest_next->guest_prev = ep->guest_prev;
	}
	if (ep->prev != NULL)
		ep->prev->next = ep->next;
	else
		sb->endpoints = ep->next;
	if (ep->next != NULL)
		ep->next->prev = ep->prev;
	free(ep);
}

/* Records g's end if it has ended; true if it had. */
bool sandbox_try_reap(struct sandbox *sb, struct guest *g)
{
	if (g->exited || g->pidfd < 0)
		return g->exited;
	siginfo_t info = {0};
	if (waitid((idtype_t)P_PIDFD, (id_t)g->pidfd, &info,
		   WEXITED | WNOHANG) != 0 ||
	    info.si_pid == 0)
		return false;
	g->exited = true;
	g->wait_code = info.si_code;
	g->wait_status = info.si_status;
	sandbox_ended(sb, g);
	return true;
}

/* A registered process that has not been reaped and has this pid (in the
 * broker's pid namespace), or NULL. */
static struct guest *registered(const struct sandbox *sb, pid_t pid)
{
	for (struct guest *g = sb->guests; g != NULL; g = g->next)
		if (!g->exited && g->pidfd >= 0 && g->pid == pid)
			return g;
	return NULL;
}

static bool fork_pending(const struct sandbox *sb)
{
	for (const struct guest *g = sb->guests; g != NULL; g = g->next)
		if (g->fork_parent != NULL)
			return true;
	return false;
}

/*
 * As init, the broker is the parent of every process a guest cloned behind
 * its back and of every orphan of the namespace: reaps those that ended,
 * so that they do not pile up as zombies.  A registered process is reaped
 * through its record instead.  Not while a fork is pending: its child,
 * whose pid the broker does not know yet, must stay a zombie until
 * FORK_COMMIT names it (then or at the next SIGCHLD the others go).
 */
static void reap_unregistered(struct sandbox *sb)
{
	while (!fork_pending(sb)) {
		siginfo_t info = {0};
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    info.si_pid == 0)
			return;
		struct guest *g = registered(sb, info.si_pid);
		if (g != NULL) {
			if (!sandbox_try_reap(sb, g))
				return;
			continue;
		}
		if (waitpid(info.si_pid, NULL, WNOHANG) != info.si_pid)
			return;
	}
}

/* Reaps every child that has ended (and notes a stop signal).  Each known
 * one is waited for through its own pidfd, so a child whose fork is not
 * committed yet stays a zombie until the broker knows it. */
static void reap_children(struct sandbox *sb)
{
	struct signalfd_siginfo si;
	while (read(sb->sigchld, &si, sizeof(si)) == sizeof(si)) {
		/* drain: one pass serves any number of SIGCHLDs */
		if (si.ssi_signo != SIGCHLD && sb->stop_signal == 0)
			sb->stop_signal = (int)si.ssi_signo;
	}
	/* Releasing one record can release others (the process descriptors
	 * its table held): after every reap, walk the list from the start. */
	bool reaped;
	do {
		reaped = false;
		for (struct guest *g = sb->guests; g != NULL; g = g->next) {
			if (!g->exited && sandbox_try_reap(sb, g)) {
				reaped = true;
				break;
			}
		}
	} while (reaped);
	reap_unregistered(sb);
}

struct mailbox *sandbox_channel_mailbox(struct sandbox *sb, int channel)
{
	for (struct endpoint *ep = sb->endpoints; ep != NULL; ep = ep->next)
		if (ep->g != NULL && ep->fd == channel)
			return &ep->mb;
	return NULL;
}

void sandbox_apply_closes(struct guest *g)
{
	for (struct endpoint *ep = g->endpoints; ep != NULL;
	     ep = ep->guest_next) {
		uint32_t fds[CAPBOX_HC_MAILBOX_CLOSES];
		size_t n = mailbox_take_closes(&ep->mb, fds);
		for (size_t i = 0; i < n; i++)
			captable_remove(&g->caps, fds[i]);
	}
}

/* Stops serving a channel (it failed, or speaks for a process that has
 * ended) and releases what it held. */
static void retire_endpoint(struct sandbox *sb, struct endpoint *ep)
{
	struct guest *g = ep->g;
	drop_endpoint(sb, ep);
	sandbox_release(sb, g);
}

/* The channels of every process that has ended speak for nobody: closed
 * now, not at their next event (at the sandbox's end there may be none). */
static void retire_ended_channels(struct sandbox *sb)
{
	struct endpoint *next;
	for (struct endpoint *ep = sb->endpoints; ep != NULL; ep = next) {
		next = ep->next;
		if (ep->g != NULL && ep->g->exited)
			retire_endpoint(sb, ep);
	}
}

/* Serves every request waiting in a mailbox; returns how many there were. */
static size_t serve_mailboxes(struct sandbox *sb)
{
	size_t served = 0;
	struct endpoint *ep = sb->endpoints;
	while (ep != NULL) {
		/* Serving may add endpoints (at the head), never drop others. */
		struct endpoint *next = ep->next;
		if (ep->g != NULL && mailbox_pending(&ep->mb)) {
			served++;
			/* A channel of a process that has ended is in other
			 * hands (passed over a socket): it speaks for nobody. */
			if (ep->g->exited ||
			    dispatch_mailbox(ep->g, ep->fd, &ep->mb) < 0)
				retire_endpoint(sb, ep);
			else
				sb->last_guest_cpu = ep->mb.guest_cpu;
		}
		ep = next;
	}
	return served;
}

/* Tells every mailbox whether the broker is watching it. */
static void set_polling(struct sandbox *sb, bool on)
{
	for (struct endpoint *ep = sb->endpoints; ep != NULL; ep = ep->next)
		if (ep->g != NULL)
			mailbox_set_polling(&ep->mb, on);
}

/*
 * Adaptive polling (common/polling_governor.h says when it pays): after
 * serving, the broker keeps looking for the next request (in the
 * mailboxes, and epoll_wait with no timeout, yielding the CPU between
 * looks) for `window` nanoseconds before it sleeps, and while it looks,
 * shims skip the doorbell.  The window adapts to how long the broker then
 * slept (up to sb->poll_max_ns, `--poll-us`).
 */
/* Looks at the mailboxes (a pause between looks) before each epoll_wait:
 * a request written into shared memory is seen within a few hundred
 * nanoseconds, a socket message within a few microseconds.  With one CPU
 * to run on, spinning would only keep the guest from running. */
#define MAILBOX_SPINS 64

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* How many times to look at the mailboxes between two epoll_waits. */
static int mailbox_spins(void)
{
	static int spins = -1;
	if (spins < 0) {
		cpu_set_t set;
		spins = sched_getaffinity(0, sizeof(set), &set) == 0 &&
					CPU_COUNT(&set) > 1
				? MAILBOX_SPINS
				: 1;
	}
	return spins;
}

/* Serves what is waiting in the mailboxes, looking up to `spins` times;
 * true if there was something. */
static bool spin_on_mailboxes(struct sandbox *sb, int spins)
{
	for (int i = 0; i < spins; i++) {
		if (serve_mailboxes(sb) > 0)
			return true;
		__builtin_ia32_pause();
	}
	return false;
}

/* How often a busy broker looks at its sockets and signals. */
#define EPOLL_EVERY_NS 20000

/* Yields; false (and polling off for a while) if that took long.  The
 * back-off returns to its minimum once a polling window goes by without a
 * slow yield (a guest of this sandbox that ran meanwhile, at its start
 * say, costs little). */
static bool yield_on_time(struct sandbox *sb, uint64_t now)
{
	sched_yield();
	uint64_t back = monotonic_ns();
	if (polling_on_time(now, back))
		return true;
	sb->backoff_ns = polling_backoff_next(sb->backoff_ns);
	sb->busy_until = back + sb->backoff_ns;
	return false;
}

/* At most this often the broker moves off its guest's CPU. */
#define MOVE_INTERVAL_NS 10000000

/*
 * Polling on the CPU the guest writes from helps nobody: the two only take
 * turns (two context switches per call), and the scheduler leaves two busy
 * tasks where they are.  The broker then steps off that CPU (excluding it
 * from its affinity for a moment; the mask it was given comes back at
 * once, so `taskset` still holds).
 */
static void move_off_guest_cpu(struct sandbox *sb, uint64_t now)
{
	int cpu = sched_getcpu();
	if (cpu < 0 || (uint32_t)cpu != sb->last_guest_cpu ||
	    now - sb->last_move_ns < MOVE_INTERVAL_NS)
		return;
	sb->last_move_ns = now;
	cpu_set_t allowed, others;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 ||
	    CPU_COUNT(&allowed) < 2)
		return;
	others = allowed;
	CPU_CLR(cpu, &others);
	if (sched_setaffinity(0, sizeof(others), &others) == 0)
		sched_setaffinity(0, sizeof(allowed), &allowed);
}

static int next_events(struct sandbox *sb, uint64_t *window,
		       struct epoll_event *evs, int max)
{
	uint64_t start = monotonic_ns();
	bool poll = *window > 0 && start >= sb->busy_until;
	if (poll)
		set_polling(sb, true);
	uint64_t looked = 0;
	while (poll) {
		bool busy = spin_on_mailboxes(sb, mailbox_spins());
		uint64_t now = monotonic_ns();
		/* While requests keep coming through the mailboxes, a look at
		 * the sockets every EPOLL_EVERY_NS is enough: each epoll_wait
		 * would delay the next request by its own cost. */
		if (!busy || now - looked >= EPOLL_EVERY_NS) {
			looked = now;
			int n = epoll_wait(sb->epoll, evs, max, 0);
			if (n != 0)
				return n;
		}
		if (busy) {
			start = now;
			move_off_guest_cpu(sb, now);
			continue;
		}
		if (now - start >= *window) {
			sb->backoff_ns = 0; /* a whole window on time */
			break;
		}
		if (!yield_on_time(sb, now))
			break;
	}
	set_polling(sb, false);
	/* A request written while the flags were still up has no doorbell:
	 * serve it now (the caller comes straight back). */
	if (serve_mailboxes(sb) > 0)
		return 0;
	int n = epoll_wait(sb->epoll, evs, max, -1);
	*window = polling_window_after_wait(*window, monotonic_ns() - start,
					    sb->poll_max_ns);
	return n;
}

int sandbox_serve(struct sandbox *sb)
{
	uint64_t window = 0;
	while (!sb->main->exited && sb->stop_signal == 0 &&
	       sb->check_status == 0) {
		struct epoll_event evs[32];
		int n = next_events(sb, &window, evs, 32);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_warn_errno("epoll_wait");
			return -1;
		}
		/* Serve requests before reaping, so that a message sent just
		 * before exiting is not lost. */
		bool children = false;
		for (int i = 0; i < n; i++) {
			struct endpoint *ep = evs[i].data.ptr;
			if (ep->g == NULL) {
				if (ep->fd == sb->ticker)
					run_check(sb);
				else
					children = true;
				continue;
			}
			/* A channel of a process that has ended is in other
			 * hands (passed over a socket): it speaks for nobody. */
			if (ep->g->exited ||
			    dispatch_one(ep->g, ep->fd, &ep->mb) <= 0)
				retire_endpoint(sb, ep);
		}
		if (children)
			reap_children(sb);
	}
	retire_ended_channels(sb);
	return 0;
}

void sandbox_print_stats(const struct sandbox *sb)
{
	size_t fds = 0;
	DIR *d = opendir("/proc/self/fd");
	if (d != NULL) {
		while (readdir(d) != NULL)
			fds++;
		closedir(d);
		fds -= 3; /* ".", ".." and the directory's own descriptor */
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	struct dispatch_counts served = dispatch_counts();
	fprintf(stderr,
		"capbox: stats: records %zu, live %zu, channels %zu, descriptors %zu, maxrss_kb %ld, socket messages %llu (doorbells %llu), mailbox requests %llu, fds passed %llu\n",
		sb->nguests, sandbox_live_processes(sb), sb->nchannels, fds,
		ru.ru_maxrss, (unsigned long long)served.socket,
		(unsigned long long)served.doorbell,
		(unsigned long long)served.mailbox,
		(unsigned long long)served.passed);
}

void sandbox_destroy(struct sandbox *sb)
{
	for (struct guest *g = sb->guests; g != NULL; g = g->next)
		process_signal(g, SIGKILL);
	/* And every process it has no record of: the broker is init of the
	 * sandbox's pid namespace, and whatever is left when it exits, the
	 * kernel kills (src/broker/pidns.c). */
	pidns_kill_all();
	for (struct guest *g = sb->guests; g != NULL; g = g->next) {
		if (!g->exited && g->pidfd >= 0) {
			siginfo_t info;
			while (waitid((idtype_t)P_PIDFD, (id_t)g->pidfd, &info,
				      WEXITED) != 0 &&
			       errno == EINTR) {
			}
			g->exited = true;
		}
	}
	while (sb->endpoints != NULL)
		drop_endpoint(sb, sb->endpoints);
	close(sb->epoll);
	/* Tables may name each other's processes: clear them all before
	 * freeing any record. */
	for (struct guest *g = sb->guests; g != NULL; g = g->next)
		g->sandbox = NULL;
	for (struct guest *g = sb->guests; g != NULL; g = g->next)
		captable_clear(&g->caps);
	while (sb->guests != NULL) {
		struct guest *next = sb->guests->next;
		guest_free(sb->guests);
		sb->guests = next;
	}
}

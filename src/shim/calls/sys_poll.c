/* sys_poll.c: poll: clocks and descriptors through ppoll; a lock or condvar wait (first subscription) through lockwait.c. */
#include <asm/ioctls.h>
#include <linux/poll.h>

#include "common/linux_convert.h"
#include "shim/fdtable.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/lockwait.h"
#include "shim/proc.h"
#include "shim/syscalls.h"

/*
 * Decisions (the spec leaves them open):
 *  - 0 subscriptions: 0 events at once (as FreeBSD's kevent with no
 *    events); more than POLL_MAX_SUBSCRIPTIONS: EINVAL.
 *  - condvar / lock_rdlock / lock_wrlock only as the first subscription,
 *    followed by at most one clock subscription (the timeout); any other
 *    place or combination: ENOTSUP.  Their errors (bad scope, EDEADLK,
 *    EPERM, a bad timeout clock) come back as the first event's error; a
 *    timeout is reported as the clock's event.
 *  - A subscription's own problem is an event carrying the error, reported
 *    without waiting: EBADF (no such descriptor), ENOTCAPABLE (no
 *    POLL_FD_READWRITE right), EINVAL (unknown clock or event type),
 *    ENOTSUP (waiting on a CPU-time clock), EINVAL (proc_terminate on a
 *    descriptor that is not a process).
 *  - Clocks: MONOTONIC and REALTIME, relative or absolute; the precision
 *    is ignored; every clock that has expired is reported.
 *  - fd_read: nbytes is FIONREAD where the descriptor supports it, else 0;
 *    fd_write: nbytes 0.  HANGUP when the peer closed (POLLHUP, POLLRDHUP,
 *    and POLLERR for writes).
 */
#define POLL_MAX_SUBSCRIPTIONS 4096
#define POLL_ON_STACK 16 /* more than this: a temporary mapping */
#define NSEC_PER_SEC UINT64_C(1000000000)

/* One subscription, copied once from guest memory. */
struct poll_slot {
	cloudabi_userdata_t userdata;
	cloudabi_eventtype_t type;
	cloudabi_errno_t error; /* non-zero: an event at once */
	uint32_t pollfd;        /* descriptor events: index in the pollfds */
	int clock;              /* clock: Linux clock id */
	uint64_t deadline;      /* clock: absolute, nanoseconds */
};

static bool is_lock_event(cloudabi_eventtype_t type)
{
	return type == CLOUDABI_EVENTTYPE_CONDVAR ||
	       type == CLOUDABI_EVENTTYPE_LOCK_RDLOCK ||
	       type == CLOUDABI_EVENTTYPE_LOCK_WRLOCK;
}

/* The Linux clock a poll may wait on. */
static cloudabi_errno_t wait_clock(cloudabi_clockid_t id, int *clock)
{
	switch (id) {
	case CLOUDABI_CLOCK_MONOTONIC:
		*clock = CLOCK_MONOTONIC;
		return 0;
	case CLOUDABI_CLOCK_REALTIME:
		*clock = CLOCK_REALTIME;
		return 0;
	case CLOUDABI_CLOCK_PROCESS_CPUTIME_ID:
	case CLOUDABI_CLOCK_THREAD_CPUTIME_ID:
		return CLOUDABI_ENOTSUP;
	default:
		return CLOUDABI_EINVAL;
	}
}

static uint64_t now_ns(int clock)
{
	struct __kernel_timespec ts = {0, 0};
	linux_syscall2(__NR_clock_gettime, clock, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static struct __kernel_timespec ns_to_timespec(uint64_t ns)
{
	return (struct __kernel_timespec){
		.tv_sec = (long long)(ns / NSEC_PER_SEC),
		.tv_nsec = (long long)(ns % NSEC_PER_SEC),
	};
}

/* A clock subscription's absolute deadline (saturating). */
static cloudabi_errno_t clock_deadline(const cloudabi_subscription_t *sub,
				       int *clock, uint64_t *deadline)
{
	cloudabi_errno_t err = wait_clock(sub->clock.clock_id, clock);
	if (err != 0)
		return err;
	*deadline = sub->clock.timeout;
	if ((sub->clock.flags & CLOUDABI_SUBSCRIPTION_CLOCK_ABSTIME) == 0 &&
	    __builtin_add_overflow(now_ns(*clock), sub->clock.timeout,
				   deadline))
		*deadline = UINT64_MAX;
	return 0;
}

/* ---- lock and condvar waits -------------------------------------------- */

static cloudabi_errno_t lock_wait(const cloudabi_subscription_t *sub,
				  const struct lockwait_deadline *deadline)
{
	switch (sub->type) {
	case CLOUDABI_EVENTTYPE_CONDVAR:
		return lockwait_condvar_wait(
			sub->condvar.condvar, sub->condvar.condvar_scope,
			sub->condvar.lock, sub->condvar.lock_scope, deadline);
	case CLOUDABI_EVENTTYPE_LOCK_RDLOCK:
		return lockwait_rdlock(sub->lock.lock, sub->lock.lock_scope,
				       deadline);
	default:
		return lockwait_wrlock(sub->lock.lock, sub->lock.lock_scope,
				       deadline);
	}
}

static cloudabi_errno_t poll_lock(const cloudabi_subscription_t *in,
				  cloudabi_event_t *out, size_t n,
				  size_t *nevents)
{
	cloudabi_subscription_t sub = in[0];
	cloudabi_subscription_t timeout = {0};
	struct lockwait_deadline deadline = {.clock = -1};
	cloudabi_errno_t err = 0;
	if (n > 2)
		return CLOUDABI_ENOTSUP;
	if (n == 2) {
		timeout = in[1];
		if (timeout.type != CLOUDABI_EVENTTYPE_CLOCK)
			return CLOUDABI_ENOTSUP;
		uint64_t at = 0;
		err = clock_deadline(&timeout, &deadline.clock, &at);
		deadline.at = ns_to_timespec(at);
	}
	if (err == 0)
		err = lock_wait(&sub, &deadline);
	cloudabi_event_t ev;
	memset(&ev, 0, sizeof(ev));
	if (err == CLOUDABI_ETIMEDOUT) {
		ev.userdata = timeout.userdata;
		ev.type = CLOUDABI_EVENTTYPE_CLOCK;
	} else {
		ev.userdata = sub.userdata;
		ev.type = sub.type;
		ev.error = err;
	}
	out[0] = ev;
	*nevents = 1;
	return 0;
}

/* ---- process termination ------------------------------------------------ */

/*
 * A process descriptor is a pidfd in the guest: it polls readable once the
 * process has ended.  Then the broker (which reaps every guest process)
 * says how it ended; that stays available after the process is gone.
 */
static cloudabi_errno_t proc_terminate_prepare(cloudabi_fd_t fd,
					       struct pollfd *pfd)
{
	cloudabi_errno_t err =
		fdtable_check(fd, CLOUDABI_RIGHT_POLL_PROC_TERMINATE);
	if (err != 0)
		return err;
	if (fdtable_filetype(fd) != CLOUDABI_FILETYPE_PROCESS)
		return CLOUDABI_EINVAL;
	*pfd = (struct pollfd){.fd = (int)fd, .events = POLLIN};
	return 0;
}

/* False if the broker has not seen the end yet (poll again). */
static bool proc_terminate_report(const struct pollfd *pfd,
				  cloudabi_event_t *ev)
{
	bool exited = false;
	cloudabi_exitcode_t code = 0;
	cloudabi_signal_t sig = 0;
	cloudabi_errno_t err = proc_terminated((cloudabi_fd_t)pfd->fd, &exited,
					       &code, &sig);
	if (err != 0) {
		ev->error = err;
		return true;
	}
	if (!exited)
		return false;
	ev->proc_terminate.exitcode = code;
	ev->proc_terminate.signal = sig;
	return true;
}

/* ---- clocks and descriptors --------------------------------------------- */

/* Copies the subscriptions into slots and pollfds; ENOTSUP for a lock or
 * condvar one (only allowed first).  *now: some event needs no wait. */
static cloudabi_errno_t prepare(const cloudabi_subscription_t *in, size_t n,
				struct poll_slot *slots, struct pollfd *fds,
				uint32_t *nfds, bool *now)
{
	*nfds = 0;
	*now = false;
	for (size_t i = 0; i < n; i++) {
		cloudabi_subscription_t sub = in[i];
		struct poll_slot *s = &slots[i];
		*s = (struct poll_slot){.userdata = sub.userdata,
					.type = sub.type};
		struct pollfd *pfd = &fds[*nfds];
		switch (sub.type) {
		case CLOUDABI_EVENTTYPE_CLOCK:
			s->error = clock_deadline(&sub, &s->clock,
						  &s->deadline);
			break;
		case CLOUDABI_EVENTTYPE_FD_READ:
		case CLOUDABI_EVENTTYPE_FD_WRITE:
			s->error =
				fdtable_use(sub.fd_readwrite.fd,
					    CLOUDABI_RIGHT_POLL_FD_READWRITE);
			*pfd = (struct pollfd){
				.fd = (int)sub.fd_readwrite.fd,
				.events = sub.type == CLOUDABI_EVENTTYPE_FD_READ
						  ? POLLIN | POLLRDHUP
						  : POLLOUT,
			};
			if (s->error == 0)
				s->pollfd = (*nfds)++;
			break;
		case CLOUDABI_EVENTTYPE_PROC_TERMINATE:
			s->error = proc_terminate_prepare(sub.proc_terminate.fd,
							  pfd);
			if (s->error == 0)
				s->pollfd = (*nfds)++;
			break;
		default:
			if (is_lock_event(sub.type))
				return CLOUDABI_ENOTSUP;
			s->error = CLOUDABI_EINVAL;
			break;
		}
		if (s->error != 0)
			*now = true;
	}
	return 0;
}

/* How long ppoll may sleep: until the earliest clock, or for ever. */
static const struct __kernel_timespec *sleep_time(const struct poll_slot *slots,
						  size_t n, bool now,
						  struct __kernel_timespec *ts)
{
	uint64_t least = UINT64_MAX;
	bool any = now;
	if (now)
		least = 0;
	for (size_t i = 0; i < n && least > 0; i++) {
		if (slots[i].type != CLOUDABI_EVENTTYPE_CLOCK ||
		    slots[i].error != 0)
			continue;
		uint64_t t = now_ns(slots[i].clock);
		uint64_t left = slots[i].deadline > t ? slots[i].deadline - t
						      : 0;
		any = true;
		if (left < least)
			least = left;
	}
	if (!any)
		return NULL;
	*ts = ns_to_timespec(least);
	return ts;
}

static cloudabi_filesize_t readable_bytes(int fd)
{
	int n = 0;
	if (linux_syscall3(__NR_ioctl, fd, FIONREAD, &n) < 0 || n < 0)
		return 0;
	return (cloudabi_filesize_t)n;
}

/* The event of slot s, if it happened. */
static bool happened(const struct poll_slot *s, const struct pollfd *fds,
		     cloudabi_event_t *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->userdata = s->userdata;
	ev->type = s->type;
	ev->error = s->error;
	if (s->error != 0)
		return true;
	if (s->type == CLOUDABI_EVENTTYPE_CLOCK)
		return now_ns(s->clock) >= s->deadline;

	const struct pollfd *pfd = &fds[s->pollfd];
	if (pfd->revents == 0)
		return false;
	if (s->type == CLOUDABI_EVENTTYPE_PROC_TERMINATE)
		return proc_terminate_report(pfd, ev);
	if ((pfd->revents & POLLNVAL) != 0) {
		ev->error = CLOUDABI_EBADF; /* closed while we waited */
		return true;
	}
	bool reading = s->type == CLOUDABI_EVENTTYPE_FD_READ;
	short hangup = POLLHUP | (reading ? POLLRDHUP : POLLERR);
	if ((pfd->revents & hangup) != 0)
		ev->fd_readwrite.flags = CLOUDABI_EVENT_FD_READWRITE_HANGUP;
	if (reading)
		ev->fd_readwrite.nbytes = readable_bytes(pfd->fd);
	return true;
}

static cloudabi_errno_t wait_events(struct poll_slot *slots, size_t n,
				    struct pollfd *fds, uint32_t nfds, bool now,
				    cloudabi_event_t *out, size_t *nevents)
{
	for (;;) {
		struct __kernel_timespec ts;
		const struct __kernel_timespec *timeout = sleep_time(slots, n,
								     now, &ts);
		long r = linux_syscall5(__NR_ppoll, fds, nfds, timeout, NULL,
					0);
		if (r == -EINTR)
			continue;
		if (r < 0)
			return capbox_errno_from_linux((int)-r);
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			cloudabi_event_t ev;
			if (happened(&slots[i], fds, &ev))
				out[k++] = ev;
		}
		if (k > 0) {
			*nevents = k;
			return 0;
		}
		/* Woken before any clock expired: sleep again. */
	}
}

static cloudabi_errno_t poll_events(const cloudabi_subscription_t *in,
				    cloudabi_event_t *out, size_t n,
				    size_t *nevents)
{
	struct poll_slot slots_here[POLL_ON_STACK];
	struct pollfd fds_here[POLL_ON_STACK];
	struct poll_slot *slots = slots_here;
	struct pollfd *fds = fds_here;
	size_t mapped = 0;
	if (n > POLL_ON_STACK) {
		mapped = n * (sizeof(*slots) + sizeof(*fds));
		void *p = linux_mmap(NULL, mapped, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (linux_mmap_failed(p))
			return CLOUDABI_ENOMEM;
		slots = p;
		fds = (struct pollfd *)(slots + n);
	}
	uint32_t nfds;
	bool now;
	cloudabi_errno_t err = prepare(in, n, slots, fds, &nfds, &now);
	if (err == 0)
		err = wait_events(slots, n, fds, nfds, now, out, nevents);
	if (mapped != 0)
		linux_syscall2(__NR_munmap, slots, mapped);
	return err;
}

cloudabi_errno_t cloudabi_sys_poll(const cloudabi_subscription_t *in,
				   cloudabi_event_t *out, size_t nsubscriptions,
				   size_t *nevents)
{
	if (nsubscriptions == 0) {
		*nevents = 0;
		return 0;
	}
	if (nsubscriptions > POLL_MAX_SUBSCRIPTIONS)
		return CLOUDABI_EINVAL;
	if (is_lock_event(in[0].type))
		return poll_lock(in, out, nsubscriptions, nevents);
	return poll_events(in, out, nsubscriptions, nevents);
}

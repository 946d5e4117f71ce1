/* proc.h: helpers for guest tests of processes: wait for a child through its process descriptor. */
#ifndef CAPBOX_TESTS_PROC_H
#define CAPBOX_TESTS_PROC_H

#include <cloudabi_syscalls.h>

/* Waits (up to timeout_ns, 0 = forever) for the process behind fd to end;
 * returns the poll error, or 0 with *event filled. */
static inline cloudabi_errno_t proc_wait(cloudabi_fd_t fd,
					 cloudabi_timestamp_t timeout_ns,
					 cloudabi_event_t *event)
{
	cloudabi_subscription_t subs[2] = {
		{.userdata = 1,
		 .type = CLOUDABI_EVENTTYPE_PROC_TERMINATE,
		 .proc_terminate.fd = fd},
		{.userdata = 2,
		 .type = CLOUDABI_EVENTTYPE_CLOCK,
		 .clock.clock_id = CLOUDABI_CLOCK_MONOTONIC,
		 .clock.timeout = timeout_ns},
	};
	size_t nevents = 0;
	cloudabi_errno_t err = cloudabi_sys_poll(subs, event,
						 timeout_ns ? 2 : 1, &nevents);
	if (err != 0)
		return err;
	if (nevents != 1)
		return CLOUDABI_EIO;
	if (event->userdata == 2)
		return CLOUDABI_ETIMEDOUT;
	return event->error;
}

/* Sleeps for ns nanoseconds (a clock poll); a process blocked for good
 * until something kills it. */
static inline void proc_sleep(cloudabi_timestamp_t ns)
{
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_CLOCK,
		.clock.clock_id = CLOUDABI_CLOCK_MONOTONIC,
		.clock.timeout = ns,
	};
	cloudabi_event_t ev;
	size_t n;
	cloudabi_sys_poll(&sub, &ev, 1, &n);
}

#endif

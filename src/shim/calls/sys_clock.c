/* sys_clock.c: clock and random-number system calls, done directly. */
#include "common/linux_convert.h"
#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/syscalls.h"

/* CloudABI clock ids to Linux ones; -1 if unknown. */
static int linux_clock(cloudabi_clockid_t id)
{
	switch (id) {
	case CLOUDABI_CLOCK_MONOTONIC:
		return CLOCK_MONOTONIC;
	case CLOUDABI_CLOCK_PROCESS_CPUTIME_ID:
		return CLOCK_PROCESS_CPUTIME_ID;
	case CLOUDABI_CLOCK_REALTIME:
		return CLOCK_REALTIME;
	case CLOUDABI_CLOCK_THREAD_CPUTIME_ID:
		return CLOCK_THREAD_CPUTIME_ID;
	default:
		return -1;
	}
}

static cloudabi_errno_t to_timestamp(const struct __kernel_timespec *ts,
				     cloudabi_timestamp_t *out)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    (uint64_t)ts->tv_sec > UINT64_MAX / 1000000000u)
		return CLOUDABI_EOVERFLOW;
	*out = (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
	return 0;
}

cloudabi_errno_t cloudabi_sys_clock_res_get(cloudabi_clockid_t clock_id,
					    cloudabi_timestamp_t *resolution)
{
	int id = linux_clock(clock_id);
	if (id < 0)
		return CLOUDABI_EINVAL;
	struct __kernel_timespec ts;
	long ret = linux_syscall2(__NR_clock_getres, id, &ts);
	if (ret < 0)
		return capbox_errno_from_linux((int)-ret);
	return to_timestamp(&ts, resolution);
}

cloudabi_errno_t cloudabi_sys_clock_time_get(cloudabi_clockid_t clock_id,
					     cloudabi_timestamp_t precision,
					     cloudabi_timestamp_t *time)
{
	(void)precision; /* every Linux clock read is exact enough */
	int id = linux_clock(clock_id);
	if (id < 0)
		return CLOUDABI_EINVAL;
	struct __kernel_timespec ts;
	/* The kernel's vDSO reads the clock without entering the kernel. */
	long ret = shim_proc.vdso_clock_gettime != NULL
			   ? shim_proc.vdso_clock_gettime(id, &ts)
			   : linux_syscall2(__NR_clock_gettime, id, &ts);
	if (ret < 0)
		return capbox_errno_from_linux((int)-ret);
	return to_timestamp(&ts, time);
}

cloudabi_errno_t cloudabi_sys_random_get(void *buf, size_t buf_len)
{
	unsigned char *p = buf;
	while (buf_len > 0) {
		long ret = linux_syscall3(__NR_getrandom, p, buf_len, 0);
		if (ret == -EINTR)
			continue;
		if (ret < 0)
			return capbox_errno_from_linux((int)-ret);
		p += ret;
		buf_len -= (size_t)ret;
	}
	return 0;
}

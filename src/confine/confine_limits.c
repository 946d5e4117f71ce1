/* confine_limits.c: the guest's resource limits: descriptors, processes, address space, no core dumps. */
#include "confine/confine.h"

#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>

/* Address space per process: the 8 MiB stack, the program and its heap. */
#define GUEST_ADDRESS_SPACE (UINT64_C(4) << 30)

int confine_lower_limit(int resource, uint64_t soft, uint64_t hard)
{
	struct rlimit lim;
	if (getrlimit(resource, &lim) != 0)
		return errno;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < hard)
		hard = lim.rlim_max;
	lim.rlim_cur = (rlim_t)(soft < hard ? soft : hard);
	lim.rlim_max = (rlim_t)hard;
	return setrlimit(resource, &lim) == 0 ? 0 : errno;
}

/* Lowers both limits to `value` (never raises one). */
static int cap(int resource, rlim_t value)
{
	return confine_lower_limit(resource, value, value);
}

int confine_set_limits(unsigned long nofile)
{
	int err = cap(RLIMIT_NOFILE, (rlim_t)nofile);
	if (err == 0)
		err = cap(RLIMIT_CORE, 0);
	if (err == 0)
		err = cap(RLIMIT_NPROC, CONFINE_GUEST_NPROC);
	if (err == 0)
		err = cap(RLIMIT_AS, GUEST_ADDRESS_SPACE);
	return err;
}

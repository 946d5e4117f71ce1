/* confine_limits.c: the guest's resource limits: descriptors, processes, address space, no core dumps. */
#include "confine/confine.h"

#include <errno.h>
#include <stdint.h>
#include <sys/resource.h>

/* Threads count as processes.  Linux applies this per user (per user in
 * the guest's user namespace when there is one) and not at all to root. */
#define GUEST_NPROC 512
/* Address space per process: the 8 MiB stack, the program and its heap. */
#define GUEST_ADDRESS_SPACE (UINT64_C(4) << 30)

/* Lowers both limits to `value` (never raises one). */
static int cap(int resource, rlim_t value)
{
	struct rlimit lim;
	if (getrlimit(resource, &lim) != 0)
		return errno;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < value)
		value = lim.rlim_max;
	lim.rlim_cur = lim.rlim_max = value;
	return setrlimit(resource, &lim) == 0 ? 0 : errno;
}

int confine_set_limits(unsigned long nofile)
{
	int err = cap(RLIMIT_NOFILE, (rlim_t)nofile);
	if (err == 0)
		err = cap(RLIMIT_CORE, 0);
	if (err == 0)
		err = cap(RLIMIT_NPROC, GUEST_NPROC);
	if (err == 0)
		err = cap(RLIMIT_AS, GUEST_ADDRESS_SPACE);
	return err;
}

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

uint64_t confine_own_files_begin(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_FSIZE, &lim) != 0)
		return RLIM_INFINITY;
	uint64_t soft = lim.rlim_cur;
	lim.rlim_cur = lim.rlim_max;
	(void)setrlimit(RLIMIT_FSIZE, &lim);
	return soft;
}

void confine_own_files_end(uint64_t soft)
{
	/* Infinite: begin changed nothing (or could not read the limit). */
	struct rlimit lim;
	if (soft == RLIM_INFINITY || getrlimit(RLIMIT_FSIZE, &lim) != 0)
		return;
	int saved = errno; /* the caller reports its write's */
	lim.rlim_cur = (rlim_t)soft;
	(void)setrlimit(RLIMIT_FSIZE, &lim);
	errno = saved;
}

int confine_set_limits(unsigned long nofile)
{
	/* The file size limit (the broker's soft one, --max-file-size)
	 * becomes the guest's hard one too. */
	struct rlimit fsize;
	int err = getrlimit(RLIMIT_FSIZE, &fsize) == 0 ? 0 : errno;
	if (err == 0)
		err = cap(RLIMIT_FSIZE, fsize.rlim_cur);
	if (err == 0)
		err = cap(RLIMIT_NOFILE, (rlim_t)nofile);
	if (err == 0)
		err = cap(RLIMIT_CORE, 0);
	if (err == 0)
		err = cap(RLIMIT_NPROC, CONFINE_GUEST_NPROC);
	if (err == 0)
		err = cap(RLIMIT_AS, GUEST_ADDRESS_SPACE);
	return err;
}

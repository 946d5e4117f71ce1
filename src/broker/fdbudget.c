/* fdbudget.c: the broker's descriptors: the limit it runs under, the guest's descriptor layout scaled to it, the sandbox's budget within it, the reserve kept for its own work. */
#include "broker/fdbudget.h"

#include <errno.h>
#include <sys/resource.h>

#include "broker/diag.h"
#include "common/linux_convert.h"

_Static_assert(CAPBOX_GUEST_NOFILE - CAPBOX_FD_PRIVATE_COUNT -
			       CAPBOX_GUEST_NOFILE / 4 >=
		       2 * CAPBOX_GUEST_FD_LIMIT,
	       "the default layout fits the default guest limit");

struct capbox_fd_layout fdbudget_layout =
	CAPBOX_FD_LAYOUT(CAPBOX_GUEST_FD_LIMIT);
static rlim_t hard_limit;
static rlim_t guest_nofile = CAPBOX_GUEST_NOFILE;

/* G for a guest limit of `nofile` (fdbudget.h). */
static uint32_t guest_fds_for(rlim_t nofile)
{
	rlim_t fit = (nofile - CAPBOX_FD_PRIVATE_COUNT - nofile / 4) / 2;
	return fit < CAPBOX_GUEST_FD_LIMIT ? (uint32_t)fit
					   : CAPBOX_GUEST_FD_LIMIT;
}

void fdbudget_raise(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
		diag_die_errno(CAPBOX_EXIT_USAGE,
			       "cannot read the descriptor limit");
	if (lim.rlim_max < FDBUDGET_MIN_LIMIT)
		diag_die(
			CAPBOX_EXIT_USAGE,
			"the descriptor limit (ulimit -Hn) is %llu; capbox needs at least %d: a guest process holds its own descriptors and the shim's below the limit, and the broker the sandbox's and %d in reserve; raise the hard limit (ulimit -Hn %d as root, LimitNOFILE= in a systemd unit, nofile in /etc/security/limits.conf)",
			(unsigned long long)lim.rlim_max, FDBUDGET_MIN_LIMIT,
			FDBUDGET_RESERVE, CAPBOX_GUEST_NOFILE);
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
		diag_die_errno(CAPBOX_EXIT_USAGE,
			       "cannot raise the descriptor limit");
	hard_limit = lim.rlim_max;
	guest_nofile = hard_limit < CAPBOX_GUEST_NOFILE ? hard_limit
							: CAPBOX_GUEST_NOFILE;
	fdbudget_layout = CAPBOX_FD_LAYOUT(guest_fds_for(guest_nofile));
}

void fdbudget_cap_process(uint32_t most)
{
	if (most < FDBUDGET_MIN_PROCESS_FDS ||
	    most >= fdbudget_layout.guest_fds)
		return;
	fdbudget_layout = CAPBOX_FD_LAYOUT(most);
	/* The guest's kernel limit follows: the least N whose layout holds
	 * G = most (the same rule as a low hard limit), so raw descriptors
	 * stop there too. */
	rlim_t nofile = most;
	while (guest_fds_for(nofile) < most)
		nofile++;
	if (nofile < guest_nofile)
		guest_nofile = nofile;
}

unsigned long fdbudget_guest_nofile(void)
{
	return (unsigned long)guest_nofile;
}

unsigned long fdbudget_most(void)
{
	return (unsigned long)(hard_limit -
			       (rlim_t)fdbudget_layout.private_end -
			       FDBUDGET_RESERVE);
}

static int set_soft(rlim_t soft)
{
	struct rlimit lim = {soft, hard_limit};
	return setrlimit(RLIMIT_NOFILE, &lim);
}

int fdbudget_apply(unsigned long budget)
{
	if (budget == 0 || budget > fdbudget_most())
		budget = fdbudget_most();
	return set_soft((rlim_t)fdbudget_layout.private_end + (rlim_t)budget);
}

void fdbudget_release(void)
{
	if (set_soft(hard_limit) != 0)
		diag_warn_errno(
			"cannot give the broker its descriptor reserve");
}

cloudabi_errno_t fdbudget_errno(int linux_errno)
{
	return linux_errno == EMFILE ? CLOUDABI_ENFILE
				     : capbox_errno_from_linux(linux_errno);
}

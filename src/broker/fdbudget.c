/* fdbudget.c: the broker's descriptors: the limit it runs under, the sandbox's budget within it, the reserve kept for its own work. */
#include "broker/fdbudget.h"

#include <errno.h>
#include <sys/resource.h>

#include "broker/diag.h"
#include "common/linux_convert.h"

static rlim_t hard_limit;

void fdbudget_raise(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
		diag_die_errno(CAPBOX_EXIT_USAGE,
			       "cannot read the descriptor limit");
	if (lim.rlim_max < FDBUDGET_MIN_LIMIT) {
		/* Only a privileged user may raise a hard limit. */
		struct rlimit raised = {FDBUDGET_RAISED_LIMIT,
					FDBUDGET_RAISED_LIMIT};
		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			lim = raised;
	}
	if (lim.rlim_max < FDBUDGET_MIN_LIMIT)
		diag_die(
			CAPBOX_EXIT_USAGE,
			"the descriptor limit (ulimit -Hn) is %llu; capbox needs at least %d: a guest process holds its own descriptors at 0-%d and the shim's at %d-%d, and the broker keeps the sandbox's above those, %d in reserve; raise the hard limit (ulimit -Hn %d as root, LimitNOFILE= in a systemd unit, nofile in /etc/security/limits.conf) or run capbox as root, which raises it itself",
			(unsigned long long)lim.rlim_max, FDBUDGET_MIN_LIMIT,
			CAPBOX_GUEST_FD_LIMIT - 1, CAPBOX_GUEST_FD_LIMIT,
			CAPBOX_FD_PRIVATE_END - 1, FDBUDGET_RESERVE,
			FDBUDGET_RAISED_LIMIT);
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
		diag_die_errno(CAPBOX_EXIT_USAGE,
			       "cannot raise the descriptor limit");
	hard_limit = lim.rlim_max;
}

unsigned long fdbudget_most(void)
{
	return (unsigned long)(hard_limit - CAPBOX_FD_PRIVATE_END -
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
	return set_soft(CAPBOX_FD_PRIVATE_END + (rlim_t)budget);
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

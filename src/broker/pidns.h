/* pidns.h: the sandbox's pid namespace: the launcher makes it and waits, the broker is its init, and the kernel ends every process in it when the broker ends. */
#ifndef CAPBOX_BROKER_PIDNS_H
#define CAPBOX_BROKER_PIDNS_H

#include <stddef.h>

/*
 * `capbox run` parses, opens its grants and checks the program in the
 * launcher, then calls pidns_enter: a new pid namespace (a user namespace
 * around it when capbox lacks CAP_SYS_ADMIN) and one fork.  The child, pid 1
 * of the namespace, returns and is the broker; the launcher never returns:
 * it forwards SIGINT, SIGTERM and SIGHUP to the broker and ends as the
 * broker did.  When pid 1 ends, for whatever reason (SIGKILL included, and
 * the launcher's death through the parent-death signal), Linux kills every
 * other process of the namespace and reaps it before the launcher sees the
 * broker end: no guest process, however it was cloned, outlives capbox.
 * Without a pid namespace capbox refuses to run (status 125).
 */
void pidns_enter(void);

/* When the launcher's hook runs. */
enum pidns_moment {
	/* once the broker reports that it has forked the first guest process
	 * and done its own part of that process's set-up (pidns_report_guest_
	 * forked): the hook's work then runs beside the guest's set-up rather
	 * than competing with the broker's; never, if the broker ends first */
	PIDNS_GUEST_FORKED,
	/* right after the broker is forked */
	PIDNS_BROKER_FORKED,
};

/* Launcher: fn runs once, at `when` (the budgets make their cgroups:
 * src/limits).  keep[0..nkeep-1] (at most 4) are descriptors fn uses: the
 * launcher keeps them open; every other one from 3 up but its report pipe
 * it closes once the broker is forked.  fn may end the launcher, which
 * ends the broker first.  At most one. */
void pidns_launcher_hook(void (*fn)(void), const int *keep, size_t nkeep,
			 enum pidns_moment when);

/* Broker: the report that runs the hook above. */
void pidns_report_guest_forked(void);

/* Launcher: fn runs once every process of the sandbox is gone: when the
 * broker reports it (pidns_report_empty, so that fn overlaps the broker's
 * own end), else when the broker has ended, and in any case before the
 * launcher ends, also by a signal or an error (the budgets remove their
 * cgroups: src/limits).  At most one. */
void pidns_at_sandbox_end(void (*fn)(void));

/* Broker: SIGKILL to every other process of the namespace (registered
 * guests, raw clones, orphans) and reaps whatever has ended; a no-op in a
 * process that is not that init (the hypercall fuzzer). */
void pidns_kill_all(void);

/* Broker: tells the launcher that it has killed and reaped every other
 * process of the sandbox and reads no budget any more. */
void pidns_report_empty(void);

/* Broker: tells the launcher that the stop signal sig ended the sandbox
 * (it then ends by that signal itself) and exits. */
__attribute__((noreturn)) void pidns_exit_stopped(int sig);

#endif

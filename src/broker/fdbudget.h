/* fdbudget.h: the broker's descriptors: the limit it runs under, the sandbox's budget within it, the reserve kept for its own work. */
#ifndef CAPBOX_BROKER_FDBUDGET_H
#define CAPBOX_BROKER_FDBUDGET_H

#include "cloudabi/abi.h"
#include "protocol/hypercall.h"

/*
 * Everything the broker holds for a sandbox (every process's capability
 * table, channels, process descriptors, in-flight
 * records) lives at numbers from CAPBOX_FD_PRIVATE_END up: the one guest
 * process the broker starts itself gets its descriptors placed by number,
 * and sources above every target cannot be clobbered (spawn.c).  Below
 * that the broker keeps only its own: standard streams, its event loop,
 * and what one request or the teardown opens for a moment.
 *
 * While it serves, the broker's soft RLIMIT_NOFILE is
 * CAPBOX_FD_PRIVATE_END + budget, so the kernel itself counts the
 * sandbox's descriptors against ONE budget and refuses the one past it
 * (the guest sees ENFILE).  At least FDBUDGET_RESERVE numbers stay above
 * the budget, and the whole low range below CAPBOX_FD_PRIVATE_END stays the
 * broker's, for its own work and the teardown (fdbudget_release).
 */
#define FDBUDGET_RESERVE 64
/* The smallest budget --max-fds accepts: the grants count against it. */
#define FDBUDGET_MIN 16
/* The least hard limit capbox runs under: a guest process holds its own
 * descriptors at 0..1023 and the shim's at 1024..1031, and the broker
 * needs room above those for a budget of at least 968. */
#define FDBUDGET_MIN_LIMIT (2 * CAPBOX_FD_PRIVATE_END)
/* What capbox raises the hard limit to when it may (as root) and the
 * limit is below FDBUDGET_MIN_LIMIT. */
#define FDBUDGET_RAISED_LIMIT 4096

/* Raises the soft limit to the hard one (and, where allowed, a hard limit
 * below FDBUDGET_MIN_LIMIT); ends capbox saying why and what to do when
 * the limit is too low. */
void fdbudget_raise(void);

/* The largest budget the limit allows. */
unsigned long fdbudget_most(void);

/* From now on the sandbox may make the broker hold `budget` descriptors
 * (0: fdbudget_most()).  Returns 0, or -1 with errno. */
int fdbudget_apply(unsigned long budget);

/* A Linux errno from one of the broker's own calls, for the guest: as
 * capbox_errno_from_linux, but EMFILE is ENFILE.  The broker's table is
 * shared by every process of the sandbox, like a system's file table;
 * EMFILE stays the answer for a guest's own table (captable_alloc). */
cloudabi_errno_t fdbudget_errno(int linux_errno);

/* Gives the broker its whole limit back (for the teardown). */
void fdbudget_release(void);

#endif

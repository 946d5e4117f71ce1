/* fdbudget.h: the broker's descriptors: the limit it runs under, the guest's descriptor layout scaled to it, the sandbox's budget within it, the reserve kept for its own work. */
#ifndef CAPBOX_BROKER_FDBUDGET_H
#define CAPBOX_BROKER_FDBUDGET_H

#include "cloudabi/abi.h"
#include "protocol/hypercall.h"

/*
 * The hard RLIMIT_NOFILE capbox starts under (H) decides everything:
 *
 *   guest process   0..G-1            the guest's CloudABI descriptors
 *                   G..G+7            the shim's private ones (channel,
 *                                     program, argdata, shim, filter)
 *                   G+8..N-1          the shim's threads' channels,
 *                                     descriptors on their way in, and
 *                                     those proc_exec keeps (up to G)
 *   broker          0..G+7            its own: standard streams, event
 *                                     loop, what one request or the
 *                                     teardown opens for a moment
 *                   G+8..G+7+budget   the sandbox's: every process's
 *                                     capability table, channels, process
 *                                     descriptors, in-flight records
 *                   the rest, >= FDBUDGET_RESERVE   kept for the teardown
 *
 * where N, the guest's RLIMIT_NOFILE, is min(H, CAPBOX_GUEST_NOFILE), and
 * G = min(CAPBOX_GUEST_FD_LIMIT, (N - 8 - N/4) / 2): a quarter of N for the
 * threads and descriptors on their way in, and room for a proc_exec that
 * keeps all G.  Under the common limits (H >= CAPBOX_GUEST_NOFILE) G is
 * 1024 and the layout is the one capbox always had (channel at 1024, N
 * 3073).
 *
 * The first guest process gets its descriptors placed by number from the
 * sandbox's (all >= G+8, above every target: spawn.c).  While it serves,
 * the broker's soft RLIMIT_NOFILE is G+8 + budget, so the kernel itself
 * counts the sandbox's descriptors against ONE budget and refuses the one
 * past it (the guest sees ENFILE); fdbudget_release gives the reserve back
 * for the teardown.
 */
#define FDBUDGET_RESERVE 64
/* The smallest budget --max-fds accepts: the grants count against it. */
#define FDBUDGET_MIN 16
/* The least hard limit capbox runs under: G = 92 there, and a budget of
 * 92 (no smaller limit leaves both a useful table and the reserve). */
#define FDBUDGET_MIN_LIMIT 256

/* Reads the hard limit, chooses the layout, raises the soft limit to the
 * hard one; ends capbox saying why and what to do when the hard limit is
 * below FDBUDGET_MIN_LIMIT. */
void fdbudget_raise(void);

/* The guest's descriptor layout (CAPBOX_FD_LAYOUT(G)); the default one
 * until fdbudget_raise. */
extern struct capbox_fd_layout fdbudget_layout;
/* The smallest table --max-process-fds accepts (the shim's least G). */
#define FDBUDGET_MIN_PROCESS_FDS 16

/* Lowers G, each guest process's table, to `most` (FDBUDGET_MIN_PROCESS_FDS
 * up to the G the limit allows; a larger value changes nothing): every
 * number the layout names follows, and a process's next descriptor past
 * it is EMFILE.  Before any grant is entered. */
void fdbudget_cap_process(uint32_t most);

/* The guest process's RLIMIT_NOFILE (N). */
unsigned long fdbudget_guest_nofile(void);

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

/* sandbox.h: every process of one sandbox and the event loop that serves their channels. */
#ifndef CAPBOX_BROKER_SANDBOX_H
#define CAPBOX_BROKER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "broker/guest.h"
#include "broker/mailbox.h"

/*
 * One epoll instance watches every channel (one per guest thread) and every
 * process handle (pidfd) of the sandbox.  Handlers never block: a call that
 * would wait (a read on an empty socket, a lock) waits in the guest thread,
 * not here, so one slow guest thread never stalls the others.
 */
struct endpoint;

struct sandbox {
	int epoll;
	int sigchld;     /* signalfd: SIGCHLD (the broker reaps every guest
		      * process) and the stop signals below */
	int stop_signal; /* SIGINT, SIGTERM or SIGHUP received, else 0 */
	int ticker;      /* timerfd of the periodic check, or -1 */
	int (*check)(size_t live); /* that check (sandbox_set_check) */
	int check_status; /* what a check ended the sandbox with, else 0 */
	struct endpoint *endpoints; /* what epoll watches, for clean-up */
	struct guest *main;         /* the process `capbox run` started */
	struct guest *guests;       /* every process not yet released */
	size_t nguests;
	size_t nchannels;
	size_t max_processes; /* records at most: live processes, pending
			       * forks, and ended ones still named */
	uint64_t poll_max_ns; /* longest adaptive polling window (sandbox.c) */
	uint32_t last_guest_cpu; /* where the last mailbox request came from */
	uint64_t last_move_ns;   /* when the broker last changed CPU */
	uint64_t busy_until;     /* no polling before: the CPUs are wanted */
	uint64_t backoff_ns;     /* the last such pause (sandbox.c) */
	uint32_t next_id;
};

#define SANDBOX_DEFAULT_MAX_PROCESSES 64
/* Like KVM's halt_poll_ns default: after a request the broker may keep
 * looking for the next one this long before it sleeps. */
#define SANDBOX_DEFAULT_POLL_NS 200000

int sandbox_init(struct sandbox *sb);

/* The mailbox of the channel served on descriptor `channel`, or NULL (the
 * hypercall fuzzer drives it directly). */
struct mailbox *sandbox_channel_mailbox(struct sandbox *sb, int channel);

/* Carries out the closes g's shims listed in their mailboxes
 * (protocol/hc_mailbox.h); the decoder calls it before each of g's
 * requests.  It looks at g's own channels only. */
void sandbox_apply_closes(struct guest *g);

/* Adds a process (with its first channel in g->channel) to the sandbox.
 * The first one added is the main process. */
int sandbox_add_guest(struct sandbox *sb, struct guest *g);

/* Records g's end if it has ended (g may be released then); true if
 * it had. */
bool sandbox_try_reap(struct sandbox *sb, struct guest *g);

/* g has ended (reaped, or a fork that never started; g->exited is set):
 * it holds nothing any more.  Closes its table (a last process descriptor
 * closed this way ends that process, as a CloudABI process's descriptors
 * close when it exits), drops the forks it left pending, and releases g
 * if nothing else needs it (g may be freed). */
void sandbox_ended(struct sandbox *sb, struct guest *g);

/* Enters g's record in the sandbox without serving any channel of it yet
 * (a forked child, until its fork is committed). */
void sandbox_link_guest(struct sandbox *sb, struct guest *g);

/* Live (not yet reaped) processes. */
size_t sandbox_live_processes(const struct sandbox *sb);

/* Frees g's record if nothing needs it any more: it has been reaped, no
 * channel and no process descriptor names it, and it is not the main
 * process (whose status capbox reports). */
void sandbox_release(struct sandbox *sb, struct guest *g);

/* A new channel: pair[0] the broker's end, kept with the sandbox's
 * descriptors (broker/fdbudget.h), pair[1] the guest's.  Returns 0, or -1
 * with errno (EMFILE when the budget is spent). */
int sandbox_new_channel(int pair[2]);

/* Watches one more channel of g; the sandbox owns fd from now on.
 * Returns 0, or -1 with errno (EMFILE when over the channel limit). */
int sandbox_add_channel(struct sandbox *sb, struct guest *g, int fd);

/* From now on, every period_ns while it serves, calls check with the
 * number of live processes; a non-zero result ends the sandbox (it is
 * kept in sb->check_status).  The budgets use it (src/limits: the broker
 * knows them only as this callback).  Returns 0, or -1 with errno. */
int sandbox_set_check(struct sandbox *sb, uint64_t period_ns,
		      int (*check)(size_t live));

/* Serves until the main process has ended and been reaped; then ends
 * every other process of the sandbox.  Returns 0, or -1 on a broker
 * failure (after killing everything). */
int sandbox_serve(struct sandbox *sb);

/* One line on stderr for tests and curious users (capbox run --stats):
 * process records kept, the broker's open descriptors, its peak memory. */
void sandbox_print_stats(const struct sandbox *sb);

/* Kills and reaps every process, closes everything. */
void sandbox_destroy(struct sandbox *sb);

#endif

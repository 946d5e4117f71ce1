/* sandbox.h: every process of one sandbox and the event loop that serves their channels. */
#ifndef CAPBOX_BROKER_SANDBOX_H
#define CAPBOX_BROKER_SANDBOX_H

#include <stddef.h>

#include "broker/guest.h"

/*
 * One epoll instance watches every channel (one per guest thread) and every
 * process handle (pidfd) of the sandbox.  Handlers never block: a call that
 * would wait (a read on an empty socket, a lock) waits in the guest thread,
 * not here, so one slow guest thread never stalls the others.
 */
struct endpoint;

struct sandbox {
	int epoll;
	struct endpoint *endpoints; /* what epoll watches, for clean-up */
	struct guest *main; /* the process `capbox run` started */
	struct guest *guests; /* every live process, linked by g->next */
	size_t nguests;
	size_t nchannels;
};

int sandbox_init(struct sandbox *sb);

/* Adds a spawned process (with its first channel) to the sandbox. */
int sandbox_add_guest(struct sandbox *sb, struct guest *g);

/* Watches one more channel of g; the sandbox owns fd from now on.
 * Returns 0, or -1 with errno (EMFILE when over the channel limit). */
int sandbox_add_channel(struct sandbox *sb, struct guest *g, int fd);

/* Serves until the main process has ended and been reaped; then ends
 * every other process of the sandbox.  Returns 0, or -1 on a broker
 * failure (after killing everything). */
int sandbox_serve(struct sandbox *sb);

/* Kills and reaps every process, closes everything. */
void sandbox_destroy(struct sandbox *sb);

#endif

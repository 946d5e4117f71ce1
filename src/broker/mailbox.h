/* mailbox.h: the broker's side of a channel's shared-memory mailbox (protocol/hc_mailbox.h). */
#ifndef CAPBOX_BROKER_MAILBOX_H
#define CAPBOX_BROKER_MAILBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/hc_mailbox.h"
#include "protocol/hypercall.h"

struct mailbox {
	unsigned char *base; /* the broker's mapping; NULL: none in use */
	/* The mapping of an attached mailbox not yet in use: the broker
	 * touches none of its pages until the guest has (mailbox_arm). */
	unsigned char *unarmed;
	uint32_t served;      /* the request seq word when last taken */
	uint32_t closes_done; /* closed[] entries taken so far */
	uint32_t guest_cpu;   /* where the last request was written (a hint) */
};

/* Gives the channel a new mailbox (dropping the one it had: an exec'd
 * shim asks again).  Returns the sealed memfd to pass to the shim (the
 * caller closes it), or -1 with errno set. */
int mailbox_attach(struct mailbox *m);

/* Puts an attached mailbox in use if every page of it is in memory, put
 * there by the guest (its shim writes each page when it maps one): the
 * pages are then charged to the guest's memory cgroup, never to the
 * broker's (a page is charged to whoever first touches it), so a guest
 * cannot hide memory from --memory-limit in replies the broker writes.
 * Until then the channel has no mailbox: nothing pending, no closes.
 * Returns whether the mailbox is in use. */
bool mailbox_arm(struct mailbox *m);

/* Unmaps the mailbox, if any. */
void mailbox_detach(struct mailbox *m);

/* Whether a request is waiting (its seq word moved since the last take). */
bool mailbox_pending(const struct mailbox *m);

/* Copies a waiting request into buf (CAPBOX_HC_MAX_MESSAGE bytes) before
 * anything looks at it.  Returns its length (header included, at most the
 * buffer), or 0 if no request is waiting. */
size_t mailbox_take(struct mailbox *m, unsigned char *buf);

/* Writes the reply (header, then rep->length bytes of data), publishes it
 * and wakes the shim if it sleeps. */
void mailbox_reply(struct mailbox *m, const struct capbox_hc_reply *rep,
		   const void *data);

/* Takes the descriptor numbers the shim has listed as closed since the
 * last take (at most CAPBOX_HC_MAILBOX_CLOSES, copied to fds) and tells
 * the shim they are done.  Returns how many. */
size_t mailbox_take_closes(struct mailbox *m, uint32_t *fds);

/* Tells the shim whether the broker is watching the mailbox (then it
 * skips the doorbell).  Clearing is followed by a full fence: check
 * mailbox_pending afterwards before sleeping. */
void mailbox_set_polling(struct mailbox *m, bool on);

#endif

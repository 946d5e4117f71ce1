/* dispatch.h: the broker's single decoder of hypercalls and its table of handlers. */
#ifndef CAPBOX_BROKER_DISPATCH_H
#define CAPBOX_BROKER_DISPATCH_H

#include <stddef.h>
#include <string.h>

#include "broker/guest.h"
#include "broker/mailbox.h"
#include "protocol/hypercall.h"

/* What a handler gives back: result bytes and descriptors to pass (the
 * reply owns them: they are closed once sent). */
struct hc_out {
	_Alignas(16) unsigned char data[CAPBOX_HC_MAX_MESSAGE -
					sizeof(struct capbox_hc_reply)];
	size_t length;
	int fds[CAPBOX_HC_MAX_FDS];
	size_t nfds;
	uint32_t borrowed; /* bit i: fds[i] belongs to a table, not the reply */
};

/*
 * The handler of each row of CAPBOX_HYPERCALLS is a plain function in
 * calls/, named hc_<name> and taking that row's parameter struct:
 *
 *   cloudabi_errno_t hc_file_open(struct guest *g,
 *                                 const struct capbox_hc_file_open *p,
 *                                 const unsigned char *tail,
 *                                 size_t tail_len, struct hc_out *out)
 *
 * It sees parameters already checked for size: p points at exactly the
 * call's struct (aligned), tail at the bytes after it (tail_len <= the
 * row's tail_max).  The prototypes below come from the table, so a
 * definition whose types differ from its row does not compile.  All
 * handlers share the one signature; one that needs no tail or no result
 * leaves those unused (calls/ is built with -Wno-unused-parameter).
 */
#define HC_DECLARE_HANDLER(number, name, type, tail_max)                       \
	cloudabi_errno_t hc_##name(struct guest *g, const type *p,             \
				   const unsigned char *tail, size_t tail_len, \
				   struct hc_out *out);
CAPBOX_HYPERCALLS(HC_DECLARE_HANDLER)
#undef HC_DECLARE_HANDLER

/*
 * Gives the guest a new descriptor for cap (whose object the table takes
 * over): enters it at the lowest free number, and puts the capbox_hc_new_fd
 * result and the descriptor the guest should hold (a placeholder for a
 * directory) into out.  On failure closes cap->object.
 */
cloudabi_errno_t hc_reply_new_fd(struct guest *g, const struct cap *cap,
				 struct hc_out *out);

/* As hc_reply_new_fd, but with no descriptor attached: the shim fetches
 * the object when it first needs it (CAPBOX_HC_FD_FETCH). */
cloudabi_errno_t hc_reply_new_entry(struct guest *g, const struct cap *cap,
				    struct hc_out *out);

/* Attaches a descriptor to the reply (the reply closes it once sent). */
cloudabi_errno_t hc_attach_fd(struct hc_out *out, int fd);

/* Attaches what the guest holds for cap: for a directory a new placeholder
 * the kernel cannot resolve paths through (the reply closes it once sent),
 * else the object itself, borrowed (sending does not consume it: cap must
 * stay in its table until the reply has gone). */
cloudabi_errno_t hc_attach_view(struct hc_out *out, const struct cap *cap);

/*
 * THE way result bytes enter a reply: appends len zeroed bytes to it and
 * returns them (a reply that would outgrow out->data is a broker bug: it
 * dies).  Every struct a guest receives is built in such a slot, field by
 * field (HC_REPLY_SET), never copied from a struct on the stack, whose
 * padding holds whatever the broker's stack held (issue 12, finding 7).
 * The reply buffer is reused: nothing reaches the guest unless it came
 * from here or from a system call that filled exactly the bytes counted.
 */
void *hc_reply_zeroed(struct hc_out *out, size_t len);

/* Sets `field` of the `type` that starts at slot (any alignment). */
#define HC_REPLY_SET(slot, type, field, value)                                 \
	do {                                                                   \
		__typeof__(((type *)0)->field) hc_value_ = (value);            \
		memcpy((unsigned char *)(slot) + offsetof(type, field),        \
		       &hc_value_, sizeof(hc_value_));                         \
	} while (0)

/* Appends len bytes (a name, or a protocol struct, which has no padding:
 * src/protocol/ asserts it) through hc_reply_zeroed. */
void hc_reply_add(struct hc_out *out, const void *data, size_t len);

/* Appends fd's table entry to the reply as a capbox_hc_new_fd; 0. */
cloudabi_errno_t hc_reply_entry(struct guest *g, cloudabi_fd_t fd,
				struct hc_out *out);

/* A Linux call's result r (0 or -1 with errno) as 0 or a CloudABI errno. */
cloudabi_errno_t hc_errno_of(int r);

/* Receives one message from a channel of g, validates it, runs the handler
 * and sends the reply.  Returns 1 if a message was served, 0 when the
 * channel is closed, -1 on a transport error.  A malformed message gets
 * an EINVAL or ENOSYS reply; it never reaches a handler.  Two transport
 * calls concern the channel's mailbox mb (protocol/hc_mailbox.h): ATTACH
 * gives it one, DOORBELL serves the request it holds. */
int dispatch_one(struct guest *g, int channel, struct mailbox *mb);

/* Serves the request waiting in mb, if any, the same way; the reply goes
 * to the mailbox (and its descriptors on `channel`).  Returns 1, or -1 on
 * a transport error. */
int dispatch_mailbox(struct guest *g, int channel, struct mailbox *mb);

/* Messages served so far, by transport (doorbells count as socket
 * messages), for capbox run --stats. */
struct dispatch_counts {
	uint64_t socket;   /* messages read from channels, doorbells included */
	uint64_t doorbell; /* of which doorbells */
	uint64_t mailbox;  /* requests taken from mailboxes */
	uint64_t passed;   /* descriptors sent with replies (SCM_RIGHTS) */
};
struct dispatch_counts dispatch_counts(void);

#endif

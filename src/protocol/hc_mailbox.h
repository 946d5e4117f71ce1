/* hc_mailbox.h: the shared-memory mailbox of one channel: its layout and how each side wakes the other. */
#ifndef CAPBOX_PROTOCOL_HC_MAILBOX_H
#define CAPBOX_PROTOCOL_HC_MAILBOX_H

/*
 * A channel's socket costs two sendmsg/recvmsg pairs per call (about 3 us
 * on this machine even with both sides polling).  Once a thread has asked
 * for it (CAPBOX_HC_MAILBOX_ATTACH, answered with a sealed memfd), its calls
 * travel through memory the broker and that thread share instead:
 *
 *   request[]  the same message a socket would carry (request header,
 *              parameters, tail), written by the shim;
 *   reply[]    the reply header and result bytes, written by the broker.
 *
 * Each message is published by the seq word of its own header: the shim
 * writes a request's header (all but seq), parameters and tail, then
 * stores seq (release); the other side polls that word.  So a message's
 * first line and its publication are one cache line: two fewer lines
 * cross between the CPUs per round trip than with separate seq words
 * (stat 0.71-0.76 -> 0.62-0.66 us, docs/BENCHMARKS.md).  If
 * broker_polling is 0 the shim rings the doorbell: a
 * CAPBOX_HC_MAILBOX_DOORBELL request header (length 0) on the socket.  The broker copies the whole request out of
 * shared memory before it looks at any of it (the guest may change it at
 * any time), serves it with the socket path's decoder, writes the reply
 * (all but seq) and its data, then stores the reply header's seq
 * (release).  Descriptors cannot travel through memory: a reply with
 * nfds > 0 is also sent on the socket (its header, with the descriptors
 * as SCM_RIGHTS) before the reply is published.  A shim that stops
 * polling sets guest_sleeping and futex-waits on the reply's seq word;
 * the broker wakes it when it sees the flag.
 *
 * guest_cpu is a hint: a broker that finds itself polling on the CPU its
 * guest writes from (the two would only take turns) moves to another.
 * The shim stores it only when it changes (the line then stays shared).
 *
 * fd_close of a file or directory does not wait for the broker: the shim
 * closes its own descriptor, forgets the entry and lists the number in
 * closed[closes_head % CAPBOX_HC_MAILBOX_CLOSES], then moves closes_head
 * (release).  Before it serves any request of that process, through any
 * channel, the broker closes what every one of its mailboxes lists beyond
 * closes_done (at most CAPBOX_HC_MAILBOX_CLOSES) and moves closes_done:
 * a descriptor closed by one thread is closed for all of them before the
 * next thing any of them asks.  A shim whose list is full (closes_head -
 * closes_done) sends an ordinary fd_close.  Sockets, pipes and process
 * descriptors are always closed by a request: their peers and children
 * see the close at once.
 *
 * Each flag is set by one side and read by the other after a full fence
 * (store flag; fence; load the other's seq), so one of the two always sees
 * the other: no request waits for a doorbell that was skipped, no reply for
 * a wake-up that was skipped.  The flags are hints to the broker: a wrong
 * value costs the guest time, never the broker anything.
 */
#include <stddef.h>
#include <stdint.h>

#include "protocol/hypercall.h"

#define CAPBOX_HC_MAILBOX_CLOSES 16 /* closes in flight per mailbox */

struct capbox_hc_mailbox_control {
	_Alignas(64) uint32_t guest_cpu; /* shim: CPU it last wrote on */
	uint32_t closes_head;            /* shim: closes listed so far */
	uint32_t closed[CAPBOX_HC_MAILBOX_CLOSES]; /* shim: by closes_head */
	_Alignas(64) uint32_t closes_done; /* broker: closes carried out */
	_Alignas(64) uint32_t
		broker_polling; /* broker: watching, no doorbell */
	_Alignas(64) uint32_t guest_sleeping; /* shim: in FUTEX_WAIT */
};

#define CAPBOX_HC_MAILBOX_REQUEST 4096 /* offset of request[] */
#define CAPBOX_HC_MAILBOX_REPLY                                                \
	(CAPBOX_HC_MAILBOX_REQUEST + CAPBOX_HC_MAX_MESSAGE)
#define CAPBOX_HC_MAILBOX_SIZE (CAPBOX_HC_MAILBOX_REPLY + CAPBOX_HC_MAX_MESSAGE)

struct capbox_hc_mailbox_attach {
	uint32_t flags; /* none defined yet: must be 0 */
	uint32_t reserved;
};
/* Reply: no result bytes, the mailbox memfd as the one descriptor. */

/* The publishing words: the seq of the request and of the reply header. */
#define CAPBOX_HC_MAILBOX_SEQ_AT 8 /* offset of seq in either header */
_Static_assert(offsetof(struct capbox_hc_request, seq) ==
			       CAPBOX_HC_MAILBOX_SEQ_AT &&
		       offsetof(struct capbox_hc_reply, seq) ==
			       CAPBOX_HC_MAILBOX_SEQ_AT,
	       "both headers keep seq at the same place");

static inline uint32_t *capbox_hc_mailbox_request_seq(unsigned char *base)
{
	return (uint32_t *)(void *)(base + CAPBOX_HC_MAILBOX_REQUEST +
				    CAPBOX_HC_MAILBOX_SEQ_AT);
}

static inline uint32_t *capbox_hc_mailbox_reply_seq(unsigned char *base)
{
	return (uint32_t *)(void *)(base + CAPBOX_HC_MAILBOX_REPLY +
				    CAPBOX_HC_MAILBOX_SEQ_AT);
}

/* Copies a request or reply header of `size` bytes to `to`, all but its
 * seq word: storing that (release) publishes the message. */
static inline void capbox_hc_mailbox_put_header(unsigned char *to,
						const void *header, size_t size)
{
	const unsigned char *from = header;
	const size_t after = CAPBOX_HC_MAILBOX_SEQ_AT + sizeof(uint32_t);
	__builtin_memcpy(to, from, CAPBOX_HC_MAILBOX_SEQ_AT);
	__builtin_memcpy(to + after, from + after, size - after);
}

_Static_assert(sizeof(struct capbox_hc_mailbox_control) <=
		       CAPBOX_HC_MAILBOX_REQUEST,
	       "mailbox control page");
_Static_assert(CAPBOX_HC_MAILBOX_REQUEST % 4096 == 0 &&
		       CAPBOX_HC_MAX_MESSAGE % 4096 == 0,
	       "mailbox areas are whole pages");

#endif

/* inflight.h: descriptors travelling on sockets: the registry that keeps their rights, and what a received descriptor becomes. */
#ifndef CAPBOX_BROKER_INFLIGHT_H
#define CAPBOX_BROKER_INFLIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "broker/captable.h"

/*
 * When a guest sends a descriptor (sock_send through the broker), the
 * broker puts on the wire what the guest would hold: the object itself, or
 * for a directory a fresh placeholder token, never the directory.  It
 * records each one here: its own duplicate of what was sent, the type and
 * rights, and for a directory the real directory descriptor.
 *
 * When a guest receives descriptors (sock_recv through the broker), each
 * one is matched against the records with kcmp(KCMP_FILE): same open file
 * description, same object.  A match gives back the sender's rights (the
 * intersection over every record of that object still in flight, so
 * never more than any sender gave) and, for a token, the directory; the
 * oldest matching record is consumed.  No right without a record: a
 * descriptor nobody recorded gets the rights the sandbox already holds
 * for that open file description (a guest may send its own descriptors
 * with a raw sendmsg), and when the sandbox holds none either (sent by a
 * process outside the sandbox, a private descriptor of the shim, a
 * capability closed while its raw copy travelled) it is refused: closed
 * by the broker, never entered, reported as FDS_TRUNCATED.
 *
 * Records are never evicted: one lives until its message is received
 * through the broker (or a descriptor of the same object is, which
 * consumes it), until the socket the message waits on is gone (closed
 * unread: Linux dropped the message; collected when the registry is
 * full), or until the sandbox ends.  The registry holds at most
 * INFLIGHT_MAX records per sandbox (one broker serves one sandbox); a
 * descriptor-carrying sock_send beyond that, or one for which the broker
 * has no descriptor left to record with, is refused with ENOBUFS and
 * nothing is sent.  A guest that drains its own messages with a raw
 * recvmsg, or closes a socket with messages unread, leaves their records
 * behind and so fills its sandbox's quota (docs/SECURITY.md, known
 * limits).  Each record holds one or two of the broker's
 * descriptors, so the quota also bounds what in-flight descriptors cost
 * the broker.
 */
#define INFLIGHT_MAX 1024

/* Records cap as being sent and returns in *sent the descriptor to attach
 * to the message (the caller closes it once sent) and in *id a handle for
 * inflight_cancel; ENOBUFS when the quota is used up or the broker has no
 * descriptor left.  waiting_ino is the unix socket whose queue will hold
 * the message (the peer of the one sent on, sockdiag.h), or 0 if unknown:
 * when the registry is full, records whose socket is gone are dropped. */
cloudabi_errno_t inflight_record(const struct cap *cap, uint32_t waiting_ino,
				 int *sent, unsigned *id);

/* Forgets a record whose message was not sent after all. */
void inflight_cancel(unsigned id);

/* Drops every record (closing its descriptors, releasing its process
 * references).  Only the fuzzing harness tests/fuzz/fuzz_hypercall.c needs
 * it, so that nothing leaks from one sandbox to the next in one process. */
void inflight_clear(void);

/*
 * The capability a received descriptor becomes; takes `received` over
 * (it ends up as out->object or is closed).  Sent through the broker: the
 * rights it was sent with; else, if the sandbox already holds it (a guest
 * may send its own descriptors with a raw sendmsg): no more rights than
 * the sandbox has for it; else EBADF (it is refused, and closed).  The
 * caller narrows the result to the receiving socket's inheriting rights.
 * consume is false for MSG_PEEK (the message stays queued, so does its
 * record).  When
 * out->process is set the caller owns one reference on it (drop it with
 * process_unref once the capability is entered or given up).
 */
struct sandbox;
cloudabi_errno_t inflight_claim(const struct sandbox *sb, int received,
				bool consume, struct cap *out);

#endif

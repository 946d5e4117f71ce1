/* limits_handoff.h: the sandbox's cgroups, made by the launcher while the broker starts, handed over in single messages of bytes and descriptors. */
#ifndef CAPBOX_LIMITS_HANDOFF_H
#define CAPBOX_LIMITS_HANDOFF_H

#include <stddef.h>

#include "limits/limits_cgroup.h"

/* The most descriptors one message carries. */
#define HANDOFF_MAX_FDS CG_COUNT

/* Sends len bytes and nfds descriptors (which stay open here) as one
 * message on a SOCK_SEQPACKET socket; 0 or an errno. */
int handoff_send(int sock, const void *data, size_t len, const int *fds,
		 size_t nfds);

/* Receives one message of exactly len bytes and at most maxfds
 * descriptors (close-on-exec) into data and fds[0..*nfds-1]; 0, or an
 * errno with no descriptor kept: EPIPE when the sender is gone without a
 * message, EPROTO for any other shape. */
int handoff_receive(int sock, void *data, size_t len, int *fds, size_t maxfds,
		    size_t *nfds);

/* The places of the sandbox's cgroups, their directories as descriptors
 * (which stay open here); 0 or an errno. */
int handoff_send_places(int sock, const struct cg_place places[CG_COUNT]);

/* Receives them into places (directories as new descriptors, or -1; no
 * paths: those stay with the sender); 0 or an errno as handoff_receive,
 * with places unchanged. */
int handoff_receive_places(int sock, struct cg_place places[CG_COUNT]);

#endif

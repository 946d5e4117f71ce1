/* channel.h: the shim's side of the hypercall protocol (one round trip per call). */
#ifndef CAPBOX_SHIM_CHANNEL_H
#define CAPBOX_SHIM_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cloudabi/abi.h"
#include "protocol/hypercall.h"

struct hc_result {
	void *data;                 /* where the call's result struct goes */
	size_t capacity;            /* its size */
	size_t length;              /* bytes the broker returned */
	int fds[CAPBOX_HC_MAX_FDS]; /* descriptors received */
	size_t nfds;
};

/* THE request header: every message the shim sends starts with one
 * (channel.c's round trips, trace.c's records). */
struct capbox_hc_request shim_request_header(uint16_t call, uint32_t seq,
					     size_t length);

/* Sends one request (params + optional tail) on this thread's channel and
 * waits for the reply.  Returns the CloudABI error the broker answered. */
cloudabi_errno_t hc_call(uint16_t call, const void *params, size_t params_len,
			 const void *tail, size_t tail_len,
			 struct hc_result *result);

/* Lists fd in this thread's mailbox as closed, for the broker to close
 * before it serves the process's next request (protocol/hc_mailbox.h);
 * false if there is no mailbox or no room: then send fd_close. */
bool hc_defer_close(cloudabi_fd_t fd);

/* Whether the broker has closed this channel: it is gone. */
bool hc_broker_gone(int channel);

#endif

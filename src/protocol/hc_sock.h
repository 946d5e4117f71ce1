/* hc_sock.h: hypercalls of the sock_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_SOCK_H
#define CAPBOX_PROTOCOL_HC_SOCK_H

/* Included by protocol/hypercall.h only. */

/*
 * Only messages that carry descriptors go through the broker: plain data
 * goes straight from the shim to the kernel.  The broker sends and
 * receives on its own copy of the socket (which shares the guest's open
 * file description) without ever waiting: the shim waits for readiness
 * itself and retries on EAGAIN.
 *
 * Both directions carry at most CAPBOX_HC_SOCK_DATA_MAX bytes of data and
 * CAPBOX_HC_MAX_FDS descriptors per call.
 */
#define CAPBOX_HC_SOCK_DATA_MAX (CAPBOX_HC_MAX_MESSAGE - 1024)

/* sock_send with descriptors; the data follows as the tail. */
struct capbox_hc_sock_send {
	uint32_t sock;
	uint16_t nfds;
	uint16_t flags;    /* cloudabi_siflags_t: must be 0 */
	uint32_t data_len; /* = tail length */
	uint32_t reserved;
	uint32_t fds[CAPBOX_HC_MAX_FDS]; /* the first nfds are sent */
};

struct capbox_hc_sock_send_reply {
	uint64_t datalen; /* bytes sent */
};

/* sock_recv that can take descriptors (max_fds >= 1).  On a listening
 * socket it accepts one connection: 0 bytes and one descriptor. */
struct capbox_hc_sock_recv {
	uint32_t sock;
	uint16_t flags;    /* cloudabi_riflags_t: 0 or SOCK_RECV_PEEK */
	uint16_t max_fds;  /* 1..CAPBOX_HC_MAX_FDS */
	uint32_t max_data; /* 0..CAPBOX_HC_SOCK_DATA_MAX */
	uint32_t reserved;
};

/* The reply: this struct, then datalen bytes of data; the nfds received
 * descriptors are attached in order, entered at fds[i].fd. */
struct capbox_hc_sock_recv_reply {
	uint32_t datalen;
	uint16_t roflags; /* cloudabi_roflags_t */
	uint16_t nfds;
	struct capbox_hc_fd_entry fds[CAPBOX_HC_MAX_FDS];
};

_Static_assert(sizeof(struct capbox_hc_request) +
			       sizeof(struct capbox_hc_sock_send) +
			       CAPBOX_HC_SOCK_DATA_MAX <=
		       CAPBOX_HC_MAX_MESSAGE,
	       "a sock_send request fits in a message");
_Static_assert(sizeof(struct capbox_hc_reply) +
			       sizeof(struct capbox_hc_sock_recv_reply) +
			       CAPBOX_HC_SOCK_DATA_MAX <=
		       CAPBOX_HC_MAX_MESSAGE,
	       "a sock_recv reply fits in a message");

#define CAPBOX_HYPERCALLS_SOCK(X)                                              \
	X(CLOUDABI_SYS_sock_send, sock_send, struct capbox_hc_sock_send,       \
	  CAPBOX_HC_SOCK_DATA_MAX)                                             \
	X(CLOUDABI_SYS_sock_recv, sock_recv, struct capbox_hc_sock_recv, 0)

#endif

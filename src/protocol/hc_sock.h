/* hc_sock.h: hypercalls of the sock_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_SOCK_H
#define CAPBOX_PROTOCOL_HC_SOCK_H

/* Included by protocol/hypercall.h only. */

#define CAPBOX_HYPERCALLS_SOCK(X)

#endif

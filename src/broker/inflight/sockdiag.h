/* sockdiag.h: what the kernel's socket diagnostics say of a unix socket the broker cannot hold: its peer, and whether it still exists. */
#ifndef CAPBOX_BROKER_SOCKDIAG_H
#define CAPBOX_BROKER_SOCKDIAG_H

#include <stdint.h>

/*
 * Unix sockets are named here by their inode number (fstat's st_ino of a
 * socket), looked up in the broker's network namespace with
 * NETLINK_SOCK_DIAG, which needs no privilege.  An inode number may be
 * reused once its socket is gone: a caller must only ever conclude "gone"
 * from these answers, never "still the same socket".
 */

/* The inode of the socket connected to the unix socket `ino`: 0 and
 * *peer, or an errno value (ENOENT: no such socket; any other: the
 * question could not be asked). */
int sockdiag_unix_peer(uint32_t ino, uint32_t *peer);

/* True only when the kernel answered that no unix socket `ino` exists;
 * false when it does, or when the question could not be asked. */
int sockdiag_unix_gone(uint32_t ino);

#endif

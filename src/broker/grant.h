/* grant.h: opens the resources a launch hands to a guest and enters them in its capability table. */
#ifndef CAPBOX_BROKER_GRANT_H
#define CAPBOX_BROKER_GRANT_H

#include <stdbool.h>

#include "broker/guest.h"

enum grant_access {
	GRANT_READ_ONLY,
	GRANT_READ_WRITE,
};

/*
 * Each function enters a new capability at the guest's lowest free number
 * and returns that number in *fd.  On failure it returns -1 after printing a
 * one-line error naming what failed; nothing is left half-entered.
 */

/* A descriptor the broker already has (stdin, stdout, an inherited fd):
 * the guest shares its open file description, with the rights its type
 * and access mode allow. */
int grant_host_fd(struct guest *g, int host_fd, const char *what,
		  cloudabi_fd_t *fd);

/* A file or directory by path.  A directory's guest descriptor is a
 * placeholder that the kernel cannot resolve paths through; the broker
 * keeps the real one. */
int grant_path(struct guest *g, const char *path, enum grant_access access,
	       cloudabi_fd_t *fd);

#endif

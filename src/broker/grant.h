/* grant.h: opens the resources a launch hands to a guest and enters them in its capability table. */
#ifndef CAPBOX_BROKER_GRANT_H
#define CAPBOX_BROKER_GRANT_H

#include <stdbool.h>

#include "broker/guest.h"
#include "broker/rights.h"
#include "grant/grant_desc.h"

/*
 * Each function enters a new capability at the guest's lowest free number
 * and returns that number in *fd.  On failure it returns -1 after printing a
 * one-line error, prefixed with `where` ("file:line:col", or NULL for none),
 * naming what failed; nothing is left half-entered.  `narrow` may be NULL
 * (the full rights of the object's type).
 */

/* A descriptor the broker already has (stdin, stdout, an inherited fd):
 * the guest shares its open file description, with the rights its type
 * and access mode allow. */
int grant_host_fd(struct guest *g, const char *where, int host_fd,
		  const char *what, cloudabi_fd_t *fd);

/* A file or directory by path.  A directory's guest descriptor is a
 * placeholder that the kernel cannot resolve paths through; the broker
 * keeps the real one. */
int grant_path(struct guest *g, const char *where, const char *path,
	       const struct grant_rights *narrow, cloudabi_fd_t *fd);

/* An executable file for proc_exec: read-only, with the rights needed to
 * run it (fd_read, file_stat_fget, mem_map, mem_map_exec, proc_exec). */
int grant_executable(struct guest *g, const char *where, const char *path,
		     cloudabi_fd_t *fd);

/* A socket bound (and listening) at, or connected to, `address`:
 * "/unix/path", "host:port" or "[v6]:port". */
int grant_socket(struct guest *g, const char *where, const char *address,
		 enum grant_socket_mode mode, enum grant_socket_type type,
		 const struct grant_rights *narrow, cloudabi_fd_t *fd);

/* Opens a described grant (grant/grant_desc.h) with the function above
 * for its kind, and notes an option's origin. */
int grant_open(struct guest *g, const struct grant_desc *desc,
	       cloudabi_fd_t *fd);

/*
 * Where each of the main process's grants came from, kept for
 * --print-grants: its launch configuration location (file:line:column)
 * or its option ("--dir data"), and for a bound socket the address the
 * kernel gave it (a port asked as 0 is the real one here).  NULL when
 * nothing is known.
 */
const char *grant_origin(cloudabi_fd_t fd);
const char *grant_bound_address(cloudabi_fd_t fd);
void grant_note_origin(cloudabi_fd_t fd, const char *origin);

/* The rights an object of `type` gets under `narrow` (NULL: full).
 * Returns 0, or -1 with the first requested right the type cannot carry
 * in *missing. */
int grant_rights_apply(cloudabi_filetype_t type,
		       const struct grant_rights *narrow, struct rights *out,
		       cloudabi_rights_t *missing);

#endif

/* grant_internal.h: helpers shared by grant.c and grant_socket.c. */
#ifndef CAPBOX_BROKER_GRANT_INTERNAL_H
#define CAPBOX_BROKER_GRANT_INTERNAL_H

#include <sys/stat.h>

#include "broker/grant.h"

/* "capbox: WHERE: message[: strerror(err)]"; where may be NULL, err 0. */
__attribute__((format(printf, 3, 4))) void grant_warn(const char *where,
						      int err, const char *fmt,
						      ...);

/* Moves fd above every guest number (closing the original). */
int grant_move_high(int fd);

/* The file type of an object the broker holds, st being its fstat: a
 * socket by its SO_TYPE. */
cloudabi_filetype_t grant_filetype(int fd, const struct stat *st);

/* Enters object (already moved high); closes it on failure. */
int grant_enter(struct guest *g, const char *where, int object,
		cloudabi_filetype_t type, struct rights rights,
		cloudabi_fd_t *fd);

/* Records the address a bound socket got (grant_bound_address). */
void grant_note_bound_address(cloudabi_fd_t fd, const char *address);

/* grant_rights_apply, printing which right `what` cannot have. */
int grant_rights_checked(const char *where, const char *what,
			 cloudabi_filetype_t type,
			 const struct grant_rights *narrow, struct rights *out);

#endif

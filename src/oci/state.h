/* state.h: capbox-oci's own state folder, ROOT/capbox-oci@: runc's state of the
 * CloudABI containers and their rewritten bundles. */
#ifndef CAPBOX_OCI_STATE_H
#define CAPBOX_OCI_STATE_H

#include <stdbool.h>
#include <stddef.h>

/* runc's own default --root. */
#define STATE_RUNC_DEFAULT_ROOT "/run/runc"
/* '@' cannot be in a runc container ID, so no container's state folder
 * under ROOT can be this one. */
#define STATE_FOLDER "capbox-oci@"

struct state {
	char base[4096]; /* ROOT/capbox-oci@ */
	char runc[4200]; /* its runc/: runc's --root for CloudABI containers */
	char bundle[4400]; /* its bundles/ID: the rewritten bundle, "" without
	                      an ID */
};

/* Whether ID is a container ID as runc takes them: 1..255 (a file name,
 * as runc's state folder is) of [A-Za-z0-9_+.-], not "." or "..": safe
 * as one path component. */
bool state_valid_id(const char *id);

/* Fills *st for --root ROOT (NULL: runc's default) and container ID
 * (NULL: none; must be valid). */
void state_paths(struct state *st, const char *root, const char *id);

/* Whether the container's rewritten bundle exists: it is a CloudABI one. */
bool state_is_ours(const struct state *st);

/* Makes base/, runc/ and bundles/ (0700) and the bundle folder; exits
 * with runc's words when the ID is taken. */
void state_create_bundle(const struct state *st, const char *id);

/* Removes the bundle folder and what capbox-oci put in it. */
void state_remove_bundle(const struct state *st);

/* Writes LEN bytes of DATA as the new file NAME with MODE in the bundle. */
void state_write_file(const struct state *st, const char *name,
		      const char *data, size_t len, unsigned mode);

#endif

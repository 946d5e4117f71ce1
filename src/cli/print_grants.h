/* print_grants.h: --print-grants: every descriptor the program is handed, its type, rights and origin. */
#ifndef CAPBOX_CLI_PRINT_GRANTS_H
#define CAPBOX_CLI_PRINT_GRANTS_H

#include "broker/guest.h"
#include "common/argdata.h"

/*
 * One line per descriptor in the argument data, in its order:
 *   KEY: fd N, TYPE, base RIGHTS, inheriting RIGHTS, from ORIGIN[, bound to ADDRESS]
 * KEY is the path of map keys (and [i] for sequence items) that leads to
 * it; RIGHTS are the specification's names joined by '|', or "none".
 * To `path` (written whole, then renamed into place, so that a script can
 * wait for it to appear), or to standard error when path is NULL.
 * Returns 0, or -1 after saying why.
 */
int print_grants(const struct argdata_node *root, struct guest *g,
		 const char *path);

#endif

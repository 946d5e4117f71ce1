/* rewrite.h: the config.json runc runs a CloudABI container from: capbox run of
 * the program, capbox mounted read-only. */
#ifndef CAPBOX_OCI_REWRITE_H
#define CAPBOX_OCI_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

/* Where capbox and its loader's libraries appear inside the container. */
#define REWRITE_DIR "/.capbox-oci"
/* The annotation of the rewritten config.json that names the engine's bundle.
 */
#define REWRITE_BUNDLE_NOTE "io.github.capbox.oci.bundle"

/* Whether process.args[1] names the launch configuration: a word ending
 * in .yaml or .yml; exits with an error when more words follow it. */
bool rewrite_has_config(const struct spec *s);

/*
 * Rewrites S's document for runc: process.args becomes capbox's command,
 * `capbox run -- PROGRAM CONFIG`, CONFIG being args[1] when ARGDATA_FILE
 * is NULL, else the default configuration ARGDATA_FILE mounted at
 * REWRITE_DIR/argdata.yaml; capbox (beside this executable) and, when
 * capbox is dynamically linked, its loader's folder are bind-mounted
 * read-only under REWRITE_DIR; the annotation REWRITE_BUNDLE_NOTE names
 * BUNDLE; root.path and relative bind sources become
 * absolute (the rewritten bundle lives elsewhere).  Nothing of the image
 * reaches capbox's loader and libc: process.env is emptied, and
 * EMPTY_FILE (an empty file) is bind-mounted over /etc/ld.so.preload and
 * /etc/nsswitch.conf.  Returns the JSON text (owned by S's document).
 * S's args and root_path are gone afterwards.
 */
const char *rewrite_spec(struct spec *s, const char *bundle,
			 const char *program, const char *argdata_file,
			 const char *empty_file);

#endif

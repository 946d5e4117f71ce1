/* spec.h: a bundle's config.json (the OCI runtime specification), loaded with
 * json-c as hostile input. */
#ifndef CAPBOX_OCI_SPEC_H
#define CAPBOX_OCI_SPEC_H

#include <stddef.h>

struct json_object;

/* Bounds on what a config.json may hold before capbox-oci looks at it. */
#define SPEC_MAX_BYTES (8u << 20)
#define SPEC_MAX_DEPTH 64
#define SPEC_MAX_ARGS 4096
#define SPEC_MAX_STRING 65536

/* The fields capbox-oci reads, each type-checked when loaded. */
struct spec {
	struct json_object *doc; /* the whole document (owned) */
	const char *root_path;   /* root.path */
	const char *cwd;         /* process.cwd (absolute) */
	const char *const *args; /* process.args, NULL-terminated */
	size_t nargs;            /* at least 1 */
	const char *path_env;    /* PATH= of process.env, or NULL */
	const char *handler;     /* annotations["run.oci.handler"], or NULL */
};

/* Loads BUNDLE/config.json into *s; on any error prints it (naming the
 * field) and exits 1. */
void spec_load(struct spec *s, const char *bundle);

void spec_free(struct spec *s);

#endif

/* detect.h: whether a container is a CloudABI one: its annotation, or
 * process.args[0] inside its root. */
#ifndef CAPBOX_OCI_DETECT_H
#define CAPBOX_OCI_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

/* The annotation value that makes a container a CloudABI one. */
#define DETECT_HANDLER "capbox"

/*
 * Whether the container of spec S (bundle BUNDLE) runs a CloudABI program:
 * annotations["run.oci.handler"] is "capbox", or process.args[0], looked up
 * inside the container's root as runc would (PATH of process.env for a bare
 * name, process.cwd for a relative one; symbolic links resolved inside the
 * root), is an ELF file with EI_OSABI 17.  PROGRAM (of SIZE bytes) gets
 * the path capbox should run inside the container: args[0], or what the
 * PATH search found.  Exits with an error when the root cannot be opened.
 */
bool detect_cloudabi(const struct spec *s, const char *bundle, char *program,
		     size_t size);

#endif

/* runc.h: finding runc and running it: in capbox-oci's place, as a child, or
 * with its output captured. */
#ifndef CAPBOX_OCI_RUNC_H
#define CAPBOX_OCI_RUNC_H

#include <stddef.h>

/* runc's path: the first executable "runc" in PATH, else /usr/sbin/runc,
 * /usr/bin/runc; exits with an error naming them when there is none. */
const char *runc_path(void);

/* Replaces capbox-oci with ARGV[0] (runc), ARGV unchanged. */
__attribute__((noreturn)) void runc_exec(char **argv);

/* Runs ARGV as a child sharing capbox-oci's descriptors and waits: its
 * exit status, or 128+N when signal N ended it, or 1 when it cannot run. */
int runc_run(char **argv);

/* Runs ARGV with its standard output captured into a NUL-terminated
 * malloc'd buffer of at most MAX bytes (*out); returns its status as
 * runc_run does, 1 with *out NULL when it could not be captured whole. */
int runc_capture(char **argv, size_t max, char **out);

#endif

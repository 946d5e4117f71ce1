/* program.h: opens and validates the executable before anything is started. */
#ifndef CAPBOX_BROKER_PROGRAM_H
#define CAPBOX_BROKER_PROGRAM_H

/* Opens path read-only and checks it with the same planner the shim uses.
 * On failure prints one line and exits (127 missing, 126 not loadable). */
int program_open(const char *path);

#endif

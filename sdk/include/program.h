/* program.h: the entry point every capbox program defines, called by crt0 with the program's argdata. */
#ifndef CAPBOX_SDK_PROGRAM_H
#define CAPBOX_SDK_PROGRAM_H

#include <argdata.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Called once, after relocation, vDSO linking, TLS set-up and the
 * constructors, with the argument data handed to the process (a null value
 * when there is none).  Returning from it is exit(0).
 */
void program_main(const argdata_t *ad);

#ifdef __cplusplus
}
#endif

#endif

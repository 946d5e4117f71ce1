/* process.h: the lifetime of guest processes: references from process descriptors, kill on last close, exit status. */
#ifndef CAPBOX_BROKER_PROCESS_H
#define CAPBOX_BROKER_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cloudabi/abi.h"

struct guest;

/* A process descriptor now names g (entered in some table). */
void process_ref(struct guest *g);

/* A process descriptor naming g is gone.  Closing the last one kills the
 * process (CloudABI's rule); the guest's record is freed once nothing
 * needs it any more. */
void process_unref(struct guest *g);

/* Sends the Linux signal sig to g through its pidfd (never by pid). */
void process_signal(struct guest *g, int sig);

/* How g ended, in CloudABI terms; false while it runs. */
bool process_status(const struct guest *g, cloudabi_exitcode_t *code,
		    cloudabi_signal_t *sig);

#endif

/* spawn.h: starts a guest process: descriptors in place, limits set, shim executed. */
#ifndef CAPBOX_BROKER_SPAWN_H
#define CAPBOX_BROKER_SPAWN_H

#include <stddef.h>
#include <stdint.h>

#include "broker/guest.h"

/*
 * Starts the shim in a new process whose descriptors 0..n-1 are exactly the
 * guest's capability table (directories as placeholders), with the channel,
 * the program and the argdata at the private numbers of
 * protocol/hypercall.h.  Fills g->pid, g->pidfd and g->channel.  Returns 0,
 * or -1 after printing why (nothing is left running).
 */
int spawn_guest(struct guest *g, int program_fd, const uint8_t *argdata,
		size_t argdata_len);

#endif

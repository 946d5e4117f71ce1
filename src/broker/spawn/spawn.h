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
/* What the guest process takes on (the sandbox's budgets, src/limits):
 * its pid written by the broker to each of join_fds (cgroup.procs files:
 * it and every process it makes stay in those cgroups) before it executes
 * the shim, and where
 * not 0, RLIMIT_CPU (seconds) and an RLIMIT_AS lower than the default.
 * Failing any of these, the guest does not start. */
struct spawn_extras {
	const int *join_fds;
	size_t njoin;
	uint64_t rlimit_cpu_s;
	uint64_t rlimit_as;
};

/* For the next spawn_guest (the caller keeps the descriptors open until
 * it returns). */
void spawn_set_extras(const struct spawn_extras *extras);

int spawn_guest(struct guest *g, int program_fd, const uint8_t *argdata,
		size_t argdata_len);

#endif

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
 * where not NULL, enter_limits runs in it after its namespaces are made
 * and before its descriptors are placed: it enters the sandbox's cgroups
 * (so it and every process it makes stay in them) and gives the rlimits
 * that stand in for a missing one, 0 for none (RLIMIT_CPU in seconds,
 * RLIMIT_AS in bytes); it returns 0 or an errno.  Failing it, the guest
 * does not start. */
struct spawn_extras {
	/* Where not NULL, called right before the fork: 0 and in *cgroup a
	 * cgroup v2 directory the child is forked into (clone3's
	 * CLONE_INTO_CGROUP), or -1; nonzero (after saying why) and nothing
	 * starts. */
	int (*before_fork)(int *cgroup);
	int (*enter_limits)(uint64_t *rlimit_cpu_s, uint64_t *rlimit_as);
	/* Where not NULL, called in the broker once the child is forked and
	 * the broker's own part of its set-up (its filter) is done, while the
	 * child sets itself up: 0, or nonzero (after saying why) and the
	 * child is killed, nothing starts. */
	int (*forked)(void);
};

/* For the next spawn_guest (the caller keeps the descriptors open until
 * it returns). */
void spawn_set_extras(const struct spawn_extras *extras);

int spawn_guest(struct guest *g, int program_fd, const uint8_t *argdata,
		size_t argdata_len);

#endif

/* raw_fd_reach.c: a hostile guest that duplicates its output with raw dup3 to the descriptor number given as the int "at" (tests/cli/max_process_fds.sh: the kernel's limit follows --max-process-fds). */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>

#include "../guest/escape_raw.h"
#include "guest.h"

void program_main(const argdata_t *ad)
{
	int out = guest_out_fd(ad);
	argdata_t value;
	int64_t at = 500;
	if (argdata_map_find(*ad, "at", 2, &value) == ARGDATA_OK)
		argdata_get_int64(value, &at);
	dprintf(out, "dup3 to %lld: %ld\n", (long long)at,
		raw(NR_dup3, out, at, 0));
	exit(0);
}

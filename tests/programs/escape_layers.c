/* escape_layers.c: executes host paths through the one path-taking call the filter lets through (execveat on the shim's number) and prints the raw results. */
#include <argdata.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>

#include "../guest/escape_raw.h"

#define L_AT_EMPTY_PATH 0x1000

/*
 * proc_exec re-executes the shim with execveat(<its image>, "", ...,
 * AT_EMPTY_PATH); seccomp cannot read the path, so a hostile guest can put
 * one there.  The empty root makes every host path missing (ENOENT);
 * without it, Landlock refuses to execute anything by path (EACCES).
 * tests/cli/escape_layers.sh checks which answer each configuration gives.
 */
void program_main(const argdata_t *ad)
{
	argdata_t value;
	uint32_t out = 0;
	if (argdata_map_find(*ad, "out", 3, &value) == ARGDATA_OK)
		argdata_get_fd(value, &out);
	static const char *const paths[] = {"/bin/sh", "/etc/passwd"};
	char *const argv[] = {"sh", NULL};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		long r = raw(NR_execveat, ESC_FD_SHIM, paths[i], argv, argv + 1,
			     L_AT_EMPTY_PATH);
		dprintf((int)out, "execveat %s %ld\n", paths[i], r);
	}
	exit(0);
}

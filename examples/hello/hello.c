/* hello.c: the README's example program: greets "name" (default "world") on the descriptor "out". */
#include <argdata.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void program_main(const argdata_t *ad)
{
	argdata_t value;
	uint32_t out;
	const char *name = "world";

	if (argdata_map_find(*ad, "out", strlen("out"), &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &out) != ARGDATA_OK)
		exit(2); /* nowhere to report the problem */
	if (argdata_map_find(*ad, "name", strlen("name"), &value) == ARGDATA_OK)
		argdata_get_str_c(value, &name);

	/* Not dprintf(1, ...): a program's descriptors are numbered from 0 in
	 * the order they were granted; "out" says which one is the output. */
	dprintf((int)out, "Hello, %s!\n", name);
	exit(0);
}

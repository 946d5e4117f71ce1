/* exit_code.c: exits with the status given as "code" (an int), for exit-status tests. */
#include <argdata.h>
#include <program.h>
#include <stdlib.h>

void program_main(const argdata_t *ad)
{
	argdata_t value;
	int64_t code = 0;
	if (argdata_map_find(*ad, "code", 4, &value) == ARGDATA_OK)
		argdata_get_int64(value, &code);
	exit((int)code);
}

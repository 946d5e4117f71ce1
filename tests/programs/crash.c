/* crash.c: dies of the hardware fault named by "fault" (segv, fpe, ill), for signal-report tests. */
#include <argdata.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

static volatile int zero;

void program_main(const argdata_t *ad)
{
	argdata_t value;
	const char *fault = "segv";
	if (argdata_map_find(*ad, "fault", 5, &value) == ARGDATA_OK)
		argdata_get_str_c(value, &fault);
	if (strcmp(fault, "segv") == 0)
		*(volatile int *)(uintptr_t)zero = 1;
	else if (strcmp(fault, "fpe") == 0) {
		/* The compiler may not turn this division into something else. */
		int dividend = 1, divisor = zero;
		__asm__ volatile("cltd; idivl %1"
				 : "+a"(dividend)
				 : "r"(divisor)
				 : "rdx");
	} else if (strcmp(fault, "ill") == 0)
		__builtin_trap();
	exit(0);
}

/* escape_die.c: makes the system call named by "abi" (i386 = int 0x80, x32) that the filter answers by killing the process; prints a line first. */
#include <argdata.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void program_main(const argdata_t *ad)
{
	argdata_t value;
	const char *abi = "";
	uint32_t out = 0;
	if (argdata_map_find(*ad, "abi", 3, &value) == ARGDATA_OK)
		argdata_get_str_c(value, &abi);
	if (argdata_map_find(*ad, "out", 3, &value) == ARGDATA_OK)
		argdata_get_fd(value, &out);
	dprintf((int)out, "# making a %s system call\n", abi);
	long ret = 0;
	if (strcmp(abi, "i386") == 0) {
		/* i386 getpid (20) through the 32-bit entry point. */
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	} else if (strcmp(abi, "x32") == 0) {
		/* x32 getpid: __X32_SYSCALL_BIT | 39. */
		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "a"(0x40000000L | 39)
				 : "rcx", "r11", "memory");
	}
	/* Reached only when the call was not fatal. */
	dprintf((int)out, "# survived: %ld\n", ret);
	exit(0);
}

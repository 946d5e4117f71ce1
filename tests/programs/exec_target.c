/* exec_target.c: the image proc_exec tests start: reports what it received and exits with "code". */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	CHECK_EQ(check_out_fd, 0, "exec: out was renumbered to 0");
	argdata_t value;
	const char *word = "";
	if (argdata_map_find(*ad, "word", 4, &value) == ARGDATA_OK)
		argdata_get_str_c(value, &word);
	CHECK(strcmp(word, "renewed") == 0, "exec: argdata arrived (%s)", word);
	/* Nothing but descriptor 0 survived. */
	cloudabi_fdstat_t st;
	for (cloudabi_fd_t fd = 1; fd < 8; fd++)
		CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &st), CLOUDABI_EBADF,
			 "exec: descriptor %u is gone", fd);
	int64_t code = 0;
	if (argdata_map_find(*ad, "code", 4, &value) == ARGDATA_OK)
		argdata_get_int64(value, &code);
	exit(check_failures == 0 ? (int)code : 1);
}

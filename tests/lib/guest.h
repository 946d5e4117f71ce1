/* guest.h: helpers shared by guest test programs (finding the "out" descriptor in the argdata map). */
#ifndef CAPBOX_TESTS_GUEST_H
#define CAPBOX_TESTS_GUEST_H

#include <argdata.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The test runner passes the TAP output descriptor as "out".  Without it
 * the program has nowhere to report, so it exits with status 3.
 */
static inline int guest_out_fd(const argdata_t *ad)
{
	argdata_t value;
	uint32_t fd;

	if (argdata_map_find(*ad, "out", strlen("out"), &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(3);
	return (int)fd;
}

#endif

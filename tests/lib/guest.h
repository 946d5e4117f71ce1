/* guest.h: helpers shared by guest test programs (finding granted descriptors, "out" among them, in the argdata map). */
#ifndef CAPBOX_TESTS_GUEST_H
#define CAPBOX_TESTS_GUEST_H

#include <argdata.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The descriptor granted under key; exits with status 3 when missing. */
static inline uint32_t guest_grant_fd(const argdata_t *ad, const char *key)
{
	argdata_t value;
	uint32_t fd;

	if (argdata_map_find(*ad, key, strlen(key), &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(3);
	return fd;
}

/*
 * The test runner passes the TAP output descriptor as "out".  Without it
 * the program has nowhere to report, so it exits with status 3.
 */
static inline int guest_out_fd(const argdata_t *ad)
{
	return (int)guest_grant_fd(ad, "out");
}

#endif

/* escape_broker.h: the escape suite's check that the broker still answers after an attack. */
#ifndef CAPBOX_TESTS_ESCAPE_BROKER_H
#define CAPBOX_TESTS_ESCAPE_BROKER_H

#include <cloudabi_syscalls.h>

#include "check.h"

/* fd_dup and fd_close are broker round trips (fd_stat_get is not: the
 * shim answers it from its mirror of the descriptor table). */
static inline void escape_check_broker(cloudabi_fd_t out, const char *after)
{
	cloudabi_fd_t copy;
	CHECK_EQ(cloudabi_sys_fd_dup(out, &copy), 0,
		 "after %s the broker still answers fd_dup", after);
	CHECK_EQ(cloudabi_sys_fd_close(copy), 0, "and fd_close");
}

#endif

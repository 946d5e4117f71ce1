/* plat_capbox.h: helpers shared by the two files of the CloudABI platform layer. */
#ifndef CAPBOX_BENCH_PLAT_CAPBOX_H
#define CAPBOX_BENCH_PLAT_CAPBOX_H

#include <cloudabi_syscalls.h>

#include "plat.h"

/* A CloudABI errno as a platform result. */
static inline int plat_result(cloudabi_errno_t err)
{
	return err == CLOUDABI_ENOSYS ? PLAT_ENOSYS : (int)err;
}

/* Waits in poll for the one event sub describes; checks its error. */
int plat_poll_one(const cloudabi_subscription_t *sub, cloudabi_event_t *ev);

#endif

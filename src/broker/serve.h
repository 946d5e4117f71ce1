/* serve.h: the broker's event loop: serves a guest's hypercalls until it ends. */
#ifndef CAPBOX_BROKER_SERVE_H
#define CAPBOX_BROKER_SERVE_H

#include "broker/guest.h"

/* Serves g until its process has ended and been reaped; fills
 * g->wait_code and g->wait_status.  Returns 0, or -1 on a broker failure
 * (after killing the guest). */
int serve_guest(struct guest *g);

#endif

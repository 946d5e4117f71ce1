/* hc_proc.h: hypercalls of the proc_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_PROC_H
#define CAPBOX_PROTOCOL_HC_PROC_H

/* Included by protocol/hypercall.h only. */

#define CAPBOX_HYPERCALLS_PROC(X)

#endif

/* hc_fd.h: hypercalls of the fd_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_FD_H
#define CAPBOX_PROTOCOL_HC_FD_H

/* Included by protocol/hypercall.h only. */

/* Parameters of calls that name one descriptor. */
struct capbox_hc_fd {
	uint32_t fd;
	uint32_t reserved;
};

#define CAPBOX_HYPERCALLS_FD(X)                                                \
	X(CLOUDABI_SYS_fd_close, fd_close, struct capbox_hc_fd, 0)             \
	X(CLOUDABI_SYS_fd_stat_get, fd_stat_get, struct capbox_hc_fd, 0)

#endif

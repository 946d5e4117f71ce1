/* hc_fd.h: hypercalls of the fd_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_FD_H
#define CAPBOX_PROTOCOL_HC_FD_H

/* Included by protocol/hypercall.h only. */

/* Parameters of calls that name one descriptor: fd_close, fd_stat_get,
 * fd_dup.  fd_dup's reply is a capbox_hc_new_fd. */
struct capbox_hc_fd {
	uint32_t fd;
	uint32_t reserved;
};

/* fd_create1 (reply: one capbox_hc_new_fd) and fd_create2 (reply: a
 * capbox_hc_new_fd_pair, the two descriptors attached in that order). */
struct capbox_hc_fd_create {
	uint8_t type; /* cloudabi_filetype_t */
	uint8_t reserved[7];
};

struct capbox_hc_new_fd_pair {
	struct capbox_hc_new_fd first;
	struct capbox_hc_new_fd second;
};

/* fd_replace: the reply is a capbox_hc_new_fd whose entry.fd is `to`; the
 * shim moves the attached descriptor over `to` with one dup3. */
struct capbox_hc_fd_replace {
	uint32_t from;
	uint32_t to;
};

/*
 * fd_stat_put.  The reply is a capbox_hc_new_fd: the descriptor's entry
 * after the change, with no descriptor attached, or with one when the
 * broker had to reopen the object with a narrower access mode (the shim
 * then moves it over entry.fd, as for fd_replace).
 */
struct capbox_hc_fd_stat_put {
	uint32_t fd;
	uint16_t flags;    /* cloudabi_fdsflags_t: what to change */
	uint16_t fs_flags; /* cloudabi_fdflags_t */
	uint64_t rights_base;
	uint64_t rights_inheriting;
};

/*
 * A descriptor the guest has in the broker's table but not yet in its own
 * (file_open of a file or directory answers without one: see hc_file.h):
 * the reply is a capbox_hc_new_fd for `fd` with the object attached, as
 * for fd_dup.  Asking for a descriptor the guest already holds gives
 * another copy of the same thing, nothing more.  Its number,
 * CAPBOX_HC_FD_FETCH, is in hypercall.h's enum capbox_hc_call.
 */

/*
 * fd_read, fd_pread, fd_write, fd_pwrite of a regular file still waiting
 * in the broker, done by the broker on its object (the same open file the
 * guest would fetch): the first few transfers of a file cost a round trip
 * instead of passing the descriptor, which most small files never need.
 * Reads: no tail, the reply is the bytes read.  Writes: the tail is the
 * `length` bytes to write, the reply a capbox_hc_fd_io_done.  Any other
 * type of file is EINVAL (the broker never blocks on a socket or pipe).
 */
#define CAPBOX_HC_IO_MAX 16384 /* bytes per forwarded transfer */

struct capbox_hc_fd_io {
	uint32_t fd;
	uint32_t length; /* at most CAPBOX_HC_IO_MAX */
	uint64_t offset; /* fd_pread and fd_pwrite only (else 0) */
};

struct capbox_hc_fd_io_done {
	uint64_t bytes; /* written */
};

#define CAPBOX_HYPERCALLS_FD(X)                                                \
	X(CLOUDABI_SYS_fd_close, fd_close, struct capbox_hc_fd, 0)             \
	X(CAPBOX_HC_FD_FETCH, fd_fetch, struct capbox_hc_fd, 0)                \
	X(CLOUDABI_SYS_fd_read, fd_read, struct capbox_hc_fd_io, 0)            \
	X(CLOUDABI_SYS_fd_pread, fd_pread, struct capbox_hc_fd_io, 0)          \
	X(CLOUDABI_SYS_fd_write, fd_write, struct capbox_hc_fd_io,             \
	  CAPBOX_HC_IO_MAX)                                                    \
	X(CLOUDABI_SYS_fd_pwrite, fd_pwrite, struct capbox_hc_fd_io,           \
	  CAPBOX_HC_IO_MAX)                                                    \
	X(CLOUDABI_SYS_fd_create1, fd_create1, struct capbox_hc_fd_create, 0)  \
	X(CLOUDABI_SYS_fd_create2, fd_create2, struct capbox_hc_fd_create, 0)  \
	X(CLOUDABI_SYS_fd_dup, fd_dup, struct capbox_hc_fd, 0)                 \
	X(CLOUDABI_SYS_fd_sync, fd_sync, struct capbox_hc_fd, 0)               \
	X(CLOUDABI_SYS_fd_datasync, fd_datasync, struct capbox_hc_fd, 0)       \
	X(CLOUDABI_SYS_fd_replace, fd_replace, struct capbox_hc_fd_replace, 0) \
	X(CLOUDABI_SYS_fd_stat_get, fd_stat_get, struct capbox_hc_fd, 0)       \
	X(CLOUDABI_SYS_fd_stat_put, fd_stat_put, struct capbox_hc_fd_stat_put, \
	  0)

#endif

/* hc_proc.h: hypercalls of the proc_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_PROC_H
#define CAPBOX_PROTOCOL_HC_PROC_H

/* Included by protocol/hypercall.h only. */

/*
 * proc_fork takes two calls.  PROC_FORK (before the fork) makes the child's
 * side in the broker: a copy of the capability table and a channel, which
 * the reply carries as its descriptor.  The shim then clones itself with
 * CLONE_PARENT (the broker becomes the child's parent and reaper) and
 * CLONE_PIDFD, and FORK_COMMIT names the descriptor number where the new
 * pidfd landed: the broker takes its own copy of it with pidfd_getfd, checks
 * it is the caller's new child, and enters it as a process descriptor at
 * that very number.  A failed clone is reported with fd = UINT32_MAX.
 */
struct capbox_hc_proc_fork {
	uint32_t flags; /* none defined yet: must be 0 */
	uint32_t reserved;
};

struct capbox_hc_proc_fork_reply {
	uint32_t token; /* names the pending child in FORK_COMMIT */
	uint32_t reserved;
};

struct capbox_hc_fork_commit {
	uint32_t token;
	uint32_t fd; /* where the pidfd is, or UINT32_MAX: the clone failed */
};
/* Reply: a capbox_hc_fd_entry for the process descriptor (no descriptor
 * attached: the guest already holds it). */

/* The exit of the process behind a process descriptor. */
struct capbox_hc_proc_status {
	uint32_t fd;
	uint32_t reserved;
};

struct capbox_hc_proc_status_reply {
	uint32_t exited; /* 0: still running (EAGAIN is not used for this) */
	uint32_t exitcode;
	uint8_t signal; /* cloudabi_signal_t, 0 if it exited normally */
	uint8_t reserved[7];
};

/* proc_raise: the broker delivers the signal's default action. */
struct capbox_hc_proc_raise {
	uint32_t signal; /* cloudabi_signal_t */
	uint32_t reserved;
};

/*
 * proc_exec: the broker checks the PROC_EXEC right and the image, and
 * prepares the new capability table (new fd i = old fds[i], listed in the
 * tail); the shim then re-executes itself from its image (the layout's
 * shim number, with the same layout) with the kernel descriptors arranged
 * the same way, and the new shim's BOOT
 * installs the prepared table.  If the re-execution cannot happen, the
 * shim gives up (the old image is gone by then).
 */
struct capbox_hc_proc_exec {
	uint32_t fd;   /* the executable */
	uint32_t nfds; /* entries of the uint32_t list in the tail */
	uint32_t argdata_len;
	uint32_t reserved;
};

#define CAPBOX_HYPERCALLS_PROC(X)                                              \
	X(CLOUDABI_SYS_proc_fork, proc_fork, struct capbox_hc_proc_fork, 0)    \
	X(CAPBOX_HC_FORK_COMMIT, fork_commit, struct capbox_hc_fork_commit, 0) \
	X(CAPBOX_HC_PROC_STATUS, proc_status, struct capbox_hc_proc_status, 0) \
	X(CLOUDABI_SYS_proc_raise, proc_raise, struct capbox_hc_proc_raise, 0) \
	X(CLOUDABI_SYS_proc_exec, proc_exec, struct capbox_hc_proc_exec,       \
	  CAPBOX_GUEST_FD_LIMIT * sizeof(uint32_t))

#endif

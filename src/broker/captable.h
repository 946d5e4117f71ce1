/* captable.h: the authoritative capability table of one guest process. */
#ifndef CAPBOX_BROKER_CAPTABLE_H
#define CAPBOX_BROKER_CAPTABLE_H

#include <stdbool.h>

#include "broker/rights.h"
#include "cloudabi/abi.h"
#include "protocol/hypercall.h"

/*
 * Slot N describes the guest's descriptor N.  `object` is the broker's own
 * descriptor for the same object: for a directory it is the only usable
 * reference (the guest holds a placeholder), for everything else it shares
 * the open file description the guest holds.
 */
struct guest;

/* Where a capability came from, for denial explanations (src/trace). */
#define CAP_GRANTED UINT16_MAX
struct cap_origin {
	uint16_t grant;   /* 1 + the number of the launch grant it is or
			    * descends from (grant_origin() has its text,
			    * looked up when shown), or 0 */
	uint16_t made_by; /* CLOUDABI_SYS_<call> + 1 that made it,
			    * CAP_GRANTED, or 0: not known */
	uint32_t from;    /* the descriptor it was made from, or UINT32_MAX */
};

struct cap {
	bool present;
	cloudabi_filetype_t type;
	struct rights rights;
	int object;
	struct guest *process; /* for a process descriptor: the process */
	struct cap_origin origin;
};

struct captable {
	struct cap slots[CAPBOX_GUEST_FD_LIMIT];
};

/* The slot for fd, or NULL when fd is not a capability of this table. */
struct cap *captable_get(struct captable *table, cloudabi_fd_t fd);

/* Stores cap at fd (closing whatever was there). */
void captable_put(struct captable *table, cloudabi_fd_t fd,
		  const struct cap *cap);

/* Enters cap at the lowest free number, returned in *fd; EMFILE when the
 * table is full (cap's object is then left to the caller). */
cloudabi_errno_t captable_alloc(struct captable *table, const struct cap *cap,
				cloudabi_fd_t *fd);

/* Copies every entry of from into to (which must be empty), with the
 * broker's own duplicate of each object, as fork does; 0 or an errno. */
cloudabi_errno_t captable_copy(struct captable *to,
			       const struct captable *from);

/* Fills the empty table to with to[i] = a copy of from[fds[i]], as
 * proc_exec lays out the new table; EBADF if an entry names no
 * descriptor.  On failure to may be partly filled (clear it). */
cloudabi_errno_t captable_select(struct captable *to,
				 const struct captable *from,
				 const uint32_t *fds, size_t nfds);

/* Removes fd; EBADF when absent. */
cloudabi_errno_t captable_remove(struct captable *table, cloudabi_fd_t fd);

/* Closes every object. */
void captable_clear(struct captable *table);

/* Checks fd is present with every right in `need`: 0, EBADF or
 * ENOTCAPABLE. */
cloudabi_errno_t captable_check(struct captable *table, cloudabi_fd_t fd,
				cloudabi_rights_t need, struct cap **out);

/* The entry the shim mirrors for slot fd. */
struct capbox_hc_fd_entry captable_entry(const struct captable *table,
					 cloudabi_fd_t fd);

#endif

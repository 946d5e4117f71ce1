/* fdtable.h: the shim's mirror of this process's capability table (the broker's is authoritative). */
#ifndef CAPBOX_SHIM_FDTABLE_H
#define CAPBOX_SHIM_FDTABLE_H

#include <stdbool.h>

#include "cloudabi/abi.h"
#include "protocol/hypercall.h"

/*
 * The mirror lets data-plane calls check rights without a round trip.  It
 * lives in guest memory, so a hostile guest can rewrite it: that gains
 * nothing, because every descriptor's kernel access mode already matches
 * its rights and every path operation is checked again by the broker.
 */
struct shim_fd {
	bool present;
	bool waiting;      /* the object is still in the broker: the number is
			 empty in the kernel's table until fdtable_use
			 fetches it */
	uint8_t forwarded; /* transfers the broker made for it meanwhile */
	cloudabi_filetype_t filetype;
	cloudabi_rights_t rights_base;
	cloudabi_rights_t rights_inheriting;
};

/* Mirrors entry; the kernel descriptor at its number stays as it is (an
 * entry still waiting for its object keeps waiting). */
void fdtable_set(const struct capbox_hc_fd_entry *entry);

/*
 * Descriptor-table changes (every call whose reply carries descriptors)
 * hold this lock from the request until the received descriptors sit at
 * the numbers the broker chose; so a descriptor the kernel hands us at some
 * free number can never be clobbered by another thread's installation.
 */
void fdtable_lock(void);
void fdtable_unlock(void);

/* Whether the calling thread holds the lock. */
bool fdtable_held(void);

/* Moves `received` (from a capbox_hc_new_fd reply) to entry->fd and mirrors
 * the entry; closes `received`.  Call with the lock held. */
cloudabi_errno_t fdtable_install(const struct capbox_hc_fd_entry *entry,
				 int received);
/* For a reply that left the object in the broker (file_open): mirrors the
 * entry as waiting.  Its number stays empty in the kernel's table, which
 * is safe for the same reason as above: whatever the kernel puts there
 * meanwhile is moved away before the lock is released.  Call with the
 * lock held. */
cloudabi_errno_t fdtable_install_waiting(
	const struct capbox_hc_fd_entry *entry);
void fdtable_clear(cloudabi_fd_t fd);

/* Copies fd's mirrored entry to *out; false if fd is absent. */
bool fdtable_get(cloudabi_fd_t fd, struct shim_fd *out);

/* The type of fd as mirrored (UNKNOWN if absent). */
cloudabi_filetype_t fdtable_filetype(cloudabi_fd_t fd);

/* 0 if fd is present and holds every right in `need`; else EBADF or
 * ENOTCAPABLE. */
cloudabi_errno_t fdtable_check(cloudabi_fd_t fd, cloudabi_rights_t need);

/* As fdtable_check, for a call that hands fd's kernel descriptor to Linux:
 * first fetches an object still waiting in the broker. */
cloudabi_errno_t fdtable_use(cloudabi_fd_t fd, cloudabi_rights_t need);

/* Whether some number is free in the mirror (then also in the kernel's
 * table, at or below it).  Call with the lock held. */
bool fdtable_has_free(void);

/* A descriptor the kernel just placed (at its lowest free number): if the
 * mirror has that number (a file waiting in the broker), moves it to the
 * lowest number free in both.  Call with the lock held; EMFILE if none. */
cloudabi_errno_t fdtable_move_to_free(int *fd);

/*
 * Whether a read or write of fd should be forwarded to the broker
 * (CLOUDABI_SYS_fd_read and friends) rather than fetch the file: a regular
 * file still waiting in the broker, for its first FDTABLE_FORWARD_MAX
 * transfers.  Small files are often read or written in a few calls, each
 * a round trip, which costs less than passing the descriptor; a file that
 * keeps being used is fetched and then costs nothing more.  Counts this
 * transfer.
 */
#define FDTABLE_FORWARD_MAX 4
bool fdtable_forward(cloudabi_fd_t fd);

/* Whether fd is present and its object still waits in the broker. */
bool fdtable_waiting(cloudabi_fd_t fd);

/* Fetches fd's object if it is still waiting (with or without the lock
 * held); 0 when fd's kernel descriptor is the object. */
cloudabi_errno_t fdtable_fetch(cloudabi_fd_t fd);

#endif

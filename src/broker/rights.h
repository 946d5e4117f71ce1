/* rights.h: the default CloudABI rights of each kind of object, and the one rule between rights and the kernel access mode. */
#ifndef CAPBOX_BROKER_RIGHTS_H
#define CAPBOX_BROKER_RIGHTS_H

#include <stdbool.h>

#include "cloudabi/abi.h"

struct rights {
	cloudabi_rights_t base;
	cloudabi_rights_t inheriting;
};

/* Everything an object of this type can ever be granted. */
struct rights rights_for_type(cloudabi_filetype_t type);

/*
 * The one rule between rights and the kernel access mode of the descriptor
 * that carries them (regular files and shared memory; a directory is
 * always opened read-only, and sockets, pipes and devices keep the mode
 * they were made with).  Each right whose system call the kernel checks
 * against the access mode is in exactly one row:
 *
 *   needs a readable descriptor   fd_read, file_readdir, file_readlink,
 *                                 mem_map, mem_map_exec, proc_exec
 *   needs a writable descriptor   fd_write, file_allocate,
 *                                 file_stat_fput_size
 *
 * Every other right needs neither.  Like FreeBSD's CloudABI file_open,
 * except fd_datasync: Linux's fdatasync (like fsync) works on a read-only
 * descriptor, so it does not make the guest's descriptor writable (where
 * FreeBSD's Capsicum still refuses write() without CAP_WRITE, capbox has
 * only the kernel's access mode to stop a raw write()).
 *
 * Used in both directions: rights_kernel_access says what the rights need
 * (grant.c and hc_file_open.c open with it, hc_fd.c's fd_stat_put narrows
 * the descriptor with it); rights_for_access says what a descriptor of a
 * given access can carry.
 */
#define CAPBOX_RIGHTS_NEED_READ                                                \
	(CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FILE_READDIR |                \
	 CLOUDABI_RIGHT_FILE_READLINK | CLOUDABI_RIGHT_MEM_MAP |               \
	 CLOUDABI_RIGHT_MEM_MAP_EXEC | CLOUDABI_RIGHT_PROC_EXEC)
#define CAPBOX_RIGHTS_NEED_WRITE                                               \
	(CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FILE_ALLOCATE |              \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE)

/* The rights with which FreeBSD's file_open opens for writing: the write
 * row and fd_datasync.  Only the answer follows it: a directory asked with
 * any of them is EISDIR there, as in capbox (hc_file_open.c); the access
 * mode follows the table above. */
#define CAPBOX_RIGHTS_NATIVE_OPEN_WRITE                                        \
	(CAPBOX_RIGHTS_NEED_WRITE | CLOUDABI_RIGHT_FD_DATASYNC)

struct kernel_access {
	bool read;
	bool write;
};

/* The access a descriptor needs for the rights in base (the table). */
struct kernel_access rights_kernel_access(cloudabi_rights_t base);

/* The same as an open(2) access mode: O_RDONLY, O_WRONLY, O_RDWR, or
 * `neither` when the rights need no access at all. */
int rights_open_mode(cloudabi_rights_t base, int neither);

/*
 * Rights that modify the object or what lies beneath a directory: what a
 * read-only grant (`access: read-only`) and a descriptor the kernel does
 * not let write lose.  A policy set, wider than the table's write row
 * (which it contains): a read-only descriptor could still set times or
 * sync, but a read-only grant should not.
 */
#define CAPBOX_RIGHTS_WRITING                                                  \
	(CAPBOX_RIGHTS_NEED_WRITE | CLOUDABI_RIGHT_FD_DATASYNC |               \
	 CLOUDABI_RIGHT_FD_SYNC | CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY |       \
	 CLOUDABI_RIGHT_FILE_CREATE_FILE | CLOUDABI_RIGHT_FILE_LINK_SOURCE |   \
	 CLOUDABI_RIGHT_FILE_LINK_TARGET | CLOUDABI_RIGHT_FILE_RENAME_SOURCE | \
	 CLOUDABI_RIGHT_FILE_RENAME_TARGET |                                   \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES |                                 \
	 CLOUDABI_RIGHT_FILE_STAT_PUT_TIMES | CLOUDABI_RIGHT_FILE_SYMLINK |    \
	 CLOUDABI_RIGHT_FILE_UNLINK)

/* The rights of this type a descriptor with this access can carry: the
 * table's read row goes without read access, every writing right
 * (CAPBOX_RIGHTS_WRITING) without write access.  Only for objects the
 * broker opened or was handed by the launch: an object nobody recorded
 * gets no rights at all (inflight.h). */
struct rights rights_for_access(cloudabi_filetype_t type, bool readable,
				bool writable);

#endif

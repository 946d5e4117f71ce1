/* rights.h: the default CloudABI rights of each kind of object, in one place. */
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

/* The same, narrowed to what the kernel access mode allows
 * (readable / writable), so that rights and the kernel agree. */
struct rights rights_for_access(cloudabi_filetype_t type, bool readable,
				bool writable);

/* Rights that modify the object or what lies beneath a directory. */
#define CAPBOX_RIGHTS_WRITING                                                  \
	(CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FD_DATASYNC |                \
	 CLOUDABI_RIGHT_FD_SYNC | CLOUDABI_RIGHT_FILE_ALLOCATE |               \
	 CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY |                                \
	 CLOUDABI_RIGHT_FILE_CREATE_FILE | CLOUDABI_RIGHT_FILE_LINK_SOURCE |   \
	 CLOUDABI_RIGHT_FILE_LINK_TARGET | CLOUDABI_RIGHT_FILE_RENAME_SOURCE | \
	 CLOUDABI_RIGHT_FILE_RENAME_TARGET |                                   \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE |                                  \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES |                                 \
	 CLOUDABI_RIGHT_FILE_STAT_PUT_TIMES | CLOUDABI_RIGHT_FILE_SYMLINK |    \
	 CLOUDABI_RIGHT_FILE_UNLINK)

#define CAPBOX_RIGHTS_READING                                                  \
	(CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FILE_READDIR |                \
	 CLOUDABI_RIGHT_FILE_READLINK | CLOUDABI_RIGHT_MEM_MAP |               \
	 CLOUDABI_RIGHT_MEM_MAP_EXEC | CLOUDABI_RIGHT_PROC_EXEC)

#endif

/* rights.c: the default CloudABI rights of each kind of object, and the one rule between rights and the kernel access mode. */
#include "broker/rights.h"

#include <fcntl.h>

_Static_assert((CAPBOX_RIGHTS_NEED_WRITE & ~CAPBOX_RIGHTS_WRITING) == 0,
	       "a read-only grant loses every right that needs write access");

#define RIGHTS_REGULAR_FILE                                                    \
	(CLOUDABI_RIGHT_FD_DATASYNC | CLOUDABI_RIGHT_FD_READ |                 \
	 CLOUDABI_RIGHT_FD_SEEK | CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS |           \
	 CLOUDABI_RIGHT_FD_SYNC | CLOUDABI_RIGHT_FD_TELL |                     \
	 CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FILE_ADVISE |                \
	 CLOUDABI_RIGHT_FILE_ALLOCATE | CLOUDABI_RIGHT_FILE_STAT_FGET |        \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE |                                  \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES | CLOUDABI_RIGHT_MEM_MAP |        \
	 CLOUDABI_RIGHT_MEM_MAP_EXEC | CLOUDABI_RIGHT_POLL_FD_READWRITE |      \
	 CLOUDABI_RIGHT_PROC_EXEC)

#define RIGHTS_DIRECTORY                                                       \
	(CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS | CLOUDABI_RIGHT_FD_SYNC |           \
	 CLOUDABI_RIGHT_FILE_ADVISE | CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY |   \
	 CLOUDABI_RIGHT_FILE_CREATE_FILE | CLOUDABI_RIGHT_FILE_LINK_SOURCE |   \
	 CLOUDABI_RIGHT_FILE_LINK_TARGET | CLOUDABI_RIGHT_FILE_OPEN |          \
	 CLOUDABI_RIGHT_FILE_READDIR | CLOUDABI_RIGHT_FILE_READLINK |          \
	 CLOUDABI_RIGHT_FILE_RENAME_SOURCE |                                   \
	 CLOUDABI_RIGHT_FILE_RENAME_TARGET | CLOUDABI_RIGHT_FILE_STAT_FGET |   \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES | CLOUDABI_RIGHT_FILE_STAT_GET |  \
	 CLOUDABI_RIGHT_FILE_STAT_PUT_TIMES | CLOUDABI_RIGHT_FILE_SYMLINK |    \
	 CLOUDABI_RIGHT_FILE_UNLINK)

#define RIGHTS_SOCKET                                                          \
	(CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS |           \
	 CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FILE_STAT_FGET |             \
	 CLOUDABI_RIGHT_POLL_FD_READWRITE | CLOUDABI_RIGHT_SOCK_SHUTDOWN)

#define RIGHTS_CHARACTER_DEVICE                                                \
	(CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS |           \
	 CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FILE_STAT_FGET |             \
	 CLOUDABI_RIGHT_POLL_FD_READWRITE)

#define RIGHTS_SHARED_MEMORY                                                   \
	(CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_WRITE |                    \
	 CLOUDABI_RIGHT_FILE_STAT_FGET | CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE |  \
	 CLOUDABI_RIGHT_MEM_MAP | CLOUDABI_RIGHT_MEM_MAP_EXEC)

#define RIGHTS_PROCESS                                                         \
	(CLOUDABI_RIGHT_FILE_STAT_FGET | CLOUDABI_RIGHT_POLL_PROC_TERMINATE)

/* Whatever may be opened beneath a directory. */
#define RIGHTS_BENEATH_DIRECTORY                                               \
	(RIGHTS_DIRECTORY | RIGHTS_REGULAR_FILE | RIGHTS_SOCKET |              \
	 RIGHTS_CHARACTER_DEVICE)

struct rights rights_for_type(cloudabi_filetype_t type)
{
	switch (type) {
	case CLOUDABI_FILETYPE_REGULAR_FILE:
		return (struct rights){RIGHTS_REGULAR_FILE, 0};
	case CLOUDABI_FILETYPE_DIRECTORY:
		return (struct rights){RIGHTS_DIRECTORY,
				       RIGHTS_BENEATH_DIRECTORY};
	case CLOUDABI_FILETYPE_SOCKET_DGRAM:
	case CLOUDABI_FILETYPE_SOCKET_STREAM:
		return (struct rights){RIGHTS_SOCKET,
				       RIGHTS_BENEATH_DIRECTORY |
					       RIGHTS_SHARED_MEMORY |
					       RIGHTS_PROCESS};
	case CLOUDABI_FILETYPE_CHARACTER_DEVICE:
	case CLOUDABI_FILETYPE_BLOCK_DEVICE:
		return (struct rights){RIGHTS_CHARACTER_DEVICE, 0};
	case CLOUDABI_FILETYPE_SHARED_MEMORY:
		return (struct rights){RIGHTS_SHARED_MEMORY, 0};
	case CLOUDABI_FILETYPE_PROCESS:
		return (struct rights){RIGHTS_PROCESS, 0};
	default:
		return (struct rights){0, 0};
	}
}

struct kernel_access rights_kernel_access(cloudabi_rights_t base)
{
	return (struct kernel_access){
		.read = (base & CAPBOX_RIGHTS_NEED_READ) != 0,
		.write = (base & CAPBOX_RIGHTS_NEED_WRITE) != 0,
	};
}

int rights_open_mode(cloudabi_rights_t base, int neither)
{
	struct kernel_access need = rights_kernel_access(base);
	if (need.write)
		return need.read ? O_RDWR : O_WRONLY;
	return need.read ? O_RDONLY : neither;
}

struct rights rights_for_access(cloudabi_filetype_t type, bool readable,
				bool writable)
{
	struct rights r = rights_for_type(type);
	if (!readable)
		r.base &= ~CAPBOX_RIGHTS_NEED_READ;
	if (!writable) {
		r.base &= ~CAPBOX_RIGHTS_WRITING;
		r.inheriting &= ~CAPBOX_RIGHTS_WRITING;
	}
	return r;
}

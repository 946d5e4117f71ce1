/* fdtable.c: the shim's mirror of this process's capability table. */
#include "shim/fdtable.h"

static struct shim_fd table[CAPBOX_GUEST_FD_LIMIT];

void fdtable_set(const struct capbox_hc_fd_entry *entry)
{
	if (entry->fd >= CAPBOX_GUEST_FD_LIMIT)
		return;
	table[entry->fd] = (struct shim_fd){
		.present = true,
		.filetype = entry->filetype,
		.rights_base = entry->rights_base,
		.rights_inheriting = entry->rights_inheriting,
	};
}

void fdtable_clear(cloudabi_fd_t fd)
{
	if (fd < CAPBOX_GUEST_FD_LIMIT)
		table[fd].present = false;
}

cloudabi_errno_t fdtable_check(cloudabi_fd_t fd, cloudabi_rights_t need)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT || !table[fd].present)
		return CLOUDABI_EBADF;
	if ((table[fd].rights_base & need) != need)
		return CLOUDABI_ENOTCAPABLE;
	return 0;
}

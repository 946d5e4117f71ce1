/* captable.c: the authoritative capability table of one guest process. */
#include "broker/captable.h"

#include <unistd.h>

struct cap *captable_get(struct captable *table, cloudabi_fd_t fd)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT || !table->slots[fd].present)
		return NULL;
	return &table->slots[fd];
}

void captable_put(struct captable *table, cloudabi_fd_t fd,
		  const struct cap *cap)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT)
		return;
	captable_remove(table, fd);
	table->slots[fd] = *cap;
	table->slots[fd].present = true;
}

cloudabi_errno_t captable_alloc(struct captable *table, const struct cap *cap,
				cloudabi_fd_t *fd)
{
	for (cloudabi_fd_t i = 0; i < CAPBOX_GUEST_FD_LIMIT; i++) {
		if (!table->slots[i].present) {
			table->slots[i] = *cap;
			table->slots[i].present = true;
			*fd = i;
			return 0;
		}
	}
	return CLOUDABI_EMFILE;
}

cloudabi_errno_t captable_remove(struct captable *table, cloudabi_fd_t fd)
{
	struct cap *cap = captable_get(table, fd);
	if (cap == NULL)
		return CLOUDABI_EBADF;
	if (cap->object >= 0)
		close(cap->object);
	*cap = (struct cap){.present = false, .object = -1};
	return 0;
}

void captable_clear(struct captable *table)
{
	for (cloudabi_fd_t fd = 0; fd < CAPBOX_GUEST_FD_LIMIT; fd++)
		captable_remove(table, fd);
}

cloudabi_errno_t captable_check(struct captable *table, cloudabi_fd_t fd,
				cloudabi_rights_t need, struct cap **out)
{
	struct cap *cap = captable_get(table, fd);
	if (cap == NULL)
		return CLOUDABI_EBADF;
	if ((cap->rights.base & need) != need)
		return CLOUDABI_ENOTCAPABLE;
	if (out != NULL)
		*out = cap;
	return 0;
}

struct capbox_hc_fd_entry captable_entry(const struct captable *table,
					 cloudabi_fd_t fd)
{
	const struct cap *cap = &table->slots[fd];
	return (struct capbox_hc_fd_entry){
		.fd = fd,
		.filetype = cap->type,
		.rights_base = cap->rights.base,
		.rights_inheriting = cap->rights.inheriting,
	};
}

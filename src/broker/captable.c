/* captable.c: the authoritative capability table of one guest process. */
#include "broker/captable.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "broker/fdbudget.h"
#include "broker/process.h"
#include "common/linux_convert.h"
#include "trace/trace.h"

struct cap *captable_get(struct captable *table, cloudabi_fd_t fd)
{
	if (fd >= fdbudget_layout.guest_fds || !table->slots[fd].present)
		return NULL;
	return &table->slots[fd];
}

void captable_put(struct captable *table, cloudabi_fd_t fd,
		  const struct cap *cap)
{
	if (fd >= fdbudget_layout.guest_fds)
		return;
	captable_remove(table, fd);
	table->slots[fd] = *cap;
	table->slots[fd].present = true;
	if (cap->process != NULL)
		process_ref(cap->process);
}

cloudabi_errno_t captable_alloc(struct captable *table, const struct cap *cap,
				cloudabi_fd_t *fd)
{
	for (cloudabi_fd_t i = 0; i < fdbudget_layout.guest_fds; i++) {
		if (!table->slots[i].present) {
			table->slots[i] = *cap;
			table->slots[i].present = true;
			if (cap->process != NULL)
				process_ref(cap->process);
			*fd = i;
			return 0;
		}
	}
	return CLOUDABI_EMFILE;
}

/* Fills the empty slot `to` with from's object (the broker's own
 * duplicate), type and rights. */
static cloudabi_errno_t copy_slot(struct cap *to, const struct cap *from)
{
	struct cap copy = *from;
	copy.object = fcntl(from->object, F_DUPFD_CLOEXEC,
			    fdbudget_layout.private_end);
	if (copy.object < 0)
		return fdbudget_errno(errno);
	*to = copy;
	if (copy.process != NULL)
		process_ref(copy.process);
	return 0;
}

cloudabi_errno_t captable_copy(struct captable *to, const struct captable *from)
{
	for (cloudabi_fd_t fd = 0; fd < fdbudget_layout.guest_fds; fd++) {
		if (!from->slots[fd].present)
			continue;
		cloudabi_errno_t err = copy_slot(&to->slots[fd],
						 &from->slots[fd]);
		if (err != 0)
			return err;
	}
	return 0;
}

cloudabi_errno_t captable_select(struct captable *to,
				 const struct captable *from,
				 const uint32_t *fds, size_t nfds)
{
	if (nfds > fdbudget_layout.guest_fds)
		return CLOUDABI_EINVAL;
	for (size_t i = 0; i < nfds; i++) {
		if (fds[i] >= fdbudget_layout.guest_fds ||
		    !from->slots[fds[i]].present)
			return CLOUDABI_EBADF;
	}
	for (size_t i = 0; i < nfds; i++) {
		cloudabi_errno_t err = copy_slot(&to->slots[i],
						 &from->slots[fds[i]]);
		if (err != 0)
			return err;
	}
	return 0;
}

cloudabi_errno_t captable_remove(struct captable *table, cloudabi_fd_t fd)
{
	struct cap *cap = captable_get(table, fd);
	if (cap == NULL)
		return CLOUDABI_EBADF;
	if (cap->object >= 0)
		close(cap->object);
	struct guest *process = cap->process;
	*cap = (struct cap){.present = false, .object = -1};
	if (process != NULL)
		process_unref(process);
	return 0;
}

void captable_clear(struct captable *table)
{
	for (cloudabi_fd_t fd = 0; fd < fdbudget_layout.guest_fds; fd++)
		captable_remove(table, fd);
}

cloudabi_errno_t captable_check(struct captable *table, cloudabi_fd_t fd,
				cloudabi_rights_t need, struct cap **out)
{
	struct cap *cap = captable_get(table, fd);
	if (cap == NULL)
		return CLOUDABI_EBADF;
	if ((cap->rights.base & need) != need) {
		if (trace_active)
			trace_note_missing(fd, need & ~cap->rights.base);
		return CLOUDABI_ENOTCAPABLE;
	}
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

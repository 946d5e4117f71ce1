/* fdtable.c: the shim's mirror of this process's capability table. */
#include "shim/fdtable.h"

#include "common/linux_convert.h"
#include "shim/linux.h"
#include "shim/mutex.h"
#include "shim/shim.h"

static struct shim_fd table[CAPBOX_GUEST_FD_LIMIT];
static struct shim_mutex table_lock;
static struct shim_thread *table_owner; /* the thread holding table_lock */

void fdtable_lock(void)
{
	shim_mutex_lock(&table_lock);
	__atomic_store_n(&table_owner, shim_self(), __ATOMIC_RELAXED);
}

void fdtable_unlock(void)
{
	__atomic_store_n(&table_owner, NULL, __ATOMIC_RELAXED);
	shim_mutex_unlock(&table_lock);
}

bool fdtable_held(void)
{
	return __atomic_load_n(&table_owner, __ATOMIC_RELAXED) == shim_self();
}

cloudabi_errno_t fdtable_install(const struct capbox_hc_fd_entry *entry,
				 int received)
{
	if (entry->fd >= CAPBOX_GUEST_FD_LIMIT) {
		linux_syscall1(__NR_close, received);
		return CLOUDABI_EIO;
	}
	long r;
	if ((uint32_t)received != entry->fd) {
		r = linux_syscall3(__NR_dup3, received, entry->fd, 0);
		linux_syscall1(__NR_close, received);
	} else {
		r = linux_syscall3(__NR_fcntl, received, F_SETFD, 0);
	}
	if (r < 0)
		return capbox_errno_from_linux((int)-r);
	fdtable_set(entry);
	return 0;
}

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

bool fdtable_get(cloudabi_fd_t fd, struct shim_fd *out)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT || !table[fd].present)
		return false;
	*out = table[fd];
	return true;
}

cloudabi_filetype_t fdtable_filetype(cloudabi_fd_t fd)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT || !table[fd].present)
		return CLOUDABI_FILETYPE_UNKNOWN;
	return table[fd].filetype;
}

cloudabi_errno_t fdtable_check(cloudabi_fd_t fd, cloudabi_rights_t need)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT || !table[fd].present)
		return CLOUDABI_EBADF;
	if ((table[fd].rights_base & need) != need)
		return CLOUDABI_ENOTCAPABLE;
	return 0;
}

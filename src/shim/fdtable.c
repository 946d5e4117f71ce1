/* fdtable.c: the shim's mirror of this process's capability table. */
#include "shim/fdtable.h"

#include "common/linux_convert.h"
#include "shim/channel.h"
#include "shim/linux.h"
#include "shim/mutex.h"
#include "shim/shim.h"

static struct shim_fd table[CAPBOX_GUEST_FD_LIMIT];
#define GUEST_FDS (shim_proc.fds.guest_fds) /* in use: the layout's */
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

static void mirror(const struct capbox_hc_fd_entry *entry, bool waiting)
{
	table[entry->fd] = (struct shim_fd){
		.present = true,
		.waiting = waiting,
		.filetype = entry->filetype,
		.rights_base = entry->rights_base,
		.rights_inheriting = entry->rights_inheriting,
	};
}

cloudabi_errno_t fdtable_install(const struct capbox_hc_fd_entry *entry,
				 int received)
{
	if (entry->fd >= GUEST_FDS) {
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
	mirror(entry, false);
	return 0;
}

void fdtable_set(const struct capbox_hc_fd_entry *entry)
{
	if (entry->fd < GUEST_FDS)
		mirror(entry, fdtable_waiting(entry->fd));
}

cloudabi_errno_t fdtable_install_waiting(const struct capbox_hc_fd_entry *entry)
{
	if (entry->fd >= GUEST_FDS)
		return CLOUDABI_EIO;
	mirror(entry, true);
	return 0;
}

void fdtable_clear(cloudabi_fd_t fd)
{
	if (fd < GUEST_FDS)
		table[fd].present = false;
}

bool fdtable_get(cloudabi_fd_t fd, struct shim_fd *out)
{
	if (fd >= GUEST_FDS || !table[fd].present)
		return false;
	*out = table[fd];
	return true;
}

cloudabi_filetype_t fdtable_filetype(cloudabi_fd_t fd)
{
	if (fd >= GUEST_FDS || !table[fd].present)
		return CLOUDABI_FILETYPE_UNKNOWN;
	return table[fd].filetype;
}

cloudabi_errno_t fdtable_check(cloudabi_fd_t fd, cloudabi_rights_t need)
{
	if (fd >= GUEST_FDS || !table[fd].present)
		return CLOUDABI_EBADF;
	if ((table[fd].rights_base & need) != need)
		return CLOUDABI_ENOTCAPABLE;
	return 0;
}

bool fdtable_has_free(void)
{
	for (int fd = 0; fd < (int)GUEST_FDS; fd++) {
		if (!table[fd].present)
			return true;
	}
	return false;
}

cloudabi_errno_t fdtable_move_to_free(int *fd)
{
	if (*fd < 0 || !fdtable_waiting((cloudabi_fd_t)*fd))
		return 0;
	/* Every number the kernel uses below the limit is mirrored, so one
	 * free in the mirror is free in the kernel's table too. */
	for (int to = 0; to < (int)GUEST_FDS; to++) {
		if (table[to].present)
			continue;
		long r = linux_syscall3(__NR_dup3, *fd, to, 0);
		linux_syscall1(__NR_close, *fd);
		if (r < 0)
			return capbox_errno_from_linux((int)-r);
		*fd = to;
		return 0;
	}
	linux_syscall1(__NR_close, *fd);
	return CLOUDABI_EMFILE;
}

bool fdtable_forward(cloudabi_fd_t fd)
{
	if (!fdtable_waiting(fd) ||
	    table[fd].filetype != CLOUDABI_FILETYPE_REGULAR_FILE)
		return false;
	/* Threads may race on the count: the bound is a hint, the broker
	 * serves any number of forwarded transfers correctly. */
	uint8_t n = __atomic_load_n(&table[fd].forwarded, __ATOMIC_RELAXED);
	if (n >= FDTABLE_FORWARD_MAX)
		return false;
	__atomic_store_n(&table[fd].forwarded, (uint8_t)(n + 1),
			 __ATOMIC_RELAXED);
	return true;
}

bool fdtable_waiting(cloudabi_fd_t fd)
{
	return fd < GUEST_FDS && table[fd].present && table[fd].waiting;
}

/* Under the lock: asks the broker for fd's object and puts it at fd. */
static cloudabi_errno_t fetch_locked(cloudabi_fd_t fd)
{
	if (!fdtable_waiting(fd))
		return 0;
	struct capbox_hc_fd params = {.fd = fd};
	struct capbox_hc_new_fd nfd;
	struct hc_result result = {.data = &nfd, .capacity = sizeof(nfd)};
	cloudabi_errno_t err = hc_call(CAPBOX_HC_FD_FETCH, &params,
				       sizeof(params), NULL, 0, &result);
	if (err == 0 && (result.length != sizeof(nfd) || result.nfds != 1 ||
			 nfd.entry.fd != fd))
		err = CLOUDABI_EIO;
	if (err == 0)
		return fdtable_install(&nfd.entry, result.fds[0]);
	for (size_t i = 0; i < result.nfds; i++)
		linux_syscall1(__NR_close, result.fds[i]);
	return err;
}

cloudabi_errno_t fdtable_fetch(cloudabi_fd_t fd)
{
	if (!fdtable_waiting(fd))
		return 0;
	if (fdtable_held())
		return fetch_locked(fd);
	fdtable_lock();
	cloudabi_errno_t err = fetch_locked(fd);
	fdtable_unlock();
	return err;
}

cloudabi_errno_t fdtable_use(cloudabi_fd_t fd, cloudabi_rights_t need)
{
	cloudabi_errno_t err = fdtable_check(fd, need);
	return err != 0 ? err : fdtable_fetch(fd);
}

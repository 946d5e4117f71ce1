/* grant.c: opens the resources a launch hands to a guest and enters them in its capability table. */
#include "broker/grant.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/diag.h"
#include "common/linux_convert.h"

/* Broker-held objects live above every number the guest will be given,
 * so that spawning can place them without clobbering (see spawn.c). */
static int move_high(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, CAPBOX_FD_PRIVATE_END);
	int saved = errno;
	close(fd);
	errno = saved;
	return high;
}

static cloudabi_filetype_t filetype_of(int fd, const struct stat *st)
{
	if (S_ISSOCK(st->st_mode)) {
		int type;
		socklen_t len = sizeof(type);
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0)
			return capbox_filetype_from_socktype(type);
		return CLOUDABI_FILETYPE_UNKNOWN;
	}
	return capbox_filetype_from_mode(st->st_mode);
}

/* Enters object (already moved high) as a new capability. */
static int enter(struct guest *g, int object, cloudabi_filetype_t type,
		 struct rights rights, cloudabi_fd_t *fd)
{
	struct cap cap = {.type = type, .rights = rights, .object = object};
	if (captable_alloc(&g->caps, &cap, fd) != 0) {
		close(object);
		diag_warn("too many descriptors for one program (at most %d)",
			  CAPBOX_GUEST_FD_LIMIT);
		return -1;
	}
	return 0;
}

int grant_host_fd(struct guest *g, int host_fd, const char *what,
		  cloudabi_fd_t *fd)
{
	int flags = fcntl(host_fd, F_GETFL);
	if (flags < 0) {
		diag_warn_errno("%s: not an open descriptor", what);
		return -1;
	}
	int object = fcntl(host_fd, F_DUPFD_CLOEXEC, CAPBOX_FD_PRIVATE_END);
	struct stat st;
	if (object < 0 || fstat(object, &st) != 0) {
		diag_warn_errno("%s", what);
		if (object >= 0)
			close(object);
		return -1;
	}
	cloudabi_filetype_t type = filetype_of(object, &st);
	if (type == CLOUDABI_FILETYPE_DIRECTORY) {
		/* The guest must never hold a usable directory descriptor. */
		close(object);
		diag_warn("%s: is a directory; grant it by path instead", what);
		return -1;
	}
	int mode = flags & O_ACCMODE;
	struct rights rights = rights_for_access(
		type, mode == O_RDONLY || mode == O_RDWR,
		mode == O_WRONLY || mode == O_RDWR);
	return enter(g, object, type, rights, fd);
}

int grant_path(struct guest *g, const char *path, enum grant_access access,
	       cloudabi_fd_t *fd)
{
	bool writable = access == GRANT_READ_WRITE;
	/* Open with the access mode the rights imply, once, so that what is
	 * checked is what is granted. */
	int object = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC |
					O_NOCTTY | O_NONBLOCK);
	if (object < 0 && writable && errno == EISDIR)
		object = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (object < 0 || fstat(object, &st) != 0) {
		diag_warn_errno("%s", path);
		if (object >= 0)
			close(object);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		object = move_high(object);
		if (object < 0) {
			diag_warn_errno("%s", path);
			return -1;
		}
		struct rights rights = rights_for_access(
			CLOUDABI_FILETYPE_DIRECTORY, true, writable);
		return enter(g, object, CLOUDABI_FILETYPE_DIRECTORY, rights,
			     fd);
	}
	if (!S_ISREG(st.st_mode)) {
		close(object);
		diag_warn("%s: not a regular file or directory", path);
		return -1;
	}
	/* O_NONBLOCK only kept a FIFO from blocking the open. */
	if (fcntl(object, F_SETFL, 0) != 0) {
		diag_warn_errno("%s", path);
		close(object);
		return -1;
	}
	object = move_high(object);
	if (object < 0) {
		diag_warn_errno("%s", path);
		return -1;
	}
	struct rights rights = rights_for_access(
		CLOUDABI_FILETYPE_REGULAR_FILE, true, writable);
	return enter(g, object, CLOUDABI_FILETYPE_REGULAR_FILE, rights, fd);
}

/* grant.c: opens the resources a launch hands to a guest and enters them in its capability table. */
#include "broker/grant.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/diag.h"
#include "broker/fdbudget.h"
#include "broker/grant_internal.h"
#include "common/abi_names.h"
#include "common/linux_convert.h"

void grant_warn(const char *where, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_warn("%s%s%s%s%s", where != NULL ? where : "",
		  where != NULL ? ": " : "", msg, err != 0 ? ": " : "",
		  err != 0 ? strerror(err) : "");
}

int grant_move_high(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, fdbudget_layout.private_end);
	int saved = errno;
	close(fd);
	errno = saved;
	return high;
}

cloudabi_filetype_t grant_filetype(int fd, const struct stat *st)
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

/* The launch's grants, by guest descriptor number (grant.h). */
static char *origins[CAPBOX_GUEST_FD_LIMIT];
static char *bound_addresses[CAPBOX_GUEST_FD_LIMIT];

static void note(char **table, cloudabi_fd_t fd, const char *text)
{
	if (fd >= CAPBOX_GUEST_FD_LIMIT || text == NULL)
		return;
	free(table[fd]);
	table[fd] = strdup(text); /* NULL on failure: nothing known */
}

const char *grant_origin(cloudabi_fd_t fd)
{
	return fd < CAPBOX_GUEST_FD_LIMIT ? origins[fd] : NULL;
}

const char *grant_bound_address(cloudabi_fd_t fd)
{
	return fd < CAPBOX_GUEST_FD_LIMIT ? bound_addresses[fd] : NULL;
}

void grant_note_origin(cloudabi_fd_t fd, const char *origin)
{
	note(origins, fd, origin);
}

void grant_note_bound_address(cloudabi_fd_t fd, const char *address)
{
	note(bound_addresses, fd, address);
}

int grant_enter(struct guest *g, const char *where, int object,
		cloudabi_filetype_t type, struct rights rights,
		cloudabi_fd_t *fd)
{
	struct cap cap = {.type = type, .rights = rights, .object = object};
	if (captable_alloc(&g->caps, &cap, fd) != 0) {
		close(object);
		grant_warn(where, 0,
			   "too many descriptors for one program (at most %u)",
			   (unsigned)fdbudget_layout.guest_fds);
		return -1;
	}
	grant_note_origin(*fd, where);
	captable_get(&g->caps, *fd)->origin = (struct cap_origin){
		(uint16_t)(*fd + 1), CAP_GRANTED, UINT32_MAX};
	return 0;
}

int grant_rights_apply(cloudabi_filetype_t type,
		       const struct grant_rights *narrow, struct rights *out,
		       cloudabi_rights_t *missing)
{
	struct rights r = rights_for_type(type);
	*missing = 0;
	if (narrow != NULL) {
		if (narrow->read_only ||
		    (narrow->read_only_file &&
		     type == CLOUDABI_FILETYPE_REGULAR_FILE))
			r = rights_for_access(type, true, false);
		if (narrow->has_base) {
			cloudabi_rights_t extra = narrow->base & ~r.base;
			if (extra != 0) {
				*missing = extra & -extra;
				return -1;
			}
			r.base = narrow->base;
		}
		if (narrow->has_inheriting) {
			cloudabi_rights_t extra = narrow->inheriting &
						  ~r.inheriting;
			if (extra != 0) {
				*missing = extra & -extra;
				return -1;
			}
			r.inheriting = narrow->inheriting;
		}
		r.base &= ~narrow->removed;
		r.inheriting &= ~narrow->removed;
	}
	*out = r;
	return 0;
}

int grant_rights_checked(const char *where, const char *what,
			 cloudabi_filetype_t type,
			 const struct grant_rights *narrow, struct rights *out)
{
	cloudabi_rights_t missing;
	if (grant_rights_apply(type, narrow, out, &missing) == 0)
		return 0;
	const char *right = cloudabi_right_name(missing);
	const char *tname = cloudabi_filetype_name(type);
	grant_warn(where, 0, "%s: a %s%s cannot have the right %s", what,
		   narrow != NULL && narrow->read_only ? "read-only " : "",
		   tname != NULL ? tname : "object",
		   right != NULL ? right : "?");
	return -1;
}

int grant_host_fd(struct guest *g, const char *where, int host_fd,
		  const char *what, cloudabi_fd_t *fd)
{
	int flags = fcntl(host_fd, F_GETFL);
	if (flags < 0) {
		grant_warn(where, errno, "%s: not an open descriptor", what);
		return -1;
	}
	int object = fcntl(host_fd, F_DUPFD_CLOEXEC,
			   fdbudget_layout.private_end);
	struct stat st;
	if (object < 0 || fstat(object, &st) != 0) {
		grant_warn(where, errno, "%s", what);
		if (object >= 0)
			close(object);
		return -1;
	}
	cloudabi_filetype_t type = grant_filetype(object, &st);
	if (type == CLOUDABI_FILETYPE_DIRECTORY) {
		/* The guest must never hold a usable directory descriptor. */
		close(object);
		grant_warn(where, 0,
			   "%s: is a directory; grant it by path instead",
			   what);
		return -1;
	}
	int mode = flags & O_ACCMODE;
	struct rights rights =
		rights_for_access(type, mode == O_RDONLY || mode == O_RDWR,
				  mode == O_WRONLY || mode == O_RDWR);
	return grant_enter(g, where, object, type, rights, fd);
}

/* Opens path as a regular file with `mode`, or as a directory. */
static int open_object(const char *where, const char *path, int mode,
		       const struct grant_rights *narrow, struct stat *st)
{
	int object = open(path, mode | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (object < 0 && mode != O_RDONLY && errno == EISDIR)
		object = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (object < 0 || fstat(object, st) != 0) {
		int err = errno;
		const char *option = narrow != NULL ? narrow->option : NULL;
		if (mode != O_RDONLY &&
		    (err == EACCES || err == EROFS || err == ETXTBSY))
			grant_warn(
				where, 0, "%s: %s (%s opens it read-write; %s)",
				path, strerror(err),
				option != NULL ? option : "the grant",
				option != NULL
					? "--file grants it read-only"
					: "without access: read-write and writing rights it is read-only");
		else
			grant_warn(where, err, "%s", path);
		if (object >= 0)
			close(object);
		return -1;
	}
	return object;
}

/* Refuses an object that is not the type the grant requires. */
static int check_required_type(const char *where, const char *path,
			       cloudabi_filetype_t type,
			       const struct grant_rights *narrow)
{
	if (narrow == NULL ||
	    narrow->required_type == CLOUDABI_FILETYPE_UNKNOWN ||
	    narrow->required_type == type)
		return 0;
	const char *option = narrow->option != NULL ? narrow->option
						    : "this grant";
	if (narrow->required_type == CLOUDABI_FILETYPE_DIRECTORY)
		grant_warn(
			where, 0,
			"%s: not a directory (%s takes a directory; a file is granted with --file or --file-rw)",
			path, option);
	else
		grant_warn(
			where, 0,
			"%s: is a directory (%s takes a regular file; a directory is granted with --dir or --dir-rw)",
			path, option);
	return -1;
}

int grant_path(struct guest *g, const char *where, const char *path,
	       const struct grant_rights *narrow, cloudabi_fd_t *fd)
{
	/* Open once, with the access mode the rights of a regular file
	 * imply, so that what is checked is what is granted. */
	struct rights as_file;
	cloudabi_rights_t missing;
	if (grant_rights_apply(CLOUDABI_FILETYPE_REGULAR_FILE, narrow, &as_file,
			       &missing) != 0)
		as_file.base = 0; /* reported below if it is a file */
	struct stat st;
	int object = open_object(where, path,
				 rights_open_mode(as_file.base, O_RDONLY),
				 narrow, &st);
	if (object < 0)
		return -1;
	cloudabi_filetype_t type;
	if (S_ISDIR(st.st_mode)) {
		type = CLOUDABI_FILETYPE_DIRECTORY;
	} else if (S_ISREG(st.st_mode)) {
		type = CLOUDABI_FILETYPE_REGULAR_FILE;
		/* O_NONBLOCK only kept a FIFO from blocking the open. */
		if (fcntl(object, F_SETFL, 0) != 0) {
			grant_warn(where, errno, "%s", path);
			close(object);
			return -1;
		}
	} else {
		close(object);
		grant_warn(where, 0, "%s: not a regular file or directory",
			   path);
		return -1;
	}
	struct rights rights;
	if (check_required_type(where, path, type, narrow) != 0 ||
	    grant_rights_checked(where, path, type, narrow, &rights) != 0) {
		close(object);
		return -1;
	}
	object = grant_move_high(object);
	if (object < 0) {
		grant_warn(where, errno, "%s", path);
		return -1;
	}
	return grant_enter(g, where, object, type, rights, fd);
}

int grant_executable(struct guest *g, const char *where, const char *path,
		     cloudabi_fd_t *fd)
{
	const struct grant_rights narrow = {
		.read_only = true,
		.has_base = true,
		.has_inheriting = true,
		.base = CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_SEEK |
			CLOUDABI_RIGHT_FILE_STAT_FGET | CLOUDABI_RIGHT_MEM_MAP |
			CLOUDABI_RIGHT_MEM_MAP_EXEC | CLOUDABI_RIGHT_PROC_EXEC,
		.inheriting = 0,
	};
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		grant_warn(where, 0, "%s: not a regular file", path);
		return -1;
	}
	return grant_path(g, where, path, &narrow, fd);
}

int grant_open(struct guest *g, const struct grant_desc *desc,
	       cloudabi_fd_t *fd)
{
	int r;
	switch (desc->kind) {
	case GRANT_KIND_FD:
		r = grant_host_fd(g, desc->where, desc->host_fd, desc->path,
				  fd);
		break;
	case GRANT_KIND_PATH:
		r = grant_path(g, desc->where, desc->path, &desc->narrow, fd);
		break;
	case GRANT_KIND_EXECUTABLE:
		r = grant_executable(g, desc->where, desc->path, fd);
		break;
	case GRANT_KIND_SOCKET:
		r = grant_socket(g, desc->where, desc->path, desc->mode,
				 desc->type, &desc->narrow, fd);
		break;
	default: /* fail closed on a kind this code does not know */
		grant_warn(desc->where, 0, "internal error: grant kind %d",
			   (int)desc->kind);
		return -1;
	}
	if (r == 0 && desc->origin != NULL)
		grant_note_origin(*fd, desc->origin);
	return r;
}

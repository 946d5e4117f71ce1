/* hc_file_open.c: the broker's file_open: rights, open flags and the kernel access mode of the new descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/path.h"
#include "trace/trace.h"
#include "common/linux_convert.h"

#define OPEN_OFLAGS                                                            \
	(CLOUDABI_O_CREAT | CLOUDABI_O_DIRECTORY | CLOUDABI_O_EXCL |           \
	 CLOUDABI_O_TRUNC)

#define OPEN_FDFLAGS                                                           \
	(CLOUDABI_FDFLAG_APPEND | CLOUDABI_FDFLAG_DSYNC |                      \
	 CLOUDABI_FDFLAG_NONBLOCK | CLOUDABI_FDFLAG_RSYNC |                    \
	 CLOUDABI_FDFLAG_SYNC)

/*
 * Rights the directory needs for these flags, beyond FILE_OPEN (and
 * FILE_CREATE_FILE, a directory right, for O_CREAT).  Truncating and the
 * synchronous flags concern the file being opened, so, as in FreeBSD's
 * CloudABI layer, the directory may hold those in base or inheriting.
 */
static cloudabi_rights_t file_rights_needed(const struct capbox_hc_file_open *p,
					    const struct cap *dir)
{
	cloudabi_rights_t held = dir->rights.base | dir->rights.inheriting;
	cloudabi_rights_t need = 0;
	if (p->oflags & CLOUDABI_O_TRUNC)
		need |= CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE;
	cloudabi_fdflags_t fl = p->fds.fs_flags;
	/* FD_SYNC covers every synchronous flag, FD_DATASYNC just DSYNC. */
	if (fl & (CLOUDABI_FDFLAG_RSYNC | CLOUDABI_FDFLAG_SYNC))
		need |= CLOUDABI_RIGHT_FD_SYNC;
	else if ((fl & CLOUDABI_FDFLAG_DSYNC) &&
		 !(held & CLOUDABI_RIGHT_FD_DATASYNC))
		need |= CLOUDABI_RIGHT_FD_SYNC;
	return need;
}

/* Linux open flags other than the access mode. */
static int linux_flags(const struct capbox_hc_file_open *p)
{
	int flags = O_NOCTTY;
	if (p->oflags & CLOUDABI_O_CREAT)
		flags |= O_CREAT;
	if (p->oflags & CLOUDABI_O_DIRECTORY)
		flags |= O_DIRECTORY;
	if (p->oflags & CLOUDABI_O_EXCL)
		flags |= O_EXCL;
	if (p->oflags & CLOUDABI_O_TRUNC)
		flags |= O_TRUNC;
	cloudabi_fdflags_t fl = p->fds.fs_flags;
	if (fl & CLOUDABI_FDFLAG_APPEND)
		flags |= O_APPEND;
	if (fl & CLOUDABI_FDFLAG_DSYNC)
		flags |= O_DSYNC;
	if (fl & CLOUDABI_FDFLAG_RSYNC)
		flags |= O_RSYNC;
	if (fl & CLOUDABI_FDFLAG_SYNC)
		flags |= O_SYNC;
	return flags;
}

/* Whether path's last component (not followed) is a symbolic link. */
static bool is_symlink(int dirfd, const char *path)
{
	int fd;
	if (path_open_beneath(dirfd, path, O_PATH, 0, false, &fd) != 0)
		return false;
	struct stat st;
	bool link = fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
	close(fd);
	return link;
}

/*
 * Opens path with the access mode `access` (O_RDONLY, O_WRONLY, O_RDWR or
 * O_PATH when the rights need neither).  Never blocks: O_NONBLOCK keeps a
 * FIFO from waiting for its other end and is set as asked afterwards.
 */
static cloudabi_errno_t open_object(int dirfd, const char *path, int access,
				    int flags, bool follow, int *fd)
{
	if (access == O_PATH) {
		/* O_PATH takes no creation flags: create or truncate with a
		 * read-only open first, then take the O_PATH reference. */
		int create = flags & (O_CREAT | O_EXCL | O_TRUNC);
		if (create != 0) {
			int tmp;
			cloudabi_errno_t err = path_open_beneath(
				dirfd, path, O_RDONLY | O_NONBLOCK | flags,
				0666, follow, &tmp);
			if (err != 0)
				return err;
			close(tmp);
		}
		return path_open_beneath(dirfd, path,
					 O_PATH | (flags & O_DIRECTORY), 0,
					 follow, fd);
	}
	return path_open_beneath(dirfd, path, access | O_NONBLOCK | flags, 0666,
				 follow, fd);
}

cloudabi_errno_t hc_file_open(struct guest *g,
			      const struct capbox_hc_file_open *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	struct path_buf path;
	cloudabi_errno_t err = path_copy_tail(&path, p->path_len, tail,
					      tail_len);
	if (err != 0)
		return err;
	if ((p->lookup_flags & ~CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0 ||
	    (p->oflags & ~OPEN_OFLAGS) != 0 ||
	    (p->fds.fs_flags & ~OPEN_FDFLAGS) != 0 || p->reserved != 0)
		return CLOUDABI_EINVAL;
	struct cap *dir;
	err = captable_check(&g->caps, p->dirfd,
			     CLOUDABI_RIGHT_FILE_OPEN |
				     ((p->oflags & CLOUDABI_O_CREAT)
					      ? CLOUDABI_RIGHT_FILE_CREATE_FILE
					      : 0),
			     &dir);
	if (err != 0)
		return err;
	cloudabi_rights_t need = file_rights_needed(p, dir);
	if (((dir->rights.base | dir->rights.inheriting) & need) != need) {
		if (trace_active)
			trace_note_not_inherited(
				p->dirfd, need & ~(dir->rights.base |
						   dir->rights.inheriting));
		return CLOUDABI_ENOTCAPABLE;
	}

	/* Rights only shrink: what was asked, within what the directory
	 * passes on; the kernel access mode follows from them (the
	 * table in rights.h). */
	struct rights want = {
		p->fds.fs_rights_base & dir->rights.inheriting,
		p->fds.fs_rights_inheriting & dir->rights.inheriting,
	};
	int access = rights_open_mode(want.base, O_PATH);
	bool follow = (p->lookup_flags & CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0;
	int flags = linux_flags(p);
	int object;
	err = open_object(dir->object, path.text, access, flags, follow,
			  &object);
	if (err == CLOUDABI_ENOTDIR && !follow && (flags & O_DIRECTORY) &&
	    is_symlink(dir->object, path.text))
		err = CLOUDABI_ELOOP; /* as an O_NOFOLLOW open of a link */
	if (err != 0)
		return err;

	struct stat st;
	if (fstat(object, &st) != 0) {
		err = fdbudget_errno(errno);
		close(object);
		return err;
	}
	if (S_ISLNK(st.st_mode)) { /* an O_PATH open of the link itself */
		close(object);
		return CLOUDABI_ELOOP;
	}
	cloudabi_filetype_t type = capbox_filetype_from_mode(st.st_mode);
	/* A directory asked with a right that opens for writing in FreeBSD
	 * is EISDIR there (openat_test.c:89: O_RDWR | O_DIRECTORY on a
	 * directory fails), fd_datasync included, which Linux opens
	 * read-only (rights.h). */
	if (type == CLOUDABI_FILETYPE_DIRECTORY &&
	    (want.base & CAPBOX_RIGHTS_NATIVE_OPEN_WRITE) != 0) {
		close(object);
		return CLOUDABI_EISDIR;
	}
	/* Opened O_NONBLOCK (open_object): clear it unless it was asked.  Of
	 * the flags F_SETFL sets, O_APPEND is the only other one we use. */
	if (access != O_PATH && type != CLOUDABI_FILETYPE_DIRECTORY &&
	    !(p->fds.fs_flags & CLOUDABI_FDFLAG_NONBLOCK) &&
	    fcntl(object, F_SETFL, flags & O_APPEND) != 0) {
		err = fdbudget_errno(errno);
		close(object);
		return err;
	}
	struct rights allowed = rights_for_type(type);
	struct cap cap = {
		.type = type,
		.rights = {want.base & allowed.base,
			   want.inheriting & allowed.inheriting},
		.object = object,
	};
	/* Files and directories wait in the broker until the guest uses
	 * them itself (hc_file.h); the rest go with the reply. */
	if (type == CLOUDABI_FILETYPE_REGULAR_FILE ||
	    type == CLOUDABI_FILETYPE_DIRECTORY)
		return hc_reply_new_entry(g, &cap, out);
	return hc_reply_new_fd(g, &cap, out);
}

/* hc_file_path.c: broker handlers for the file_* calls that change names: create, link, rename, symlink, unlink, readlink. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/path.h"
#include "common/linux_convert.h"

/* Two paths of a request: their lengths must add up to the tail. */
static cloudabi_errno_t copy_two_paths(const unsigned char *tail,
				       size_t tail_len, uint32_t len1,
				       uint32_t len2, struct path_buf *p1,
				       struct path_buf *p2)
{
	if ((size_t)len1 + len2 != tail_len)
		return CLOUDABI_EINVAL;
	cloudabi_errno_t err = path_copy(p1, tail, len1);
	return err != 0 ? err : path_copy(p2, tail + len1, len2);
}

/* A rename or link request, checked: its two paths and directories. */
struct two_paths {
	struct path_buf path1, path2;
	struct cap *dir1, *dir2;
};

/* Copies p's paths, refuses lookup flags beyond `lookup`, and checks that
 * fd1 holds right1 and fd2 right2 (in that order). */
static cloudabi_errno_t check_two_paths(
	struct guest *g, const struct capbox_hc_file_two_paths *p,
	const unsigned char *tail, size_t tail_len,
	cloudabi_lookupflags_t lookup, cloudabi_rights_t right1,
	cloudabi_rights_t right2, struct two_paths *r)
{
	cloudabi_errno_t err = copy_two_paths(tail, tail_len, p->path1_len,
					      p->path2_len, &r->path1,
					      &r->path2);
	if (err != 0)
		return err;
	if ((p->lookup_flags & ~lookup) != 0 || p->reserved != 0)
		return CLOUDABI_EINVAL;
	err = captable_check(&g->caps, p->fd1, right1, &r->dir1);
	return err != 0 ? err
			: captable_check(&g->caps, p->fd2, right2, &r->dir2);
}

cloudabi_errno_t hc_file_create(struct guest *g,
				const struct capbox_hc_file_create *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	struct path_buf path;
	cloudabi_errno_t err = path_copy_tail(&path, p->path_len, tail,
					      tail_len);
	if (err != 0)
		return err;
	if (p->type != CLOUDABI_FILETYPE_DIRECTORY || p->reserved[0] ||
	    p->reserved[1] || p->reserved[2] || p->reserved2 != 0)
		return CLOUDABI_EINVAL;
	int parent;
	const char *name;
	err = path_parent_at(&g->caps, p->fd,
			     CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY, path.text,
			     CLOUDABI_EEXIST, &parent, &name);
	if (err != 0)
		return err;
	err = hc_errno_of(mkdirat(parent, name, 0777));
	close(parent);
	return err;
}

cloudabi_errno_t hc_file_unlink(struct guest *g,
				const struct capbox_hc_file_unlink *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	struct path_buf path;
	cloudabi_errno_t err = path_copy_tail(&path, p->path_len, tail,
					      tail_len);
	if (err != 0)
		return err;
	if ((p->flags & ~CLOUDABI_UNLINK_REMOVEDIR) != 0 || p->reserved[0] ||
	    p->reserved[1] || p->reserved[2] || p->reserved2 != 0)
		return CLOUDABI_EINVAL;
	bool rmdir = (p->flags & CLOUDABI_UNLINK_REMOVEDIR) != 0;
	struct cap *dir;
	err = captable_check(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_UNLINK, &dir);
	if (err == 0)
		err = path_follow_trailing_slash(dir->object, &path);
	if (err != 0)
		return err;
	int parent;
	const char *name;
	/* "." and "..": rmdir(".") is EINVAL; unlinking names a directory. */
	err = path_parent_beneath(
		dir->object, path.text,
		rmdir ? CLOUDABI_EINVAL
		      : capbox_unlink_errno_from_linux(EISDIR),
		&parent, &name);
	if (err != 0)
		return err;
	if (unlinkat(parent, name, rmdir ? AT_REMOVEDIR : 0) != 0)
		err = capbox_unlink_errno_from_linux(errno);
	close(parent);
	return err;
}

cloudabi_errno_t hc_file_rename(struct guest *g,
				const struct capbox_hc_file_two_paths *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	struct two_paths r;
	cloudabi_errno_t err = check_two_paths(
		g, p, tail, tail_len, 0, CLOUDABI_RIGHT_FILE_RENAME_SOURCE,
		CLOUDABI_RIGHT_FILE_RENAME_TARGET, &r);
	if (err != 0)
		return err;
	int parent1, parent2;
	const char *name1, *name2;
	err = path_parent_beneath(r.dir1->object, r.path1.text, CLOUDABI_EINVAL,
				  &parent1, &name1);
	if (err != 0)
		return err;
	err = path_parent_beneath(r.dir2->object, r.path2.text, CLOUDABI_EINVAL,
				  &parent2, &name2);
	if (err == 0) {
		err = hc_errno_of(renameat(parent1, name1, parent2, name2));
		close(parent2);
	}
	close(parent1);
	return err;
}

cloudabi_errno_t hc_file_link(struct guest *g,
			      const struct capbox_hc_file_two_paths *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	struct two_paths r;
	cloudabi_errno_t err = check_two_paths(
		g, p, tail, tail_len, CLOUDABI_LOOKUP_SYMLINK_FOLLOW,
		CLOUDABI_RIGHT_FILE_LINK_SOURCE,
		CLOUDABI_RIGHT_FILE_LINK_TARGET, &r);
	if (err != 0)
		return err;
	/*
	 * The source is resolved completely beneath its directory (following
	 * its last symbolic link only if asked), then linked through the
	 * broker's own /proc/self/fd entry for that O_PATH descriptor: linkat
	 * itself never follows a link the guest planted.
	 */
	int source;
	err = path_open_beneath(
		r.dir1->object, r.path1.text, O_PATH, 0,
		(p->lookup_flags & CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0,
		&source);
	if (err != 0)
		return err;
	int parent;
	const char *name;
	err = path_parent_beneath(r.dir2->object, r.path2.text, CLOUDABI_EEXIST,
				  &parent, &name);
	if (err == 0) {
		char proc[32];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", source);
		struct stat st;
		if (fstat(source, &st) == 0 && S_ISDIR(st.st_mode))
			err = CLOUDABI_EPERM; /* no hard links to directories */
		else
			err = hc_errno_of(linkat(AT_FDCWD, proc, parent, name,
						 AT_SYMLINK_FOLLOW));
		close(parent);
	}
	close(source);
	return err;
}

cloudabi_errno_t hc_file_symlink(struct guest *g,
				 const struct capbox_hc_file_symlink *p,
				 const unsigned char *tail, size_t tail_len,
				 struct hc_out *out)
{
	struct path_buf contents, where;
	cloudabi_errno_t err = copy_two_paths(tail, tail_len, p->path1_len,
					      p->path2_len, &contents, &where);
	if (err != 0)
		return err;
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	int parent;
	const char *name;
	err = path_parent_at(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_SYMLINK,
			     where.text, CLOUDABI_EEXIST, &parent, &name);
	if (err != 0)
		return err;
	err = hc_errno_of(symlinkat(contents.text, parent, name));
	close(parent);
	return err;
}

cloudabi_errno_t hc_file_readlink(struct guest *g,
				  const struct capbox_hc_file_readlink *p,
				  const unsigned char *tail, size_t tail_len,
				  struct hc_out *out)
{
	struct path_buf path;
	cloudabi_errno_t err = path_copy_tail(&path, p->path_len, tail,
					      tail_len);
	if (err != 0)
		return err;
	if (p->buf_len > CAPBOX_READLINK_MAX || p->reserved != 0)
		return CLOUDABI_EINVAL;
	int link;
	err = path_lookup_at(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_READLINK,
			     path.text, false, &link);
	if (err != 0)
		return err;
	struct stat st;
	if (fstat(link, &st) != 0) {
		err = fdbudget_errno(errno);
	} else if (!S_ISLNK(st.st_mode)) {
		err = CLOUDABI_EINVAL;
	} else if (p->buf_len > 0) {
		ssize_t n = readlinkat(link, "", (char *)out->data, p->buf_len);
		if (n < 0)
			err = fdbudget_errno(errno);
		else
			out->length = (size_t)n;
	}
	close(link);
	return err;
}

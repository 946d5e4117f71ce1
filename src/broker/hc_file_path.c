/* hc_file_path.c: broker handlers for the file_* calls that change names: create, link, rename, symlink, unlink, readlink. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/dispatch.h"
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

/* The result of a Linux call: 0 or the CloudABI errno. */
static cloudabi_errno_t linux_result(int r)
{
	return r == 0 ? 0 : capbox_errno_from_linux(errno);
}

cloudabi_errno_t hc_file_create(struct guest *g, const void *params,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	(void)out;
	const struct capbox_hc_file_create *p = params;
	struct path_buf path;
	if (p->path_len != tail_len)
		return CLOUDABI_EINVAL;
	cloudabi_errno_t err = path_copy(&path, tail, tail_len);
	if (err != 0)
		return err;
	if (p->type != CLOUDABI_FILETYPE_DIRECTORY)
		return CLOUDABI_EINVAL;
	struct cap *cap;
	err = captable_check(&g->caps, p->fd,
			     CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY, &cap);
	if (err != 0)
		return err;
	int parent;
	const char *name;
	err = path_parent_beneath(cap->object, path.text, CLOUDABI_EEXIST,
				  &parent, &name);
	if (err != 0)
		return err;
	err = linux_result(mkdirat(parent, name, 0777));
	close(parent);
	return err;
}

cloudabi_errno_t hc_file_unlink(struct guest *g, const void *params,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	(void)out;
	const struct capbox_hc_file_unlink *p = params;
	struct path_buf path;
	if (p->path_len != tail_len)
		return CLOUDABI_EINVAL;
	cloudabi_errno_t err = path_copy(&path, tail, tail_len);
	if (err != 0)
		return err;
	if ((p->flags & ~CLOUDABI_UNLINK_REMOVEDIR) != 0)
		return CLOUDABI_EINVAL;
	bool rmdir = (p->flags & CLOUDABI_UNLINK_REMOVEDIR) != 0;
	struct cap *cap;
	err = captable_check(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_UNLINK,
			     &cap);
	if (err != 0)
		return err;
	int parent;
	const char *name;
	/* "." and "..": rmdir(".") is EINVAL, unlinking a directory EISDIR. */
	err = path_parent_beneath(cap->object, path.text,
				  rmdir ? CLOUDABI_EINVAL : CLOUDABI_EISDIR,
				  &parent, &name);
	if (err != 0)
		return err;
	err = linux_result(unlinkat(parent, name, rmdir ? AT_REMOVEDIR : 0));
	close(parent);
	return err;
}

cloudabi_errno_t hc_file_rename(struct guest *g, const void *params,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	(void)out;
	const struct capbox_hc_file_two_paths *p = params;
	struct path_buf from, to;
	cloudabi_errno_t err = copy_two_paths(tail, tail_len, p->path1_len,
					      p->path2_len, &from, &to);
	if (err != 0)
		return err;
	if (p->lookup_flags != 0)
		return CLOUDABI_EINVAL;
	struct cap *cap1, *cap2;
	err = captable_check(&g->caps, p->fd1,
			     CLOUDABI_RIGHT_FILE_RENAME_SOURCE, &cap1);
	if (err == 0)
		err = captable_check(&g->caps, p->fd2,
				     CLOUDABI_RIGHT_FILE_RENAME_TARGET, &cap2);
	if (err != 0)
		return err;
	int parent1, parent2;
	const char *name1, *name2;
	err = path_parent_beneath(cap1->object, from.text, CLOUDABI_EINVAL,
				  &parent1, &name1);
	if (err != 0)
		return err;
	err = path_parent_beneath(cap2->object, to.text, CLOUDABI_EINVAL,
				  &parent2, &name2);
	if (err == 0) {
		err = linux_result(renameat(parent1, name1, parent2, name2));
		close(parent2);
	}
	close(parent1);
	return err;
}

cloudabi_errno_t hc_file_link(struct guest *g, const void *params,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	(void)out;
	const struct capbox_hc_file_two_paths *p = params;
	struct path_buf from, to;
	cloudabi_errno_t err = copy_two_paths(tail, tail_len, p->path1_len,
					      p->path2_len, &from, &to);
	if (err != 0)
		return err;
	if ((p->lookup_flags & ~CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0)
		return CLOUDABI_EINVAL;
	struct cap *cap1, *cap2;
	err = captable_check(&g->caps, p->fd1, CLOUDABI_RIGHT_FILE_LINK_SOURCE,
			     &cap1);
	if (err == 0)
		err = captable_check(&g->caps, p->fd2,
				     CLOUDABI_RIGHT_FILE_LINK_TARGET, &cap2);
	if (err != 0)
		return err;
	/*
	 * The source is resolved completely beneath its directory (following
	 * its last symbolic link only if asked), then linked through the
	 * broker's own /proc/self/fd entry for that O_PATH descriptor: linkat
	 * itself never follows a link the guest planted.
	 */
	int source;
	err = path_open_beneath(cap1->object, from.text, O_PATH, 0,
				(p->lookup_flags &
				 CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0,
				&source);
	if (err != 0)
		return err;
	int parent;
	const char *name;
	err = path_parent_beneath(cap2->object, to.text, CLOUDABI_EEXIST,
				  &parent, &name);
	if (err == 0) {
		char proc[32];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", source);
		struct stat st;
		if (fstat(source, &st) == 0 && S_ISDIR(st.st_mode))
			err = CLOUDABI_EPERM; /* no hard links to directories */
		else
			err = linux_result(linkat(AT_FDCWD, proc, parent, name,
						  AT_SYMLINK_FOLLOW));
		close(parent);
	}
	close(source);
	return err;
}

cloudabi_errno_t hc_file_symlink(struct guest *g, const void *params,
				 const unsigned char *tail, size_t tail_len,
				 struct hc_out *out)
{
	(void)out;
	const struct capbox_hc_file_symlink *p = params;
	struct path_buf contents, where;
	cloudabi_errno_t err = copy_two_paths(tail, tail_len, p->path1_len,
					      p->path2_len, &contents, &where);
	if (err != 0)
		return err;
	struct cap *cap;
	err = captable_check(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_SYMLINK,
			     &cap);
	if (err != 0)
		return err;
	int parent;
	const char *name;
	err = path_parent_beneath(cap->object, where.text, CLOUDABI_EEXIST,
				  &parent, &name);
	if (err != 0)
		return err;
	err = linux_result(symlinkat(contents.text, parent, name));
	close(parent);
	return err;
}

cloudabi_errno_t hc_file_readlink(struct guest *g, const void *params,
				  const unsigned char *tail, size_t tail_len,
				  struct hc_out *out)
{
	const struct capbox_hc_file_readlink *p = params;
	struct path_buf path;
	if (p->path_len != tail_len)
		return CLOUDABI_EINVAL;
	cloudabi_errno_t err = path_copy(&path, tail, tail_len);
	if (err != 0)
		return err;
	if (p->buf_len > CAPBOX_READLINK_MAX)
		return CLOUDABI_EINVAL;
	struct cap *cap;
	err = captable_check(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_READLINK,
			     &cap);
	if (err != 0)
		return err;
	int link;
	err = path_open_beneath(cap->object, path.text, O_PATH, 0, false,
				&link);
	if (err != 0)
		return err;
	struct stat st;
	if (fstat(link, &st) != 0) {
		err = capbox_errno_from_linux(errno);
	} else if (!S_ISLNK(st.st_mode)) {
		err = CLOUDABI_EINVAL;
	} else if (p->buf_len > 0) {
		ssize_t n = readlinkat(link, "", (char *)out->data, p->buf_len);
		if (n < 0)
			err = capbox_errno_from_linux(errno);
		else
			out->length = (size_t)n;
	}
	close(link);
	return err;
}

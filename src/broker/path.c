/* path.c: resolving guest paths beneath a directory capability, never outside it. */
#include "broker/path.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "broker/fdbudget.h"
#include "common/linux_convert.h"
#include "trace/trace.h"

/* openat2 answers EAGAIN when a rename raced with a ".." step; the lookup
 * is simply repeated, a bounded number of times. */
#define PATH_RETRIES 16

/* A path that would leave its directory: ENOTCAPABLE, noted for
 * --explain-denials. */
static cloudabi_errno_t escapes(void)
{
	if (trace_active)
		trace_note_path_escape();
	return CLOUDABI_ENOTCAPABLE;
}

cloudabi_errno_t path_errno(int linux_errno)
{
	return linux_errno == EXDEV ? escapes() : fdbudget_errno(linux_errno);
}

cloudabi_errno_t path_copy(struct path_buf *dst, const unsigned char *src,
			   size_t len)
{
	if (len >= sizeof(dst->text))
		return CLOUDABI_ENAMETOOLONG;
	if (memchr(src, '\0', len) != NULL)
		return CLOUDABI_EINVAL;
	memcpy(dst->text, src, len);
	dst->text[len] = '\0';
	return 0;
}

cloudabi_errno_t path_copy_tail(struct path_buf *dst, size_t path_len,
				const unsigned char *tail, size_t tail_len)
{
	return path_len != tail_len ? CLOUDABI_EINVAL
				    : path_copy(dst, tail, tail_len);
}

cloudabi_errno_t path_open_beneath(int dirfd, const char *path, int flags,
				   unsigned mode, bool follow, int *fd)
{
	if (path[0] == '/')
		return escapes();
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC |
				    (follow ? 0 : O_NOFOLLOW)),
		.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
				? mode
				: 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long r = -1;
	for (int i = 0; i < PATH_RETRIES; i++) {
		r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (r >= 0 || errno != EAGAIN)
			break;
	}
	if (r < 0)
		return path_errno(errno);
	*fd = (int)r;
	return 0;
}

static bool is_dot_or_dotdot(const char *s, size_t len)
{
	return (len == 1 && s[0] == '.') ||
	       (len == 2 && s[0] == '.' && s[1] == '.');
}

/* The last component of path: [*start, *end), before trailing slashes. */
static void last_component(const char *path, size_t *start, size_t *end)
{
	size_t e = strlen(path);
	while (e > 0 && path[e - 1] == '/')
		e--;
	size_t s = e;
	while (s > 0 && path[s - 1] != '/')
		s--;
	*start = s;
	*end = e;
}

cloudabi_errno_t path_parent_beneath(int dirfd, const char *path,
				     cloudabi_errno_t dot_error, int *parent,
				     const char **name)
{
	size_t len = strlen(path);
	if (len == 0)
		return CLOUDABI_ENOENT;
	if (path[0] == '/')
		return escapes();
	size_t start, end;
	last_component(path, &start, &end);

	if (is_dot_or_dotdot(path + start, end - start)) {
		int fd;
		cloudabi_errno_t err = path_open_beneath(
			dirfd, path, O_PATH | O_DIRECTORY, 0, true, &fd);
		if (err != 0)
			return err;
		close(fd);
		return dot_error;
	}

	struct path_buf dir;
	if (start == 0) {
		strcpy(dir.text, ".");
	} else {
		memcpy(dir.text, path, start);
		dir.text[start] = '\0';
	}
	cloudabi_errno_t err = path_open_beneath(
		dirfd, dir.text, O_PATH | O_DIRECTORY, 0, true, parent);
	if (err != 0)
		return err;
	*name = path + start;
	return 0;
}

cloudabi_errno_t path_follow_trailing_slash(int dirfd, struct path_buf *path)
{
	for (int hops = 0;; hops++) {
		size_t len = strlen(path->text), start, end;
		if (len == 0 || path->text[len - 1] != '/')
			return 0;
		last_component(path->text, &start, &end);
		if (end == start ||
		    is_dot_or_dotdot(path->text + start, end - start))
			return 0;
		char name[CAPBOX_PATH_MAX];
		memcpy(name, path->text + start, end - start);
		name[end - start] = '\0';
		int parent;
		const char *unused;
		cloudabi_errno_t err = path_parent_beneath(
			dirfd, path->text, CLOUDABI_EINVAL, &parent, &unused);
		if (err != 0)
			return err;
		char target[CAPBOX_PATH_MAX];
		ssize_t n = readlinkat(parent, name, target, sizeof(target));
		close(parent);
		if (n < 0)
			return 0; /* no link: the call itself answers */
		if (hops == PATH_SYMLINK_HOPS)
			return CLOUDABI_ELOOP;
		if (n == 0)
			return CLOUDABI_ENOENT;
		if (target[0] == '/')
			return escapes();
		if (start + (size_t)n + 1 >= sizeof(path->text))
			return CLOUDABI_ENAMETOOLONG;
		memcpy(path->text + start, target, (size_t)n);
		path->text[start + (size_t)n] = '/';
		path->text[start + (size_t)n + 1] = '\0';
	}
}

cloudabi_errno_t path_lookup_at(struct captable *caps, cloudabi_fd_t dirfd,
				cloudabi_rights_t right, const char *path,
				bool follow, int *fd)
{
	struct cap *dir;
	cloudabi_errno_t err = captable_check(caps, dirfd, right, &dir);
	return err != 0 ? err
			: path_open_beneath(dir->object, path, O_PATH, 0,
					    follow, fd);
}

cloudabi_errno_t path_parent_at(struct captable *caps, cloudabi_fd_t dirfd,
				cloudabi_rights_t right, const char *path,
				cloudabi_errno_t dot_error, int *parent,
				const char **name)
{
	struct cap *dir;
	cloudabi_errno_t err = captable_check(caps, dirfd, right, &dir);
	return err != 0 ? err
			: path_parent_beneath(dir->object, path, dot_error,
					      parent, name);
}

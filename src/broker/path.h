/* path.h: resolving guest paths beneath a directory capability, never outside it. */
#ifndef CAPBOX_BROKER_PATH_H
#define CAPBOX_BROKER_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "broker/captable.h"
#include "cloudabi/abi.h"
#include "protocol/hypercall.h"

/*
 * Every lookup starts at the broker's own descriptor for a directory
 * capability and uses openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): an
 * absolute path, a ".." above the start or a symbolic link leading out is
 * ENOTCAPABLE (openat2's EXDEV, translated here only).  Intermediate
 * symbolic links that stay beneath are followed; whether the last component
 * is followed is the caller's choice (CloudABI's LOOKUP_SYMLINK_FOLLOW).
 */

/* A guest path copied out of a request, NUL-terminated. */
struct path_buf {
	char text[CAPBOX_PATH_MAX];
};

/* Copies len bytes of guest path: ENAMETOOLONG when len >=
 * CAPBOX_PATH_MAX, EINVAL when it holds a NUL byte. */
cloudabi_errno_t path_copy(struct path_buf *dst, const unsigned char *src,
			   size_t len);

/* path_copy of a request's tail that is exactly one path of path_len
 * bytes (EINVAL when tail_len differs). */
cloudabi_errno_t path_copy_tail(struct path_buf *dst, size_t path_len,
				const unsigned char *tail, size_t tail_len);

/* openat2(dirfd, path, flags | O_CLOEXEC [| O_NOFOLLOW], mode) beneath
 * dirfd; *fd is the new descriptor. */
cloudabi_errno_t path_open_beneath(int dirfd, const char *path, int flags,
				   unsigned mode, bool follow, int *fd);

/*
 * For the *at calls that have no openat2 form: resolves everything but the
 * last component of path beneath dirfd, as a directory (O_PATH), and
 * points *name at the last component inside path (trailing slashes kept,
 * so "dir/" still demands a directory; Linux never follows the last
 * component of such a name for mkdirat, unlinkat, renameat, symlinkat and
 * linkat's target).  A last component "." or ".." that stays beneath is
 * dot_error (the caller's errno for "names the directory itself"); one
 * that leads out is ENOTCAPABLE.  The empty path is ENOENT.
 */
cloudabi_errno_t path_parent_beneath(int dirfd, const char *path,
				     cloudabi_errno_t dot_error, int *parent,
				     const char **name);

/*
 * FreeBSD's lookup follows a symbolic link named with a trailing slash
 * ("link/") even for the calls that never follow their last component
 * (unlink, rmdir); Linux refuses it (ENOTDIR).  This rewrites path so that
 * its last component is where such links lead, as FreeBSD resolves it:
 * "a/link/" with link -> "d" becomes "a/d/".  A path without a trailing
 * slash, or whose last component is no link, is left alone.  The new path
 * is resolved beneath dirfd like any other (a link leading out is
 * ENOTCAPABLE there); more than PATH_SYMLINK_HOPS links is ELOOP.
 */
#define PATH_SYMLINK_HOPS 32
cloudabi_errno_t path_follow_trailing_slash(int dirfd, struct path_buf *path);

/* Checks that dirfd in caps holds `right`, then path_open_beneath its
 * directory with O_PATH: *fd refers to what path names. */
cloudabi_errno_t path_lookup_at(struct captable *caps, cloudabi_fd_t dirfd,
				cloudabi_rights_t right, const char *path,
				bool follow, int *fd);

/* Checks that dirfd in caps holds `right`, then path_parent_beneath its
 * directory. */
cloudabi_errno_t path_parent_at(struct captable *caps, cloudabi_fd_t dirfd,
				cloudabi_rights_t right, const char *path,
				cloudabi_errno_t dot_error, int *parent,
				const char **name);

/* The CloudABI errno for a failed lookup's Linux errno: EXDEV (an escape)
 * becomes ENOTCAPABLE. */
cloudabi_errno_t path_errno(int linux_errno);

#endif

/* file_test.h: helpers shared by the file_* guest tests (grants, opening, writing, reading files). */
#ifndef CAPBOX_TESTS_FILE_TEST_H
#define CAPBOX_TESTS_FILE_TEST_H

#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

/* The descriptor granted under key; exits with status 3 when missing. */
#define ft_grant guest_grant_fd

static inline cloudabi_lookup_t ft_at(cloudabi_fd_t fd, int follow)
{
	return (cloudabi_lookup_t){
		.fd = fd, .flags = follow ? CLOUDABI_LOOKUP_SYMLINK_FOLLOW : 0};
}

/* file_open with explicit rights (inheriting = base) and flags. */
static inline cloudabi_errno_t ft_open_rights(
	cloudabi_fd_t dir, const char *path, cloudabi_oflags_t oflags,
	cloudabi_rights_t base, cloudabi_rights_t inheriting,
	cloudabi_fdflags_t fdflags, cloudabi_fd_t *fd)
{
	cloudabi_fdstat_t fds = {
		.fs_flags = fdflags,
		.fs_rights_base = base,
		.fs_rights_inheriting = inheriting,
	};
	return cloudabi_sys_file_open(ft_at(dir, 1), path, strlen(path), oflags,
				      &fds, fd);
}

/* file_open asking for every right. */
static inline cloudabi_errno_t ft_open(cloudabi_fd_t dir, const char *path,
				       cloudabi_oflags_t oflags,
				       cloudabi_fd_t *fd)
{
	return ft_open_rights(dir, path, oflags, ~(cloudabi_rights_t)0,
			      ~(cloudabi_rights_t)0, 0, fd);
}

/*
 * The rights that make file_open open the object for writing; a directory
 * asked for with any of them is EISDIR, as in FreeBSD
 * (conformance_native_paths.c).
 */
#define FT_RIGHTS_OPEN_FOR_WRITING                                             \
	(CLOUDABI_RIGHT_FD_DATASYNC | CLOUDABI_RIGHT_FD_WRITE |                \
	 CLOUDABI_RIGHT_FILE_ALLOCATE | CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE)

/* file_open of a directory (O_DIRECTORY) asking for every right but
 * those, as the C library's openat(O_RDONLY | O_DIRECTORY) does. */
static inline cloudabi_errno_t ft_open_dir(cloudabi_fd_t dir, const char *path,
					   cloudabi_fd_t *fd)
{
	return ft_open_rights(dir, path, CLOUDABI_O_DIRECTORY,
			      ~FT_RIGHTS_OPEN_FOR_WRITING,
			      ~(cloudabi_rights_t)0, 0, fd);
}

/* Creates (or truncates) path holding text; 0 or the first error. */
static inline cloudabi_errno_t ft_put(cloudabi_fd_t dir, const char *path,
				      const char *text)
{
	cloudabi_fd_t fd;
	cloudabi_errno_t err =
		ft_open(dir, path, CLOUDABI_O_CREAT | CLOUDABI_O_TRUNC, &fd);
	if (err != 0)
		return err;
	cloudabi_ciovec_t iov = {text, strlen(text)};
	size_t n;
	err = cloudabi_sys_fd_write(fd, &iov, 1, &n);
	cloudabi_sys_fd_close(fd);
	return err;
}

/* Reads up to len-1 bytes of an open file into buf, NUL-terminated. */
static inline cloudabi_errno_t ft_read(cloudabi_fd_t fd, char *buf, size_t len)
{
	cloudabi_iovec_t iov = {buf, len - 1};
	size_t n = 0;
	cloudabi_errno_t err = cloudabi_sys_fd_read(fd, &iov, 1, &n);
	buf[err == 0 ? n : 0] = '\0';
	return err;
}

/* Makes the shim fetch fd's file from the broker, which file_open leaves
 * there until the file is used (src/protocol/hc_file.h): a read into two
 * buffers is never forwarded.  Needs FD_READ; reads nothing. */
static inline cloudabi_errno_t ft_fetch(cloudabi_fd_t fd)
{
	char a, b;
	cloudabi_iovec_t iov[2] = {{&a, 0}, {&b, 0}};
	size_t n;
	return cloudabi_sys_fd_read(fd, iov, 2, &n);
}

/* Whether path exists (stat without following). */
static inline int ft_exists(cloudabi_fd_t dir, const char *path)
{
	cloudabi_filestat_t st;
	return cloudabi_sys_file_stat_get(ft_at(dir, 0), path, strlen(path),
					  &st) == 0;
}

/* file_stat_get's type of path (not following), or 0xff on error. */
static inline int ft_type(cloudabi_fd_t dir, const char *path)
{
	cloudabi_filestat_t st;
	if (cloudabi_sys_file_stat_get(ft_at(dir, 0), path, strlen(path),
				       &st) != 0)
		return 0xff;
	return st.st_filetype;
}

#define FT_MKDIR(dir, path)                                                    \
	cloudabi_sys_file_create((dir), (path), strlen(path),                  \
				 CLOUDABI_FILETYPE_DIRECTORY)
#define FT_UNLINK(dir, path, flags)                                            \
	cloudabi_sys_file_unlink((dir), (path), strlen(path), (flags))
#define FT_SYMLINK(target, dir, path)                                          \
	cloudabi_sys_file_symlink((target), strlen(target), (dir), (path),     \
				  strlen(path))
#define FT_RENAME(d1, p1, d2, p2)                                              \
	cloudabi_sys_file_rename((d1), (p1), strlen(p1), (d2), (p2), strlen(p2))
#define FT_LINK(d1, follow, p1, d2, p2)                                        \
	cloudabi_sys_file_link(ft_at((d1), (follow)), (p1), strlen(p1), (d2),  \
			       (p2), strlen(p2))

#endif

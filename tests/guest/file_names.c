/* capbox-test-args: --dir-rw rw=@SCRATCH@ --dir ro=@SCRATCH@ */
/* file_names.c: file_create, file_unlink, file_rename, file_link, file_symlink and file_readlink, with their errors. */
#include <program.h>

#include "file_test.h"

static void create_unlink(cloudabi_fd_t rw, cloudabi_fd_t ro)
{
	CHECK_EQ(FT_MKDIR(rw, "d"), 0, "file_create makes a directory");
	CHECK_EQ(ft_type(rw, "d"), CLOUDABI_FILETYPE_DIRECTORY,
		 "it is a directory");
	CHECK_EQ(FT_MKDIR(rw, "d"), CLOUDABI_EEXIST, "again: EEXIST");
	CHECK_EQ(FT_MKDIR(rw, "d/e/"), 0, "a trailing slash is fine");
	CHECK_EQ(FT_MKDIR(rw, "x/y"), CLOUDABI_ENOENT,
		 "a missing parent: ENOENT");
	CHECK_EQ(FT_MKDIR(rw, "."), CLOUDABI_EEXIST, "\".\": EEXIST");
	CHECK_EQ(FT_MKDIR(rw, "d/.."), CLOUDABI_EEXIST, "\"d/..\": EEXIST");
	CHECK_EQ(FT_MKDIR(rw, ""), CLOUDABI_ENOENT, "the empty path: ENOENT");
	CHECK_EQ(cloudabi_sys_file_create(rw, "f", 1,
					  CLOUDABI_FILETYPE_REGULAR_FILE),
		 CLOUDABI_EINVAL, "a type other than directory: EINVAL");
	CHECK_EQ(FT_MKDIR(ro, "z"), CLOUDABI_ENOTCAPABLE,
		 "without FILE_CREATE_DIRECTORY: ENOTCAPABLE");
	CHECK_EQ(FT_MKDIR(999, "z"), CLOUDABI_EBADF, "a bad fd: EBADF");
	CHECK_EQ(ft_put(rw, "f", "data"), 0, "make a file");
	CHECK_EQ(FT_MKDIR(rw, "f/z"), CLOUDABI_ENOTDIR,
		 "a file as parent: ENOTDIR");

	/* Unlinking a directory: conformance_native_paths.c (EPERM). */
	CHECK_EQ(FT_UNLINK(rw, "f", CLOUDABI_UNLINK_REMOVEDIR),
		 CLOUDABI_ENOTDIR, "REMOVEDIR on a file: ENOTDIR");
	CHECK_EQ(FT_UNLINK(rw, "d", CLOUDABI_UNLINK_REMOVEDIR),
		 CLOUDABI_ENOTEMPTY,
		 "REMOVEDIR on a full directory: ENOTEMPTY");
	CHECK_EQ(FT_UNLINK(rw, "f/", 0), CLOUDABI_ENOTDIR,
		 "a file named with a trailing slash: ENOTDIR");
	CHECK_EQ(FT_UNLINK(rw, "nope", 0), CLOUDABI_ENOENT,
		 "a missing file: ENOENT");
	CHECK_EQ(FT_UNLINK(rw, ".", CLOUDABI_UNLINK_REMOVEDIR), CLOUDABI_EINVAL,
		 "removing \".\": EINVAL");
	CHECK_EQ(FT_UNLINK(rw, "f", 2), CLOUDABI_EINVAL,
		 "an unknown flag: EINVAL");
	CHECK_EQ(FT_UNLINK(ro, "f", 0), CLOUDABI_ENOTCAPABLE,
		 "without FILE_UNLINK: ENOTCAPABLE");
	CHECK(ft_exists(rw, "f"), "the file survived");
	CHECK_EQ(FT_UNLINK(rw, "d/e", CLOUDABI_UNLINK_REMOVEDIR), 0,
		 "REMOVEDIR on an empty directory");
	CHECK(!ft_exists(rw, "d/e"), "it is gone");
	CHECK_EQ(FT_UNLINK(rw, "f", 0), 0, "unlink a file");
	CHECK(!ft_exists(rw, "f"), "it is gone");
}

static void rename_link(cloudabi_fd_t rw, cloudabi_fd_t ro)
{
	CHECK_EQ(ft_put(rw, "a", "A"), 0, "make a");
	CHECK_EQ(FT_RENAME(rw, "a", rw, "d/b"), 0, "rename a to d/b");
	CHECK(!ft_exists(rw, "a") && ft_exists(rw, "d/b"), "it moved");
	CHECK_EQ(FT_RENAME(rw, "a", rw, "c"), CLOUDABI_ENOENT,
		 "renaming a missing file: ENOENT");
	CHECK_EQ(FT_MKDIR(rw, "e"), 0, "make e");
	CHECK_EQ(ft_put(rw, "e/x", "x"), 0, "fill e");
	CHECK_EQ(FT_RENAME(rw, "d/b", rw, "e"), CLOUDABI_EISDIR,
		 "a file over a directory: EISDIR");
	CHECK_EQ(FT_RENAME(rw, "e", rw, "d/b"), CLOUDABI_ENOTDIR,
		 "a directory over a file: ENOTDIR");
	CHECK_EQ(FT_MKDIR(rw, "g"), 0, "make g");
	CHECK_EQ(FT_RENAME(rw, "g", rw, "e"), CLOUDABI_ENOTEMPTY,
		 "a directory over a full one: ENOTEMPTY");
	CHECK_EQ(FT_RENAME(rw, "d/b", rw, "."), CLOUDABI_EINVAL,
		 "to \".\": EINVAL");
	CHECK_EQ(FT_RENAME(ro, "d/b", rw, "b"), CLOUDABI_ENOTCAPABLE,
		 "source without FILE_RENAME_SOURCE: ENOTCAPABLE");
	CHECK_EQ(FT_RENAME(rw, "d/b", ro, "b"), CLOUDABI_ENOTCAPABLE,
		 "target without FILE_RENAME_TARGET: ENOTCAPABLE");
	CHECK_EQ(FT_RENAME(rw, "d/b", 999, "b"), CLOUDABI_EBADF,
		 "a bad target fd: EBADF");
	CHECK_EQ(FT_RENAME(rw, "g", rw, "g/h"), CLOUDABI_EINVAL,
		 "a directory into itself: EINVAL");

	CHECK_EQ(FT_LINK(rw, 0, "d/b", rw, "hard"), 0, "hard link d/b");
	cloudabi_filestat_t st;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "hard", 4, &st), 0,
		 "stat it");
	CHECK_EQ(st.st_nlink, 2, "two links");
	CHECK_EQ(FT_LINK(rw, 0, "d/b", rw, "hard"), CLOUDABI_EEXIST,
		 "linking onto an existing name: EEXIST");
	CHECK_EQ(FT_LINK(rw, 0, "e", rw, "elink"), CLOUDABI_EPERM,
		 "a hard link to a directory: EPERM");
	CHECK_EQ(FT_LINK(rw, 0, "zz", rw, "zlink"), CLOUDABI_ENOENT,
		 "a missing source: ENOENT");
	CHECK_EQ(FT_LINK(ro, 0, "d/b", rw, "l2"), CLOUDABI_ENOTCAPABLE,
		 "without FILE_LINK_SOURCE: ENOTCAPABLE");
	CHECK_EQ(FT_LINK(rw, 0, "d/b", ro, "l2"), CLOUDABI_ENOTCAPABLE,
		 "without FILE_LINK_TARGET: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_link((cloudabi_lookup_t){rw, 4}, "d/b", 3,
					rw, "l3", 2),
		 CLOUDABI_EINVAL, "an unknown lookup flag: EINVAL");

	/* A link to a symbolic link: the link itself, or its target. */
	CHECK_EQ(FT_SYMLINK("d/b", rw, "sym"), 0, "symlink sym -> d/b");
	CHECK_EQ(FT_LINK(rw, 0, "sym", rw, "symhard"), 0,
		 "hard link sym without following");
	CHECK_EQ(ft_type(rw, "symhard"), CLOUDABI_FILETYPE_SYMBOLIC_LINK,
		 "the new name is a symlink");
	CHECK_EQ(FT_LINK(rw, 1, "sym", rw, "symfollow"), 0,
		 "hard link sym following it");
	CHECK_EQ(ft_type(rw, "symfollow"), CLOUDABI_FILETYPE_REGULAR_FILE,
		 "the new name is the file");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "d/b", 3, &st), 0,
		 "stat d/b");
	CHECK_EQ(st.st_nlink, 3, "three links now");
}

static void symlinks(cloudabi_fd_t rw, cloudabi_fd_t ro)
{
	char buf[64];
	size_t n = 99;
	CHECK_EQ(FT_SYMLINK("target/of/link", rw, "s"), 0, "symlink");
	CHECK_EQ(cloudabi_sys_file_readlink(rw, "s", 1, buf, sizeof(buf), &n),
		 0, "readlink");
	CHECK_EQ(n, 14, "its length");
	CHECK(memcmp(buf, "target/of/link", 14) == 0, "its contents");
	CHECK_EQ(cloudabi_sys_file_readlink(rw, "s", 1, buf, 6, &n), 0,
		 "readlink into a small buffer");
	CHECK_EQ(n, 6, "fills it");
	CHECK(memcmp(buf, "target", 6) == 0, "with the start");
	CHECK_EQ(cloudabi_sys_file_readlink(ro, "s", 1, buf, sizeof(buf), &n),
		 0, "readlink through the read-only directory");
	CHECK_EQ(cloudabi_sys_file_readlink(rw, "d", 1, buf, sizeof(buf), &n),
		 CLOUDABI_EINVAL, "readlink of a directory: EINVAL");
	CHECK_EQ(
		cloudabi_sys_file_readlink(rw, "nope", 4, buf, sizeof(buf), &n),
		CLOUDABI_ENOENT, "readlink of nothing: ENOENT");
	CHECK_EQ(cloudabi_sys_file_readlink(check_out_fd, "s", 1, buf,
					    sizeof(buf), &n),
		 CLOUDABI_ENOTCAPABLE, "without FILE_READLINK: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_readlink(999, "s", 1, buf, sizeof(buf), &n),
		 CLOUDABI_EBADF, "a bad fd: EBADF");
	CHECK_EQ(FT_SYMLINK("x", rw, "s"), CLOUDABI_EEXIST,
		 "a symlink over a name: EEXIST");
	CHECK_EQ(FT_SYMLINK("x", rw, "."), CLOUDABI_EEXIST,
		 "a symlink named \".\": EEXIST");
	CHECK_EQ(FT_SYMLINK("x", ro, "s2"), CLOUDABI_ENOTCAPABLE,
		 "without FILE_SYMLINK: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_symlink("a\0b", 3, rw, "s3", 2),
		 CLOUDABI_EINVAL, "contents holding a NUL: EINVAL");
	CHECK_EQ(FT_SYMLINK("/etc/passwd", rw, "abs"), 0,
		 "a symlink may hold an absolute path");
	cloudabi_fd_t fd;
	CHECK_EQ(ft_open(rw, "abs", 0, &fd), CLOUDABI_ENOTCAPABLE,
		 "but following it: ENOTCAPABLE");
	static char big[5000];
	memset(big, 'b', sizeof(big));
	CHECK_EQ(cloudabi_sys_file_symlink(big, 4096, rw, "s4", 2),
		 CLOUDABI_ENAMETOOLONG, "4096 bytes of contents: ENAMETOOLONG");
	CHECK_EQ(cloudabi_sys_file_symlink("x", 1, rw, big, 4096),
		 CLOUDABI_ENAMETOOLONG, "a 4096-byte path: ENAMETOOLONG");
	CHECK_EQ(FT_UNLINK(rw, "s", 0), 0, "unlink the symlink");
	CHECK(!ft_exists(rw, "s"), "it is gone");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw"), ro = ft_grant(ad, "ro");
	create_unlink(rw, ro);
	rename_link(rw, ro);
	symlinks(rw, ro);
	exit(check_done());
}

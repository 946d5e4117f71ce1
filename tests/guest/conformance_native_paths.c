/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* conformance_native_paths.c: unlink and open of directories and symbolic links where Linux and FreeBSD's CloudABI layer differ. */
#include <program.h>

#include "file_test.h"

#define R(x) CLOUDABI_RIGHT_##x
#define RMDIR CLOUDABI_UNLINK_REMOVEDIR

/* unlinkat_test.c:29: unlinking a directory without REMOVEDIR is EPERM
 * (Linux: EISDIR), and leaves it in place. */
static void unlink_directory(cloudabi_fd_t dir)
{
	CHECK_EQ(FT_MKDIR(dir, "d"), 0, "make d");
	CHECK_EQ(FT_UNLINK(dir, "d", 0), CLOUDABI_EPERM,
		 "unlinking a directory: EPERM (unlinkat_test.c:29)");
	CHECK_EQ(FT_UNLINK(dir, "d/", 0), CLOUDABI_EPERM,
		 "unlinking \"d/\": EPERM");
	CHECK_EQ(ft_type(dir, "d"), CLOUDABI_FILETYPE_DIRECTORY,
		 "the directory is still there");
	CHECK_EQ(FT_MKDIR(dir, "d/e"), 0, "make d/e");
	CHECK_EQ(FT_UNLINK(dir, "d/e", 0), CLOUDABI_EPERM,
		 "unlinking a nested directory: EPERM");
	CHECK_EQ(FT_UNLINK(dir, "d/.", 0), CLOUDABI_EPERM,
		 "unlinking \"d/.\" (the directory itself): EPERM");
	CHECK_EQ(FT_UNLINK(dir, "d/e", RMDIR), 0, "REMOVEDIR removes d/e");
	CHECK_EQ(FT_UNLINK(dir, "d", RMDIR), 0, "REMOVEDIR removes d");
	CHECK_EQ(FT_UNLINK(dir, "d", 0), CLOUDABI_ENOENT, "then d is ENOENT");
}

/* unlinkat_test.c:45: a trailing slash follows a symbolic link, also
 * where the last component is otherwise not followed (Linux: ENOTDIR). */
static void unlink_through_symlink(cloudabi_fd_t dir)
{
	CHECK_EQ(FT_MKDIR(dir, "t"), 0, "make t");
	CHECK_EQ(FT_SYMLINK("t", dir, "link"), 0, "link -> t");
	CHECK_EQ(FT_UNLINK(dir, "link", RMDIR), CLOUDABI_ENOTDIR,
		 "REMOVEDIR of the link itself: ENOTDIR");
	CHECK_EQ(FT_UNLINK(dir, "link/", 0), CLOUDABI_EPERM,
		 "unlinking \"link/\" names t: EPERM (unlinkat_test.c:45)");
	CHECK_EQ(FT_UNLINK(dir, "link/", RMDIR), 0,
		 "REMOVEDIR of \"link/\" removes t (unlinkat_test.c:46)");
	CHECK(!ft_exists(dir, "t"), "t is gone");
	CHECK_EQ(ft_type(dir, "link"), CLOUDABI_FILETYPE_SYMBOLIC_LINK,
		 "the link itself stays");
	CHECK_EQ(FT_UNLINK(dir, "link", 0), 0, "unlink the link");

	/* Two links, and a link inside a subdirectory. */
	CHECK_EQ(FT_MKDIR(dir, "s"), 0, "make s");
	CHECK_EQ(FT_MKDIR(dir, "s/t"), 0, "make s/t");
	CHECK_EQ(FT_SYMLINK("t", dir, "s/l1"), 0, "s/l1 -> t");
	CHECK_EQ(FT_SYMLINK("s/l1", dir, "l2"), 0, "l2 -> s/l1");
	CHECK_EQ(FT_UNLINK(dir, "s/l1/", 0), CLOUDABI_EPERM,
		 "s/l1/ names s/t: EPERM");
	CHECK_EQ(FT_UNLINK(dir, "l2//", RMDIR), 0,
		 "l2// with REMOVEDIR follows both links and removes s/t");
	CHECK(!ft_exists(dir, "s/t"), "s/t is gone");

	/* unlinkat_test.c symlinks_reg: a link to a file stays ENOTDIR. */
	CHECK_EQ(ft_put(dir, "reg", "x"), 0, "make reg");
	CHECK_EQ(FT_SYMLINK("reg", dir, "lreg"), 0, "lreg -> reg");
	CHECK_EQ(FT_UNLINK(dir, "lreg/", RMDIR), CLOUDABI_ENOTDIR,
		 "REMOVEDIR of \"lreg/\": ENOTDIR");
	CHECK_EQ(FT_UNLINK(dir, "lreg/", 0), CLOUDABI_ENOTDIR,
		 "unlinking \"lreg/\": ENOTDIR");
	CHECK(ft_exists(dir, "reg"), "reg stays");

	/* Following never leaves the directory. */
	CHECK_EQ(FT_SYMLINK("..", dir, "up"), 0, "up -> ..");
	CHECK_EQ(FT_UNLINK(dir, "up/", RMDIR), CLOUDABI_ENOTCAPABLE,
		 "\"up/\" leads out: ENOTCAPABLE");
	CHECK_EQ(FT_SYMLINK("/tmp", dir, "abs"), 0, "abs -> /tmp");
	CHECK_EQ(FT_UNLINK(dir, "abs/", RMDIR), CLOUDABI_ENOTCAPABLE,
		 "an absolute link: ENOTCAPABLE");
	CHECK_EQ(FT_SYMLINK("loop", dir, "loop"), 0, "loop -> loop");
	CHECK_EQ(FT_UNLINK(dir, "loop/", 0), CLOUDABI_ELOOP,
		 "a link to itself: ELOOP");
}

/* openat_test.c:89: a directory cannot be opened for writing (EISDIR),
 * with or without O_DIRECTORY; asking only for what a directory can have
 * opens it. */
static void open_directory(cloudabi_fd_t dir)
{
	cloudabi_fd_t fd;
	CHECK_EQ(FT_MKDIR(dir, "o"), 0, "make o");
	CHECK_EQ(
		ft_open(dir, "o", CLOUDABI_O_DIRECTORY, &fd), CLOUDABI_EISDIR,
		"O_RDWR | O_DIRECTORY (every right): EISDIR (openat_test.c:89)");
	CHECK_EQ(ft_open(dir, "o", 0, &fd), CLOUDABI_EISDIR,
		 "every right, no O_DIRECTORY: EISDIR");
	for (int i = 0; i < 64; i++) {
		cloudabi_rights_t right = (cloudabi_rights_t)1 << i;
		if ((right & FT_RIGHTS_OPEN_FOR_WRITING) == 0)
			continue;
		CHECK_EQ(ft_open_rights(dir, "o", CLOUDABI_O_DIRECTORY,
					R(FILE_READDIR) | right, 0, 0, &fd),
			 CLOUDABI_EISDIR,
			 "file_readdir and writing right 1<<%d: EISDIR", i);
	}
	CHECK_EQ(ft_open_dir(dir, "o", &fd), 0,
		 "O_RDONLY | O_DIRECTORY (every other right) opens");
	cloudabi_fdstat_t fds;
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK_EQ(fds.fs_filetype, CLOUDABI_FILETYPE_DIRECTORY, "a directory");
	CHECK((fds.fs_rights_base & R(FILE_CREATE_FILE)) != 0,
	      "with its directory rights");
	cloudabi_sys_fd_close(fd);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = ft_grant(ad, "dir");
	unlink_directory(dir);
	unlink_through_symlink(dir);
	open_directory(dir);
	exit(check_done());
}

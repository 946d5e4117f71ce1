/* capbox-test-args: --dir-rw rw=@SCRATCH@ --dir ro=@SCRATCH@ */
/* file_open.c: file_open: flags, rights narrowing, kernel access mode, directories and every error. */
#include <program.h>

#include "file_test.h"

#define R(x) CLOUDABI_RIGHT_##x

static void open_files(cloudabi_fd_t rw, cloudabi_fd_t ro)
{
	cloudabi_fd_t fd, fd2;
	char buf[64];

	CHECK_EQ(ft_put(rw, "a.txt", "hello"), 0, "create a file with O_CREAT");
	CHECK_EQ(ft_open(rw, "a.txt", CLOUDABI_O_CREAT | CLOUDABI_O_EXCL, &fd),
		 CLOUDABI_EEXIST, "O_CREAT|O_EXCL on an existing file: EEXIST");
	CHECK_EQ(ft_open(rw, "absent", 0, &fd), CLOUDABI_ENOENT,
		 "a missing file: ENOENT");
	CHECK_EQ(ft_open(rw, "", 0, &fd), CLOUDABI_ENOENT,
		 "the empty path: ENOENT");

	/* Read-only rights give a descriptor the kernel will not write. */
	CHECK_EQ(ft_open_rights(rw, "a.txt", 0, R(FD_READ) | R(FD_SEEK), 0, 0,
				&fd),
		 0, "open read-only");
	CHECK_EQ(ft_read(fd, buf, sizeof(buf)), 0, "read it");
	CHECK(strcmp(buf, "hello") == 0, "it holds what was written (%s)", buf);
	cloudabi_fdstat_t fds;
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK_EQ(fds.fs_filetype, CLOUDABI_FILETYPE_REGULAR_FILE,
		 "it is a regular file");
	CHECK_EQ(fds.fs_rights_base, R(FD_READ) | R(FD_SEEK),
		 "it has exactly the rights asked for");
	CHECK_EQ(fds.fs_rights_inheriting, 0, "a file inherits nothing");
	cloudabi_ciovec_t w = {"x", 1};
	size_t n;
	CHECK_EQ(cloudabi_sys_fd_write(fd, &w, 1, &n), CLOUDABI_ENOTCAPABLE,
		 "writing without FD_WRITE: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_fd_close(fd), 0, "close");

	/* Write-only. */
	CHECK_EQ(ft_open_rights(rw, "a.txt", 0, R(FD_WRITE), 0, 0, &fd), 0,
		 "open write-only");
	CHECK_EQ(cloudabi_sys_fd_write(fd, &w, 1, &n), 0, "write");
	cloudabi_iovec_t r = {buf, sizeof(buf)};
	CHECK_EQ(cloudabi_sys_fd_read(fd, &r, 1, &n), CLOUDABI_ENOTCAPABLE,
		 "reading without FD_READ: ENOTCAPABLE");
	cloudabi_sys_fd_close(fd);

	/* Append, and the flags fd_stat_get reports. */
	CHECK_EQ(ft_open_rights(rw, "a.txt", 0, R(FD_WRITE) | R(FD_READ), 0,
				CLOUDABI_FDFLAG_APPEND, &fd),
		 0, "open with FDFLAG_APPEND");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK(fds.fs_flags & CLOUDABI_FDFLAG_APPEND, "APPEND is set");
	CHECK(!(fds.fs_flags & CLOUDABI_FDFLAG_NONBLOCK),
	      "NONBLOCK is not (the broker's own open flag is gone)");
	w = (cloudabi_ciovec_t){"!", 1};
	CHECK_EQ(cloudabi_sys_fd_write(fd, &w, 1, &n), 0, "append a byte");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open(rw, "a.txt", 0, &fd), 0, "reopen");
	CHECK_EQ(ft_read(fd, buf, sizeof(buf)), 0, "read");
	CHECK(strcmp(buf, "xello!") == 0,
	      "the write landed first, the append last (%s)", buf);
	cloudabi_sys_fd_close(fd);

	CHECK_EQ(ft_open_rights(rw, "a.txt", 0, R(FD_READ), 0,
				CLOUDABI_FDFLAG_NONBLOCK | CLOUDABI_FDFLAG_SYNC,
				&fd),
		 0, "open with NONBLOCK|SYNC");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK(fds.fs_flags & CLOUDABI_FDFLAG_NONBLOCK, "NONBLOCK is set");
	CHECK(fds.fs_flags & CLOUDABI_FDFLAG_SYNC, "SYNC is set");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open_rights(rw, "a.txt", 0, R(FD_READ), 0,
				CLOUDABI_FDFLAG_DSYNC, &fd),
		 0, "open with DSYNC");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK(fds.fs_flags & CLOUDABI_FDFLAG_DSYNC, "DSYNC is set");
	cloudabi_sys_fd_close(fd);

	/* O_TRUNC. */
	CHECK_EQ(ft_open(rw, "a.txt", CLOUDABI_O_TRUNC, &fd), 0, "O_TRUNC");
	cloudabi_filestat_t st;
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st), 0, "file_stat_fget");
	CHECK_EQ(st.st_size, 0, "the file is empty");
	cloudabi_sys_fd_close(fd);

	/* Errors. */
	CHECK_EQ(ft_open(rw, "a.txt", CLOUDABI_O_DIRECTORY, &fd),
		 CLOUDABI_ENOTDIR, "O_DIRECTORY on a file: ENOTDIR");
	CHECK_EQ(ft_open(rw, "a.txt/x", 0, &fd), CLOUDABI_ENOTDIR,
		 "a file as a directory in the path: ENOTDIR");
	CHECK_EQ(ft_open(rw, "a.txt", 0x10, &fd), CLOUDABI_EINVAL,
		 "an unknown oflag: EINVAL");
	CHECK_EQ(ft_open_rights(rw, "a.txt", 0, R(FD_READ), 0, 0x80, &fd),
		 CLOUDABI_EINVAL, "an unknown fdflag: EINVAL");
	cloudabi_fdstat_t all = {.fs_rights_base = R(FD_READ)};
	CHECK_EQ(cloudabi_sys_file_open((cloudabi_lookup_t){rw, 2}, "a.txt", 5,
					0, &all, &fd),
		 CLOUDABI_EINVAL, "an unknown lookup flag: EINVAL");
	CHECK_EQ(ft_open(1000, "a.txt", 0, &fd), CLOUDABI_EBADF,
		 "a closed descriptor: EBADF");
	CHECK_EQ(ft_open(check_out_fd, "a.txt", 0, &fd), CLOUDABI_ENOTCAPABLE,
		 "a descriptor without FILE_OPEN: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 1), "a.t\0xt", 6, 0, &all,
					&fd),
		 CLOUDABI_EINVAL, "a path holding a NUL: EINVAL");
	static char longpath[5000];
	memset(longpath, 'a', sizeof(longpath));
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 1), longpath, 4096, 0, &all,
					&fd),
		 CLOUDABI_ENAMETOOLONG, "a 4096-byte path: ENAMETOOLONG");
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 1), longpath, 300, 0, &all,
					&fd),
		 CLOUDABI_ENAMETOOLONG, "a 300-byte name: ENAMETOOLONG");

	/* The read-only directory. */
	CHECK_EQ(ft_open(ro, "new.txt", CLOUDABI_O_CREAT, &fd),
		 CLOUDABI_ENOTCAPABLE,
		 "O_CREAT without FILE_CREATE_FILE: ENOTCAPABLE");
	CHECK(!ft_exists(rw, "new.txt"), "and nothing was created");
	CHECK_EQ(ft_open(ro, "a.txt", CLOUDABI_O_TRUNC, &fd),
		 CLOUDABI_ENOTCAPABLE,
		 "O_TRUNC without FILE_STAT_FPUT_SIZE: ENOTCAPABLE");
	CHECK_EQ(ft_open_rights(ro, "a.txt", 0, R(FD_READ), 0,
				CLOUDABI_FDFLAG_SYNC, &fd),
		 CLOUDABI_ENOTCAPABLE, "SYNC without FD_SYNC: ENOTCAPABLE");
	CHECK_EQ(ft_open(ro, "a.txt", 0, &fd), 0,
		 "open through the read-only directory");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK(!(fds.fs_rights_base & R(FD_WRITE)),
	      "asking for every right gives no FD_WRITE");
	CHECK(fds.fs_rights_base & R(FD_READ), "but gives FD_READ");
	CHECK_EQ(cloudabi_sys_fd_write(fd, &w, 1, &n), CLOUDABI_ENOTCAPABLE,
		 "writing: ENOTCAPABLE");
	cloudabi_sys_fd_close(fd);

	/* A narrowed directory passes on only its inheriting rights. */
	CHECK_EQ(ft_open_rights(rw, ".", CLOUDABI_O_DIRECTORY, R(FILE_OPEN),
				R(FD_READ), 0, &fd),
		 0, "open the directory with FILE_OPEN, inheriting FD_READ");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK_EQ(fds.fs_filetype, CLOUDABI_FILETYPE_DIRECTORY,
		 "it is a directory");
	CHECK_EQ(fds.fs_rights_base, R(FILE_OPEN), "base is FILE_OPEN");
	CHECK_EQ(fds.fs_rights_inheriting, R(FD_READ), "inheriting is FD_READ");
	CHECK_EQ(ft_open(fd, "a.txt", 0, &fd2), 0, "open a file through it");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd2, &fds), 0, "fd_stat_get");
	CHECK_EQ(fds.fs_rights_base, R(FD_READ),
		 "the file has only what the directory passes on");
	cloudabi_sys_fd_close(fd2);
	CHECK_EQ(ft_open(fd, "b.txt", CLOUDABI_O_CREAT, &fd2),
		 CLOUDABI_ENOTCAPABLE, "it cannot create: ENOTCAPABLE");
	cloudabi_filestat_t st2;
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(fd, 0), "a.txt", 5, &st2),
		 CLOUDABI_ENOTCAPABLE, "nor stat: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st2), CLOUDABI_ENOTCAPABLE,
		 "nor fstat itself: ENOTCAPABLE");
	cloudabi_sys_fd_close(fd);

	/* Directories. */
	CHECK_EQ(FT_MKDIR(rw, "d"), 0, "make a directory");
	/* Asked for with FD_WRITE it is EISDIR: conformance_native_paths.c. */
	CHECK_EQ(ft_open_rights(rw, "d", 0, R(FD_READ) | R(FILE_READDIR), 0, 0,
				&fd),
		 0, "a directory asked for with FD_READ opens");
	CHECK_EQ(cloudabi_sys_fd_stat_get(fd, &fds), 0, "fd_stat_get");
	CHECK_EQ(fds.fs_rights_base, R(FILE_READDIR),
		 "without FD_READ, which does not apply to directories");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open(rw, "d", CLOUDABI_O_CREAT, &fd), CLOUDABI_EISDIR,
		 "O_CREAT naming a directory: EISDIR");
	CHECK_EQ(ft_open_rights(rw, "d", CLOUDABI_O_DIRECTORY,
				R(FILE_READDIR) | R(FILE_OPEN) |
					R(FILE_CREATE_FILE),
				R(FD_READ) | R(FD_WRITE), 0, &fd),
		 0, "open a directory");
	CHECK_EQ(ft_open(fd, "inner", CLOUDABI_O_CREAT, &fd2), 0,
		 "create a file inside it");
	cloudabi_sys_fd_close(fd2);
	CHECK_EQ(ft_open(fd, "inner", CLOUDABI_O_TRUNC, &fd2),
		 CLOUDABI_ENOTCAPABLE,
		 "O_TRUNC when inheriting lacks FILE_STAT_FPUT_SIZE: "
		 "ENOTCAPABLE");
	CHECK(ft_exists(rw, "d/inner"), "it is there");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open_rights(rw, "d", 0, R(FILE_OPEN), R(FD_READ), 0, &fd),
		 0, "a directory without O_DIRECTORY or reading rights");
	CHECK_EQ(ft_open(fd, "inner", 0, &fd2), 0, "still opens beneath it");
	cloudabi_sys_fd_close(fd2);
	cloudabi_sys_fd_close(fd);
}

static void open_symlinks(cloudabi_fd_t rw)
{
	cloudabi_fd_t fd;
	CHECK_EQ(FT_SYMLINK("a.txt", rw, "lnk"), 0, "symlink to a file");
	CHECK_EQ(FT_SYMLINK("d", rw, "dlnk"), 0, "symlink to a directory");
	CHECK_EQ(FT_SYMLINK("loop", rw, "loop"), 0, "a symlink loop");
	CHECK_EQ(ft_open(rw, "lnk", 0, &fd), 0, "following a symlink opens");
	cloudabi_sys_fd_close(fd);
	cloudabi_fdstat_t all = {.fs_rights_base = CLOUDABI_RIGHT_FD_READ};
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 0), "lnk", 3, 0, &all, &fd),
		 CLOUDABI_ELOOP, "not following a symlink: ELOOP");
	all.fs_rights_base = CLOUDABI_RIGHT_FILE_STAT_FGET;
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 0), "lnk", 3, 0, &all, &fd),
		 CLOUDABI_ELOOP,
		 "not following, without reading rights either: ELOOP");
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 0), "dlnk", 4,
					CLOUDABI_O_DIRECTORY, &all, &fd),
		 CLOUDABI_ELOOP, "O_DIRECTORY, not following: ELOOP");
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 1), "dlnk", 4,
					CLOUDABI_O_DIRECTORY, &all, &fd),
		 0, "O_DIRECTORY, following: opens");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(cloudabi_sys_file_open(ft_at(rw, 0), "dlnk/inner", 10, 0, &all,
					&fd),
		 0, "an intermediate symlink is followed regardless");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(ft_open(rw, "loop", 0, &fd), CLOUDABI_ELOOP,
		 "a symlink loop: ELOOP");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw"), ro = ft_grant(ad, "ro");
	open_files(rw, ro);
	open_symlinks(rw);
	exit(check_done());
}

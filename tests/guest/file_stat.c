/* capbox-test-args: --dir-rw rw=@SCRATCH@ --dir ro=@SCRATCH@ */
/* file_stat.c: file_stat_get/put, file_stat_fget/fput, file_advise and file_allocate, with their errors. */
#include <program.h>

#include "file_test.h"

#define R(x) CLOUDABI_RIGHT_##x
#define SEC 1000000000ULL

static void by_path(cloudabi_fd_t rw, cloudabi_fd_t ro)
{
	cloudabi_filestat_t st, st2;
	CHECK_EQ(ft_put(rw, "f", "12345"), 0, "make a file of 5 bytes");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "f", 1, &st), 0,
		 "file_stat_get");
	CHECK_EQ(st.st_filetype, CLOUDABI_FILETYPE_REGULAR_FILE, "regular");
	CHECK_EQ(st.st_size, 5, "5 bytes");
	CHECK_EQ(st.st_nlink, 1, "one link");
	CHECK(st.st_ino != 0, "an inode number");
	CHECK(st.st_mtim > 1500000000ULL * SEC, "a plausible mtime");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(ro, 0), "f", 1, &st2), 0,
		 "through the read-only directory too");
	CHECK(st2.st_ino == st.st_ino && st2.st_dev == st.st_dev,
	      "the same file");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), ".", 1, &st2), 0,
		 "stat \".\"");
	CHECK_EQ(st2.st_filetype, CLOUDABI_FILETYPE_DIRECTORY, "a directory");

	CHECK_EQ(FT_SYMLINK("f", rw, "l"), 0, "symlink l -> f");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "l", 1, &st2), 0,
		 "stat l without following");
	CHECK_EQ(st2.st_filetype, CLOUDABI_FILETYPE_SYMBOLIC_LINK,
		 "a symbolic link");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 1), "l", 1, &st2), 0,
		 "stat l following");
	CHECK(st2.st_ino == st.st_ino, "the file");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "no", 2, &st2),
		 CLOUDABI_ENOENT, "a missing file: ENOENT");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "f/", 2, &st2),
		 CLOUDABI_ENOTDIR, "a file with a trailing slash: ENOTDIR");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(check_out_fd, 0), "f", 1,
					    &st2),
		 CLOUDABI_ENOTCAPABLE, "without FILE_STAT_GET: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(999, 0), "f", 1, &st2),
		 CLOUDABI_EBADF, "a bad fd: EBADF");
	CHECK_EQ(cloudabi_sys_file_stat_get((cloudabi_lookup_t){rw, 8}, "f", 1,
					    &st2),
		 CLOUDABI_EINVAL, "an unknown lookup flag: EINVAL");

	/* file_stat_put: times only. */
	st2 = (cloudabi_filestat_t){.st_atim = 1000 * SEC + 5,
				    .st_mtim = 2000 * SEC + 7};
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "f", 1, &st2,
					    CLOUDABI_FILESTAT_ATIM |
						    CLOUDABI_FILESTAT_MTIM),
		 0, "set both times");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "f", 1, &st), 0,
		 "stat");
	CHECK_EQ(st.st_atim, 1000 * SEC + 5, "atime set to the nanosecond");
	CHECK_EQ(st.st_mtim, 2000 * SEC + 7, "mtime set to the nanosecond");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "f", 1, &st2,
					    CLOUDABI_FILESTAT_MTIM_NOW),
		 0, "mtime now");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "f", 1, &st), 0,
		 "stat");
	CHECK(st.st_mtim > 1500000000ULL * SEC, "mtime is now");
	CHECK_EQ(st.st_atim, 1000 * SEC + 5, "atime untouched");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "l", 1, &st2,
					    CLOUDABI_FILESTAT_MTIM),
		 0, "set the symlink's own mtime");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "l", 1, &st), 0,
		 "stat the symlink");
	CHECK_EQ(st.st_mtim, 2000 * SEC + 7, "its mtime changed");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "f", 1, &st2,
					    CLOUDABI_FILESTAT_SIZE),
		 CLOUDABI_EINVAL, "SIZE by path: EINVAL");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "f", 1, &st2,
					    CLOUDABI_FILESTAT_ATIM |
						    CLOUDABI_FILESTAT_ATIM_NOW),
		 CLOUDABI_EINVAL, "ATIM with ATIM_NOW: EINVAL");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "f", 1, &st2,
					    CLOUDABI_FILESTAT_MTIM |
						    CLOUDABI_FILESTAT_MTIM_NOW),
		 CLOUDABI_EINVAL, "MTIM with MTIM_NOW: EINVAL");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "f", 1, &st2, 0),
		 CLOUDABI_EINVAL, "no flags: EINVAL");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(ro, 0), "f", 1, &st2,
					    CLOUDABI_FILESTAT_MTIM_NOW),
		 CLOUDABI_ENOTCAPABLE,
		 "without FILE_STAT_PUT_TIMES: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 0), "no", 2, &st2,
					    CLOUDABI_FILESTAT_MTIM_NOW),
		 CLOUDABI_ENOENT, "a missing file: ENOENT");
}

static void by_fd(cloudabi_fd_t rw)
{
	cloudabi_fd_t fd, rofd;
	cloudabi_filestat_t st, st2;
	CHECK_EQ(ft_open(rw, "f", 0, &fd), 0, "open f with every right");
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st), 0, "file_stat_fget");
	CHECK_EQ(st.st_size, 5, "5 bytes");
	CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 0), "f", 1, &st2), 0,
		 "file_stat_get");
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev,
	      "fget and get agree");
	CHECK_EQ(cloudabi_sys_file_stat_fget(rw, &st2), 0,
		 "file_stat_fget of a directory");
	CHECK_EQ(st2.st_filetype, CLOUDABI_FILETYPE_DIRECTORY, "a directory");
	CHECK_EQ(cloudabi_sys_file_stat_fget(999, &st2), CLOUDABI_EBADF,
		 "a bad fd: EBADF");

	st2 = (cloudabi_filestat_t){.st_size = 12345,
				    .st_mtim = 3000 * SEC + 1};
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2, CLOUDABI_FILESTAT_SIZE),
		 0, "grow with SIZE");
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st), 0, "fget");
	CHECK_EQ(st.st_size, 12345, "the new size");
	st2.st_size = 2;
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2, CLOUDABI_FILESTAT_SIZE),
		 0, "shrink with SIZE");
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st), 0, "fget");
	CHECK_EQ(st.st_size, 2, "2 bytes");
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2, CLOUDABI_FILESTAT_MTIM),
		 0, "set mtime");
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st), 0, "fget");
	CHECK_EQ(st.st_mtim, 3000 * SEC + 1, "the new mtime");
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2,
					     CLOUDABI_FILESTAT_SIZE |
						     CLOUDABI_FILESTAT_MTIM),
		 CLOUDABI_EINVAL, "SIZE with a time: EINVAL");
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2, 0), CLOUDABI_EINVAL,
		 "no flags: EINVAL");
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2, 0x20), CLOUDABI_EINVAL,
		 "an unknown flag: EINVAL");
	st2.st_size = UINT64_MAX;
	CHECK_EQ(cloudabi_sys_file_stat_fput(fd, &st2, CLOUDABI_FILESTAT_SIZE),
		 CLOUDABI_EINVAL, "a size past INT64_MAX: EINVAL");

	CHECK_EQ(cloudabi_sys_file_advise(fd, 0, 100,
					  CLOUDABI_ADVICE_SEQUENTIAL),
		 0, "file_advise SEQUENTIAL");
	CHECK_EQ(cloudabi_sys_file_advise(fd, 0, 0, CLOUDABI_ADVICE_DONTNEED),
		 0, "file_advise DONTNEED");
	CHECK_EQ(cloudabi_sys_file_advise(fd, 0, 100, 77), CLOUDABI_EINVAL,
		 "an unknown advice: EINVAL");
	CHECK_EQ(cloudabi_sys_file_advise(999, 0, 100, CLOUDABI_ADVICE_NORMAL),
		 CLOUDABI_EBADF, "advise a bad fd: EBADF");
	CHECK_EQ(cloudabi_sys_file_allocate(fd, 0, 8192), 0, "file_allocate");
	CHECK_EQ(cloudabi_sys_file_stat_fget(fd, &st), 0, "fget");
	CHECK_EQ(st.st_size, 8192, "allocation grew the file");
	CHECK_EQ(cloudabi_sys_file_allocate(fd, 0, 0), CLOUDABI_EINVAL,
		 "allocating 0 bytes: EINVAL");
	CHECK_EQ(cloudabi_sys_file_allocate(fd, INT64_MAX, 2), CLOUDABI_EFBIG,
		 "past the largest offset: EFBIG");
	CHECK_EQ(cloudabi_sys_file_allocate(999, 0, 1), CLOUDABI_EBADF,
		 "allocate on a bad fd: EBADF");

	/* A descriptor with just FD_READ has none of those rights. */
	CHECK_EQ(ft_open_rights(rw, "f", 0, R(FD_READ), 0, 0, &rofd), 0,
		 "open f with FD_READ only");
	CHECK_EQ(cloudabi_sys_file_stat_fget(rofd, &st), CLOUDABI_ENOTCAPABLE,
		 "fget without FILE_STAT_FGET: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_stat_fput(rofd, &st2,
					     CLOUDABI_FILESTAT_MTIM_NOW),
		 CLOUDABI_ENOTCAPABLE,
		 "fput times without FILE_STAT_FPUT_TIMES: ENOTCAPABLE");
	st2.st_size = 0;
	CHECK_EQ(
		cloudabi_sys_file_stat_fput(rofd, &st2, CLOUDABI_FILESTAT_SIZE),
		CLOUDABI_ENOTCAPABLE,
		"fput size without FILE_STAT_FPUT_SIZE: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_advise(rofd, 0, 1, CLOUDABI_ADVICE_NORMAL),
		 CLOUDABI_ENOTCAPABLE,
		 "advise without FILE_ADVISE: ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_allocate(rofd, 0, 1), CLOUDABI_ENOTCAPABLE,
		 "allocate without FILE_ALLOCATE: ENOTCAPABLE");
	cloudabi_sys_fd_close(rofd);
	cloudabi_sys_fd_close(fd);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw"), ro = ft_grant(ad, "ro");
	by_path(rw, ro);
	by_fd(rw);
	exit(check_done());
}

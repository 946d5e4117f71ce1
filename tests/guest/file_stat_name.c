/* capbox-test-args: --dir-rw rw=@SCRATCH@ */
/* file_stat_name.c: file_stat_get of a single name (the broker's one-fstatat path): links followed only beneath, errors as for any path. */
#include <program.h>

#include "file_test.h"

static cloudabi_errno_t stat_name(cloudabi_fd_t dir, int follow,
				  const char *name, cloudabi_filestat_t *st)
{
	return cloudabi_sys_file_stat_get(ft_at(dir, follow), name,
					  strlen(name), st);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw");
	cloudabi_filestat_t st, f;
	CHECK_EQ(ft_put(rw, "f", "abc"), 0, "make f");
	CHECK_EQ(FT_MKDIR(rw, "d"), 0, "make d");
	CHECK_EQ(FT_SYMLINK("f", rw, "in"), 0, "symlink in -> f");
	CHECK_EQ(FT_SYMLINK("/etc", rw, "toetc"), 0, "symlink toetc -> /etc");
	CHECK_EQ(FT_SYMLINK("..", rw, "up"), 0, "symlink up -> ..");
	CHECK_EQ(FT_SYMLINK("/proc/self/root", rw, "magic"), 0,
		 "symlink magic -> /proc/self/root");
	CHECK_EQ(FT_SYMLINK("nowhere", rw, "dangling"), 0,
		 "symlink dangling -> nowhere");

	CHECK_EQ(stat_name(rw, 0, "f", &f), 0, "stat f");
	CHECK_EQ(f.st_filetype, CLOUDABI_FILETYPE_REGULAR_FILE, "a file");
	CHECK_EQ(f.st_size, 3, "of 3 bytes");
	CHECK_EQ(stat_name(rw, 1, "f", &st), 0, "stat f, following");
	CHECK(st.st_ino == f.st_ino && st.st_dev == f.st_dev, "the same file");
	CHECK_EQ(stat_name(rw, 0, "d", &st), 0, "stat d");
	CHECK_EQ(st.st_filetype, CLOUDABI_FILETYPE_DIRECTORY, "a directory");

	/* Links: not followed, each is itself; followed, only beneath. */
	static const char *const links[] = {"in", "toetc", "up", "magic",
					    "dangling"};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		CHECK_EQ(stat_name(rw, 0, links[i], &st), 0, "stat %s",
			 links[i]);
		CHECK_EQ(st.st_filetype, CLOUDABI_FILETYPE_SYMBOLIC_LINK,
			 "%s is a symbolic link", links[i]);
	}
	CHECK_EQ(stat_name(rw, 1, "in", &st), 0, "stat in, following");
	CHECK(st.st_ino == f.st_ino && st.st_dev == f.st_dev, "in leads to f");
	CHECK_EQ(stat_name(rw, 1, "toetc", &st), CLOUDABI_ENOTCAPABLE,
		 "following toetc (absolute): ENOTCAPABLE");
	CHECK_EQ(stat_name(rw, 1, "up", &st), CLOUDABI_ENOTCAPABLE,
		 "following up (..): ENOTCAPABLE");
	CHECK_EQ(stat_name(rw, 1, "magic", &st), CLOUDABI_ENOTCAPABLE,
		 "following magic (/proc): ENOTCAPABLE");
	CHECK_EQ(stat_name(rw, 1, "dangling", &st), CLOUDABI_ENOENT,
		 "following dangling: ENOENT");

	/* Names the one-fstatat path leaves to the full lookup. */
	CHECK_EQ(stat_name(rw, 0, "..", &st), CLOUDABI_ENOTCAPABLE,
		 "\"..\": ENOTCAPABLE");
	CHECK_EQ(stat_name(rw, 0, ".", &st), 0, "\".\"");
	CHECK_EQ(st.st_filetype, CLOUDABI_FILETYPE_DIRECTORY,
		 "\".\" is the directory");
	CHECK_EQ(stat_name(rw, 0, "", &st), CLOUDABI_ENOENT, "\"\": ENOENT");
	CHECK_EQ(stat_name(rw, 0, "missing", &st), CLOUDABI_ENOENT,
		 "a missing name: ENOENT");
	CHECK_EQ(stat_name(rw, 0, "f/", &st), CLOUDABI_ENOTDIR,
		 "\"f/\": ENOTDIR");
	CHECK_EQ(stat_name(check_out_fd, 0, "f", &st), CLOUDABI_ENOTCAPABLE,
		 "through a descriptor without FILE_STAT_GET: ENOTCAPABLE");
	CHECK_EQ(stat_name(999, 0, "f", &st), CLOUDABI_EBADF,
		 "through a bad descriptor: EBADF");
	exit(check_done());
}

/* capbox-test-args: --dir-rw rw=@SCRATCH@ */
/* file_escape.c: no path of any file_* call reaches outside its directory: absolute paths, "..", symlinks out, /proc magic links. */
#include <program.h>

#include "file_test.h"

struct escape {
	const char *path;
	const char *what;
};

static const struct escape escapes[] = {
	{"/etc/passwd", "an absolute path"},
	{"/", "the root"},
	{"..", "\"..\""},
	{"../x", "\"../x\""},
	{"sub/../../x", "\"sub/../../x\""},
	{"toetc/passwd", "through a symlink to /etc"},
	{"up/x", "through a symlink to .."},
	{"sub/upup/x", "through a symlink to ../.."},
};

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t rw = ft_grant(ad, "rw");
	CHECK_EQ(FT_MKDIR(rw, "sub"), 0, "make sub");
	CHECK_EQ(FT_SYMLINK("/etc", rw, "toetc"), 0, "symlink to /etc");
	CHECK_EQ(FT_SYMLINK("..", rw, "up"), 0, "symlink to ..");
	CHECK_EQ(FT_SYMLINK("../..", rw, "sub/upup"), 0, "symlink to ../..");
	CHECK_EQ(FT_SYMLINK("/proc/self/root", rw, "magic"), 0,
		 "symlink to a magic link");
	CHECK_EQ(ft_put(rw, "sub/in", "in"), 0, "a file inside");

	for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		const char *p = escapes[i].path, *w = escapes[i].what;
		size_t len = strlen(p);
		cloudabi_fd_t fd;
		cloudabi_filestat_t st = {0};
		char buf[16];
		size_t n;
		CHECK_EQ(ft_open(rw, p, 0, &fd), CLOUDABI_ENOTCAPABLE,
			 "file_open %s: ENOTCAPABLE", w);
		CHECK_EQ(cloudabi_sys_file_stat_get(ft_at(rw, 1), p, len, &st),
			 CLOUDABI_ENOTCAPABLE, "file_stat_get %s: ENOTCAPABLE",
			 w);
		CHECK_EQ(cloudabi_sys_file_stat_put(ft_at(rw, 1), p, len, &st,
						    CLOUDABI_FILESTAT_MTIM_NOW),
			 CLOUDABI_ENOTCAPABLE, "file_stat_put %s: ENOTCAPABLE",
			 w);
		CHECK_EQ(FT_MKDIR(rw, p), CLOUDABI_ENOTCAPABLE,
			 "file_create %s: ENOTCAPABLE", w);
		CHECK_EQ(FT_UNLINK(rw, p, 0), CLOUDABI_ENOTCAPABLE,
			 "file_unlink %s: ENOTCAPABLE", w);
		CHECK_EQ(FT_SYMLINK("x", rw, p), CLOUDABI_ENOTCAPABLE,
			 "file_symlink at %s: ENOTCAPABLE", w);
		CHECK_EQ(FT_RENAME(rw, "sub/in", rw, p), CLOUDABI_ENOTCAPABLE,
			 "file_rename to %s: ENOTCAPABLE", w);
		CHECK_EQ(FT_RENAME(rw, p, rw, "stolen"), CLOUDABI_ENOTCAPABLE,
			 "file_rename from %s: ENOTCAPABLE", w);
		CHECK_EQ(FT_LINK(rw, 1, p, rw, "stolen"), CLOUDABI_ENOTCAPABLE,
			 "file_link from %s: ENOTCAPABLE", w);
		CHECK_EQ(FT_LINK(rw, 0, "sub/in", rw, p), CLOUDABI_ENOTCAPABLE,
			 "file_link to %s: ENOTCAPABLE", w);
		CHECK_EQ(cloudabi_sys_file_readlink(rw, p, len, buf,
						    sizeof(buf), &n),
			 CLOUDABI_ENOTCAPABLE, "file_readlink %s: ENOTCAPABLE",
			 w);
	}
	CHECK(ft_exists(rw, "sub/in"), "the file never moved");
	CHECK(!ft_exists(rw, "stolen"), "nothing was brought in");

	/* The link itself may be read and removed, never followed out. */
	cloudabi_fd_t fd;
	char buf[32];
	size_t n;
	CHECK_EQ(cloudabi_sys_file_readlink(rw, "toetc", 5, buf, sizeof(buf),
					    &n),
		 0, "readlink of the symlink to /etc");
	CHECK(n == 4 && memcmp(buf, "/etc", 4) == 0, "reads \"/etc\"");
	CHECK_EQ(ft_open_dir(rw, "toetc", &fd), CLOUDABI_ENOTCAPABLE,
		 "opening it: ENOTCAPABLE");
	CHECK_EQ(ft_open(rw, "magic", 0, &fd), CLOUDABI_ENOTCAPABLE,
		 "a symlink to /proc/self/root: ENOTCAPABLE");
	CHECK_EQ(ft_open_dir(rw, "sub/..", &fd), 0,
		 "\"sub/..\" stays beneath and opens");
	cloudabi_sys_fd_close(fd);
	CHECK_EQ(FT_LINK(rw, 0, "up", rw, "up2"), 0,
		 "hard-linking the symlink to .. (not following) is fine");
	CHECK_EQ(ft_open(rw, "up2/sub", 0, &fd), CLOUDABI_ENOTCAPABLE,
		 "but the copy leads nowhere either");
	CHECK_EQ(FT_UNLINK(rw, "toetc", 0), 0, "unlink the symlink to /etc");
	exit(check_done());
}

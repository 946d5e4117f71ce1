/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* rights_matrix.c: for each of the 31 rights, a call that needs it is refused with ENOTCAPABLE without it and succeeds with it. */
#include <cloudabi/names.h>
#include <program.h>
#include <stdio.h>

#include "file_test.h"
#include "proc.h"

#define R(x) CLOUDABI_RIGHT_##x
#define ALL (~(cloudabi_rights_t)0)
#define PAGE 4096

/* What a case's descriptor is. */
enum kind { K_FILE, K_DIR, K_SOCK, K_PROC };

/* The call under test on d; variant counts calls, for unique names. */
typedef cloudabi_errno_t (*call_fn)(cloudabi_fd_t d, cloudabi_fd_t dir,
				    int variant);

struct rcase {
	const char *name; /* right name, as in names.h */
	cloudabi_rights_t right;
	enum kind kind;
	call_fn call;
	cloudabi_errno_t with; /* the result with the right */
	/* Rights also removed in both variants (FD_TELL: FD_SEEK implies it). */
	cloudabi_rights_t also_without;
};

static char buf[PAGE];

/* Peers of the sockets made for a case, closed after it. */
static cloudabi_fd_t peers[2];

/* The process every K_PROC case looks at (exits with 7). */
static cloudabi_fd_t child = UINT32_MAX;
static int npeers;

static void name_of(char *out, size_t len, const char *prefix, int variant)
{
	snprintf(out, len, "%s-%d", prefix, variant);
}

/* ---- calls on a regular file ---- */

static cloudabi_errno_t c_datasync(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return cloudabi_sys_fd_datasync(d);
}

static cloudabi_errno_t c_read(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_iovec_t iov = {buf, 1};
	size_t n;
	return cloudabi_sys_fd_read(d, &iov, 1, &n);
}

static cloudabi_errno_t c_seek(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filesize_t off;
	return cloudabi_sys_fd_seek(d, 2, CLOUDABI_WHENCE_SET, &off);
}

static cloudabi_errno_t c_tell(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filesize_t off;
	return cloudabi_sys_fd_seek(d, 0, CLOUDABI_WHENCE_CUR, &off);
}

static cloudabi_errno_t c_put_flags(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_fdstat_t st = {.fs_flags = CLOUDABI_FDFLAG_APPEND};
	return cloudabi_sys_fd_stat_put(d, &st, CLOUDABI_FDSTAT_FLAGS);
}

static cloudabi_errno_t c_sync(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return cloudabi_sys_fd_sync(d);
}

static cloudabi_errno_t c_write(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_ciovec_t iov = {"w", 1};
	size_t n;
	return cloudabi_sys_fd_write(d, &iov, 1, &n);
}

static cloudabi_errno_t c_advise(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return cloudabi_sys_file_advise(d, 0, 10, CLOUDABI_ADVICE_NORMAL);
}

static cloudabi_errno_t c_allocate(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return cloudabi_sys_file_allocate(d, 0, 100);
}

static cloudabi_errno_t c_fget(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filestat_t st;
	return cloudabi_sys_file_stat_fget(d, &st);
}

static cloudabi_errno_t c_fput_size(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filestat_t st = {.st_size = 11};
	return cloudabi_sys_file_stat_fput(d, &st, CLOUDABI_FILESTAT_SIZE);
}

static cloudabi_errno_t c_fput_times(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filestat_t st = {0};
	return cloudabi_sys_file_stat_fput(d, &st, CLOUDABI_FILESTAT_MTIM_NOW);
}

static cloudabi_errno_t map(cloudabi_fd_t d, cloudabi_mprot_t prot,
			    cloudabi_mflags_t flags)
{
	void *p = NULL;
	cloudabi_errno_t err = cloudabi_sys_mem_map(NULL, PAGE, prot, flags, d,
						    0, &p);
	if (err == 0)
		cloudabi_sys_mem_unmap(p, PAGE);
	return err;
}

static cloudabi_errno_t c_map(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return map(d, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED);
}

static cloudabi_errno_t c_map_exec(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return map(d, CLOUDABI_PROT_READ | CLOUDABI_PROT_EXEC,
		   CLOUDABI_MAP_PRIVATE);
}

/* poll for fd_read (file, always ready) or fd_write (socket): the event's
 * error, or the poll error. */
static cloudabi_errno_t c_poll_rw(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_subscription_t sub = {
		.userdata = 5,
		.type = CLOUDABI_EVENTTYPE_FD_WRITE,
		.fd_readwrite.fd = d,
	};
	cloudabi_event_t ev;
	size_t n = 0;
	cloudabi_errno_t err = cloudabi_sys_poll(&sub, &ev, 1, &n);
	if (err != 0)
		return err;
	if (n != 1 || ev.userdata != 5 ||
	    ev.type != CLOUDABI_EVENTTYPE_FD_WRITE)
		return CLOUDABI_EIO;
	return ev.error;
}

/* The file holds text, not an executable: past the rights, ENOEXEC. */
static cloudabi_errno_t c_exec(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return cloudabi_sys_proc_exec(d, NULL, 0, NULL, 0);
}

/* ---- calls on a directory ---- */

static cloudabi_errno_t c_mkdir(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir;
	char n[32];
	name_of(n, sizeof(n), "md", v);
	return FT_MKDIR(d, n);
}

static cloudabi_errno_t c_creat(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir;
	char n[32];
	name_of(n, sizeof(n), "cf", v);
	cloudabi_fd_t fd;
	cloudabi_errno_t err = ft_open_rights(d, n, CLOUDABI_O_CREAT,
					      R(FD_READ), 0, 0, &fd);
	if (err == 0)
		cloudabi_sys_fd_close(fd);
	return err;
}

static cloudabi_errno_t c_link_src(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	char n[32];
	name_of(n, sizeof(n), "ls", v);
	return FT_LINK(d, 0, "f", dir, n);
}

static cloudabi_errno_t c_link_dst(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	char n[32];
	name_of(n, sizeof(n), "lt", v);
	return FT_LINK(dir, 0, "f", d, n);
}

static cloudabi_errno_t c_open(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_fd_t fd;
	cloudabi_errno_t err = ft_open_rights(d, "f", 0, R(FD_READ), 0, 0, &fd);
	if (err == 0)
		cloudabi_sys_fd_close(fd);
	return err;
}

static cloudabi_errno_t c_readdir(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	size_t used;
	return cloudabi_sys_file_readdir(d, buf, sizeof(buf),
					 CLOUDABI_DIRCOOKIE_START, &used);
}

static cloudabi_errno_t c_readlink(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	size_t used;
	return cloudabi_sys_file_readlink(d, "sl", 2, buf, sizeof(buf), &used);
}

/* Makes a fresh file `prefix-v` through dir, for rename and unlink. */
static cloudabi_errno_t fresh(cloudabi_fd_t dir, char *n, size_t len,
			      const char *prefix, int v)
{
	name_of(n, len, prefix, v);
	return ft_put(dir, n, "x");
}

static cloudabi_errno_t c_rename_src(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	char n[32];
	if (fresh(dir, n, sizeof(n), "rs", v) != 0)
		return CLOUDABI_EIO;
	return FT_RENAME(d, n, dir, "rs-moved");
}

static cloudabi_errno_t c_rename_dst(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	char n[32];
	if (fresh(dir, n, sizeof(n), "rt", v) != 0)
		return CLOUDABI_EIO;
	return FT_RENAME(dir, n, d, "rt-moved");
}

static cloudabi_errno_t c_stat_get(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filestat_t st;
	return cloudabi_sys_file_stat_get(ft_at(d, 0), "f", 1, &st);
}

static cloudabi_errno_t c_stat_put(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_filestat_t st = {0};
	return cloudabi_sys_file_stat_put(ft_at(d, 0), "f", 1, &st,
					  CLOUDABI_FILESTAT_ATIM_NOW);
}

static cloudabi_errno_t c_symlink(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir;
	char n[32];
	name_of(n, sizeof(n), "sy", v);
	return FT_SYMLINK("f", d, n);
}

static cloudabi_errno_t c_unlink(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	char n[32];
	if (fresh(dir, n, sizeof(n), "un", v) != 0)
		return CLOUDABI_EIO;
	return FT_UNLINK(d, n, 0);
}

/* ---- calls on a socket ---- */

static cloudabi_errno_t c_shutdown(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	return cloudabi_sys_sock_shutdown(d, CLOUDABI_SHUT_WR);
}

static cloudabi_errno_t c_send(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_ciovec_t iov = {"s", 1};
	cloudabi_send_in_t in = {.si_data = &iov, .si_data_len = 1};
	cloudabi_send_out_t out;
	return cloudabi_sys_sock_send(d, &in, &out);
}

/* The peer has written one byte before (see sock_pair). */
static cloudabi_errno_t c_recv(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_iovec_t iov = {buf, 1};
	cloudabi_recv_in_t in = {.ri_data = &iov, .ri_data_len = 1};
	cloudabi_recv_out_t out;
	return cloudabi_sys_sock_recv(d, &in, &out);
}

/* ---- calls on a process ---- */

static cloudabi_errno_t c_proc_wait(cloudabi_fd_t d, cloudabi_fd_t dir, int v)
{
	(void)dir, (void)v;
	cloudabi_event_t ev;
	cloudabi_errno_t err = proc_wait(d, UINT64_C(10000000000), &ev);
	if (err == 0 && ev.proc_terminate.exitcode != 7)
		return CLOUDABI_EIO;
	return err;
}

static const struct rcase cases[] = {
	{"fd_datasync", R(FD_DATASYNC), K_FILE, c_datasync, 0, 0},
	{"fd_read", R(FD_READ), K_FILE, c_read, 0, 0},
	{"fd_seek", R(FD_SEEK), K_FILE, c_seek, 0, 0},
	{"fd_stat_put_flags", R(FD_STAT_PUT_FLAGS), K_FILE, c_put_flags, 0, 0},
	{"fd_sync", R(FD_SYNC), K_FILE, c_sync, 0, 0},
	{"fd_tell", R(FD_TELL), K_FILE, c_tell, 0, R(FD_SEEK)},
	{"fd_write", R(FD_WRITE), K_FILE, c_write, 0, 0},
	{"file_advise", R(FILE_ADVISE), K_FILE, c_advise, 0, 0},
	{"file_allocate", R(FILE_ALLOCATE), K_FILE, c_allocate, 0, 0},
	{"file_create_directory", R(FILE_CREATE_DIRECTORY), K_DIR, c_mkdir, 0,
	 0},
	{"file_create_file", R(FILE_CREATE_FILE), K_DIR, c_creat, 0, 0},
	{"file_link_source", R(FILE_LINK_SOURCE), K_DIR, c_link_src, 0, 0},
	{"file_link_target", R(FILE_LINK_TARGET), K_DIR, c_link_dst, 0, 0},
	{"file_open", R(FILE_OPEN), K_DIR, c_open, 0, 0},
	{"file_readdir", R(FILE_READDIR), K_DIR, c_readdir, 0, 0},
	{"file_readlink", R(FILE_READLINK), K_DIR, c_readlink, 0, 0},
	{"file_rename_source", R(FILE_RENAME_SOURCE), K_DIR, c_rename_src, 0,
	 0},
	{"file_rename_target", R(FILE_RENAME_TARGET), K_DIR, c_rename_dst, 0,
	 0},
	{"file_stat_fget", R(FILE_STAT_FGET), K_FILE, c_fget, 0, 0},
	{"file_stat_fget (directory)", R(FILE_STAT_FGET), K_DIR, c_fget, 0, 0},
	{"file_stat_fget (socket)", R(FILE_STAT_FGET), K_SOCK, c_fget, 0, 0},
	{"file_stat_fget (process)", R(FILE_STAT_FGET), K_PROC, c_fget, 0, 0},
	{"file_stat_fput_size", R(FILE_STAT_FPUT_SIZE), K_FILE, c_fput_size, 0,
	 0},
	{"file_stat_fput_times", R(FILE_STAT_FPUT_TIMES), K_FILE, c_fput_times,
	 0, 0},
	{"file_stat_fput_times (directory)", R(FILE_STAT_FPUT_TIMES), K_DIR,
	 c_fput_times, 0, 0},
	{"file_stat_get", R(FILE_STAT_GET), K_DIR, c_stat_get, 0, 0},
	{"file_stat_put_times", R(FILE_STAT_PUT_TIMES), K_DIR, c_stat_put, 0,
	 0},
	{"file_symlink", R(FILE_SYMLINK), K_DIR, c_symlink, 0, 0},
	{"file_unlink", R(FILE_UNLINK), K_DIR, c_unlink, 0, 0},
	{"mem_map", R(MEM_MAP), K_FILE, c_map, 0, 0},
	{"mem_map_exec", R(MEM_MAP_EXEC), K_FILE, c_map_exec, 0, 0},
	{"poll_fd_readwrite", R(POLL_FD_READWRITE), K_FILE, c_poll_rw, 0, 0},
	{"poll_fd_readwrite (socket)", R(POLL_FD_READWRITE), K_SOCK, c_poll_rw,
	 0, 0},
	{"poll_proc_terminate", R(POLL_PROC_TERMINATE), K_PROC, c_proc_wait, 0,
	 0},
	/* Without the rights that open it for writing (else EBADF). */
	{"proc_exec", R(PROC_EXEC), K_FILE, c_exec, CLOUDABI_ENOEXEC,
	 FT_RIGHTS_OPEN_FOR_WRITING},
	{"sock_shutdown", R(SOCK_SHUTDOWN), K_SOCK, c_shutdown, 0, 0},
	{"fd_write (sock_send)", R(FD_WRITE), K_SOCK, c_send, 0, 0},
	{"fd_read (sock_recv)", R(FD_READ), K_SOCK, c_recv, 0, 0},
	{"fd_sync (directory)", R(FD_SYNC), K_DIR, c_sync, 0, 0},
	{"file_advise (directory)", R(FILE_ADVISE), K_DIR, c_advise, 0, 0},
};

/* A copy of fd (fd_dup) narrowed to base with fd_stat_put. */
static cloudabi_fd_t narrowed(cloudabi_fd_t fd, cloudabi_rights_t base)
{
	cloudabi_fd_t copy;
	cloudabi_fdstat_t st;
	if (cloudabi_sys_fd_dup(fd, &copy) != 0)
		return UINT32_MAX;
	if (cloudabi_sys_fd_stat_get(copy, &st) != 0)
		return UINT32_MAX;
	st.fs_rights_base &= base;
	if (cloudabi_sys_fd_stat_put(copy, &st, CLOUDABI_FDSTAT_RIGHTS) != 0) {
		cloudabi_sys_fd_close(copy);
		return UINT32_MAX;
	}
	return copy;
}

/* A fresh object of the kind holding base rights (at most), or
 * UINT32_MAX.  Files are opened with the reduced fs_rights_base; the
 * other kinds are narrowed copies (fd_dup + fd_stat_put). */
static cloudabi_fd_t object(enum kind kind, cloudabi_fd_t dir,
			    cloudabi_rights_t base)
{
	cloudabi_fd_t fd = UINT32_MAX, a, b, d;
	cloudabi_tid_t tid;
	switch (kind) {
	case K_FILE:
		if (ft_open_rights(dir, "f", 0, base, 0, 0, &fd) != 0)
			return UINT32_MAX;
		return fd;
	case K_DIR:
		return narrowed(dir, base);
	case K_SOCK:
		if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &a,
					    &b) != 0)
			return UINT32_MAX;
		/* One byte waiting for a's reader. */
		cloudabi_ciovec_t iov = {"p", 1};
		size_t n;
		cloudabi_sys_fd_write(b, &iov, 1, &n);
		d = narrowed(a, base);
		cloudabi_sys_fd_close(a);
		peers[npeers++] = b;
		return d;
	case K_PROC:
		/* One child for every process case, forked while this
		 * process holds no other process descriptor (a child that
		 * inherits one triggers the broker bug in
		 * docs/CONFORMANCE.md, finding 6). */
		if (child == UINT32_MAX) {
			if (cloudabi_sys_proc_fork(&fd, &tid) != 0)
				return UINT32_MAX;
			if (fd == CLOUDABI_PROCESS_CHILD)
				cloudabi_sys_proc_exit(7);
			child = fd;
		}
		return narrowed(child, base);
	}
	return UINT32_MAX;
}

static void run_case(const struct rcase *c, cloudabi_fd_t dir, int *variant)
{
	cloudabi_rights_t base = ALL & ~c->also_without;
	cloudabi_fd_t without = object(c->kind, dir, base & ~c->right);
	cloudabi_fd_t with = object(c->kind, dir, base);
	CHECK(without != UINT32_MAX && with != UINT32_MAX,
	      "%s: two descriptors, with and without the right", c->name);
	cloudabi_fdstat_t st;
	CHECK(cloudabi_sys_fd_stat_get(without, &st) == 0 &&
		      (st.fs_rights_base & c->right) == 0,
	      "%s: the narrowed descriptor lacks the right", c->name);
	CHECK(cloudabi_sys_fd_stat_get(with, &st) == 0 &&
		      (st.fs_rights_base & c->right) == c->right,
	      "%s: the other one holds it", c->name);
	CHECK_EQ(c->call(without, dir, (*variant)++), CLOUDABI_ENOTCAPABLE,
		 "%s: refused without the right: ENOTCAPABLE", c->name);
	CHECK_EQ(c->call(with, dir, (*variant)++), c->with,
		 "%s: allowed with it", c->name);
	cloudabi_sys_fd_close(without);
	cloudabi_sys_fd_close(with);
	while (npeers > 0)
		cloudabi_sys_fd_close(peers[--npeers]);
}

/* Every right of names.h is the subject of at least one case. */
static void all_rights_covered(void)
{
	cloudabi_rights_t seen = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		seen |= cases[i].right;
	cloudabi_rights_t every = 0;
#define RIGHT_BIT(id, name) every |= CLOUDABI_##id;
	CLOUDABI_RIGHT_NAMES(RIGHT_BIT)
#undef RIGHT_BIT
	CHECK_EQ(seen, every, "the cases cover all 31 rights");
}

/* Rights lost stay lost: through fd_dup, and through a directory's
 * inheriting rights to what file_open returns. */
static void lost_stays_lost(cloudabi_fd_t dir)
{
	cloudabi_fd_t d = narrowed(dir, ALL & ~R(FILE_UNLINK)), d2;
	CHECK_EQ(cloudabi_sys_fd_dup(d, &d2), 0, "dup a narrowed directory");
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get(d2, &st), 0, "stat the copy");
	CHECK_EQ(st.fs_rights_base & R(FILE_UNLINK), 0,
		 "the copy lacks FILE_UNLINK too");
	CHECK_EQ(FT_UNLINK(d2, "f", 0), CLOUDABI_ENOTCAPABLE,
		 "so unlinking through the copy: ENOTCAPABLE");
	st.fs_rights_base |= R(FILE_UNLINK);
	CHECK_EQ(cloudabi_sys_fd_stat_put(d2, &st, CLOUDABI_FDSTAT_RIGHTS),
		 CLOUDABI_ENOTCAPABLE, "asking it back: ENOTCAPABLE");
	cloudabi_sys_fd_close(d2);
	cloudabi_sys_fd_close(d);

	/* A directory that passes on no FD_WRITE. */
	cloudabi_fd_t ro;
	CHECK_EQ(ft_open_rights(dir, ".", CLOUDABI_O_DIRECTORY, R(FILE_OPEN),
				ALL & ~R(FD_WRITE), 0, &ro),
		 0, "open . passing on everything but FD_WRITE");
	cloudabi_fd_t f;
	CHECK_EQ(ft_open_rights(ro, "f", 0, R(FD_READ) | R(FD_WRITE), 0, 0, &f),
		 0, "open f through it asking for FD_READ and FD_WRITE");
	CHECK_EQ(cloudabi_sys_fd_stat_get(f, &st), 0, "stat it");
	CHECK_EQ(st.fs_rights_base, R(FD_READ),
		 "it got FD_READ only (bounded by the inheriting rights)");
	CHECK_EQ(c_write(f, dir, 0), CLOUDABI_ENOTCAPABLE,
		 "fd_write on it: ENOTCAPABLE");
	CHECK_EQ(c_read(f, dir, 0), 0, "fd_read on it works");
	cloudabi_sys_fd_close(f);
	CHECK_EQ(
		ft_open_rights(ro, "f", CLOUDABI_O_CREAT, R(FD_READ), 0, 0, &f),
		CLOUDABI_ENOTCAPABLE,
		"its base lacks FILE_CREATE_FILE: O_CREAT is ENOTCAPABLE");
	CHECK_EQ(cloudabi_sys_file_readdir(ro, buf, sizeof(buf), 0,
					   &(size_t){0}),
		 CLOUDABI_ENOTCAPABLE,
		 "and FILE_READDIR: readdir is ENOTCAPABLE");
	cloudabi_sys_fd_close(ro);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = ft_grant(ad, "dir");
	CHECK_EQ(ft_put(dir, "f", "hello world"), 0, "make f");
	CHECK_EQ(FT_SYMLINK("f", dir, "sl"), 0, "make sl -> f");
	all_rights_covered();
	int variant = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], dir, &variant);
	lost_stays_lost(dir);
	exit(check_done());
}

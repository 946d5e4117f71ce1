/* hc_file_stat.c: broker handlers for file attributes and space: stat_fget/fput, stat_get/put, advise, allocate. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/path.h"
#include "common/linux_convert.h"

#define NSEC_PER_SEC 1000000000ULL

#define TIME_FLAGS                                                             \
	(CLOUDABI_FILESTAT_ATIM | CLOUDABI_FILESTAT_ATIM_NOW |                 \
	 CLOUDABI_FILESTAT_MTIM | CLOUDABI_FILESTAT_MTIM_NOW)

/* Nanoseconds since 1970; times before it become 0 (timestamps are
 * unsigned), times past 2554 saturate. */
static cloudabi_timestamp_t timestamp_of(struct timespec ts)
{
	if (ts.tv_sec < 0)
		return 0;
	if ((uint64_t)ts.tv_sec >= UINT64_MAX / NSEC_PER_SEC)
		return UINT64_MAX;
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static struct timespec timespec_of(cloudabi_timestamp_t t)
{
	return (struct timespec){(time_t)(t / NSEC_PER_SEC),
				 (long)(t % NSEC_PER_SEC)};
}

static void reply_filestat(const struct stat *st, cloudabi_filetype_t type,
			   struct hc_out *out)
{
	void *fs = hc_reply_zeroed(out, sizeof(cloudabi_filestat_t));
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_dev, st->st_dev);
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_ino, st->st_ino);
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_filetype, type);
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_nlink,
		     (cloudabi_linkcount_t)st->st_nlink);
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_size,
		     (cloudabi_filesize_t)st->st_size);
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_atim,
		     timestamp_of(st->st_atim));
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_mtim,
		     timestamp_of(st->st_mtim));
	HC_REPLY_SET(fs, cloudabi_filestat_t, st_ctim,
		     timestamp_of(st->st_ctim));
}

/* The utimensat times for a time-only set of fsflags; EINVAL for a value
 * and "now" for the same time at once. */
static cloudabi_errno_t times_of(const cloudabi_filestat_t *fs,
				 cloudabi_fsflags_t flags,
				 struct timespec ts[2])
{
	static const cloudabi_fsflags_t pick[2][2] = {
		{CLOUDABI_FILESTAT_ATIM, CLOUDABI_FILESTAT_ATIM_NOW},
		{CLOUDABI_FILESTAT_MTIM, CLOUDABI_FILESTAT_MTIM_NOW},
	};
	const cloudabi_timestamp_t value[2] = {fs->st_atim, fs->st_mtim};
	for (int i = 0; i < 2; i++) {
		bool set = flags & pick[i][0], now = flags & pick[i][1];
		if (set && now)
			return CLOUDABI_EINVAL;
		ts[i] = set   ? timespec_of(value[i])
			: now ? (struct timespec){0, UTIME_NOW}
			      : (struct timespec){0, UTIME_OMIT};
	}
	return 0;
}

/* Sets the times of the object fd refers to (any descriptor, O_PATH too,
 * a symbolic link itself included). */
static cloudabi_errno_t put_times(int fd, const struct timespec ts[2])
{
	return hc_errno_of(
		utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
}

cloudabi_errno_t hc_file_stat_fget(struct guest *g,
				   const struct capbox_hc_fd *p,
				   const unsigned char *tail, size_t tail_len,
				   struct hc_out *out)
{
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(
		&g->caps, p->fd, CLOUDABI_RIGHT_FILE_STAT_FGET, &cap);
	if (err != 0)
		return err;
	struct stat st;
	if (fstat(cap->object, &st) != 0)
		return fdbudget_errno(errno);
	/* The table knows what stat cannot tell (socket kind, process). */
	reply_filestat(&st, cap->type, out);
	return 0;
}

cloudabi_errno_t hc_file_stat_fput(struct guest *g,
				   const struct capbox_hc_file_stat_fput *p,
				   const unsigned char *tail, size_t tail_len,
				   struct hc_out *out)
{
	/* Either the size alone or some of the times (FreeBSD's rule). */
	cloudabi_rights_t need;
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	if (p->flags == CLOUDABI_FILESTAT_SIZE)
		need = CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE;
	else if (p->flags != 0 && (p->flags & ~TIME_FLAGS) == 0)
		need = CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES;
	else
		return CLOUDABI_EINVAL;
	struct timespec ts[2];
	if (need == CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES &&
	    times_of(&p->stat, p->flags, ts) != 0)
		return CLOUDABI_EINVAL;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(&g->caps, p->fd, need, &cap);
	if (err != 0)
		return err;
	if (need == CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES)
		return put_times(cap->object, ts);
	if (p->stat.st_size > INT64_MAX)
		return CLOUDABI_EINVAL;
	return hc_errno_of(ftruncate(cap->object, (off_t)p->stat.st_size));
}

/*
 * The fast path of file_stat_get (one fstatat instead of openat2 + fstat
 * + close): a single name, not "." or "..", looked up in the directory
 * itself cannot leave it, and with AT_SYMLINK_NOFOLLOW nothing is
 * followed.  A symbolic link the caller wants followed, and every error,
 * go the full way (path_lookup_at), which has the final word.  True when
 * *st was filled.
 */
static bool stat_single_name(struct guest *g, cloudabi_fd_t dirfd,
			     const char *name, bool follow, struct stat *st)
{
	struct cap *dir;
	if (name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    captable_check(&g->caps, dirfd, CLOUDABI_RIGHT_FILE_STAT_GET,
			   &dir) != 0 ||
	    fstatat(dir->object, name, st,
		    AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) != 0)
		return false;
	return !(follow && S_ISLNK(st->st_mode));
}

cloudabi_errno_t hc_file_stat_get(struct guest *g,
				  const struct capbox_hc_file_stat_get *p,
				  const unsigned char *tail, size_t tail_len,
				  struct hc_out *out)
{
	struct path_buf path;
	cloudabi_errno_t err = path_copy_tail(&path, p->path_len, tail,
					      tail_len);
	if (err != 0)
		return err;
	if ((p->lookup_flags & ~CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0 ||
	    p->reserved != 0)
		return CLOUDABI_EINVAL;
	bool follow = p->lookup_flags & CLOUDABI_LOOKUP_SYMLINK_FOLLOW;
	struct stat st;
	if (stat_single_name(g, p->fd, path.text, follow, &st)) {
		reply_filestat(&st, capbox_filetype_from_mode(st.st_mode), out);
		return 0;
	}
	int fd;
	err = path_lookup_at(&g->caps, p->fd, CLOUDABI_RIGHT_FILE_STAT_GET,
			     path.text, follow, &fd);
	if (err != 0)
		return err;
	if (fstat(fd, &st) != 0)
		err = fdbudget_errno(errno);
	else
		reply_filestat(&st, capbox_filetype_from_mode(st.st_mode), out);
	close(fd);
	return err;
}

cloudabi_errno_t hc_file_stat_put(struct guest *g,
				  const struct capbox_hc_file_stat_put *p,
				  const unsigned char *tail, size_t tail_len,
				  struct hc_out *out)
{
	struct path_buf path;
	cloudabi_errno_t err = path_copy_tail(&path, p->path_len, tail,
					      tail_len);
	if (err != 0)
		return err;
	struct timespec ts[2];
	if ((p->lookup_flags & ~CLOUDABI_LOOKUP_SYMLINK_FOLLOW) != 0 ||
	    p->reserved != 0 || p->flags == 0 ||
	    (p->flags & ~TIME_FLAGS) != 0 ||
	    times_of(&p->stat, p->flags, ts) != 0)
		return CLOUDABI_EINVAL;
	int fd;
	err = path_lookup_at(
		&g->caps, p->fd, CLOUDABI_RIGHT_FILE_STAT_PUT_TIMES, path.text,
		p->lookup_flags & CLOUDABI_LOOKUP_SYMLINK_FOLLOW, &fd);
	if (err != 0)
		return err;
	err = put_times(fd, ts);
	close(fd);
	return err;
}

cloudabi_errno_t hc_file_advise(struct guest *g,
				const struct capbox_hc_file_advise *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	int advice;
	switch (p->advice) {
	case CLOUDABI_ADVICE_DONTNEED:
		advice = POSIX_FADV_DONTNEED;
		break;
	case CLOUDABI_ADVICE_NOREUSE:
		advice = POSIX_FADV_NOREUSE;
		break;
	case CLOUDABI_ADVICE_NORMAL:
		advice = POSIX_FADV_NORMAL;
		break;
	case CLOUDABI_ADVICE_RANDOM:
		advice = POSIX_FADV_RANDOM;
		break;
	case CLOUDABI_ADVICE_SEQUENTIAL:
		advice = POSIX_FADV_SEQUENTIAL;
		break;
	case CLOUDABI_ADVICE_WILLNEED:
		advice = POSIX_FADV_WILLNEED;
		break;
	default:
		return CLOUDABI_EINVAL;
	}
	if (p->offset > INT64_MAX || p->len > INT64_MAX || p->reserved[0] ||
	    p->reserved[1] || p->reserved[2])
		return CLOUDABI_EINVAL;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(&g->caps, p->fd,
					      CLOUDABI_RIGHT_FILE_ADVISE, &cap);
	if (err != 0)
		return err;
	int r = posix_fadvise(cap->object, (off_t)p->offset, (off_t)p->len,
			      advice);
	return r == 0 ? 0 : fdbudget_errno(r);
}

cloudabi_errno_t hc_file_allocate(struct guest *g,
				  const struct capbox_hc_file_allocate *p,
				  const unsigned char *tail, size_t tail_len,
				  struct hc_out *out)
{
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(
		&g->caps, p->fd, CLOUDABI_RIGHT_FILE_ALLOCATE, &cap);
	if (err != 0)
		return err;
	if (p->len == 0 || p->offset > INT64_MAX || p->len > INT64_MAX)
		return CLOUDABI_EINVAL;
	if (p->offset + p->len > INT64_MAX)
		return CLOUDABI_EFBIG;
	return hc_errno_of(
		fallocate(cap->object, 0, (off_t)p->offset, (off_t)p->len));
}

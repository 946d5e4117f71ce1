/* hc_file_readdir.c: the broker's file_readdir: Linux getdents64 records as a stream of CloudABI dirents. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "common/linux_convert.h"

/* The kernel's getdents64 record (not in glibc's headers as such). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* d_type is the st_mode file type shifted down (DT_x == S_IFx >> 12). */
#define DTYPE_SHIFT 12

/* Appends d as a CloudABI dirent and its name, built in a zeroed slot
 * of the reply (its padding bytes 21-23 stay zero). */
static void append_dirent(struct hc_out *out, const struct linux_dirent64 *d)
{
	size_t namlen = strlen(d->d_name);
	unsigned char *de = hc_reply_zeroed(out,
					    sizeof(cloudabi_dirent_t) + namlen);
	HC_REPLY_SET(de, cloudabi_dirent_t, d_next,
		     (cloudabi_dircookie_t)d->d_off);
	HC_REPLY_SET(de, cloudabi_dirent_t, d_ino, d->d_ino);
	HC_REPLY_SET(de, cloudabi_dirent_t, d_namlen, (uint32_t)namlen);
	HC_REPLY_SET(
		de, cloudabi_dirent_t, d_type,
		capbox_filetype_from_mode((unsigned)d->d_type << DTYPE_SHIFT));
	memcpy(de + sizeof(cloudabi_dirent_t), d->d_name, namlen);
}

/* An entry whose start is below the limit fits whole in the reply. */
_Static_assert(CAPBOX_READDIR_CHUNK + sizeof(cloudabi_dirent_t) + 256 <=
		       sizeof(((struct hc_out *)0)->data),
	       "a readdir reply has room for the entry it cuts");

/*
 * Cookies are the kernel's d_off values, so they stay valid across calls;
 * each call reads from a descriptor of its own, positioned at the cookie,
 * so that concurrent readers of one directory never disturb each other.
 */
cloudabi_errno_t hc_file_readdir(struct guest *g,
				 const struct capbox_hc_file_readdir *p,
				 const unsigned char *tail, size_t tail_len,
				 struct hc_out *out)
{
	struct cap *cap;
	cloudabi_errno_t err = captable_check(
		&g->caps, p->fd, CLOUDABI_RIGHT_FILE_READDIR, &cap);
	if (err != 0)
		return err;
	if (p->buf_len > CAPBOX_READDIR_CHUNK || p->cookie > INT64_MAX)
		return CLOUDABI_EINVAL;
	int dir = openat(cap->object, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return fdbudget_errno(errno);
	if (lseek(dir, (off_t)p->cookie, SEEK_SET) < 0) {
		err = fdbudget_errno(errno);
		close(dir);
		return err;
	}
	_Alignas(8) static unsigned char buf[32768];
	size_t limit = p->buf_len;
	bool room = limit > 0;
	while (room) {
		long n = syscall(SYS_getdents64, dir, buf, sizeof(buf));
		if (n < 0) {
			err = fdbudget_errno(errno);
			break;
		}
		if (n == 0)
			break;
		for (long off = 0; off < n && room;) {
			struct linux_dirent64 *d =
				(struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			append_dirent(out, d);
			room = out->length < limit;
		}
	}
	/* The last entry is cut at the guest's buffer size. */
	if (out->length > limit)
		out->length = limit;
	close(dir);
	return err;
}

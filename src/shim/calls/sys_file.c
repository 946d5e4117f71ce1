/* sys_file.c: the file_* system calls: every path operation and file attribute change goes to the broker. */
#include "common/linux_convert.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/fdtable.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/syscalls.h"

/* A path the protocol cannot carry is too long for the broker too. */
static cloudabi_errno_t path_fits(size_t len)
{
	return len >= CAPBOX_PATH_MAX ? CLOUDABI_ENAMETOOLONG : 0;
}

/* A call whose tail is one path and whose reply is empty. */
static cloudabi_errno_t call_path(uint16_t call, const void *params,
				  size_t params_len, const char *path,
				  size_t path_len)
{
	cloudabi_errno_t err = path_fits(path_len);
	if (err != 0)
		return err;
	return hc_call(call, params, params_len, path, path_len, NULL);
}

/* A call whose tail is two paths, one after the other (on this thread's
 * stack: 8 KiB at most). */
static cloudabi_errno_t call_two_paths(uint16_t call, const void *params,
				       size_t params_len, const char *path1,
				       size_t len1, const char *path2,
				       size_t len2)
{
	char tail[2 * CAPBOX_PATH_MAX];
	cloudabi_errno_t err = path_fits(len1);
	if (err == 0)
		err = path_fits(len2);
	if (err != 0)
		return err;
	memcpy(tail, path1, len1);
	memcpy(tail + len1, path2, len2);
	return hc_call(call, params, params_len, tail, len1 + len2, NULL);
}

/* A call whose reply is exactly one filestat. */
static cloudabi_errno_t call_filestat(uint16_t call, const void *params,
				      size_t params_len, const char *path,
				      size_t path_len, cloudabi_filestat_t *buf)
{
	cloudabi_filestat_t st;
	struct hc_result result = {.data = &st, .capacity = sizeof(st)};
	cloudabi_errno_t err = hc_call(call, params, params_len, path, path_len,
				       &result);
	if (err != 0)
		return err;
	if (result.length != sizeof(st))
		return CLOUDABI_EIO;
	*buf = st;
	return 0;
}

cloudabi_errno_t cloudabi_sys_file_advise(cloudabi_fd_t fd,
					  cloudabi_filesize_t offset,
					  cloudabi_filesize_t len,
					  cloudabi_advice_t advice)
{
	struct capbox_hc_file_advise p = {
		.fd = fd, .advice = advice, .offset = offset, .len = len};
	return hc_call(CLOUDABI_SYS_file_advise, &p, sizeof(p), NULL, 0, NULL);
}

cloudabi_errno_t cloudabi_sys_file_allocate(cloudabi_fd_t fd,
					    cloudabi_filesize_t offset,
					    cloudabi_filesize_t len)
{
	struct capbox_hc_file_allocate p = {
		.fd = fd, .offset = offset, .len = len};
	return hc_call(CLOUDABI_SYS_file_allocate, &p, sizeof(p), NULL, 0,
		       NULL);
}

cloudabi_errno_t cloudabi_sys_file_create(cloudabi_fd_t fd, const char *path,
					  size_t path_len,
					  cloudabi_filetype_t type)
{
	struct capbox_hc_file_create p = {
		.fd = fd, .type = type, .path_len = (uint32_t)path_len};
	return call_path(CLOUDABI_SYS_file_create, &p, sizeof(p), path,
			 path_len);
}

cloudabi_errno_t cloudabi_sys_file_link(cloudabi_lookup_t fd1,
					const char *path1, size_t path1_len,
					cloudabi_fd_t fd2, const char *path2,
					size_t path2_len)
{
	struct capbox_hc_file_two_paths p = {
		.fd1 = fd1.fd,
		.lookup_flags = fd1.flags,
		.fd2 = fd2,
		.path1_len = (uint32_t)path1_len,
		.path2_len = (uint32_t)path2_len,
	};
	return call_two_paths(CLOUDABI_SYS_file_link, &p, sizeof(p), path1,
			      path1_len, path2, path2_len);
}

cloudabi_errno_t cloudabi_sys_file_rename(cloudabi_fd_t fd1, const char *path1,
					  size_t path1_len, cloudabi_fd_t fd2,
					  const char *path2, size_t path2_len)
{
	struct capbox_hc_file_two_paths p = {
		.fd1 = fd1,
		.fd2 = fd2,
		.path1_len = (uint32_t)path1_len,
		.path2_len = (uint32_t)path2_len,
	};
	return call_two_paths(CLOUDABI_SYS_file_rename, &p, sizeof(p), path1,
			      path1_len, path2, path2_len);
}

cloudabi_errno_t cloudabi_sys_file_symlink(const char *path1, size_t path1_len,
					   cloudabi_fd_t fd, const char *path2,
					   size_t path2_len)
{
	struct capbox_hc_file_symlink p = {
		.fd = fd,
		.path1_len = (uint32_t)path1_len,
		.path2_len = (uint32_t)path2_len,
	};
	return call_two_paths(CLOUDABI_SYS_file_symlink, &p, sizeof(p), path1,
			      path1_len, path2, path2_len);
}

cloudabi_errno_t cloudabi_sys_file_unlink(cloudabi_fd_t fd, const char *path,
					  size_t path_len,
					  cloudabi_ulflags_t flags)
{
	struct capbox_hc_file_unlink p = {
		.fd = fd, .flags = flags, .path_len = (uint32_t)path_len};
	return call_path(CLOUDABI_SYS_file_unlink, &p, sizeof(p), path,
			 path_len);
}

cloudabi_errno_t cloudabi_sys_file_open(cloudabi_lookup_t dirfd,
					const char *path, size_t path_len,
					cloudabi_oflags_t oflags,
					const cloudabi_fdstat_t *fds,
					cloudabi_fd_t *fd)
{
	cloudabi_errno_t err = path_fits(path_len);
	if (err != 0)
		return err;
	struct capbox_hc_file_open p = {
		.dirfd = dirfd.fd,
		.lookup_flags = dirfd.flags,
		.oflags = oflags,
		.path_len = (uint32_t)path_len,
		.fds = *fds,
	};
	struct capbox_hc_new_fd nfd;
	struct hc_result result = {.data = &nfd, .capacity = sizeof(nfd)};
	fdtable_lock();
	err = hc_call(CLOUDABI_SYS_file_open, &p, sizeof(p), path, path_len,
		      &result);
	if (err == 0 && (result.length != sizeof(nfd) || result.nfds > 1))
		err = CLOUDABI_EIO;
	if (err == 0 && result.nfds == 0) {
		/* A file or directory: fetched when first used (hc_file.h). */
		err = fdtable_install_waiting(&nfd.entry);
	} else if (err == 0) {
		err = fdtable_install(&nfd.entry, result.fds[0]);
	} else {
		for (size_t i = 0; i < result.nfds; i++)
			linux_syscall1(__NR_close, result.fds[i]);
	}
	fdtable_unlock();
	if (err == 0)
		*fd = nfd.entry.fd;
	return err;
}

cloudabi_errno_t cloudabi_sys_file_readlink(cloudabi_fd_t fd, const char *path,
					    size_t path_len, char *buf,
					    size_t buf_len, size_t *bufused)
{
	cloudabi_errno_t err = path_fits(path_len);
	if (err != 0)
		return err;
	/* A link holds less than CAPBOX_READLINK_MAX bytes: a larger
	 * buffer is never filled further. */
	size_t want = buf_len < CAPBOX_READLINK_MAX ? buf_len
						    : CAPBOX_READLINK_MAX;
	struct capbox_hc_file_readlink p = {
		.fd = fd,
		.path_len = (uint32_t)path_len,
		.buf_len = (uint32_t)want,
	};
	struct hc_result result = {.data = buf, .capacity = want};
	err = hc_call(CLOUDABI_SYS_file_readlink, &p, sizeof(p), path, path_len,
		      &result);
	if (err != 0)
		return err;
	*bufused = result.length;
	return 0;
}

/* Bytes of whole entries at the start of a readdir chunk; *next is the
 * cookie after the last of them. */
static size_t whole_entries(const unsigned char *chunk, size_t len,
			    cloudabi_dircookie_t *next)
{
	size_t off = 0;
	while (len - off >= sizeof(cloudabi_dirent_t)) {
		cloudabi_dirent_t d;
		memcpy(&d, chunk + off, sizeof(d));
		if (d.d_namlen > len - off - sizeof(d))
			break;
		off += sizeof(d) + d.d_namlen;
		*next = d.d_next;
	}
	return off;
}

cloudabi_errno_t cloudabi_sys_file_readdir(cloudabi_fd_t fd, void *buf,
					   size_t buf_len,
					   cloudabi_dircookie_t cookie,
					   size_t *bufused)
{
	/*
	 * The guest's buffer is the byte stream of entries from cookie on,
	 * cut at buf_len.  Each reply holds at most a chunk of it; after a
	 * full chunk, the next call starts after its last whole entry and
	 * overwrites the partial one.
	 */
	unsigned char *out = buf;
	size_t used = 0;
	for (;;) {
		size_t want = buf_len - used < CAPBOX_READDIR_CHUNK
				      ? buf_len - used
				      : CAPBOX_READDIR_CHUNK;
		struct capbox_hc_file_readdir p = {
			.fd = fd, .buf_len = (uint32_t)want, .cookie = cookie};
		struct hc_result result = {.data = out + used,
					   .capacity = want};
		cloudabi_errno_t err = hc_call(CLOUDABI_SYS_file_readdir, &p,
					       sizeof(p), NULL, 0, &result);
		if (err != 0)
			return err;
		size_t n = result.length;
		if (n < want || used + n == buf_len) {
			used += n; /* the end of the directory, or buf full */
			break;
		}
		size_t whole = whole_entries(out + used, n, &cookie);
		if (whole == 0) {
			used += n;
			break;
		}
		used += whole;
	}
	*bufused = used;
	return 0;
}

cloudabi_errno_t cloudabi_sys_file_stat_fget(cloudabi_fd_t fd,
					     cloudabi_filestat_t *buf)
{
	struct capbox_hc_fd p = {.fd = fd};
	return call_filestat(CLOUDABI_SYS_file_stat_fget, &p, sizeof(p), NULL,
			     0, buf);
}

cloudabi_errno_t cloudabi_sys_file_stat_fput(cloudabi_fd_t fd,
					     const cloudabi_filestat_t *buf,
					     cloudabi_fsflags_t flags)
{
	struct capbox_hc_file_stat_fput p = {
		.fd = fd, .flags = flags, .stat = *buf};
	return hc_call(CLOUDABI_SYS_file_stat_fput, &p, sizeof(p), NULL, 0,
		       NULL);
}

cloudabi_errno_t cloudabi_sys_file_stat_get(cloudabi_lookup_t fd,
					    const char *path, size_t path_len,
					    cloudabi_filestat_t *buf)
{
	cloudabi_errno_t err = path_fits(path_len);
	if (err != 0)
		return err;
	struct capbox_hc_file_stat_get p = {
		.fd = fd.fd,
		.lookup_flags = fd.flags,
		.path_len = (uint32_t)path_len,
	};
	return call_filestat(CLOUDABI_SYS_file_stat_get, &p, sizeof(p), path,
			     path_len, buf);
}

cloudabi_errno_t cloudabi_sys_file_stat_put(cloudabi_lookup_t fd,
					    const char *path, size_t path_len,
					    const cloudabi_filestat_t *buf,
					    cloudabi_fsflags_t flags)
{
	struct capbox_hc_file_stat_put p = {
		.fd = fd.fd,
		.lookup_flags = fd.flags,
		.path_len = (uint32_t)path_len,
		.flags = flags,
		.stat = *buf,
	};
	return call_path(CLOUDABI_SYS_file_stat_put, &p, sizeof(p), path,
			 path_len);
}

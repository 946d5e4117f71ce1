/* sys_mem.c: memory system calls, done directly with W^X enforced. */
#include "common/linux_convert.h"
#include "shim/fdtable.h"
#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/syscalls.h"

#define CLOUDABI_PROT_ALL                                                      \
	(CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE | CLOUDABI_PROT_EXEC)

/*
 * CloudABI protection bits to Linux ones in *out.  As in FreeBSD's
 * CloudABI layer, a protection the system does not support is ENOTSUP,
 * whether it has unknown bits (the C library's mmap test) or is W+X.
 */
static cloudabi_errno_t linux_prot(cloudabi_mprot_t prot, int *out)
{
	if ((prot & ~CLOUDABI_PROT_ALL) != 0)
		return CLOUDABI_ENOTSUP;
	if ((prot & CLOUDABI_PROT_WRITE) && (prot & CLOUDABI_PROT_EXEC))
		return CLOUDABI_ENOTSUP;
	*out = ((prot & CLOUDABI_PROT_READ) ? PROT_READ : 0) |
	       ((prot & CLOUDABI_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((prot & CLOUDABI_PROT_EXEC) ? PROT_EXEC : 0);
	return 0;
}

static cloudabi_errno_t result(long ret)
{
	return ret < 0 ? capbox_errno_from_linux((int)-ret) : 0;
}

cloudabi_errno_t cloudabi_sys_mem_map(void *addr, size_t len,
				      cloudabi_mprot_t prot,
				      cloudabi_mflags_t flags, cloudabi_fd_t fd,
				      cloudabi_filesize_t off, void **mem)
{
	int lprot;
	cloudabi_errno_t prot_err = linux_prot(prot, &lprot);
	if (prot_err != 0)
		return prot_err;
	if ((flags & ~(CLOUDABI_MAP_ANON | CLOUDABI_MAP_FIXED |
		       CLOUDABI_MAP_PRIVATE | CLOUDABI_MAP_SHARED)) != 0)
		return CLOUDABI_EINVAL;
	int lflags;
	switch (flags & (CLOUDABI_MAP_PRIVATE | CLOUDABI_MAP_SHARED)) {
	case CLOUDABI_MAP_PRIVATE:
		lflags = MAP_PRIVATE;
		break;
	case CLOUDABI_MAP_SHARED:
		lflags = MAP_SHARED;
		break;
	default:
		return CLOUDABI_EINVAL;
	}
	if (flags & CLOUDABI_MAP_FIXED)
		lflags |= MAP_FIXED;
	int lfd = -1;
	if (flags & CLOUDABI_MAP_ANON) {
		if (fd != CLOUDABI_MAP_ANON_FD || off != 0)
			return CLOUDABI_EINVAL;
		lflags |= MAP_ANONYMOUS;
	} else {
		/* As FreeBSD: reading the pages needs FD_READ (on x86 an
		 * executable page is readable too), changing the file through
		 * them FD_WRITE; a private writable copy does not. */
		cloudabi_rights_t need = CLOUDABI_RIGHT_MEM_MAP;
		if (prot & CLOUDABI_PROT_EXEC)
			need |= CLOUDABI_RIGHT_MEM_MAP_EXEC;
		if (prot & (CLOUDABI_PROT_READ | CLOUDABI_PROT_EXEC))
			need |= CLOUDABI_RIGHT_FD_READ;
		if ((prot & CLOUDABI_PROT_WRITE) &&
		    (flags & CLOUDABI_MAP_SHARED))
			need |= CLOUDABI_RIGHT_FD_WRITE;
		cloudabi_errno_t err = fdtable_use(fd, need);
		if (err != 0)
			return err;
		if (off > INT64_MAX)
			return CLOUDABI_EINVAL;
		lfd = (int)fd;
	}
	if (len == 0)
		return CLOUDABI_EINVAL;
	void *p = linux_mmap(addr, len, lprot, lflags, lfd, off);
	if (linux_mmap_failed(p))
		return capbox_errno_from_linux((int)-(long)p);
	*mem = p;
	return 0;
}

cloudabi_errno_t cloudabi_sys_mem_unmap(void *mapping, size_t mapping_len)
{
	return result(linux_syscall2(__NR_munmap, mapping, mapping_len));
}

cloudabi_errno_t cloudabi_sys_mem_protect(void *mapping, size_t mapping_len,
					  cloudabi_mprot_t prot)
{
	int lprot;
	cloudabi_errno_t prot_err = linux_prot(prot, &lprot);
	if (prot_err != 0)
		return prot_err;
	return result(
		linux_syscall3(__NR_mprotect, mapping, mapping_len, lprot));
}

cloudabi_errno_t cloudabi_sys_mem_advise(void *mapping, size_t mapping_len,
					 cloudabi_advice_t advice)
{
	int ladvice;
	switch (advice) {
	case CLOUDABI_ADVICE_DONTNEED:
		ladvice = MADV_DONTNEED;
		break;
	case CLOUDABI_ADVICE_NORMAL:
		ladvice = MADV_NORMAL;
		break;
	case CLOUDABI_ADVICE_RANDOM:
		ladvice = MADV_RANDOM;
		break;
	case CLOUDABI_ADVICE_SEQUENTIAL:
		ladvice = MADV_SEQUENTIAL;
		break;
	case CLOUDABI_ADVICE_WILLNEED:
		ladvice = MADV_WILLNEED;
		break;
	case CLOUDABI_ADVICE_NOREUSE:
		return 0; /* Linux has no such advice for memory: a no-op */
	default:
		return CLOUDABI_EINVAL;
	}
	return result(
		linux_syscall3(__NR_madvise, mapping, mapping_len, ladvice));
}

cloudabi_errno_t cloudabi_sys_mem_sync(void *mapping, size_t mapping_len,
				       cloudabi_msflags_t flags)
{
	if ((flags & ~(CLOUDABI_MS_ASYNC | CLOUDABI_MS_INVALIDATE |
		       CLOUDABI_MS_SYNC)) != 0)
		return CLOUDABI_EINVAL;
	int lflags = ((flags & CLOUDABI_MS_ASYNC) ? MS_ASYNC : 0) |
		     ((flags & CLOUDABI_MS_INVALIDATE) ? MS_INVALIDATE : 0) |
		     ((flags & CLOUDABI_MS_SYNC) ? MS_SYNC : 0);
	return result(linux_syscall3(__NR_msync, mapping, mapping_len, lflags));
}

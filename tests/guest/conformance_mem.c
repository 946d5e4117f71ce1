/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* conformance_mem.c: mem_map/protect/advise/sync/unmap success paths, their errors, and the rights a file mapping needs. */
#include <program.h>

#include "file_test.h"
#include "proc.h"

#define R(x) CLOUDABI_RIGHT_##x
#define PAGE 4096
#define ANON (CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE)
#define RW (CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE)

static cloudabi_errno_t map(void *addr, size_t len, cloudabi_mprot_t prot,
			    cloudabi_mflags_t flags, cloudabi_fd_t fd,
			    cloudabi_filesize_t off, void **out)
{
	*out = NULL;
	return cloudabi_sys_mem_map(addr, len, prot, flags, fd, off, out);
}

static void anonymous(void)
{
	void *p;
	CHECK_EQ(map(NULL, 2 * PAGE, RW, ANON, CLOUDABI_MAP_ANON_FD, 0, &p), 0,
		 "anonymous private read-write mapping");
	CHECK(p != NULL && ((uintptr_t)p % PAGE) == 0, "page aligned");
	char *c = p;
	CHECK(c[0] == 0 && c[2 * PAGE - 1] == 0, "zero filled");
	c[5] = 'x';
	CHECK_EQ(c[5], 'x', "writable");
	void *q;
	CHECK_EQ(map(c + PAGE, PAGE, CLOUDABI_PROT_READ,
		     ANON | CLOUDABI_MAP_FIXED, CLOUDABI_MAP_ANON_FD, 0, &q),
		 0, "MAP_FIXED over the second page");
	CHECK(q == c + PAGE, "at exactly that address");
	CHECK_EQ(cloudabi_sys_mem_protect(c, PAGE, CLOUDABI_PROT_READ), 0,
		 "mem_protect to read-only");
	CHECK_EQ(c[5], 'x', "still readable, contents kept");
	CHECK_EQ(cloudabi_sys_mem_protect(c, PAGE, RW), 0,
		 "mem_protect back to read-write");
	c[6] = 'y';
	CHECK_EQ(cloudabi_sys_mem_protect(
			 c, PAGE, CLOUDABI_PROT_READ | CLOUDABI_PROT_EXEC),
		 0, "read+exec (write first, then exec) is allowed");
	CHECK_EQ(cloudabi_sys_mem_protect(c, PAGE, RW | CLOUDABI_PROT_EXEC),
		 CLOUDABI_ENOTSUP, "mem_protect write+exec: ENOTSUP");
	CHECK_EQ(cloudabi_sys_mem_protect(c + 1, PAGE, RW), CLOUDABI_EINVAL,
		 "mem_protect unaligned: EINVAL");

	static const cloudabi_advice_t advice[] = {
		CLOUDABI_ADVICE_DONTNEED,   CLOUDABI_ADVICE_NOREUSE,
		CLOUDABI_ADVICE_NORMAL,     CLOUDABI_ADVICE_RANDOM,
		CLOUDABI_ADVICE_SEQUENTIAL, CLOUDABI_ADVICE_WILLNEED};
	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		CHECK_EQ(cloudabi_sys_mem_advise(c + PAGE, PAGE, advice[i]), 0,
			 "mem_advise %u", advice[i]);
	CHECK_EQ(cloudabi_sys_mem_advise(c, PAGE, 99), CLOUDABI_EINVAL,
		 "mem_advise unknown advice: EINVAL");
	CHECK_EQ(cloudabi_sys_mem_sync(c + PAGE, PAGE, CLOUDABI_MS_SYNC), 0,
		 "mem_sync MS_SYNC");
	CHECK_EQ(cloudabi_sys_mem_sync(c + PAGE, PAGE,
				       CLOUDABI_MS_ASYNC |
					       CLOUDABI_MS_INVALIDATE),
		 0, "mem_sync MS_ASYNC|MS_INVALIDATE");
	CHECK_EQ(cloudabi_sys_mem_sync(c, PAGE, 0x80), CLOUDABI_EINVAL,
		 "mem_sync unknown flag: EINVAL");
	CHECK_EQ(cloudabi_sys_mem_unmap(c, 2 * PAGE), 0, "mem_unmap");
	CHECK_EQ(cloudabi_sys_mem_sync(c, PAGE, CLOUDABI_MS_SYNC),
		 CLOUDABI_ENOMEM, "mem_sync of unmapped memory: ENOMEM");
	CHECK_EQ(cloudabi_sys_mem_protect(c, PAGE, CLOUDABI_PROT_READ),
		 CLOUDABI_ENOMEM, "mem_protect of unmapped memory: ENOMEM");
	CHECK_EQ(cloudabi_sys_mem_unmap(c + 1, PAGE), CLOUDABI_EINVAL,
		 "mem_unmap unaligned: EINVAL");

	/* A read-only page really refuses writes: the child faults. */
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, ANON, CLOUDABI_MAP_ANON_FD,
		     0, &p),
		 0, "a read-only anonymous page");
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	CHECK_EQ(cloudabi_sys_proc_fork(&child, &tid), 0, "fork");
	if (child == CLOUDABI_PROCESS_CHILD) {
		*(volatile char *)p = 1;
		cloudabi_sys_proc_exit(0);
	}
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(10000000000), &ev), 0,
		 "the child ends");
	CHECK_EQ(ev.proc_terminate.signal, CLOUDABI_SIGSEGV,
		 "writing it is SIGSEGV");
	cloudabi_sys_fd_close(child);
	cloudabi_sys_mem_unmap(p, PAGE);
}

static void errors(cloudabi_fd_t file)
{
	void *p;
	const cloudabi_fd_t A = CLOUDABI_MAP_ANON_FD;
	CHECK_EQ(map(NULL, PAGE, RW | CLOUDABI_PROT_EXEC, ANON, A, 0, &p),
		 CLOUDABI_ENOTSUP, "mem_map write+exec: ENOTSUP");
	CHECK_EQ(map(NULL, PAGE, RW, CLOUDABI_MAP_ANON, A, 0, &p),
		 CLOUDABI_EINVAL, "neither PRIVATE nor SHARED: EINVAL");
	CHECK_EQ(map(NULL, PAGE, RW, ANON | CLOUDABI_MAP_SHARED, A, 0, &p),
		 CLOUDABI_EINVAL, "both PRIVATE and SHARED: EINVAL");
	CHECK_EQ(map(NULL, PAGE, RW, ANON | 0x10, A, 0, &p), CLOUDABI_EINVAL,
		 "unknown flag: EINVAL");
	CHECK_EQ(map(NULL, PAGE, RW, ANON, file, 0, &p), CLOUDABI_EINVAL,
		 "MAP_ANON with a real fd: EINVAL");
	CHECK_EQ(map(NULL, PAGE, RW, ANON, A, PAGE, &p), CLOUDABI_EINVAL,
		 "MAP_ANON with an offset: EINVAL");
	CHECK_EQ(map(NULL, 0, RW, ANON, A, 0, &p), CLOUDABI_EINVAL,
		 "length 0: EINVAL");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED, 900,
		     0, &p),
		 CLOUDABI_EBADF, "a bad fd: EBADF");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED, file,
		     1, &p),
		 CLOUDABI_EINVAL, "an unaligned offset: EINVAL");
	CHECK_EQ(map((void *)(uintptr_t)(PAGE + 1), PAGE, RW,
		     ANON | CLOUDABI_MAP_FIXED, A, 0, &p),
		 CLOUDABI_EINVAL, "MAP_FIXED at an unaligned address: EINVAL");
}

static void file_backed(cloudabi_fd_t dir)
{
	cloudabi_fd_t f, ro;
	CHECK_EQ(ft_open(dir, "m", CLOUDABI_O_CREAT, &f), 0, "create m");
	cloudabi_filestat_t st = {.st_size = PAGE};
	CHECK_EQ(cloudabi_sys_file_stat_fput(f, &st, CLOUDABI_FILESTAT_SIZE), 0,
		 "one page long");
	void *p;
	CHECK_EQ(map(NULL, PAGE, RW, CLOUDABI_MAP_SHARED, f, 0, &p), 0,
		 "shared read-write mapping of the file");
	memcpy(p, "mapped", 6);
	CHECK_EQ(cloudabi_sys_mem_sync(p, PAGE, CLOUDABI_MS_SYNC), 0,
		 "mem_sync it");
	char buf[8] = {0};
	cloudabi_iovec_t iov = {buf, 6};
	size_t n;
	CHECK(cloudabi_sys_fd_pread(f, &iov, 1, 0, &n) == 0 && n == 6 &&
		      memcmp(buf, "mapped", 6) == 0,
	      "fd_pread sees what was written through the mapping");
	CHECK_EQ(cloudabi_sys_mem_unmap(p, PAGE), 0, "unmap");

	/* The rights a file mapping needs (spec, rights.fd_read/fd_write). */
	CHECK_EQ(
		ft_open_rights(dir, "m", 0, R(MEM_MAP) | R(FD_SEEK), 0, 0, &ro),
		0, "open m with MEM_MAP but no FD_READ");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED, ro, 0,
		     &p),
		 CLOUDABI_ENOTCAPABLE, "mapping it readable: ENOTCAPABLE");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ | CLOUDABI_PROT_EXEC,
		     CLOUDABI_MAP_PRIVATE, ro, 0, &p),
		 CLOUDABI_ENOTCAPABLE,
		 "mapping it executable (readable on x86): ENOTCAPABLE");
	cloudabi_sys_fd_close(ro);
	CHECK_EQ(
		ft_open_rights(dir, "m", 0, R(MEM_MAP) | R(FD_READ), 0, 0, &ro),
		0, "open m with MEM_MAP and FD_READ, no FD_WRITE");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED, ro, 0,
		     &p),
		 0, "mapping it readable works");
	CHECK(p != NULL && memcmp(p, "mapped", 6) == 0, "with the contents");
	cloudabi_sys_mem_unmap(p, PAGE);
	CHECK_EQ(map(NULL, PAGE, RW, CLOUDABI_MAP_SHARED, ro, 0, &p),
		 CLOUDABI_ENOTCAPABLE,
		 "a shared writable mapping without FD_WRITE: ENOTCAPABLE");
	CHECK_EQ(map(NULL, PAGE, RW, CLOUDABI_MAP_PRIVATE, ro, 0, &p), 0,
		 "a private writable copy is allowed (as in FreeBSD)");
	if (p != NULL) {
		memcpy(p, "copied", 6);
		cloudabi_sys_mem_unmap(p, PAGE);
	}
	CHECK(cloudabi_sys_fd_pread(f, &iov, 1, 0, &n) == 0 &&
		      memcmp(buf, "mapped", 6) == 0,
	      "the private copy did not change the file");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED, ro, 0,
		     &p),
		 0, "a read-only mapping without MEM_MAP_EXEC");
	cloudabi_errno_t err = cloudabi_sys_mem_protect(
		p, PAGE, CLOUDABI_PROT_READ | CLOUDABI_PROT_EXEC);
	if (err == 0)
		CHECK_SKIP("known deviation: Linux has no maximum protection "
			   "(docs/CONFORMANCE.md)",
			   "mem_protect adding exec without MEM_MAP_EXEC");
	else
		CHECK_EQ(
			err, CLOUDABI_EACCES,
			"mem_protect adding exec without MEM_MAP_EXEC: EACCES");
	cloudabi_sys_mem_unmap(p, PAGE);
	cloudabi_sys_fd_close(ro);

	cloudabi_fdstat_t fds = {.fs_rights_base = R(FD_WRITE) | R(MEM_MAP)};
	CHECK_EQ(cloudabi_sys_fd_stat_put(f, &fds, CLOUDABI_FDSTAT_RIGHTS), 0,
		 "narrow the first descriptor to FD_WRITE and MEM_MAP");
	CHECK_EQ(map(NULL, PAGE, CLOUDABI_PROT_READ, CLOUDABI_MAP_SHARED, f, 0,
		     &p),
		 CLOUDABI_ENOTCAPABLE, "then mapping it readable: ENOTCAPABLE");
	cloudabi_sys_fd_close(f);

	CHECK_EQ(map(NULL, PAGE, 0, CLOUDABI_MAP_SHARED, dir, 0, &p),
		 CLOUDABI_ENOTCAPABLE,
		 "a directory has no MEM_MAP: ENOTCAPABLE");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = ft_grant(ad, "dir");
	cloudabi_fd_t file;
	CHECK_EQ(ft_put(dir, "f", "data"), 0, "make f");
	CHECK_EQ(ft_open(dir, "f", 0, &file), 0, "open f");
	anonymous();
	errors(file);
	file_backed(dir);
	exit(check_done());
}

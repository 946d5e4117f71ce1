/* load.c: maps a validated CloudABI executable into the guest address space. */
#include "shim/boot/load.h"

#include <linux/elf.h>

#include "loader/elf_plan.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/shim.h"

static unsigned char head[ELF_PLAN_HEAD_SIZE];

static uint64_t page_down(uint64_t x)
{
	return x & ~(shim_proc.page_size - 1);
}

static uint64_t page_up(uint64_t x)
{
	return page_down(x + shim_proc.page_size - 1);
}

static int linux_prot_of(unsigned int prot)
{
	return ((prot & ELF_PLAN_PROT_READ) ? PROT_READ : 0) |
	       ((prot & ELF_PLAN_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((prot & ELF_PLAN_PROT_EXEC) ? PROT_EXEC : 0);
}

static void load_fail(const char *what, long err)
{
	shim_fatal(SHIM_EXIT_LOAD_FAILED, what, err);
}

static void map_fixed(uint64_t addr, uint64_t len, int prot, int flags, int fd,
		      uint64_t off)
{
	void *p = linux_mmap((void *)addr, len, prot, flags | MAP_FIXED, fd,
			     off);
	if (linux_mmap_failed(p))
		load_fail("cannot map a program segment", (long)p);
}

static size_t read_head(int fd, uint64_t file_size)
{
	size_t want = file_size < sizeof(head) ? (size_t)file_size
					       : sizeof(head);
	size_t got = 0;
	while (got < want) {
		long n = linux_syscall4(__NR_pread64, fd, head + got,
					want - got, got);
		if (n == -EINTR)
			continue;
		if (n < 0)
			load_fail("cannot read the program", n);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* Reserves the whole span (aligned as the segments ask) and returns the
 * load bias. */
static uint64_t reserve_span(const struct elf_plan *plan)
{
	if (plan->type == ET_EXEC) {
		void *p = linux_mmap(
			(void *)plan->span_start, plan->span_len, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				MAP_FIXED_NOREPLACE,
			-1, 0);
		if (linux_mmap_failed(p) || (uint64_t)p != plan->span_start)
			load_fail("the program's fixed addresses are not free",
				  linux_mmap_failed(p) ? (long)p : -EEXIST);
		return 0;
	}
	uint64_t slack = plan->max_align - shim_proc.page_size;
	uint64_t len = plan->span_len + slack;
	void *p = linux_mmap(NULL, len, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			     0);
	if (linux_mmap_failed(p))
		load_fail("cannot reserve address space for the program",
			  (long)p);
	uint64_t start = (uint64_t)p;
	uint64_t aligned = (start + plan->max_align - 1) &
			   ~(plan->max_align - 1);
	/* Give back the slack on both sides. */
	if (aligned > start)
		linux_syscall2(__NR_munmap, start, aligned - start);
	uint64_t end = aligned + plan->span_len;
	if (start + len > end)
		linux_syscall2(__NR_munmap, end, start + len - end);
	return aligned - plan->span_start;
}

static void map_segment(int fd, uint64_t bias,
			const struct elf_plan_segment *seg)
{
	uint64_t addr = bias + seg->vaddr;
	int prot = linux_prot_of(seg->prot);
	uint64_t file_end = addr + page_up(seg->file_len);
	uint64_t zero_start = bias + seg->zero_start;
	uint64_t zero_end = bias + seg->zero_end;

	if (seg->file_len > 0) {
		/* The tail of the last file page past p_filesz holds other
		 * file bytes; if it belongs to bss it must read as zero. */
		bool zero_tail = zero_end > zero_start && zero_start < file_end;
		map_fixed(addr, file_end - addr,
			  zero_tail ? PROT_READ | PROT_WRITE : prot,
			  MAP_PRIVATE, fd, seg->offset);
		if (zero_tail) {
			uint64_t stop = zero_end < file_end ? zero_end
							    : file_end;
			memset((void *)zero_start, 0, stop - zero_start);
			long err = linux_syscall3(__NR_mprotect, addr,
						  file_end - addr, prot);
			if (err < 0)
				load_fail("cannot protect a program segment",
					  err);
		}
	}
	uint64_t mem_end = addr + seg->mem_len;
	if (mem_end > file_end)
		map_fixed(file_end, mem_end - file_end, prot,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* The program needs its headers in memory (AT_PHDR); when no segment maps
 * them, give them a page of their own. */
static uint64_t copy_headers(const struct elf_plan *plan)
{
	size_t len = (size_t)plan->phnum * sizeof(Elf64_Phdr);
	void *p = linux_mmap(NULL, page_up(len), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (linux_mmap_failed(p))
		load_fail("cannot map the program headers", (long)p);
	memcpy(p, head + plan->phoff, len);
	linux_syscall3(__NR_mprotect, p, page_up(len), PROT_READ);
	return (uint64_t)p;
}

void load_program(int fd, struct loaded_program *out)
{
	long size = linux_syscall3(__NR_lseek, fd, 0, SEEK_END);
	if (size < 0)
		load_fail("cannot size the program", size);
	size_t got = read_head(fd, (uint64_t)size);

	struct elf_plan plan;
	const char *why;
	if (elf_plan_build(head, got, (uint64_t)size, shim_proc.page_size,
			   &plan, &why) != 0)
		load_fail(why, 0);

	uint64_t bias = reserve_span(&plan);
	for (unsigned int i = 0; i < plan.nloads; i++)
		map_segment(fd, bias, &plan.loads[i]);

	out->base = bias;
	out->entry = bias + plan.entry;
	out->phdr = plan.have_phdr_vaddr ? bias + plan.phdr_vaddr
					 : copy_headers(&plan);
	out->phnum = plan.phnum;
}

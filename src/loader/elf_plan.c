/* elf_plan.c: validates an ELF executable's headers and computes how to map it. */
#include "loader/elf_plan.h"

#include <linux/elf.h>

/*
 * <linux/elf.h> has everything used here except the EI_OSABI values for
 * FreeBSD and CloudABI, which elf_plan.h defines (ELF_PLAN_OSABI_*).
 */

static bool is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* 0 and 1 mean "no alignment"; otherwise a power of two. */
static bool align_ok(uint64_t align)
{
	return align <= 1 || is_pow2(align);
}

static uint64_t page_down(uint64_t x, uint64_t page)
{
	return x & ~(page - 1);
}

/* Rounds x up to a page; false on overflow. */
static bool page_up(uint64_t x, uint64_t page, uint64_t *out)
{
	uint64_t t;

	if (__builtin_add_overflow(x, page - 1, &t))
		return false;
	*out = t & ~(page - 1);
	return true;
}

static int fail(const char **error, const char *msg)
{
	*error = msg;
	return -1;
}

/* Reads program header i from the (possibly unaligned) buffer. */
static void read_phdr(const unsigned char *head, uint64_t phoff, unsigned int i,
		      Elf64_Phdr *ph)
{
	__builtin_memcpy(ph, head + phoff + (uint64_t)i * sizeof(*ph),
			 sizeof(*ph));
}

/* True when [vaddr, vaddr + len) lies in the file-backed part of a PT_LOAD. */
static bool in_loaded_file_bytes(const unsigned char *head, uint64_t phoff,
				 unsigned int phnum, uint64_t vaddr,
				 uint64_t len)
{
	unsigned int i;
	Elf64_Phdr ph;

	for (i = 0; i < phnum; i++) {
		read_phdr(head, phoff, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		/* Ranges were checked for wrapping before this is called. */
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr <= ph.p_filesz &&
		    len <= ph.p_filesz - (vaddr - ph.p_vaddr))
			return true;
	}
	return false;
}

static int check_ident(const Elf64_Ehdr *eh, const char **error)
{
	const unsigned char *id = eh->e_ident;

	if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 ||
	    id[EI_MAG2] != ELFMAG2 || id[EI_MAG3] != ELFMAG3)
		return fail(error, "not an ELF file (bad magic)");
	if (id[EI_CLASS] != ELFCLASS64)
		return fail(error,
			    "not a 64-bit ELF file (ELFCLASS64 expected)");
	if (id[EI_DATA] != ELFDATA2LSB)
		return fail(error, "not a little-endian ELF file");
	if (id[EI_VERSION] != EV_CURRENT)
		return fail(error, "unsupported ELF identification version");
	if (id[EI_OSABI] != ELF_PLAN_OSABI_CLOUDABI &&
	    id[EI_OSABI] != ELF_PLAN_OSABI_FREEBSD &&
	    id[EI_OSABI] != ELF_PLAN_OSABI_SYSV)
		return fail(
			error,
			"unsupported OS ABI (expected CloudABI, FreeBSD or SYSV)");
	if (eh->e_version != EV_CURRENT)
		return fail(error, "unsupported ELF version");
	if (eh->e_machine != EM_X86_64)
		return fail(error, "not an x86-64 executable");
	if (eh->e_type != ET_DYN && eh->e_type != ET_EXEC)
		return fail(
			error,
			"not an executable (ELF type is neither ET_EXEC nor ET_DYN)");
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return fail(error, "bad ELF header size");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return fail(error, "bad program header entry size");
	return 0;
}

/* Validates one PT_LOAD and appends it to the plan. */
static int add_load(const Elf64_Phdr *ph, const Elf64_Ehdr *eh,
		    uint64_t file_size, uint64_t page, struct elf_plan *plan,
		    const char **error)
{
	struct elf_plan_segment *seg;
	uint64_t file_end, mem_end, mem_end_up;

	if (ph->p_filesz > ph->p_memsz)
		return fail(error, "PT_LOAD segment has p_filesz > p_memsz");
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &file_end))
		return fail(error, "PT_LOAD segment file range wraps around");
	if (file_end > file_size)
		return fail(error, "PT_LOAD segment extends past end of file");
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &mem_end))
		return fail(error,
			    "PT_LOAD segment address range wraps around");
	if (mem_end > ELF_PLAN_USER_LIMIT)
		return fail(error,
			    "PT_LOAD segment above the user address limit");
	if (!page_up(mem_end, page, &mem_end_up))
		return fail(error,
			    "PT_LOAD segment address range wraps around");
	if (!align_ok(ph->p_align))
		return fail(error,
			    "PT_LOAD segment alignment is not a power of two");
	if (ph->p_align > ELF_PLAN_MAX_LOAD_ALIGN)
		return fail(error, "PT_LOAD segment alignment too large");
	if ((ph->p_offset & (page - 1)) != (ph->p_vaddr & (page - 1)))
		return fail(
			error,
			"PT_LOAD segment offset and address not congruent modulo the page size");
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return fail(error,
			    "PT_LOAD segment is both writable and executable");
	if (eh->e_type == ET_EXEC && ph->p_memsz != 0 &&
	    ph->p_vaddr < ELF_PLAN_MIN_EXEC_VADDR)
		return fail(
			error,
			"ET_EXEC segment below the minimum mappable address");

	/* Empty segments map nothing (as in the Linux kernel). */
	if (ph->p_memsz == 0)
		return 0;
	if (plan->nloads >= ELF_PLAN_MAX_LOADS)
		return fail(error, "too many PT_LOAD segments");

	seg = &plan->loads[plan->nloads++];
	seg->vaddr = page_down(ph->p_vaddr, page);
	seg->offset = page_down(ph->p_offset, page);
	seg->file_len = ph->p_filesz == 0
				? 0
				: ph->p_filesz + (ph->p_offset - seg->offset);
	seg->mem_len = mem_end_up - seg->vaddr;
	seg->zero_start = ph->p_vaddr + ph->p_filesz;
	seg->zero_end = mem_end;
	seg->prot = 0;
	if (ph->p_flags & PF_R)
		seg->prot |= ELF_PLAN_PROT_READ;
	if (ph->p_flags & PF_W)
		seg->prot |= ELF_PLAN_PROT_WRITE;
	if (ph->p_flags & PF_X)
		seg->prot |= ELF_PLAN_PROT_EXEC;
	if (ph->p_align > plan->max_align)
		plan->max_align = ph->p_align;
	return 0;
}

static int add_tls(const Elf64_Phdr *ph, uint64_t file_size,
		   struct elf_plan *plan, const char **error)
{
	uint64_t end;

	if (plan->have_tls)
		return fail(error, "more than one PT_TLS segment");
	if (ph->p_filesz > ph->p_memsz)
		return fail(error, "PT_TLS segment has p_filesz > p_memsz");
	if (!align_ok(ph->p_align))
		return fail(error,
			    "PT_TLS segment alignment is not a power of two");
	if (ph->p_align > ELF_PLAN_MAX_TLS_ALIGN)
		return fail(error, "PT_TLS segment alignment too large");
	if (ph->p_memsz > ELF_PLAN_MAX_SPAN)
		return fail(error, "PT_TLS segment too large");
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &end))
		return fail(error, "PT_TLS segment address range wraps around");
	if (ph->p_filesz != 0 &&
	    (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &end) ||
	     end > file_size))
		return fail(error,
			    "PT_TLS initialization image outside the file");
	plan->have_tls = true;
	plan->tls.vaddr = ph->p_vaddr;
	plan->tls.filesz = ph->p_filesz;
	plan->tls.memsz = ph->p_memsz;
	plan->tls.align = ph->p_align;
	return 0;
}

/* Checks that page-rounded loads are pairwise disjoint. */
static int check_overlap(const struct elf_plan *plan, const char **error)
{
	unsigned int i, j;

	for (i = 0; i < plan->nloads; i++) {
		const struct elf_plan_segment *a = &plan->loads[i];

		for (j = i + 1; j < plan->nloads; j++) {
			const struct elf_plan_segment *b = &plan->loads[j];

			if (a->vaddr < b->vaddr + b->mem_len &&
			    b->vaddr < a->vaddr + a->mem_len)
				return fail(error, "loadable segments overlap");
		}
	}
	return 0;
}

int elf_plan_build(const void *head_v, size_t head_len, uint64_t file_size,
		   uint64_t page_size, struct elf_plan *plan,
		   const char **error)
{
	const unsigned char *head = head_v;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint64_t table_size, table_end, lo, hi;
	const Elf64_Phdr *phdr_seg = NULL;
	Elf64_Phdr phdr_copy;
	unsigned int i, executable_entry;
	int have_phdr = 0, have_dynamic = 0;

	__builtin_memset(plan, 0, sizeof(*plan));
	if (!is_pow2(page_size))
		return fail(error, "invalid page size");
	if (head_len > file_size)
		head_len = (size_t)file_size;
	if (file_size == 0)
		return fail(error, "file is empty");
	/* A short text file is "not ELF" rather than "too short". */
	if (head_len >= SELFMAG &&
	    (head[EI_MAG0] != ELFMAG0 || head[EI_MAG1] != ELFMAG1 ||
	     head[EI_MAG2] != ELFMAG2 || head[EI_MAG3] != ELFMAG3))
		return fail(error, "not an ELF file (bad magic)");
	if (file_size < sizeof(eh))
		return fail(error, "file too short for an ELF header");
	if (head_len < sizeof(eh))
		return fail(error, "ELF header not in header buffer");
	__builtin_memcpy(&eh, head, sizeof(eh));
	if (check_ident(&eh, error) != 0)
		return -1;

	/* Program header table. */
	if (eh.e_phnum == 0)
		return fail(error, "no program headers");
	if (eh.e_phnum > ELF_PLAN_MAX_PHNUM)
		return fail(error, "too many program headers");
	table_size = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (__builtin_add_overflow(eh.e_phoff, table_size, &table_end))
		return fail(error, "program header table offset overflows");
	if (table_end > file_size)
		return fail(error, "program headers extend past end of file");
	if (table_end > head_len)
		return fail(error, "program headers outside the header buffer");

	plan->type = eh.e_type;
	plan->osabi = eh.e_ident[EI_OSABI];
	plan->entry = eh.e_entry;
	plan->phoff = eh.e_phoff;
	plan->phnum = eh.e_phnum;
	plan->max_align = page_size;

	for (i = 0; i < eh.e_phnum; i++) {
		read_phdr(head, eh.e_phoff, i, &ph);
		switch (ph.p_type) {
		case PT_LOAD:
			if (add_load(&ph, &eh, file_size, page_size, plan,
				     error) != 0)
				return -1;
			break;
		case PT_INTERP:
			return fail(
				error,
				"dynamic linking is not supported (PT_INTERP present)");
		case PT_TLS:
			if (add_tls(&ph, file_size, plan, error) != 0)
				return -1;
			break;
		case PT_DYNAMIC:
			if (have_dynamic++)
				return fail(error,
					    "more than one PT_DYNAMIC segment");
			plan->have_dynamic = true;
			plan->dynamic_vaddr = ph.p_vaddr;
			plan->dynamic_size = ph.p_memsz;
			break;
		case PT_PHDR:
			if (have_phdr++)
				return fail(error,
					    "more than one PT_PHDR segment");
			phdr_copy = ph;
			phdr_seg = &phdr_copy;
			break;
		default:
			/* PT_NOTE, PT_GNU_STACK, PT_GNU_RELRO, ...: ignored. */
			break;
		}
	}
	if (plan->nloads == 0)
		return fail(error, "no loadable segments");
	if (check_overlap(plan, error) != 0)
		return -1;

	/* The one reservation covering every load. */
	lo = UINT64_MAX;
	hi = 0;
	for (i = 0; i < plan->nloads; i++) {
		const struct elf_plan_segment *seg = &plan->loads[i];

		if (seg->vaddr < lo)
			lo = seg->vaddr;
		if (seg->vaddr + seg->mem_len > hi)
			hi = seg->vaddr + seg->mem_len;
	}
	if (hi - lo > ELF_PLAN_MAX_SPAN)
		return fail(error, "total memory span too large");
	plan->span_start = lo;
	plan->span_len = hi - lo;

	/* The entry point must be in file-backed bytes of an X segment. */
	executable_entry = 0;
	for (i = 0; i < eh.e_phnum; i++) {
		read_phdr(head, eh.e_phoff, i, &ph);
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) &&
		    eh.e_entry >= ph.p_vaddr &&
		    eh.e_entry - ph.p_vaddr < ph.p_filesz)
			executable_entry = 1;
	}
	if (!executable_entry)
		return fail(error, "entry point not in an executable segment");

	/* AT_PHDR. */
	if (phdr_seg != NULL) {
		uint64_t end;

		if (phdr_seg->p_offset != eh.e_phoff ||
		    phdr_seg->p_memsz < table_size)
			return fail(
				error,
				"PT_PHDR segment does not describe the program header table");
		if (__builtin_add_overflow(phdr_seg->p_vaddr, table_size,
					   &end) ||
		    !in_loaded_file_bytes(head, eh.e_phoff, eh.e_phnum,
					  phdr_seg->p_vaddr, table_size))
			return fail(
				error,
				"PT_PHDR segment not inside a loadable segment");
		plan->have_phdr_vaddr = true;
		plan->phdr_vaddr = phdr_seg->p_vaddr;
	} else {
		for (i = 0; i < eh.e_phnum; i++) {
			read_phdr(head, eh.e_phoff, i, &ph);
			if (ph.p_type == PT_LOAD && eh.e_phoff >= ph.p_offset &&
			    table_end - ph.p_offset <= ph.p_filesz) {
				plan->have_phdr_vaddr = true;
				plan->phdr_vaddr = ph.p_vaddr +
						   (eh.e_phoff - ph.p_offset);
				break;
			}
		}
	}

	/* A TLS initialization image must be mapped to be copied from. */
	if (plan->have_tls && plan->tls.filesz != 0 &&
	    !in_loaded_file_bytes(head, eh.e_phoff, eh.e_phnum, plan->tls.vaddr,
				  plan->tls.filesz))
		return fail(
			error,
			"PT_TLS initialization image not inside a loadable segment");
	return 0;
}

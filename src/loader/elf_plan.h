/* elf_plan.h: ELF executable validation and load plan, shared by broker and shim. */
#ifndef CAPBOX_LOADER_ELF_PLAN_H
#define CAPBOX_LOADER_ELF_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The planner is pure code: it reads only the buffer it is given, calls no
 * library function and allocates nothing, so the freestanding shim can use it
 * as well as the broker.
 *
 * The caller reads the first min(file size, ELF_PLAN_HEAD_SIZE) bytes of the
 * file into a buffer and passes it with the file size.  All addresses in the
 * plan are link-time virtual addresses; for ET_DYN the caller adds the load
 * bias (mapped base - span_start) to each of them.
 */

/* Bytes a caller should read from the start of the file. */
#define ELF_PLAN_HEAD_SIZE 4096u
/* Most program headers accepted (e_phnum). */
#define ELF_PLAN_MAX_PHNUM 64u
/* Most PT_LOAD segments accepted (lld emits 4). */
#define ELF_PLAN_MAX_LOADS 16u
/* Largest accepted page-rounded virtual span of all PT_LOAD segments. */
#define ELF_PLAN_MAX_SPAN (UINT64_C(1) << 30)
/* Largest accepted PT_LOAD p_align. */
#define ELF_PLAN_MAX_LOAD_ALIGN (UINT64_C(1) << 30)
/* Largest accepted PT_TLS p_align. */
#define ELF_PLAN_MAX_TLS_ALIGN UINT64_C(4096)
/* End of the x86-64 user address space (exclusive, one guard page short). */
#define ELF_PLAN_USER_LIMIT UINT64_C(0x7ffffffff000)
/* Lowest address an ET_EXEC segment may use (Linux's usual mmap_min_addr). */
#define ELF_PLAN_MIN_EXEC_VADDR UINT64_C(0x10000)

/* Accepted EI_OSABI values (not all are in <linux/elf.h>). */
#define ELF_PLAN_OSABI_SYSV 0
#define ELF_PLAN_OSABI_FREEBSD 9
#define ELF_PLAN_OSABI_CLOUDABI 17

/* Segment protection, mapped from PF_R / PF_W / PF_X. */
enum elf_plan_prot {
	ELF_PLAN_PROT_READ = 1,
	ELF_PLAN_PROT_WRITE = 2,
	ELF_PLAN_PROT_EXEC = 4,
};

/* One PT_LOAD segment, ready for mmap. */
struct elf_plan_segment {
	uint64_t vaddr;      /* page-aligned start (p_vaddr rounded down) */
	uint64_t offset;     /* page-aligned file offset (p_offset rounded) */
	uint64_t file_len;   /* bytes to map from offset; 0 if p_filesz is 0 */
	uint64_t mem_len;    /* page-rounded length of the memory from vaddr */
	uint64_t zero_start; /* p_vaddr + p_filesz: zero-fill starts here */
	uint64_t zero_end;   /* p_vaddr + p_memsz: zero-fill ends here */
	unsigned int prot;   /* ELF_PLAN_PROT_* bits */
};

/* The PT_TLS segment (may lie outside every PT_LOAD when filesz is 0). */
struct elf_plan_tls {
	uint64_t vaddr;  /* p_vaddr of the initialization image */
	uint64_t filesz; /* bytes of initialization image */
	uint64_t memsz;  /* total size of the TLS block */
	uint64_t align;  /* p_align (0 or 1 = unaligned) */
};

struct elf_plan {
	unsigned int type;    /* ET_DYN or ET_EXEC */
	unsigned int osabi;   /* e_ident[EI_OSABI] (0, 9 or 17) */
	uint64_t entry;       /* e_entry */
	uint64_t span_start;  /* lowest page-aligned vaddr of all loads */
	uint64_t span_len;    /* page-rounded length of the reservation */
	uint64_t max_align;   /* largest of page size and PT_LOAD p_align */
	uint64_t phoff;       /* e_phoff */
	unsigned int phnum;   /* e_phnum */
	bool have_phdr_vaddr; /* false: headers are not mapped, caller copies */
	uint64_t phdr_vaddr;  /* AT_PHDR: from PT_PHDR, else from the load
				containing e_phoff in the file */
	bool have_tls;        /* a PT_TLS segment exists */
	struct elf_plan_tls tls;
	bool have_dynamic;      /* a PT_DYNAMIC segment exists */
	uint64_t dynamic_vaddr; /* its p_vaddr */
	uint64_t dynamic_size;  /* its p_memsz */
	unsigned int nloads;    /* entries used in loads[], in header order */
	struct elf_plan_segment loads[ELF_PLAN_MAX_LOADS];
};

/*
 * Validates the executable whose first head_len bytes are at head and whose
 * total size is file_size, for a system with the given page size (a power of
 * two).  On success fills *plan and returns 0.  On failure returns -1 and sets
 * *error to a static message without a trailing newline (the caller prefixes
 * the file name).
 */
int elf_plan_build(const void *head, size_t head_len, uint64_t file_size,
		   uint64_t page_size, struct elf_plan *plan,
		   const char **error);

#endif

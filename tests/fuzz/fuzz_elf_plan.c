/* fuzz_elf_plan.c: libFuzzer harness: elf_plan_build on arbitrary headers, file sizes and page sizes, checking the plan's invariants. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf_plan.h"

/*
 * Input: one flags byte, an 8-byte little-endian number, then the head of
 * the file.  Flags bit 0 picks the page size (4096 or 16384); bit 1 makes
 * the number the file size itself, otherwise the file is the head plus
 * (number mod 16 MiB) bytes, the usual case of a real file.
 */
#define HEADER_BYTES 9

#define MUST(cond)                                                             \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

/* [lo, lo + len) inside the file-backed bytes of some load. */
static int in_file_bytes(const struct elf_plan *p, uint64_t lo, uint64_t len)
{
	for (unsigned int i = 0; i < p->nloads; i++) {
		const struct elf_plan_segment *s = &p->loads[i];
		if (lo >= s->vaddr && lo <= s->zero_start &&
		    len <= s->zero_start - lo)
			return 1;
	}
	return 0;
}

static void check_plan(const struct elf_plan *p, uint64_t file_size,
		       uint64_t page)
{
	uint64_t span_end;
	int entry_ok = 0;

	MUST(p->type == 2 || p->type == 3); /* ET_EXEC, ET_DYN */
	MUST(p->nloads >= 1 && p->nloads <= ELF_PLAN_MAX_LOADS);
	MUST(p->phnum >= 1 && p->phnum <= ELF_PLAN_MAX_PHNUM);
	MUST(p->span_start % page == 0 && p->span_len % page == 0);
	MUST(p->span_len > 0 && p->span_len <= ELF_PLAN_MAX_SPAN);
	MUST(!__builtin_add_overflow(p->span_start, p->span_len, &span_end));
	MUST(span_end <= ELF_PLAN_USER_LIMIT + page);
	MUST(p->max_align >= page && p->max_align <= ELF_PLAN_MAX_LOAD_ALIGN &&
	     (p->max_align & (p->max_align - 1)) == 0);
	for (unsigned int i = 0; i < p->nloads; i++) {
		const struct elf_plan_segment *s = &p->loads[i];
		uint64_t end;

		MUST(s->vaddr % page == 0 && s->offset % page == 0);
		MUST(s->mem_len > 0 && s->mem_len % page == 0);
		MUST(!__builtin_add_overflow(s->vaddr, s->mem_len, &end));
		/* Inside the one reservation. */
		MUST(s->vaddr >= p->span_start && end <= span_end);
		/* File bytes inside the file and inside the memory. */
		MUST(s->file_len <= s->mem_len);
		MUST(s->offset <= file_size &&
		     s->file_len <= file_size - s->offset);
		MUST(s->vaddr <= s->zero_start &&
		     s->zero_start <= s->zero_end && s->zero_end <= end);
		MUST(s->file_len == 0 ||
		     s->vaddr + s->file_len == s->zero_start);
		MUST(s->zero_end <= ELF_PLAN_USER_LIMIT);
		MUST((s->prot & ~7u) == 0);
		MUST(!((s->prot & ELF_PLAN_PROT_WRITE) &&
		       (s->prot & ELF_PLAN_PROT_EXEC)));
		/* 0x10000 is a multiple of both page sizes. */
		if (p->type == 2)
			MUST(s->vaddr >= ELF_PLAN_MIN_EXEC_VADDR);
		/* No two loads share a page. */
		for (unsigned int j = i + 1; j < p->nloads; j++) {
			const struct elf_plan_segment *t = &p->loads[j];
			MUST(end <= t->vaddr ||
			     t->vaddr + t->mem_len <= s->vaddr);
		}
		/* The entry point is in file-backed bytes of an X load. */
		if ((s->prot & ELF_PLAN_PROT_EXEC) && p->entry >= s->vaddr &&
		    p->entry < s->zero_start && s->file_len > 0)
			entry_ok = 1;
	}
	MUST(entry_ok);
	if (p->have_tls) {
		MUST(p->tls.filesz <= p->tls.memsz);
		MUST(p->tls.memsz <= ELF_PLAN_MAX_SPAN);
		MUST(p->tls.align <= ELF_PLAN_MAX_TLS_ALIGN &&
		     (p->tls.align & (p->tls.align - 1)) == 0);
		if (p->tls.filesz > 0)
			MUST(in_file_bytes(p, p->tls.vaddr, p->tls.filesz));
	}
	if (p->have_phdr_vaddr)
		MUST(in_file_bytes(p, p->phdr_vaddr, (uint64_t)p->phnum * 56));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_plan plan;
	const char *error = NULL;
	uint64_t number, file_size, page;
	size_t head_len;
	unsigned char *head;

	if (size < HEADER_BYTES)
		return 0;
	memcpy(&number, data + 1, 8);
	page = (data[0] & 1) ? 16384 : 4096;
	head_len = size - HEADER_BYTES;
	file_size = (data[0] & 2) ? number : head_len + (number & 0xffffff);
	/* An exact copy, so that reading past the head is an ASan report. */
	head = malloc(head_len ? head_len : 1);
	if (head == NULL)
		return 0;
	memcpy(head, data + HEADER_BYTES, head_len);
	if (elf_plan_build(head, head_len, file_size, page, &plan, &error) == 0)
		check_plan(&plan, file_size, page);
	else
		MUST(error != NULL && error[0] != '\0');
	free(head);
	return 0;
}

/* elf_build.h: builds ELF headers and program header tables in memory for loader tests. */
#ifndef CAPBOX_TESTS_ELF_BUILD_H
#define CAPBOX_TESTS_ELF_BUILD_H

#include <linux/elf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Program headers an image description can hold. */
#define ELF_BUILD_MAX_PHDRS 80

/*
 * An executable described by its ELF header, its program headers and its
 * file size.  elf_build_write() turns it into bytes: the header at 0, the
 * table at e_phoff (e_phnum entries: ph[] first, zeros beyond nph), and
 * everything else zero up to file_size.
 */
struct elf_image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[ELF_BUILD_MAX_PHDRS];
	unsigned int nph;
	uint64_t file_size;
};

/* Appends a program header; returns it (NULL when the array is full). */
static inline Elf64_Phdr *elf_build_add(struct elf_image *im, uint32_t type,
					uint32_t flags, uint64_t offset,
					uint64_t vaddr, uint64_t filesz,
					uint64_t memsz, uint64_t align)
{
	Elf64_Phdr *ph;

	if (im->nph >= ELF_BUILD_MAX_PHDRS)
		return NULL;
	ph = &im->ph[im->nph++];
	memset(ph, 0, sizeof(*ph));
	ph->p_type = type;
	ph->p_flags = flags;
	ph->p_offset = offset;
	ph->p_vaddr = vaddr;
	ph->p_paddr = vaddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = align;
	im->eh.e_phnum = (Elf64_Half)im->nph;
	return ph;
}

/* A valid ELF header for an x86-64 CloudABI ET_DYN with no program headers. */
static inline void elf_build_header(struct elf_image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_ident[EI_OSABI] = 17; /* CloudABI */
	im->eh.e_type = ET_DYN;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_phoff = sizeof(Elf64_Ehdr);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->file_size = sizeof(Elf64_Ehdr);
}

/*
 * The reference valid image, laid out like lld's
 * -z separate-loadable-segments output:
 *   ph[0] PT_PHDR       off 0x40   vaddr 0x40   size 7*56
 *   ph[1] PT_LOAD R     off 0      vaddr 0      filesz 0x300 memsz 0x300
 *   ph[2] PT_LOAD R X   off 0x1000 vaddr 0x1000 filesz 0x123 memsz 0x123
 *   ph[3] PT_LOAD RW    off 0x2000 vaddr 0x2000 filesz 0x180 memsz 0x2100
 *   ph[4] PT_TLS  R     off 0x2000 vaddr 0x2000 filesz 0x10  memsz 0x28
 *   ph[5] PT_DYNAMIC RW off 0x2010 vaddr 0x2010 size 0xd0
 *   ph[6] PT_GNU_STACK RW
 * entry 0x1010, file size 0x2180.
 */
#define ELF_BUILD_REF_PHNUM 7
static inline void elf_build_reference(struct elf_image *im)
{
	elf_build_header(im);
	elf_build_add(im, PT_PHDR, PF_R, 0x40, 0x40,
		      ELF_BUILD_REF_PHNUM * sizeof(Elf64_Phdr),
		      ELF_BUILD_REF_PHNUM * sizeof(Elf64_Phdr), 8);
	elf_build_add(im, PT_LOAD, PF_R, 0, 0, 0x300, 0x300, 0x1000);
	elf_build_add(im, PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x123, 0x123,
		      0x1000);
	elf_build_add(im, PT_LOAD, PF_R | PF_W, 0x2000, 0x2000, 0x180, 0x2100,
		      0x1000);
	elf_build_add(im, PT_TLS, PF_R, 0x2000, 0x2000, 0x10, 0x28, 8);
	elf_build_add(im, PT_DYNAMIC, PF_R | PF_W, 0x2010, 0x2010, 0xd0, 0xd0,
		      8);
	elf_build_add(im, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0);
	im->eh.e_entry = 0x1010;
	im->file_size = 0x2180;
}

/*
 * Writes the first min(cap, file_size) bytes of the image into buf and
 * returns how many were written.  Bytes not covered by the headers are zero.
 */
static inline size_t elf_build_write(const struct elf_image *im,
				     unsigned char *buf, size_t cap)
{
	size_t len = im->file_size < cap ? (size_t)im->file_size : cap;
	unsigned int i;

	memset(buf, 0, len);
	memcpy(buf, &im->eh, len < sizeof(im->eh) ? len : sizeof(im->eh));
	if (im->eh.e_phoff >= len)
		return len;
	for (i = 0; i < im->nph && i < im->eh.e_phnum; i++) {
		uint64_t off = im->eh.e_phoff + i * sizeof(Elf64_Phdr);

		if (off >= len)
			break;
		memcpy(buf + off, &im->ph[i],
		       len - off < sizeof(Elf64_Phdr) ? len - off
						      : sizeof(Elf64_Phdr));
	}
	return len;
}

#endif

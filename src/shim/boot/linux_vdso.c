/* linux_vdso.c: finds functions in the kernel's own vDSO, so clock reads need no system call. */
#include "shim/boot/linux_vdso.h"

#include <stdint.h>

#include <linux/elf.h>

#include "shim/libc.h"

static int same_name(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void *linux_vdso_lookup(const void *base, const char *name)
{
	if (base == NULL)
		return NULL;
	const unsigned char *image = base;
	const Elf64_Ehdr *eh = base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr))
		return NULL;

	/* The kernel maps the image as one piece: bias = base - the vaddr
	 * of the load segment at file offset 0. */
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(image + eh->e_phoff);
	uint64_t bias = 0;
	const Elf64_Dyn *dyn = NULL;
	int have_load = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			bias = (uint64_t)(uintptr_t)base - ph[i].p_vaddr +
			       ph[i].p_offset;
			have_load = 1;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const Elf64_Dyn *)(image + ph[i].p_offset);
		}
	}
	if (!have_load || dyn == NULL)
		return NULL;

	const uint32_t *hash = NULL;
	const Elf64_Sym *symtab = NULL;
	const char *strtab = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		const void *p =
			(const void *)(uintptr_t)(bias + dyn->d_un.d_ptr);
		if (dyn->d_tag == DT_HASH)
			hash = p;
		else if (dyn->d_tag == DT_SYMTAB)
			symtab = p;
		else if (dyn->d_tag == DT_STRTAB)
			strtab = p;
	}
	if (hash == NULL || symtab == NULL || strtab == NULL)
		return NULL;
	uint32_t nsyms = hash[1];
	for (uint32_t i = 0; i < nsyms; i++) {
		const Elf64_Sym *s = &symtab[i];
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
		    s->st_shndx == SHN_UNDEF)
			continue;
		if (same_name(strtab + s->st_name, name))
			return (void *)(uintptr_t)(bias + s->st_value);
	}
	return NULL;
}

/* tls.c: per-thread TLS blocks (x86-64 variant II) and the %fs:0 thread-pointer protocol. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "capbox_internal.h"

/* The program's PT_TLS segment, recorded once by __capbox_tls_init. */
static const unsigned char *tls_image; /* initialisation image */
static size_t tls_filesz;              /* bytes of tls_image */
static size_t tls_memsz;               /* block size; the rest is zeroed */
static size_t tls_align = 1;           /* power of two */
static size_t tls_offset;              /* thread pointer - block start */

void __capbox_tls_init(const struct capbox_elf_phdr *phdr, size_t phnum,
		       uintptr_t base)
{
	for (size_t i = 0; i < phnum; i++) {
		if (phdr[i].p_type != CAPBOX_PT_TLS)
			continue;
		size_t align = phdr[i].p_align;
		if (align < 2)
			align = 1;
		if ((align & (align - 1)) != 0)
			__builtin_trap(); /* not a valid ELF file */
		tls_image = (const unsigned char *)(base + phdr[i].p_vaddr);
		tls_filesz = phdr[i].p_filesz;
		tls_memsz = phdr[i].p_memsz;
		tls_align = align;
		/*
		 * Variant II: the block ends at the thread pointer, padded so
		 * that the block start is congruent to p_vaddr modulo p_align
		 * (the linker computed every @tpoff offset the same way).
		 */
		tls_offset = tls_memsz +
			     ((0 - phdr[i].p_vaddr - tls_memsz) & (align - 1));
		return;
	}
}

size_t __capbox_tls_area_size(void)
{
	size_t align = tls_align < alignof(cloudabi_tcb_t)
			       ? alignof(cloudabi_tcb_t)
			       : tls_align;
	return tls_offset + sizeof(cloudabi_tcb_t) + align - 1;
}

cloudabi_tcb_t *__capbox_tls_install(void *area, size_t size)
{
	size_t align = tls_align < alignof(cloudabi_tcb_t)
			       ? alignof(cloudabi_tcb_t)
			       : tls_align;
	if (size < __capbox_tls_area_size())
		__builtin_trap();

	/* The highest suitably aligned tcb slot that fits in the area. */
	uintptr_t tp = ((uintptr_t)area + size - sizeof(cloudabi_tcb_t)) &
		       ~(uintptr_t)(align - 1);
	unsigned char *block = (unsigned char *)(tp - tls_offset);
	memset(block, 0, tls_offset);
	if (tls_filesz > 0)
		memcpy(block, tls_image, tls_filesz);

	/* Copy the host's tcb, then make %fs:0 point at the copy. */
	const cloudabi_tcb_t *host = __capbox_tp_get();
	cloudabi_tcb_t *tcb = (cloudabi_tcb_t *)tp;
	*tcb = *host;
	__capbox_tp_set(tcb);
	return tcb;
}

/* vdso.c: builds the in-memory ELF image (vDSO) that exports cloudabi_sys_* to the program. */
#include "shim/boot/vdso.h"

#include <linux/elf.h>

#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/syscalls.h"
#include "shim/trace.h"

/*
 * The program's start-up code walks this image: ELF header -> program
 * headers -> PT_DYNAMIC -> DT_HASH (nchain = number of symbols), DT_SYMTAB,
 * DT_STRTAB.  Every symbol's value is relative to the image base; the
 * functions live in the shim's text, so st_value is (function - image),
 * which wraps around when the shim lies below the image.
 */
#define VDSO_NSYMS (CLOUDABI_SYS__COUNT + 1) /* + the null symbol */
#define VDSO_NBUCKETS 17
#define VDSO_NDYN 6
#define VDSO_PREFIX "cloudabi_sys_"
#define ELFOSABI_CLOUDABI 17

struct vdso_layout {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr[2];
	Elf64_Dyn dyn[VDSO_NDYN];
	uint32_t hash[2 + VDSO_NBUCKETS + VDSO_NSYMS];
	Elf64_Sym sym[VDSO_NSYMS];
	char str[]; /* names follow */
};

struct vdso_builder {
	struct vdso_layout *image;
	size_t nsyms;
	size_t strlen;
	size_t strcap;
};

static uint32_t elf_hash(const char *name)
{
	uint32_t h = 0;
	for (; *name != '\0'; name++) {
		h = (h << 4) + (unsigned char)*name;
		uint32_t g = h & 0xf0000000u;
		if (g != 0)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

static void vdso_add(struct vdso_builder *b, const char *name, uintptr_t fn)
{
	size_t len = shim_strlen(name) + 1;
	if (b->nsyms >= VDSO_NSYMS || len > b->strcap - b->strlen)
		shim_fatal(SHIM_EXIT_LOAD_FAILED, "vDSO image too small", 0);
	struct vdso_layout *img = b->image;
	size_t index = b->nsyms++;
	memcpy(img->str + b->strlen, name, len);
	img->sym[index] = (Elf64_Sym){
		.st_name = (uint32_t)b->strlen,
		.st_info = (STB_GLOBAL << 4) | STT_FUNC,
		.st_other = 0, /* STV_DEFAULT */
		.st_shndx = 1, /* defined (there are no section headers) */
		.st_value = (uint64_t)fn - (uint64_t)(uintptr_t)img,
		.st_size = 0,
	};
	b->strlen += len;

	/* Chain the symbol into its bucket. */
	uint32_t *buckets = &img->hash[2];
	uint32_t *chains = &img->hash[2 + VDSO_NBUCKETS];
	uint32_t *slot = &buckets[elf_hash(name) % VDSO_NBUCKETS];
	while (*slot != 0)
		slot = &chains[*slot];
	*slot = (uint32_t)index;
}

const void *vdso_build(void)
{
	size_t size = shim_proc.page_size;
	struct vdso_layout *img = linux_mmap(NULL, size, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1,
					     0);
	if (linux_mmap_failed(img))
		shim_fatal(SHIM_EXIT_LOAD_FAILED, "cannot map the vDSO",
			   (long)img);

	img->ehdr = (Elf64_Ehdr){
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			    ELFDATA2LSB, EV_CURRENT, ELFOSABI_CLOUDABI},
		.e_type = ET_DYN,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_phoff = offsetof(struct vdso_layout, phdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 2,
	};
	img->phdr[0] = (Elf64_Phdr){
		.p_type = PT_LOAD,
		.p_flags = PF_R,
		.p_memsz = size,
		.p_filesz = size,
		.p_align = shim_proc.page_size,
	};
	img->phdr[1] = (Elf64_Phdr){
		.p_type = PT_DYNAMIC,
		.p_flags = PF_R,
		.p_offset = offsetof(struct vdso_layout, dyn),
		.p_vaddr = offsetof(struct vdso_layout, dyn),
		.p_memsz = sizeof(img->dyn),
		.p_filesz = sizeof(img->dyn),
		.p_align = 8,
	};
	img->hash[0] = VDSO_NBUCKETS;
	img->hash[1] = VDSO_NSYMS;

	struct vdso_builder b = {
		.image = img,
		.nsyms = 1,
		.strlen = 1, /* the empty name of the null symbol */
		.strcap = size - offsetof(struct vdso_layout, str),
	};
	/* With --trace the program gets the traced wrappers: without it,
	 * the plain calls, at no cost at all (shim/trace.h).  Built with
	 * TRACE=0, the wrappers are never used and the linker drops them. */
#define SHIM_VDSO_ADD(name, ret, params, args)                                 \
	vdso_add(&b, VDSO_PREFIX #name,                                        \
		 CAPBOX_TRACE &&shim_proc.trace                                \
			 ? (uintptr_t)&shim_traced_##name                      \
			 : (uintptr_t)&cloudabi_sys_##name);
	CLOUDABI_SYSCALLS(SHIM_VDSO_ADD)
#undef SHIM_VDSO_ADD

	img->dyn[0] = (Elf64_Dyn){DT_HASH,
				  {offsetof(struct vdso_layout, hash)}};
	img->dyn[1] = (Elf64_Dyn){DT_SYMTAB,
				  {offsetof(struct vdso_layout, sym)}};
	img->dyn[2] = (Elf64_Dyn){DT_STRTAB,
				  {offsetof(struct vdso_layout, str)}};
	img->dyn[3] = (Elf64_Dyn){DT_STRSZ, {b.strlen}};
	img->dyn[4] = (Elf64_Dyn){DT_SYMENT, {sizeof(Elf64_Sym)}};
	img->dyn[5] = (Elf64_Dyn){DT_NULL, {0}};

	long err = linux_syscall3(__NR_mprotect, img, size, PROT_READ);
	if (err < 0)
		shim_fatal(SHIM_EXIT_LOAD_FAILED, "cannot protect the vDSO",
			   err);
	return img;
}

/* syscalls.c: the system call table, its ENOSYS stubs, the cloudabi_sys_* wrappers and linking them to the vDSO. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <stdint.h>
#include <string.h>

#include "capbox_internal.h"

/* One function pointer per system call, filled in by __capbox_vdso_link. */
struct capbox_syscall_table {
#define CAPBOX_TABLE_MEMBER_(name, ret, params, args) ret(*name) params;
	CLOUDABI_SYSCALLS(CAPBOX_TABLE_MEMBER_)
#undef CAPBOX_TABLE_MEMBER_
};

/*
 * Stubs for calls the vDSO does not provide: ENOSYS, or a trap for the two
 * calls that must not return (without a vDSO nothing else ends the
 * process).  They ignore their parameters by design.
 */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-parameter"
#define CAPBOX_STUB_RETURN_(name, ret, params, args)                           \
	static ret capbox_stub_##name params                                   \
	{                                                                      \
		return CLOUDABI_ENOSYS;                                        \
	}
#define CAPBOX_STUB_TRAP_(name, ret, params, args)                             \
	static _Noreturn ret capbox_stub_##name params                         \
	{                                                                      \
		for (;;)                                                       \
			__builtin_trap();                                      \
	}
#define CAPBOX_STUB_KIND_proc_exit ~, CAPBOX_STUB_TRAP_
#define CAPBOX_STUB_KIND_thread_exit ~, CAPBOX_STUB_TRAP_
#define CAPBOX_STUB_(name, ret, params, args)                                  \
	CAPBOX_SYSCALL_PICK_(CAPBOX_STUB_KIND_##name, CAPBOX_STUB_RETURN_)     \
	(name, ret, params, args)
CLOUDABI_SYSCALLS(CAPBOX_STUB_)
#pragma clang diagnostic pop

/*
 * The table starts out pointing at the stubs.  Those pointers are
 * R_X86_64_RELATIVE relocations, valid once crt0 has relocated the image.
 */
static struct capbox_syscall_table capbox_syscalls = {
#define CAPBOX_TABLE_INIT_(name, ret, params, args) .name = capbox_stub_##name,
	CLOUDABI_SYSCALLS(CAPBOX_TABLE_INIT_)
#undef CAPBOX_TABLE_INIT_
};

/* The public wrappers: a tail call through the table. */
#define CAPBOX_WRAP_RETURN_(name, ret, params, args)                           \
	ret cloudabi_sys_##name params                                         \
	{                                                                      \
		return capbox_syscalls.name args;                              \
	}
#define CAPBOX_WRAP_NORETURN_(name, ret, params, args)                         \
	_Noreturn ret cloudabi_sys_##name params                               \
	{                                                                      \
		capbox_syscalls.name args;                                     \
		for (;;)                                                       \
			__builtin_trap();                                      \
	}
/* proc_fork also gives the child's only thread its new id, so that the
 * locks it takes (malloc's included) carry the right owner. */
#define CAPBOX_WRAP_FORK_(name, ret, params, args)                             \
	ret cloudabi_sys_##name params                                         \
	{                                                                      \
		ret r = capbox_syscalls.name args;                             \
		if (r == 0 && *fd == CLOUDABI_PROCESS_CHILD)                   \
			capbox_thread_forked(*tid);                            \
		return r;                                                      \
	}
#define CAPBOX_WRAP_KIND_proc_fork ~, CAPBOX_WRAP_FORK_
#define CAPBOX_WRAP_KIND_proc_exit ~, CAPBOX_WRAP_NORETURN_
#define CAPBOX_WRAP_KIND_thread_exit ~, CAPBOX_WRAP_NORETURN_
#define CAPBOX_WRAP_(name, ret, params, args)                                  \
	CAPBOX_SYSCALL_PICK_(CAPBOX_WRAP_KIND_##name, CAPBOX_WRAP_RETURN_)     \
	(name, ret, params, args)
CLOUDABI_SYSCALLS(CAPBOX_WRAP_)

#define CAPBOX_VDSO_PREFIX "cloudabi_sys_"

/* Store addr into the table slot of the call called name; 0 if unknown. */
static int capbox_vdso_bind(const char *name, uintptr_t addr)
{
#define CAPBOX_BIND_(n, ret, params, args)                                     \
	if (strcmp(name, #n) == 0) {                                           \
		capbox_syscalls.n = (__typeof__(capbox_syscalls.n))addr;       \
		return 1;                                                      \
	}
	CLOUDABI_SYSCALLS(CAPBOX_BIND_)
#undef CAPBOX_BIND_
	return 0;
}

size_t __capbox_vdso_link(const void *ehdr_ptr)
{
	const struct capbox_elf_ehdr *ehdr = ehdr_ptr;
	if (ehdr == NULL || memcmp(ehdr->e_ident, "\177ELF\2\1", 6) != 0 ||
	    ehdr->e_phentsize != sizeof(struct capbox_elf_phdr))
		return 0;

	/*
	 * The vDSO is an ELF file image in memory: headers at their file
	 * offsets, dynamic-section values and symbol values relative to the
	 * image's base (its ELF header); wrap-around is intended.
	 */
	uintptr_t base = (uintptr_t)ehdr;
	const struct capbox_elf_phdr *phdr =
		(const struct capbox_elf_phdr *)(base + ehdr->e_phoff);
	const struct capbox_elf_dyn *dyn = NULL;
	for (size_t i = 0; i < ehdr->e_phnum; i++) {
		if (phdr[i].p_type == CAPBOX_PT_DYNAMIC) {
			dyn = (const struct capbox_elf_dyn *)(base +
							      phdr[i].p_offset);
			break;
		}
	}
	if (dyn == NULL)
		return 0;

	const uint32_t *hash = NULL;
	const struct capbox_elf_sym *symtab = NULL;
	const char *strtab = NULL;
	for (; dyn->d_tag != CAPBOX_DT_NULL; dyn++) {
		if (dyn->d_tag == CAPBOX_DT_HASH)
			hash = (const uint32_t *)(base + dyn->d_val);
		else if (dyn->d_tag == CAPBOX_DT_SYMTAB)
			symtab = (const struct capbox_elf_sym *)(base +
								 dyn->d_val);
		else if (dyn->d_tag == CAPBOX_DT_STRTAB)
			strtab = (const char *)(base + dyn->d_val);
	}
	if (hash == NULL || symtab == NULL || strtab == NULL)
		return 0;

	size_t nsyms = hash[1]; /* nchain */
	size_t prefix_len = sizeof(CAPBOX_VDSO_PREFIX) - 1;
	size_t linked = 0;
	for (size_t i = 0; i < nsyms; i++) {
		const struct capbox_elf_sym *sym = &symtab[i];
		if ((sym->st_info >> 4) != CAPBOX_STB_GLOBAL ||
		    (sym->st_info & 0xf) != CAPBOX_STT_FUNC ||
		    (sym->st_other & 0x3) != CAPBOX_STV_DEFAULT ||
		    sym->st_shndx == CAPBOX_SHN_UNDEF)
			continue;
		const char *name = strtab + sym->st_name;
		if (strncmp(name, CAPBOX_VDSO_PREFIX, prefix_len) != 0)
			continue;
		linked += (size_t)capbox_vdso_bind(name + prefix_len,
						   base + sym->st_value);
	}
	return linked;
}

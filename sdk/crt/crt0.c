/* crt0.c: program start-up: auxv, self-relocation, vDSO linking, TLS, constructors, then program_main. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../libc/capbox_internal.h"

/*
 * The host maps the program but does not relocate it, so until
 * relocate_self has run, no pointer stored in initialised data is valid.
 * The code before that point therefore reads only the auxiliary vector,
 * the program headers and the dynamic section, uses short if-chains rather
 * than switch statements (no jump tables; those of x86-64 PIC code hold
 * only PC-relative offsets anyway), and calls nothing but functions of this
 * file and memset.  None of it has a stack protector.
 */
#define CRT0_EARLY static __attribute__((no_stack_protector))

typedef void (*capbox_ctor_t)(void);
/* From crtbegin.o and crtend.o, the ends of the .ctors list. */
extern capbox_ctor_t __capbox_ctors_begin[1]
	__attribute__((visibility("hidden")));
extern capbox_ctor_t __capbox_ctors_end[1]
	__attribute__((visibility("hidden")));

_Noreturn void _start(const cloudabi_auxv_t *auxv);

/*
 * Hide a value from the optimiser, so that a chain of comparisons of it is
 * not merged into a switch (and so a jump table) before relocation.
 */
#define CRT0_OPAQUE(v) __asm__("" : "+r"(v))

/* Step 1a, before relocating: only where the program is. */
CRT0_EARLY void read_auxv_early(const cloudabi_auxv_t *auxv,
				struct capbox_startup *s)
{
	for (; auxv->a_type != CLOUDABI_AT_NULL; auxv++) {
		cloudabi_auxtype_t t = auxv->a_type;
		if (t == CLOUDABI_AT_BASE)
			s->base = (uintptr_t)auxv->a_ptr;
		CRT0_OPAQUE(t);
		if (t == CLOUDABI_AT_PHDR)
			s->phdr = auxv->a_ptr;
		CRT0_OPAQUE(t);
		if (t == CLOUDABI_AT_PHNUM)
			s->phnum = auxv->a_val;
	}
}

/* Step 1b, once relocated: everything else in the auxiliary vector. */
static void read_auxv(const cloudabi_auxv_t *auxv, struct capbox_startup *s)
{
	s->pagesz = 1;
	s->ncpus = 1;
	for (; auxv->a_type != CLOUDABI_AT_NULL; auxv++) {
		switch (auxv->a_type) {
		case CLOUDABI_AT_SYSINFO_EHDR:
			s->vdso = auxv->a_ptr;
			break;
		case CLOUDABI_AT_ARGDATA:
			s->argdata = auxv->a_ptr;
			break;
		case CLOUDABI_AT_ARGDATALEN:
			s->argdatalen = auxv->a_val;
			break;
		case CLOUDABI_AT_PAGESZ:
			s->pagesz = auxv->a_val;
			break;
		case CLOUDABI_AT_TID:
			s->tid = (cloudabi_tid_t)auxv->a_val;
			break;
		case CLOUDABI_AT_NCPUS:
			s->ncpus = auxv->a_val;
			break;
		case CLOUDABI_AT_CANARY:
			s->canary = auxv->a_ptr;
			break;
		case CLOUDABI_AT_CANARYLEN:
			s->canarylen = auxv->a_val;
			break;
		case CLOUDABI_AT_PID:
			s->pid = auxv->a_ptr;
			break;
		default:
			break;
		}
	}
}

/*
 * Step 2: apply our own R_X86_64_RELATIVE relocations (the only kind a
 * static PIE may have).  Anything else means the program was linked wrong:
 * trap, since nothing (not even proc_exit) is reachable yet.
 */
CRT0_EARLY void relocate_self(const struct capbox_startup *s)
{
	const struct capbox_elf_dyn *dyn = NULL;
	for (size_t i = 0; i < s->phnum; i++) {
		if (s->phdr[i].p_type == CAPBOX_PT_DYNAMIC)
			dyn = (const struct capbox_elf_dyn
				       *)(s->base + s->phdr[i].p_vaddr);
	}
	if (dyn == NULL)
		return; /* nothing to relocate */

	uintptr_t rela = 0;
	size_t relasz = 0;
	size_t relaent = sizeof(struct capbox_elf_rela);
	for (; dyn->d_tag != CAPBOX_DT_NULL; dyn++) {
		int64_t tag = dyn->d_tag;
		if (tag == CAPBOX_DT_RELA)
			rela = s->base + dyn->d_val;
		CRT0_OPAQUE(tag);
		if (tag == CAPBOX_DT_RELASZ)
			relasz = dyn->d_val;
		CRT0_OPAQUE(tag);
		if (tag == CAPBOX_DT_RELAENT)
			relaent = dyn->d_val;
		CRT0_OPAQUE(tag);
		if ((tag == CAPBOX_DT_RELSZ || tag == CAPBOX_DT_RELRSZ) &&
		    dyn->d_val != 0)
			__builtin_trap(); /* REL / RELR: not produced for us */
	}
	if (relasz != 0 &&
	    (rela == 0 || relaent < sizeof(struct capbox_elf_rela)))
		__builtin_trap();

	for (size_t off = 0; off < relasz; off += relaent) {
		const struct capbox_elf_rela *r =
			(const struct capbox_elf_rela *)(rela + off);
		uint32_t type = (uint32_t)r->r_info;
		CRT0_OPAQUE(type);
		if (type == CAPBOX_R_X86_64_RELATIVE)
			*(uintptr_t *)(s->base + r->r_offset) =
				s->base + (uintptr_t)r->r_addend;
		else if (type != CAPBOX_R_X86_64_NONE)
			__builtin_trap();
	}
}

/* After linking the vDSO: make the RELRO pages read-only (best effort). */
static void protect_relro(const struct capbox_startup *s)
{
	size_t page = __capbox_pagesize;
	for (size_t i = 0; i < s->phnum; i++) {
		const struct capbox_elf_phdr *ph = &s->phdr[i];
		if (ph->p_type != CAPBOX_PT_GNU_RELRO)
			continue;
		uintptr_t start = (s->base + ph->p_vaddr) & ~(page - 1);
		uintptr_t end = (s->base + ph->p_vaddr + ph->p_memsz) &
				~(page - 1);
		if (end > start)
			cloudabi_sys_mem_protect((void *)start, end - start,
						 CLOUDABI_PROT_READ);
	}
}

/* The stack protector's guard from AT_CANARY, keeping a zero low byte. */
static void setup_canary(const struct capbox_startup *s)
{
	uintptr_t guard = 0;
	if (s->canary == NULL)
		return;
	memcpy(&guard, s->canary,
	       s->canarylen < sizeof(guard) ? s->canarylen : sizeof(guard));
	__stack_chk_guard = guard & ~(uintptr_t)0xff;
}

/* Step 5: the .ctors entries, last to first, each exactly once. */
static void run_constructors(void)
{
	capbox_ctor_t *p = __capbox_ctors_end;
	/* Compare addresses as integers: they bound one output section. */
	while ((uintptr_t)p > (uintptr_t)(__capbox_ctors_begin + 1)) {
		p--;
		capbox_ctor_t fn = *p;
		if (fn != (capbox_ctor_t)0 && fn != (capbox_ctor_t)-1)
			fn();
	}
}

/* The TLS areas of the main thread at most this big live on the stack. */
#define MAIN_TLS_ON_STACK_MAX (256 * 1024)

/* Entered from the host with %rsp = 8 mod 16, like an ordinary call. */
__attribute__((no_stack_protector, used)) void _start(
	const cloudabi_auxv_t *auxv)
{
	/* memset only writes, so it is safe before relocating. */
	struct capbox_startup s;
	memset(&s, 0, sizeof(s));

	read_auxv_early(auxv, &s);
	if (s.phdr == NULL)
		__builtin_trap();
	relocate_self(&s);

	/* Relocated: initialised pointers are valid from here on. */
	read_auxv(auxv, &s);
	if (s.pagesz >= 16 && (s.pagesz & (s.pagesz - 1)) == 0)
		__capbox_pagesize = s.pagesz;
	__capbox_main_tid = s.tid;
	__capbox_vdso_link(s.vdso);
	protect_relro(&s);
	setup_canary(&s);

	/* Step 4: the main thread's TLS block, on the stack if small. */
	__capbox_tls_init(s.phdr, s.phnum, s.base);
	size_t tls_size = __capbox_tls_area_size();
	void *tls_area;
	if (tls_size <= MAIN_TLS_ON_STACK_MAX) {
		tls_area = __builtin_alloca(tls_size);
	} else if (cloudabi_sys_mem_map(
			   NULL, tls_size,
			   CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
			   CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
			   CLOUDABI_MAP_ANON_FD, 0, &tls_area) != 0) {
		abort();
	}
	__capbox_tls_install(tls_area, tls_size);

	run_constructors();

	/* Step 6: the program. */
	argdata_t ad = argdata_from_buffer(
		s.argdata, s.argdata != NULL ? s.argdatalen : 0);
	program_main(&ad);
	exit(0);
}

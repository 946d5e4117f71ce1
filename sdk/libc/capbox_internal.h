/* capbox_internal.h: private interfaces between the SDK's start-up code (crt0) and its C library. */
#ifndef CAPBOX_SDK_INTERNAL_H
#define CAPBOX_SDK_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cloudabi/abi.h>

/*
 * The few ELF definitions the start-up code needs (the SDK has no <elf.h>).
 * Field names and values follow the ELF-64 specification.
 */
#define CAPBOX_PT_LOAD 1
#define CAPBOX_PT_DYNAMIC 2
#define CAPBOX_PT_TLS 7
#define CAPBOX_PT_GNU_RELRO 0x6474e552
#define CAPBOX_DT_NULL 0
#define CAPBOX_DT_HASH 4
#define CAPBOX_DT_STRTAB 5
#define CAPBOX_DT_SYMTAB 6
#define CAPBOX_DT_RELA 7
#define CAPBOX_DT_RELASZ 8
#define CAPBOX_DT_RELAENT 9
#define CAPBOX_DT_REL 17
#define CAPBOX_DT_RELSZ 18
#define CAPBOX_DT_RELRSZ 35
#define CAPBOX_R_X86_64_NONE 0
#define CAPBOX_R_X86_64_RELATIVE 8
#define CAPBOX_STB_GLOBAL 1
#define CAPBOX_STT_FUNC 2
#define CAPBOX_STV_DEFAULT 0
#define CAPBOX_SHN_UNDEF 0

struct capbox_elf_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct capbox_elf_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

struct capbox_elf_dyn {
	int64_t d_tag;
	uint64_t d_val;
};

struct capbox_elf_rela {
	uint64_t r_offset;
	uint64_t r_info;
	int64_t r_addend;
};

struct capbox_elf_sym {
	uint32_t st_name;
	unsigned char st_info;
	unsigned char st_other;
	uint16_t st_shndx;
	uint64_t st_value;
	uint64_t st_size;
};

/* What the start-up code learnt from the auxiliary vector. */
struct capbox_startup {
	uintptr_t base;                     /* AT_BASE: load address */
	const struct capbox_elf_phdr *phdr; /* AT_PHDR */
	size_t phnum;                       /* AT_PHNUM */
	const void *vdso;                   /* AT_SYSINFO_EHDR (or NULL) */
	const void *argdata;                /* AT_ARGDATA */
	size_t argdatalen;                  /* AT_ARGDATALEN */
	size_t pagesz;                      /* AT_PAGESZ (1 if absent) */
	cloudabi_tid_t tid;                 /* AT_TID */
	size_t ncpus;                       /* AT_NCPUS */
	const void *canary;                 /* AT_CANARY */
	size_t canarylen;                   /* AT_CANARYLEN */
	const void *pid;                    /* AT_PID */
};

/* Process-wide facts kept by the C library (set once by crt0). */
extern size_t __capbox_pagesize;
extern cloudabi_tid_t __capbox_main_tid;

/*
 * Point every system call at the vDSO's cloudabi_sys_<name> function.
 * Calls the vDSO does not export keep returning CLOUDABI_ENOSYS (proc_exit
 * and thread_exit then trap).  Returns the number of calls linked.
 */
size_t __capbox_vdso_link(const void *ehdr);

/*
 * Thread-local storage.  __capbox_tls_init records the program's PT_TLS
 * segment once.  For every thread (the main one included):
 *   size = __capbox_tls_area_size();
 *   area = <size bytes of writable memory, any alignment>;
 *   __capbox_tls_install(area, size);
 * initialises the thread's TLS block in area (init image, zeroed rest),
 * copies the tcb that %fs:0 currently points at into area just above the
 * block and stores a pointer to that copy in %fs:0.  The %fs base itself is
 * never changed.  The area must stay alive as long as the thread runs.
 */
void __capbox_tls_init(const struct capbox_elf_phdr *phdr, size_t phnum,
		       uintptr_t base);
size_t __capbox_tls_area_size(void);
cloudabi_tcb_t *__capbox_tls_install(void *area, size_t size);

/* Read / write the word at %fs:0 (the current thread pointer). */
static inline void *__capbox_tp_get(void)
{
	void *tp;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

static inline void __capbox_tp_set(void *tp)
{
	__asm__ volatile("movq %0, %%fs:0" : : "r"(tp) : "memory");
}

/* The exact decimal expansion of a finite, non-negative double (decimal.c):
 * its value is 0.D * 10^point, D = digits[0..ndigits) with no leading or
 * trailing zeros; zero has ndigits 0. */
#define CAPBOX_DECIMAL_DIGITS 800 /* 2^-1074 * 2^53 needs 767 */
struct capbox_decimal {
	char digits[CAPBOX_DECIMAL_DIGITS];
	int ndigits;
	int point;
};
void __capbox_decimal_exact(double magnitude, struct capbox_decimal *d);
/* Keeps the first `keep` digits of D, rounding half to even; keep < 0
 * makes it zero (the value is below half a unit of the place kept). */
void __capbox_decimal_round(struct capbox_decimal *d, int keep);

/*
 * The printf engine shared by dprintf and snprintf.  It hands the output
 * to sink->put in pieces, in order; put may drop bytes (a full buffer, a
 * failed write) but the engine counts them all.  Returns 0 and the total
 * length in *total, or an errno value (EINVAL for a bad format, EOVERFLOW
 * if the total would exceed INT_MAX).
 */
struct capbox_sink {
	void (*put)(struct capbox_sink *sink, const char *data, size_t len);
};
int __capbox_vformat(struct capbox_sink *sink, size_t *total,
		     const char *format, va_list ap);

/* Stack protector guard, for programs built with -fstack-protector. */
extern uintptr_t __stack_chk_guard;

#endif

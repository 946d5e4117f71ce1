/* test_elf_plan.c: unit tests for the ELF validator and load planner (src/loader/elf_plan.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "elf_build.h"
#include "loader/elf_plan.h"

#define PAGE 4096u

static unsigned char buf[ELF_PLAN_HEAD_SIZE];
static struct elf_image im;
static struct elf_plan plan;

/* Serializes im and plans it; head_len = what a caller would read. */
static int plan_image(const struct elf_image *img, uint64_t page,
		      const char **err)
{
	size_t len = elf_build_write(img, buf, sizeof(buf));

	*err = NULL;
	return elf_plan_build(buf, len, img->file_size, page, &plan, err);
}

static void expect_fail_page(const struct elf_image *img, uint64_t page,
			     const char *want, const char *desc)
{
	const char *err;
	int rc = plan_image(img, page, &err);

	CHECK(rc == -1 && err != NULL && strcmp(err, want) == 0,
	      "rejects %s: \"%s\"", desc, want);
	if (rc != -1 || err == NULL || strcmp(err, want) != 0)
		dprintf(check_out_fd, "#   got rc %d, \"%s\"\n", rc,
			err ? err : "(null)");
}

static void expect_fail(const struct elf_image *img, const char *want,
			const char *desc)
{
	expect_fail_page(img, PAGE, want, desc);
}

static int expect_ok(const struct elf_image *img, const char *desc)
{
	const char *err;
	int rc = plan_image(img, PAGE, &err);

	CHECK(rc == 0, "accepts %s", desc);
	if (rc != 0)
		dprintf(check_out_fd, "#   error: %s\n", err ? err : "(null)");
	return rc;
}

/* Applies the statements to a fresh reference image and expects `msg`. */
#define MUTATE(msg, ...)                                                       \
	do {                                                                   \
		elf_build_reference(&im);                                      \
		__VA_ARGS__;                                                   \
		expect_fail(&im, msg, #__VA_ARGS__);                           \
	} while (0)

#define ACCEPT(...)                                                            \
	do {                                                                   \
		elf_build_reference(&im);                                      \
		__VA_ARGS__;                                                   \
		expect_ok(&im, #__VA_ARGS__);                                  \
	} while (0)

static void check_seg(unsigned int i, uint64_t vaddr, uint64_t offset,
		      uint64_t file_len, uint64_t mem_len, uint64_t zero_start,
		      uint64_t zero_end, unsigned int prot)
{
	const struct elf_plan_segment *s = &plan.loads[i];

	CHECK(s->vaddr == vaddr && s->offset == offset &&
		      s->file_len == file_len && s->mem_len == mem_len &&
		      s->zero_start == zero_start && s->zero_end == zero_end &&
		      s->prot == prot,
	      "load %u is {vaddr %#llx off %#llx file %#llx mem %#llx zero "
	      "%#llx-%#llx prot %u}",
	      i, (unsigned long long)vaddr, (unsigned long long)offset,
	      (unsigned long long)file_len, (unsigned long long)mem_len,
	      (unsigned long long)zero_start, (unsigned long long)zero_end,
	      prot);
	if (s->vaddr != vaddr || s->offset != offset ||
	    s->file_len != file_len || s->mem_len != mem_len ||
	    s->zero_start != zero_start || s->zero_end != zero_end ||
	    s->prot != prot)
		dprintf(check_out_fd,
			"#   got {vaddr %#llx off %#llx file %#llx mem %#llx "
			"zero %#llx-%#llx prot %u}\n",
			(unsigned long long)s->vaddr,
			(unsigned long long)s->offset,
			(unsigned long long)s->file_len,
			(unsigned long long)s->mem_len,
			(unsigned long long)s->zero_start,
			(unsigned long long)s->zero_end, s->prot);
}

#define R ELF_PLAN_PROT_READ
#define W ELF_PLAN_PROT_WRITE
#define X ELF_PLAN_PROT_EXEC

static void test_reference(void)
{
	elf_build_reference(&im);
	if (expect_ok(&im, "the reference image") != 0)
		return;
	CHECK_EQ(plan.type, ET_DYN, "type is ET_DYN");
	CHECK_EQ(plan.osabi, 17, "osabi is CloudABI");
	CHECK_EQ(plan.entry, 0x1010, "entry");
	CHECK_EQ(plan.span_start, 0, "span start");
	CHECK_EQ(plan.span_len, 0x5000, "span length");
	CHECK_EQ(plan.max_align, PAGE, "max align");
	CHECK_EQ(plan.phoff, 64, "phoff");
	CHECK_EQ(plan.phnum, ELF_BUILD_REF_PHNUM, "phnum");
	CHECK(plan.have_phdr_vaddr, "phdr vaddr known");
	CHECK_EQ(plan.phdr_vaddr, 0x40, "phdr vaddr from PT_PHDR");
	CHECK(plan.have_tls, "has TLS");
	CHECK_EQ(plan.tls.vaddr, 0x2000, "tls vaddr");
	CHECK_EQ(plan.tls.filesz, 0x10, "tls filesz");
	CHECK_EQ(plan.tls.memsz, 0x28, "tls memsz");
	CHECK_EQ(plan.tls.align, 8, "tls align");
	CHECK(plan.have_dynamic, "has dynamic");
	CHECK_EQ(plan.dynamic_vaddr, 0x2010, "dynamic vaddr");
	CHECK_EQ(plan.dynamic_size, 0xd0, "dynamic size");
	CHECK_EQ(plan.nloads, 3, "three loads");
	check_seg(0, 0, 0, 0x300, 0x1000, 0x300, 0x300, R);
	check_seg(1, 0x1000, 0x1000, 0x123, 0x1000, 0x1123, 0x1123, R | X);
	check_seg(2, 0x2000, 0x2000, 0x180, 0x3000, 0x2180, 0x4100, R | W);
}

static void test_variants(void)
{
	unsigned int i;

	/* ET_EXEC at a fixed address. */
	elf_build_reference(&im);
	im.eh.e_type = ET_EXEC;
	im.eh.e_entry += 0x400000;
	for (i = 0; i < im.nph; i++)
		if (im.ph[i].p_type != PT_GNU_STACK)
			im.ph[i].p_vaddr += 0x400000;
	if (expect_ok(&im, "ET_EXEC at 0x400000") == 0) {
		CHECK_EQ(plan.type, ET_EXEC, "ET_EXEC type");
		CHECK_EQ(plan.span_start, 0x400000, "ET_EXEC span start");
		CHECK_EQ(plan.span_len, 0x5000, "ET_EXEC span length");
		CHECK_EQ(plan.phdr_vaddr, 0x400040, "ET_EXEC phdr vaddr");
		check_seg(2, 0x402000, 0x2000, 0x180, 0x3000, 0x402180,
			  0x404100, R | W);
	}

	ACCEPT(im.eh.e_ident[EI_OSABI] = 0);
	CHECK_EQ(plan.osabi, 0, "SYSV osabi recorded");
	ACCEPT(im.eh.e_ident[EI_OSABI] = 9);
	CHECK_EQ(plan.osabi, 9, "FreeBSD osabi recorded");
	ACCEPT(im.ph[1].p_align = 0; im.ph[2].p_align = 1);
	ACCEPT(im.ph[4].p_align = 0);
	ACCEPT(im.ph[3].p_align = 0x200000);
	CHECK_EQ(plan.max_align, 0x200000, "max align follows p_align");

	/* Without PT_PHDR: found through the load that holds e_phoff. */
	ACCEPT(im.ph[0].p_type = PT_NULL);
	CHECK(plan.have_phdr_vaddr, "phdr found without PT_PHDR");
	CHECK_EQ(plan.phdr_vaddr, 0x40, "phdr vaddr from the first load");

	/* Neither: the caller must copy the headers itself. */
	ACCEPT(im.ph[0].p_type = PT_NULL; im.ph[1].p_type = PT_NULL);
	CHECK(!plan.have_phdr_vaddr, "phdr vaddr unknown when unmapped");
	CHECK_EQ(plan.nloads, 2, "two loads left");

	/* TLS with no file bytes may lie outside every load. */
	ACCEPT(im.ph[4].p_filesz = 0; im.ph[4].p_vaddr = 0x9000);
	CHECK_EQ(plan.tls.vaddr, 0x9000, "unmapped bss-only TLS kept");

	/* Empty PT_LOADs are ignored; no TLS, no dynamic. */
	ACCEPT(elf_build_add(&im, PT_LOAD, PF_R, 0, 0x8000, 0, 0, 0x1000);
	       im.ph[0].p_type = PT_NULL; im.ph[4].p_type = PT_NULL;
	       im.ph[5].p_type = PT_NOTE);
	CHECK_EQ(plan.nloads, 3, "empty load skipped");
	CHECK(!plan.have_tls && !plan.have_dynamic, "no TLS, no dynamic");

	/* A buffer longer than the file is clamped, not trusted. */
	elf_build_reference(&im);
	elf_build_write(&im, buf, sizeof(buf));
	{
		const char *err = NULL;

		CHECK_EQ(elf_plan_build(buf, sizeof(buf), im.file_size, PAGE,
					&plan, &err),
			 0, "head_len above file size accepted");
	}

	/* A big page size: the reference is still congruent and disjoint. */
	{
		const char *err = NULL;
		size_t len;

		elf_build_reference(&im);
		im.ph[2].p_offset = 0x10000;
		im.ph[2].p_vaddr = 0x10000;
		im.ph[3].p_offset = 0x20000;
		im.ph[3].p_vaddr = 0x20000;
		im.ph[4].p_offset = im.ph[4].p_vaddr = 0x20000;
		im.ph[5].p_offset = im.ph[5].p_vaddr = 0x20010;
		im.eh.e_entry = 0x10000;
		im.file_size = 0x20180;
		len = elf_build_write(&im, buf, sizeof(buf));
		CHECK_EQ(elf_plan_build(buf, len, im.file_size, 0x10000, &plan,
					&err),
			 0, "64 KiB pages accepted");
		CHECK_EQ(plan.span_len, 0x30000, "64 KiB pages span");
		check_seg(2, 0x20000, 0x20000, 0x180, 0x10000, 0x20180, 0x22100,
			  R | W);
	}
}

static void test_header_rejects(void)
{
	const char *err;

	elf_build_reference(&im);
	expect_fail_page(&im, 0, "invalid page size", "page size 0");
	expect_fail_page(&im, 3000, "invalid page size", "page size 3000");

	MUTATE("file is empty", im.file_size = 0);
	MUTATE("file too short for an ELF header", im.file_size = 10);
	MUTATE("file too short for an ELF header", im.file_size = 63);
	elf_build_reference(&im);
	elf_build_write(&im, buf, sizeof(buf));
	err = NULL;
	CHECK(elf_plan_build(buf, 32, im.file_size, PAGE, &plan, &err) == -1 &&
		      err && !strcmp(err, "ELF header not in header buffer"),
	      "rejects a 32-byte header buffer");
	err = NULL;
	CHECK(elf_plan_build(buf, 200, im.file_size, PAGE, &plan, &err) == -1 &&
		      err &&
		      !strcmp(err, "program headers outside the header buffer"),
	      "rejects a header buffer that cuts the program headers");

	{
		static const char text[] = "hello world\n";

		err = NULL;
		CHECK(elf_plan_build(text, 12, 12, PAGE, &plan, &err) == -1 &&
			      err &&
			      !strcmp(err, "not an ELF file (bad magic)"),
		      "a short text file is not ELF (not merely too short)");
	}
	MUTATE("not an ELF file (bad magic)", im.eh.e_ident[0] = 0);
	MUTATE("not an ELF file (bad magic)", im.eh.e_ident[EI_MAG3] = 'G');
	MUTATE("not a 64-bit ELF file (ELFCLASS64 expected)",
	       im.eh.e_ident[EI_CLASS] = ELFCLASS32);
	MUTATE("not a little-endian ELF file",
	       im.eh.e_ident[EI_DATA] = ELFDATA2MSB);
	MUTATE("unsupported ELF identification version",
	       im.eh.e_ident[EI_VERSION] = 0);
	MUTATE("unsupported OS ABI (expected CloudABI, FreeBSD or SYSV)",
	       im.eh.e_ident[EI_OSABI] = 3);
	MUTATE("unsupported OS ABI (expected CloudABI, FreeBSD or SYSV)",
	       im.eh.e_ident[EI_OSABI] = 255);
	MUTATE("unsupported ELF version", im.eh.e_version = 2);
	MUTATE("not an x86-64 executable", im.eh.e_machine = EM_AARCH64);
	MUTATE("not an x86-64 executable", im.eh.e_machine = EM_386);
	MUTATE("not an executable (ELF type is neither ET_EXEC nor ET_DYN)",
	       im.eh.e_type = ET_REL);
	MUTATE("not an executable (ELF type is neither ET_EXEC nor ET_DYN)",
	       im.eh.e_type = ET_CORE);
	MUTATE("bad ELF header size", im.eh.e_ehsize = 52);
	MUTATE("bad program header entry size", im.eh.e_phentsize = 32);
	MUTATE("no program headers", im.eh.e_phnum = 0);
	MUTATE("too many program headers",
	       im.eh.e_phnum = ELF_PLAN_MAX_PHNUM + 1);
	MUTATE("too many program headers", im.eh.e_phnum = PN_XNUM);
	MUTATE("program header table offset overflows",
	       im.eh.e_phoff = UINT64_MAX - 100);
	MUTATE("program headers extend past end of file",
	       im.eh.e_phoff = 0x2100);
	MUTATE("program headers outside the header buffer",
	       im.eh.e_phoff = ELF_PLAN_HEAD_SIZE - 100);
}

static void test_segment_rejects(void)
{
	unsigned int i;

	MUTATE("dynamic linking is not supported (PT_INTERP present)",
	       im.ph[6].p_type = PT_INTERP);

	/* PT_LOAD */
	MUTATE("PT_LOAD segment has p_filesz > p_memsz",
	       im.ph[3].p_filesz = 0x2101);
	MUTATE("PT_LOAD segment file range wraps around",
	       im.ph[2].p_offset = UINT64_MAX - 0x10);
	MUTATE("PT_LOAD segment extends past end of file",
	       im.ph[3].p_filesz = 0x181);
	MUTATE("PT_LOAD segment extends past end of file",
	       im.file_size = 0x217f);
	MUTATE("PT_LOAD segment address range wraps around",
	       im.ph[3].p_vaddr = 0xfffffffffffff000);
	MUTATE("PT_LOAD segment above the user address limit",
	       im.ph[3].p_vaddr = 0x7ffffffff000);
	MUTATE("PT_LOAD segment above the user address limit",
	       im.eh.e_type = ET_EXEC;
	       im.ph[1].p_type = PT_NULL; im.ph[2].p_type = PT_NULL;
	       im.ph[3].p_vaddr = 0x7fffffffe000);
	MUTATE("PT_LOAD segment offset and address not congruent modulo the "
	       "page size",
	       im.ph[2].p_vaddr = 0x1800);
	MUTATE("PT_LOAD segment offset and address not congruent modulo the "
	       "page size",
	       im.ph[3].p_offset = 0x2008;
	       im.file_size = 0x3000);
	MUTATE("PT_LOAD segment alignment is not a power of two",
	       im.ph[2].p_align = 3);
	MUTATE("PT_LOAD segment alignment is not a power of two",
	       im.ph[2].p_align = 0x3000);
	MUTATE("PT_LOAD segment alignment too large",
	       im.ph[2].p_align = UINT64_C(1) << 31);
	MUTATE("PT_LOAD segment is both writable and executable",
	       im.ph[3].p_flags |= PF_X);
	MUTATE("PT_LOAD segment is both writable and executable",
	       im.ph[2].p_flags |= PF_W);
	MUTATE("ET_EXEC segment below the minimum mappable address",
	       im.eh.e_type = ET_EXEC);
	MUTATE("no loadable segments", im.ph[1].p_type = PT_NOTE;
	       im.ph[2].p_type = PT_NOTE; im.ph[3].p_type = PT_NOTE);
	MUTATE("no loadable segments", im.ph[1].p_memsz = im.ph[1].p_filesz = 0;
	       im.ph[2].p_type = PT_NULL; im.ph[3].p_type = PT_NULL);
	MUTATE("loadable segments overlap", im.ph[3].p_vaddr = 0x1000);
	/* Sharing one page after rounding, as lld's layout never does. */
	MUTATE("loadable segments overlap", im.ph[3].p_vaddr = 0x1200;
	       im.ph[3].p_offset = 0x2200; im.file_size = 0x2400);
	MUTATE("loadable segments overlap",
	       elf_build_add(&im, PT_LOAD, PF_R, 0, 0x4000, 0x10, 0x10, 0));
	MUTATE("total memory span too large",
	       im.ph[3].p_memsz = ELF_PLAN_MAX_SPAN);
	MUTATE("total memory span too large",
	       im.ph[3].p_vaddr = ELF_PLAN_MAX_SPAN);
	MUTATE("entry point not in an executable segment",
	       im.eh.e_entry = 0x2000);
	MUTATE("entry point not in an executable segment",
	       im.eh.e_entry = 0x1123);
	MUTATE("entry point not in an executable segment", im.eh.e_entry = 0);
	MUTATE("entry point not in an executable segment",
	       im.eh.e_entry = UINT64_MAX);

	/* Too many loads: 17 one-page R segments plus the R X one. */
	elf_build_header(&im);
	for (i = 0; i < ELF_PLAN_MAX_LOADS; i++)
		elf_build_add(&im, PT_LOAD, PF_R, 0, 0x10000 * (i + 1), 0x10,
			      0x10, 0x1000);
	elf_build_add(&im, PT_LOAD, PF_R | PF_X, 0, 0, 0x100, 0x100, 0x1000);
	im.file_size = 0x1000;
	expect_fail(&im, "too many PT_LOAD segments", "17 PT_LOADs");
	im.nph--;
	im.eh.e_phnum--;
	im.ph[0].p_flags = PF_R | PF_X;
	im.eh.e_entry = 0x10000;
	if (expect_ok(&im, "16 PT_LOADs") == 0)
		CHECK_EQ(plan.nloads, ELF_PLAN_MAX_LOADS, "16 loads planned");

	/* PT_TLS */
	MUTATE("more than one PT_TLS segment", im.ph[6] = im.ph[4]);
	MUTATE("PT_TLS segment has p_filesz > p_memsz",
	       im.ph[4].p_filesz = 0x29);
	MUTATE("PT_TLS segment alignment is not a power of two",
	       im.ph[4].p_align = 6);
	MUTATE("PT_TLS segment alignment too large",
	       im.ph[4].p_align = ELF_PLAN_MAX_TLS_ALIGN * 2);
	MUTATE("PT_TLS segment too large",
	       im.ph[4].p_memsz = ELF_PLAN_MAX_SPAN + 1);
	MUTATE("PT_TLS segment address range wraps around",
	       im.ph[4].p_vaddr = UINT64_MAX - 4);
	MUTATE("PT_TLS initialization image outside the file",
	       im.ph[4].p_offset = 0x2178);
	MUTATE("PT_TLS initialization image outside the file",
	       im.ph[4].p_offset = UINT64_MAX - 4);
	MUTATE("PT_TLS initialization image not inside a loadable segment",
	       im.ph[4].p_vaddr = 0x5000);
	MUTATE("PT_TLS initialization image not inside a loadable segment",
	       im.ph[4].p_vaddr = 0x2178);

	/* PT_DYNAMIC, PT_PHDR */
	MUTATE("more than one PT_DYNAMIC segment", im.ph[6] = im.ph[5]);
	MUTATE("more than one PT_PHDR segment", im.ph[6] = im.ph[0]);
	MUTATE("PT_PHDR segment does not describe the program header table",
	       im.ph[0].p_offset = 0x48);
	MUTATE("PT_PHDR segment does not describe the program header table",
	       im.ph[0].p_memsz = 0x10);
	MUTATE("PT_PHDR segment not inside a loadable segment",
	       im.ph[0].p_vaddr = 0x5000);
	MUTATE("PT_PHDR segment not inside a loadable segment",
	       im.ph[0].p_vaddr = UINT64_MAX - 8);
}

/*
 * Program header tables of real binaries.  Produced with Debian's clang-14
 * and lld-14 from this program (t.c):
 *
 *	int d = 1; int *p = &d; int b[4096];
 *	__thread int tv; __thread int tz = 3;
 *	const char ro[] = "hello";
 *	const void *volatile sink;
 *	void _start(void) { sink = &d; sink = &p; sink = b; sink = &tv;
 *		sink = &tz; sink = ro; for (;;); }
 *
 *	clang-14 --target=x86_64-unknown-cloudabi -O1 \
 *		-fno-sanitize=safe-stack -c t.c
 *	ld.lld -Bstatic --no-dynamic-linker -pie -zrelro --eh-frame-hdr \
 *		--gc-sections t.o -o a.elf
 *	ld.lld ...same... -z separate-loadable-segments t.o -o b.elf
 *
 * and c.elf from u.c (only `__thread int tv;` used by _start), linked like
 * a.elf: its bss-only PT_TLS lies outside every PT_LOAD.  Values copied from
 * `readelf -hlW`.  All are ET_DYN, EI_OSABI 17, e_phoff 64.
 */
struct fixture_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

static const struct fixture_phdr fixture_a[] = {
	{PT_PHDR, PF_R, 0x40, 0x40, 0x230, 0x230, 8},
	{PT_LOAD, PF_R, 0, 0, 0x324, 0x324, 0x1000},
	{PT_LOAD, PF_R | PF_X, 0x330, 0x1330, 0x62, 0x62, 0x1000},
	{PT_LOAD, PF_R | PF_W, 0x394, 0x2394, 0xd4, 0xd4, 0x1000},
	{PT_LOAD, PF_R | PF_W, 0x468, 0x3468, 0x10, 0x4028, 0x1000},
	{PT_TLS, PF_R, 0x394, 0x2394, 4, 8, 4},
	{PT_DYNAMIC, PF_R | PF_W, 0x398, 0x2398, 0xd0, 0xd0, 8},
	{PT_GNU_RELRO, PF_R, 0x394, 0x2394, 0xd4, 0xc6c, 1},
	{PT_GNU_EH_FRAME, PF_R, 0x2d8, 0x2d8, 0x14, 0x14, 4},
	{PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0},
};

static const struct fixture_phdr fixture_b[] = {
	{PT_PHDR, PF_R, 0x40, 0x40, 0x230, 0x230, 8},
	{PT_LOAD, PF_R, 0, 0, 0x324, 0x324, 0x1000},
	{PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x62, 0x62, 0x1000},
	{PT_LOAD, PF_R | PF_W, 0x2000, 0x2000, 0xd8, 0xd8, 0x1000},
	{PT_LOAD, PF_R | PF_W, 0x3000, 0x3000, 0x10, 0x4020, 0x1000},
	{PT_TLS, PF_R, 0x2000, 0x2000, 4, 8, 4},
	{PT_DYNAMIC, PF_R | PF_W, 0x2008, 0x2008, 0xd0, 0xd0, 8},
	{PT_GNU_RELRO, PF_R, 0x2000, 0x2000, 0xd8, 0x1000, 1},
	{PT_GNU_EH_FRAME, PF_R, 0x2d8, 0x2d8, 0x14, 0x14, 4},
	{PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0},
};

static const struct fixture_phdr fixture_c[] = {
	{PT_PHDR, PF_R, 0x40, 0x40, 0x230, 0x230, 8},
	{PT_LOAD, PF_R, 0, 0, 0x304, 0x304, 0x1000},
	{PT_LOAD, PF_R | PF_X, 0x310, 0x1310, 0x22, 0x22, 0x1000},
	{PT_LOAD, PF_R | PF_W, 0x338, 0x2338, 0x90, 0x90, 0x1000},
	{PT_LOAD, PF_R | PF_W, 0x3c8, 0x33c8, 0, 8, 0x1000},
	{PT_TLS, PF_R, 0x334, 0x1334, 0, 4, 4},
	{PT_DYNAMIC, PF_R | PF_W, 0x338, 0x2338, 0x90, 0x90, 8},
	{PT_GNU_RELRO, PF_R, 0x338, 0x2338, 0x90, 0xcc8, 1},
	{PT_GNU_EH_FRAME, PF_R, 0x2b8, 0x2b8, 0x14, 0x14, 4},
	{PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0},
};

static void load_fixture(const struct fixture_phdr *f, unsigned int n,
			 uint64_t entry, uint64_t file_size)
{
	unsigned int i;

	elf_build_header(&im);
	for (i = 0; i < n; i++)
		elf_build_add(&im, f[i].type, f[i].flags, f[i].offset,
			      f[i].vaddr, f[i].filesz, f[i].memsz, f[i].align);
	im.eh.e_entry = entry;
	im.file_size = file_size;
}

static void test_fixtures(void)
{
	load_fixture(fixture_a, 10, 0x1330, 2872);
	if (expect_ok(&im, "lld default layout (a.elf)") == 0) {
		CHECK_EQ(plan.nloads, 4, "a.elf: 4 loads");
		CHECK(plan.span_start == 0 && plan.span_len == 0x8000,
		      "a.elf: span 0-0x8000");
		CHECK_EQ(plan.phdr_vaddr, 0x40, "a.elf: phdr vaddr");
		CHECK(plan.have_tls && plan.tls.vaddr == 0x2394 &&
			      plan.tls.filesz == 4 && plan.tls.memsz == 8 &&
			      plan.tls.align == 4,
		      "a.elf: tls");
		CHECK_EQ(plan.dynamic_vaddr, 0x2398, "a.elf: dynamic");
		/* Segments share file pages but never memory pages. */
		check_seg(0, 0, 0, 0x324, 0x1000, 0x324, 0x324, R);
		check_seg(1, 0x1000, 0, 0x392, 0x1000, 0x1392, 0x1392, R | X);
		check_seg(2, 0x2000, 0, 0x468, 0x1000, 0x2468, 0x2468, R | W);
		check_seg(3, 0x3000, 0, 0x478, 0x5000, 0x3478, 0x7490, R | W);
	}
	/* lld's default layout assumes 4 KiB pages. */
	expect_fail_page(&im, 0x4000,
			 "PT_LOAD segment offset and address not congruent "
			 "modulo the page size",
			 "a.elf with 16 KiB pages");

	load_fixture(fixture_b, 10, 0x1000, 14032);
	if (expect_ok(&im, "lld -z separate-loadable-segments (b.elf)") == 0) {
		CHECK_EQ(plan.nloads, 4, "b.elf: 4 loads");
		CHECK(plan.span_start == 0 && plan.span_len == 0x8000,
		      "b.elf: span 0-0x8000");
		CHECK_EQ(plan.tls.vaddr, 0x2000, "b.elf: tls vaddr");
		check_seg(0, 0, 0, 0x324, 0x1000, 0x324, 0x324, R);
		check_seg(1, 0x1000, 0x1000, 0x62, 0x1000, 0x1062, 0x1062,
			  R | X);
		check_seg(2, 0x2000, 0x2000, 0xd8, 0x1000, 0x20d8, 0x20d8,
			  R | W);
		check_seg(3, 0x3000, 0x3000, 0x10, 0x5000, 0x3010, 0x7020,
			  R | W);
	}

	load_fixture(fixture_c, 10, 0x1310, 2280);
	if (expect_ok(&im, "bss-only TLS outside the loads (c.elf)") == 0) {
		CHECK(plan.have_tls && plan.tls.vaddr == 0x1334 &&
			      plan.tls.filesz == 0 && plan.tls.memsz == 4,
		      "c.elf: unmapped TLS kept");
		check_seg(1, 0x1000, 0, 0x332, 0x1000, 0x1332, 0x1332, R | X);
		check_seg(3, 0x3000, 0, 0, 0x1000, 0x33c8, 0x33d0, R | W);
	}
}

int main(void)
{
	test_reference();
	test_variants();
	test_header_rejects();
	test_segment_rejects();
	test_fixtures();
	return check_done();
}

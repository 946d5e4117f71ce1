/* make-bad-elves.c: writes invalid executables plus an expected-error manifest for the CLI tests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_build.h"

/*
 * Usage: make-bad-elves OUTDIR
 * Writes OUTDIR/<name> for each case below and OUTDIR/expected.txt with
 * lines "<name>\t<substring of the expected error message>".  The messages
 * are those of src/loader/elf_plan.c.
 */

static const char *outdir;
static FILE *manifest;
static int failed;

static void write_file(const char *name, const void *data, size_t len,
		       const char *expect)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "wb");
	if (f == NULL || (len != 0 && fwrite(data, 1, len, f) != len) ||
	    fclose(f) != 0) {
		fprintf(stderr, "make-bad-elves: %s: %s\n", path,
			strerror(errno));
		failed = 1;
		return;
	}
	fprintf(manifest, "%s\t%s\n", name, expect);
}

/* Writes the whole described image (zero bytes beyond its headers). */
static void write_image(const char *name, const struct elf_image *im,
			const char *expect)
{
	size_t len = (size_t)im->file_size;
	unsigned char *buf = malloc(len ? len : 1);

	if (buf == NULL) {
		fprintf(stderr, "make-bad-elves: out of memory\n");
		failed = 1;
		return;
	}
	len = elf_build_write(im, buf, len);
	write_file(name, buf, len, expect);
	free(buf);
}

int main(int argc, char **argv)
{
	static const char text[] = "#!/bin/sh\necho this is not an ELF file\n";
	char path[4096];
	struct elf_image im;
	unsigned char head[16];

	if (argc != 2) {
		fprintf(stderr, "usage: make-bad-elves OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	snprintf(path, sizeof(path), "%s/expected.txt", outdir);
	manifest = fopen(path, "w");
	if (manifest == NULL) {
		fprintf(stderr, "make-bad-elves: %s: %s\n", path,
			strerror(errno));
		return 1;
	}

	write_file("empty.elf", "", 0, "file is empty");

	elf_build_reference(&im);
	elf_build_write(&im, head, sizeof(head));
	write_file("truncated.elf", head, 10,
		   "file too short for an ELF header");

	write_file("text.elf", text, sizeof(text) - 1, "bad magic");

	elf_build_reference(&im);
	im.eh.e_ident[EI_CLASS] = ELFCLASS32;
	write_image("class32.elf", &im, "not a 64-bit ELF file");

	elf_build_reference(&im);
	im.eh.e_machine = EM_AARCH64;
	write_image("aarch64.elf", &im, "not an x86-64 executable");

	elf_build_reference(&im);
	im.eh.e_ident[EI_OSABI] = 3; /* Linux */
	write_image("osabi-linux.elf", &im,
		    "a Linux executable, not a CloudABI one \\(EI_OSABI 3");

	elf_build_reference(&im);
	im.eh.e_ident[EI_OSABI] = 0; /* SYSV: what gcc makes for Linux */
	write_image("osabi-sysv.elf", &im,
		    "a Linux executable, not a CloudABI one \\(EI_OSABI 0");

	elf_build_reference(&im);
	im.eh.e_ident[EI_OSABI] = 9;
	write_image("osabi-freebsd.elf", &im,
		    "a FreeBSD executable, not a CloudABI one");

	elf_build_reference(&im);
	im.eh.e_ident[EI_OSABI] = 42;
	write_image("osabi-other.elf", &im, "unsupported OS ABI");

	/* The RW segment placed on the R X segment's page. */
	elf_build_reference(&im);
	im.ph[3].p_vaddr = 0x1000;
	write_image("overlap.elf", &im, "loadable segments overlap");

	elf_build_reference(&im);
	im.ph[3].p_vaddr = 0xfffffffffffff000;
	write_image("wrap.elf", &im, "address range wraps around");

	elf_build_reference(&im);
	im.ph[3].p_memsz = UINT64_C(1) << 32;
	write_image("hugemem.elf", &im, "total memory span too large");

	elf_build_reference(&im);
	im.eh.e_phnum = 1000;
	im.file_size = sizeof(Elf64_Ehdr) + 1000 * sizeof(Elf64_Phdr);
	write_image("phnum1000.elf", &im, "too many program headers");

	elf_build_reference(&im);
	im.ph[3].p_flags |= PF_X;
	write_image("wx.elf", &im, "both writable and executable");

	/* The RW segment's data runs 0x80 bytes past the end of the file. */
	elf_build_reference(&im);
	im.file_size = 0x2100;
	write_image("past-eof.elf", &im,
		    "PT_LOAD segment extends past end of file");

	elf_build_reference(&im);
	im.ph[6].p_type = PT_INTERP;
	write_image("interp.elf", &im, "dynamic linking is not supported");

	elf_build_reference(&im);
	im.eh.e_entry = 0x2000;
	write_image("entry-rw.elf", &im,
		    "entry point not in an executable segment");

	if (fclose(manifest) != 0) {
		fprintf(stderr, "make-bad-elves: %s: %s\n", path,
			strerror(errno));
		failed = 1;
	}
	return failed;
}

/* capbox-test-args: --dir-rw dir=@SCRATCH@ */
/* proc_images.c: proc_exec of tiny hand-made x86-64 ELF images (one PT_LOAD, no dynamic section, no TLS), branded CloudABI, FreeBSD or SysV, ET_DYN and ET_EXEC. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "proc.h"

#define IMAGE_CODE_OFFSET 120 /* ELF header (64) + one program header (56) */

/* exit_group(42) as a raw system call: the image needs nothing else. */
static const uint8_t code[] = {
	0xb8, 0xe7, 0x00, 0x00, 0x00, /* mov $231, %eax */
	0xbf, 0x2a, 0x00, 0x00, 0x00, /* mov $42, %edi */
	0x0f, 0x05,                   /* syscall */
};

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Lays out the whole image: header, one R+X PT_LOAD covering the file,
 * entry at the code.  Returns its size. */
static size_t make_image(uint8_t *img, uint8_t osabi, uint16_t type,
			 uint64_t vaddr)
{
	size_t size = IMAGE_CODE_OFFSET + sizeof(code);
	memset(img, 0, size);
	memcpy(img, "\177ELF", 4);
	img[4] = 2; /* ELFCLASS64 */
	img[5] = 1; /* little-endian */
	img[6] = 1; /* EV_CURRENT */
	img[7] = osabi;
	put16(img + 16, type);
	put16(img + 18, 62); /* EM_X86_64 */
	put32(img + 20, 1);
	put64(img + 24, vaddr + IMAGE_CODE_OFFSET); /* e_entry */
	put64(img + 32, 64);                        /* e_phoff */
	put16(img + 52, 64);                        /* e_ehsize */
	put16(img + 54, 56);                        /* e_phentsize */
	put16(img + 56, 1);                         /* e_phnum */
	uint8_t *ph = img + 64;
	put32(ph, 1);           /* PT_LOAD */
	put32(ph + 4, 5);       /* PF_R | PF_X */
	put64(ph + 8, 0);       /* p_offset */
	put64(ph + 16, vaddr);  /* p_vaddr */
	put64(ph + 24, vaddr);  /* p_paddr */
	put64(ph + 32, size);   /* p_filesz */
	put64(ph + 40, size);   /* p_memsz */
	put64(ph + 48, 0x1000); /* p_align */
	memcpy(img + IMAGE_CODE_OFFSET, code, sizeof(code));
	return size;
}

/* Writes the image to a new file beneath dir, then opens it read-only
 * with PROC_EXEC (a descriptor open for writing is EBADF to proc_exec). */
static cloudabi_fd_t write_image(cloudabi_fd_t dir, const char *name,
				 const uint8_t *img, size_t size)
{
	cloudabi_fdstat_t want = {.fs_rights_base = CLOUDABI_RIGHT_FD_WRITE |
						    CLOUDABI_RIGHT_FD_SEEK};
	cloudabi_fd_t fd;
	cloudabi_lookup_t at = {.fd = dir};
	if (cloudabi_sys_file_open(at, name, strlen(name),
				   CLOUDABI_O_CREAT | CLOUDABI_O_EXCL, &want,
				   &fd) != 0)
		return UINT32_MAX;
	cloudabi_ciovec_t iov = {img, size};
	size_t written;
	cloudabi_errno_t err = cloudabi_sys_fd_pwrite(fd, &iov, 1, 0, &written);
	cloudabi_sys_fd_close(fd);
	if (err != 0 || written != size)
		return UINT32_MAX;
	want.fs_rights_base = CLOUDABI_RIGHT_FD_READ | CLOUDABI_RIGHT_FD_SEEK |
			      CLOUDABI_RIGHT_PROC_EXEC |
			      CLOUDABI_RIGHT_MEM_MAP |
			      CLOUDABI_RIGHT_MEM_MAP_EXEC;
	if (cloudabi_sys_file_open(at, name, strlen(name), 0, &want, &fd) != 0)
		return UINT32_MAX;
	return fd;
}

static void run_image(cloudabi_fd_t dir, const char *name, uint8_t osabi,
		      uint16_t type, uint64_t vaddr)
{
	uint8_t img[256];
	size_t size = make_image(img, osabi, type, vaddr);
	cloudabi_fd_t fd = write_image(dir, name, img, size);
	CHECK(fd != UINT32_MAX, "%s: written (%zu bytes)", name, size);

	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_sys_proc_exec(fd, NULL, 0, NULL, 0);
		cloudabi_sys_proc_exit(100); /* exec refused */
	}
	CHECK_EQ(err, 0, "%s: fork", name);
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(10000000000), &ev), 0,
		 "%s: the child ends", name);
	CHECK_EQ(ev.proc_terminate.signal, 0, "%s: not by a signal", name);
	CHECK_EQ(ev.proc_terminate.exitcode, 42,
		 "%s: the image ran (exit 42, not 100 for a refused exec)",
		 name);
	cloudabi_sys_fd_close(child);
	cloudabi_sys_fd_close(fd);
}

static cloudabi_fd_t grant(const argdata_t *ad, const char *key)
{
	argdata_t value;
	uint32_t fd;
	if (argdata_map_find(*ad, key, strlen(key), &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(3);
	return fd;
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = grant(ad, "dir");
	run_image(dir, "cloudabi-dyn", 17, 3 /* ET_DYN */, 0);
	run_image(dir, "freebsd-dyn", 9, 3, 0);
	run_image(dir, "sysv-exec", 0, 2 /* ET_EXEC */, 0x400000);
	run_image(dir, "freebsd-exec", 9, 2, 0x500000);
	exit(check_done());
}

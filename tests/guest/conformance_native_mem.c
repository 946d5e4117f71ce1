/* conformance_native_mem.c: protection bits where Linux and FreeBSD's CloudABI layer differ (mmap_test.c:20 of the C library). */
#include <program.h>
#include <cloudabi_syscalls.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"

#define PAGE 4096
#define ANON (CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE)
#define RW (CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE)

/* The C library's mmap::bad passes 0xdeadc0de, which reaches the system
 * call as its low byte 0xde: read, write and unknown bits.  FreeBSD
 * answers ENOTSUP before it looks at anything else. */
#define UNKNOWN_PROT ((cloudabi_mprot_t)0xdeadc0de)

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	void *p = NULL;
	CHECK_EQ(cloudabi_sys_mem_map(NULL, 123, UNKNOWN_PROT, ANON,
				      CLOUDABI_MAP_ANON_FD, 0, &p),
		 CLOUDABI_ENOTSUP,
		 "mem_map with unknown protection bits: "
		 "ENOTSUP (mmap_test.c:20)");
	CHECK_EQ(cloudabi_sys_mem_map(NULL, PAGE, 0x8, ANON,
				      CLOUDABI_MAP_ANON_FD, 0, &p),
		 CLOUDABI_ENOTSUP, "mem_map with one unknown bit: ENOTSUP");
	/* The protection is checked first: an unknown bit with a bad
	 * descriptor is still ENOTSUP. */
	CHECK_EQ(cloudabi_sys_mem_map(NULL, PAGE, 0x8, CLOUDABI_MAP_PRIVATE,
				      1000, 0, &p),
		 CLOUDABI_ENOTSUP, "unknown bit before a bad descriptor");

	CHECK_EQ(cloudabi_sys_mem_map(NULL, PAGE, RW, ANON,
				      CLOUDABI_MAP_ANON_FD, 0, &p),
		 0, "an anonymous page");
	CHECK_EQ(cloudabi_sys_mem_protect(p, PAGE, 0x10), CLOUDABI_ENOTSUP,
		 "mem_protect with an unknown bit: ENOTSUP");
	CHECK_EQ(cloudabi_sys_mem_protect(p, PAGE, UNKNOWN_PROT),
		 CLOUDABI_ENOTSUP, "mem_protect with 0xde: ENOTSUP");
	CHECK_EQ(cloudabi_sys_mem_protect(p, PAGE, CLOUDABI_PROT_READ), 0,
		 "the page is still usable afterwards");
	cloudabi_sys_mem_unmap(p, PAGE);
	exit(check_done());
}

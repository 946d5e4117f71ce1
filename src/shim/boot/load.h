/* load.h: maps a validated CloudABI executable into the guest address space. */
#ifndef CAPBOX_SHIM_LOAD_H
#define CAPBOX_SHIM_LOAD_H

#include <stdint.h>

struct loaded_program {
	uint64_t
		base; /* load bias (AT_BASE): run-time minus link-time address */
	uint64_t entry; /* run-time entry point */
	uint64_t phdr;  /* run-time address of the program headers */
	uint64_t phnum;
};

/* Validates and maps the executable open at fd, with page-congruent
 * segments, zeroed bss and W^X protections; the image is not relocated
 * (its own start-up code does that).  Fatal on any failure. */
void load_program(int fd, struct loaded_program *out);

#endif

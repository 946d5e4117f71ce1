/* limits_hog.c: a hostile guest for --memory-limit: three processes, each with a thread filling anonymous memory and one filling shared memory (a memfd), never stopping; with until_enomem=true the main process alone maps memory until refused and reports how much it got. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <string.h>

#include "guest.h"

#define CHUNK ((size_t)1 << 20)
#define PROCESSES 3

/* Touches a new anonymous MiB after the other; a refusal is retried. */
static void fill_anonymous(void *arg)
{
	(void)arg;
	for (;;) {
		void *p;
		if (cloudabi_sys_mem_map(
			    NULL, CHUNK,
			    CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
			    CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
			    CLOUDABI_MAP_ANON_FD, 0, &p) == 0)
			memset(p, 0x5a, CHUNK);
	}
}

/* Grows a shared memory object one written MiB after the other. */
static void fill_shared(void *arg)
{
	(void)arg;
	static char block[65536];
	memset(block, 0xa5, sizeof(block));
	cloudabi_fd_t fd;
	if (cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &fd) != 0)
		fill_anonymous(NULL);
	for (cloudabi_filesize_t off = 0;;) {
		cloudabi_ciovec_t iov = {block, sizeof(block)};
		size_t n;
		if (cloudabi_sys_fd_pwrite(fd, &iov, 1, off, &n) == 0)
			off += n;
	}
}

/* Maps MiB after MiB until refused; prints how many it got. */
static void until_enomem(int out)
{
	size_t n = 0;
	void *p;
	while (n < 65536 &&
	       cloudabi_sys_mem_map(NULL, CHUNK,
				    CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
				    CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
				    CLOUDABI_MAP_ANON_FD, 0, &p) == 0) {
		memset(p, 1, CHUNK);
		n++;
	}
	dprintf(out, "mapped %zu MiB before ENOMEM\n", n);
	exit(0);
}

void program_main(const argdata_t *ad)
{
	argdata_t value;
	bool stop = false;
	if (argdata_map_find(*ad, "until_enomem", 12, &value) == ARGDATA_OK &&
	    argdata_get_bool(value, &stop) == ARGDATA_OK && stop)
		until_enomem(guest_out_fd(ad));
	for (int i = 1; i < PROCESSES; i++) {
		cloudabi_fd_t fd;
		cloudabi_tid_t tid;
		if (cloudabi_sys_proc_fork(&fd, &tid) != 0 ||
		    fd == CLOUDABI_PROCESS_CHILD)
			break;
	}
	static capbox_thread_t shared;
	capbox_thread_start(&shared, fill_shared, NULL, 0);
	fill_anonymous(NULL);
}

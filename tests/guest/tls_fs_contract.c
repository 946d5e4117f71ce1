/* tls_fs_contract.c: a program may point %fs:0 at its own tcb copy; system calls must keep working and leave it alone. */
#include <cloudabi_syscalls.h>
#include <errno.h>
#include <program.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

/*
 * A replacement TLS area: the tcb copy at the top, and below it a copy of
 * the bytes below the current thread pointer (this program's TLS block,
 * errno included), so that compiled TLS accesses keep working.
 */
#define AREA_SIZE 4096
#define BLOCK_COPY 256
static _Alignas(64) unsigned char area[AREA_SIZE];

static uintptr_t read_fs0(void)
{
	uintptr_t tp;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

static void write_fs0(uintptr_t tp)
{
	__asm__ volatile("movq %0, %%fs:0" : : "r"(tp) : "memory");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);

	uintptr_t old_tp = read_fs0();
	CHECK(old_tp != 0, "%%fs:0 holds a tcb pointer at start");
	uintptr_t errno_offset = old_tp - (uintptr_t)&errno;

	uintptr_t new_tp = (uintptr_t)area + AREA_SIZE - 64;
	memcpy((void *)(new_tp - BLOCK_COPY),
	       (const void *)(old_tp - BLOCK_COPY), BLOCK_COPY);
	memcpy((void *)new_tp, (const void *)old_tp, sizeof(cloudabi_tcb_t));
	write_fs0(new_tp);
	CHECK_EQ(read_fs0(), new_tp, "%%fs:0 now points at our own tcb copy");
	CHECK_EQ(((const cloudabi_tcb_t *)new_tp)->parent,
		 ((const cloudabi_tcb_t *)old_tp)->parent,
		 "the copy carries the host's tcb contents");
	CHECK_EQ((uintptr_t)&errno, new_tp - errno_offset,
		 "compiled TLS accesses follow %%fs:0");

	/* fd_write (every CHECK line above and below is one as well). */
	static const char line[] = "# fd_write with a replaced %fs:0\n";
	cloudabi_ciovec_t iov = {.buf = line, .buf_len = sizeof(line) - 1};
	size_t written = 0;
	cloudabi_errno_t err = cloudabi_sys_fd_write(
		(cloudabi_fd_t)check_out_fd, &iov, 1, &written);
	CHECK(err == 0 && written == sizeof(line) - 1, "fd_write works");
	CHECK_EQ(read_fs0(), new_tp, "fd_write left %%fs:0 alone");

	cloudabi_timestamp_t t1 = 0, t2 = 0;
	err = cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &t1);
	CHECK(err == 0 && t1 != 0, "clock_time_get works (err %d)", err);
	err = cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, 0, &t2);
	CHECK(err == 0 && t2 >= t1, "the monotonic clock does not go back");
	CHECK_EQ(read_fs0(), new_tp, "clock_time_get left %%fs:0 alone");

	unsigned char rnd[32];
	memset(rnd, 0, sizeof(rnd));
	err = cloudabi_sys_random_get(rnd, sizeof(rnd));
	int nonzero = 0;
	for (size_t i = 0; i < sizeof(rnd); i++)
		nonzero |= rnd[i];
	CHECK(err == 0 && nonzero != 0, "random_get works (err %d)", err);
	CHECK_EQ(read_fs0(), new_tp, "random_get left %%fs:0 alone");

	void *mem = NULL;
	err = cloudabi_sys_mem_map(NULL, 65536,
				   CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
				   CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
				   CLOUDABI_MAP_ANON_FD, 0, &mem);
	CHECK(err == 0 && mem != NULL, "mem_map works (err %d)", err);
	if (err == 0 && mem != NULL) {
		memset(mem, 0x5a, 65536);
		CHECK_EQ(((unsigned char *)mem)[65535], 0x5a,
			 "the mapping is writable");
		err = cloudabi_sys_mem_unmap(mem, 65536);
		CHECK_EQ(err, 0, "mem_unmap works");
	}
	CHECK_EQ(read_fs0(), new_tp, "mem_map/mem_unmap left %%fs:0 alone");

	errno = ERANGE;
	CHECK_EQ(errno, ERANGE, "errno works in the replaced TLS block");
	CHECK_EQ(read_fs0(), new_tp, "%%fs:0 still holds our pointer");
	exit(check_done());
}

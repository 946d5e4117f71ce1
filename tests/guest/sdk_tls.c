/* sdk_tls.c: thread-local variables (initialised, zeroed, over-aligned) and the %fs:0 thread-pointer layout. */
#include <errno.h>
#include <program.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

_Thread_local int tls_init = 42;
_Thread_local long tls_zero;
_Thread_local char tls_text[16] = "capbox";
_Thread_local _Alignas(64) unsigned char tls_aligned[8];

/* noinline keeps the compiler from folding the TLS accesses away. */
__attribute__((noinline)) static int *init_addr(void)
{
	return &tls_init;
}

static uintptr_t read_fs0(void)
{
	uintptr_t tp;

	__asm__ volatile("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

static int below_tp(const void *p, size_t size, uintptr_t tp)
{
	uintptr_t a = (uintptr_t)p;

	return a < tp && a + size <= tp && tp - a <= 4096;
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);

	CHECK_EQ(tls_init, 42, "an initialised TLS variable has its value");
	CHECK_EQ(tls_zero, 0, "a zero TLS variable is zero");
	CHECK(strcmp(tls_text, "capbox") == 0 && tls_text[7] == 0 &&
		      tls_text[15] == 0,
	      "a TLS array has its initialiser and zero padding");
	CHECK_EQ(tls_aligned[0] | tls_aligned[7], 0,
		 "an over-aligned TLS array is zero");
	CHECK_EQ((uintptr_t)tls_aligned % 64, 0,
		 "the over-aligned TLS array is 64-byte aligned");

	tls_init = 7;
	tls_zero = -123456789012L;
	tls_text[0] = 'C';
	CHECK_EQ(*init_addr(), 7, "a TLS write is seen through its address");
	CHECK_EQ(tls_zero, -123456789012L, "a long TLS variable is writable");
	CHECK(strcmp(tls_text, "Capbox") == 0, "a TLS array is writable");

	errno = 0;
	CHECK_EQ(errno, 0, "errno is thread-local and writable");
	errno = EINVAL;
	CHECK_EQ(errno, EINVAL, "errno keeps its value");

	uintptr_t tp = read_fs0();
	CHECK(tp != 0 && tp % 8 == 0, "%%fs:0 holds an aligned pointer");
	CHECK(tp % 64 == 0, "the tcb copy is aligned like the TLS segment");
	CHECK(below_tp(&tls_init, sizeof(tls_init), tp) &&
		      below_tp(&tls_zero, sizeof(tls_zero), tp) &&
		      below_tp(tls_text, sizeof(tls_text), tp) &&
		      below_tp(tls_aligned, sizeof(tls_aligned), tp) &&
		      below_tp(&errno, sizeof(errno), tp),
	      "every TLS variable lies just below the tcb copy");

	/* The tcb copy is readable and %fs:0 did not move. */
	volatile const uintptr_t *tcb = (const uintptr_t *)tp;
	uintptr_t parent = tcb[0];
	(void)parent;
	CHECK_EQ(read_fs0(), tp, "%%fs:0 is stable");
	exit(check_done());
}

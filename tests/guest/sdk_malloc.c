/* sdk_malloc.c: the SDK allocator: sizes, 16-byte alignment, realloc, calloc, reuse and large mappings. */
#include <errno.h>
#include <program.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

/*
 * The compiler may drop a malloc whose result is only compared with NULL
 * (assuming it succeeded) and fold comparisons of freed pointers; passing
 * results through opaque() keeps the calls and comparisons real.
 */
static void *opaque(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

static int aligned16(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static int holds(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != (unsigned char)(seed + i * 7))
			return 0;
	}
	return 1;
}

static void test_sizes(void)
{
	static const size_t sizes[] = {0,    1,    15,    16,    17,   31,
				       32,   100,  1000,  2032,  4080, 4081,
				       4096, 5000, 65536, 300000};
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	unsigned char *p[N];
	int all_ok = 1, all_aligned = 1, distinct = 1;

	for (size_t i = 0; i < N; i++) {
		p[i] = malloc(sizes[i]);
		if (p[i] == NULL) {
			all_ok = 0;
			continue;
		}
		all_aligned &= aligned16(p[i]);
		fill(p[i], sizes[i], (unsigned)i);
	}
	CHECK(all_ok, "malloc of %d sizes from 0 to 300000 succeeds", N);
	CHECK(all_aligned, "every block is 16-byte aligned");
	for (size_t i = 0; i < N; i++) {
		for (size_t j = 0; j < i; j++)
			distinct &= p[i] != p[j];
	}
	CHECK(distinct, "the blocks are distinct (malloc(0) included)");
	int intact = 1;
	for (size_t i = 0; i < N; i++)
		intact &= p[i] != NULL && holds(p[i], sizes[i], (unsigned)i);
	CHECK(intact, "no block overwrote another");
	for (size_t i = 0; i < N; i++)
		free(p[i]);
}

static void test_many(void)
{
	enum { COUNT = 2000 };
	static unsigned char *blocks[COUNT];
	int ok = 1;

	for (size_t i = 0; i < COUNT; i++) {
		size_t n = 1 + (i * 37) % 700;
		blocks[i] = malloc(n);
		if (blocks[i] == NULL || !aligned16(blocks[i])) {
			ok = 0;
			break;
		}
		fill(blocks[i], n, (unsigned)i);
	}
	CHECK(ok, "%d small allocations (more than one chunk)", COUNT);
	for (size_t i = 0; ok && i < COUNT; i++)
		ok = holds(blocks[i], 1 + (i * 37) % 700, (unsigned)i);
	CHECK(ok, "all of them kept their contents");
	for (size_t i = 0; i < COUNT; i += 2)
		free(blocks[i]);
	for (size_t i = 1; ok && i < COUNT; i += 2)
		ok = holds(blocks[i], 1 + (i * 37) % 700, (unsigned)i);
	CHECK(ok, "freeing half of them left the rest intact");
	for (size_t i = 1; i < COUNT; i += 2)
		free(blocks[i]);

	/* A freed block of a size class is handed out again. */
	void *a = opaque(malloc(200));
	uintptr_t a_addr = (uintptr_t)a;
	free(a);
	void *b = opaque(malloc(180));
	CHECK(a_addr != 0 && a_addr == (uintptr_t)b,
	      "a freed block is reused for its size class");
	free(b);
	free(NULL);
	CHECK(1, "free(NULL) does nothing");
}

static void test_realloc(void)
{
	unsigned char *p = realloc(NULL, 10);
	CHECK(p != NULL && aligned16(p), "realloc(NULL, n) allocates");
	fill(p, 10, 3);
	size_t n = 10;
	int ok = 1;
	for (size_t next = 20; next <= 200000; next = next * 3 + 1) {
		unsigned char *q = realloc(p, next);
		if (q == NULL || !aligned16(q) || !holds(q, n, 3)) {
			ok = 0;
			break;
		}
		p = q;
		fill(p, next, 3);
		n = next;
	}
	CHECK(ok, "realloc keeps the contents while growing to %zu bytes", n);
	unsigned char *q = realloc(p, 5);
	CHECK(q != NULL && holds(q, 5, 3), "realloc keeps them when shrinking");
	free(q);

	errno = 0;
	p = malloc(64);
	q = opaque(realloc(p, SIZE_MAX - 8));
	CHECK(q == NULL && errno == ENOMEM,
	      "an impossible realloc fails with ENOMEM");
	free(p);
}

static void test_calloc(void)
{
	/* Dirty a block first so calloc must clear a reused one. */
	unsigned char *d = malloc(500);
	memset(d, 0xee, 500);
	free(d);
	unsigned char *z = calloc(50, 10);
	int zero = z != NULL;
	for (size_t i = 0; zero && i < 500; i++)
		zero = z[i] == 0;
	CHECK(zero, "calloc returns zeroed memory, also when reusing a block");
	free(z);

	z = calloc(1, 100000);
	zero = z != NULL && z[0] == 0 && z[99999] == 0;
	CHECK(zero, "a large calloc is zeroed");
	free(z);

	errno = 0;
	void *o = opaque(calloc(SIZE_MAX / 2, 3));
	CHECK(o == NULL && errno == ENOMEM,
	      "calloc with an overflowing product fails with ENOMEM");
	errno = 0;
	o = opaque(calloc((size_t)1 << 32, (size_t)1 << 32));
	CHECK(o == NULL && errno == ENOMEM, "calloc(2^32, 2^32) fails");
	errno = 0;
	o = opaque(malloc(SIZE_MAX));
	CHECK(o == NULL && errno == ENOMEM, "malloc(SIZE_MAX) fails");
	errno = 0;
	o = opaque(malloc(SIZE_MAX - 20));
	CHECK(o == NULL && errno == ENOMEM,
	      "malloc near SIZE_MAX fails without wrapping");
}

static void test_large(void)
{
	enum { BIG = 8 * 1024 * 1024 };
	unsigned char *p = malloc(BIG);
	CHECK(p != NULL && aligned16(p), "an 8 MiB allocation succeeds");
	if (p != NULL) {
		p[0] = 1;
		p[BIG / 2] = 2;
		p[BIG - 1] = 3;
		CHECK(p[0] == 1 && p[BIG / 2] == 2 && p[BIG - 1] == 3,
		      "all of it is writable");
		free(p);
	}
	/* Mapping and unmapping repeatedly does not run out. */
	int ok = 1;
	for (int i = 0; ok && i < 64; i++) {
		void *q = opaque(malloc(1024 * 1024));
		ok = q != NULL;
		free(q);
	}
	CHECK(ok, "64 rounds of 1 MiB malloc/free");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);

	test_sizes();
	test_many();
	test_realloc();
	test_calloc();
	test_large();
	exit(check_done());
}

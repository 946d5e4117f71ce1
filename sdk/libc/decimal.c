/* decimal.c: the exact decimal digits of a double and their rounding (half to even), for printf's %f, %e and %g. */
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include "capbox_internal.h"

/*
 * A finite double is m * 2^e exactly, with m < 2^53 and -1074 <= e <= 971,
 * so its decimal expansion is finite: m * 2^e for e >= 0 (at most 309
 * digits), m * 5^-e / 10^-e for e < 0 (at most 767 digits).  The digits
 * are computed exactly with a little big-number arithmetic in base 10^9,
 * so every rounding below sees the true value, as C requires.
 */
#define LIMB_BASE 1000000000u
#define LIMBS ((CAPBOX_DECIMAL_DIGITS + 8) / 9)

struct big {
	uint32_t limb[LIMBS]; /* little-endian, each < LIMB_BASE */
	size_t n;
};

/* b *= factor (factor < 2^32; every product fits in 64 bits because each
 * limb is below 10^9). */
static void big_mul(struct big *b, uint32_t factor)
{
	uint64_t carry = 0;
	for (size_t i = 0; i < b->n; i++) {
		uint64_t v = (uint64_t)b->limb[i] * factor + carry;
		b->limb[i] = (uint32_t)(v % LIMB_BASE);
		carry = v / LIMB_BASE;
	}
	while (carry != 0 && b->n < LIMBS) {
		b->limb[b->n++] = (uint32_t)(carry % LIMB_BASE);
		carry /= LIMB_BASE;
	}
}

/* b *= base^count, in steps of base^step (base^step < 2^32). */
static void big_mul_pow(struct big *b, uint32_t base, unsigned count)
{
	uint32_t step_factor = 1;
	unsigned step = 0;
	while ((uint64_t)step_factor * base <= UINT32_MAX) {
		step_factor *= base;
		step++;
	}
	for (; count >= step; count -= step)
		big_mul(b, step_factor);
	for (; count > 0; count--)
		big_mul(b, base);
}

/* The decimal digits of b (no leading zeros; b > 0). */
static void big_digits(const struct big *b, struct capbox_decimal *d)
{
	char *out = d->digits;
	size_t top = b->n - 1;
	uint32_t v = b->limb[top];
	char first[9];
	int nfirst = 0;
	do {
		first[nfirst++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (nfirst > 0)
		*out++ = first[--nfirst];
	for (size_t i = top; i-- > 0;) {
		v = b->limb[i];
		for (int k = 8; k >= 0; k--) {
			out[k] = (char)('0' + v % 10);
			v /= 10;
		}
		out += 9;
	}
	d->ndigits = (int)(out - d->digits);
}

void __capbox_decimal_exact(double magnitude, struct capbox_decimal *d)
{
	uint64_t bits;
	memcpy(&bits, &magnitude, sizeof(bits));
	uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
	int biased = (int)((bits >> 52) & 0x7ff);
	int e;
	if (biased == 0) {
		e = -1074; /* subnormal */
	} else {
		m |= UINT64_C(1) << 52;
		e = biased - 1075;
	}
	d->ndigits = 0;
	d->point = 0;
	if (m == 0)
		return;

	struct big b = {.limb = {(uint32_t)(m % LIMB_BASE),
				 (uint32_t)(m / LIMB_BASE % LIMB_BASE)},
			.n = 2};
	if (b.limb[1] == 0)
		b.n = 1;
	if (e >= 0)
		big_mul_pow(&b, 2, (unsigned)e);
	else
		big_mul_pow(&b, 5, (unsigned)-e);
	big_digits(&b, d);
	d->point = e >= 0 ? d->ndigits : d->ndigits + e;
	while (d->ndigits > 0 && d->digits[d->ndigits - 1] == '0')
		d->ndigits--;
}

void __capbox_decimal_round(struct capbox_decimal *d, int keep)
{
	if (keep >= d->ndigits)
		return;
	if (keep < 0) { /* below half of the last kept place */
		d->ndigits = 0;
		return;
	}
	char next = d->digits[keep];
	bool up = next > '5' || (next == '5' && keep + 1 < d->ndigits);
	if (next == '5' && keep + 1 == d->ndigits) /* a tie: to even */
		up = keep > 0 && (d->digits[keep - 1] - '0') % 2 == 1;
	d->ndigits = keep;
	if (up) {
		int i = keep - 1;
		while (i >= 0 && d->digits[i] == '9')
			i--;
		if (i < 0) { /* 99.9 -> 100 */
			d->digits[0] = '1';
			d->ndigits = 1;
			d->point++;
			return;
		}
		d->digits[i]++;
		d->ndigits = i + 1;
	}
	while (d->ndigits > 0 && d->digits[d->ndigits - 1] == '0')
		d->ndigits--;
}

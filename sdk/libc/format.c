/* format.c: the printf formatting engine behind dprintf, vdprintf, snprintf and vsnprintf. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "capbox_internal.h"

enum {
	FLAG_MINUS = 1 << 0, /* left-justify */
	FLAG_PLUS = 1 << 1,  /* always print a sign */
	FLAG_SPACE = 1 << 2, /* a space where there is no sign */
	FLAG_HASH = 1 << 3,  /* alternate form: 0 for %o, 0x for %x */
	FLAG_ZERO = 1 << 4,  /* pad with zeros after sign and prefix */
};

enum length {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_J,
	LEN_T,
};

struct spec {
	unsigned flags;
	int width;     /* minimum field width, 0 if none */
	int precision; /* -1 if none */
	enum length length;
	char conv;
};

struct out {
	struct capbox_sink *sink;
	size_t total;
};

static void emit(struct out *o, const char *data, size_t len)
{
	if (len == 0)
		return;
	o->sink->put(o->sink, data, len);
	o->total += len;
}

/* n copies of c (c is ' ' or '0'). */
static void emit_fill(struct out *o, char c, size_t n)
{
	static const char spaces[] = "                ";
	static const char zeros[] = "0000000000000000";
	const char *run = c == '0' ? zeros : spaces;

	while (n > 0) {
		size_t chunk = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		emit(o, run, chunk);
		n -= chunk;
	}
}

/* Emit body (len bytes) padded to the field width. */
static void emit_padded(struct out *o, const struct spec *sp, const char *body,
			size_t len)
{
	size_t pad = (size_t)sp->width > len ? (size_t)sp->width - len : 0;

	if ((sp->flags & FLAG_MINUS) == 0)
		emit_fill(o, ' ', pad);
	emit(o, body, len);
	if ((sp->flags & FLAG_MINUS) != 0)
		emit_fill(o, ' ', pad);
}

/* An integer conversion: prefix (sign or 0x), zeros, digits, padding. */
static void emit_integer(struct out *o, const struct spec *sp,
			 uintmax_t magnitude, bool negative)
{
	char digits[3 * sizeof(uintmax_t)]; /* enough for octal */
	const char *alphabet = sp->conv == 'X' ? "0123456789ABCDEF"
					       : "0123456789abcdef";
	unsigned base = 10;
	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;

	/* Digits, least significant first; none for 0 at precision 0. */
	size_t ndigits = 0;
	for (uintmax_t v = magnitude; v != 0; v /= base)
		digits[ndigits++] = alphabet[v % base];
	if (magnitude == 0 && sp->precision != 0)
		digits[ndigits++] = '0';

	size_t min_digits = sp->precision < 0 ? 1 : (size_t)sp->precision;
	if (sp->conv == 'o' && (sp->flags & FLAG_HASH) != 0 &&
	    (ndigits == 0 || digits[ndigits - 1] != '0') &&
	    min_digits <= ndigits)
		min_digits = ndigits + 1; /* the alternate form's leading 0 */

	char prefix[2];
	size_t prefix_len = 0;
	if (sp->conv == 'd' || sp->conv == 'i') {
		if (negative)
			prefix[prefix_len++] = '-';
		else if ((sp->flags & FLAG_PLUS) != 0)
			prefix[prefix_len++] = '+';
		else if ((sp->flags & FLAG_SPACE) != 0)
			prefix[prefix_len++] = ' ';
	} else if (sp->conv == 'p' ||
		   ((sp->conv == 'x' || sp->conv == 'X') &&
		    (sp->flags & FLAG_HASH) != 0 && magnitude != 0)) {
		prefix[prefix_len++] = '0';
		prefix[prefix_len++] = sp->conv == 'X' ? 'X' : 'x';
	}

	size_t zeros = min_digits > ndigits ? min_digits - ndigits : 0;
	size_t body = prefix_len + zeros + ndigits;
	if ((sp->flags & (FLAG_ZERO | FLAG_MINUS)) == FLAG_ZERO &&
	    sp->precision < 0 && (size_t)sp->width > body) {
		zeros += (size_t)sp->width - body;
		body = (size_t)sp->width;
	}
	size_t pad = (size_t)sp->width > body ? (size_t)sp->width - body : 0;

	if ((sp->flags & FLAG_MINUS) == 0)
		emit_fill(o, ' ', pad);
	emit(o, prefix, prefix_len);
	emit_fill(o, '0', zeros);
	while (ndigits > 0) {
		ndigits--;
		emit(o, &digits[ndigits], 1);
	}
	if ((sp->flags & FLAG_MINUS) != 0)
		emit_fill(o, ' ', pad);
}

/* What a floating-point body writes: to o, or (o NULL) only counted, so
 * that the padding is known before anything is written. */
struct body {
	struct out *o;
	size_t len;
};

static void body_put(struct body *b, const char *data, size_t len)
{
	if (b->o != NULL)
		emit(b->o, data, len);
	b->len += len;
}

static void body_zeros(struct body *b, size_t n)
{
	if (b->o != NULL)
		emit_fill(b->o, '0', n);
	b->len += n;
}

/* The digits of D from place `from` on, `count` of them ('0' beyond D). */
static void body_digits(struct body *b, const struct capbox_decimal *d,
			int from, size_t count)
{
	if (from < 0) {
		size_t lead = (size_t)-from < count ? (size_t)-from : count;
		body_zeros(b, lead);
		count -= lead;
		from = 0;
	}
	size_t have = from < d->ndigits ? (size_t)(d->ndigits - from) : 0;
	if (have > count)
		have = count;
	body_put(b, d->digits + from, have);
	body_zeros(b, count - have);
}

/* The fraction digits %g keeps: none of D's trailing zeros. */
static size_t significant_fraction(const struct capbox_decimal *d,
				   int first_place, size_t precision)
{
	size_t sig = d->ndigits > first_place
			     ? (size_t)(d->ndigits - first_place)
			     : 0;
	return sig < precision ? sig : precision;
}

/* %f: integer digits, then precision fraction digits. */
static void body_fixed(struct body *b, const struct capbox_decimal *d,
		       size_t precision, bool hash, bool strip)
{
	if (d->point <= 0)
		body_put(b, "0", 1);
	else
		body_digits(b, d, 0, (size_t)d->point);
	if (strip)
		precision = significant_fraction(d, d->point, precision);
	if (precision > 0 || hash)
		body_put(b, ".", 1);
	body_digits(b, d, d->point, precision);
}

/* %e: one digit, precision fraction digits, the exponent (2 digits or more). */
static void body_exponent(struct body *b, const struct capbox_decimal *d,
			  size_t precision, bool hash, bool strip, bool upper)
{
	body_digits(b, d, 0, 1);
	if (strip)
		precision = significant_fraction(d, 1, precision);
	if (precision > 0 || hash)
		body_put(b, ".", 1);
	body_digits(b, d, 1, precision);
	int exponent = d->ndigits == 0 ? 0 : d->point - 1;
	char text[8];
	size_t n = 0;
	text[n++] = upper ? 'E' : 'e';
	text[n++] = exponent < 0 ? '-' : '+';
	unsigned mag = exponent < 0 ? (unsigned)-exponent : (unsigned)exponent;
	char rev[4];
	size_t nrev = 0;
	do {
		rev[nrev++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (nrev < 2)
		rev[nrev++] = '0';
	while (nrev > 0)
		text[n++] = rev[--nrev];
	body_put(b, text, n);
}

/* The body of a finite %f, %e or %g conversion of magnitude d. */
static void body_float(struct body *b, const struct spec *sp,
		       struct capbox_decimal *d)
{
	bool hash = (sp->flags & FLAG_HASH) != 0;
	bool upper = sp->conv == 'E' || sp->conv == 'G';
	size_t precision = sp->precision < 0 ? 6 : (size_t)sp->precision;

	switch (sp->conv) {
	case 'f':
	case 'F':
		body_fixed(b, d, precision, hash, false);
		return;
	case 'e':
	case 'E':
		body_exponent(b, d, precision, hash, false, upper);
		return;
	default: { /* g, G: %e or %f with precision significant digits */
		if (precision == 0)
			precision = 1;
		int exponent = d->ndigits == 0 ? 0 : d->point - 1;
		if ((long)precision > exponent && exponent >= -4)
			body_fixed(b, d, precision - 1 - (size_t)(long)exponent,
				   hash, !hash);
		else
			body_exponent(b, d, precision - 1, hash, !hash, upper);
		return;
	}
	}
}

/* A floating-point conversion: sign, then the digits or inf/nan, padded. */
static void emit_float(struct out *o, const struct spec *sp, double value)
{
	bool negative = __builtin_signbit(value);
	bool upper = sp->conv == 'F' || sp->conv == 'E' || sp->conv == 'G';
	bool finite = __builtin_isfinite(value);
	char sign = negative                        ? '-'
		    : (sp->flags & FLAG_PLUS) != 0  ? '+'
		    : (sp->flags & FLAG_SPACE) != 0 ? ' '
						    : '\0';
	struct capbox_decimal d;
	const char *special = NULL;

	if (finite) {
		size_t precision = sp->precision < 0 ? 6
						     : (size_t)sp->precision;
		__capbox_decimal_exact(negative ? -value : value, &d);
		if (sp->conv == 'f' || sp->conv == 'F') {
			long keep = (long)d.point + (long)precision;
			__capbox_decimal_round(&d, keep > INT_MAX ? INT_MAX
								  : (int)keep);
		} else {
			if ((sp->conv == 'g' || sp->conv == 'G') &&
			    precision == 0)
				precision = 1;
			size_t keep = sp->conv == 'e' || sp->conv == 'E'
					      ? precision + 1
					      : precision;
			__capbox_decimal_round(&d, keep > INT_MAX ? INT_MAX
								  : (int)keep);
		}
	} else {
		special = __builtin_isnan(value) ? (upper ? "NAN" : "nan")
						 : (upper ? "INF" : "inf");
	}

	struct body count = {.o = NULL, .len = sign != '\0'};
	if (special != NULL)
		count.len += 3;
	else
		body_float(&count, sp, &d);
	size_t pad = (size_t)sp->width > count.len
			     ? (size_t)sp->width - count.len
			     : 0;
	bool zero_pad = finite &&
			(sp->flags & (FLAG_ZERO | FLAG_MINUS)) == FLAG_ZERO;

	if ((sp->flags & FLAG_MINUS) == 0 && !zero_pad)
		emit_fill(o, ' ', pad);
	if (sign != '\0')
		emit(o, &sign, 1);
	if (zero_pad)
		emit_fill(o, '0', pad);
	if (special != NULL) {
		emit(o, special, 3);
	} else {
		struct body out = {.o = o, .len = 0};
		body_float(&out, sp, &d);
	}
	if ((sp->flags & FLAG_MINUS) != 0)
		emit_fill(o, ' ', pad);
}

/* Fetch a signed argument of the spec's length as its magnitude. */
static uintmax_t fetch_signed(const struct spec *sp, va_list *ap,
			      bool *negative)
{
	intmax_t v;

	switch (sp->length) {
	case LEN_HH:
		v = (signed char)va_arg(*ap, int);
		break;
	case LEN_H:
		v = (short)va_arg(*ap, int);
		break;
	case LEN_L:
		v = va_arg(*ap, long);
		break;
	case LEN_LL:
		v = va_arg(*ap, long long);
		break;
	case LEN_Z: /* the signed type of size_t's width */
		v = va_arg(*ap, long);
		break;
	case LEN_J:
		v = va_arg(*ap, intmax_t);
		break;
	case LEN_T:
		v = va_arg(*ap, ptrdiff_t);
		break;
	case LEN_NONE:
	default:
		v = va_arg(*ap, int);
		break;
	}
	*negative = v < 0;
	/* Negate in unsigned arithmetic: correct for INTMAX_MIN too. */
	return v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;
}

static uintmax_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	case LEN_T: /* the unsigned type of ptrdiff_t's width */
		return va_arg(*ap, size_t);
	case LEN_NONE:
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parse a decimal field at *p; EOVERFLOW above INT_MAX. */
static int parse_decimal(const char **p, int *value)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		int digit = **p - '0';
		if (v > (INT_MAX - digit) / 10)
			return EOVERFLOW;
		v = v * 10 + digit;
		(*p)++;
	}
	*value = v;
	return 0;
}

/* Parse one conversion specification after its '%'. */
static int parse_spec(const char **p, struct spec *sp, va_list *ap)
{
	const char *f = *p;
	int err;

	sp->flags = 0;
	for (;; f++) {
		if (*f == '-')
			sp->flags |= FLAG_MINUS;
		else if (*f == '+')
			sp->flags |= FLAG_PLUS;
		else if (*f == ' ')
			sp->flags |= FLAG_SPACE;
		else if (*f == '#')
			sp->flags |= FLAG_HASH;
		else if (*f == '0')
			sp->flags |= FLAG_ZERO;
		else
			break;
	}

	sp->width = 0;
	if (*f == '*') {
		int w = va_arg(*ap, int);
		f++;
		if (w < 0) {
			if (w == INT_MIN)
				return EOVERFLOW;
			sp->flags |= FLAG_MINUS;
			w = -w;
		}
		sp->width = w;
	} else if ((err = parse_decimal(&f, &sp->width)) != 0) {
		return err;
	}

	sp->precision = -1;
	if (*f == '.') {
		f++;
		if (*f == '*') {
			int prec = va_arg(*ap, int);
			f++;
			sp->precision = prec < 0 ? -1
						 : prec; /* as if omitted */
		} else if ((err = parse_decimal(&f, &sp->precision)) != 0) {
			return err;
		}
	}

	sp->length = LEN_NONE;
	if (f[0] == 'h' && f[1] == 'h') {
		sp->length = LEN_HH;
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		sp->length = LEN_LL;
		f += 2;
	} else if (*f == 'h') {
		sp->length = LEN_H;
		f++;
	} else if (*f == 'l') {
		sp->length = LEN_L;
		f++;
	} else if (*f == 'z') {
		sp->length = LEN_Z;
		f++;
	} else if (*f == 'j') {
		sp->length = LEN_J;
		f++;
	} else if (*f == 't') {
		sp->length = LEN_T;
		f++;
	}

	sp->conv = *f;
	if (*f != '\0')
		f++;
	*p = f;
	return 0;
}

/* Format one parsed conversion. */
static int convert(struct out *o, const struct spec *sp, va_list *ap)
{
	bool negative = false;
	uintmax_t magnitude;

	switch (sp->conv) {
	case 'd':
	case 'i':
		magnitude = fetch_signed(sp, ap, &negative);
		emit_integer(o, sp, magnitude, negative);
		return 0;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		emit_integer(o, sp, fetch_unsigned(sp, ap), false);
		return 0;
	case 'p':
		if (sp->length != LEN_NONE)
			return EINVAL;
		emit_integer(o, sp, (uintptr_t)va_arg(*ap, void *), false);
		return 0;
	case 'c': {
		if (sp->length != LEN_NONE)
			return EINVAL; /* no wide characters */
		char c = (char)(unsigned char)va_arg(*ap, int);
		emit_padded(o, sp, &c, 1);
		return 0;
	}
	case 's': {
		if (sp->length != LEN_NONE)
			return EINVAL; /* no wide strings */
		const char *s = va_arg(*ap, const char *);
		if (s == NULL)
			s = "(null)";
		size_t len = sp->precision < 0
				     ? strlen(s)
				     : strnlen(s, (size_t)sp->precision);
		emit_padded(o, sp, s, len);
		return 0;
	}
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
		if (sp->length != LEN_NONE && sp->length != LEN_L)
			return EINVAL; /* no long double */
		emit_float(o, sp, va_arg(*ap, double));
		return 0;
	case '%':
		emit(o, "%", 1);
		return 0;
	default:
		return EINVAL; /* unknown conversion, %n, or a truncated one */
	}
}

int __capbox_vformat(struct capbox_sink *sink, size_t *total,
		     const char *format, va_list ap)
{
	struct out o = {.sink = sink, .total = 0};
	va_list args;
	int err = 0;

	va_copy(args, ap);
	const char *f = format;
	while (*f != '\0') {
		const char *pct = strchr(f, '%');
		if (pct == NULL) {
			emit(&o, f, strlen(f));
			break;
		}
		emit(&o, f, (size_t)(pct - f));
		f = pct + 1;

		struct spec sp;
		if ((err = parse_spec(&f, &sp, &args)) != 0 ||
		    (err = convert(&o, &sp, &args)) != 0)
			break;
	}
	va_end(args);

	if (err == 0 && o.total > INT_MAX)
		err = EOVERFLOW;
	*total = o.total;
	return err;
}

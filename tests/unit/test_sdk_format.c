/* test_sdk_format.c: the guest SDK's printf engine against the host C library, for floating point conversions above all. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../sdk/libc/capbox_internal.h"

struct buffer_sink {
	struct capbox_sink sink;
	char text[4096];
	size_t len;
};

static void buffer_put(struct capbox_sink *sink, const char *data, size_t len)
{
	struct buffer_sink *b = (struct buffer_sink *)sink;
	size_t room = sizeof(b->text) - 1 - b->len;
	if (len > room)
		len = room;
	memcpy(b->text + b->len, data, len);
	b->len += len;
}

/* The SDK's output for format with one double, NUL-terminated in out. */
static int sdk_format(char *out, size_t size, const char *format, ...)
{
	struct buffer_sink b = {.sink = {.put = buffer_put}};
	size_t total = 0;
	va_list ap;
	va_start(ap, format);
	int err = __capbox_vformat(&b.sink, &total, format, ap);
	va_end(ap);
	b.text[b.len] = '\0';
	snprintf(out, size, "%s", b.text);
	return err != 0 ? -1 : (int)total;
}

static const char *const formats[] = {
	"%f",      "%.0f",     "%.1f",     "%.3f",  "%.20f", "%.60f",
	"%e",      "%.0e",     "%.3E",     "%.16e", "%g",    "%.0g",
	"%.3g",    "%#g",      "%#.0f",    "%#.0e", "%+f",   "% e",
	"%010.3f", "%-14.2e|", "%G",       "%.17g", "%#.3G", "%+015.4g",
	"%lf",     "%12f",     "%-+9.1f|", "%.1e",  "%g|%f",
};

/* Every format of the list: the SDK must print what glibc prints.  The
 * formats come from the table above, so a non-literal format is intended. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int compare(double v, const char *format, int quiet)
{
	char want[4096], got[4096];
	int rw, rg;
	if (strcmp(format, "%g|%f") == 0) {
		rw = snprintf(want, sizeof(want), format, v, v);
		rg = sdk_format(got, sizeof(got), format, v, v);
	} else {
		rw = snprintf(want, sizeof(want), format, v);
		rg = sdk_format(got, sizeof(got), format, v);
	}
	int same = rw == rg && strcmp(want, got) == 0;
	if (!same || !quiet)
		CHECK(same, "%s of %a: \"%s\" (glibc \"%s\")", format, v, got,
		      want);
	return same;
}

int main(void)
{
	static const double values[] = {
		0.0,      -0.0,          0.5,       1.5,     2.5,      -2.5,
		0.125,    0.375,         1e-300,    DBL_MAX, DBL_MIN,  5e-324,
		1.0 / 3,  123456789.125, 9.9999995, 0.05,    0.15,     999999.5,
		99999.95, 1e21,          1e-5,      0.0001,  123456.0, 1e15,
		-1e100,   INFINITY,      -INFINITY, NAN,     -NAN,     3.0e-310,
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]);
		     f++)
			if (values[i] != 999999.5 ||
			    strcmp(formats[f], "%#g") != 0)
				compare(values[i], formats[f], 0);

	/* glibc 2.36 prints "1.e+06" here: rounding up to a new power of
	 * ten drops the zeros that # must keep (C11 7.21.6.1: "for g and G
	 * conversions, trailing zeros are not removed"). */
	char got[64];
	sdk_format(got, sizeof(got), "%#g", 999999.5);
	CHECK(strcmp(got, "1.00000e+06") == 0,
	      "%%#g of 999999.5 keeps its zeros: \"%s\"", got);

	/* Random bit patterns: every exponent, subnormals, inf and nan. */
	unsigned long mismatches = 0, n = 0;
	uint64_t state = 0x9e3779b97f4a7c15u;
	for (int round = 0; round < 40000; round++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		double v;
		memcpy(&v, &state, sizeof(v));
		const char *format =
			formats[state % (sizeof(formats) / sizeof(formats[0]))];
		n++;
		if (!compare(v, format, 1) && ++mismatches > 10)
			break;
	}
	CHECK(mismatches == 0, "%lu random doubles print as glibc prints them",
	      n);

	CHECK(sdk_format(got, sizeof(got), "%Lf", 1.0) == -1,
	      "%%Lf (long double) is refused, not misread");
	CHECK(sdk_format(got, sizeof(got), "%a", 1.0) == -1, "%%a is refused");
	return check_done();
}

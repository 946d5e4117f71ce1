/* limits_parse.c: the values of the limit options: durations, sizes, CPUs; every malformed or out-of-range value refused. */
#include "limits/limits.h"

#include <string.h>

/*
 * A decimal number with at most `decimals` digits after the point, as an
 * integer scaled by 10^decimals, followed by a suffix that *rest points
 * to.  -1 on no digits, too many decimals or overflow.
 */
static int decimal(const char *text, int decimals, uint64_t *scaled,
		   const char **rest)
{
	uint64_t v = 0;
	int digits = 0, after = -1;
	const char *p = text;
	for (;; p++) {
		if (*p == '.' && after < 0) {
			after = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		if (after >= 0 && ++after > decimals)
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		digits++;
	}
	if (digits == 0)
		return -1;
	for (int i = after < 0 ? 0 : after; i < decimals; i++) {
		if (v > UINT64_MAX / 10)
			return -1;
		v *= 10;
	}
	*scaled = v;
	*rest = p;
	return 0;
}

/* v * num / den without overflow for the bounds used here; -1 beyond max. */
static int scale(uint64_t v, uint64_t num, uint64_t den, uint64_t max,
		 uint64_t *out)
{
	__uint128_t r = (__uint128_t)v * num / den;
	if (r > max)
		return -1;
	*out = (uint64_t)r;
	return 0;
}

int limits_parse_duration(const char *text, uint64_t *ns)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = {
		{"", 1000000000u},
		{"s", 1000000000u},
		{"ms", 1000000u},
		{"m", UINT64_C(60) * 1000000000u},
		{"h", UINT64_C(3600) * 1000000000u},
	};
	uint64_t v;
	const char *rest;
	if (decimal(text, 3, &v, &rest) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(rest, units[i].suffix) != 0)
			continue;
		if (scale(v, units[i].ns, 1000, LIMITS_DURATION_MAX_NS, ns) !=
			    0 ||
		    *ns < 1000000u) /* 1 ms at least */
			return -1;
		return 0;
	}
	return -1;
}

int limits_parse_size(const char *text, uint64_t *bytes)
{
	static const char suffixes[] = "KMGT";
	uint64_t v;
	const char *rest;
	if (decimal(text, 0, &v, &rest) != 0)
		return -1;
	uint64_t unit = 1;
	if (*rest != '\0') {
		const char *at = strchr(suffixes, *rest);
		if (at == NULL)
			return -1;
		unit = UINT64_C(1) << (10 * (at - suffixes + 1));
		rest++;
		/* K, KiB and KB all mean 1024 (as ulimit and cgroups do) */
		if (strcmp(rest, "iB") == 0 || strcmp(rest, "B") == 0)
			rest += strlen(rest);
	}
	if (*rest != '\0' || v == 0)
		return -1;
	return scale(v, unit, 1, LIMITS_SIZE_MAX, bytes);
}

int limits_parse_cpus(const char *text, uint32_t *milli)
{
	uint64_t v;
	const char *rest;
	if (decimal(text, 3, &v, &rest) != 0 || *rest != '\0' || v < 10 ||
	    v > 1024 * 1000) /* 0.01 .. 1024 CPUs */
		return -1;
	*milli = (uint32_t)v;
	return 0;
}

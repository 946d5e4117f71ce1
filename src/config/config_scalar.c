/* config_scalar.c: types YAML scalars: !!str !!int !!bool !!float !!null !!timestamp !!binary and untagged guessing. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

typedef int (*scalar_fn)(struct config_builder *b, const yaml_event_t *ev,
			 const char *s, size_t len, struct argdata_node *out);

static bool is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words != NULL; words++) {
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return true;
	}
	return false;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
/* YAML 1.1 spellings, accepted only with an explicit !!bool. */
static const char *const true_words_11[] = {"y",  "Y",  "yes", "Yes", "YES",
					    "on", "On", "ON",  NULL};
static const char *const false_words_11[] = {"n",   "N",   "no",  "No", "NO",
					     "off", "Off", "OFF", NULL};

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * [-+]? then 0x HEX, 0o OCT, 0b BIN or DECIMAL digits ('_' may separate
 * digits).  0 int node, 1 not an integer, 2 out of range.
 */
static int parse_int(const char *s, size_t len, struct argdata_node *out)
{
	size_t i = 0;
	bool negative = false;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		negative = s[i++] == '-';
	unsigned base = 10;
	if (len - i > 2 && s[i] == '0' &&
	    (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b')) {
		base = s[i + 1] == 'x' ? 16 : s[i + 1] == 'o' ? 8 : 2;
		i += 2;
	}
	if (i == len || s[i] == '_')
		return 1;
	uint64_t v = 0;
	bool overflow = false;
	for (; i < len; i++) {
		if (s[i] == '_')
			continue;
		unsigned d = (unsigned)digit_value(s[i]);
		if (d >= base)
			return 1;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return 2;
	if (negative) {
		if (v > (uint64_t)INT64_MAX + 1)
			return 2;
		*out = argdata_node_int(
			v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v);
	} else {
		*out = v > INT64_MAX ? argdata_node_uint(v)
				     : argdata_node_int((int64_t)v);
	}
	return 0;
}

static struct argdata_node float_node(double d)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof(bits));
	return argdata_node_float_bits(bits);
}

/* YAML 1.2 core floats: 0 float node, 1 not a float, 2 out of range. */
static int parse_float(const char *s, size_t len, struct argdata_node *out)
{
	size_t i = 0;
	bool negative = false;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		negative = s[i++] == '-';
	static const char *const inf[] = {".inf", ".Inf", ".INF", NULL};
	static const char *const nan[] = {".nan", ".NaN", ".NAN", NULL};
	if (is_one_of(s + i, len - i, inf)) {
		*out = float_node(negative ? -INFINITY : INFINITY);
		return 0;
	}
	if (i == 0 && is_one_of(s, len, nan)) {
		*out = float_node(NAN);
		return 0;
	}
	size_t digits = 0, frac = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, frac++;
	}
	if (digits + frac == 0)
		return 1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t exp = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, exp++;
		if (exp == 0)
			return 1;
	}
	if (i != len || len > 400)
		return len > 400 ? 2 : 1;
	char buf[401];
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	double d = strtod(buf, NULL);
	if (errno == ERANGE && isinf(d))
		return 2;
	*out = float_node(d);
	return 0;
}

static int scalar_str(struct config_builder *b, const yaml_event_t *ev,
		      const char *s, size_t len, struct argdata_node *out)
{
	if (!argdata_utf8_valid((const uint8_t *)s, len)) {
		config_error(b, ev->start_mark, "a string must be valid UTF-8");
		return -1;
	}
	char *copy = config_strndup(b, s, len);
	if (copy == NULL)
		return -1;
	*out = argdata_node_str(copy, len);
	return 0;
}

static int scalar_null(struct config_builder *b, const yaml_event_t *ev,
		       const char *s, size_t len, struct argdata_node *out)
{
	if (!is_one_of(s, len, null_words)) {
		config_error(b, ev->start_mark,
			     "!!null: expected nothing, ~ or null");
		return -1;
	}
	*out = argdata_node_null();
	return 0;
}

static int scalar_bool(struct config_builder *b, const yaml_event_t *ev,
		       const char *s, size_t len, struct argdata_node *out)
{
	if (is_one_of(s, len, true_words) || is_one_of(s, len, true_words_11))
		*out = argdata_node_bool(true);
	else if (is_one_of(s, len, false_words) ||
		 is_one_of(s, len, false_words_11))
		*out = argdata_node_bool(false);
	else {
		config_error(b, ev->start_mark,
			     "!!bool: expected true or false");
		return -1;
	}
	return 0;
}

static int scalar_int(struct config_builder *b, const yaml_event_t *ev,
		      const char *s, size_t len, struct argdata_node *out)
{
	int r = parse_int(s, len, out);
	if (r == 1)
		config_error(
			b, ev->start_mark,
			"!!int: expected an integer (decimal, 0x hex, 0o octal or 0b binary)");
	else if (r == 2)
		config_error(b, ev->start_mark,
			     "!!int: out of range (-2^63 .. 2^64-1)");
	return r == 0 ? 0 : -1;
}

static int scalar_float(struct config_builder *b, const yaml_event_t *ev,
			const char *s, size_t len, struct argdata_node *out)
{
	int r = parse_float(s, len, out);
	if (r == 1)
		config_error(
			b, ev->start_mark,
			"!!float: expected a number such as 1.5, -2e10, .inf or .nan");
	else if (r == 2)
		config_error(b, ev->start_mark,
			     "!!float: out of range of a 64-bit float");
	return r == 0 ? 0 : -1;
}

static int base64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int scalar_binary(struct config_builder *b, const yaml_event_t *ev,
			 const char *s, size_t len, struct argdata_node *out)
{
	uint8_t *data = config_alloc(b, len / 4 * 3 + 3);
	if (data == NULL)
		return -1;
	size_t n = 0, group = 0, pad = 0;
	uint32_t acc = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		int v = base64_value(c);
		if (c == '=' && group >= 2) {
			pad++;
			v = 0;
		} else if (v < 0 || pad > 0) {
			config_error(
				b, ev->start_mark,
				"!!binary: expected base64 text (A-Z a-z 0-9 + / and = padding)");
			return -1;
		}
		acc = acc << 6 | (uint32_t)v;
		if (++group == 4) {
			data[n++] = (uint8_t)(acc >> 16);
			if (pad < 2)
				data[n++] = (uint8_t)(acc >> 8);
			if (pad < 1)
				data[n++] = (uint8_t)acc;
			group = 0;
			acc = 0;
		}
	}
	if (group != 0) {
		config_error(
			b, ev->start_mark,
			"!!binary: base64 text must come in groups of 4 characters (pad with =)");
		return -1;
	}
	*out = argdata_node_binary(data, n);
	return 0;
}

/* Reads exactly `count` digits at s[*i]. */
static bool take_digits(const char *s, size_t len, size_t *i, size_t min,
			size_t max, int64_t *v)
{
	size_t n = 0;
	*v = 0;
	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++, n++;
	}
	return n >= min;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* YYYY-MM-DD, optionally [Tt ]HH:MM:SS[.frac][ ][Z|+HH[:MM]]. */
static int parse_timestamp(const char *s, size_t len, int64_t *ns)
{
	size_t i = 0;
	int64_t y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, off = 0;
	if (!take_digits(s, len, &i, 4, 4, &y) || i >= len || s[i++] != '-' ||
	    !take_digits(s, len, &i, 1, 2, &mo) || i >= len || s[i++] != '-' ||
	    !take_digits(s, len, &i, 1, 2, &d))
		return 1;
	if (i < len) {
		if (s[i] == 'T' || s[i] == 't')
			i++;
		else
			while (i < len && (s[i] == ' ' || s[i] == '\t'))
				i++;
		if (!take_digits(s, len, &i, 1, 2, &h) || i >= len ||
		    s[i++] != ':' || !take_digits(s, len, &i, 2, 2, &mi) ||
		    i >= len || s[i++] != ':' ||
		    !take_digits(s, len, &i, 2, 2, &sec))
			return 1;
		if (i < len && s[i] == '.') {
			i++;
			size_t n = 0;
			if (i >= len || s[i] < '0' || s[i] > '9')
				return 1;
			for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++)
				if (n < 9)
					frac = frac * 10 + (s[i] - '0');
			for (; n < 9; n++)
				frac *= 10;
		}
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] == 'Z') {
			i++;
		} else if (i < len && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1;
			int64_t oh, om = 0;
			if (!take_digits(s, len, &i, 1, 2, &oh))
				return 1;
			if (i < len && s[i] == ':') {
				i++;
				if (!take_digits(s, len, &i, 2, 2, &om))
					return 1;
			}
			if (oh > 23 || om > 59)
				return 1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (i != len)
		return 1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 60)
		return 1;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		       sec - off;
	if (__builtin_mul_overflow(secs, (int64_t)1000000000, ns) ||
	    __builtin_add_overflow(*ns, frac, ns))
		return 2;
	return 0;
}

static int scalar_timestamp(struct config_builder *b, const yaml_event_t *ev,
			    const char *s, size_t len, struct argdata_node *out)
{
	int64_t ns;
	int r = parse_timestamp(s, len, &ns);
	if (r == 1)
		config_error(
			b, ev->start_mark,
			"!!timestamp: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM]");
	else if (r == 2)
		config_error(b, ev->start_mark,
			     "!!timestamp: out of range (years 1678 .. 2261)");
	if (r != 0)
		return -1;
	*out = argdata_node_timestamp(ns);
	return 0;
}

/* Untagged plain scalars with --untagged=guess: YAML 1.2 core schema. */
static int scalar_guess(struct config_builder *b, const yaml_event_t *ev,
			const char *s, size_t len, struct argdata_node *out)
{
	if (is_one_of(s, len, null_words)) {
		*out = argdata_node_null();
		return 0;
	}
	if (is_one_of(s, len, true_words) || is_one_of(s, len, false_words))
		return scalar_bool(b, ev, s, len, out);
	int r = parse_int(s, len, out);
	if (r == 2) {
		config_error(
			b, ev->start_mark,
			"integer out of range (-2^63 .. 2^64-1); quote it to make it a string");
		return -1;
	}
	if (r == 0)
		return 0;
	r = parse_float(s, len, out);
	if (r == 0)
		return 0;
	return scalar_str(b, ev, s, len, out);
}

static const struct {
	const char *name;
	scalar_fn fn;
} yaml_tags[] = {
	{"str", scalar_str},
	{"null", scalar_null},
	{"bool", scalar_bool},
	{"int", scalar_int},
	{"float", scalar_float},
	{"binary", scalar_binary},
	{"timestamp", scalar_timestamp},
};

int config_scalar(struct config_builder *b, const yaml_event_t *ev,
		  struct argdata_node *out)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (tag == NULL) {
		if (!plain)
			return scalar_str(b, ev, s, len, out);
		if (b->opts->untagged == CONFIG_UNTAGGED_GUESS)
			return scalar_guess(b, ev, s, len, out);
		if (len == 0) {
			*out = argdata_node_null();
			return 0;
		}
		return scalar_str(b, ev, s, len, out);
	}
	if (strcmp(tag, "!") == 0)
		return scalar_str(b, ev, s, len, out);
	size_t ylen = strlen(CONFIG_TAG_YAML);
	if (strncmp(tag, CONFIG_TAG_YAML, ylen) == 0) {
		for (size_t i = 0; i < sizeof(yaml_tags) / sizeof(yaml_tags[0]);
		     i++) {
			if (strcmp(tag + ylen, yaml_tags[i].name) == 0)
				return yaml_tags[i].fn(b, ev, s, len, out);
		}
	}
	config_bad_tag(b, ev, "scalar");
	return -1;
}

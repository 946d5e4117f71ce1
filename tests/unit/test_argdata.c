/* test_argdata.c: byte-exact unit tests of the argdata reader, validator, encoder and fd renumbering. */
#include "common/argdata.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

#define AD(...)                                                                \
	argdata_from_buffer((const uint8_t[]){__VA_ARGS__},                    \
			    sizeof((const uint8_t[]){__VA_ARGS__}))

static uint8_t out[1 << 16];

/* Encode node and compare with the expected bytes. */
static void check_encode(const struct argdata_node *n, const uint8_t *want,
			 size_t wantlen, const char *desc)
{
	size_t used = 0, size = 0;
	int r1 = argdata_encoded_size(n, &size);
	int r2;

	memset(out, 0xaa, sizeof(out));
	r2 = argdata_encode(n, out, sizeof(out), &used);
	CHECK(r1 == ARGDATA_OK && r2 == ARGDATA_OK && size == wantlen &&
		      used == wantlen && memcmp(out, want, wantlen) == 0,
	      "encode %s", desc);
}

#define ENC(node, desc, ...)                                                   \
	do {                                                                   \
		struct argdata_node n_ = (node);                               \
		const uint8_t w_[] = {__VA_ARGS__};                            \
		check_encode(&n_, w_, sizeof(w_), desc);                       \
	} while (0)

static void test_example(void)
{
	static const uint8_t want[] = {0x06, 0x85, 0x08, 0x6f, 0x75, 0x74, 0x00,
				       0x85, 0x03, 0x00, 0x00, 0x00, 0x00, 0x86,
				       0x08, 0x6e, 0x61, 0x6d, 0x65, 0x00, 0x8a,
				       0x08, 0x43, 0x6c, 0x6f, 0x75, 0x64, 0x41,
				       0x42, 0x49, 0x00};
	struct argdata_node kv[4] = {
		argdata_node_str_c("out"), argdata_node_fd(0),
		argdata_node_str_c("name"), argdata_node_str_c("CloudABI")};
	struct argdata_node map = argdata_node_map(kv, 4);
	argdata_t ad = argdata_from_buffer(want, sizeof(want));
	struct argdata_iter it;
	argdata_t k, v;
	const char *s = NULL;
	size_t len = 0, count = 0;
	uint32_t fd = 99;
	int r;

	check_encode(&map, want, sizeof(want), "RUNTIME-FACTS example");
	CHECK_EQ(argdata_validate(ad), ARGDATA_OK, "example validates");
	CHECK_EQ(argdata_map_find(ad, "out", 3, &v), ARGDATA_OK, "find out");
	CHECK(argdata_get_fd(v, &fd) == ARGDATA_OK && fd == 0, "out = fd 0");
	CHECK_EQ(argdata_map_find(ad, "name", 4, &v), ARGDATA_OK, "find name");
	CHECK(argdata_get_str_c(v, &s) == ARGDATA_OK &&
		      strcmp(s, "CloudABI") == 0,
	      "name = CloudABI");
	CHECK_EQ(argdata_map_find(ad, "nam", 3, &v), ARGDATA_ENOENT,
		 "prefix of a key is not found");
	CHECK_EQ(argdata_map_iter(ad, &it), ARGDATA_OK, "map iter");
	while ((r = argdata_map_next(&it, &k, &v)) == ARGDATA_OK) {
		count++;
		if (count == 1)
			CHECK(argdata_get_str(k, &s, &len) == ARGDATA_OK &&
				      len == 3 && memcmp(s, "out", 3) == 0,
			      "first key out");
	}
	CHECK_EQ(r, ARGDATA_END, "iteration ends cleanly");
	CHECK_EQ(count, 2, "two entries");
	CHECK_EQ(argdata_map_next(&it, &k, &v), ARGDATA_END, "END is sticky");
	CHECK_EQ(argdata_seq_iter(ad, &it), ARGDATA_EINVAL,
		 "seq iter on map rejected");
}

/* A seq holding one element of exactly elen bytes: prefix bytes checked. */
static void check_prefix(size_t elen, const uint8_t *prefix, size_t plen)
{
	static uint8_t payload[20000];
	struct argdata_node child = elen == 0 ? argdata_node_null()
					      : argdata_node_binary(payload,
								    elen - 1);
	struct argdata_node seq = argdata_node_seq(&child, 1);
	struct argdata_iter it;
	argdata_t v;
	size_t used = 0;
	int r;

	r = argdata_encode(&seq, out, sizeof(out), &used);
	CHECK(r == ARGDATA_OK && used == 1 + plen + elen && out[0] == 0x07 &&
		      memcmp(out + 1, prefix, plen) == 0,
	      "length prefix for %zu", elen);
	argdata_seq_iter(argdata_from_buffer(out, used), &it);
	r = argdata_seq_next(&it, &v);
	CHECK(r == ARGDATA_OK && v.len == elen && v.buf == out + 1 + plen &&
		      argdata_seq_next(&it, &v) == ARGDATA_END,
	      "decode length prefix %zu", elen);
}

static void test_lengths(void)
{
	struct argdata_node child, seq;
	size_t size = 0;

	check_prefix(0, (const uint8_t[]){0x80}, 1);
	check_prefix(1, (const uint8_t[]){0x81}, 1);
	check_prefix(6, (const uint8_t[]){0x86}, 1);
	check_prefix(127, (const uint8_t[]){0xff}, 1);
	check_prefix(128, (const uint8_t[]){0x01, 0x80}, 2);
	check_prefix(16383, (const uint8_t[]){0x7f, 0xff}, 2);
	check_prefix(16384, (const uint8_t[]){0x01, 0x00, 0x80}, 3);

	/* 5 MB element: prefix of 4 bytes (2^21 <= 5000001 < 2^28). */
	child = argdata_node_binary(out, 5000000);
	seq = argdata_node_seq(&child, 1);
	CHECK(argdata_encoded_size(&seq, &size) == ARGDATA_OK &&
		      size == 1 + 4 + 5000001,
	      "multi-megabyte size query");
	size = 0;
	CHECK(argdata_encode(&seq, NULL, 0, &size) == ARGDATA_OK &&
		      size == 1 + 4 + 5000001,
	      "out == NULL is a size query");
}

static void test_ints(void)
{
	int64_t i = 42;
	uint64_t u = 42;

	ENC(argdata_node_int(0), "int 0", 0x05);
	ENC(argdata_node_int(1), "int 1", 0x05, 0x01);
	ENC(argdata_node_int(127), "int 127", 0x05, 0x7f);
	ENC(argdata_node_int(128), "int 128", 0x05, 0x00, 0x80);
	ENC(argdata_node_int(255), "int 255", 0x05, 0x00, 0xff);
	ENC(argdata_node_int(256), "int 256", 0x05, 0x01, 0x00);
	ENC(argdata_node_int(-1), "int -1", 0x05, 0xff);
	ENC(argdata_node_int(-128), "int -128", 0x05, 0x80);
	ENC(argdata_node_int(-129), "int -129", 0x05, 0xff, 0x7f);
	ENC(argdata_node_int(INT64_MIN), "int INT64_MIN", 0x05, 0x80, 0, 0, 0,
	    0, 0, 0, 0);
	ENC(argdata_node_int(INT64_MAX), "int INT64_MAX", 0x05, 0x7f, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	ENC(argdata_node_uint(UINT64_MAX), "uint UINT64_MAX", 0x05, 0x00, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	ENC(argdata_node_uint((uint64_t)1 << 63), "uint 2^63", 0x05, 0x00, 0x80,
	    0, 0, 0, 0, 0, 0, 0);
	ENC(argdata_node_uint(128), "uint 128", 0x05, 0x00, 0x80);
	ENC(argdata_node_uint(0), "uint 0", 0x05);

	CHECK(argdata_get_int64(AD(0x05), &i) == ARGDATA_OK && i == 0,
	      "decode 0 from empty payload");
	CHECK(argdata_get_int64(AD(0x05, 0x00, 0x80), &i) == ARGDATA_OK &&
		      i == 128,
	      "decode 128");
	CHECK(argdata_get_int64(AD(0x05, 0x01, 0x00), &i) == ARGDATA_OK &&
		      i == 256,
	      "decode 256");
	CHECK(argdata_get_int64(AD(0x05, 0xff), &i) == ARGDATA_OK && i == -1,
	      "decode -1");
	CHECK(argdata_get_int64(AD(0x05, 0x80), &i) == ARGDATA_OK && i == -128,
	      "decode -128");
	CHECK(argdata_get_int64(AD(0x05, 0xff, 0x7f), &i) == ARGDATA_OK &&
		      i == -129,
	      "decode -129");
	CHECK(argdata_get_int64(AD(0x05, 0x80, 0, 0, 0, 0, 0, 0, 0), &i) ==
			      ARGDATA_OK &&
		      i == INT64_MIN,
	      "decode INT64_MIN");
	CHECK(argdata_get_int64(
		      AD(0x05, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
		      &i) == ARGDATA_OK &&
		      i == INT64_MAX,
	      "decode INT64_MAX");
	CHECK(argdata_get_uint64(AD(0x05, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0xff, 0xff, 0xff),
				 &u) == ARGDATA_OK &&
		      u == UINT64_MAX,
	      "decode UINT64_MAX as uint64");
	CHECK(argdata_get_uint64(AD(0x05, 0x7f), &u) == ARGDATA_OK && u == 127,
	      "decode 127 as uint64");

	/* Range errors. */
	CHECK_EQ(argdata_get_int64(AD(0x05, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff,
				      0xff, 0xff, 0xff),
				   &i),
		 ARGDATA_ERANGE, "UINT64_MAX does not fit int64");
	CHECK_EQ(argdata_get_int64(AD(0x05, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0),
				   &i),
		 ARGDATA_ERANGE, "2^63 does not fit int64");
	CHECK_EQ(argdata_get_uint64(AD(0x05, 0xff), &u), ARGDATA_ERANGE,
		 "-1 does not fit uint64");
	CHECK_EQ(argdata_get_uint64(AD(0x05, 0x80, 0, 0, 0, 0, 0, 0, 0), &u),
		 ARGDATA_ERANGE, "INT64_MIN does not fit uint64");
	CHECK_EQ(argdata_get_uint64(AD(0x05, 0x01, 0, 0, 0, 0, 0, 0, 0, 0), &u),
		 ARGDATA_ERANGE, "2^64 does not fit uint64");
	CHECK_EQ(argdata_get_int64(AD(0x05, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0), &i),
		 ARGDATA_ERANGE, "-2^65 does not fit int64");
	CHECK_EQ(argdata_validate(AD(0x05, 0x01, 0, 0, 0, 0, 0, 0, 0, 0)),
		 ARGDATA_OK, "big shortest int is well formed");

	/* Non-shortest forms. */
	CHECK_EQ(argdata_get_int64(AD(0x05, 0x00), &i), ARGDATA_EINVAL,
		 "zero as 00 rejected");
	CHECK_EQ(argdata_get_uint64(AD(0x05, 0x00), &u), ARGDATA_EINVAL,
		 "zero as 00 rejected (uint64)");
	CHECK_EQ(argdata_get_int64(AD(0x05, 0x00, 0x7f), &i), ARGDATA_EINVAL,
		 "00 7f rejected");
	CHECK_EQ(argdata_get_int64(AD(0x05, 0xff, 0xff), &i), ARGDATA_EINVAL,
		 "ff ff rejected");
	CHECK_EQ(argdata_get_int64(AD(0x05, 0xff, 0x80), &i), ARGDATA_EINVAL,
		 "ff 80 rejected");
	CHECK_EQ(argdata_get_uint64(AD(0x05, 0x00, 0x00, 0xff), &u),
		 ARGDATA_EINVAL, "00 00 ff rejected (uint64)");
	CHECK_EQ(argdata_validate(AD(0x05, 0x00, 0x01)), ARGDATA_EINVAL,
		 "validate rejects non-shortest int");
	CHECK_EQ(argdata_get_int64(AD(0x08, 0x00), &i), ARGDATA_EINVAL,
		 "int getter on a string");
	CHECK_EQ(argdata_get_uint64(AD(0x09, 0x01), &u), ARGDATA_EINVAL,
		 "uint getter on a timestamp");
}

static void test_floats(void)
{
	uint64_t bits = 0;
	double d = 0;

	ENC(argdata_node_float_bits(0x3ff8000000000000u), "float 1.5", 0x04,
	    0x3f, 0xf8, 0, 0, 0, 0, 0, 0);
	ENC(argdata_node_float_bits(0x8000000000000000u), "float -0.0", 0x04,
	    0x80, 0, 0, 0, 0, 0, 0, 0);
	ENC(argdata_node_float_bits(0x7ff0000000000000u), "float inf", 0x04,
	    0x7f, 0xf0, 0, 0, 0, 0, 0, 0);
	ENC(argdata_node_float_bits(0x7ff8000000000123u), "float NaN payload",
	    0x04, 0x7f, 0xf8, 0, 0, 0, 0, 0x01, 0x23);
	CHECK(argdata_get_float(AD(0x04, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0), &d) ==
			      ARGDATA_OK &&
		      d == 1.5,
	      "decode 1.5");
	CHECK(argdata_get_float(AD(0x04, 0x80, 0, 0, 0, 0, 0, 0, 0), &d) ==
			      ARGDATA_OK &&
		      d == 0.0 && memcmp(&d, &(double){-0.0}, 8) == 0,
	      "decode -0.0 keeps the sign");
	CHECK(argdata_get_float(AD(0x04, 0xff, 0xf0, 0, 0, 0, 0, 0, 0), &d) ==
			      ARGDATA_OK &&
		      d < -1e308 && d * 0.5 == d,
	      "decode -inf");
	CHECK(argdata_get_float_bits(
		      AD(0x04, 0x7f, 0xf8, 0, 0, 0, 0, 0x01, 0x23), &bits) ==
			      ARGDATA_OK &&
		      bits == 0x7ff8000000000123u,
	      "NaN bits preserved");
	CHECK(argdata_get_float(AD(0x04, 0x7f, 0xf8, 0, 0, 0, 0, 0x01, 0x23),
				&d) == ARGDATA_OK &&
		      d != d &&
		      memcmp(&d, &(uint64_t){0x7ff8000000000123u}, 8) == 0,
	      "NaN bits preserved through double");
	CHECK_EQ(argdata_get_float_bits(AD(0x04, 0x3f, 0xf8, 0, 0, 0, 0, 0),
					&bits),
		 ARGDATA_EINVAL, "truncated float (7 bytes)");
	CHECK_EQ(argdata_get_float_bits(
			 AD(0x04, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0), &bits),
		 ARGDATA_EINVAL, "long float (9 bytes)");
	CHECK_EQ(argdata_get_float_bits(AD(0x05, 0x01), &bits), ARGDATA_EINVAL,
		 "float getter on an int");
}

static void test_bool_fd_ts_binary(void)
{
	bool b = false;
	uint32_t fd = 0;
	int64_t ns = 0;
	const void *p = NULL;
	size_t len = 99;

	ENC(argdata_node_bool(true), "true", 0x02, 0x01);
	ENC(argdata_node_bool(false), "false", 0x02);
	CHECK(argdata_get_bool(AD(0x02, 0x01), &b) == ARGDATA_OK && b,
	      "decode true");
	CHECK(argdata_get_bool(AD(0x02), &b) == ARGDATA_OK && !b,
	      "decode false");
	CHECK_EQ(argdata_get_bool(AD(0x02, 0x00), &b), ARGDATA_EINVAL,
		 "bool 00 rejected");
	CHECK_EQ(argdata_get_bool(AD(0x02, 0x02), &b), ARGDATA_EINVAL,
		 "bool 02 rejected");
	CHECK_EQ(argdata_get_bool(AD(0x02, 0x01, 0x01), &b), ARGDATA_EINVAL,
		 "bool 01 01 rejected");

	ENC(argdata_node_fd(0xdeadbeef), "fd", 0x03, 0xde, 0xad, 0xbe, 0xef);
	CHECK(argdata_get_fd(AD(0x03, 0x00, 0x00, 0x01, 0x02), &fd) ==
			      ARGDATA_OK &&
		      fd == 0x102,
	      "decode fd 258");
	CHECK_EQ(argdata_get_fd(AD(0x03, 0x00, 0x00, 0x00), &fd),
		 ARGDATA_EINVAL, "truncated fd");
	CHECK_EQ(argdata_get_fd(AD(0x03, 0, 0, 0, 0, 0), &fd), ARGDATA_EINVAL,
		 "5-byte fd");

	ENC(argdata_node_timestamp(0), "timestamp 0", 0x09);
	ENC(argdata_node_timestamp(1500000000000000000), "timestamp 1.5e18",
	    0x09, 0x14, 0xd1, 0x12, 0x0d, 0x7b, 0x16, 0x00, 0x00);
	ENC(argdata_node_timestamp(-1), "timestamp -1", 0x09, 0xff);
	CHECK(argdata_get_timestamp(
		      AD(0x09, 0x14, 0xd1, 0x12, 0x0d, 0x7b, 0x16, 0x00, 0x00),
		      &ns) == ARGDATA_OK &&
		      ns == 1500000000000000000,
	      "decode timestamp");
	CHECK(argdata_get_timestamp(AD(0x09, 0x80), &ns) == ARGDATA_OK &&
		      ns == -128,
	      "decode negative timestamp");
	CHECK_EQ(argdata_get_timestamp(
			 AD(0x09, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0), &ns),
		 ARGDATA_ERANGE, "timestamp 2^63 out of range");
	CHECK_EQ(argdata_get_timestamp(AD(0x09, 0x00, 0x05), &ns),
		 ARGDATA_EINVAL, "non-shortest timestamp");
	CHECK_EQ(argdata_get_timestamp(AD(0x05, 0x05), &ns), ARGDATA_EINVAL,
		 "timestamp getter on an int");

	ENC(argdata_node_binary("a\0b", 3), "binary", 0x01, 0x61, 0x00, 0x62);
	ENC(argdata_node_binary(NULL, 0), "empty binary", 0x01);
	CHECK(argdata_get_binary(AD(0x01, 0x00, 0xff), &p, &len) ==
			      ARGDATA_OK &&
		      len == 2 && memcmp(p, "\0\xff", 2) == 0,
	      "decode binary");
	CHECK(argdata_get_binary(AD(0x01), &p, &len) == ARGDATA_OK && len == 0,
	      "decode empty binary");
	CHECK_EQ(argdata_get_binary(AD(0x08, 0x00), &p, &len), ARGDATA_EINVAL,
		 "binary getter on a string");
}

static void check_bad_utf8(argdata_t ad, const char *desc)
{
	const char *s;
	size_t len;
	struct argdata_node n = argdata_node_str((const char *)ad.buf + 1,
						 ad.len - 2);
	size_t used;

	CHECK(argdata_get_str(ad, &s, &len) == ARGDATA_EINVAL &&
		      argdata_validate(ad) == ARGDATA_EINVAL &&
		      argdata_encode(&n, out, sizeof(out), &used) ==
			      ARGDATA_EINVAL,
	      "bad UTF-8 rejected by reader and encoder: %s", desc);
}

static void check_good_utf8(argdata_t ad, const char *desc)
{
	const char *s = NULL;
	size_t len = 0;

	CHECK(argdata_get_str(ad, &s, &len) == ARGDATA_OK &&
		      len == ad.len - 2 && s == (const char *)ad.buf + 1,
	      "valid UTF-8 accepted: %s", desc);
}

static void test_strings(void)
{
	const char *s = NULL;
	size_t len = 99;

	ENC(argdata_node_str_c(""), "empty string", 0x08, 0x00);
	ENC(argdata_node_str("a\0b", 3), "string with interior NUL", 0x08, 0x61,
	    0x00, 0x62, 0x00);
	CHECK(argdata_get_str(AD(0x08, 0x00), &s, &len) == ARGDATA_OK &&
		      len == 0 && s[0] == '\0',
	      "decode empty string");
	CHECK_EQ(argdata_get_str(AD(0x08, 0x61), &s, &len), ARGDATA_EINVAL,
		 "string without NUL");
	CHECK_EQ(argdata_get_str(AD(0x08), &s, &len), ARGDATA_EINVAL,
		 "string with empty payload");
	CHECK(argdata_get_str(AD(0x08, 0x61, 0x00, 0x62, 0x00), &s, &len) ==
			      ARGDATA_OK &&
		      len == 3,
	      "interior NUL accepted by get_str");
	CHECK_EQ(argdata_get_str_c(AD(0x08, 0x61, 0x00, 0x62, 0x00), &s),
		 ARGDATA_EINVAL, "interior NUL rejected by get_str_c");
	CHECK_EQ(argdata_get_str_c(AD(0x08, 0x61, 0x62), &s), ARGDATA_EINVAL,
		 "get_str_c without NUL");

	check_good_utf8(AD(0x08, 0xc3, 0xa9, 0x00), "U+00E9");
	check_good_utf8(AD(0x08, 0xe2, 0x82, 0xac, 0x00), "U+20AC");
	check_good_utf8(AD(0x08, 0xed, 0x9f, 0xbf, 0x00), "U+D7FF");
	check_good_utf8(AD(0x08, 0xee, 0x80, 0x80, 0x00), "U+E000");
	check_good_utf8(AD(0x08, 0xf0, 0x90, 0x80, 0x80, 0x00), "U+10000");
	check_good_utf8(AD(0x08, 0xf4, 0x8f, 0xbf, 0xbf, 0x00), "U+10FFFF");

	check_bad_utf8(AD(0x08, 0xc0, 0x80, 0x00), "overlong C0 80");
	check_bad_utf8(AD(0x08, 0xc1, 0xbf, 0x00), "overlong C1 BF");
	check_bad_utf8(AD(0x08, 0xe0, 0x9f, 0xbf, 0x00), "overlong E0 9F BF");
	check_bad_utf8(AD(0x08, 0xf0, 0x8f, 0xbf, 0xbf, 0x00),
		       "overlong F0 8F BF BF");
	check_bad_utf8(AD(0x08, 0xed, 0xa0, 0x80, 0x00), "surrogate U+D800");
	check_bad_utf8(AD(0x08, 0xed, 0xbf, 0xbf, 0x00), "surrogate U+DFFF");
	check_bad_utf8(AD(0x08, 0xf4, 0x90, 0x80, 0x80, 0x00), "U+110000");
	check_bad_utf8(AD(0x08, 0xf5, 0x80, 0x80, 0x80, 0x00), "lead F5");
	check_bad_utf8(AD(0x08, 0xff, 0x00), "byte FF");
	check_bad_utf8(AD(0x08, 0x61, 0xe2, 0x82, 0x00),
		       "truncated 3-byte sequence");
	check_bad_utf8(AD(0x08, 0xf0, 0x90, 0x80, 0x00),
		       "truncated 4-byte sequence");
	check_bad_utf8(AD(0x08, 0x80, 0x00), "stray continuation");
	CHECK(!argdata_utf8_valid((const uint8_t[]){0xe2, 0x82, 0xac}, 2) &&
		      argdata_utf8_valid((const uint8_t[]){0xe2, 0x82, 0xac},
					 3),
	      "truncation detected at the end of the range");
	check_bad_utf8(AD(0x08, 0x61, 0xc3, 0xa9, 0xa9, 0x00),
		       "extra continuation");
	check_bad_utf8(AD(0x08, 0xe2, 0x28, 0xa1, 0x00),
		       "non-continuation in sequence");
	check_bad_utf8(AD(0x08, 0xe2, 0x82, 0x28, 0x00),
		       "non-continuation in last position");
}

static void test_nested(void)
{
	static const char bin[] = {1, 2};
	struct argdata_node inner_kv[2] = {argdata_node_str_c("b"),
					   argdata_node_str_c("c")};
	struct argdata_node empty_seq = argdata_node_seq(NULL, 0);
	struct argdata_node list[5] = {
		argdata_node_int(1), argdata_node_bool(true),
		argdata_node_null(), argdata_node_map(inner_kv, 2), empty_seq};
	struct argdata_node top_kv[4] = {
		argdata_node_str_c("a"), argdata_node_seq(list, 5),
		argdata_node_binary(bin, 2), argdata_node_timestamp(-1)};
	struct argdata_node top = argdata_node_map(top_kv, 4);
	struct argdata_node small[2] = {argdata_node_int(1), empty_seq};
	struct argdata_iter it, it2;
	argdata_t ad, k, v, e;
	int64_t i = 0;
	bool b = false;
	const char *s = NULL;
	size_t used = 0, n = 0;
	int r;

	ENC(argdata_node_seq(small, 2), "seq [1, []]", 0x07, 0x82, 0x05, 0x01,
	    0x81, 0x07);
	ENC(argdata_node_map(inner_kv, 2), "map {b: c}", 0x06, 0x83, 0x08, 0x62,
	    0x00, 0x83, 0x08, 0x63, 0x00);

	CHECK_EQ(argdata_encode(&top, out, sizeof(out), &used), ARGDATA_OK,
		 "encode nested tree");
	ad = argdata_from_buffer(out, used);
	CHECK_EQ(argdata_validate(ad), ARGDATA_OK, "nested tree validates");
	CHECK_EQ(argdata_map_find(ad, "a", 1, &v), ARGDATA_OK, "find a");
	CHECK_EQ(argdata_seq_iter(v, &it), ARGDATA_OK, "a is a seq");
	CHECK(argdata_seq_next(&it, &e) == ARGDATA_OK &&
		      argdata_get_int64(e, &i) == ARGDATA_OK && i == 1,
	      "a[0] = 1");
	CHECK(argdata_seq_next(&it, &e) == ARGDATA_OK &&
		      argdata_get_bool(e, &b) == ARGDATA_OK && b,
	      "a[1] = true");
	CHECK(argdata_seq_next(&it, &e) == ARGDATA_OK && argdata_is_null(e),
	      "a[2] = null");
	CHECK(argdata_seq_next(&it, &e) == ARGDATA_OK &&
		      argdata_map_find(e, "b", 1, &v) == ARGDATA_OK &&
		      argdata_get_str_c(v, &s) == ARGDATA_OK &&
		      strcmp(s, "c") == 0,
	      "a[3] = {b: c}");
	CHECK(argdata_seq_next(&it, &e) == ARGDATA_OK &&
		      argdata_seq_iter(e, &it2) == ARGDATA_OK &&
		      argdata_seq_next(&it2, &e) == ARGDATA_END,
	      "a[4] = []");
	CHECK_EQ(argdata_seq_next(&it, &e), ARGDATA_END, "a has 5 elements");
	argdata_map_iter(ad, &it);
	n = 0;
	while ((r = argdata_map_next(&it, &k, &v)) == ARGDATA_OK)
		n++;
	CHECK(r == ARGDATA_END && n == 2 &&
		      argdata_get_timestamp(v, &i) == ARGDATA_OK && i == -1,
	      "binary key maps to timestamp -1");
	CHECK_EQ(argdata_map_next(&it, &k, &v) == ARGDATA_END &&
			 argdata_seq_next(&it, &e) == ARGDATA_EINVAL,
		 1, "seq_next on a map iterator rejected");

	/* Raw embedding. */
	{
		struct argdata_node raw[2] = {
			argdata_node_raw(AD(0x05, 0x01)),
			argdata_node_raw(argdata_from_buffer(NULL, 0))};
		struct argdata_node bad = argdata_node_raw(AD(0x05, 0x00));

		ENC(argdata_node_seq(raw, 2), "raw elements", 0x07, 0x82, 0x05,
		    0x01, 0x80);
		CHECK_EQ(argdata_encode(&bad, out, sizeof(out), &used),
			 ARGDATA_EINVAL, "invalid raw value rejected");
	}
}

/* Build n nested seqs at the end of buf, move them to the start. */
static size_t nest(uint8_t *buf, size_t cap, unsigned n)
{
	uint8_t *p = buf + cap;
	size_t len, x;
	unsigned i;

	*--p = 0x07;
	for (i = 1; i < n; i++) {
		/* Base-128 prefix written backwards: last byte carries 80. */
		x = (size_t)(buf + cap - p);
		*--p = (uint8_t)(0x80 | (x & 0x7f));
		while ((x >>= 7) != 0)
			*--p = (uint8_t)(x & 0x7f);
		*--p = 0x07;
	}
	len = (size_t)(buf + cap - p);
	memmove(buf, p, len);
	return len;
}

static void test_malformed(void)
{
	struct argdata_iter it;
	argdata_t k, v;
	enum argdata_type type = ARGDATA_TYPE_INT;
	int64_t i;
	static uint8_t deep[1024];
	size_t len, used;
	static struct argdata_node chain[ARGDATA_MAX_DEPTH + 1];
	unsigned d;

	CHECK(argdata_seq_iter(AD(0x07, 0x00, 0x81, 0x05), &it) == ARGDATA_OK &&
		      argdata_seq_next(&it, &v) == ARGDATA_EINVAL,
	      "overlong length prefix 00 81");
	CHECK_EQ(argdata_seq_next(&it, &v), ARGDATA_EINVAL, "error is sticky");
	CHECK(argdata_seq_iter(AD(0x07, 0x85, 0x05, 0x01), &it) == ARGDATA_OK &&
		      argdata_seq_next(&it, &v) == ARGDATA_EINVAL,
	      "length past the end");
	CHECK(argdata_seq_iter(AD(0x07, 0x01), &it) == ARGDATA_OK &&
		      argdata_seq_next(&it, &v) == ARGDATA_EINVAL,
	      "length prefix without terminating byte");
	CHECK(argdata_seq_iter(AD(0x07, 0x01, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f,
				  0x7f, 0x7f, 0x7f, 0xff),
			       &it) == ARGDATA_OK &&
		      argdata_seq_next(&it, &v) == ARGDATA_EINVAL,
	      "length prefix overflowing size_t");
	CHECK(argdata_seq_iter(
		      AD(0x07, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0x81, 0x05),
		      &it) == ARGDATA_OK &&
		      argdata_seq_next(&it, &v) == ARGDATA_EINVAL,
	      "length 2^64+1 does not wrap to 1");
	CHECK(argdata_seq_iter(AD(0x07, 0x80, 0x82, 0x05, 0x01), &it) ==
			      ARGDATA_OK &&
		      argdata_seq_next(&it, &v) == ARGDATA_OK && v.len == 0 &&
		      argdata_seq_next(&it, &v) == ARGDATA_OK &&
		      argdata_get_int64(v, &i) == ARGDATA_OK && i == 1,
	      "zero length 80 then element");
	CHECK(argdata_map_iter(AD(0x06, 0x81, 0x05), &it) == ARGDATA_OK &&
		      argdata_map_next(&it, &k, &v) == ARGDATA_EINVAL,
	      "map key without value");
	CHECK_EQ(argdata_validate(AD(0x06, 0x81, 0x05)), ARGDATA_EINVAL,
		 "validate: map key without value");
	CHECK_EQ(argdata_validate(AD(0x07, 0x82, 0x05, 0x00)), ARGDATA_EINVAL,
		 "validate: bad element inside seq");
	CHECK_EQ(argdata_validate(AD(0x06, 0x82, 0x05, 0x00, 0x80)),
		 ARGDATA_EINVAL, "validate: bad map key");
	CHECK_EQ(argdata_validate(AD(0x06, 0x80, 0x82, 0x02, 0x02)),
		 ARGDATA_EINVAL, "validate: bad map value");
	CHECK_EQ(argdata_get_type(AD(0x0a), &type), ARGDATA_EINVAL,
		 "unknown tag 0a");
	CHECK_EQ(argdata_get_type(AD(0x00), &type), ARGDATA_EINVAL,
		 "unknown tag 00");
	CHECK_EQ(argdata_validate(AD(0x07, 0x81, 0x0a)), ARGDATA_EINVAL,
		 "validate: unknown tag inside seq");
	CHECK(argdata_get_type(AD(0x09), &type) == ARGDATA_OK &&
		      type == ARGDATA_TYPE_TIMESTAMP,
	      "type of timestamp");

	/* Null. */
	CHECK(argdata_is_null(argdata_from_buffer(NULL, 0)) &&
		      !argdata_is_null(AD(0x02)),
	      "empty buffer is null");
	CHECK(argdata_get_type(argdata_from_buffer(NULL, 0), &type) ==
			      ARGDATA_OK &&
		      type == ARGDATA_TYPE_NULL,
	      "type of null");
	CHECK_EQ(argdata_get_int64(argdata_from_buffer(NULL, 0), &i),
		 ARGDATA_EINVAL, "int getter on null");
	CHECK_EQ(argdata_validate(argdata_from_buffer(NULL, 0)), ARGDATA_OK,
		 "null validates");

	/* Nesting limit. */
	len = nest(deep, sizeof(deep), ARGDATA_MAX_DEPTH);
	CHECK(argdata_validate(argdata_from_buffer(deep, len)) == ARGDATA_OK,
	      "%d nested seqs accepted", ARGDATA_MAX_DEPTH);
	len = nest(deep, sizeof(deep), ARGDATA_MAX_DEPTH + 1);
	CHECK(len > ARGDATA_MAX_DEPTH && argdata_validate(argdata_from_buffer(
						 deep, len)) == ARGDATA_EINVAL,
	      "%d nested seqs rejected", ARGDATA_MAX_DEPTH + 1);
	for (d = 0; d <= ARGDATA_MAX_DEPTH; d++)
		chain[d] = d == ARGDATA_MAX_DEPTH
				   ? argdata_node_seq(NULL, 0)
				   : argdata_node_seq(&chain[d + 1], 1);
	CHECK_EQ(argdata_encode(&chain[0], out, sizeof(out), &used),
		 ARGDATA_EINVAL, "encoder rejects excessive nesting");
	CHECK(argdata_encode(&chain[1], out, sizeof(out), &used) ==
			      ARGDATA_OK &&
		      used == len - 2 && memcmp(out, deep + 2, used) == 0,
	      "encoder accepts the limit and matches");

	/* Encoder argument errors. */
	{
		struct argdata_node odd[3] = {argdata_node_int(1),
					      argdata_node_int(2),
					      argdata_node_int(3)};
		struct argdata_node m = argdata_node_map(odd, 3);
		struct argdata_node huge[2] = {
			argdata_node_binary(out, SIZE_MAX / 2),
			argdata_node_binary(out, SIZE_MAX / 2)};
		struct argdata_node h = argdata_node_seq(huge, 2);
		struct argdata_node one = argdata_node_binary(out, SIZE_MAX);
		struct argdata_node bogus = argdata_node_int(0);
		struct argdata_node s3 = argdata_node_str_c("abc");

		bogus.kind = (enum argdata_node_kind)99;
		CHECK_EQ(argdata_encode(&m, out, sizeof(out), &used),
			 ARGDATA_EINVAL, "map with odd element count");
		CHECK_EQ(argdata_encoded_size(&h, &len), ARGDATA_EOVERFLOW,
			 "size overflow in seq");
		CHECK_EQ(argdata_encoded_size(&one, &len), ARGDATA_EOVERFLOW,
			 "size overflow in binary");
		CHECK_EQ(argdata_encode(&bogus, out, sizeof(out), &used),
			 ARGDATA_EINVAL, "unknown node kind");
		memset(out, 0x55, 8);
		used = 0;
		CHECK(argdata_encode(&s3, out, 4, &used) == ARGDATA_ENOSPC &&
			      used == 5 && out[0] == 0x55,
		      "ENOSPC reports the size and writes nothing");
		CHECK(argdata_encode(&s3, out, 5, &used) == ARGDATA_OK &&
			      used == 5 &&
			      memcmp(out,
				     "\x08"
				     "abc",
				     5) == 0,
		      "exact capacity suffices");
	}
	CHECK(argdata_strerror(ARGDATA_ERANGE) != NULL &&
		      strcmp(argdata_strerror(ARGDATA_ERANGE),
			     argdata_strerror(ARGDATA_EINVAL)) != 0,
	      "strerror distinguishes codes");
}

static void test_renumber(void)
{
	struct argdata_node kv[2] = {argdata_node_str_c("x"),
				     argdata_node_fd(3)};
	struct argdata_node before[5] = {
		argdata_node_fd(7), argdata_node_map(kv, 2), argdata_node_fd(7),
		argdata_node_fd(9), argdata_node_fd(3)};
	struct argdata_node kv2[2] = {argdata_node_str_c("x"),
				      argdata_node_fd(1)};
	struct argdata_node after[5] = {
		argdata_node_fd(0), argdata_node_map(kv2, 2),
		argdata_node_fd(0), argdata_node_fd(2), argdata_node_fd(1)};
	struct argdata_node bs = argdata_node_seq(before, 5);
	struct argdata_node as = argdata_node_seq(after, 5);
	uint8_t buf[128], want[128], copy[128];
	uint32_t fds[4] = {0};
	size_t len = 0, wlen = 0, nfds = 0;
	uint8_t single[5] = {0x03, 0x00, 0x00, 0x01, 0x00};
	uint8_t bad[] = {0x07, 0x85, 0x03, 0, 0, 0, 5, 0x82, 0x05, 0x00};

	argdata_encode(&bs, buf, sizeof(buf), &len);
	argdata_encode(&as, want, sizeof(want), &wlen);
	memcpy(copy, buf, len);
	CHECK(argdata_fds_renumber(buf, len, fds, 2, &nfds) == ARGDATA_ENOSPC &&
		      memcmp(buf, copy, len) == 0,
	      "too many fds: ENOSPC, buffer unchanged");
	CHECK_EQ(argdata_fds_renumber(buf, len, fds, 4, &nfds), ARGDATA_OK,
		 "renumber");
	CHECK_EQ(nfds, 3, "three distinct fds");
	CHECK(fds[0] == 7 && fds[1] == 3 && fds[2] == 9,
	      "fds listed in order of first appearance");
	CHECK(len == wlen && memcmp(buf, want, len) == 0,
	      "payloads rewritten to 0,1,0,2,1 exactly");
	CHECK(argdata_fds_renumber(single, 5, fds, 1, &nfds) == ARGDATA_OK &&
		      nfds == 1 && fds[0] == 256 &&
		      memcmp(single, "\x03\0\0\0\0", 5) == 0,
	      "single fd renumbered to 0");
	memcpy(copy, bad, sizeof(bad));
	CHECK(argdata_fds_renumber(bad, sizeof(bad), fds, 4, &nfds) ==
			      ARGDATA_EINVAL &&
		      memcmp(bad, copy, sizeof(bad)) == 0,
	      "malformed after an fd: EINVAL, buffer unchanged");
	CHECK(argdata_fds_renumber(NULL, 0, fds, 4, &nfds) == ARGDATA_OK &&
		      nfds == 0,
	      "null has no fds");
}

int main(void)
{
	test_example();
	test_lengths();
	test_ints();
	test_floats();
	test_bool_fd_ts_binary();
	test_strings();
	test_nested();
	test_malformed();
	test_renumber();
	return check_done();
}

/* fuzz_argdata.c: libFuzzer harness feeding arbitrary bytes to every argdata getter, iterator, validator and the encoder. */
/*
 * Build and run:
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *     tests/fuzz/fuzz_argdata.c src/common/argdata*.c -o /tmp/fuzz_argdata
 *   /tmp/fuzz_argdata -max_total_time=60
 */
#include "common/argdata.h"

#include <stdlib.h>
#include <string.h>

#define MUST(cond)                                                             \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

/* Visit a value with every getter; returns false if anything is invalid. */
static bool visit(argdata_t ad, unsigned depth)
{
	enum argdata_type type;
	const void *p;
	const char *s;
	size_t len;
	bool b, ok = true;
	uint32_t fd;
	uint64_t u, bits;
	int64_t i;
	double d;
	struct argdata_iter it;
	argdata_t k, v;
	int r, ri, ru;
	uint8_t buf[16];
	size_t used;
	struct argdata_node n;

	if (argdata_get_type(ad, &type) != ARGDATA_OK)
		ok = false;
	if (argdata_get_binary(ad, &p, &len) == ARGDATA_OK)
		MUST(type == ARGDATA_TYPE_BINARY && len == ad.len - 1);
	if (argdata_get_bool(ad, &b) == ARGDATA_OK) {
		n = argdata_node_bool(b);
		MUST(argdata_encode(&n, buf, sizeof(buf), &used) ==
			     ARGDATA_OK &&
		     used == ad.len && memcmp(buf, ad.buf, used) == 0);
	} else if (type == ARGDATA_TYPE_BOOL) {
		ok = false;
	}
	if (argdata_get_fd(ad, &fd) == ARGDATA_OK) {
		n = argdata_node_fd(fd);
		MUST(argdata_encode(&n, buf, sizeof(buf), &used) ==
			     ARGDATA_OK &&
		     used == ad.len && memcmp(buf, ad.buf, used) == 0);
	} else if (type == ARGDATA_TYPE_FD) {
		ok = false;
	}
	if (argdata_get_float_bits(ad, &bits) == ARGDATA_OK) {
		MUST(argdata_get_float(ad, &d) == ARGDATA_OK &&
		     memcmp(&d, &bits, 8) == 0);
		n = argdata_node_float_bits(bits);
		MUST(argdata_encode(&n, buf, sizeof(buf), &used) ==
			     ARGDATA_OK &&
		     used == ad.len && memcmp(buf, ad.buf, used) == 0);
	} else if (type == ARGDATA_TYPE_FLOAT) {
		ok = false;
	}
	ri = argdata_get_int64(ad, &i);
	ru = argdata_get_uint64(ad, &u);
	if (ri == ARGDATA_OK) {
		n = argdata_node_int(i);
		MUST(argdata_encode(&n, buf, sizeof(buf), &used) ==
			     ARGDATA_OK &&
		     used == ad.len && memcmp(buf, ad.buf, used) == 0);
		MUST(ru == (i < 0 ? ARGDATA_ERANGE : ARGDATA_OK));
	}
	if (ru == ARGDATA_OK) {
		n = argdata_node_uint(u);
		MUST(argdata_encode(&n, buf, sizeof(buf), &used) ==
			     ARGDATA_OK &&
		     used == ad.len && memcmp(buf, ad.buf, used) == 0);
	}
	if (ri == ARGDATA_EINVAL && type == ARGDATA_TYPE_INT)
		ok = false;
	if (argdata_get_timestamp(ad, &i) == ARGDATA_OK) {
		n = argdata_node_timestamp(i);
		MUST(argdata_encode(&n, buf, sizeof(buf), &used) ==
			     ARGDATA_OK &&
		     used == ad.len && memcmp(buf, ad.buf, used) == 0);
	} else if (type == ARGDATA_TYPE_TIMESTAMP &&
		   argdata_get_timestamp(ad, &i) == ARGDATA_EINVAL) {
		ok = false;
	}
	if (argdata_get_str(ad, &s, &len) == ARGDATA_OK) {
		MUST(s[len] == '\0' && len == ad.len - 2);
		if (argdata_get_str_c(ad, &s) == ARGDATA_OK)
			MUST(strlen(s) == len);
		else
			MUST(memchr(s, 0, len) != NULL);
	} else if (type == ARGDATA_TYPE_STR) {
		ok = false;
	}
	if (argdata_map_iter(ad, &it) == ARGDATA_OK) {
		while ((r = argdata_map_next(&it, &k, &v)) == ARGDATA_OK) {
			MUST(k.buf >= ad.buf &&
			     v.buf + v.len <= ad.buf + ad.len);
			if (depth < 200) {
				ok &= visit(k, depth + 1);
				ok &= visit(v, depth + 1);
			}
		}
		if (r != ARGDATA_END)
			ok = false;
		MUST(argdata_map_next(&it, &k, &v) == r);
	}
	if (argdata_seq_iter(ad, &it) == ARGDATA_OK) {
		while ((r = argdata_seq_next(&it, &v)) == ARGDATA_OK) {
			MUST(v.buf >= ad.buf &&
			     v.buf + v.len <= ad.buf + ad.len);
			if (depth < 200)
				ok &= visit(v, depth + 1);
		}
		if (r != ARGDATA_END)
			ok = false;
		MUST(argdata_seq_next(&it, &v) == r);
	}
	(void)argdata_map_find(ad, "a", 1, &v);
	if (depth >= ARGDATA_MAX_DEPTH &&
	    (type == ARGDATA_TYPE_MAP || type == ARGDATA_TYPE_SEQ))
		ok = false;
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	argdata_t ad = argdata_from_buffer(data, size);
	bool ok = visit(ad, 0);
	int vr = argdata_validate(ad);
	uint8_t *copy, *enc;
	uint32_t fds[64];
	size_t nfds = 0, nfds2 = 0, used = 0, i;
	struct argdata_node raw = argdata_node_raw(ad);
	int r;

	/* validate agrees with the getter-by-getter visit. */
	MUST((vr == ARGDATA_OK) == ok);

	copy = malloc(size + 1);
	enc = malloc(size + 1);
	MUST(copy != NULL && enc != NULL);
	if (size > 0)
		memcpy(copy, data, size);
	r = argdata_fds_renumber(copy, size, fds, 64, &nfds);
	if (vr != ARGDATA_OK) {
		MUST(r == vr && memcmp(copy, data, size) == 0);
		MUST(argdata_encode(&raw, enc, size, &used) == vr);
	} else {
		MUST(r == ARGDATA_OK || r == ARGDATA_ENOSPC);
		if (r == ARGDATA_OK) {
			/* Renumbering is idempotent on its own output. */
			MUST(argdata_validate(argdata_from_buffer(
				     copy, size)) == ARGDATA_OK);
			MUST(argdata_fds_renumber(copy, size, fds, 64,
						  &nfds2) == ARGDATA_OK &&
			     nfds2 == nfds);
			for (i = 0; i < nfds; i++)
				MUST(fds[i] == i);
		}
		MUST(argdata_encode(&raw, enc, size, &used) == ARGDATA_OK &&
		     used == size && memcmp(enc, data, size) == 0);
	}
	free(copy);
	free(enc);
	return 0;
}

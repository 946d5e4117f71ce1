/* argdata.c: strict, allocation-free argdata reader, validator and fd renumbering. */
#include "common/argdata.h"

/*
 * No <string.h>: it is absent in the guest build (-nostdlibinc).  The
 * builtins become inline code or calls to memcpy/memcmp/memset.
 */
#define ad_memcpy __builtin_memcpy
#define ad_memcmp __builtin_memcmp
#define ad_memset __builtin_memset

const char *argdata_strerror(int status)
{
	switch (status) {
	case ARGDATA_OK:
		return "success";
	case ARGDATA_END:
		return "end of iteration";
	case ARGDATA_EINVAL:
		return "malformed argdata or wrong type";
	case ARGDATA_ERANGE:
		return "value out of range for the requested type";
	case ARGDATA_ENOSPC:
		return "output buffer too small";
	case ARGDATA_EOVERFLOW:
		return "encoded size overflows size_t";
	case ARGDATA_ENOENT:
		return "map key not found";
	default:
		return "unknown argdata status";
	}
}

bool argdata_is_null(argdata_t ad)
{
	return ad.len == 0;
}

int argdata_get_type(argdata_t ad, enum argdata_type *type)
{
	if (ad.len == 0) {
		*type = ARGDATA_TYPE_NULL;
		return ARGDATA_OK;
	}
	if (ad.buf[0] < ARGDATA_TYPE_BINARY ||
	    ad.buf[0] > ARGDATA_TYPE_TIMESTAMP)
		return ARGDATA_EINVAL;
	*type = (enum argdata_type)ad.buf[0];
	return ARGDATA_OK;
}

/* Payload of a value with the given tag, or EINVAL for any other value. */
static int payload(argdata_t ad, uint8_t tag, const uint8_t **p, size_t *len)
{
	if (ad.len == 0 || ad.buf[0] != tag)
		return ARGDATA_EINVAL;
	*p = ad.buf + 1;
	*len = ad.len - 1;
	return ARGDATA_OK;
}

int argdata_get_binary(argdata_t ad, const void **ptr, size_t *len)
{
	const uint8_t *p;
	size_t n;

	if (payload(ad, ARGDATA_TYPE_BINARY, &p, &n) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	*ptr = p;
	*len = n;
	return ARGDATA_OK;
}

int argdata_get_bool(argdata_t ad, bool *value)
{
	const uint8_t *p;
	size_t n;

	if (payload(ad, ARGDATA_TYPE_BOOL, &p, &n) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	if (n == 0) {
		*value = false;
		return ARGDATA_OK;
	}
	if (n == 1 && p[0] == 0x01) {
		*value = true;
		return ARGDATA_OK;
	}
	return ARGDATA_EINVAL;
}

int argdata_get_fd(argdata_t ad, uint32_t *fd)
{
	const uint8_t *p;
	size_t n;

	if (payload(ad, ARGDATA_TYPE_FD, &p, &n) != ARGDATA_OK || n != 4)
		return ARGDATA_EINVAL;
	*fd = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	      (uint32_t)p[2] << 8 | (uint32_t)p[3];
	return ARGDATA_OK;
}

int argdata_get_float_bits(argdata_t ad, uint64_t *bits)
{
	const uint8_t *p;
	size_t n, i;
	uint64_t v = 0;

	if (payload(ad, ARGDATA_TYPE_FLOAT, &p, &n) != ARGDATA_OK || n != 8)
		return ARGDATA_EINVAL;
	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	*bits = v;
	return ARGDATA_OK;
}

#ifndef CAPBOX_NO_FLOAT
int argdata_get_float(argdata_t ad, double *value)
{
	uint64_t bits;
	int r = argdata_get_float_bits(ad, &bits);

	if (r == ARGDATA_OK)
		ad_memcpy(value, &bits, sizeof(bits));
	return r;
}
#endif

/* Shortest-form check shared by int and timestamp payloads. */
static bool int_shortest(const uint8_t *p, size_t n)
{
	if (n == 0)
		return true;
	if (n == 1)
		return p[0] != 0x00;
	if (p[0] == 0x00 && (p[1] & 0x80) == 0)
		return false;
	if (p[0] == 0xff && (p[1] & 0x80) != 0)
		return false;
	return true;
}

static int int_payload_to_int64(const uint8_t *p, size_t n, int64_t *value)
{
	uint64_t v;
	size_t i;

	if (!int_shortest(p, n))
		return ARGDATA_EINVAL;
	if (n > 8)
		return ARGDATA_ERANGE;
	v = (n > 0 && (p[0] & 0x80)) ? UINT64_MAX : 0;
	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	/* Two's complement reinterpretation without implementation-defined casts. */
	ad_memcpy(value, &v, sizeof(v));
	return ARGDATA_OK;
}

int argdata_get_int64(argdata_t ad, int64_t *value)
{
	const uint8_t *p;
	size_t n;

	if (payload(ad, ARGDATA_TYPE_INT, &p, &n) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	return int_payload_to_int64(p, n, value);
}

int argdata_get_uint64(argdata_t ad, uint64_t *value)
{
	const uint8_t *p;
	size_t n, i;
	uint64_t v = 0;

	if (payload(ad, ARGDATA_TYPE_INT, &p, &n) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	if (!int_shortest(p, n))
		return ARGDATA_EINVAL;
	if (n > 0 && (p[0] & 0x80))
		return ARGDATA_ERANGE; /* negative */
	if (n > 9 || (n == 9 && p[0] != 0x00))
		return ARGDATA_ERANGE;
	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	*value = v;
	return ARGDATA_OK;
}

int argdata_get_timestamp(argdata_t ad, int64_t *ns)
{
	const uint8_t *p;
	size_t n;

	if (payload(ad, ARGDATA_TYPE_TIMESTAMP, &p, &n) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	return int_payload_to_int64(p, n, ns);
}

bool argdata_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		uint8_t lo = 0x80, hi = 0xbf;
		size_t more, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				lo = 0xa0; /* overlong below U+0800 */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates U+D800..U+DFFF */
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				lo = 0x90; /* overlong below U+10000 */
			else if (c == 0xf4)
				hi = 0x8f; /* above U+10FFFF */
		} else {
			/* Stray continuation, overlong C0/C1, or F5..FF. */
			return false;
		}
		if (n - i - 1 < more)
			return false; /* truncated */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k <= more; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += 1 + more;
	}
	return true;
}

int argdata_get_str(argdata_t ad, const char **str, size_t *len)
{
	const uint8_t *p;
	size_t n;

	if (payload(ad, ARGDATA_TYPE_STR, &p, &n) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	if (n == 0 || p[n - 1] != 0x00)
		return ARGDATA_EINVAL;
	if (!argdata_utf8_valid(p, n - 1))
		return ARGDATA_EINVAL;
	*str = (const char *)p;
	*len = n - 1;
	return ARGDATA_OK;
}

int argdata_get_str_c(argdata_t ad, const char **str)
{
	const char *s;
	size_t len, i;
	int r = argdata_get_str(ad, &s, &len);

	if (r != ARGDATA_OK)
		return r;
	for (i = 0; i < len; i++)
		if (s[i] == '\0')
			return ARGDATA_EINVAL;
	*str = s;
	return ARGDATA_OK;
}

/*
 * Read one base-128 length prefix at *pp and check that that many bytes
 * follow before end.  On success *pp points at the element.
 */
static int read_length(const uint8_t **pp, const uint8_t *end, size_t *len)
{
	const uint8_t *p = *pp;
	size_t v = 0;

	if (p == end)
		return ARGDATA_EINVAL;
	if (*p == 0x00)
		return ARGDATA_EINVAL; /* overlong: leading zero group */
	for (;;) {
		uint8_t b;

		if (p == end)
			return ARGDATA_EINVAL; /* no terminating byte */
		b = *p++;
		if (v > (SIZE_MAX >> 7))
			return ARGDATA_EINVAL; /* overflows size_t */
		v = v << 7 | (b & 0x7f);
		if (b & 0x80)
			break;
	}
	if (v > (size_t)(end - p))
		return ARGDATA_EINVAL; /* past the end */
	*pp = p;
	*len = v;
	return ARGDATA_OK;
}

/* On failure the iterator is still set up, in the failed state. */
static int iter_init(argdata_t ad, uint8_t tag, struct argdata_iter *it)
{
	it->type = tag;
	if (ad.len == 0 || ad.buf[0] != tag) {
		it->pos = NULL;
		it->end = NULL;
		it->state = 2;
		return ARGDATA_EINVAL;
	}
	it->pos = ad.buf + 1;
	it->end = ad.buf + ad.len;
	it->state = 0;
	return ARGDATA_OK;
}

int argdata_map_iter(argdata_t ad, struct argdata_iter *it)
{
	return iter_init(ad, ARGDATA_TYPE_MAP, it);
}

int argdata_seq_iter(argdata_t ad, struct argdata_iter *it)
{
	return iter_init(ad, ARGDATA_TYPE_SEQ, it);
}

/* Next element of any container; sets the sticky end/failure state. */
static int iter_element(struct argdata_iter *it, argdata_t *out)
{
	const uint8_t *p = it->pos;
	size_t n;

	if (read_length(&p, it->end, &n) != ARGDATA_OK) {
		it->state = 2;
		return ARGDATA_EINVAL;
	}
	out->buf = p;
	out->len = n;
	it->pos = p + n;
	return ARGDATA_OK;
}

static int iter_check(struct argdata_iter *it, uint8_t type)
{
	if (it->type != type) {
		it->state = 2;
		return ARGDATA_EINVAL;
	}
	if (it->state == 2)
		return ARGDATA_EINVAL;
	if (it->state == 1 || it->pos == it->end) {
		it->state = 1;
		return ARGDATA_END;
	}
	return ARGDATA_OK;
}

int argdata_map_next(struct argdata_iter *it, argdata_t *key, argdata_t *value)
{
	argdata_t k, v;
	int r = iter_check(it, ARGDATA_TYPE_MAP);

	if (r != ARGDATA_OK)
		return r;
	if (iter_element(it, &k) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	if (it->pos == it->end) {
		it->state = 2; /* key without value */
		return ARGDATA_EINVAL;
	}
	if (iter_element(it, &v) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	*key = k;
	*value = v;
	return ARGDATA_OK;
}

int argdata_seq_next(struct argdata_iter *it, argdata_t *value)
{
	int r = iter_check(it, ARGDATA_TYPE_SEQ);

	if (r != ARGDATA_OK)
		return r;
	return iter_element(it, value);
}

int argdata_map_find(argdata_t ad, const char *key, size_t keylen,
		     argdata_t *value)
{
	struct argdata_iter it;
	argdata_t k, v;
	int r;

	if (argdata_map_iter(ad, &it) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	while ((r = argdata_map_next(&it, &k, &v)) == ARGDATA_OK) {
		const char *s;
		size_t len;

		if (argdata_get_str(k, &s, &len) == ARGDATA_OK &&
		    len == keylen && ad_memcmp(s, key, len) == 0) {
			*value = v;
			return ARGDATA_OK;
		}
	}
	return r == ARGDATA_END ? ARGDATA_ENOENT : ARGDATA_EINVAL;
}

/* State of a whole-tree walk: validation, fd collection, fd rewriting. */
struct walk {
	uint32_t *fds;
	size_t cap;
	size_t n;
	uint8_t *base; /* writable alias of the buffer for rewriting */
	const uint8_t *cbase;
	bool rewrite;
};

static int walk_value(struct walk *w, argdata_t ad, unsigned depth);

static int walk_container(struct walk *w, argdata_t ad, unsigned depth)
{
	struct argdata_iter it;
	argdata_t a, b;
	int r;

	if (depth >= ARGDATA_MAX_DEPTH)
		return ARGDATA_EINVAL;
	if (ad.buf[0] == ARGDATA_TYPE_MAP) {
		argdata_map_iter(ad, &it);
		while ((r = argdata_map_next(&it, &a, &b)) == ARGDATA_OK) {
			if ((r = walk_value(w, a, depth + 1)) != ARGDATA_OK)
				return r;
			if ((r = walk_value(w, b, depth + 1)) != ARGDATA_OK)
				return r;
		}
	} else {
		argdata_seq_iter(ad, &it);
		while ((r = argdata_seq_next(&it, &a)) == ARGDATA_OK)
			if ((r = walk_value(w, a, depth + 1)) != ARGDATA_OK)
				return r;
	}
	return r == ARGDATA_END ? ARGDATA_OK : r;
}

/* Handle one fd: collect it (first pass) or rewrite it (second pass). */
static int walk_fd(struct walk *w, argdata_t ad, uint32_t fd)
{
	size_t i;
	uint8_t *p;

	for (i = 0; i < w->n; i++)
		if (w->fds[i] == fd)
			break;
	if (i == w->n) {
		if (w->rewrite)
			return ARGDATA_EINVAL; /* cannot happen */
		if (w->n == w->cap)
			return ARGDATA_ENOSPC;
		w->fds[w->n++] = fd;
	}
	if (w->rewrite) {
		p = w->base + (ad.buf - w->cbase) + 1;
		p[0] = (uint8_t)(i >> 24);
		p[1] = (uint8_t)(i >> 16);
		p[2] = (uint8_t)(i >> 8);
		p[3] = (uint8_t)i;
	}
	return ARGDATA_OK;
}

static int walk_value(struct walk *w, argdata_t ad, unsigned depth)
{
	enum argdata_type type;
	const void *bp;
	const char *s;
	size_t len;
	bool b;
	uint32_t fd;
	uint64_t u;
	int r;

	if (argdata_get_type(ad, &type) != ARGDATA_OK)
		return ARGDATA_EINVAL;
	switch (type) {
	case ARGDATA_TYPE_NULL:
		return ARGDATA_OK;
	case ARGDATA_TYPE_BINARY:
		return argdata_get_binary(ad, &bp, &len);
	case ARGDATA_TYPE_BOOL:
		return argdata_get_bool(ad, &b);
	case ARGDATA_TYPE_FD:
		if ((r = argdata_get_fd(ad, &fd)) != ARGDATA_OK)
			return r;
		if (w->fds == NULL)
			return ARGDATA_OK;
		return walk_fd(w, ad, fd);
	case ARGDATA_TYPE_FLOAT:
		return argdata_get_float_bits(ad, &u);
	case ARGDATA_TYPE_INT:
	case ARGDATA_TYPE_TIMESTAMP:
		/* Shortest form required; any magnitude is well formed. */
		if (!int_shortest(ad.buf + 1, ad.len - 1))
			return ARGDATA_EINVAL;
		return ARGDATA_OK;
	case ARGDATA_TYPE_MAP:
	case ARGDATA_TYPE_SEQ:
		return walk_container(w, ad, depth);
	case ARGDATA_TYPE_STR:
		return argdata_get_str(ad, &s, &len);
	}
	return ARGDATA_EINVAL;
}

int argdata_validate(argdata_t ad)
{
	struct walk w;

	ad_memset(&w, 0, sizeof(w));
	return walk_value(&w, ad, 0);
}

int argdata_fds_renumber(uint8_t *buf, size_t len, uint32_t *fds_out,
			 size_t fds_cap, size_t *nfds)
{
	struct walk w;
	argdata_t ad = argdata_from_buffer(buf, len);
	uint32_t dummy;
	int r;

	ad_memset(&w, 0, sizeof(w));
	/* A non-NULL list even when fds_cap is 0, so fds are visited. */
	w.fds = fds_out != NULL ? fds_out : &dummy;
	w.cap = fds_out != NULL ? fds_cap : 0;
	w.base = buf;
	w.cbase = buf;
	/* Pass 1: validate and collect, buf untouched. */
	if ((r = walk_value(&w, ad, 0)) != ARGDATA_OK)
		return r;
	/* Pass 2: rewrite; cannot fail on a validated tree. */
	w.rewrite = true;
	if ((r = walk_value(&w, ad, 0)) != ARGDATA_OK)
		return r;
	*nfds = w.n;
	return ARGDATA_OK;
}

/* argdata_encode.c: allocation-free argdata encoder from a caller-built node tree. */
#include "common/argdata.h"

/*
 * No <string.h>: it is absent in the guest build (-nostdlibinc).  The
 * builtin becomes inline code or a call to memcpy.
 */
#define ad_memcpy __builtin_memcpy

/* Bytes of the shortest two's complement form of v (0 for zero). */
static size_t int64_len(int64_t v)
{
	uint64_t u;
	size_t n = 8;

	if (v == 0)
		return 0;
	ad_memcpy(&u, &v, sizeof(u));
	while (n > 1) {
		uint8_t top = (uint8_t)(u >> (8 * (n - 1)));
		uint8_t next = (uint8_t)(u >> (8 * (n - 2)));

		if (top == 0x00 && (next & 0x80) == 0)
			n--;
		else if (top == 0xff && (next & 0x80) != 0)
			n--;
		else
			break;
	}
	return n;
}

/* Unsigned values >= 2^63 take a leading 00 byte: 9 bytes. */
static size_t uint64_len(uint64_t v)
{
	if (v >> 63)
		return 9;
	return int64_len((int64_t)v);
}

/* Write the low n bytes of u big-endian (n <= 8), or 00 + 8 bytes (n == 9). */
static uint8_t *put_be(uint8_t *p, uint64_t u, size_t n)
{
	size_t i;

	if (n == 9) {
		*p++ = 0x00;
		n = 8;
	}
	for (i = 0; i < n; i++)
		*p++ = (uint8_t)(u >> (8 * (n - 1 - i)));
	return p;
}

/* Bytes of the base-128 length prefix for len (at least 1). */
static size_t prefix_len(size_t len)
{
	size_t n = 1;

	while (len >>= 7)
		n++;
	return n;
}

static uint8_t *put_prefix(uint8_t *p, size_t len)
{
	size_t n = prefix_len(len), i;

	for (i = 0; i < n; i++) {
		uint8_t b = (uint8_t)((len >> (7 * (n - 1 - i))) & 0x7f);

		if (i == n - 1)
			b |= 0x80;
		*p++ = b;
	}
	return p;
}

static bool add(size_t *acc, size_t x)
{
	if (*acc > SIZE_MAX - x)
		return false;
	*acc += x;
	return true;
}

/* Validate a node and compute its encoded size. */
static int node_size(const struct argdata_node *n, unsigned depth, size_t *size)
{
	size_t total = 1, i;
	int r;

	switch (n->kind) {
	case ARGDATA_NODE_NULL:
		*size = 0;
		return ARGDATA_OK;
	case ARGDATA_NODE_BINARY:
		if (n->v.bytes.ptr == NULL && n->v.bytes.len != 0)
			return ARGDATA_EINVAL;
		if (!add(&total, n->v.bytes.len))
			return ARGDATA_EOVERFLOW;
		break;
	case ARGDATA_NODE_STR:
		if (n->v.bytes.ptr == NULL && n->v.bytes.len != 0)
			return ARGDATA_EINVAL;
		if (n->v.bytes.len != 0 &&
		    !argdata_utf8_valid(n->v.bytes.ptr, n->v.bytes.len))
			return ARGDATA_EINVAL;
		if (!add(&total, n->v.bytes.len) || !add(&total, 1))
			return ARGDATA_EOVERFLOW;
		break;
	case ARGDATA_NODE_RAW:
		if (n->v.bytes.ptr == NULL && n->v.bytes.len != 0)
			return ARGDATA_EINVAL;
		r = argdata_validate(
			argdata_from_buffer(n->v.bytes.ptr, n->v.bytes.len));
		if (r != ARGDATA_OK)
			return r;
		*size = n->v.bytes.len;
		return ARGDATA_OK;
	case ARGDATA_NODE_BOOL:
		total += n->v.b ? 1 : 0;
		break;
	case ARGDATA_NODE_FD:
		total += 4;
		break;
	case ARGDATA_NODE_FLOAT:
		total += 8;
		break;
	case ARGDATA_NODE_INT:
	case ARGDATA_NODE_TIMESTAMP:
		total += int64_len(n->v.i);
		break;
	case ARGDATA_NODE_UINT:
		total += uint64_len(n->v.u);
		break;
	case ARGDATA_NODE_MAP:
	case ARGDATA_NODE_SEQ:
		if (depth >= ARGDATA_MAX_DEPTH)
			return ARGDATA_EINVAL;
		if (n->kind == ARGDATA_NODE_MAP && n->v.list.count % 2 != 0)
			return ARGDATA_EINVAL;
		if (n->v.list.items == NULL && n->v.list.count != 0)
			return ARGDATA_EINVAL;
		for (i = 0; i < n->v.list.count; i++) {
			size_t child;

			r = node_size(&n->v.list.items[i], depth + 1, &child);
			if (r != ARGDATA_OK)
				return r;
			if (!add(&total, prefix_len(child)) ||
			    !add(&total, child))
				return ARGDATA_EOVERFLOW;
		}
		break;
	default:
		return ARGDATA_EINVAL;
	}
	*size = total;
	return ARGDATA_OK;
}

/* Write a node already accepted by node_size; returns the end pointer. */
static uint8_t *node_write(const struct argdata_node *n, unsigned depth,
			   uint8_t *p)
{
	uint64_t u;
	size_t i, child;

	switch (n->kind) {
	case ARGDATA_NODE_NULL:
		return p;
	case ARGDATA_NODE_BINARY:
		*p++ = ARGDATA_TYPE_BINARY;
		if (n->v.bytes.len != 0)
			ad_memcpy(p, n->v.bytes.ptr, n->v.bytes.len);
		return p + n->v.bytes.len;
	case ARGDATA_NODE_STR:
		*p++ = ARGDATA_TYPE_STR;
		if (n->v.bytes.len != 0)
			ad_memcpy(p, n->v.bytes.ptr, n->v.bytes.len);
		p += n->v.bytes.len;
		*p++ = 0x00;
		return p;
	case ARGDATA_NODE_RAW:
		if (n->v.bytes.len != 0)
			ad_memcpy(p, n->v.bytes.ptr, n->v.bytes.len);
		return p + n->v.bytes.len;
	case ARGDATA_NODE_BOOL:
		*p++ = ARGDATA_TYPE_BOOL;
		if (n->v.b)
			*p++ = 0x01;
		return p;
	case ARGDATA_NODE_FD:
		*p++ = ARGDATA_TYPE_FD;
		return put_be(p, n->v.fd, 4);
	case ARGDATA_NODE_FLOAT:
		*p++ = ARGDATA_TYPE_FLOAT;
		return put_be(p, n->v.float_bits, 8);
	case ARGDATA_NODE_INT:
	case ARGDATA_NODE_TIMESTAMP:
		*p++ = n->kind == ARGDATA_NODE_INT ? ARGDATA_TYPE_INT
						   : ARGDATA_TYPE_TIMESTAMP;
		ad_memcpy(&u, &n->v.i, sizeof(u));
		return put_be(p, u, int64_len(n->v.i));
	case ARGDATA_NODE_UINT:
		*p++ = ARGDATA_TYPE_INT;
		return put_be(p, n->v.u, uint64_len(n->v.u));
	case ARGDATA_NODE_MAP:
	case ARGDATA_NODE_SEQ:
		*p++ = n->kind == ARGDATA_NODE_MAP ? ARGDATA_TYPE_MAP
						   : ARGDATA_TYPE_SEQ;
		for (i = 0; i < n->v.list.count; i++) {
			const struct argdata_node *c = &n->v.list.items[i];

			/* Already validated: cannot fail. */
			if (node_size(c, depth + 1, &child) != ARGDATA_OK)
				child = 0;
			p = put_prefix(p, child);
			p = node_write(c, depth + 1, p);
		}
		return p;
	}
	return p;
}

int argdata_encoded_size(const struct argdata_node *node, size_t *size)
{
	return node_size(node, 0, size);
}

int argdata_encode(const struct argdata_node *node, uint8_t *out, size_t cap,
		   size_t *used)
{
	size_t size;
	int r = node_size(node, 0, &size);

	if (r != ARGDATA_OK)
		return r;
	*used = size;
	if (out == NULL)
		return ARGDATA_OK;
	if (size > cap)
		return ARGDATA_ENOSPC;
	node_write(node, 0, out);
	return ARGDATA_OK;
}

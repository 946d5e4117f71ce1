/* argdata.h: CloudABI argument data (argdata) reader, validator and encoder, shared by host and guest. */
#ifndef CAPBOX_COMMON_ARGDATA_H
#define CAPBOX_COMMON_ARGDATA_H

/*
 * Wire format (see RUNTIME-FACTS.md): one tag byte plus a payload.
 *
 *   01 binary     raw bytes
 *   02 bool       empty payload = false, exactly 01 = true
 *   03 fd         4-byte big-endian descriptor number
 *   04 float      8-byte big-endian IEEE-754 binary64
 *   05 int        shortest big-endian two's complement; 0 is the empty payload
 *   06 map        elements key, value, key, value ...
 *   07 seq        elements
 *   08 str        UTF-8 followed by a required NUL
 *   09 timestamp  int of nanoseconds since 1970
 *
 * An empty buffer is null.  Every map/seq element is prefixed by its length
 * in big-endian base 128; the high bit is set on the LAST byte only.
 *
 * Decisions taken by this implementation (host and guest behave alike):
 *  - Int and timestamp payloads must be in shortest form.  A leading 00 byte
 *    followed by a byte < 80, a leading ff byte followed by a byte >= 80, and
 *    the one-byte payload 00 (zero is empty) are rejected with
 *    ARGDATA_EINVAL.  Longer shortest-form integers are well formed; they
 *    give ARGDATA_ERANGE when they do not fit the requested C type.
 *  - Unsigned values >= 2^63 are encoded as 9 bytes: 00 then the 8 value
 *    bytes (this is the shortest two's complement form).  argdata_get_uint64
 *    accepts it; argdata_get_int64 and argdata_get_timestamp give ERANGE.
 *  - Length prefixes must be shortest: a first byte of 00 (a zero group that
 *    is not the last byte) is rejected, as is a prefix without terminating
 *    byte, one whose value overflows size_t, or one pointing past the end.
 *  - Strings must be valid UTF-8 (no overlong forms, no surrogates
 *    U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequences, no
 *    stray continuation bytes) and end in NUL.  Interior NULs are allowed by
 *    argdata_get_str and rejected by argdata_get_str_c.
 *  - Functions that walk a whole tree (argdata_validate,
 *    argdata_fds_renumber, the encoder) accept at most ARGDATA_MAX_DEPTH
 *    nested maps/seqs; deeper input gives ARGDATA_EINVAL.
 *  - The getters and iterators are lazy: they check only the value they are
 *    asked about.  Use argdata_validate to check a whole tree up front.
 *
 * Only <stddef.h>, <stdint.h>, <stdbool.h> are needed, and the code calls
 * only memcpy/memset/memcmp, so it builds on the host, in the freestanding
 * shim (-mgeneral-regs-only: no floating point instructions) and in CloudABI
 * guests.  Define CAPBOX_NO_FLOAT to drop the double-typed helpers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Maximum number of nested maps/seqs accepted by whole-tree walks. */
#define ARGDATA_MAX_DEPTH 64

/* Return codes.  ARGDATA_END is not an error: iteration has finished. */
enum argdata_status {
	ARGDATA_OK = 0,
	ARGDATA_END = 1,       /* iterator exhausted */
	ARGDATA_EINVAL = 2,    /* malformed input, or not the requested type */
	ARGDATA_ERANGE = 3,    /* well formed, but does not fit the C type */
	ARGDATA_ENOSPC = 4,    /* output buffer or fd list too small */
	ARGDATA_EOVERFLOW = 5, /* encoded size would not fit in size_t */
	ARGDATA_ENOENT = 6,    /* map key not present */
};

/* Value types; the numbers are the wire tags (NULL has no tag). */
enum argdata_type {
	ARGDATA_TYPE_NULL = 0,
	ARGDATA_TYPE_BINARY = 1,
	ARGDATA_TYPE_BOOL = 2,
	ARGDATA_TYPE_FD = 3,
	ARGDATA_TYPE_FLOAT = 4,
	ARGDATA_TYPE_INT = 5,
	ARGDATA_TYPE_MAP = 6,
	ARGDATA_TYPE_SEQ = 7,
	ARGDATA_TYPE_STR = 8,
	ARGDATA_TYPE_TIMESTAMP = 9,
};

/* A read-only view of one encoded value.  len == 0 is null. */
typedef struct {
	const uint8_t *buf;
	size_t len;
} argdata_t;

static inline argdata_t argdata_from_buffer(const void *buf, size_t len)
{
	argdata_t ad;

	ad.buf = (const uint8_t *)buf;
	ad.len = len;
	return ad;
}

/* ---- Reader ---- */

/* Human-readable name of a status code (a string literal). */
const char *argdata_strerror(int status);

/* True if the value is null (empty buffer). */
bool argdata_is_null(argdata_t ad);

/* Type of the value; ARGDATA_EINVAL for an unknown tag. */
int argdata_get_type(argdata_t ad, enum argdata_type *type);

/* Binary payload (may be empty; *ptr then points just past the tag). */
int argdata_get_binary(argdata_t ad, const void **ptr, size_t *len);

/* Bool: payload empty (false) or exactly 01 (true). */
int argdata_get_bool(argdata_t ad, bool *value);

/* Fd number exactly as encoded (4 bytes). */
int argdata_get_fd(argdata_t ad, uint32_t *fd);

/* Float as its raw IEEE-754 binary64 bits (exactly 8 bytes). */
int argdata_get_float_bits(argdata_t ad, uint64_t *bits);

#ifndef CAPBOX_NO_FLOAT
/* Float as a double (bits copied with memcpy, NaN payloads preserved). */
int argdata_get_float(argdata_t ad, double *value);
#endif

/* Int as int64_t; ARGDATA_ERANGE if it does not fit. */
int argdata_get_int64(argdata_t ad, int64_t *value);

/* Int as uint64_t; ARGDATA_ERANGE if negative or >= 2^64. */
int argdata_get_uint64(argdata_t ad, uint64_t *value);

/* String: *len excludes the trailing NUL, which is present at str[*len]. */
int argdata_get_str(argdata_t ad, const char **str, size_t *len);

/* String that is also a C string: no interior NUL. */
int argdata_get_str_c(argdata_t ad, const char **str);

/* Timestamp in nanoseconds since 1970; ARGDATA_ERANGE if not int64_t. */
int argdata_get_timestamp(argdata_t ad, int64_t *ns);

/* True if [buf, buf+len) is valid UTF-8 (strict, see above). */
bool argdata_utf8_valid(const uint8_t *buf, size_t len);

/*
 * Map/seq iteration without allocation:
 *
 *	struct argdata_iter it;
 *	argdata_t key, value;
 *	int r;
 *	if (argdata_map_iter(ad, &it) != ARGDATA_OK) ...not a map...
 *	while ((r = argdata_map_next(&it, &key, &value)) == ARGDATA_OK)
 *		...use key, value...
 *	if (r != ARGDATA_END) ...malformed...
 *
 * next returns ARGDATA_OK with an element, ARGDATA_END when done, or
 * ARGDATA_EINVAL for a bad length prefix or a map key without a value.
 * END and EINVAL are sticky.  If *_iter fails (wrong type) the iterator
 * is left in the failed state, so next returns ARGDATA_EINVAL.  The iterator only checks framing; each
 * element is checked when read with a getter.
 */
struct argdata_iter {
	const uint8_t *pos;
	const uint8_t *end;
	uint8_t type;  /* ARGDATA_TYPE_MAP or ARGDATA_TYPE_SEQ */
	uint8_t state; /* internal: 0 running, 1 ended, 2 failed */
};

int argdata_map_iter(argdata_t ad, struct argdata_iter *it);
int argdata_seq_iter(argdata_t ad, struct argdata_iter *it);
int argdata_map_next(struct argdata_iter *it, argdata_t *key, argdata_t *value);
int argdata_seq_next(struct argdata_iter *it, argdata_t *value);

/*
 * Find the first entry whose key is the string key[0..keylen) and store its
 * value.  ARGDATA_ENOENT if absent, ARGDATA_EINVAL if ad is not a map or
 * its framing is malformed before the key is found.  Keys that are not
 * strings, or are malformed strings, are skipped.
 */
int argdata_map_find(argdata_t ad, const char *key, size_t keylen,
		     argdata_t *value);

/*
 * Check the whole tree strictly: every value well formed as described above
 * (ints and timestamps of any magnitude are accepted if in shortest form),
 * maps with whole key/value pairs, nesting at most ARGDATA_MAX_DEPTH.
 */
int argdata_validate(argdata_t ad);

/*
 * For proc_exec: validate the whole tree, then rewrite every fd payload in
 * place so the fds are numbered 0..n-1 in order of first appearance (a
 * repeated fd gets the same new number).  fds_out[i] receives the original
 * number of new fd i and *nfds the count.  ARGDATA_ENOSPC if more than
 * fds_cap distinct fds; on any error buf is left unchanged (fds_out may
 * have been written to).
 */
int argdata_fds_renumber(uint8_t *buf, size_t len, uint32_t *fds_out,
			 size_t fds_cap, size_t *nfds);

/* ---- Encoder ---- */

enum argdata_node_kind {
	ARGDATA_NODE_NULL = 0,
	ARGDATA_NODE_BINARY,
	ARGDATA_NODE_BOOL,
	ARGDATA_NODE_FD,
	ARGDATA_NODE_FLOAT, /* raw IEEE-754 bits */
	ARGDATA_NODE_INT,   /* int64_t */
	ARGDATA_NODE_UINT,  /* uint64_t */
	ARGDATA_NODE_MAP,   /* items alternate key, value; count even */
	ARGDATA_NODE_SEQ,
	ARGDATA_NODE_STR,       /* UTF-8 without the NUL; the NUL is added */
	ARGDATA_NODE_TIMESTAMP, /* int64_t nanoseconds */
	ARGDATA_NODE_RAW,       /* an already encoded value, copied verbatim */
};

/* A tree node the caller fills in (directly or with the helpers below). */
struct argdata_node {
	enum argdata_node_kind kind;
	union {
		struct {
			const void *ptr;
			size_t len;
		} bytes;             /* BINARY, STR, RAW */
		bool b;              /* BOOL */
		uint32_t fd;         /* FD */
		uint64_t float_bits; /* FLOAT */
		int64_t i;           /* INT, TIMESTAMP */
		uint64_t u;          /* UINT */
		struct {
			const struct argdata_node *items;
			size_t count; /* number of nodes (2 per map entry) */
		} list;               /* MAP, SEQ */
	} v;
};

/*
 * Encoded size of a tree.  Also validates it (strings must be valid UTF-8,
 * maps have an even count, RAW values pass argdata_validate, depth at most
 * ARGDATA_MAX_DEPTH, kind known): ARGDATA_EINVAL, or ARGDATA_EOVERFLOW if
 * the size would not fit in size_t.
 */
int argdata_encoded_size(const struct argdata_node *node, size_t *size);

/*
 * Encode a tree into out[0..cap).  *used receives the encoded size, also
 * on ARGDATA_ENOSPC.  out == NULL is a size query (returns ARGDATA_OK).
 * Encoding a single scalar needs no tree: pass one node, e.g.
 *	struct argdata_node n = argdata_node_int(-129);
 *	argdata_encode(&n, buf, sizeof(buf), &used);
 */
int argdata_encode(const struct argdata_node *node, uint8_t *out, size_t cap,
		   size_t *used);

/* Node constructors. */
static inline struct argdata_node argdata_node_null(void)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_NULL};

	return n;
}

static inline struct argdata_node argdata_node_binary(const void *ptr,
						      size_t len)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_BINARY};

	n.v.bytes.ptr = ptr;
	n.v.bytes.len = len;
	return n;
}

static inline struct argdata_node argdata_node_bool(bool b)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_BOOL};

	n.v.b = b;
	return n;
}

static inline struct argdata_node argdata_node_fd(uint32_t fd)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_FD};

	n.v.fd = fd;
	return n;
}

static inline struct argdata_node argdata_node_float_bits(uint64_t bits)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_FLOAT};

	n.v.float_bits = bits;
	return n;
}

static inline struct argdata_node argdata_node_int(int64_t i)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_INT};

	n.v.i = i;
	return n;
}

static inline struct argdata_node argdata_node_uint(uint64_t u)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_UINT};

	n.v.u = u;
	return n;
}

static inline struct argdata_node argdata_node_timestamp(int64_t ns)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_TIMESTAMP};

	n.v.i = ns;
	return n;
}

/* A string of len bytes, without the trailing NUL. */
static inline struct argdata_node argdata_node_str(const char *s, size_t len)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_STR};

	n.v.bytes.ptr = s;
	n.v.bytes.len = len;
	return n;
}

/* A NUL-terminated C string. */
static inline struct argdata_node argdata_node_str_c(const char *s)
{
	size_t len = 0;

	while (s[len] != '\0')
		len++;
	return argdata_node_str(s, len);
}

/* count is the number of nodes in items: keys and values alternate. */
static inline struct argdata_node argdata_node_map(
	const struct argdata_node *items, size_t count)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_MAP};

	n.v.list.items = items;
	n.v.list.count = count;
	return n;
}

static inline struct argdata_node argdata_node_seq(
	const struct argdata_node *items, size_t count)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_SEQ};

	n.v.list.items = items;
	n.v.list.count = count;
	return n;
}

/* Embed an already encoded value (validated when encoding). */
static inline struct argdata_node argdata_node_raw(argdata_t ad)
{
	struct argdata_node n = {.kind = ARGDATA_NODE_RAW};

	n.v.bytes.ptr = ad.buf;
	n.v.bytes.len = ad.len;
	return n;
}

#ifdef __cplusplus
}
#endif

#endif

/* stream_record.c: one read of a Unix byte stream that stops where the native implementation's would (see stream_record.h). */
#include "common/stream_record.h"

/* Where the first descriptor-carrying message starts, given that one is
 * queued and a peek of `len` bytes returned n: a peek stops right after
 * such a message, and the broker sends each with one data byte.  Returns
 * `len` when it starts at or beyond len; -errno. */
static long message_start(const struct stream_ops *ops, unsigned char *buf,
			  size_t len, long n)
{
	if ((size_t)n == len) {
		bool fds;
		n = ops->peek(ops->ctx, buf, len + 1, &fds);
		if (n < 0)
			return n;
		if ((size_t)n > len)
			return (long)len;
	}
	return n > 0 ? n - 1 : 0;
}

long stream_record_read(const struct stream_ops *ops, unsigned char *buf,
			size_t want, bool *boundary)
{
	*boundary = false;
	size_t got = 0;
	while (got < want) {
		bool fds = false;
		size_t len = want - got;
		long n = ops->peek(ops->ctx, buf + got, len, &fds);
		if (n <= 0)
			return got > 0 ? (long)got : n;
		size_t take = (size_t)n;
		bool with_fds = false;
		if (fds) {
			long start = message_start(ops, buf + got, len, n);
			if (start < 0)
				return got > 0 ? (long)got : start;
			if ((size_t)start == len) {
				take = len;
			} else if (start > 0 || got > 0) {
				/* Plain bytes end where the message starts. */
				*boundary = true;
				if (start == 0)
					break;
				take = (size_t)start;
			} else {
				with_fds =
					true; /* the record's first message */
				take = 1;
			}
		}
		long r = ops->take(ops->ctx, buf + got, take, with_fds);
		if (r <= 0)
			return got > 0 ? (long)got : r;
		got += (size_t)r;
		/* After plain bytes the record ends with what is queued; after
		 * the message that starts it, plain bytes still join it. */
		if (!with_fds || *boundary)
			break;
	}
	return (long)got;
}

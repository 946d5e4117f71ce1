/* stream_record.h: one read of a Unix byte stream that stops where the native implementation's would: a descriptor-carrying message starts a record, plain bytes after it join that record. */
#ifndef CAPBOX_COMMON_STREAM_RECORD_H
#define CAPBOX_COMMON_STREAM_RECORD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * FreeBSD queues a message that carries descriptors (SCM_RIGHTS) as a new
 * record of the socket buffer and appends plain writes to the last
 * record; a read never crosses into the next record.  Linux instead glues
 * plain bytes and a following descriptor-carrying message in one read and
 * stops right after such a message.  Without credentials (SO_PASSCRED,
 * whose SCM_CREDENTIALS would show the guest the broker's pid: issue 12,
 * finding 6) the kernel keeps no boundary before the message, so the
 * reader finds it: the broker sends every descriptor-carrying message on
 * a stream with exactly one data byte (the rest follows as plain bytes,
 * which join its record anyway), a MSG_PEEK without a control buffer
 * reports MSG_CTRUNC while such a message is queued, and a peek stops
 * right after the first one: its one byte is the last byte peeked.
 *
 * The caller supplies the two socket operations on a contiguous buffer
 * with room for want + 1 bytes.  Both return a byte count or -errno and
 * never wait.
 */
struct stream_ops {
	/* Copies up to len bytes from the head of the queue without taking
	 * them; *fds: a descriptor-carrying message contributed a byte. */
	long (*peek)(void *ctx, unsigned char *buf, size_t len, bool *fds);
	/* Takes len bytes; with_fds: they start with a descriptor-carrying
	 * message, whose descriptors the caller keeps or drops. */
	long (*take)(void *ctx, unsigned char *buf, size_t len, bool with_fds);
	void *ctx;
};

/*
 * Reads one record's worth, at most `want` bytes, into buf: returns the
 * count (0 at end of stream) or -errno of the first operation.  *boundary:
 * the read stopped because a descriptor-carrying message follows (a
 * MSG_WAITALL reader stops there too).  Nothing is lost to an error after
 * the first byte: the bytes taken so far are returned.
 */
long stream_record_read(const struct stream_ops *ops, unsigned char *buf,
			size_t want, bool *boundary);

#endif

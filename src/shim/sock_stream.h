/* sock_stream.h: reading a byte-stream socket up to the native implementation's record boundary. */
#ifndef CAPBOX_SHIM_SOCK_STREAM_H
#define CAPBOX_SHIM_SOCK_STREAM_H

#include "cloudabi/abi.h"
#include <stddef.h>

/*
 * One read of a byte-stream socket into a guest vector without taking
 * descriptors (fd_read, and sock_recv without room for them): it stops
 * before a descriptor-carrying message unless one starts the read, and
 * then includes the plain bytes queued after it (common/stream_record.h);
 * the descriptors are dropped, as natively.  The common case (no such
 * message within reach) costs one MSG_PEEK more than a plain read.
 */
cloudabi_errno_t shim_stream_read(cloudabi_fd_t fd, const cloudabi_iovec_t *iov,
				  size_t iovlen, size_t *nread);

#endif

/* hc_fd_io.c: reads and writes the shim forwards for a regular file it has not fetched from the broker yet. */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "common/linux_convert.h"

_Static_assert(CAPBOX_HC_IO_MAX <= sizeof(((struct hc_out *)0)->data),
	       "a forwarded read fits a reply");

/*
 * The checks every forwarded transfer makes: the rights from the broker's
 * own table (FD_SEEK too for a positioned one), a regular file (a read
 * from anything else could block the broker), a length within bounds.
 */
static cloudabi_errno_t io_object(struct guest *g,
				  const struct capbox_hc_fd_io *p,
				  cloudabi_rights_t need, bool positioned,
				  int *object)
{
	if (p->length > CAPBOX_HC_IO_MAX ||
	    (positioned ? p->offset > INT64_MAX : p->offset != 0))
		return CLOUDABI_EINVAL;
	if (positioned)
		need |= CLOUDABI_RIGHT_FD_SEEK;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(&g->caps, p->fd, need, &cap);
	if (err != 0)
		return err;
	if (cap->type != CLOUDABI_FILETYPE_REGULAR_FILE)
		return CLOUDABI_EINVAL;
	*object = cap->object;
	return 0;
}

/* Reads into the reply: its bytes are the result. */
static cloudabi_errno_t read_reply(struct guest *g,
				   const struct capbox_hc_fd_io *p,
				   bool positioned, struct hc_out *out)
{
	int object;
	cloudabi_errno_t err = io_object(g, p, CLOUDABI_RIGHT_FD_READ,
					 positioned, &object);
	if (err != 0)
		return err;
	ssize_t n = positioned ? pread(object, out->data, p->length,
				       (off_t)p->offset)
			       : read(object, out->data, p->length);
	if (n < 0)
		return fdbudget_errno(errno);
	out->length = (size_t)n;
	return 0;
}

/* Writes the request's tail (exactly `length` bytes). */
static cloudabi_errno_t write_tail(struct guest *g,
				   const struct capbox_hc_fd_io *p,
				   const unsigned char *tail, size_t tail_len,
				   bool positioned, struct hc_out *out)
{
	if (tail_len != p->length)
		return CLOUDABI_EINVAL;
	int object;
	cloudabi_errno_t err = io_object(g, p, CLOUDABI_RIGHT_FD_WRITE,
					 positioned, &object);
	if (err != 0)
		return err;
	ssize_t n = positioned
			    ? pwrite(object, tail, tail_len, (off_t)p->offset)
			    : write(object, tail, tail_len);
	if (n < 0)
		return fdbudget_errno(errno);
	struct capbox_hc_fd_io_done done = {.bytes = (uint64_t)n};
	hc_reply_add(out, &done, sizeof(done));
	return 0;
}

cloudabi_errno_t hc_fd_read(struct guest *g, const struct capbox_hc_fd_io *p,
			    const unsigned char *tail, size_t tail_len,
			    struct hc_out *out)
{
	return read_reply(g, p, false, out);
}

cloudabi_errno_t hc_fd_pread(struct guest *g, const struct capbox_hc_fd_io *p,
			     const unsigned char *tail, size_t tail_len,
			     struct hc_out *out)
{
	return read_reply(g, p, true, out);
}

cloudabi_errno_t hc_fd_write(struct guest *g, const struct capbox_hc_fd_io *p,
			     const unsigned char *tail, size_t tail_len,
			     struct hc_out *out)
{
	return write_tail(g, p, tail, tail_len, false, out);
}

cloudabi_errno_t hc_fd_pwrite(struct guest *g, const struct capbox_hc_fd_io *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	return write_tail(g, p, tail, tail_len, true, out);
}

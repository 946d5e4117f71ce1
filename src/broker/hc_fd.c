/* hc_fd.c: descriptor hypercalls that read or change the capability table. */
#include <fcntl.h>
#include <string.h>

#include "broker/dispatch.h"

cloudabi_errno_t hc_fd_close(struct guest *g, const void *params,
			     const unsigned char *tail, size_t tail_len,
			     struct hc_out *out)
{
	(void)tail;
	(void)tail_len;
	(void)out;
	const struct capbox_hc_fd *p = params;
	return captable_remove(&g->caps, p->fd);
}

static cloudabi_fdflags_t fdflags_of(int object, cloudabi_filetype_t type)
{
	if (type == CLOUDABI_FILETYPE_DIRECTORY)
		return 0;
	int fl = fcntl(object, F_GETFL);
	if (fl < 0)
		return 0;
	cloudabi_fdflags_t flags = 0;
	if (fl & O_APPEND)
		flags |= CLOUDABI_FDFLAG_APPEND;
	if (fl & O_NONBLOCK)
		flags |= CLOUDABI_FDFLAG_NONBLOCK;
	if ((fl & O_SYNC) == O_SYNC)
		flags |= CLOUDABI_FDFLAG_SYNC | CLOUDABI_FDFLAG_RSYNC;
	else if (fl & O_DSYNC)
		flags |= CLOUDABI_FDFLAG_DSYNC;
	return flags;
}

cloudabi_errno_t hc_fd_stat_get(struct guest *g, const void *params,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	(void)tail;
	(void)tail_len;
	const struct capbox_hc_fd *p = params;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(&g->caps, p->fd, 0, &cap);
	if (err != 0)
		return err;
	cloudabi_fdstat_t st = {
		.fs_filetype = cap->type,
		.fs_flags = fdflags_of(cap->object, cap->type),
		.fs_rights_base = cap->rights.base,
		.fs_rights_inheriting = cap->rights.inheriting,
	};
	memcpy(out->data, &st, sizeof(st));
	out->length = sizeof(st);
	return 0;
}

/* shim_image.c: the embedded shim as an executable, sealed memory file. */
#include "broker/spawn/shim_image.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "broker/fdbudget.h"
#include "confine/confine.h"
#include "protocol/hypercall.h"

extern const unsigned char capbox_shim_image[];
extern const unsigned char capbox_shim_image_end[];

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

static int cached = -1;

int shim_image_fd(void)
{
	if (cached >= 0)
		return cached;
	int fd = memfd_create("capbox-shim",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL) /* kernels before 6.3 */
		fd = memfd_create("capbox-shim",
				  MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	const unsigned char *p = capbox_shim_image;
	size_t left = (size_t)(capbox_shim_image_end - capbox_shim_image);
	uint64_t soft = confine_own_files_begin();
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	confine_own_files_end(soft);
	if (left > 0)
		goto fail;
	if (fcntl(fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) !=
	    0)
		goto fail;
	/* Above every number a guest process fills before exec. */
	int high = fcntl(fd, F_DUPFD_CLOEXEC, fdbudget_layout.private_end);
	if (high < 0)
		goto fail;
	close(fd);
	cached = high;
	return high;
fail:;
	int saved = errno;
	close(fd);
	errno = saved != 0 ? saved : EIO;
	return -1;
}

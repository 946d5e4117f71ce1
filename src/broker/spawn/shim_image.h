/* shim_image.h: the embedded shim as an executable, sealed memory file. */
#ifndef CAPBOX_BROKER_SHIM_IMAGE_H
#define CAPBOX_BROKER_SHIM_IMAGE_H

/* A close-on-exec descriptor of a sealed memfd holding the shim, made once
 * per broker; -1 with errno set on failure. */
int shim_image_fd(void);

#endif

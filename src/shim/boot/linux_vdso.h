/* linux_vdso.h: finds functions in the kernel's own vDSO, so clock reads need no system call. */
#ifndef CAPBOX_SHIM_LINUX_VDSO_H
#define CAPBOX_SHIM_LINUX_VDSO_H

/* The address of the vDSO function `name` in the image at base (the
 * kernel's AT_SYSINFO_EHDR), or NULL if absent or the image is odd. */
void *linux_vdso_lookup(const void *base, const char *name);

#endif

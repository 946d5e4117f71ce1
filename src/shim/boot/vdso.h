/* vdso.h: builds the in-memory ELF image (vDSO) that exports cloudabi_sys_* to the program. */
#ifndef CAPBOX_SHIM_VDSO_H
#define CAPBOX_SHIM_VDSO_H

/* Maps and fills a read-only vDSO image; returns its address (the value of
 * AT_SYSINFO_EHDR).  Fatal on failure. */
const void *vdso_build(void);

#endif

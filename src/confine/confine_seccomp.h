/* confine_seccomp.h: the guest's seccomp-bpf filter, built by the broker and installed by the shim. */
#ifndef CAPBOX_BROKER_CONFINE_SECCOMP_H
#define CAPBOX_BROKER_CONFINE_SECCOMP_H

/* An empty close-on-exec memory file for the filter, or -1 with errno. */
int confine_seccomp_memfd(void);

/*
 * Compiles confine_policy into classic BPF, writes the instructions
 * (struct sock_filter[]) to the memory file fd and seals it; 0, or -1 with
 * errno set.  Calls outside the policy fail with EPERM; a system call made
 * through any ABI but x86-64 (i386 `int 0x80`, x32) kills the process with
 * SIGSYS.  The broker compiles while the new guest process sets up its
 * namespaces (the shim reads the file only after its boot hypercall).
 * shim_fd is the number of the shim's image in the guest (the layout's:
 * CONFINE_SHIM_IMAGE_FD in the policy).
 */
int confine_seccomp_fill(int fd, int shim_fd);

#endif

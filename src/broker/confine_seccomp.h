/* confine_seccomp.h: the guest's seccomp-bpf filter, built by the broker and installed by the shim. */
#ifndef CAPBOX_BROKER_CONFINE_SECCOMP_H
#define CAPBOX_BROKER_CONFINE_SECCOMP_H

/*
 * Compiles confine_policy into classic BPF and returns a sealed, close-on-exec memory file
 * holding the instructions (struct sock_filter[]), or -1 with errno set.
 * Calls outside the policy fail with EPERM; a system call made through any
 * ABI but x86-64 (i386 `int 0x80`, x32) kills the process with SIGSYS.
 */
int confine_seccomp_memfd(void);

#endif

/* confine.h: the shim's last start-up step: installing the broker's seccomp filter. */
#ifndef CAPBOX_SHIM_CONFINE_H
#define CAPBOX_SHIM_CONFINE_H

/*
 * Loads the BPF program the broker left at shim_proc.fds.seccomp, closes
 * that descriptor and installs the program for this (still single-threaded)
 * process; no_new_privs is already set.  From here on every system call
 * outside src/confine/confine_policy.c fails with EPERM.  A shim that
 * proc_exec started finds the filter already in force and keeps it.
 * Ends the process through shim_fatal when the filter cannot be installed.
 */
void shim_confine(void);

#endif

/* linux_convert.h: Linux <-> CloudABI errno, signal and file type mapping. */
#ifndef CAPBOX_COMMON_LINUX_CONVERT_H
#define CAPBOX_COMMON_LINUX_CONVERT_H

#include "cloudabi/abi.h"

/*
 * One place for every Linux <-> CloudABI number translation, usable from
 * the broker (glibc) and from the freestanding shim (CAPBOX_FREESTANDING,
 * numbers from the Linux uapi headers).  Callers pass positive errno
 * values: negate a raw system call's -errno result first.
 */

/*
 * Every Linux errno (1..EHWPOISON) maps to a CloudABI errno; 0 maps to
 * CLOUDABI_ESUCCESS.  Values outside that range (including negative ones)
 * map to CLOUDABI_EIO: some unidentified failure, which is what EIO means;
 * ENOSYS would wrongly tell the program that the call does not exist.
 */
cloudabi_errno_t capbox_errno_from_linux(int linux_errno);

/*
 * file_unlink without UNLINK_REMOVEDIR naming a directory: Linux's
 * unlinkat(2) answers EISDIR, FreeBSD's (and POSIX's unlink) EPERM, which
 * the C library's tests expect (unlinkat_test.c:29, :45).  Every other
 * errno converts as capbox_errno_from_linux.
 */
cloudabi_errno_t capbox_unlink_errno_from_linux(int linux_errno);

/* The Linux number of a CloudABI signal; 0 when sig is not a valid one. */
int capbox_signal_to_linux(cloudabi_signal_t sig);

/*
 * The CloudABI signal for a Linux signal; 0 when CloudABI has no such
 * signal (SIGSTKFLT, SIGPROF, SIGWINCH, SIGIO, SIGPWR, real-time signals).
 * A caller reporting a process killed by one of those needs a fallback.
 */
cloudabi_signal_t capbox_signal_from_linux(int linux_sig);

/*
 * The file type for a stat() st_mode.  A FIFO is a SOCKET_STREAM (as in
 * FreeBSD's CloudABI layer, which treats pipes as stream sockets); a socket
 * is SOCKET_STREAM too, a guess: use capbox_filetype_from_socktype() when
 * the descriptor's SO_TYPE is known.
 */
cloudabi_filetype_t capbox_filetype_from_mode(unsigned st_mode);

/*
 * The file type for a Linux socket type (SO_TYPE; SOCK_NONBLOCK and
 * SOCK_CLOEXEC are ignored): SOCK_STREAM -> SOCKET_STREAM, SOCK_DGRAM ->
 * SOCKET_DGRAM, anything else (SOCK_SEQPACKET, SOCK_RAW ...) -> UNKNOWN,
 * since CloudABI has no type for it.
 */
cloudabi_filetype_t capbox_filetype_from_socktype(int socktype);

/*
 * The descriptor flags for Linux file status flags (fcntl F_GETFL):
 * O_APPEND -> APPEND, O_NONBLOCK -> NONBLOCK, O_SYNC -> SYNC | RSYNC (Linux
 * syncs reads and writes alike), else O_DSYNC -> DSYNC.
 */
cloudabi_fdflags_t capbox_fdflags_from_linux(int status_flags);

#endif

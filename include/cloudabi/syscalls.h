/* syscalls.h: the 49 CloudABI system calls; list index = capbox call number. */
#ifndef CLOUDABI_SYSCALLS_H
#define CLOUDABI_SYSCALLS_H

#include "cloudabi/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * X(name, return_type, (parameters), (argument names)), in alphabetical
 * order.  The parameters are the vDSO's C prototype of cloudabi_sys_<name>:
 * a range is (T *x, size_t x_len), each output is a trailing pointer, a
 * lookup is passed by value.  Every call returns a CloudABI errno except the
 * two that never return.
 *
 * Example, declaring the vDSO entry points:
 *   #define DECLARE(n, ret, params, args) ret cloudabi_sys_##n params;
 *   CLOUDABI_SYSCALLS(DECLARE)
 */
#define CLOUDABI_SYSCALLS(X)                                                   \
	X(clock_res_get, cloudabi_errno_t,                                     \
	  (cloudabi_clockid_t clock_id, cloudabi_timestamp_t * resolution),    \
	  (clock_id, resolution))                                              \
	X(clock_time_get, cloudabi_errno_t,                                    \
	  (cloudabi_clockid_t clock_id, cloudabi_timestamp_t precision,        \
	   cloudabi_timestamp_t * time),                                       \
	  (clock_id, precision, time))                                         \
	X(condvar_signal, cloudabi_errno_t,                                    \
	  (_Atomic(cloudabi_condvar_t) *condvar, cloudabi_scope_t scope,       \
	   cloudabi_nthreads_t nwaiters),                                      \
	  (condvar, scope, nwaiters))                                          \
	X(fd_close, cloudabi_errno_t, (cloudabi_fd_t fd), (fd))                \
	X(fd_create1, cloudabi_errno_t,                                        \
	  (cloudabi_filetype_t type, cloudabi_fd_t * fd), (type, fd))          \
	X(fd_create2, cloudabi_errno_t,                                        \
	  (cloudabi_filetype_t type, cloudabi_fd_t * fd1,                      \
	   cloudabi_fd_t * fd2),                                               \
	  (type, fd1, fd2))                                                    \
	X(fd_datasync, cloudabi_errno_t, (cloudabi_fd_t fd), (fd))             \
	X(fd_dup, cloudabi_errno_t, (cloudabi_fd_t from, cloudabi_fd_t * fd),  \
	  (from, fd))                                                          \
	X(fd_pread, cloudabi_errno_t,                                          \
	  (cloudabi_fd_t fd, const cloudabi_iovec_t *iovs, size_t iovs_len,    \
	   cloudabi_filesize_t offset, size_t *nread),                         \
	  (fd, iovs, iovs_len, offset, nread))                                 \
	X(fd_pwrite, cloudabi_errno_t,                                         \
	  (cloudabi_fd_t fd, const cloudabi_ciovec_t *iovs, size_t iovs_len,   \
	   cloudabi_filesize_t offset, size_t *nwritten),                      \
	  (fd, iovs, iovs_len, offset, nwritten))                              \
	X(fd_read, cloudabi_errno_t,                                           \
	  (cloudabi_fd_t fd, const cloudabi_iovec_t *iovs, size_t iovs_len,    \
	   size_t *nread),                                                     \
	  (fd, iovs, iovs_len, nread))                                         \
	X(fd_replace, cloudabi_errno_t,                                        \
	  (cloudabi_fd_t from, cloudabi_fd_t to), (from, to))                  \
	X(fd_seek, cloudabi_errno_t,                                           \
	  (cloudabi_fd_t fd, cloudabi_filedelta_t offset,                      \
	   cloudabi_whence_t whence, cloudabi_filesize_t * newoffset),         \
	  (fd, offset, whence, newoffset))                                     \
	X(fd_stat_get, cloudabi_errno_t,                                       \
	  (cloudabi_fd_t fd, cloudabi_fdstat_t * buf), (fd, buf))              \
	X(fd_stat_put, cloudabi_errno_t,                                       \
	  (cloudabi_fd_t fd, const cloudabi_fdstat_t *buf,                     \
	   cloudabi_fdsflags_t flags),                                         \
	  (fd, buf, flags))                                                    \
	X(fd_sync, cloudabi_errno_t, (cloudabi_fd_t fd), (fd))                 \
	X(fd_write, cloudabi_errno_t,                                          \
	  (cloudabi_fd_t fd, const cloudabi_ciovec_t *iovs, size_t iovs_len,   \
	   size_t *nwritten),                                                  \
	  (fd, iovs, iovs_len, nwritten))                                      \
	X(file_advise, cloudabi_errno_t,                                       \
	  (cloudabi_fd_t fd, cloudabi_filesize_t offset,                       \
	   cloudabi_filesize_t len, cloudabi_advice_t advice),                 \
	  (fd, offset, len, advice))                                           \
	X(file_allocate, cloudabi_errno_t,                                     \
	  (cloudabi_fd_t fd, cloudabi_filesize_t offset,                       \
	   cloudabi_filesize_t len),                                           \
	  (fd, offset, len))                                                   \
	X(file_create, cloudabi_errno_t,                                       \
	  (cloudabi_fd_t fd, const char *path, size_t path_len,                \
	   cloudabi_filetype_t type),                                          \
	  (fd, path, path_len, type))                                          \
	X(file_link, cloudabi_errno_t,                                         \
	  (cloudabi_lookup_t fd1, const char *path1, size_t path1_len,         \
	   cloudabi_fd_t fd2, const char *path2, size_t path2_len),            \
	  (fd1, path1, path1_len, fd2, path2, path2_len))                      \
	X(file_open, cloudabi_errno_t,                                         \
	  (cloudabi_lookup_t dirfd, const char *path, size_t path_len,         \
	   cloudabi_oflags_t oflags, const cloudabi_fdstat_t *fds,             \
	   cloudabi_fd_t *fd),                                                 \
	  (dirfd, path, path_len, oflags, fds, fd))                            \
	X(file_readdir, cloudabi_errno_t,                                      \
	  (cloudabi_fd_t fd, void *buf, size_t buf_len,                        \
	   cloudabi_dircookie_t cookie, size_t *bufused),                      \
	  (fd, buf, buf_len, cookie, bufused))                                 \
	X(file_readlink, cloudabi_errno_t,                                     \
	  (cloudabi_fd_t fd, const char *path, size_t path_len, char *buf,     \
	   size_t buf_len, size_t *bufused),                                   \
	  (fd, path, path_len, buf, buf_len, bufused))                         \
	X(file_rename, cloudabi_errno_t,                                       \
	  (cloudabi_fd_t fd1, const char *path1, size_t path1_len,             \
	   cloudabi_fd_t fd2, const char *path2, size_t path2_len),            \
	  (fd1, path1, path1_len, fd2, path2, path2_len))                      \
	X(file_stat_fget, cloudabi_errno_t,                                    \
	  (cloudabi_fd_t fd, cloudabi_filestat_t * buf), (fd, buf))            \
	X(file_stat_fput, cloudabi_errno_t,                                    \
	  (cloudabi_fd_t fd, const cloudabi_filestat_t *buf,                   \
	   cloudabi_fsflags_t flags),                                          \
	  (fd, buf, flags))                                                    \
	X(file_stat_get, cloudabi_errno_t,                                     \
	  (cloudabi_lookup_t fd, const char *path, size_t path_len,            \
	   cloudabi_filestat_t *buf),                                          \
	  (fd, path, path_len, buf))                                           \
	X(file_stat_put, cloudabi_errno_t,                                     \
	  (cloudabi_lookup_t fd, const char *path, size_t path_len,            \
	   const cloudabi_filestat_t *buf, cloudabi_fsflags_t flags),          \
	  (fd, path, path_len, buf, flags))                                    \
	X(file_symlink, cloudabi_errno_t,                                      \
	  (const char *path1, size_t path1_len, cloudabi_fd_t fd,              \
	   const char *path2, size_t path2_len),                               \
	  (path1, path1_len, fd, path2, path2_len))                            \
	X(file_unlink, cloudabi_errno_t,                                       \
	  (cloudabi_fd_t fd, const char *path, size_t path_len,                \
	   cloudabi_ulflags_t flags),                                          \
	  (fd, path, path_len, flags))                                         \
	X(lock_unlock, cloudabi_errno_t,                                       \
	  (_Atomic(cloudabi_lock_t) *lock, cloudabi_scope_t scope),            \
	  (lock, scope))                                                       \
	X(mem_advise, cloudabi_errno_t,                                        \
	  (void *mapping, size_t mapping_len, cloudabi_advice_t advice),       \
	  (mapping, mapping_len, advice))                                      \
	X(mem_map, cloudabi_errno_t,                                           \
	  (void *addr, size_t len, cloudabi_mprot_t prot,                      \
	   cloudabi_mflags_t flags, cloudabi_fd_t fd, cloudabi_filesize_t off, \
	   void **mem),                                                        \
	  (addr, len, prot, flags, fd, off, mem))                              \
	X(mem_protect, cloudabi_errno_t,                                       \
	  (void *mapping, size_t mapping_len, cloudabi_mprot_t prot),          \
	  (mapping, mapping_len, prot))                                        \
	X(mem_sync, cloudabi_errno_t,                                          \
	  (void *mapping, size_t mapping_len, cloudabi_msflags_t flags),       \
	  (mapping, mapping_len, flags))                                       \
	X(mem_unmap, cloudabi_errno_t, (void *mapping, size_t mapping_len),    \
	  (mapping, mapping_len))                                              \
	X(poll, cloudabi_errno_t,                                              \
	  (const cloudabi_subscription_t *in, cloudabi_event_t *out,           \
	   size_t nsubscriptions, size_t *nevents),                            \
	  (in, out, nsubscriptions, nevents))                                  \
	X(proc_exec, cloudabi_errno_t,                                         \
	  (cloudabi_fd_t fd, const void *data, size_t data_len,                \
	   const cloudabi_fd_t *fds, size_t fds_len),                          \
	  (fd, data, data_len, fds, fds_len))                                  \
	X(proc_exit, void, (cloudabi_exitcode_t rval), (rval))                 \
	X(proc_fork, cloudabi_errno_t,                                         \
	  (cloudabi_fd_t * fd, cloudabi_tid_t * tid), (fd, tid))               \
	X(proc_raise, cloudabi_errno_t, (cloudabi_signal_t sig), (sig))        \
	X(random_get, cloudabi_errno_t, (void *buf, size_t buf_len),           \
	  (buf, buf_len))                                                      \
	X(sock_recv, cloudabi_errno_t,                                         \
	  (cloudabi_fd_t sock, const cloudabi_recv_in_t *in,                   \
	   cloudabi_recv_out_t *out),                                          \
	  (sock, in, out))                                                     \
	X(sock_send, cloudabi_errno_t,                                         \
	  (cloudabi_fd_t sock, const cloudabi_send_in_t *in,                   \
	   cloudabi_send_out_t *out),                                          \
	  (sock, in, out))                                                     \
	X(sock_shutdown, cloudabi_errno_t,                                     \
	  (cloudabi_fd_t sock, cloudabi_sdflags_t how), (sock, how))           \
	X(thread_create, cloudabi_errno_t,                                     \
	  (cloudabi_threadattr_t * attr, cloudabi_tid_t * tid), (attr, tid))   \
	X(thread_exit, void,                                                   \
	  (_Atomic(cloudabi_lock_t) *lock, cloudabi_scope_t scope),            \
	  (lock, scope))                                                       \
	X(thread_yield, cloudabi_errno_t, (void), ())

#define CLOUDABI_SYSCALL_COUNT 49

/* CLOUDABI_SYS_<name>: the call number of each system call. */
#define CLOUDABI_SYS_ENUM_(name, ...) CLOUDABI_SYS_##name,
enum cloudabi_sys { CLOUDABI_SYSCALLS(CLOUDABI_SYS_ENUM_) CLOUDABI_SYS__COUNT };
#undef CLOUDABI_SYS_ENUM_

_Static_assert(CLOUDABI_SYS__COUNT == CLOUDABI_SYSCALL_COUNT,
	       "CLOUDABI_SYSCALLS must list exactly 49 system calls");

#ifdef __cplusplus
}
#endif

#endif

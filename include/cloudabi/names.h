/* names.h: X-macro lists pairing CloudABI constants with printable names. */
#ifndef CLOUDABI_NAMES_H
#define CLOUDABI_NAMES_H

#include "cloudabi/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Each list calls X(sym, "name") once per member, where CLOUDABI_##sym is
 * the constant from abi.h, so every value is written once.  Errno and
 * signal names are the C names; rights and file types use the spec's
 * lower-case member names (as launcher configurations spell rights).
 *
 * Example:
 *   #define ERRNO_CASE(sym, name) case CLOUDABI_##sym: return name;
 */

/* All 77 error codes, in numeric order (0..76). */
#define CLOUDABI_ERRNO_NAMES(X)                                                \
	X(ESUCCESS, "ESUCCESS")                                                \
	X(E2BIG, "E2BIG")                                                      \
	X(EACCES, "EACCES")                                                    \
	X(EADDRINUSE, "EADDRINUSE")                                            \
	X(EADDRNOTAVAIL, "EADDRNOTAVAIL")                                      \
	X(EAFNOSUPPORT, "EAFNOSUPPORT")                                        \
	X(EAGAIN, "EAGAIN")                                                    \
	X(EALREADY, "EALREADY")                                                \
	X(EBADF, "EBADF")                                                      \
	X(EBADMSG, "EBADMSG")                                                  \
	X(EBUSY, "EBUSY")                                                      \
	X(ECANCELED, "ECANCELED")                                              \
	X(ECHILD, "ECHILD")                                                    \
	X(ECONNABORTED, "ECONNABORTED")                                        \
	X(ECONNREFUSED, "ECONNREFUSED")                                        \
	X(ECONNRESET, "ECONNRESET")                                            \
	X(EDEADLK, "EDEADLK")                                                  \
	X(EDESTADDRREQ, "EDESTADDRREQ")                                        \
	X(EDOM, "EDOM")                                                        \
	X(EDQUOT, "EDQUOT")                                                    \
	X(EEXIST, "EEXIST")                                                    \
	X(EFAULT, "EFAULT")                                                    \
	X(EFBIG, "EFBIG")                                                      \
	X(EHOSTUNREACH, "EHOSTUNREACH")                                        \
	X(EIDRM, "EIDRM")                                                      \
	X(EILSEQ, "EILSEQ")                                                    \
	X(EINPROGRESS, "EINPROGRESS")                                          \
	X(EINTR, "EINTR")                                                      \
	X(EINVAL, "EINVAL")                                                    \
	X(EIO, "EIO")                                                          \
	X(EISCONN, "EISCONN")                                                  \
	X(EISDIR, "EISDIR")                                                    \
	X(ELOOP, "ELOOP")                                                      \
	X(EMFILE, "EMFILE")                                                    \
	X(EMLINK, "EMLINK")                                                    \
	X(EMSGSIZE, "EMSGSIZE")                                                \
	X(EMULTIHOP, "EMULTIHOP")                                              \
	X(ENAMETOOLONG, "ENAMETOOLONG")                                        \
	X(ENETDOWN, "ENETDOWN")                                                \
	X(ENETRESET, "ENETRESET")                                              \
	X(ENETUNREACH, "ENETUNREACH")                                          \
	X(ENFILE, "ENFILE")                                                    \
	X(ENOBUFS, "ENOBUFS")                                                  \
	X(ENODEV, "ENODEV")                                                    \
	X(ENOENT, "ENOENT")                                                    \
	X(ENOEXEC, "ENOEXEC")                                                  \
	X(ENOLCK, "ENOLCK")                                                    \
	X(ENOLINK, "ENOLINK")                                                  \
	X(ENOMEM, "ENOMEM")                                                    \
	X(ENOMSG, "ENOMSG")                                                    \
	X(ENOPROTOOPT, "ENOPROTOOPT")                                          \
	X(ENOSPC, "ENOSPC")                                                    \
	X(ENOSYS, "ENOSYS")                                                    \
	X(ENOTCONN, "ENOTCONN")                                                \
	X(ENOTDIR, "ENOTDIR")                                                  \
	X(ENOTEMPTY, "ENOTEMPTY")                                              \
	X(ENOTRECOVERABLE, "ENOTRECOVERABLE")                                  \
	X(ENOTSOCK, "ENOTSOCK")                                                \
	X(ENOTSUP, "ENOTSUP")                                                  \
	X(ENOTTY, "ENOTTY")                                                    \
	X(ENXIO, "ENXIO")                                                      \
	X(EOVERFLOW, "EOVERFLOW")                                              \
	X(EOWNERDEAD, "EOWNERDEAD")                                            \
	X(EPERM, "EPERM")                                                      \
	X(EPIPE, "EPIPE")                                                      \
	X(EPROTO, "EPROTO")                                                    \
	X(EPROTONOSUPPORT, "EPROTONOSUPPORT")                                  \
	X(EPROTOTYPE, "EPROTOTYPE")                                            \
	X(ERANGE, "ERANGE")                                                    \
	X(EROFS, "EROFS")                                                      \
	X(ESPIPE, "ESPIPE")                                                    \
	X(ESRCH, "ESRCH")                                                      \
	X(ESTALE, "ESTALE")                                                    \
	X(ETIMEDOUT, "ETIMEDOUT")                                              \
	X(ETXTBSY, "ETXTBSY")                                                  \
	X(EXDEV, "EXDEV")                                                      \
	X(ENOTCAPABLE, "ENOTCAPABLE")

/* All 31 rights, in bit order. */
#define CLOUDABI_RIGHT_NAMES(X)                                                \
	X(RIGHT_FD_DATASYNC, "fd_datasync")                                    \
	X(RIGHT_FD_READ, "fd_read")                                            \
	X(RIGHT_FD_SEEK, "fd_seek")                                            \
	X(RIGHT_FD_STAT_PUT_FLAGS, "fd_stat_put_flags")                        \
	X(RIGHT_FD_SYNC, "fd_sync")                                            \
	X(RIGHT_FD_TELL, "fd_tell")                                            \
	X(RIGHT_FD_WRITE, "fd_write")                                          \
	X(RIGHT_FILE_ADVISE, "file_advise")                                    \
	X(RIGHT_FILE_ALLOCATE, "file_allocate")                                \
	X(RIGHT_FILE_CREATE_DIRECTORY, "file_create_directory")                \
	X(RIGHT_FILE_CREATE_FILE, "file_create_file")                          \
	X(RIGHT_FILE_LINK_SOURCE, "file_link_source")                          \
	X(RIGHT_FILE_LINK_TARGET, "file_link_target")                          \
	X(RIGHT_FILE_OPEN, "file_open")                                        \
	X(RIGHT_FILE_READDIR, "file_readdir")                                  \
	X(RIGHT_FILE_READLINK, "file_readlink")                                \
	X(RIGHT_FILE_RENAME_SOURCE, "file_rename_source")                      \
	X(RIGHT_FILE_RENAME_TARGET, "file_rename_target")                      \
	X(RIGHT_FILE_STAT_FGET, "file_stat_fget")                              \
	X(RIGHT_FILE_STAT_FPUT_SIZE, "file_stat_fput_size")                    \
	X(RIGHT_FILE_STAT_FPUT_TIMES, "file_stat_fput_times")                  \
	X(RIGHT_FILE_STAT_GET, "file_stat_get")                                \
	X(RIGHT_FILE_STAT_PUT_TIMES, "file_stat_put_times")                    \
	X(RIGHT_FILE_SYMLINK, "file_symlink")                                  \
	X(RIGHT_FILE_UNLINK, "file_unlink")                                    \
	X(RIGHT_MEM_MAP, "mem_map")                                            \
	X(RIGHT_MEM_MAP_EXEC, "mem_map_exec")                                  \
	X(RIGHT_POLL_FD_READWRITE, "poll_fd_readwrite")                        \
	X(RIGHT_POLL_PROC_TERMINATE, "poll_proc_terminate")                    \
	X(RIGHT_PROC_EXEC, "proc_exec")                                        \
	X(RIGHT_SOCK_SHUTDOWN, "sock_shutdown")

/* All 26 signals, in numeric order (1..26). */
#define CLOUDABI_SIGNAL_NAMES(X)                                               \
	X(SIGABRT, "SIGABRT")                                                  \
	X(SIGALRM, "SIGALRM")                                                  \
	X(SIGBUS, "SIGBUS")                                                    \
	X(SIGCHLD, "SIGCHLD")                                                  \
	X(SIGCONT, "SIGCONT")                                                  \
	X(SIGFPE, "SIGFPE")                                                    \
	X(SIGHUP, "SIGHUP")                                                    \
	X(SIGILL, "SIGILL")                                                    \
	X(SIGINT, "SIGINT")                                                    \
	X(SIGKILL, "SIGKILL")                                                  \
	X(SIGPIPE, "SIGPIPE")                                                  \
	X(SIGQUIT, "SIGQUIT")                                                  \
	X(SIGSEGV, "SIGSEGV")                                                  \
	X(SIGSTOP, "SIGSTOP")                                                  \
	X(SIGSYS, "SIGSYS")                                                    \
	X(SIGTERM, "SIGTERM")                                                  \
	X(SIGTRAP, "SIGTRAP")                                                  \
	X(SIGTSTP, "SIGTSTP")                                                  \
	X(SIGTTIN, "SIGTTIN")                                                  \
	X(SIGTTOU, "SIGTTOU")                                                  \
	X(SIGURG, "SIGURG")                                                    \
	X(SIGUSR1, "SIGUSR1")                                                  \
	X(SIGUSR2, "SIGUSR2")                                                  \
	X(SIGVTALRM, "SIGVTALRM")                                              \
	X(SIGXCPU, "SIGXCPU")                                                  \
	X(SIGXFSZ, "SIGXFSZ")

/* All 10 file types, in numeric order. */
#define CLOUDABI_FILETYPE_NAMES(X)                                             \
	X(FILETYPE_UNKNOWN, "unknown")                                         \
	X(FILETYPE_BLOCK_DEVICE, "block_device")                               \
	X(FILETYPE_CHARACTER_DEVICE, "character_device")                       \
	X(FILETYPE_DIRECTORY, "directory")                                     \
	X(FILETYPE_PROCESS, "process")                                         \
	X(FILETYPE_REGULAR_FILE, "regular_file")                               \
	X(FILETYPE_SHARED_MEMORY, "shared_memory")                             \
	X(FILETYPE_SOCKET_DGRAM, "socket_dgram")                               \
	X(FILETYPE_SOCKET_STREAM, "socket_stream")                             \
	X(FILETYPE_SYMBOLIC_LINK, "symbolic_link")

#ifdef __cplusplus
}
#endif

#endif

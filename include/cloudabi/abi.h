/* abi.h: CloudABI types, constants and structs (spec/cloudabi.txt), x86-64. */
#ifndef CLOUDABI_ABI_H
#define CLOUDABI_ABI_H

/*
 * One header for the broker, the shim, the SDK and guest programs, so it
 * includes nothing but the compiler's freestanding headers.
 *
 * Naming: type `foo` is cloudabi_foo_t; a constant is CLOUDABI_ followed by
 * the type's @cprefix (or the upper-cased type name and `_` when there is
 * none) and the upper-cased member name.  Constants are integer constant
 * expressions of the type's width (a cast for 8- and 16-bit types, a
 * UINTn_C() suffix otherwise); the casts mean they cannot be used in #if.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

_Static_assert(sizeof(void *) == 8, "cloudabi/abi.h describes x86-64 only");

/* Scalar types. */
typedef uint8_t cloudabi_advice_t;
typedef uint32_t cloudabi_auxtype_t;
typedef uint32_t cloudabi_clockid_t;
typedef uint32_t cloudabi_condvar_t;
typedef uint64_t cloudabi_device_t;
typedef uint64_t cloudabi_dircookie_t;
typedef uint16_t cloudabi_errno_t;
typedef uint16_t cloudabi_eventrwflags_t;
typedef uint8_t cloudabi_eventtype_t;
typedef uint32_t cloudabi_exitcode_t;
typedef uint32_t cloudabi_fd_t;
typedef uint16_t cloudabi_fdflags_t;
typedef uint16_t cloudabi_fdsflags_t;
typedef int64_t cloudabi_filedelta_t;
typedef uint64_t cloudabi_filesize_t;
typedef uint8_t cloudabi_filetype_t;
typedef uint16_t cloudabi_fsflags_t;
typedef uint64_t cloudabi_inode_t;
typedef uint32_t cloudabi_linkcount_t;
typedef uint32_t cloudabi_lock_t;
typedef uint32_t cloudabi_lookupflags_t;
typedef uint8_t cloudabi_mflags_t;
typedef uint8_t cloudabi_mprot_t;
typedef uint8_t cloudabi_msflags_t;
typedef uint32_t cloudabi_nthreads_t;
typedef uint16_t cloudabi_oflags_t;
typedef uint16_t cloudabi_riflags_t;
typedef uint64_t cloudabi_rights_t;
typedef uint16_t cloudabi_roflags_t;
typedef uint8_t cloudabi_scope_t;
typedef uint8_t cloudabi_sdflags_t;
typedef uint16_t cloudabi_siflags_t;
typedef uint8_t cloudabi_signal_t;
typedef uint16_t cloudabi_subclockflags_t;
typedef uint16_t cloudabi_subrwflags_t;
typedef uint32_t cloudabi_tid_t;
typedef uint64_t cloudabi_timestamp_t;
typedef uint8_t cloudabi_ulflags_t;
typedef uint64_t cloudabi_userdata_t;
typedef uint8_t cloudabi_whence_t;

/* advice: file or memory access pattern advisory information. */
#define CLOUDABI_ADVICE_DONTNEED ((cloudabi_advice_t)1)
#define CLOUDABI_ADVICE_NOREUSE ((cloudabi_advice_t)2)
#define CLOUDABI_ADVICE_NORMAL ((cloudabi_advice_t)3)
#define CLOUDABI_ADVICE_RANDOM ((cloudabi_advice_t)4)
#define CLOUDABI_ADVICE_SEQUENTIAL ((cloudabi_advice_t)5)
#define CLOUDABI_ADVICE_WILLNEED ((cloudabi_advice_t)6)

/* auxtype: kind of value stored in an auxv entry. */
#define CLOUDABI_AT_ARGDATA UINT32_C(256)
#define CLOUDABI_AT_ARGDATALEN UINT32_C(257)
#define CLOUDABI_AT_BASE UINT32_C(7)
#define CLOUDABI_AT_CANARY UINT32_C(258)
#define CLOUDABI_AT_CANARYLEN UINT32_C(259)
#define CLOUDABI_AT_NCPUS UINT32_C(260)
#define CLOUDABI_AT_NULL UINT32_C(0)
#define CLOUDABI_AT_PAGESZ UINT32_C(6)
#define CLOUDABI_AT_PHDR UINT32_C(3)
#define CLOUDABI_AT_PHNUM UINT32_C(4)
#define CLOUDABI_AT_PID UINT32_C(263)
#define CLOUDABI_AT_SYSINFO_EHDR UINT32_C(262)
#define CLOUDABI_AT_TID UINT32_C(261)

/* clockid: identifiers for clocks. */
#define CLOUDABI_CLOCK_MONOTONIC UINT32_C(1)
#define CLOUDABI_CLOCK_PROCESS_CPUTIME_ID UINT32_C(2)
#define CLOUDABI_CLOCK_REALTIME UINT32_C(3)
#define CLOUDABI_CLOCK_THREAD_CPUTIME_ID UINT32_C(4)

/* condvar: a userspace condition variable. */
#define CLOUDABI_CONDVAR_HAS_NO_WAITERS UINT32_C(0)

/* dircookie: a reference to the offset of a directory entry. */
#define CLOUDABI_DIRCOOKIE_START UINT64_C(0)

/* errno: error codes returned by system calls. */
#define CLOUDABI_ESUCCESS ((cloudabi_errno_t)0)
#define CLOUDABI_E2BIG ((cloudabi_errno_t)1)
#define CLOUDABI_EACCES ((cloudabi_errno_t)2)
#define CLOUDABI_EADDRINUSE ((cloudabi_errno_t)3)
#define CLOUDABI_EADDRNOTAVAIL ((cloudabi_errno_t)4)
#define CLOUDABI_EAFNOSUPPORT ((cloudabi_errno_t)5)
#define CLOUDABI_EAGAIN ((cloudabi_errno_t)6)
#define CLOUDABI_EALREADY ((cloudabi_errno_t)7)
#define CLOUDABI_EBADF ((cloudabi_errno_t)8)
#define CLOUDABI_EBADMSG ((cloudabi_errno_t)9)
#define CLOUDABI_EBUSY ((cloudabi_errno_t)10)
#define CLOUDABI_ECANCELED ((cloudabi_errno_t)11)
#define CLOUDABI_ECHILD ((cloudabi_errno_t)12)
#define CLOUDABI_ECONNABORTED ((cloudabi_errno_t)13)
#define CLOUDABI_ECONNREFUSED ((cloudabi_errno_t)14)
#define CLOUDABI_ECONNRESET ((cloudabi_errno_t)15)
#define CLOUDABI_EDEADLK ((cloudabi_errno_t)16)
#define CLOUDABI_EDESTADDRREQ ((cloudabi_errno_t)17)
#define CLOUDABI_EDOM ((cloudabi_errno_t)18)
#define CLOUDABI_EDQUOT ((cloudabi_errno_t)19)
#define CLOUDABI_EEXIST ((cloudabi_errno_t)20)
#define CLOUDABI_EFAULT ((cloudabi_errno_t)21)
#define CLOUDABI_EFBIG ((cloudabi_errno_t)22)
#define CLOUDABI_EHOSTUNREACH ((cloudabi_errno_t)23)
#define CLOUDABI_EIDRM ((cloudabi_errno_t)24)
#define CLOUDABI_EILSEQ ((cloudabi_errno_t)25)
#define CLOUDABI_EINPROGRESS ((cloudabi_errno_t)26)
#define CLOUDABI_EINTR ((cloudabi_errno_t)27)
#define CLOUDABI_EINVAL ((cloudabi_errno_t)28)
#define CLOUDABI_EIO ((cloudabi_errno_t)29)
#define CLOUDABI_EISCONN ((cloudabi_errno_t)30)
#define CLOUDABI_EISDIR ((cloudabi_errno_t)31)
#define CLOUDABI_ELOOP ((cloudabi_errno_t)32)
#define CLOUDABI_EMFILE ((cloudabi_errno_t)33)
#define CLOUDABI_EMLINK ((cloudabi_errno_t)34)
#define CLOUDABI_EMSGSIZE ((cloudabi_errno_t)35)
#define CLOUDABI_EMULTIHOP ((cloudabi_errno_t)36)
#define CLOUDABI_ENAMETOOLONG ((cloudabi_errno_t)37)
#define CLOUDABI_ENETDOWN ((cloudabi_errno_t)38)
#define CLOUDABI_ENETRESET ((cloudabi_errno_t)39)
#define CLOUDABI_ENETUNREACH ((cloudabi_errno_t)40)
#define CLOUDABI_ENFILE ((cloudabi_errno_t)41)
#define CLOUDABI_ENOBUFS ((cloudabi_errno_t)42)
#define CLOUDABI_ENODEV ((cloudabi_errno_t)43)
#define CLOUDABI_ENOENT ((cloudabi_errno_t)44)
#define CLOUDABI_ENOEXEC ((cloudabi_errno_t)45)
#define CLOUDABI_ENOLCK ((cloudabi_errno_t)46)
#define CLOUDABI_ENOLINK ((cloudabi_errno_t)47)
#define CLOUDABI_ENOMEM ((cloudabi_errno_t)48)
#define CLOUDABI_ENOMSG ((cloudabi_errno_t)49)
#define CLOUDABI_ENOPROTOOPT ((cloudabi_errno_t)50)
#define CLOUDABI_ENOSPC ((cloudabi_errno_t)51)
#define CLOUDABI_ENOSYS ((cloudabi_errno_t)52)
#define CLOUDABI_ENOTCONN ((cloudabi_errno_t)53)
#define CLOUDABI_ENOTDIR ((cloudabi_errno_t)54)
#define CLOUDABI_ENOTEMPTY ((cloudabi_errno_t)55)
#define CLOUDABI_ENOTRECOVERABLE ((cloudabi_errno_t)56)
#define CLOUDABI_ENOTSOCK ((cloudabi_errno_t)57)
#define CLOUDABI_ENOTSUP ((cloudabi_errno_t)58)
#define CLOUDABI_ENOTTY ((cloudabi_errno_t)59)
#define CLOUDABI_ENXIO ((cloudabi_errno_t)60)
#define CLOUDABI_EOVERFLOW ((cloudabi_errno_t)61)
#define CLOUDABI_EOWNERDEAD ((cloudabi_errno_t)62)
#define CLOUDABI_EPERM ((cloudabi_errno_t)63)
#define CLOUDABI_EPIPE ((cloudabi_errno_t)64)
#define CLOUDABI_EPROTO ((cloudabi_errno_t)65)
#define CLOUDABI_EPROTONOSUPPORT ((cloudabi_errno_t)66)
#define CLOUDABI_EPROTOTYPE ((cloudabi_errno_t)67)
#define CLOUDABI_ERANGE ((cloudabi_errno_t)68)
#define CLOUDABI_EROFS ((cloudabi_errno_t)69)
#define CLOUDABI_ESPIPE ((cloudabi_errno_t)70)
#define CLOUDABI_ESRCH ((cloudabi_errno_t)71)
#define CLOUDABI_ESTALE ((cloudabi_errno_t)72)
#define CLOUDABI_ETIMEDOUT ((cloudabi_errno_t)73)
#define CLOUDABI_ETXTBSY ((cloudabi_errno_t)74)
#define CLOUDABI_EXDEV ((cloudabi_errno_t)75)
#define CLOUDABI_ENOTCAPABLE ((cloudabi_errno_t)76)

/* eventrwflags: state of a descriptor polled for reading or writing. */
#define CLOUDABI_EVENT_FD_READWRITE_HANGUP ((cloudabi_eventrwflags_t)0x01)

/* eventtype: type of a subscription or of the event that occurred. */
#define CLOUDABI_EVENTTYPE_CLOCK ((cloudabi_eventtype_t)1)
#define CLOUDABI_EVENTTYPE_CONDVAR ((cloudabi_eventtype_t)2)
#define CLOUDABI_EVENTTYPE_FD_READ ((cloudabi_eventtype_t)3)
#define CLOUDABI_EVENTTYPE_FD_WRITE ((cloudabi_eventtype_t)4)
#define CLOUDABI_EVENTTYPE_LOCK_RDLOCK ((cloudabi_eventtype_t)5)
#define CLOUDABI_EVENTTYPE_LOCK_WRLOCK ((cloudabi_eventtype_t)6)
#define CLOUDABI_EVENTTYPE_PROC_TERMINATE ((cloudabi_eventtype_t)7)

/* fd: a file descriptor number (the spec's @cprefix is empty). */
#define CLOUDABI_PROCESS_CHILD UINT32_C(0xffffffff)
#define CLOUDABI_MAP_ANON_FD UINT32_C(0xffffffff)

/* fdflags: file descriptor flags. */
#define CLOUDABI_FDFLAG_APPEND ((cloudabi_fdflags_t)0x01)
#define CLOUDABI_FDFLAG_DSYNC ((cloudabi_fdflags_t)0x02)
#define CLOUDABI_FDFLAG_NONBLOCK ((cloudabi_fdflags_t)0x04)
#define CLOUDABI_FDFLAG_RSYNC ((cloudabi_fdflags_t)0x08)
#define CLOUDABI_FDFLAG_SYNC ((cloudabi_fdflags_t)0x10)

/* fdsflags: which file descriptor attributes fd_stat_put adjusts. */
#define CLOUDABI_FDSTAT_FLAGS ((cloudabi_fdsflags_t)0x01)
#define CLOUDABI_FDSTAT_RIGHTS ((cloudabi_fdsflags_t)0x02)

/* fsflags: which file attributes file_stat_*put adjusts. */
#define CLOUDABI_FILESTAT_ATIM ((cloudabi_fsflags_t)0x01)
#define CLOUDABI_FILESTAT_ATIM_NOW ((cloudabi_fsflags_t)0x02)
#define CLOUDABI_FILESTAT_MTIM ((cloudabi_fsflags_t)0x04)
#define CLOUDABI_FILESTAT_MTIM_NOW ((cloudabi_fsflags_t)0x08)
#define CLOUDABI_FILESTAT_SIZE ((cloudabi_fsflags_t)0x10)

/* filetype: the type of a file descriptor or file. */
#define CLOUDABI_FILETYPE_UNKNOWN ((cloudabi_filetype_t)0x00)
#define CLOUDABI_FILETYPE_BLOCK_DEVICE ((cloudabi_filetype_t)0x10)
#define CLOUDABI_FILETYPE_CHARACTER_DEVICE ((cloudabi_filetype_t)0x11)
#define CLOUDABI_FILETYPE_DIRECTORY ((cloudabi_filetype_t)0x20)
#define CLOUDABI_FILETYPE_PROCESS ((cloudabi_filetype_t)0x50)
#define CLOUDABI_FILETYPE_REGULAR_FILE ((cloudabi_filetype_t)0x60)
#define CLOUDABI_FILETYPE_SHARED_MEMORY ((cloudabi_filetype_t)0x70)
#define CLOUDABI_FILETYPE_SOCKET_DGRAM ((cloudabi_filetype_t)0x80)
#define CLOUDABI_FILETYPE_SOCKET_STREAM ((cloudabi_filetype_t)0x82)
#define CLOUDABI_FILETYPE_SYMBOLIC_LINK ((cloudabi_filetype_t)0x90)

/* lock: a userspace readers-writer lock word. */
#define CLOUDABI_LOCK_UNLOCKED UINT32_C(0)
#define CLOUDABI_LOCK_WRLOCKED UINT32_C(0x40000000)
#define CLOUDABI_LOCK_KERNEL_MANAGED UINT32_C(0x80000000)
#define CLOUDABI_LOCK_BOGUS UINT32_C(0x80000000)

/* lookupflags: how paths are resolved. */
#define CLOUDABI_LOOKUP_SYMLINK_FOLLOW UINT32_C(0x1)

/* mflags: memory mapping flags. */
#define CLOUDABI_MAP_ANON ((cloudabi_mflags_t)0x01)
#define CLOUDABI_MAP_FIXED ((cloudabi_mflags_t)0x02)
#define CLOUDABI_MAP_PRIVATE ((cloudabi_mflags_t)0x04)
#define CLOUDABI_MAP_SHARED ((cloudabi_mflags_t)0x08)

/* scope: whether an object lives in private or shared memory. */
#define CLOUDABI_SCOPE_PRIVATE ((cloudabi_scope_t)0x04)
#define CLOUDABI_SCOPE_SHARED ((cloudabi_scope_t)0x08)

/* mprot: memory page protection (W^X is enforced). */
#define CLOUDABI_PROT_EXEC ((cloudabi_mprot_t)0x01)
#define CLOUDABI_PROT_WRITE ((cloudabi_mprot_t)0x02)
#define CLOUDABI_PROT_READ ((cloudabi_mprot_t)0x04)

/* msflags: methods of synchronizing memory with physical storage. */
#define CLOUDABI_MS_ASYNC ((cloudabi_msflags_t)0x01)
#define CLOUDABI_MS_INVALIDATE ((cloudabi_msflags_t)0x02)
#define CLOUDABI_MS_SYNC ((cloudabi_msflags_t)0x04)

/* oflags: open flags used by file_open. */
#define CLOUDABI_O_CREAT ((cloudabi_oflags_t)0x01)
#define CLOUDABI_O_DIRECTORY ((cloudabi_oflags_t)0x02)
#define CLOUDABI_O_EXCL ((cloudabi_oflags_t)0x04)
#define CLOUDABI_O_TRUNC ((cloudabi_oflags_t)0x08)

/* rights: which actions may be performed on a file descriptor. */
#define CLOUDABI_RIGHT_FD_DATASYNC UINT64_C(0x0000000000000001)
#define CLOUDABI_RIGHT_FD_READ UINT64_C(0x0000000000000002)
#define CLOUDABI_RIGHT_FD_SEEK UINT64_C(0x0000000000000004)
#define CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS UINT64_C(0x0000000000000008)
#define CLOUDABI_RIGHT_FD_SYNC UINT64_C(0x0000000000000010)
#define CLOUDABI_RIGHT_FD_TELL UINT64_C(0x0000000000000020)
#define CLOUDABI_RIGHT_FD_WRITE UINT64_C(0x0000000000000040)
#define CLOUDABI_RIGHT_FILE_ADVISE UINT64_C(0x0000000000000080)
#define CLOUDABI_RIGHT_FILE_ALLOCATE UINT64_C(0x0000000000000100)
#define CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY UINT64_C(0x0000000000000200)
#define CLOUDABI_RIGHT_FILE_CREATE_FILE UINT64_C(0x0000000000000400)
#define CLOUDABI_RIGHT_FILE_LINK_SOURCE UINT64_C(0x0000000000001000)
#define CLOUDABI_RIGHT_FILE_LINK_TARGET UINT64_C(0x0000000000002000)
#define CLOUDABI_RIGHT_FILE_OPEN UINT64_C(0x0000000000004000)
#define CLOUDABI_RIGHT_FILE_READDIR UINT64_C(0x0000000000008000)
#define CLOUDABI_RIGHT_FILE_READLINK UINT64_C(0x0000000000010000)
#define CLOUDABI_RIGHT_FILE_RENAME_SOURCE UINT64_C(0x0000000000020000)
#define CLOUDABI_RIGHT_FILE_RENAME_TARGET UINT64_C(0x0000000000040000)
#define CLOUDABI_RIGHT_FILE_STAT_FGET UINT64_C(0x0000000000080000)
#define CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE UINT64_C(0x0000000000100000)
#define CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES UINT64_C(0x0000000000200000)
#define CLOUDABI_RIGHT_FILE_STAT_GET UINT64_C(0x0000000000400000)
#define CLOUDABI_RIGHT_FILE_STAT_PUT_TIMES UINT64_C(0x0000000000800000)
#define CLOUDABI_RIGHT_FILE_SYMLINK UINT64_C(0x0000000001000000)
#define CLOUDABI_RIGHT_FILE_UNLINK UINT64_C(0x0000000002000000)
#define CLOUDABI_RIGHT_MEM_MAP UINT64_C(0x0000000004000000)
#define CLOUDABI_RIGHT_MEM_MAP_EXEC UINT64_C(0x0000000008000000)
#define CLOUDABI_RIGHT_POLL_FD_READWRITE UINT64_C(0x0000000010000000)
#define CLOUDABI_RIGHT_POLL_PROC_TERMINATE UINT64_C(0x0000000040000000)
#define CLOUDABI_RIGHT_PROC_EXEC UINT64_C(0x0000000100000000)
#define CLOUDABI_RIGHT_SOCK_SHUTDOWN UINT64_C(0x0000008000000000)

/* Every right the spec defines (a convenience, not a spec constant). */
#define CLOUDABI_RIGHTS_ALL                                                    \
	(CLOUDABI_RIGHT_FD_DATASYNC | CLOUDABI_RIGHT_FD_READ |                 \
	 CLOUDABI_RIGHT_FD_SEEK | CLOUDABI_RIGHT_FD_STAT_PUT_FLAGS |           \
	 CLOUDABI_RIGHT_FD_SYNC | CLOUDABI_RIGHT_FD_TELL |                     \
	 CLOUDABI_RIGHT_FD_WRITE | CLOUDABI_RIGHT_FILE_ADVISE |                \
	 CLOUDABI_RIGHT_FILE_ALLOCATE | CLOUDABI_RIGHT_FILE_CREATE_DIRECTORY | \
	 CLOUDABI_RIGHT_FILE_CREATE_FILE | CLOUDABI_RIGHT_FILE_LINK_SOURCE |   \
	 CLOUDABI_RIGHT_FILE_LINK_TARGET | CLOUDABI_RIGHT_FILE_OPEN |          \
	 CLOUDABI_RIGHT_FILE_READDIR | CLOUDABI_RIGHT_FILE_READLINK |          \
	 CLOUDABI_RIGHT_FILE_RENAME_SOURCE |                                   \
	 CLOUDABI_RIGHT_FILE_RENAME_TARGET | CLOUDABI_RIGHT_FILE_STAT_FGET |   \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE |                                  \
	 CLOUDABI_RIGHT_FILE_STAT_FPUT_TIMES | CLOUDABI_RIGHT_FILE_STAT_GET |  \
	 CLOUDABI_RIGHT_FILE_STAT_PUT_TIMES | CLOUDABI_RIGHT_FILE_SYMLINK |    \
	 CLOUDABI_RIGHT_FILE_UNLINK | CLOUDABI_RIGHT_MEM_MAP |                 \
	 CLOUDABI_RIGHT_MEM_MAP_EXEC | CLOUDABI_RIGHT_POLL_FD_READWRITE |      \
	 CLOUDABI_RIGHT_POLL_PROC_TERMINATE | CLOUDABI_RIGHT_PROC_EXEC |       \
	 CLOUDABI_RIGHT_SOCK_SHUTDOWN)

/* sdflags: which channels of a socket to shut down. */
#define CLOUDABI_SHUT_RD ((cloudabi_sdflags_t)0x01)
#define CLOUDABI_SHUT_WR ((cloudabi_sdflags_t)0x02)

/* siflags: flags for sock_send; none are defined, must be zero. */

/* signal: signal conditions. */
#define CLOUDABI_SIGABRT ((cloudabi_signal_t)1)
#define CLOUDABI_SIGALRM ((cloudabi_signal_t)2)
#define CLOUDABI_SIGBUS ((cloudabi_signal_t)3)
#define CLOUDABI_SIGCHLD ((cloudabi_signal_t)4)
#define CLOUDABI_SIGCONT ((cloudabi_signal_t)5)
#define CLOUDABI_SIGFPE ((cloudabi_signal_t)6)
#define CLOUDABI_SIGHUP ((cloudabi_signal_t)7)
#define CLOUDABI_SIGILL ((cloudabi_signal_t)8)
#define CLOUDABI_SIGINT ((cloudabi_signal_t)9)
#define CLOUDABI_SIGKILL ((cloudabi_signal_t)10)
#define CLOUDABI_SIGPIPE ((cloudabi_signal_t)11)
#define CLOUDABI_SIGQUIT ((cloudabi_signal_t)12)
#define CLOUDABI_SIGSEGV ((cloudabi_signal_t)13)
#define CLOUDABI_SIGSTOP ((cloudabi_signal_t)14)
#define CLOUDABI_SIGSYS ((cloudabi_signal_t)15)
#define CLOUDABI_SIGTERM ((cloudabi_signal_t)16)
#define CLOUDABI_SIGTRAP ((cloudabi_signal_t)17)
#define CLOUDABI_SIGTSTP ((cloudabi_signal_t)18)
#define CLOUDABI_SIGTTIN ((cloudabi_signal_t)19)
#define CLOUDABI_SIGTTOU ((cloudabi_signal_t)20)
#define CLOUDABI_SIGURG ((cloudabi_signal_t)21)
#define CLOUDABI_SIGUSR1 ((cloudabi_signal_t)22)
#define CLOUDABI_SIGUSR2 ((cloudabi_signal_t)23)
#define CLOUDABI_SIGVTALRM ((cloudabi_signal_t)24)
#define CLOUDABI_SIGXCPU ((cloudabi_signal_t)25)
#define CLOUDABI_SIGXFSZ ((cloudabi_signal_t)26)

/* subclockflags: how subscription.clock.timeout is interpreted. */
#define CLOUDABI_SUBSCRIPTION_CLOCK_ABSTIME ((cloudabi_subclockflags_t)0x01)

/* subrwflags: deprecated flag that callers set and implementations ignore. */
#define CLOUDABI_SUBSCRIPTION_FD_READWRITE_POLL ((cloudabi_subrwflags_t)0x01)

/* riflags: flags provided to sock_recv. */
#define CLOUDABI_SOCK_RECV_PEEK ((cloudabi_riflags_t)0x04)
#define CLOUDABI_SOCK_RECV_WAITALL ((cloudabi_riflags_t)0x10)

/* roflags: flags returned by sock_recv. */
#define CLOUDABI_SOCK_RECV_FDS_TRUNCATED ((cloudabi_roflags_t)0x01)
#define CLOUDABI_SOCK_RECV_DATA_TRUNCATED ((cloudabi_roflags_t)0x08)

/* ulflags: unlink a file or remove a directory. */
#define CLOUDABI_UNLINK_REMOVEDIR ((cloudabi_ulflags_t)0x01)

/* whence: relative to which position fd_seek moves. */
#define CLOUDABI_WHENCE_CUR ((cloudabi_whence_t)1)
#define CLOUDABI_WHENCE_END ((cloudabi_whence_t)2)
#define CLOUDABI_WHENCE_SET ((cloudabi_whence_t)3)

/* Function types. */
typedef void cloudabi_threadentry_t(cloudabi_tid_t tid, void *aux);

/* Auxiliary vector entry, terminated by CLOUDABI_AT_NULL. */
typedef struct {
	cloudabi_auxtype_t a_type;
	union {
		size_t a_val; /* argdatalen canarylen ncpus pagesz phnum tid */
		void *a_ptr;  /* argdata base canary phdr pid sysinfo_ehdr */
	};
} cloudabi_auxv_t;

typedef void cloudabi_processentry_t(const cloudabi_auxv_t *auxv);

/* A region of memory for scatter/gather writes. */
typedef struct {
	const void *buf;
	size_t buf_len;
} cloudabi_ciovec_t;

/* A directory entry, followed in the buffer by d_namlen bytes of name. */
typedef struct {
	cloudabi_dircookie_t d_next;
	cloudabi_inode_t d_ino;
	uint32_t d_namlen;
	cloudabi_filetype_t d_type;
} cloudabi_dirent_t;

/* An event that occurred (output of poll). */
typedef struct {
	cloudabi_userdata_t userdata;
	cloudabi_errno_t error;
	cloudabi_eventtype_t type;
	union {
		struct { /* fd_read, fd_write */
			cloudabi_filesize_t nbytes;
			char unused[4];
			cloudabi_eventrwflags_t flags;
		} fd_readwrite;
		struct { /* proc_terminate */
			char unused[4];
			cloudabi_signal_t signal;
			cloudabi_exitcode_t exitcode;
		} proc_terminate;
	};
} cloudabi_event_t;

/* File descriptor attributes. */
typedef struct {
	cloudabi_filetype_t fs_filetype;
	cloudabi_fdflags_t fs_flags;
	cloudabi_rights_t fs_rights_base;
	cloudabi_rights_t fs_rights_inheriting;
} cloudabi_fdstat_t;

/* File attributes. */
typedef struct {
	cloudabi_device_t st_dev;
	cloudabi_inode_t st_ino;
	cloudabi_filetype_t st_filetype;
	cloudabi_linkcount_t st_nlink;
	cloudabi_filesize_t st_size;
	cloudabi_timestamp_t st_atim;
	cloudabi_timestamp_t st_mtim;
	cloudabi_timestamp_t st_ctim;
} cloudabi_filestat_t;

/* A region of memory for scatter/gather reads. */
typedef struct {
	void *buf;
	size_t buf_len;
} cloudabi_iovec_t;

/* Path lookup properties (passed by value in one register). */
typedef struct {
	cloudabi_fd_t fd;
	cloudabi_lookupflags_t flags;
} cloudabi_lookup_t;

/* Arguments of sock_recv. */
typedef struct {
	const cloudabi_iovec_t *ri_data;
	size_t ri_data_len;
	cloudabi_fd_t *ri_fds;
	size_t ri_fds_len;
	cloudabi_riflags_t ri_flags;
} cloudabi_recv_in_t;

/* Arguments of sock_send. */
typedef struct {
	const cloudabi_ciovec_t *si_data;
	size_t si_data_len;
	const cloudabi_fd_t *si_fds;
	size_t si_fds_len;
	cloudabi_siflags_t si_flags;
} cloudabi_send_in_t;

/* Results of sock_send. */
typedef struct {
	size_t so_datalen;
} cloudabi_send_out_t;

/* Results of sock_recv. */
typedef struct {
	size_t ro_datalen;
	size_t ro_fdslen;
	char ro_unused[40];
	cloudabi_roflags_t ro_flags;
} cloudabi_recv_out_t;

/* Subscription to an event (input of poll). */
typedef struct {
	cloudabi_userdata_t userdata;
	uint16_t unused;
	cloudabi_eventtype_t type;
	union {
		struct { /* clock */
			cloudabi_userdata_t identifier;
			cloudabi_clockid_t clock_id;
			cloudabi_timestamp_t timeout;
			cloudabi_timestamp_t precision;
			cloudabi_subclockflags_t flags;
		} clock;
		struct { /* condvar */
			_Atomic(cloudabi_condvar_t) *condvar;
			_Atomic(cloudabi_lock_t) *lock;
			cloudabi_scope_t condvar_scope;
			cloudabi_scope_t lock_scope;
		} condvar;
		struct { /* fd_read, fd_write */
			cloudabi_fd_t fd;
			cloudabi_subrwflags_t flags;
		} fd_readwrite;
		struct { /* lock_rdlock, lock_wrlock */
			_Atomic(cloudabi_lock_t) *lock;
			cloudabi_scope_t lock_scope;
		} lock;
		struct { /* proc_terminate */
			cloudabi_fd_t fd;
		} proc_terminate;
	};
} cloudabi_subscription_t;

/* Thread control block: what %fs:0 points at. */
typedef struct {
	void *parent;
} cloudabi_tcb_t;

/* Attributes for thread_create. */
typedef struct {
	cloudabi_threadentry_t *entry_point;
	void *stack;
	size_t stack_len;
	void *argument;
} cloudabi_threadattr_t;

/* The x86-64 layout, checked member by member. */
#define CLOUDABI_CHECK_OFFSET_(type, member, off)                              \
	_Static_assert(offsetof(type, member) == (off),                        \
		       #type "." #member " is at offset " #off)
#define CLOUDABI_CHECK_SIZE_(type, size, align)                                \
	_Static_assert(sizeof(type) == (size) && alignof(type) == (align),     \
		       #type " is " #size " bytes, " #align "-aligned")

CLOUDABI_CHECK_SIZE_(cloudabi_auxv_t, 16, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_auxv_t, a_type, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_auxv_t, a_val, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_auxv_t, a_ptr, 8);

CLOUDABI_CHECK_SIZE_(cloudabi_ciovec_t, 16, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_ciovec_t, buf, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_ciovec_t, buf_len, 8);

CLOUDABI_CHECK_SIZE_(cloudabi_iovec_t, 16, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_iovec_t, buf, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_iovec_t, buf_len, 8);

CLOUDABI_CHECK_SIZE_(cloudabi_dirent_t, 24, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_dirent_t, d_next, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_dirent_t, d_ino, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_dirent_t, d_namlen, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_dirent_t, d_type, 20);

CLOUDABI_CHECK_SIZE_(cloudabi_event_t, 32, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, userdata, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, error, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, type, 10);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, fd_readwrite.nbytes, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, fd_readwrite.unused, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, fd_readwrite.flags, 28);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, proc_terminate.unused, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, proc_terminate.signal, 20);
CLOUDABI_CHECK_OFFSET_(cloudabi_event_t, proc_terminate.exitcode, 24);

CLOUDABI_CHECK_SIZE_(cloudabi_fdstat_t, 24, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_fdstat_t, fs_filetype, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_fdstat_t, fs_flags, 2);
CLOUDABI_CHECK_OFFSET_(cloudabi_fdstat_t, fs_rights_base, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_fdstat_t, fs_rights_inheriting, 16);

CLOUDABI_CHECK_SIZE_(cloudabi_filestat_t, 56, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_dev, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_ino, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_filetype, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_nlink, 20);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_size, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_atim, 32);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_mtim, 40);
CLOUDABI_CHECK_OFFSET_(cloudabi_filestat_t, st_ctim, 48);

CLOUDABI_CHECK_SIZE_(cloudabi_lookup_t, 8, 4);
CLOUDABI_CHECK_OFFSET_(cloudabi_lookup_t, fd, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_lookup_t, flags, 4);

CLOUDABI_CHECK_SIZE_(cloudabi_recv_in_t, 40, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_in_t, ri_data, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_in_t, ri_data_len, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_in_t, ri_fds, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_in_t, ri_fds_len, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_in_t, ri_flags, 32);

CLOUDABI_CHECK_SIZE_(cloudabi_send_in_t, 40, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_send_in_t, si_data, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_send_in_t, si_data_len, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_send_in_t, si_fds, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_send_in_t, si_fds_len, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_send_in_t, si_flags, 32);

CLOUDABI_CHECK_SIZE_(cloudabi_send_out_t, 8, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_send_out_t, so_datalen, 0);

CLOUDABI_CHECK_SIZE_(cloudabi_recv_out_t, 64, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_out_t, ro_datalen, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_out_t, ro_fdslen, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_out_t, ro_unused, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_recv_out_t, ro_flags, 56);

CLOUDABI_CHECK_SIZE_(cloudabi_subscription_t, 56, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, userdata, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, unused, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, type, 10);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, clock.identifier, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, clock.clock_id, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, clock.timeout, 32);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, clock.precision, 40);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, clock.flags, 48);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, condvar.condvar, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, condvar.lock, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, condvar.condvar_scope, 32);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, condvar.lock_scope, 33);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, fd_readwrite.fd, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, fd_readwrite.flags, 20);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, lock.lock, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, lock.lock_scope, 24);
CLOUDABI_CHECK_OFFSET_(cloudabi_subscription_t, proc_terminate.fd, 16);

CLOUDABI_CHECK_SIZE_(cloudabi_tcb_t, 8, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_tcb_t, parent, 0);

CLOUDABI_CHECK_SIZE_(cloudabi_threadattr_t, 32, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_threadattr_t, entry_point, 0);
CLOUDABI_CHECK_OFFSET_(cloudabi_threadattr_t, stack, 8);
CLOUDABI_CHECK_OFFSET_(cloudabi_threadattr_t, stack_len, 16);
CLOUDABI_CHECK_OFFSET_(cloudabi_threadattr_t, argument, 24);

/* The lock and condvar words are plain 32-bit words shared with the host. */
_Static_assert(sizeof(_Atomic(cloudabi_lock_t)) == 4, "lock word is 4 bytes");
_Static_assert(sizeof(_Atomic(cloudabi_condvar_t)) == 4,
	       "condvar word is 4 bytes");

#undef CLOUDABI_CHECK_OFFSET_
#undef CLOUDABI_CHECK_SIZE_

#ifdef __cplusplus
}
#endif

#endif

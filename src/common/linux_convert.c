/* linux_convert.c: Linux <-> CloudABI errno, signal, file type and descriptor flag tables. */
#include "common/linux_convert.h"

#ifdef CAPBOX_FREESTANDING
#include <asm-generic/errno.h>
#include <asm/signal.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
/*
 * The uapi headers do not export enum sock_type (<linux/net.h> has only the
 * socketcall numbers), so these two are the kernel's values for x86-64.
 */
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#else
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The socket type proper, without SOCK_NONBLOCK / SOCK_CLOEXEC. */
#define LINUX_SOCK_TYPE_MASK 0xf

/*
 * Indexed by Linux errno, every one of <asm-generic/errno-base.h> and
 * <asm-generic/errno.h> (aliases EWOULDBLOCK, EDEADLOCK and ENOTSUP share
 * their number with EAGAIN, EDEADLK and EOPNOTSUPP).  Where CloudABI has no
 * equivalent the comment says why the choice was made; the numbers Linux
 * leaves unused (41, 58) stay 0 and become EIO below.
 */
static const cloudabi_errno_t errno_from_linux[] = {
	[0] = CLOUDABI_ESUCCESS,
	[EPERM] = CLOUDABI_EPERM,
	[ENOENT] = CLOUDABI_ENOENT,
	[ESRCH] = CLOUDABI_ESRCH,
	[EINTR] = CLOUDABI_EINTR,
	[EIO] = CLOUDABI_EIO,
	[ENXIO] = CLOUDABI_ENXIO,
	[E2BIG] = CLOUDABI_E2BIG,
	[ENOEXEC] = CLOUDABI_ENOEXEC,
	[EBADF] = CLOUDABI_EBADF,
	[ECHILD] = CLOUDABI_ECHILD,
	[EAGAIN] = CLOUDABI_EAGAIN, /* also EWOULDBLOCK */
	[ENOMEM] = CLOUDABI_ENOMEM,
	[EACCES] = CLOUDABI_EACCES,
	[EFAULT] = CLOUDABI_EFAULT,
	[ENOTBLK] = CLOUDABI_EINVAL, /* wrong kind of file for the call */
	[EBUSY] = CLOUDABI_EBUSY,
	[EEXIST] = CLOUDABI_EEXIST,
	[EXDEV] = CLOUDABI_EXDEV,
	[ENODEV] = CLOUDABI_ENODEV,
	[ENOTDIR] = CLOUDABI_ENOTDIR,
	[EISDIR] = CLOUDABI_EISDIR,
	[EINVAL] = CLOUDABI_EINVAL,
	[ENFILE] = CLOUDABI_ENFILE,
	[EMFILE] = CLOUDABI_EMFILE,
	[ENOTTY] = CLOUDABI_ENOTTY,
	[ETXTBSY] = CLOUDABI_ETXTBSY,
	[EFBIG] = CLOUDABI_EFBIG,
	[ENOSPC] = CLOUDABI_ENOSPC,
	[ESPIPE] = CLOUDABI_ESPIPE,
	[EROFS] = CLOUDABI_EROFS,
	[EMLINK] = CLOUDABI_EMLINK,
	[EPIPE] = CLOUDABI_EPIPE,
	[EDOM] = CLOUDABI_EDOM,
	[ERANGE] = CLOUDABI_ERANGE,
	[EDEADLK] = CLOUDABI_EDEADLK, /* also EDEADLOCK */
	[ENAMETOOLONG] = CLOUDABI_ENAMETOOLONG,
	[ENOLCK] = CLOUDABI_ENOLCK,
	[ENOSYS] = CLOUDABI_ENOSYS,
	[ENOTEMPTY] = CLOUDABI_ENOTEMPTY,
	[ELOOP] = CLOUDABI_ELOOP,
	[ENOMSG] = CLOUDABI_ENOMSG,
	[EIDRM] = CLOUDABI_EIDRM,
	[ECHRNG] = CLOUDABI_ERANGE, /* channel number out of range */
	[EL2NSYNC] = CLOUDABI_EIO,  /* obsolete device-level states: */
	[EL3HLT] = CLOUDABI_EIO,    /* the device failed */
	[EL3RST] = CLOUDABI_EIO,
	[ELNRNG] = CLOUDABI_ERANGE, /* link number out of range */
	[EUNATCH] = CLOUDABI_EIO,   /* protocol driver not attached */
	[ENOCSI] = CLOUDABI_EIO,    /* no CSI structure */
	[EL2HLT] = CLOUDABI_EIO,
	[EBADE] = CLOUDABI_EINVAL,   /* invalid exchange */
	[EBADR] = CLOUDABI_EINVAL,   /* invalid request descriptor */
	[EXFULL] = CLOUDABI_ENOSPC,  /* exchange full */
	[ENOANO] = CLOUDABI_EIO,     /* no anode */
	[EBADRQC] = CLOUDABI_EINVAL, /* invalid request code */
	[EBADSLT] = CLOUDABI_EINVAL, /* invalid slot */
	[EBFONT] = CLOUDABI_EINVAL,  /* bad font file format */
	[ENOSTR] = CLOUDABI_ENOTSUP, /* not a STREAM: no STREAMS here */
	[ENODATA] = CLOUDABI_ENOENT, /* no such attribute (xattr use) */
	[ETIME] = CLOUDABI_ETIMEDOUT,
	[ENOSR] = CLOUDABI_ENOMEM, /* out of STREAMS resources */
	[ENONET] = CLOUDABI_ENETUNREACH,
	[ENOPKG] = CLOUDABI_ENOTSUP, /* kernel support not installed */
	[EREMOTE] = CLOUDABI_EIO,    /* object is remote */
	[ENOLINK] = CLOUDABI_ENOLINK,
	[EADV] = CLOUDABI_EIO, /* RFS errors: remote I/O failed */
	[ESRMNT] = CLOUDABI_EIO,
	[ECOMM] = CLOUDABI_EIO,
	[EPROTO] = CLOUDABI_EPROTO,
	[EMULTIHOP] = CLOUDABI_EMULTIHOP,
	[EDOTDOT] = CLOUDABI_EIO,
	[EBADMSG] = CLOUDABI_EBADMSG,
	[EOVERFLOW] = CLOUDABI_EOVERFLOW,
	[ENOTUNIQ] = CLOUDABI_EINVAL, /* name not unique on network */
	[EBADFD] = CLOUDABI_EBADF,    /* descriptor in bad state */
	[EREMCHG] = CLOUDABI_EIO,     /* remote address changed */
	[ELIBACC] = CLOUDABI_ENOEXEC, /* shared-library errors: the */
	[ELIBBAD] = CLOUDABI_ENOEXEC, /* executable cannot be run */
	[ELIBSCN] = CLOUDABI_ENOEXEC,
	[ELIBMAX] = CLOUDABI_ENOEXEC,
	[ELIBEXEC] = CLOUDABI_ENOEXEC,
	[EILSEQ] = CLOUDABI_EILSEQ,
	[ERESTART] = CLOUDABI_EINTR, /* interrupted, should restart */
	[ESTRPIPE] = CLOUDABI_EPIPE, /* STREAMS pipe error */
	[EUSERS] = CLOUDABI_EAGAIN,  /* too many users: a limit, retry */
	[ENOTSOCK] = CLOUDABI_ENOTSOCK,
	[EDESTADDRREQ] = CLOUDABI_EDESTADDRREQ,
	[EMSGSIZE] = CLOUDABI_EMSGSIZE,
	[EPROTOTYPE] = CLOUDABI_EPROTOTYPE,
	[ENOPROTOOPT] = CLOUDABI_ENOPROTOOPT,
	[EPROTONOSUPPORT] = CLOUDABI_EPROTONOSUPPORT,
	[ESOCKTNOSUPPORT] = CLOUDABI_EPROTONOSUPPORT, /* socket type */
	[EOPNOTSUPP] = CLOUDABI_ENOTSUP,              /* also ENOTSUP */
	[EPFNOSUPPORT] = CLOUDABI_EAFNOSUPPORT,       /* protocol family */
	[EAFNOSUPPORT] = CLOUDABI_EAFNOSUPPORT,
	[EADDRINUSE] = CLOUDABI_EADDRINUSE,
	[EADDRNOTAVAIL] = CLOUDABI_EADDRNOTAVAIL,
	[ENETDOWN] = CLOUDABI_ENETDOWN,
	[ENETUNREACH] = CLOUDABI_ENETUNREACH,
	[ENETRESET] = CLOUDABI_ENETRESET,
	[ECONNABORTED] = CLOUDABI_ECONNABORTED,
	[ECONNRESET] = CLOUDABI_ECONNRESET,
	[ENOBUFS] = CLOUDABI_ENOBUFS,
	[EISCONN] = CLOUDABI_EISCONN,
	[ENOTCONN] = CLOUDABI_ENOTCONN,
	[ESHUTDOWN] = CLOUDABI_EPIPE,      /* send after shutdown, as BSD */
	[ETOOMANYREFS] = CLOUDABI_ENOBUFS, /* too many fds in flight */
	[ETIMEDOUT] = CLOUDABI_ETIMEDOUT,
	[ECONNREFUSED] = CLOUDABI_ECONNREFUSED,
	[EHOSTDOWN] = CLOUDABI_EHOSTUNREACH,
	[EHOSTUNREACH] = CLOUDABI_EHOSTUNREACH,
	[EALREADY] = CLOUDABI_EALREADY,
	[EINPROGRESS] = CLOUDABI_EINPROGRESS,
	[ESTALE] = CLOUDABI_ESTALE,
	[EUCLEAN] = CLOUDABI_EIO,    /* file system needs cleaning */
	[ENOTNAM] = CLOUDABI_EINVAL, /* XENIX named files */
	[ENAVAIL] = CLOUDABI_EIO,
	[EISNAM] = CLOUDABI_EINVAL,
	[EREMOTEIO] = CLOUDABI_EIO,
	[EDQUOT] = CLOUDABI_EDQUOT,
	[ENOMEDIUM] = CLOUDABI_ENXIO,    /* no medium in the device */
	[EMEDIUMTYPE] = CLOUDABI_EINVAL, /* wrong medium type */
	[ECANCELED] = CLOUDABI_ECANCELED,
	[ENOKEY] = CLOUDABI_EACCES, /* key errors: access refused */
	[EKEYEXPIRED] = CLOUDABI_EACCES,
	[EKEYREVOKED] = CLOUDABI_EACCES,
	[EKEYREJECTED] = CLOUDABI_EACCES,
	[EOWNERDEAD] = CLOUDABI_EOWNERDEAD,
	[ENOTRECOVERABLE] = CLOUDABI_ENOTRECOVERABLE,
	[ERFKILL] = CLOUDABI_ENETDOWN, /* radio switched off */
	[EHWPOISON] = CLOUDABI_EIO,    /* memory hardware error */
};

_Static_assert(ARRAY_LEN(errno_from_linux) == EHWPOISON + 1,
	       "EHWPOISON is the highest Linux errno");

cloudabi_errno_t capbox_errno_from_linux(int linux_errno)
{
	cloudabi_errno_t error;

	if (linux_errno == 0)
		return CLOUDABI_ESUCCESS;
	if (linux_errno < 0 ||
	    (unsigned)linux_errno >= ARRAY_LEN(errno_from_linux))
		return CLOUDABI_EIO;
	error = errno_from_linux[linux_errno];
	return error != CLOUDABI_ESUCCESS ? error : CLOUDABI_EIO;
}

cloudabi_errno_t capbox_unlink_errno_from_linux(int linux_errno)
{
	return linux_errno == EISDIR ? CLOUDABI_EPERM
				     : capbox_errno_from_linux(linux_errno);
}

/* Indexed by CloudABI signal. */
static const unsigned char signal_to_linux[] = {
	[CLOUDABI_SIGABRT] = SIGABRT, [CLOUDABI_SIGALRM] = SIGALRM,
	[CLOUDABI_SIGBUS] = SIGBUS,   [CLOUDABI_SIGCHLD] = SIGCHLD,
	[CLOUDABI_SIGCONT] = SIGCONT, [CLOUDABI_SIGFPE] = SIGFPE,
	[CLOUDABI_SIGHUP] = SIGHUP,   [CLOUDABI_SIGILL] = SIGILL,
	[CLOUDABI_SIGINT] = SIGINT,   [CLOUDABI_SIGKILL] = SIGKILL,
	[CLOUDABI_SIGPIPE] = SIGPIPE, [CLOUDABI_SIGQUIT] = SIGQUIT,
	[CLOUDABI_SIGSEGV] = SIGSEGV, [CLOUDABI_SIGSTOP] = SIGSTOP,
	[CLOUDABI_SIGSYS] = SIGSYS,   [CLOUDABI_SIGTERM] = SIGTERM,
	[CLOUDABI_SIGTRAP] = SIGTRAP, [CLOUDABI_SIGTSTP] = SIGTSTP,
	[CLOUDABI_SIGTTIN] = SIGTTIN, [CLOUDABI_SIGTTOU] = SIGTTOU,
	[CLOUDABI_SIGURG] = SIGURG,   [CLOUDABI_SIGUSR1] = SIGUSR1,
	[CLOUDABI_SIGUSR2] = SIGUSR2, [CLOUDABI_SIGVTALRM] = SIGVTALRM,
	[CLOUDABI_SIGXCPU] = SIGXCPU, [CLOUDABI_SIGXFSZ] = SIGXFSZ,
};

_Static_assert(ARRAY_LEN(signal_to_linux) == CLOUDABI_SIGXFSZ + 1,
	       "one entry per CloudABI signal");

int capbox_signal_to_linux(cloudabi_signal_t sig)
{
	if (sig >= ARRAY_LEN(signal_to_linux))
		return 0;
	return signal_to_linux[sig];
}

cloudabi_signal_t capbox_signal_from_linux(int linux_sig)
{
	size_t i;

	if (linux_sig <= 0)
		return 0;
	for (i = 1; i < ARRAY_LEN(signal_to_linux); i++) {
		if (signal_to_linux[i] == linux_sig)
			return (cloudabi_signal_t)i;
	}
	return 0;
}

cloudabi_filetype_t capbox_filetype_from_mode(unsigned st_mode)
{
	switch (st_mode & S_IFMT) {
	case S_IFBLK:
		return CLOUDABI_FILETYPE_BLOCK_DEVICE;
	case S_IFCHR:
		return CLOUDABI_FILETYPE_CHARACTER_DEVICE;
	case S_IFDIR:
		return CLOUDABI_FILETYPE_DIRECTORY;
	case S_IFIFO:
		return CLOUDABI_FILETYPE_SOCKET_STREAM;
	case S_IFLNK:
		return CLOUDABI_FILETYPE_SYMBOLIC_LINK;
	case S_IFREG:
		return CLOUDABI_FILETYPE_REGULAR_FILE;
	case S_IFSOCK:
		return CLOUDABI_FILETYPE_SOCKET_STREAM;
	default:
		return CLOUDABI_FILETYPE_UNKNOWN;
	}
}

cloudabi_filetype_t capbox_filetype_from_socktype(int socktype)
{
	switch (socktype & LINUX_SOCK_TYPE_MASK) {
	case SOCK_STREAM:
		return CLOUDABI_FILETYPE_SOCKET_STREAM;
	case SOCK_DGRAM:
		return CLOUDABI_FILETYPE_SOCKET_DGRAM;
	default:
		return CLOUDABI_FILETYPE_UNKNOWN;
	}
}

cloudabi_fdflags_t capbox_fdflags_from_linux(int status_flags)
{
	cloudabi_fdflags_t flags = 0;
	if (status_flags & O_APPEND)
		flags |= CLOUDABI_FDFLAG_APPEND;
	if (status_flags & O_NONBLOCK)
		flags |= CLOUDABI_FDFLAG_NONBLOCK;
	if ((status_flags & O_SYNC) == O_SYNC)
		flags |= CLOUDABI_FDFLAG_SYNC | CLOUDABI_FDFLAG_RSYNC;
	else if (status_flags & O_DSYNC)
		flags |= CLOUDABI_FDFLAG_DSYNC;
	return flags;
}

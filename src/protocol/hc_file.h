/* hc_file.h: hypercalls of the file_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_FILE_H
#define CAPBOX_PROTOCOL_HC_FILE_H

/* Included by protocol/hypercall.h only. */

/*
 * Paths travel as the request tail, without a NUL, in the order the call
 * names them; each struct announces their lengths, which must add up to the
 * tail exactly.  A path is at most CAPBOX_PATH_MAX - 1 bytes (Linux's
 * PATH_MAX counts the NUL): a longer one is ENAMETOOLONG, a path holding a
 * NUL byte is EINVAL (as in FreeBSD's CloudABI layer).
 */
#define CAPBOX_PATH_MAX 4096

/* Bytes of directory entries one file_readdir reply carries at most; the
 * shim repeats the call to fill a larger buffer. */
#define CAPBOX_READDIR_CHUNK 16384

/* Bytes of a symbolic link's contents file_readlink returns at most. */
#define CAPBOX_READLINK_MAX CAPBOX_PATH_MAX

struct capbox_hc_file_advise {
	uint32_t fd;
	uint8_t advice; /* cloudabi_advice_t */
	uint8_t reserved[3];
	uint64_t offset;
	uint64_t len;
};

struct capbox_hc_file_allocate {
	uint32_t fd;
	uint32_t reserved;
	uint64_t offset;
	uint64_t len;
};

/* file_create; tail: path. */
struct capbox_hc_file_create {
	uint32_t fd;
	uint8_t type; /* cloudabi_filetype_t: only DIRECTORY is defined */
	uint8_t reserved[3];
	uint32_t path_len;
	uint32_t reserved2;
};

/* file_link and file_rename; tail: path1, path2.  lookup_flags is the
 * source's lookup flags (always 0 for file_rename). */
struct capbox_hc_file_two_paths {
	uint32_t fd1;
	uint32_t lookup_flags;
	uint32_t fd2;
	uint32_t path1_len;
	uint32_t path2_len;
	uint32_t reserved;
};

/*
 * file_open; tail: path.  Reply: struct capbox_hc_new_fd.  For a regular
 * file or a directory no descriptor is attached: the shim mirrors the
 * entry, leaves entry.fd empty in its kernel table and fetches the object
 * (CAPBOX_HC_FD_FETCH) the first time it uses the descriptor itself; a
 * program that opens, asks the broker about and closes a file never pays
 * for passing a descriptor.  Other types come attached.
 */
struct capbox_hc_file_open {
	uint32_t dirfd;
	uint32_t lookup_flags;
	uint16_t oflags;
	uint16_t reserved;
	uint32_t path_len;
	cloudabi_fdstat_t fds; /* fs_filetype ignored */
};

/* file_readdir.  Reply: up to buf_len bytes of the entry stream that
 * starts at cookie (a partial entry last when the limit cuts it). */
struct capbox_hc_file_readdir {
	uint32_t fd;
	uint32_t buf_len; /* at most CAPBOX_READDIR_CHUNK */
	uint64_t cookie;
};

/* file_readlink; tail: path.  Reply: up to buf_len bytes of contents. */
struct capbox_hc_file_readlink {
	uint32_t fd;
	uint32_t path_len;
	uint32_t buf_len; /* at most CAPBOX_READLINK_MAX */
	uint32_t reserved;
};

/* file_stat_fput. */
struct capbox_hc_file_stat_fput {
	uint32_t fd;
	uint16_t flags; /* cloudabi_fsflags_t */
	uint16_t reserved;
	cloudabi_filestat_t stat;
};

/* file_stat_get; tail: path.  Reply: cloudabi_filestat_t (as for
 * file_stat_fget, whose parameters are a struct capbox_hc_fd). */
struct capbox_hc_file_stat_get {
	uint32_t fd;
	uint32_t lookup_flags;
	uint32_t path_len;
	uint32_t reserved;
};

/* file_stat_put; tail: path. */
struct capbox_hc_file_stat_put {
	uint32_t fd;
	uint32_t lookup_flags;
	uint32_t path_len;
	uint16_t flags; /* cloudabi_fsflags_t */
	uint16_t reserved;
	cloudabi_filestat_t stat;
};

/* file_symlink; tail: path1 (the link's contents), path2 (where). */
struct capbox_hc_file_symlink {
	uint32_t fd;
	uint32_t path1_len;
	uint32_t path2_len;
	uint32_t reserved;
};

/* file_unlink; tail: path. */
struct capbox_hc_file_unlink {
	uint32_t fd;
	uint8_t flags; /* cloudabi_ulflags_t */
	uint8_t reserved[3];
	uint32_t path_len;
	uint32_t reserved2;
};

#define CAPBOX_HYPERCALLS_FILE(X)                                              \
	X(CLOUDABI_SYS_file_advise, file_advise, struct capbox_hc_file_advise, \
	  0)                                                                   \
	X(CLOUDABI_SYS_file_allocate, file_allocate,                           \
	  struct capbox_hc_file_allocate, 0)                                   \
	X(CLOUDABI_SYS_file_create, file_create, struct capbox_hc_file_create, \
	  CAPBOX_PATH_MAX)                                                     \
	X(CLOUDABI_SYS_file_link, file_link, struct capbox_hc_file_two_paths,  \
	  2 * CAPBOX_PATH_MAX)                                                 \
	X(CLOUDABI_SYS_file_open, file_open, struct capbox_hc_file_open,       \
	  CAPBOX_PATH_MAX)                                                     \
	X(CLOUDABI_SYS_file_readdir, file_readdir,                             \
	  struct capbox_hc_file_readdir, 0)                                    \
	X(CLOUDABI_SYS_file_readlink, file_readlink,                           \
	  struct capbox_hc_file_readlink, CAPBOX_PATH_MAX)                     \
	X(CLOUDABI_SYS_file_rename, file_rename,                               \
	  struct capbox_hc_file_two_paths, 2 * CAPBOX_PATH_MAX)                \
	X(CLOUDABI_SYS_file_stat_fget, file_stat_fget, struct capbox_hc_fd, 0) \
	X(CLOUDABI_SYS_file_stat_fput, file_stat_fput,                         \
	  struct capbox_hc_file_stat_fput, 0)                                  \
	X(CLOUDABI_SYS_file_stat_get, file_stat_get,                           \
	  struct capbox_hc_file_stat_get, CAPBOX_PATH_MAX)                     \
	X(CLOUDABI_SYS_file_stat_put, file_stat_put,                           \
	  struct capbox_hc_file_stat_put, CAPBOX_PATH_MAX)                     \
	X(CLOUDABI_SYS_file_symlink, file_symlink,                             \
	  struct capbox_hc_file_symlink, 2 * CAPBOX_PATH_MAX)                  \
	X(CLOUDABI_SYS_file_unlink, file_unlink, struct capbox_hc_file_unlink, \
	  CAPBOX_PATH_MAX)

_Static_assert(CAPBOX_READDIR_CHUNK <=
		       CAPBOX_HC_MAX_MESSAGE - sizeof(struct capbox_hc_reply),
	       "a readdir chunk fits in a reply");
_Static_assert(sizeof(struct capbox_hc_request) +
			       sizeof(struct capbox_hc_file_two_paths) +
			       2 * CAPBOX_PATH_MAX <=
		       CAPBOX_HC_MAX_MESSAGE,
	       "two paths fit in a request");

#endif

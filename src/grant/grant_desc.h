/* grant_desc.h: a grant described (what to open, its narrowing, its origin), before anything is opened. */
#ifndef CAPBOX_GRANT_GRANT_DESC_H
#define CAPBOX_GRANT_GRANT_DESC_H

#include <stdbool.h>

#include "cloudabi/abi.h"

/*
 * How a launch narrows the rights an object would get by default (the full
 * rights of its type, rights.c).  Narrowing only ever removes rights:
 *  - read_only drops every writing right (CAPBOX_RIGHTS_WRITING) from base
 *    and inheriting;
 *  - has_base / has_inheriting: the set becomes exactly `base` /
 *    `inheriting`, each of which must be a subset of what is left;
 *  - `removed` is taken out of both sets.
 * The kernel access mode of a regular file follows the resulting rights
 * (no writing right: O_RDONLY; no reading right: O_WRONLY).
 */
struct grant_rights {
	bool read_only;
	/* read_only if the object is a regular file; a directory keeps its
	 * rights (cloudabi-run's default for a !file, config_grant.c). */
	bool read_only_file;
	bool has_base;
	bool has_inheriting;
	cloudabi_rights_t base;
	cloudabi_rights_t inheriting;
	cloudabi_rights_t removed;
	/* The type the grant must be (--dir: a directory, --file: a regular
	 * file), or CLOUDABI_FILETYPE_UNKNOWN for whatever the path is. */
	cloudabi_filetype_t required_type;
	/* How the user asked for it, for messages: "--file-rw", or NULL for
	 * a launch configuration's grant. */
	const char *option;
};

enum grant_socket_mode {
	GRANT_SOCKET_BIND,    /* bind, and listen for stream and seqpacket */
	GRANT_SOCKET_CONNECT, /* connect before the guest starts */
};

enum grant_socket_type {
	GRANT_SOCKET_STREAM,
	GRANT_SOCKET_DGRAM,
	GRANT_SOCKET_SEQPACKET, /* the guest sees socket_stream (no seqpacket
				   file type in CloudABI) */
};

enum grant_kind {
	GRANT_KIND_FD,         /* a descriptor capbox has (!fd, --fd) */
	GRANT_KIND_PATH,       /* a file or directory (!file, --file, --dir) */
	GRANT_KIND_EXECUTABLE, /* a program for proc_exec (!executable) */
	GRANT_KIND_SOCKET,     /* bound or connected (!socket, --socket) */
};

/* One grant, as asked for; every string outlives the description's use. */
struct grant_desc {
	enum grant_kind kind;
	/* PATH, EXECUTABLE: the path; SOCKET: the address ("/unix/path",
	 * "host:port", "[v6]:port"); FD: how it was named ("stdin", "3"). */
	const char *path;
	int host_fd;                 /* FD: the descriptor */
	enum grant_socket_mode mode; /* SOCKET */
	enum grant_socket_type type; /* SOCKET */
	struct grant_rights narrow;  /* PATH, SOCKET */
	/* A configuration's grant: "file:line:column", prefixed to its
	 * messages and kept as its origin; NULL for an option. */
	const char *where;
	/* An option's grant: its origin for --print-grants ("--dir data");
	 * NULL for a configuration's grant. */
	const char *origin;
};

#endif

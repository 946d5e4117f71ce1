/* hypercall.h: the shim <-> broker hypercall protocol: framing, call table, parameter structs. */
#ifndef CAPBOX_PROTOCOL_HYPERCALL_H
#define CAPBOX_PROTOCOL_HYPERCALL_H

/*
 * One hypercall is one SOCK_SEQPACKET message from the shim to the broker:
 * a capbox_hc_request header followed by the call's packed parameter struct
 * (and, for calls that carry a path or a message, up to tail_max bytes after
 * it).  The broker answers with one message: a capbox_hc_reply header, the
 * call's result struct, and zero or more descriptors as SCM_RIGHTS.
 *
 * Everything in a request is hostile input to the broker: the single decoder
 * (src/broker/dispatch.c) checks magic, version, call number, sequence and
 * the exact length for the call before any handler sees the parameters.
 * Guest pointers never travel here; variable data is copied into the message.
 *
 * Bump CAPBOX_HC_VERSION on any change to a struct or to the table.
 */
#include <stddef.h>
#include <stdint.h>

#include "cloudabi/abi.h"
#include "cloudabi/syscalls.h"

#define CAPBOX_HC_MAGIC UINT32_C(0x78626163) /* "cabx" */
#define CAPBOX_HC_VERSION 6

/*
 * Descriptor numbers in a guest process.  The guest's CloudABI descriptors
 * are 0..guest_fds-1, where guest_fds is at most CAPBOX_GUEST_FD_LIMIT: the
 * broker scales it to the descriptor limit it runs under (src/broker/
 * fdbudget.c) and tells the shim as its argv[1] (decimal), which proc_exec
 * passes on.  The shim's private descriptors follow, where programs do not
 * look; above CAPBOX_FD_LAYOUT's private_end, up to the guest's
 * RLIMIT_NOFILE, the shim keeps its threads' channels, descriptors on
 * their way in, and those proc_exec keeps while it rearranges them.
 */
#define CAPBOX_GUEST_FD_LIMIT 1024
#define CAPBOX_GUEST_FD_MIN 16 /* the fewest guest_fds a shim accepts */
struct capbox_fd_layout {
	uint32_t guest_fds; /* the guest's: 0..guest_fds-1 */
	int channel;        /* this process's channel to the broker */
	int program;        /* the executable to load (read-only) */
	int argdata;        /* sealed memfd holding the argdata */
	int shim;           /* the shim's own image, for proc_exec */
	int seccomp;        /* sealed memfd: the seccomp filter (BPF) */
	int private_end;    /* first number for more private fds */
};
#define CAPBOX_FD_PRIVATE_COUNT 8
#define CAPBOX_FD_LAYOUT(n)                                                    \
	((struct capbox_fd_layout){                                            \
		.guest_fds = (uint32_t)(n),                                    \
		.channel = (int)(n),                                           \
		.program = (int)(n) + 1,                                       \
		.argdata = (int)(n) + 2,                                       \
		.shim = (int)(n) + 3,                                          \
		.seccomp = (int)(n) + 4,                                       \
		.private_end = (int)(n) + CAPBOX_FD_PRIVATE_COUNT,             \
	})
#define CAPBOX_MAX_THREADS 256 /* per process: one channel each */
/* The guest process's RLIMIT_NOFILE when the broker's limit allows it
 * (with guest_fds CAPBOX_GUEST_FD_LIMIT: 1024 guest descriptors, 8
 * private, room for the threads' channels and for a proc_exec keeping
 * 1024). */
#define CAPBOX_GUEST_NOFILE (3 * CAPBOX_GUEST_FD_LIMIT + 1)

/* Bounds every message obeys. */
#define CAPBOX_HC_MAX_MESSAGE 32768
/* 16: sock_send/sock_recv pass up to this many descriptors in one message
 * (the rest of the protocol needs 2 at most). */
#define CAPBOX_HC_MAX_FDS 16
#define CAPBOX_HC_FATAL_MAX 512
#define CAPBOX_ARGDATA_MAX (UINT32_C(64) << 20)

/*
 * Call numbers.  A call that serves a CloudABI system call uses its index
 * in CLOUDABI_SYSCALLS (CLOUDABI_SYS_<name>, below 64); every other call
 * number is allocated here, in this one enum, whichever family header
 * describes the call.  dispatch.c fails to compile if a number is taken
 * twice.
 */
enum capbox_hc_call {
	CAPBOX_HC_BOOT = 64, /* first call of a new process: its fd table */
	CAPBOX_HC_FATAL =
		65, /* the shim cannot go on: a message for the user */
	CAPBOX_HC_THREAD_CHANNEL = 66, /* a channel for a new guest thread */
	CAPBOX_HC_FORK_COMMIT = 67,    /* proc_fork's second step (hc_proc.h) */
	CAPBOX_HC_PROC_STATUS =
		68, /* a process descriptor's exit (hc_proc.h) */
	/* Transport calls, served by the decoder itself (hc_mailbox.h): they
	 * concern the channel they arrive on, not the process. */
	CAPBOX_HC_MAILBOX_ATTACH = 69,   /* share a mailbox with this channel */
	CAPBOX_HC_MAILBOX_DOORBELL = 70, /* its mailbox holds a request */
	CAPBOX_HC_FD_FETCH =
		71, /* a descriptor still in the broker (hc_fd.h) */
	CAPBOX_HC_TRACE_RECORD =
		72, /* the shim's one-way trace record (hc_trace.h) */
	CAPBOX_HC_CALL_LIMIT = 96,
};
_Static_assert((int)CLOUDABI_SYS__COUNT <= (int)CAPBOX_HC_BOOT,
	       "capbox's own call numbers follow CloudABI's");

struct capbox_hc_request {
	uint32_t magic;
	uint16_t version;
	uint16_t call;
	uint32_t seq;
	uint32_t length; /* bytes of parameters after this header */
};

struct capbox_hc_reply {
	uint32_t magic;
	uint16_t version;
	uint16_t call;
	uint32_t seq;
	uint32_t length; /* bytes of results after this header */
	uint16_t error;  /* cloudabi_errno_t */
	uint16_t nfds;   /* descriptors attached as SCM_RIGHTS */
	uint32_t reserved;
};

struct capbox_hc_boot {
	uint32_t flags; /* none defined yet: must be 0 */
	uint32_t reserved;
};

/* One entry of the capability table as the shim mirrors it. */
struct capbox_hc_fd_entry {
	uint32_t fd;
	uint8_t filetype;
	uint8_t reserved[3];
	uint64_t rights_base;
	uint64_t rights_inheriting;
};

/*
 * The result of every call that gives the guest one new descriptor: the
 * broker has entered it in its table at entry.fd and attaches the object
 * (for a directory, a placeholder) as the first SCM_RIGHTS descriptor; the
 * shim moves it to entry.fd and mirrors the entry.  file_open may leave the
 * object in the broker until the shim fetches it (hc_file.h).
 */
struct capbox_hc_new_fd {
	struct capbox_hc_fd_entry entry;
};

struct capbox_hc_thread_channel {
	uint32_t flags; /* none defined yet: must be 0 */
	uint32_t reserved;
};
/* Reply: no result bytes, the new channel as the one descriptor. */

struct capbox_hc_boot_reply {
	uint32_t nfds; /* entries that follow */
	uint32_t argdata_len;
	uint32_t ncpus;
	uint32_t flags; /* CAPBOX_BOOT_TRACE (hc_trace.h) or 0 */
			/* struct capbox_hc_fd_entry entries[nfds]; */
};

#define CAPBOX_HC_BOOT_MAX_ENTRIES                                             \
	((CAPBOX_HC_MAX_MESSAGE - sizeof(struct capbox_hc_reply) -             \
	  sizeof(struct capbox_hc_boot_reply)) /                               \
	 sizeof(struct capbox_hc_fd_entry))

struct capbox_hc_fatal {
	uint32_t status; /* exit status the shim will use */
	uint32_t message_len;
	/* char message[message_len], not NUL-terminated */
};

/*
 * The call table: X(number, name, request struct, tail_max).  A request is
 * exactly sizeof(request struct) bytes plus 0..tail_max trailing bytes; the
 * struct says how many trailing bytes it announces.  Each family keeps its
 * structs and rows in its own header (hc_<family>.h), included here.
 */
#define CAPBOX_HYPERCALLS_SHIM(X)                                              \
	X(CAPBOX_HC_BOOT, boot, struct capbox_hc_boot, 0)                      \
	X(CAPBOX_HC_FATAL, fatal, struct capbox_hc_fatal, CAPBOX_HC_FATAL_MAX) \
	X(CAPBOX_HC_THREAD_CHANNEL, thread_channel,                            \
	  struct capbox_hc_thread_channel, 0)

#include "protocol/hc_fd.h"
#include "protocol/hc_file.h"
#include "protocol/hc_proc.h"
#include "protocol/hc_sock.h"
#include "protocol/hc_trace.h"

#define CAPBOX_HYPERCALLS(X)                                                   \
	CAPBOX_HYPERCALLS_SHIM(X)                                              \
	CAPBOX_HYPERCALLS_FD(X)                                                \
	CAPBOX_HYPERCALLS_FILE(X)                                              \
	CAPBOX_HYPERCALLS_PROC(X)                                              \
	CAPBOX_HYPERCALLS_SOCK(X)

_Static_assert(sizeof(struct capbox_hc_request) == 16, "request header");
_Static_assert(sizeof(struct capbox_hc_reply) == 24, "reply header");
_Static_assert(sizeof(struct capbox_hc_fd_entry) == 24, "fd entry");
_Static_assert(CAPBOX_HC_BOOT_MAX_ENTRIES >= CAPBOX_GUEST_FD_LIMIT,
	       "a boot reply holds a full descriptor table");

#endif

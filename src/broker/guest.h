/* guest.h: one sandboxed guest process as the broker sees it. */
#ifndef CAPBOX_BROKER_GUEST_H
#define CAPBOX_BROKER_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "broker/captable.h"

struct sandbox;
struct endpoint;

struct guest {
	struct sandbox *sandbox;
	struct guest *next;        /* in its sandbox */
	uint32_t id;               /* unique within the sandbox, never reused */
	struct guest *fork_parent; /* set while a fork awaits FORK_COMMIT */
	/* Numbers held for FORK_COMMIT's two process handles (the child's
	 * pidfd and the parent's capability), so that a sandbox out of
	 * descriptors cannot make a commit fail after the clone. */
	int commit_fds[2];
	unsigned cap_refs; /* process descriptors naming this process */
	pid_t pid;
	int pidfd;        /* process handle: never confused by pid reuse */
	int channel;      /* the first channel, until the sandbox takes it */
	size_t nchannels; /* channels open (one per guest thread) */
	struct endpoint *endpoints; /* those channels (broker/sandbox.c) */
	uint32_t argdata_len;
	struct captable caps;
	/* A pending proc_exec: the numbers the new image keeps, in their new
	 * order (NULL: none pending).  They are looked up in the table as it
	 * is when the new image boots, never copied before: a narrowing or a
	 * close made in between cannot come back (a prepared exec that never
	 * ran restored them once). */
	uint32_t *exec_fds;
	size_t exec_nfds;
	uint32_t exec_argdata_len;

	/* What the shim reported before giving up, if anything. */
	bool fatal;
	int fatal_status;
	char fatal_message[CAPBOX_HC_FATAL_MAX + 1];

	/* Set once the process has been reaped. */
	bool exited;
	int wait_code;   /* CLD_EXITED, CLD_KILLED or CLD_DUMPED */
	int wait_status; /* exit status or Linux signal number */
};

/* A guest with every slot empty and every descriptor -1. */
struct guest *guest_new(void);

/* Closes everything and frees the guest. */
void guest_free(struct guest *g);

/* Drops g's pending proc_exec, if any. */
void guest_forget_exec(struct guest *g);

#endif

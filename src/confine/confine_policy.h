/* confine_policy.h: the shape of the guest's system call allow-list (the list itself is confine_policy.c). */
#ifndef CAPBOX_BROKER_CONFINE_POLICY_H
#define CAPBOX_BROKER_CONFINE_POLICY_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

/* How a listed call's arguments are checked.  Anything else fails with
 * EPERM, the filter's one refusal (docs/SECURITY.md). */
enum confine_check {
	CHECK_NONE,   /* any arguments */
	CHECK_ARG_EQ, /* argument `arg` == value (and `arg2` == value2
			    * when arg2 != NO_ARG) */
	CHECK_NOT_WX, /* argument `arg` (prot) never PROT_WRITE|PROT_EXEC */
	CHECK_THREAD_ONLY, /* clone flags: every THREAD_REQUIRED, nothing
			    * outside THREAD_ALLOWED */
};

/* The clone flags of a new thread of the same process (CLONE_*). */
#define CONFINE_THREAD_REQUIRED                                                \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define CONFINE_THREAD_ALLOWED                                                 \
	(CONFINE_THREAD_REQUIRED | CLONE_SYSVSEM | CLONE_SETTLS |              \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

struct confine_rule {
	int nr;           /* x86-64 system call number */
	const char *name; /* for messages and tools/check-seccomp-policy */
	enum confine_check check;
	unsigned arg;
	uint64_t value;
	unsigned arg2;
	uint64_t value2;
};

#define NO_ARG 6u
/* A value that stands for the number of the shim's image in the guest,
 * which depends on the descriptor limit (protocol/hypercall.h): the
 * compiler puts the number in (confine_seccomp_fill). */
#define CONFINE_SHIM_IMAGE_FD UINT64_MAX

extern const struct confine_rule confine_policy[];
extern const size_t confine_policy_len;

/* Calls the shim makes only before it installs the filter; the filter
 * refuses them like every call not in confine_policy. */
extern const char *const confine_startup_only[];
extern const size_t confine_startup_only_len;

#endif

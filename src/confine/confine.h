/* confine.h: the guest's confinement layers, set up in the spawned child before it executes the shim. */
#ifndef CAPBOX_BROKER_CONFINE_H
#define CAPBOX_BROKER_CONFINE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The seccomp filter (confine_seccomp.h) and no_new_privs are always there:
 * without them capbox does not start a guest.  The layers below are defence
 * in depth that not every kernel offers; each step returns 0 or the errno
 * saying why the layer is unavailable, and the caller (src/broker/spawn/spawn.c)
 * goes on without it after one warning, unless --require-all-layers.
 * Everything here runs in the forked child: no locks, no stdio.
 */
enum confine_layer {
	CONFINE_NAMESPACES, /* user, mount, ipc, uts and network namespaces */
	CONFINE_EMPTY_ROOT, /* the root directory is an empty read-only tmpfs */
	CONFINE_LANDLOCK,   /* no file system access by path, no TCP, scopes */
	CONFINE_NLAYERS,
};

/* "user namespaces", ...: for `<layer> unavailable: <reason>`. */
/* Why a user namespace could not be made, for a person: what Linux's
 * errno means here and what to change (ENOSPC from clone is the
 * user.max_user_namespaces limit, not a full disk). */
const char *confine_userns_failure(int err);

const char *confine_layer_name(enum confine_layer layer);

/* Set by `capbox run --require-all-layers`: a missing layer is an error. */
extern bool confine_require_all_layers;

/* New namespaces, the calling user mapped to uid/gid 1 inside. */
int confine_enter_namespaces(void);

/* In a user namespace just made: maps outer_uid and outer_gid (the
 * caller's own: all an unprivileged process may map) to themselves,
 * setgroups denied.  0 or an errno.  For the broker's own namespaces
 * (src/broker/pidns.c). */
int confine_map_same_ids(unsigned outer_uid, unsigned outer_gid);

/* When capbox runs as root: the guest gives up root for an identity of
 * its own, CONFINE_ROOT_GUEST_ID_BASE + confine_sandbox_number, used by
 * nothing else, so that resource limits Linux waives for root
 * (RLIMIT_NPROC) hold for this sandbox alone.  Before
 * confine_enter_namespaces.  0 or an errno. */
#define CONFINE_ROOT_GUEST_ID_BASE 0x60000000u
int confine_drop_root(void);
/* Whether confine_drop_root gives the guest that identity here (capbox is
 * root in the initial user namespace, or cannot tell that it is not).
 * Decided at the first call, which pidns_enter makes before it forks the
 * broker, so that every process of the sandbox sees the same answer. */
bool confine_guest_identity_own(void);
/* The broker's pid namespace needed a user namespace of its own (root
 * without CAP_SYS_ADMIN, as in a container: src/broker/pidns.c), where
 * only the launcher's ids exist: the guest keeps them, and the launcher
 * bounds its tasks with a pids cgroup.  In the launcher and the broker
 * alike, before any process of the guest exists. */
void confine_guest_identity_none(void);
/* Whether the guest runs as the host's root (uid 0 of the initial user
 * namespace, or capbox cannot tell), which RLIMIT_NPROC does not bind:
 * capbox is root there without CAP_SYS_ADMIN, so the broker's pid
 * namespace needs a user namespace of its own, where no other identity
 * exists; or capbox runs in another user namespace whose map sends its
 * real uid to the parent's uid 0 or may leave it out.  Known before the
 * broker is forked (then a forecast) and after; only a pids cgroup
 * bounds such a guest's tasks. */
bool confine_guest_keeps_host_root(void);
/* Whether the launcher can map the guest's own identity into a user
 * namespace it makes for the broker (it holds CAP_SETUID and CAP_SETGID,
 * and the guest is to take that identity): then the guest gives up root
 * there too (src/broker/pidns.c). */
bool confine_can_map_guest_identity(void);
/* From the parent, in the new user namespace of process pid: uid and gid
 * to themselves, and the guest's own identity (CONFINE_ROOT_GUEST_ID_BASE
 * + confine_sandbox_number, uid and gid) to itself.  0 or an errno. */
int confine_map_ids_with_guest_identity(int pid, unsigned uid, unsigned gid);
/* Unique among the host's live sandboxes: the launcher's pid on the host
 * (pids inside the sandbox's pid namespace are the same in every
 * sandbox), set by pidns_enter. */
extern unsigned confine_sandbox_number;
/* Only after confine_enter_namespaces: root and cwd become an empty,
 * read-only tmpfs that is attached nowhere. */
int confine_empty_root(void);
/* Last step before exec: a Landlock domain handling every access right the
 * kernel knows, with no rule granting any. */
int confine_landlock(void);

/* Tasks (processes and threads together) a guest's identity may have:
 * its RLIMIT_NPROC (which Linux applies per user, per user of the guest's
 * user namespace when there is one, and not at all to root), and the pids
 * cgroup's bound when there is one. */
#define CONFINE_GUEST_NPROC 512

/* Resource limits of the guest, `nofile` descriptors among them (the
 * layout's, src/broker/fdbudget.h); returns 0 or an errno (fatal). */
int confine_set_limits(unsigned long nofile);

/* Lowers a resource limit of the calling process to soft and hard (never
 * raises the hard one; soft at most hard).  Returns 0 or an errno. */
int confine_lower_limit(int resource, uint64_t soft, uint64_t hard);

/* The broker's own files (the shim's image, argdata, the filter,
 * mailboxes) are not the guest's: --max-file-size lowers only the
 * broker's soft RLIMIT_FSIZE, and these raise it to the hard limit around
 * the broker's own writes (single-threaded: nothing of a guest's is
 * written meanwhile).  begin returns the soft limit that end restores. */
uint64_t confine_own_files_begin(void);
void confine_own_files_end(uint64_t soft);

#endif

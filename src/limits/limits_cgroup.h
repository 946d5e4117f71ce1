/* limits_cgroup.h: the sandbox's own cgroups: found under capbox's, made, joined, read, emptied and removed (v1 hierarchies and cgroup v2). */
#ifndef CAPBOX_LIMITS_CGROUP_H
#define CAPBOX_LIMITS_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cg_controller { CG_MEMORY, CG_PIDS, CG_CPU, CG_CPUACCT, CG_COUNT };

/* Where one controller of the sandbox lives. */
struct cg_place {
	int version; /* 1 or 2; 0: this controller has no cgroup */
	int dir;     /* the sandbox's cgroup directory (O_PATH), or -1 */
	bool made;   /* made by this run (so removed by it) */
	char path[PATH_MAX];
};

/* The controller's name in capbox's messages ("memory", "cpuacct" ...). */
const char *cg_name(enum cg_controller c);

/* Makes the cgroup `name` for controller c under capbox's own cgroup of
 * that controller: a v1 hierarchy of it, else cgroup v2 where the
 * controller is delegated (its parent's cgroup.subtree_control names it;
 * CPU accounting needs none there).  A hierarchy shared with a controller
 * made earlier (co-mounted cpu,cpuacct) reuses that cgroup.  Returns 0,
 * or an errno with *why saying what was missing. */
int cg_make(enum cg_controller c, const char *name, struct cg_place *out,
	    const struct cg_place *earlier, size_t nearlier, const char **why);

/* The version cg_make will likely use for c, from the mounts alone: 1
 * where a v1 hierarchy has c, else 2 where cgroup v2 is mounted, else 0;
 * nothing is made.  Cheap: it does not read /proc/self/cgroup, whose
 * kernel side waits for cgroup_mutex (70-110 us measured before the
 * broker's fork).  cg_make may use another (capbox outside the v1
 * hierarchy's namespace, a v2 controller not delegated): a wrong guess
 * changes when the cgroups are made, never which nor whether. */
int cg_version_guess(enum cg_controller c);

/* Writes `value` to `file` of the cgroup; 0 or an errno. */
int cg_write(const struct cg_place *p, const char *file, const char *value);

/* The number in `file` (key == NULL), or after "key " on one of its
 * lines; 0 or an errno. */
int cg_read_u64(const struct cg_place *p, const char *file, const char *key,
		uint64_t *value);

/* The same from a counter file kept open (cg_open_counter: read-only,
 * close-on-exec; -1 with errno on failure), read again from its start
 * each time. */
int cg_open_counter(const struct cg_place *p, const char *file);
int cg_read_counter(int fd, const char *key, uint64_t *value);

/* Processes in the cgroup now (its cgroup.procs lines). */
size_t cg_count_procs(const struct cg_place *p);

/* The file a process writes "0" to in order to enter the cgroup: v1's
 * `tasks` (which moves the calling thread alone: the kernel then skips the
 * thread-group lock whose writer waits for an RCU grace period, 7-20 ms
 * measured here, so a single-threaded process enters at no visible cost),
 * v2's cgroup.procs. */
const char *cg_join_file(const struct cg_place *p);

/* Opens that file for writing (close-on-exec); -1 with errno on failure. */
int cg_open_join(const struct cg_place *p);

/* Removes the directory if this run made it, killing first whatever is
 * left in it (cgroup.kill on v2, SIGKILL to each on v1) while the kernel
 * refuses a populated one; p->dir is forgotten, not closed (the caller
 * may no longer own that number). */
void cg_remove(struct cg_place *p);

#endif

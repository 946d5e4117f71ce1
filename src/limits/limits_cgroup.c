/* limits_cgroup.c: the sandbox's own cgroups: found under capbox's, made, joined, read, emptied and removed (v1 hierarchies and cgroup v2). */
#include "limits/limits_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP_V1_MAGIC 0x27e0eb
#define CGROUP_V2_MAGIC 0x63677270
/* rmdir of a cgroup whose last process is still being torn down fails
 * with EBUSY for a moment: this many tries, 20 ms apart. */
#define REMOVE_TRIES 150

static const char *const names[CG_COUNT] = {"memory", "pids", "cpu", "cpuacct"};

const char *cg_name(enum cg_controller c)
{
	return names[c];
}

static bool fs_is(const char *path, long magic)
{
	struct statfs st;
	return statfs(path, &st) == 0 && (long)st.f_type == magic;
}

/* /proc/self/cgroup, read once: capbox's own cgroups do not change while
 * it makes the sandbox's. */
static const char *self_cgroups(void)
{
	static char text[8192];
	static bool read_once;
	if (!read_once) {
		int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
		size_t used = 0;
		ssize_t n;
		while (fd >= 0 && used + 1 < sizeof(text) &&
		       (n = read(fd, text + used, sizeof(text) - 1 - used)) > 0)
			used += (size_t)n;
		if (fd >= 0)
			close(fd);
		text[used] = '\0';
		/* Whole lines only: one cut by the end of the buffer would
		 * name another cgroup (a prefix of capbox's own path). */
		char *last = strrchr(text, '\n');
		*(last != NULL ? last + 1 : text) = '\0';
		read_once = true;
	}
	return text;
}

/* Capbox's own cgroup in the hierarchy whose /proc/self/cgroup line has
 * `controllers` (v1: a comma list naming c; v2: empty), "" for the root:
 * copied to out. */
static bool own_cgroup(const char *controller, bool v2, char *out, size_t size)
{
	char lines[8192];
	snprintf(lines, sizeof(lines), "%s", self_cgroups());
	bool found = false;
	for (char *save = NULL, *line = strtok_r(lines, "\n", &save);
	     !found && line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *list = strchr(line, ':');
		char *path = list != NULL ? strchr(list + 1, ':') : NULL;
		if (path == NULL)
			continue;
		*path++ = '\0';
		*list++ = '\0'; /* line: the hierarchy's number */
		if (v2) {
			found = *list == '\0' && strcmp(line, "0") == 0;
		} else {
			for (char *inner = NULL,
				  *c = strtok_r(list, ",", &inner);
			     c != NULL; c = strtok_r(NULL, ",", &inner))
				found = found || strcmp(c, controller) == 0;
		}
		/* Outside capbox's cgroup namespace ("/.."): none to use. */
		if (found &&
		    (strstr(path, "/..") != NULL ||
		     (size_t)snprintf(out, size, "%s",
				      strcmp(path, "/") == 0 ? "" : path) >=
			     size))
			found = false;
	}
	return found;
}

/* The v1 hierarchy of c, CGROUP_ROOT/NAME, with the link there resolved
 * (co-mounted controllers: "cpu" -> "cpu,cpuacct"), so that controllers
 * of one hierarchy name one directory: copied to out. */
static void hierarchy_of(enum cg_controller c, char *out, size_t size)
{
	char link[PATH_MAX];
	snprintf(out, size, CGROUP_ROOT "/%s", names[c]);
	ssize_t n = readlink(out, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	int len = strchr(link, '/') == NULL
			  ? snprintf(out, size, CGROUP_ROOT "/%s", link)
		  : link[0] == '/' ? snprintf(out, size, "%s", link)
				   : -1;
	if (len < 0 || (size_t)len >= size)
		snprintf(out, size, CGROUP_ROOT "/%s", names[c]);
}

/* Whether `word` is one of the space-separated words of the file. */
static bool file_has_word(const char *path, const char *word)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return false;
	char buf[512];
	bool has = false;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		for (char *save = NULL, *w = strtok_r(buf, " \n", &save);
		     w != NULL; w = strtok_r(NULL, " \n", &save))
			has = has || strcmp(w, word) == 0;
	}
	fclose(f);
	return has;
}

/* Whether the cgroup directory lists capbox itself in its cgroup.procs:
 * the path /proc/self/cgroup gives is relative to capbox's cgroup
 * namespace, the mount's to the namespace it was made in, and where the
 * two differ (unshare -C over the host's mounts) that path names another
 * cgroup, the hierarchy's root say, outside capbox's own and its limits. */
static bool lists_self(const char *dir)
{
	char path[PATH_MAX + 16], buf[4096], line[24];
	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >=
	    sizeof(path))
		return false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char self[24];
	snprintf(self, sizeof(self), "%d", (int)getpid());
	size_t len = 0;
	bool found = false;
	ssize_t n;
	while (!found && (n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n && !found; i++) {
			if (buf[i] != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			found = strcmp(line, self) == 0;
			len = 0;
		}
	}
	close(fd);
	return found;
}

/* The initial cgroup namespace's inode number (the kernel's
 * PROC_CGROUP_INIT_INO): there /proc/self/cgroup's paths are the
 * hierarchies' own, as their mounts show them. */
#define CGROUP_NS_INIT_INO 0xEFFFFFFBu

/* Whether dir, made of a mount and capbox's path in /proc/self/cgroup,
 * is capbox's own cgroup: at once in the initial cgroup namespace, else
 * (a cost of 20-70 us a hierarchy, paid only there) if it lists capbox. */
static bool own_dir(const char *dir)
{
	static int initial = -1;
	if (initial < 0) {
		struct stat st;
		initial = stat("/proc/self/ns/cgroup", &st) == 0 &&
			  st.st_ino == CGROUP_NS_INIT_INO;
	}
	return initial == 1 || lists_self(dir);
}

#define NOT_OWN                                                                \
	"capbox's own cgroup is not where /proc/self/cgroup says (a cgroup "   \
	"namespace over mounts made outside it)"

/* The directory of capbox's own cgroup for c, and the version: v1 first
 * (a hierarchy mounted for c), else v2 with c delegated. */
static int parent_of(enum cg_controller c, char *dir, size_t size,
		     const char **why)
{
	char own[PATH_MAX], mount[PATH_MAX];
	hierarchy_of(c, mount, sizeof(mount));
	*why = "no cgroup hierarchy has it";
	if (fs_is(mount, CGROUP_V1_MAGIC) &&
	    own_cgroup(names[c], false, own, sizeof(own)) &&
	    (size_t)snprintf(dir, size, "%s%s", mount, own) < size) {
		if (own_dir(dir))
			return 1;
		*why = NOT_OWN;
	}
	const char *v2 = fs_is(CGROUP_ROOT, CGROUP_V2_MAGIC) ? CGROUP_ROOT
							     : CGROUP_ROOT
				 "/unified";
	if (!fs_is(v2, CGROUP_V2_MAGIC) ||
	    !own_cgroup(NULL, true, own, sizeof(own)) ||
	    (size_t)snprintf(dir, size, "%s%s", v2, own) >= size)
		return 0;
	if (!own_dir(dir)) {
		*why = NOT_OWN;
		return 0;
	}
	/* cgroup v2 keeps CPU time in every cgroup's cpu.stat. */
	if (c == CG_CPUACCT)
		return 2;
	char control[PATH_MAX + 32];
	snprintf(control, sizeof(control), "%s/cgroup.subtree_control", dir);
	if (!file_has_word(control, names[c])) {
		*why = "cgroup v2 does not delegate it to capbox's cgroup";
		return 0;
	}
	return 2;
}

int cg_version_guess(enum cg_controller c)
{
	char mount[PATH_MAX];
	/* statfs follows a co-mounted hierarchy's link ("cpu" ->
	 * "cpu,cpuacct") */
	snprintf(mount, sizeof(mount), CGROUP_ROOT "/%s", names[c]);
	if (fs_is(mount, CGROUP_V1_MAGIC))
		return 1;
	return fs_is(CGROUP_ROOT, CGROUP_V2_MAGIC) ||
			       fs_is(CGROUP_ROOT "/unified", CGROUP_V2_MAGIC)
		       ? 2
		       : 0;
}

int cg_make(enum cg_controller c, const char *name, struct cg_place *out,
	    const struct cg_place *earlier, size_t nearlier, const char **why)
{
	*out = (struct cg_place){.dir = -1};
	char parent[PATH_MAX];
	int version = parent_of(c, parent, sizeof(parent), why);
	if (version == 0)
		return ENOENT;
	/* Co-mounted controllers share one directory: made once. */
	size_t len = strlen(parent);
	for (size_t i = 0; i < nearlier; i++) {
		if (earlier[i].dir >= 0 &&
		    strncmp(earlier[i].path, parent, len) == 0 &&
		    earlier[i].path[len] == '/' &&
		    strcmp(earlier[i].path + len + 1, name) == 0) {
			*out = earlier[i];
			out->made = false;
			out->dir = fcntl(earlier[i].dir, F_DUPFD_CLOEXEC, 0);
			return out->dir < 0 ? errno : 0;
		}
	}
	if ((size_t)snprintf(out->path, sizeof(out->path), "%s/%s", parent,
			     name) >= sizeof(out->path)) {
		*why = "its path is too long";
		return ENAMETOOLONG;
	}
	if (mkdir(out->path, 0755) != 0) {
		*why = "cannot make a cgroup there";
		return errno;
	}
	out->made = true;
	out->version = version;
	out->dir = open(out->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (out->dir < 0) {
		int err = errno;
		rmdir(out->path);
		out->made = false;
		*why = "cannot open the cgroup made";
		return err;
	}
	return 0;
}

int cg_write(const struct cg_place *p, const char *file, const char *value)
{
	int fd = openat(p->dir, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	size_t len = strlen(value);
	int err = write(fd, value, len) == (ssize_t)len ? 0 : errno;
	close(fd);
	return err;
}

/* Reads the whole (small) file open at fd, from its start, into buf,
 * NUL-terminated; 0 or an errno.  A read that gives less than it was
 * asked for is the end: cgroup files are generated whole (seq_file), so
 * no second read is spent to see end of file. */
static int read_from_start(int fd, char *buf, size_t size)
{
	size_t used = 0;
	for (;;) {
		size_t want = size - 1 - used;
		ssize_t n = pread(fd, buf + used, want, (off_t)used);
		if (n < 0) {
			buf[used] = '\0';
			return errno;
		}
		used += (size_t)n;
		if ((size_t)n < want || used + 1 == size)
			break;
	}
	buf[used] = '\0';
	return 0;
}

static int read_small(const struct cg_place *p, const char *file, char *buf,
		      size_t size)
{
	int fd = cg_open_counter(p, file);
	if (fd < 0)
		return errno;
	int err = read_from_start(fd, buf, size);
	close(fd);
	return err;
}

int cg_open_counter(const struct cg_place *p, const char *file)
{
	return openat(p->dir, file, O_RDONLY | O_CLOEXEC);
}

/* The number in buf (key == NULL), or after "key " on one of its lines;
 * 0 or an errno. */
static int parse_u64(const char *buf, const char *key, uint64_t *value)
{
	const char *at = buf;
	if (key != NULL) {
		size_t klen = strlen(key);
		for (at = buf; at != NULL; at = strchr(at, '\n')) {
			at += *at == '\n';
			if (strncmp(at, key, klen) == 0 && at[klen] == ' ')
				break;
		}
		if (at == NULL)
			return ENOENT;
		at += klen + 1;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(at, &end, 10);
	if (errno != 0 || end == at)
		return EINVAL;
	*value = v;
	return 0;
}

int cg_read_counter(int fd, const char *key, uint64_t *value)
{
	char buf[4096];
	int err = read_from_start(fd, buf, sizeof(buf));
	return err != 0 ? err : parse_u64(buf, key, value);
}

int cg_read_u64(const struct cg_place *p, const char *file, const char *key,
		uint64_t *value)
{
	char buf[4096];
	int err = read_small(p, file, buf, sizeof(buf));
	return err != 0 ? err : parse_u64(buf, key, value);
}

size_t cg_count_procs(const struct cg_place *p)
{
	char buf[16384];
	if (read_small(p, "cgroup.procs", buf, sizeof(buf)) != 0)
		return 0;
	size_t n = 0;
	for (const char *c = buf; *c != '\0'; c++)
		n += *c == '\n';
	return n;
}

const char *cg_join_file(const struct cg_place *p)
{
	return p->version == 1 ? "tasks" : "cgroup.procs";
}

int cg_open_join(const struct cg_place *p)
{
	return openat(p->dir, cg_join_file(p), O_WRONLY | O_CLOEXEC);
}

/* Whether pid is one of the lines of a cgroup.procs text. */
static bool listed(const char *procs, long pid)
{
	char line[24];
	size_t len = (size_t)snprintf(line, sizeof(line), "%ld", pid);
	for (const char *at = procs; *at != '\0';) {
		const char *end = strchrnul(at, '\n');
		if ((size_t)(end - at) == len && strncmp(at, line, len) == 0)
			return true;
		at = *end != '\0' ? end + 1 : end;
	}
	return false;
}

/* The most processes one round of kill_listed signals (cg_remove's
 * rounds take the rest). */
#define KILL_BATCH 128

/* SIGKILL to every process listed in cgroup.procs (host pids: the caller
 * is in the host's pid namespace), each through a pidfd taken before the
 * list is read again and sent only if the pid is still listed: a listed
 * process that ended meanwhile, its pid taken by a process elsewhere, is
 * not signalled (the pidfd names one process, and the second list does
 * not name the newcomer). */
static void kill_listed(const struct cg_place *p)
{
	char procs[16384];
	if (read_small(p, "cgroup.procs", procs, sizeof(procs)) != 0)
		return;
	long pids[KILL_BATCH];
	int pidfds[KILL_BATCH];
	size_t n = 0;
	for (char *save = NULL, *w = strtok_r(procs, "\n", &save);
	     w != NULL && n < KILL_BATCH; w = strtok_r(NULL, "\n", &save)) {
		long pid = strtol(w, NULL, 10);
		int fd = pid > 1 ? (int)syscall(SYS_pidfd_open, (pid_t)pid, 0)
				 : -1;
		if (fd >= 0) {
			pids[n] = pid;
			pidfds[n++] = fd;
		}
	}
	bool again = read_small(p, "cgroup.procs", procs, sizeof(procs)) == 0;
	for (size_t i = 0; i < n; i++) {
		if (again && listed(procs, pids[i]))
			syscall(SYS_pidfd_send_signal, pidfds[i], SIGKILL, NULL,
				0);
		close(pidfds[i]);
	}
}

void cg_remove(struct cg_place *p)
{
	if (p->dir < 0)
		return;
	/* By path: the launcher, which removes them, closed its copies of
	 * every descriptor (src/broker/pidns.c), and the numbers may name
	 * something else now. */
	struct cg_place again = *p;
	p->dir = -1;
	/* An empty cgroup goes at once (the usual end: the broker has killed
	 * and reaped every process); the kernel refuses a populated one. */
	if (!again.made || rmdir(again.path) == 0 || errno != EBUSY)
		return;
	again.dir = open(again.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (again.dir < 0)
		return;
	if (again.version != 2 || cg_write(&again, "cgroup.kill", "1") != 0)
		kill_listed(&again);
	const struct timespec pause = {0, 20000000};
	for (int i = 0; i < REMOVE_TRIES; i++) {
		if (rmdir(again.path) == 0 || errno != EBUSY)
			break;
		kill_listed(&again);
		nanosleep(&pause, NULL);
	}
	close(again.dir);
}

/* state.c: capbox-oci's own state folder, ROOT/capbox-oci@: runc's state of the
 * CloudABI containers and their rewritten bundles. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* The files capbox-oci writes in a bundle folder, and nothing else. */
static const char *const bundle_files[] = {"config.json", "argdata.yaml",
					   "empty", NULL};

bool state_valid_id(const char *id)
{
	size_t len = strlen(id);
	if (len == 0 || len > 255 || strcmp(id, ".") == 0 ||
	    strcmp(id, "..") == 0)
		return false;
	return strspn(id,
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+.-") ==
	       len;
}

void state_paths(struct state *st, const char *root, const char *id)
{
	if (root == NULL)
		root = STATE_RUNC_DEFAULT_ROOT;
	if (snprintf(st->base, sizeof(st->base), "%s/%s", root, STATE_FOLDER) >=
	    (int)sizeof(st->base))
		oci_die("--root: path too long");
	snprintf(st->runc, sizeof(st->runc), "%s/runc", st->base);
	st->bundle[0] = '\0';
	if (id != NULL)
		snprintf(st->bundle, sizeof(st->bundle), "%s/bundles/%s",
			 st->base, id);
}

bool state_is_ours(const struct state *st)
{
	struct stat sb;
	return st->bundle[0] != '\0' && lstat(st->bundle, &sb) == 0 &&
	       S_ISDIR(sb.st_mode);
}

static void make_folder(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		oci_die("mkdir %s: %s", path, strerror(errno));
}

/* Makes PATH and its missing parents (0711, as runc makes its root). */
static void make_parents(char *path)
{
	for (char *slash = strchr(path + 1, '/');;
	     slash = strchr(slash + 1, '/')) {
		if (slash != NULL)
			*slash = '\0';
		if (mkdir(path, 0711) != 0 && errno != EEXIST)
			oci_die("mkdir %s: %s", path, strerror(errno));
		if (slash == NULL)
			return;
		*slash = '/';
	}
}

void state_create_bundle(const struct state *st, const char *id)
{
	char root[sizeof(st->base)];
	snprintf(root, sizeof(root), "%s", st->base);
	*strrchr(root, '/') = '\0';
	if (root[0] != '\0')
		make_parents(root);
	char bundles[sizeof(st->base) + 16];
	snprintf(bundles, sizeof(bundles), "%s/bundles", st->base);
	make_folder(st->base);
	make_folder(st->runc);
	make_folder(bundles);
	if (mkdir(st->bundle, 0700) != 0) {
		if (errno == EEXIST)
			oci_die("container with id exists: %s", id);
		oci_die("mkdir %s: %s", st->bundle, strerror(errno));
	}
}

void state_remove_bundle(const struct state *st)
{
	if (st->bundle[0] == '\0')
		return;
	for (const char *const *f = bundle_files; *f != NULL; f++) {
		char path[4600];
		snprintf(path, sizeof(path), "%s/%s", st->bundle, *f);
		if (unlink(path) != 0 && errno != ENOENT)
			oci_error("unlink %s: %s", path, strerror(errno));
	}
	if (rmdir(st->bundle) != 0 && errno != ENOENT)
		oci_error("rmdir %s: %s", st->bundle, strerror(errno));
}

void state_write_file(const struct state *st, const char *name,
		      const char *data, size_t len, unsigned mode)
{
	char path[4600];
	snprintf(path, sizeof(path), "%s/%s", st->bundle, name);
	int fd = open(path,
		      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		      mode);
	if (fd >= 0 && fchmod(fd, mode) != 0)
		oci_die("chmod %s: %s", path, strerror(errno));
	if (fd < 0)
		oci_die("open %s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			oci_die("write %s: %s", path, strerror(errno));
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		oci_die("close %s: %s", path, strerror(errno));
}

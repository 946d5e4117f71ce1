/* config_file.c: reads a configuration file or standard input (bounded) and adds command-line entries to it. */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_internal.h"
#include "broker/diag.h"

int config_read(const char *path, char **text, size_t *len)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		diag_warn_errno("%s", path);
		return -1;
	}
	/* One byte more than allowed tells "too large" from "just fits". */
	char *buf = malloc(CONFIG_MAX_BYTES + 1);
	size_t used = 0;
	int err = buf == NULL ? ENOMEM : 0;
	while (err == 0 && used <= CONFIG_MAX_BYTES) {
		ssize_t got = read(fd, buf + used, CONFIG_MAX_BYTES + 1 - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			err = errno;
		else if (got == 0)
			break;
		else
			used += (size_t)got;
	}
	if (!is_stdin)
		close(fd);
	if (err != 0) {
		errno = err;
		diag_warn_errno("%s", name);
		free(buf);
		return -1;
	}
	if (used > CONFIG_MAX_BYTES) {
		diag_warn("%s: a configuration has at most %zu bytes", name,
			  CONFIG_MAX_BYTES);
		free(buf);
		return -1;
	}
	*text = buf;
	*len = used;
	return 0;
}

/* Whether map holds the string key (len bytes). */
static bool has_key(const struct argdata_node *map, const void *key, size_t len)
{
	for (size_t i = 0; i < map->v.list.count; i += 2) {
		const struct argdata_node *k = &map->v.list.items[i];
		if (k->kind == ARGDATA_NODE_STR && k->v.bytes.len == len &&
		    memcmp(k->v.bytes.ptr, key, len) == 0)
			return true;
	}
	return false;
}

int config_add_entries(struct config *cfg, const char *name,
		       const struct argdata_node *items, size_t nitems)
{
	if (nitems == 0)
		return 0;
	struct argdata_node *root = &cfg->root;
	if (root->kind == ARGDATA_NODE_NULL) {
		*root = argdata_node_map(NULL, 0);
	} else if (root->kind != ARGDATA_NODE_MAP) {
		diag_warn(
			"%s: the top level is not a map, so the command line cannot add keys to it",
			name);
		return -1;
	}
	for (size_t i = 0; i < nitems; i += 2) {
		if (has_key(root, items[i].v.bytes.ptr, items[i].v.bytes.len)) {
			diag_warn(
				"%s: already has the key '%s' that the command line grants",
				name, (const char *)items[i].v.bytes.ptr);
			return -1;
		}
	}
	size_t count = root->v.list.count + nitems;
	if (count > SIZE_MAX / sizeof(*items)) {
		diag_warn("out of memory");
		return -1;
	}
	struct argdata_node *all = config_arena_alloc(cfg,
						      count * sizeof(*all));
	if (all == NULL) {
		diag_warn("out of memory");
		return -1;
	}
	if (root->v.list.count > 0)
		memcpy(all, root->v.list.items,
		       root->v.list.count * sizeof(*all));
	memcpy(all + root->v.list.count, items, nitems * sizeof(*all));
	*root = argdata_node_map(all, count);
	return 0;
}

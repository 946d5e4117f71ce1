/* cmdline.c: runc's command line as engines give it: global flags, a
 * subcommand, its flags, the container ID. */
#include "cmdline.h"

#include <stdlib.h>
#include <string.h>

/* runc's global flags that take a value. */
static const char *const global_valued[] = {"root", "log",      "log-format",
					    "criu", "rootless", NULL};

/* Flags of runc's subcommands that take a value (create, run, exec,
 * update, checkpoint, restore, events, ps): the rest are booleans. */
static const char *const sub_valued[] = {"bundle",
					 "b",
					 "console-socket",
					 "pid-file",
					 "preserve-fds",
					 "cwd",
					 "env",
					 "e",
					 "process",
					 "p",
					 "process-label",
					 "apparmor",
					 "user",
					 "u",
					 "additional-gids",
					 "g",
					 "cap",
					 "c",
					 "cgroup",
					 "interval",
					 "format",
					 "f",
					 "resources",
					 "r",
					 "blkio-weight",
					 "cpu-period",
					 "cpu-quota",
					 "cpu-share",
					 "cpu-rt-period",
					 "cpu-rt-runtime",
					 "cpuset-cpus",
					 "cpuset-mems",
					 "kernel-memory",
					 "kernel-memory-tcp",
					 "memory",
					 "memory-reservation",
					 "memory-swap",
					 "pids-limit",
					 "l3-cache-schema",
					 "mem-bw-schema",
					 "image-path",
					 "work-path",
					 "parent-path",
					 "page-server",
					 "manage-cgroups-mode",
					 "empty-ns",
					 "status-fd",
					 "lsm-profile",
					 "lsm-mount-context",
					 NULL};

/* A flag word's name (after one or two dashes, before any '='), its
 * length and its "=VALUE" (or NULL); false for a word that is no flag. */
static bool flag_word(const char *w, const char **name, size_t *len,
		      const char **value)
{
	if (w[0] != '-' || w[1] == '\0' || strcmp(w, "--") == 0)
		return false;
	w += w[1] == '-' ? 2 : 1;
	const char *eq = strchr(w, '=');
	*name = w;
	*len = eq != NULL ? (size_t)(eq - w) : strlen(w);
	*value = eq != NULL ? eq + 1 : NULL;
	return true;
}

static bool named(const char *name, size_t len, const char *want)
{
	return want != NULL && strlen(want) == len &&
	       memcmp(name, want, len) == 0;
}

static bool in_list(const char *name, size_t len, const char *const *list)
{
	for (; *list != NULL; list++)
		if (named(name, len, *list))
			return true;
	return false;
}

void cmdline_parse(struct oci_cmdline *c, int argc, char **argv)
{
	memset(c, 0, sizeof(*c));
	c->argc = argc;
	c->argv = argv;
	int i = 1;
	for (; i < argc; i++) {
		const char *name, *value;
		size_t len;
		if (!flag_word(argv[i], &name, &len, &value))
			break;
		if (in_list(name, len, global_valued) && value == NULL &&
		    i + 1 < argc)
			value = argv[++i];
		if (named(name, len, "root"))
			c->root = value;
		else if (named(name, len, "log"))
			c->log = value;
		else if (named(name, len, "log-format"))
			c->log_format = value;
		else if (named(name, len, "version") || named(name, len, "v"))
			c->version = true;
		else if (named(name, len, "help") || named(name, len, "h"))
			c->help = true;
	}
	c->sub = i;
	c->id = argc;
	if (i >= argc)
		return;
	for (i++; i < argc; i++) {
		const char *name, *value;
		size_t len;
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (!flag_word(argv[i], &name, &len, &value))
			break;
		if (in_list(name, len, sub_valued) && value == NULL)
			i++;
	}
	c->id = i < argc ? i : argc;
}

/* The index of the subcommand's last flag WANT (or ALIAS) before the ID,
 * with its value (NULL for a boolean), or -1. */
static int find_flag(const struct oci_cmdline *c, const char *want,
		     const char *alias, const char **value_out)
{
	int found = -1;
	for (int i = c->sub + 1; i < c->id; i++) {
		const char *name, *value;
		size_t len;
		if (!flag_word(c->argv[i], &name, &len, &value))
			continue;
		bool valued = in_list(name, len, sub_valued);
		if (valued && value == NULL && i + 1 < c->id)
			value = c->argv[i + 1];
		if (named(name, len, want) || named(name, len, alias)) {
			found = i;
			*value_out = value;
		}
		if (valued && c->argv[i][strcspn(c->argv[i], "=")] == '\0')
			i++;
	}
	return found;
}

const char *cmdline_value(const struct oci_cmdline *c, const char *name,
			  const char *alias)
{
	const char *value = NULL;
	return find_flag(c, name, alias, &value) >= 0 ? value : NULL;
}

bool cmdline_flag(const struct oci_cmdline *c, const char *name,
		  const char *alias)
{
	const char *value = NULL;
	if (find_flag(c, name, alias, &value) < 0)
		return false;
	return value == NULL || strcmp(value, "false") != 0;
}

char **cmdline_for_runc(const struct oci_cmdline *c, const char *runc,
			const char *runc_root, const char *bundle)
{
	char **out = calloc((size_t)c->argc + 6, sizeof(*out));
	if (out == NULL)
		return NULL;
	int n = 0;
	out[n++] = (char *)runc;
	out[n++] = "--root";
	out[n++] = (char *)runc_root;
	for (int i = 1; i < c->sub; i++) {
		const char *name, *value;
		size_t len;
		bool flag = flag_word(c->argv[i], &name, &len, &value);
		bool takes_next = flag && value == NULL &&
				  in_list(name, len, global_valued);
		if (flag && named(name, len, "root")) {
			i += takes_next;
			continue;
		}
		out[n++] = c->argv[i];
		if (takes_next && i + 1 < c->sub)
			out[n++] = c->argv[++i];
	}
	if (c->sub < c->argc)
		out[n++] = c->argv[c->sub];
	if (bundle != NULL) {
		out[n++] = "--bundle";
		out[n++] = (char *)bundle;
	}
	for (int i = c->sub + 1; i < c->id; i++) {
		const char *name, *value;
		size_t len;
		bool flag = flag_word(c->argv[i], &name, &len, &value);
		bool takes_next = flag && value == NULL &&
				  in_list(name, len, sub_valued);
		if (bundle != NULL && flag &&
		    (named(name, len, "bundle") || named(name, len, "b"))) {
			i += takes_next;
			continue;
		}
		out[n++] = c->argv[i];
		if (takes_next && i + 1 < c->id)
			out[n++] = c->argv[++i];
	}
	for (int i = c->id; i < c->argc; i++)
		out[n++] = c->argv[i];
	out[n] = NULL;
	return out;
}

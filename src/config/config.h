/* config.h: launch configurations: YAML text to the program's argdata tree and a description of its grants. */
#ifndef CAPBOX_BROKER_CONFIG_H
#define CAPBOX_BROKER_CONFIG_H

#include <stddef.h>

#include "cloudabi/abi.h"
#include "common/argdata.h"
#include "grant/grant_desc.h"

/* Bounds on a configuration (docs/CONFIG.md). */
#define CONFIG_MAX_BYTES ((size_t)1 << 20) /* size of the YAML text */
#define CONFIG_MAX_DEPTH 64 /* nested maps and sequences (ARGDATA_MAX_DEPTH) */
#define CONFIG_MAX_NODES ((size_t)1 << 20) /* values, counting alias copies */
#define CONFIG_MAX_PATH 4096               /* bytes in a path or address */

/* How scalars without a tag are typed (--untagged). */
enum config_untagged {
	CONFIG_UNTAGGED_STRING, /* strings; an empty plain scalar is null */
	CONFIG_UNTAGGED_GUESS,  /* null, bool, int or float when they look so */
};

/* A grant's descriptor in the parsed tree until it is opened: this plus
 * its index in config.grants (above every real descriptor number). */
#define CONFIG_GRANT_PLACEHOLDER 0x80000000u

struct config_options {
	enum config_untagged untagged;
	const char *program; /* the program run, for a bare !executable */
	/* The most grants it may describe, what a process's table of
	 * table_size has left (more could never be opened); both 1024 when
	 * table_size is 0, and max_grants may then be 0: no room at all. */
	unsigned max_grants, table_size;
};

struct config_chunk;

/* A parsed configuration; every node and string lives in its arena. */
struct config {
	struct config_chunk *chunks;
	struct argdata_node root;
	/* Its grants in document order, described, not opened; root holds
	 * CONFIG_GRANT_PLACEHOLDER + i where grant i goes. */
	struct grant_desc *grants;
	size_t ngrants, grants_cap;
};

/*
 * Reads a configuration file ("-" is standard input), at most
 * CONFIG_MAX_BYTES.  Returns 0 with a malloc'd *text, or -1 after printing
 * one line naming the file.
 */
int config_read(const char *path, char **text, size_t *len);

/*
 * Parses YAML text named `name` (for messages) into cfg->root and
 * cfg->grants, opening nothing.  Returns 0, or -1 after printing one line
 * "NAME:LINE:COLUMN: what was expected".  Call config_free either way.
 */
int config_parse(struct config *cfg, const char *name, const char *text,
		 size_t len, const struct config_options *opts);

/* Puts fds[i], the descriptor grant i was opened as, where its placeholder
 * is in cfg->root (fds holds cfg->ngrants numbers). */
void config_resolve_grants(struct config *cfg, const cloudabi_fd_t *fds);

/*
 * Adds key/value pairs (items alternate key, value; keys are strings) to
 * the top-level map; a null root becomes a map.  Returns -1 after printing
 * an error if the root is not a map or a key is already present there.
 * `name` names the configuration in messages.
 */
int config_add_entries(struct config *cfg, const char *name,
		       const struct argdata_node *items, size_t nitems);

/* A grant option's description and the strings it points into (not to be
 * copied: desc points into it). */
struct config_grant_option {
	struct grant_desc desc;
	char flag[32];   /* "--dir" */
	char origin[96]; /* "--dir data", kept by --print-grants */
};

/*
 * Describes the grant option --OPTION NAME=VALUE (option "fd", "dir",
 * "dir-rw", "file", "file-rw" or "socket"), opening nothing; VALUE must
 * outlive the description.  Returns 0, or -1 after printing why VALUE is
 * not one the option takes.
 */
int config_grant_option(struct config_grant_option *opt, const char *option,
			const char *name, const char *value);

/* --fd's VALUE (stdin, stdout, stderr or a number up to 2^20) as the
 * descriptor it names, or -1. */
int config_host_fd(const char *value);

/* Frees everything the configuration allocated (not the grants). */
void config_free(struct config *cfg);

#endif

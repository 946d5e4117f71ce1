/* cmdline.h: runc's command line as engines give it: global flags, a
 * subcommand, its flags, the container ID. */
#ifndef CAPBOX_OCI_CMDLINE_H
#define CAPBOX_OCI_CMDLINE_H

#include <stdbool.h>

struct oci_cmdline {
	int argc;
	char **argv;
	int sub;                /* argv index of the subcommand, or argc */
	int id;                 /* argv index of the container ID, or argc */
	const char *root;       /* --root, or NULL (runc's default) */
	const char *log;        /* --log FILE, or NULL */
	const char *log_format; /* --log-format json|text, or NULL */
	bool version;           /* --version / -v before any subcommand */
	bool help;              /* --help / -h before any subcommand */
};

/* Splits argv as runc (urfave/cli) does: flags take one or two dashes and
 * "=VALUE" or the next word; the subcommand's flags end at its first
 * positional word, the container ID.  Never fails: words it does not know
 * are left for runc to judge. */
void cmdline_parse(struct oci_cmdline *c, int argc, char **argv);

/* The value of the subcommand's flag NAME (or its one-letter ALIAS, or
 * NULL) given before the ID, or NULL.  A flag given twice: the last. */
const char *cmdline_value(const struct oci_cmdline *c, const char *name,
			  const char *alias);

/* Whether the subcommand's boolean flag NAME (or ALIAS) is given. */
bool cmdline_flag(const struct oci_cmdline *c, const char *name,
		  const char *alias);

/*
 * runc's argv for a container kept under the runtime's own state: runc,
 * the global flags without --root, "--root RUNC_ROOT", the subcommand,
 * "--bundle BUNDLE" when BUNDLE is not NULL (and no other --bundle), its
 * other flags, the ID and what follows.  Returns a NULL-terminated array
 * (malloc'd; its strings are argv's) or NULL when out of memory.
 */
char **cmdline_for_runc(const struct oci_cmdline *c, const char *runc,
			const char *runc_root, const char *bundle);

#endif

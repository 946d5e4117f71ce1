/* print_grants.c: --print-grants: every descriptor the program is handed, its type, rights and origin. */
#include "cli/print_grants.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker/captable.h"
#include "broker/diag.h"
#include "broker/grant.h"
#include "common/abi_names.h"

static void print_rights(FILE *out, cloudabi_rights_t rights)
{
	if (rights == 0) {
		fputs("none", out);
		return;
	}
	const char *sep = "";
	for (int bit = 0; bit < 64; bit++) {
		cloudabi_rights_t r = (cloudabi_rights_t)1 << bit;
		if (!(rights & r))
			continue;
		const char *name = cloudabi_right_name(r);
		if (name != NULL)
			fprintf(out, "%s%s", sep, name);
		else
			fprintf(out, "%s1<<%d", sep, bit);
		sep = "|";
	}
}

static void print_fd(FILE *out, const char *key, uint32_t fd, struct guest *g)
{
	struct cap *cap = captable_get(&g->caps, fd);
	fprintf(out, "%s: fd %u", key, fd);
	if (cap == NULL) {
		fputs(", not held\n", out);
		return;
	}
	const char *type = cloudabi_filetype_name(cap->type);
	fprintf(out, ", %s, base ", type != NULL ? type : "unknown");
	print_rights(out, cap->rights.base);
	fputs(", inheriting ", out);
	print_rights(out, cap->rights.inheriting);
	const char *origin = grant_origin(fd);
	const char *bound = grant_bound_address(fd);
	fprintf(out, ", from %s", origin != NULL ? origin : "capbox");
	if (bound != NULL)
		fprintf(out, ", bound to %s", bound);
	fputc('\n', out);
}

/* Walks the tree; key is the path so far (at most size bytes). */
static void walk(FILE *out, const struct argdata_node *n, char *key,
		 size_t size, struct guest *g, int depth)
{
	if (depth > ARGDATA_MAX_DEPTH)
		return;
	size_t len = strlen(key);
	switch (n->kind) {
	case ARGDATA_NODE_FD:
		print_fd(out, len != 0 ? key : "(root)", n->v.fd, g);
		return;
	case ARGDATA_NODE_MAP:
		for (size_t i = 0; i + 1 < n->v.list.count; i += 2) {
			const struct argdata_node *k = &n->v.list.items[i];
			if (k->kind == ARGDATA_NODE_STR)
				snprintf(key + len, size - len, "%s%.*s",
					 len != 0 ? "." : "",
					 (int)k->v.bytes.len,
					 (const char *)k->v.bytes.ptr);
			else
				snprintf(key + len, size - len, "%s(key %zu)",
					 len != 0 ? "." : "", i / 2);
			walk(out, &n->v.list.items[i + 1], key, size, g,
			     depth + 1);
			key[len] = '\0';
		}
		return;
	case ARGDATA_NODE_SEQ:
		for (size_t i = 0; i < n->v.list.count; i++) {
			snprintf(key + len, size - len, "[%zu]", i);
			walk(out, &n->v.list.items[i], key, size, g, depth + 1);
			key[len] = '\0';
		}
		return;
	default:
		return;
	}
}

int print_grants(const struct argdata_node *root, struct guest *g,
		 const char *path)
{
	char key[512] = "";
	if (path == NULL) {
		walk(stderr, root, key, sizeof(key), g, 0);
		return 0;
	}
	size_t tmp_len = strlen(path) + sizeof(".tmp");
	char *tmp = malloc(tmp_len);
	if (tmp == NULL) {
		diag_warn("--print-grants=%s: out of memory", path);
		return -1;
	}
	snprintf(tmp, tmp_len, "%s.tmp", path);
	FILE *out = fopen(tmp, "we");
	if (out == NULL) {
		diag_warn_errno("--print-grants=%s", tmp);
		free(tmp);
		return -1;
	}
	walk(out, root, key, sizeof(key), g, 0);
	int failed = ferror(out) | (fclose(out) != 0);
	if (failed || rename(tmp, path) != 0) {
		diag_warn_errno("--print-grants=%s", path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

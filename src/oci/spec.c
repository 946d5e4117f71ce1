/* spec.c: a bundle's config.json (the OCI runtime specification), loaded with
 * json-c as hostile input: bounded, every field read type-checked. */
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* Reads the whole of BUNDLE/config.json, a regular file of at most
 * SPEC_MAX_BYTES, into a malloc'd buffer. */
static char *read_config(const char *bundle, size_t *len)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/config.json", bundle) >=
	    (int)sizeof(path))
		oci_die("bundle path too long: %.200s...", bundle);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		oci_die("open %s: %s", path,
			errno == ENOENT ? "no such file or directory"
					: strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		oci_die("%s: not a regular file", path);
	if (st.st_size > (off_t)SPEC_MAX_BYTES)
		oci_die("%s: %lld bytes, more than capbox-oci reads (%u)", path,
			(long long)st.st_size, SPEC_MAX_BYTES);
	char *buf = malloc(SPEC_MAX_BYTES + 1);
	if (buf == NULL)
		oci_die("%s: out of memory", path);
	size_t got = 0;
	for (;;) {
		ssize_t n = read(fd, buf + got, SPEC_MAX_BYTES + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			oci_die("read %s: %s", path, strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > SPEC_MAX_BYTES)
			oci_die("%s: grew beyond %u bytes while read", path,
				SPEC_MAX_BYTES);
	}
	close(fd);
	*len = got;
	return buf;
}

/* The member KEY of object OBJ (named WHERE in errors) if present, which
 * must then be of type TYPE; NULL if absent. */
static struct json_object *member(struct json_object *obj, const char *where,
				  const char *key, json_type type)
{
	struct json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, type))
		oci_die("config.json: %s.%s: expected %s, got %s", where, key,
			json_type_to_name(type),
			json_type_to_name(json_object_get_type(v)));
	return v;
}

/* A string value, checked for length and embedded NUL bytes. */
static const char *string_of(struct json_object *v, const char *where)
{
	int len = json_object_get_string_len(v);
	const char *s = json_object_get_string(v);
	if (len < 0 || len > SPEC_MAX_STRING)
		oci_die("config.json: %s: longer than %d bytes", where,
			SPEC_MAX_STRING);
	if (s == NULL || strlen(s) != (size_t)len)
		oci_die("config.json: %s: holds a NUL byte", where);
	return s;
}

static void load_args(struct spec *s, struct json_object *process)
{
	struct json_object *args = member(process, "process", "args",
					  json_type_array);
	size_t n = args != NULL ? json_object_array_length(args) : 0;
	if (n == 0)
		oci_die("config.json: process.args: args must not be empty");
	if (n > SPEC_MAX_ARGS)
		oci_die("config.json: process.args: %zu words, more than %d", n,
			SPEC_MAX_ARGS);
	const char **list = calloc(n + 1, sizeof(*list));
	if (list == NULL)
		oci_die("config.json: out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *w = json_object_array_get_idx(args, i);
		char where[64];
		snprintf(where, sizeof(where), "process.args[%zu]", i);
		if (w == NULL || !json_object_is_type(w, json_type_string))
			oci_die("config.json: %s: expected string", where);
		list[i] = string_of(w, where);
	}
	if (list[0][0] == '\0')
		oci_die("config.json: process.args[0]: empty");
	s->args = list;
	s->nargs = n;
}

static void load_env(struct spec *s, struct json_object *process)
{
	struct json_object *env = member(process, "process", "env",
					 json_type_array);
	size_t n = env != NULL ? json_object_array_length(env) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *w = json_object_array_get_idx(env, i);
		if (w == NULL || !json_object_is_type(w, json_type_string))
			oci_die("config.json: process.env[%zu]: expected string",
				i);
		const char *e = string_of(w, "process.env");
		if (strncmp(e, "PATH=", 5) == 0)
			s->path_env = e + 5;
	}
}

void spec_load(struct spec *s, const char *bundle)
{
	memset(s, 0, sizeof(*s));
	size_t len;
	char *text = read_config(bundle, &len);
	struct json_tokener *tok = json_tokener_new_ex(SPEC_MAX_DEPTH);
	if (tok == NULL)
		oci_die("config.json: out of memory");
	struct json_object *doc = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error err = json_tokener_get_error(tok);
	if (doc == NULL || err != json_tokener_success)
		oci_die("config.json: not valid JSON: %s at byte %zu",
			err == json_tokener_continue
				? "unexpected end"
				: json_tokener_error_desc(err),
			json_tokener_get_parse_end(tok));
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		if (strchr(" \t\r\n", text[i]) == NULL || text[i] == '\0')
			oci_die("config.json: text after the JSON document at byte %zu",
				i);
	json_tokener_free(tok);
	free(text);
	if (!json_object_is_type(doc, json_type_object))
		oci_die("config.json: expected an object at the top");
	s->doc = doc;

	struct json_object *root = member(doc, "", "root", json_type_object);
	struct json_object *path = root != NULL ? member(root, "root", "path",
							 json_type_string)
						: NULL;
	if (path == NULL)
		oci_die("config.json: root.path: missing");
	s->root_path = string_of(path, "root.path");
	if (s->root_path[0] == '\0')
		oci_die("config.json: root.path: empty");

	struct json_object *process = member(doc, "", "process",
					     json_type_object);
	if (process == NULL)
		oci_die("config.json: process: missing");
	load_args(s, process);
	load_env(s, process);
	struct json_object *cwd = member(process, "process", "cwd",
					 json_type_string);
	s->cwd = cwd != NULL ? string_of(cwd, "process.cwd") : "/";
	if (s->cwd[0] != '/')
		oci_die("config.json: process.cwd: must be an absolute path");

	struct json_object *notes = member(doc, "", "annotations",
					   json_type_object);
	struct json_object *handler = notes != NULL
					      ? member(notes, "annotations",
						       "run.oci.handler",
						       json_type_string)
					      : NULL;
	s->handler = handler != NULL
			     ? string_of(handler, "annotations.run.oci.handler")
			     : NULL;
}

void spec_free(struct spec *s)
{
	free((void *)s->args);
	json_object_put(s->doc);
	memset(s, 0, sizeof(*s));
}

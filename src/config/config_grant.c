/* config_grant.c: the CloudABI tags of a configuration (!fd, !file, !socket, !executable) opened as grants. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "broker/grant.h"
#include "common/abi_names.h"

/* One key of a grant's mapping: a scalar, or a list of scalars. */
struct field {
	const char *key;
	bool list;
	bool present;
	yaml_mark_t mark; /* of the value */
	const char *value;
	size_t nitems;
	const char **items;
	yaml_mark_t *marks;
};

static struct field *find_field(struct field *fields, const char *key)
{
	for (; fields->key != NULL; fields++) {
		if (strcmp(fields->key, key) == 0)
			return fields;
	}
	return NULL;
}

/* Values inside a grant are untagged or !!str. */
static bool plain_tag(const char *tag)
{
	return tag == NULL || strcmp(tag, "!") == 0 ||
	       strcmp(tag, CONFIG_TAG_YAML "str") == 0;
}

static int read_list(struct config_builder *b, const char *tagname,
		     struct field *f)
{
	const char **items = NULL;
	yaml_mark_t *marks = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	for (;;) {
		yaml_event_t ev;
		int more = config_next_item(b, YAML_SEQUENCE_END_EVENT, &ev);
		if (more <= 0) {
			r = more;
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT ||
		    !plain_tag((const char *)ev.data.scalar.tag)) {
			config_error(b, ev.start_mark,
				     "%s: %s: expected a list of right names",
				     tagname, f->key);
			yaml_event_delete(&ev);
			r = -1;
			break;
		}
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			const char **ni = realloc(items, cap * sizeof(*ni));
			if (ni != NULL)
				items = ni;
			yaml_mark_t *nm = realloc(marks, cap * sizeof(*nm));
			if (nm != NULL)
				marks = nm;
			if (ni == NULL || nm == NULL) {
				config_error(b, ev.start_mark, "out of memory");
				yaml_event_delete(&ev);
				r = -1;
				break;
			}
		}
		items[n] = config_strndup(b, (const char *)ev.data.scalar.value,
					  ev.data.scalar.length);
		marks[n] = ev.start_mark;
		yaml_event_delete(&ev);
		if (items[n++] == NULL) {
			r = -1;
			break;
		}
	}
	if (r == 0 && n > 0) {
		f->items = config_alloc(b, n * sizeof(*items));
		f->marks = config_alloc(b, n * sizeof(*marks));
		if (f->items == NULL || f->marks == NULL) {
			r = -1;
		} else {
			memcpy(f->items, items, n * sizeof(*items));
			memcpy(f->marks, marks, n * sizeof(*marks));
			f->nitems = n;
		}
	}
	free(items);
	free(marks);
	return r;
}

/* "path, access, rights, inheriting or no" */
static void key_list(const struct field *fields, char *buf, size_t cap)
{
	size_t n = 0, used = 0;
	for (const struct field *f = fields; f->key != NULL; f++)
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		int w = snprintf(buf + used, cap - used, "%s%s",
				 i == 0       ? ""
				 : i + 1 == n ? " or "
					      : ", ",
				 fields[i].key);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* Reads a grant's mapping (after its MAPPING-START) into fields. */
static int read_fields(struct config_builder *b, const char *tagname,
		       struct field *fields)
{
	char expected[256];
	key_list(fields, expected, sizeof(expected));
	for (;;) {
		yaml_event_t key;
		int more = config_next_item(b, YAML_MAPPING_END_EVENT, &key);
		if (more <= 0)
			return more;
		struct field *f = NULL;
		if (key.type == YAML_SCALAR_EVENT &&
		    plain_tag((const char *)key.data.scalar.tag))
			f = find_field(fields,
				       (const char *)key.data.scalar.value);
		if (f == NULL || f->present) {
			if (f != NULL)
				config_error(b, key.start_mark,
					     "%s: duplicate key '%s'", tagname,
					     f->key);
			else if (key.type == YAML_SCALAR_EVENT)
				config_error(
					b, key.start_mark,
					"%s: unknown key '%.100s' (expected %s)",
					tagname,
					(const char *)key.data.scalar.value,
					expected);
			else
				config_error(b, key.start_mark,
					     "%s: expected a key (%s)", tagname,
					     expected);
			yaml_event_delete(&key);
			return -1;
		}
		yaml_event_delete(&key);
		f->present = true;
		yaml_event_t ev;
		if (config_next_event(b, &ev) != 0)
			return -1;
		f->mark = ev.start_mark;
		int r = 0;
		if (ev.type == YAML_SCALAR_EVENT && !f->list &&
		    plain_tag((const char *)ev.data.scalar.tag)) {
			f->value = config_strndup(
				b, (const char *)ev.data.scalar.value,
				ev.data.scalar.length);
			if (f->value == NULL)
				r = -1;
			else if (strlen(f->value) != ev.data.scalar.length) {
				config_error(b, ev.start_mark,
					     "%s: %s: contains a NUL character",
					     tagname, f->key);
				r = -1;
			}
		} else if (ev.type == YAML_SEQUENCE_START_EVENT && f->list) {
			r = read_list(b, tagname, f);
		} else if (ev.type == YAML_ALIAS_EVENT) {
			config_error(
				b, ev.start_mark,
				"%s: %s: aliases are not allowed inside a grant",
				tagname, f->key);
			r = -1;
		} else {
			config_error(
				b, ev.start_mark,
				f->list ? "%s: %s: expected a list such as [fd_read, file_open]"
					: "%s: %s: expected a single text value",
				tagname, f->key);
			r = -1;
		}
		yaml_event_delete(&ev);
		if (r != 0)
			return -1;
	}
}

/* The fuzzing seam (config.h): true when opts->grant_hook stands in for
 * opening the grant; *r is then its result. */
static bool hooked(struct config_builder *b, const char *tag,
		   const struct grant_rights *narrow, cloudabi_fd_t *fd, int *r)
{
	if (b->opts->grant_hook == NULL)
		return false;
	*r = b->opts->grant_hook(b->opts->grant_hook_ctx, tag, narrow, fd);
	if (*r != 0)
		b->failed = true;
	return true;
}

/* Parses a list of right names into a set. */
static int rights_of(struct config_builder *b, const char *tagname,
		     const struct field *f, cloudabi_rights_t *out)
{
	*out = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		cloudabi_rights_t bit;
		if (cloudabi_right_from_name(f->items[i], strlen(f->items[i]),
					     &bit) != 0) {
			config_error(
				b, f->marks[i],
				"%s: %s: unknown right '%.100s' (rights are named as in the CloudABI specification, e.g. fd_read)",
				tagname, f->key, f->items[i]);
			return -1;
		}
		*out |= bit;
	}
	return 0;
}

/* The narrowing keys shared by !file and !socket. */
#define NARROWING_FIELDS                                                       \
	{.key = "rights", .list = true}, {.key = "inheriting", .list = true},  \
	{                                                                      \
		.key = "no", .list = true                                      \
	}

static int narrowing(struct config_builder *b, const char *tagname,
		     struct field *fields, struct grant_rights *out)
{
	*out = (struct grant_rights){0};
	struct field *f = find_field(fields, "access");
	bool asks_access = f != NULL && f->present;
	if (asks_access) {
		if (strcmp(f->value, "read-only") == 0)
			out->read_only = true;
		else if (strcmp(f->value, "read-write") != 0) {
			config_error(
				b, f->mark,
				"%s: access: expected read-only or read-write",
				tagname);
			return -1;
		}
	}
	f = find_field(fields, "rights");
	/* As cloudabi-run, which opens every !file O_RDONLY: a regular file
	 * is read-only unless the grant asks for access or exact rights. */
	out->read_only_file = !asks_access && !f->present;
	if (f->present) {
		out->has_base = true;
		if (rights_of(b, tagname, f, &out->base) != 0)
			return -1;
	}
	f = find_field(fields, "inheriting");
	if (f->present) {
		out->has_inheriting = true;
		if (rights_of(b, tagname, f, &out->inheriting) != 0)
			return -1;
	}
	f = find_field(fields, "no");
	if (f->present && rights_of(b, tagname, f, &out->removed) != 0)
		return -1;
	return 0;
}

static int check_path(struct config_builder *b, const char *tagname,
		      const struct field *f)
{
	if (f->value[0] == '\0') {
		config_error(b, f->mark, "%s: %s: expected a non-empty path",
			     tagname, f->key);
		return -1;
	}
	if (strlen(f->value) > CONFIG_MAX_PATH) {
		config_error(b, f->mark, "%s: %s: longer than %d bytes",
			     tagname, f->key, CONFIG_MAX_PATH);
		return -1;
	}
	return 0;
}

static int expect_mapping(struct config_builder *b, const yaml_event_t *ev,
			  const char *tagname, const char *example)
{
	if (ev->type == YAML_MAPPING_START_EVENT)
		return 0;
	config_error(b, ev->start_mark, "%s: expected a mapping such as %s",
		     tagname, example);
	return -1;
}

static int grant_fd(struct config_builder *b, const yaml_event_t *ev,
		    const char *where, cloudabi_fd_t *fd)
{
	static const char *const names[] = {"stdin", "stdout", "stderr"};
	const char *expected =
		"!fd: expected stdin, stdout, stderr or a descriptor number";
	if (ev->type != YAML_SCALAR_EVENT) {
		config_error(b, ev->start_mark, "%s", expected);
		return -1;
	}
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int host = -1;
	for (int i = 0; i < 3; i++) {
		if (strcmp(s, names[i]) == 0)
			host = i;
	}
	if (host < 0 && len > 0 && len <= 7 && strspn(s, "0123456789") == len)
		host = atoi(s);
	if (host < 0) {
		config_error(b, ev->start_mark, "%s", expected);
		return -1;
	}
	int r;
	if (hooked(b, "fd", NULL, fd, &r))
		return r;
	if (grant_host_fd(b->g, where, host, s, fd) != 0) {
		b->failed = true; /* the grant printed why */
		return -1;
	}
	return 0;
}

static int grant_file(struct config_builder *b, const yaml_event_t *ev,
		      const char *where, cloudabi_fd_t *fd)
{
	if (expect_mapping(b, ev, "!file", "{path: data}") != 0)
		return -1;
	struct field fields[] = {{.key = "path"},
				 {.key = "access"},
				 NARROWING_FIELDS,
				 {.key = NULL}};
	struct grant_rights narrow;
	if (read_fields(b, "!file", fields) != 0)
		return -1;
	if (!fields[0].present) {
		config_error(b, ev->start_mark, "!file: expected a path key");
		return -1;
	}
	if (check_path(b, "!file", &fields[0]) != 0 ||
	    narrowing(b, "!file", fields, &narrow) != 0)
		return -1;
	int r;
	if (hooked(b, "file", &narrow, fd, &r))
		return r;
	if (grant_path(b->g, where, fields[0].value, &narrow, fd) != 0) {
		b->failed = true; /* the grant printed why */
		return -1;
	}
	return 0;
}

static int grant_socket_tag(struct config_builder *b, const yaml_event_t *ev,
			    const char *where, cloudabi_fd_t *fd)
{
	if (expect_mapping(b, ev, "!socket", "{bind: 127.0.0.1:8080}") != 0)
		return -1;
	struct field fields[] = {{.key = "bind"},
				 {.key = "connect"},
				 {.key = "type"},
				 NARROWING_FIELDS,
				 {.key = NULL}};
	if (read_fields(b, "!socket", fields) != 0)
		return -1;
	if (fields[0].present == fields[1].present) {
		config_error(
			b, ev->start_mark,
			"!socket: expected exactly one of bind and connect");
		return -1;
	}
	struct field *addr = fields[0].present ? &fields[0] : &fields[1];
	enum grant_socket_type type = GRANT_SOCKET_STREAM;
	if (fields[2].present) {
		if (strcmp(fields[2].value, "dgram") == 0)
			type = GRANT_SOCKET_DGRAM;
		else if (strcmp(fields[2].value, "seqpacket") == 0)
			type = GRANT_SOCKET_SEQPACKET;
		else if (strcmp(fields[2].value, "stream") != 0) {
			config_error(
				b, fields[2].mark,
				"!socket: type: expected stream, dgram or seqpacket");
			return -1;
		}
	}
	struct grant_rights narrow;
	if (check_path(b, "!socket", addr) != 0 ||
	    narrowing(b, "!socket", fields, &narrow) != 0)
		return -1;
	int r;
	if (hooked(b, "socket", &narrow, fd, &r))
		return r;
	if (grant_socket(b->g, where, addr->value,
			 fields[0].present ? GRANT_SOCKET_BIND
					   : GRANT_SOCKET_CONNECT,
			 type, &narrow, fd) != 0) {
		b->failed = true; /* the grant printed why */
		return -1;
	}
	return 0;
}

static int grant_executable_tag(struct config_builder *b,
				const yaml_event_t *ev, const char *where,
				cloudabi_fd_t *fd)
{
	const char *path;
	if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length == 0) {
		path = b->opts->program;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		struct field fields[] = {{.key = "path"}, {.key = NULL}};
		if (read_fields(b, "!executable", fields) != 0)
			return -1;
		if (!fields[0].present) {
			config_error(b, ev->start_mark,
				     "!executable: expected a path key");
			return -1;
		}
		if (check_path(b, "!executable", &fields[0]) != 0)
			return -1;
		path = fields[0].value;
	} else {
		config_error(
			b, ev->start_mark,
			"!executable: expected nothing (the program itself) or a mapping such as {path: prog}");
		return -1;
	}
	int r;
	if (hooked(b, "executable", NULL, fd, &r))
		return r;
	if (grant_executable(b->g, where, path, fd) != 0) {
		b->failed = true; /* the grant printed why */
		return -1;
	}
	return 0;
}

int config_grant(struct config_builder *b, const yaml_event_t *ev,
		 struct argdata_node *out)
{
	static const struct {
		const char *name;
		int (*fn)(struct config_builder *, const yaml_event_t *,
			  const char *, cloudabi_fd_t *);
	} tags[] = {
		{"fd", grant_fd},
		{"file", grant_file},
		{"socket", grant_socket_tag},
		{"executable", grant_executable_tag},
	};
	const char *tag = (const char *)(ev->type == YAML_SCALAR_EVENT
						 ? ev->data.scalar.tag
					 : ev->type == YAML_MAPPING_START_EVENT
						 ? ev->data.mapping_start.tag
						 : ev->data.sequence_start.tag);
	const char *name = tag + strlen(CONFIG_TAG_CLOUDABI);
	char where[512];
	config_where(b, ev->start_mark, where, sizeof(where));
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (strcmp(name, tags[i].name) != 0)
			continue;
		cloudabi_fd_t fd;
		if (tags[i].fn(b, ev, where, &fd) != 0)
			return -1;
		*out = argdata_node_fd(fd);
		return 0;
	}
	config_error(
		b, ev->start_mark,
		"unknown tag !%.100s (expected !fd, !file, !socket or !executable)",
		name);
	return -1;
}

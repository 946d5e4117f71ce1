/* config_grant.c: the CloudABI tags of a configuration (!fd, !file, !socket, !executable) described as grants, nothing opened. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "common/abi_names.h"
#include "protocol/hypercall.h"

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

/* A CloudABI tag being read: its node, its name for messages ("!file")
 * and the keys its mapping may have. */
struct tag {
	struct config_builder *b;
	const yaml_event_t *ev;
	const char *name;
	struct field *fields;
};

/*
 * The key `key` of the tag's mapping: 1 with *f if the grant gave it, 0 if
 * not, -1 after an error if the tag has no such key (a mistake in this
 * file, refused rather than read through NULL).
 */
static int field(const struct tag *t, const char *key, struct field **f)
{
	*f = find_field(t->fields, key);
	if (*f == NULL) {
		config_error(t->b, t->ev->start_mark,
			     "%s: internal error: no key '%s'", t->name, key);
		return -1;
	}
	return (*f)->present ? 1 : 0;
}

/* Reads the tag's mapping; -1 after an error if it is not one. */
static int read_mapping(const struct tag *t, const char *example)
{
	if (t->ev->type != YAML_MAPPING_START_EVENT) {
		config_error(t->b, t->ev->start_mark,
			     "%s: expected a mapping such as %s", t->name,
			     example);
		return -1;
	}
	return read_fields(t->b, t->name, t->fields);
}

/* The narrowing keys shared by !file and !socket. */
#define NARROWING_FIELDS                                                       \
	{.key = "rights", .list = true}, {.key = "inheriting", .list = true},  \
	{                                                                      \
		.key = "no", .list = true                                      \
	}

/* A set of rights from the list `key`, if the grant gave it: 1 with the
 * set in *set, 0 if not given, -1 after an error. */
static int rights_field(const struct tag *t, const char *key,
			cloudabi_rights_t *set)
{
	struct field *f;
	int given = field(t, key, &f);
	if (given <= 0)
		return given;
	return rights_of(t->b, t->name, f, set) != 0 ? -1 : 1;
}

/* The narrowing keys (and access, for a tag that has it) into *out. */
static int narrowing(const struct tag *t, bool has_access,
		     struct grant_rights *out)
{
	*out = (struct grant_rights){0};
	struct field *f;
	int asks_access = has_access ? field(t, "access", &f) : 0;
	if (asks_access < 0)
		return -1;
	if (asks_access) {
		if (strcmp(f->value, "read-only") == 0)
			out->read_only = true;
		else if (strcmp(f->value, "read-write") != 0) {
			config_error(
				t->b, f->mark,
				"%s: access: expected read-only or read-write",
				t->name);
			return -1;
		}
	}
	int base = rights_field(t, "rights", &out->base);
	if (base < 0)
		return -1;
	/* As cloudabi-run, which opens every !file O_RDONLY: a regular file
	 * is read-only unless the grant asks for access or exact rights. */
	out->read_only_file = !asks_access && !base;
	out->has_base = base;
	int inheriting = rights_field(t, "inheriting", &out->inheriting);
	if (inheriting < 0)
		return -1;
	out->has_inheriting = inheriting;
	return rights_field(t, "no", &out->removed) < 0 ? -1 : 0;
}

/* The path (or address) under `key`, which the grant must give: its
 * value, or NULL after an error. */
static const char *path_field(const struct tag *t, const char *key)
{
	struct field *f;
	int given = field(t, key, &f);
	if (given <= 0) {
		if (given == 0)
			config_error(t->b, t->ev->start_mark,
				     "%s: expected a %s key", t->name, key);
		return NULL;
	}
	if (f->value[0] == '\0') {
		config_error(t->b, f->mark, "%s: %s: expected a non-empty path",
			     t->name, f->key);
		return NULL;
	}
	if (strlen(f->value) > CONFIG_MAX_PATH) {
		config_error(t->b, f->mark, "%s: %s: longer than %d bytes",
			     t->name, f->key, CONFIG_MAX_PATH);
		return NULL;
	}
	return f->value;
}

static int describe_fd(struct tag *t, struct grant_desc *desc)
{
	static const char *const names[] = {"stdin", "stdout", "stderr"};
	const char *expected =
		"!fd: expected stdin, stdout, stderr or a descriptor number";
	const yaml_event_t *ev = t->ev;
	if (ev->type != YAML_SCALAR_EVENT) {
		config_error(t->b, ev->start_mark, "%s", expected);
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
		config_error(t->b, ev->start_mark, "%s", expected);
		return -1;
	}
	desc->kind = GRANT_KIND_FD;
	desc->host_fd = host;
	desc->path = config_strndup(t->b, s, len);
	return desc->path != NULL ? 0 : -1;
}

static int describe_file(struct tag *t, struct grant_desc *desc)
{
	struct field fields[] = {{.key = "path"},
				 {.key = "access"},
				 NARROWING_FIELDS,
				 {.key = NULL}};
	t->fields = fields;
	if (read_mapping(t, "{path: data}") != 0)
		return -1;
	desc->kind = GRANT_KIND_PATH;
	desc->path = path_field(t, "path");
	if (desc->path == NULL || narrowing(t, true, &desc->narrow) != 0)
		return -1;
	return 0;
}

int config_socket_type(const char *name, size_t len,
		       enum grant_socket_type *type)
{
	static const struct {
		const char *name;
		enum grant_socket_type type;
	} types[] = {
		{"stream", GRANT_SOCKET_STREAM},
		{"dgram", GRANT_SOCKET_DGRAM},
		{"seqpacket", GRANT_SOCKET_SEQPACKET},
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strlen(types[i].name) == len &&
		    memcmp(name, types[i].name, len) == 0) {
			*type = types[i].type;
			return 0;
		}
	}
	return -1;
}

/* The socket's type key, stream when not given. */
static int socket_type(const struct tag *t, enum grant_socket_type *type)
{
	struct field *f;
	int given = field(t, "type", &f);
	*type = GRANT_SOCKET_STREAM;
	if (given <= 0)
		return given;
	if (config_socket_type(f->value, strlen(f->value), type) == 0)
		return 0;
	config_error(t->b, f->mark,
		     "!socket: type: expected stream, dgram or seqpacket");
	return -1;
}

static int describe_socket(struct tag *t, struct grant_desc *desc)
{
	struct field fields[] = {{.key = "bind"},
				 {.key = "connect"},
				 {.key = "type"},
				 NARROWING_FIELDS,
				 {.key = NULL}};
	t->fields = fields;
	if (read_mapping(t, "{bind: 127.0.0.1:8080}") != 0)
		return -1;
	struct field *f;
	int bind = field(t, "bind", &f), connect = field(t, "connect", &f);
	if (bind < 0 || connect < 0)
		return -1;
	if (bind == connect) {
		config_error(
			t->b, t->ev->start_mark,
			"!socket: expected exactly one of bind and connect");
		return -1;
	}
	desc->kind = GRANT_KIND_SOCKET;
	desc->mode = bind ? GRANT_SOCKET_BIND : GRANT_SOCKET_CONNECT;
	if (socket_type(t, &desc->type) != 0)
		return -1;
	desc->path = path_field(t, bind ? "bind" : "connect");
	if (desc->path == NULL || narrowing(t, false, &desc->narrow) != 0)
		return -1;
	return 0;
}

static int describe_executable(struct tag *t, struct grant_desc *desc)
{
	const yaml_event_t *ev = t->ev;
	desc->kind = GRANT_KIND_EXECUTABLE;
	if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length == 0) {
		desc->path = t->b->opts->program;
		return 0;
	}
	if (ev->type != YAML_MAPPING_START_EVENT) {
		config_error(
			t->b, ev->start_mark,
			"!executable: expected nothing (the program itself) or a mapping such as {path: prog}");
		return -1;
	}
	struct field fields[] = {{.key = "path"}, {.key = NULL}};
	t->fields = fields;
	if (read_fields(t->b, t->name, fields) != 0)
		return -1;
	desc->path = path_field(t, "path");
	return desc->path != NULL ? 0 : -1;
}

/* Adds desc, asked for at mark, to the configuration's grants; *out is
 * the placeholder that config_resolve_grants replaces. */
static int add_grant(struct config_builder *b, yaml_mark_t mark,
		     struct grant_desc *desc, struct argdata_node *out)
{
	struct config *cfg = b->cfg;
	char where[512];
	config_where(b, mark, where, sizeof(where));
	desc->where = config_strndup(b, where, strlen(where));
	if (desc->where == NULL)
		return -1;
	/* More could never be opened: a process's table holds no more. */
	const struct config_options *o = b->opts;
	unsigned table = o->table_size != 0 ? o->table_size
					    : CAPBOX_GUEST_FD_LIMIT;
	unsigned most = o->table_size != 0 ? o->max_grants
					   : CAPBOX_GUEST_FD_LIMIT;
	if (cfg->ngrants >= most) {
		config_error(
			b, mark,
			"too many descriptors for one program (at most %u)",
			table);
		return -1;
	}
	if (cfg->ngrants == cfg->grants_cap) {
		size_t cap = cfg->grants_cap == 0 ? 8 : cfg->grants_cap * 2;
		struct grant_desc *grown =
			cap > CONFIG_MAX_NODES
				? NULL
				: realloc(cfg->grants, cap * sizeof(*grown));
		if (grown == NULL) {
			config_error(b, mark, "out of memory");
			return -1;
		}
		cfg->grants = grown;
		cfg->grants_cap = cap;
	}
	cfg->grants[cfg->ngrants] = *desc;
	*out = argdata_node_fd(CONFIG_GRANT_PLACEHOLDER +
			       (uint32_t)cfg->ngrants);
	cfg->ngrants++;
	return 0;
}

int config_grant(struct config_builder *b, const yaml_event_t *ev,
		 struct argdata_node *out)
{
	static const struct {
		const char *name;
		int (*describe)(struct tag *, struct grant_desc *);
	} tags[] = {
		{"fd", describe_fd},
		{"file", describe_file},
		{"socket", describe_socket},
		{"executable", describe_executable},
	};
	const char *tag = (const char *)(ev->type == YAML_SCALAR_EVENT
						 ? ev->data.scalar.tag
					 : ev->type == YAML_MAPPING_START_EVENT
						 ? ev->data.mapping_start.tag
						 : ev->data.sequence_start.tag);
	const char *name = tag + strlen(CONFIG_TAG_CLOUDABI);
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (strcmp(name, tags[i].name) != 0)
			continue;
		char tagname[16];
		snprintf(tagname, sizeof(tagname), "!%s", tags[i].name);
		struct tag t = {.b = b, .ev = ev, .name = tagname};
		struct grant_desc desc = {0};
		if (tags[i].describe(&t, &desc) != 0)
			return -1;
		return add_grant(b, ev->start_mark, &desc, out);
	}
	config_error(
		b, ev->start_mark,
		"unknown tag !%.100s (expected !fd, !file, !socket or !executable)",
		name);
	return -1;
}

/* Replaces the placeholders under node; a shared subtree (an alias) is
 * met again with real numbers, which are below every placeholder. */
static void resolve(struct argdata_node *node, const cloudabi_fd_t *fds,
		    size_t nfds)
{
	if (node->kind == ARGDATA_NODE_FD) {
		uint32_t i = node->v.fd - CONFIG_GRANT_PLACEHOLDER;
		if (node->v.fd >= CONFIG_GRANT_PLACEHOLDER && i < nfds)
			node->v.fd = fds[i];
		return;
	}
	if (node->kind != ARGDATA_NODE_MAP && node->kind != ARGDATA_NODE_SEQ)
		return;
	/* Every node of a configuration lives in its arena, writable. */
	struct argdata_node *items = (struct argdata_node *)node->v.list.items;
	for (size_t i = 0; i < node->v.list.count; i++)
		resolve(&items[i], fds, nfds);
}

void config_resolve_grants(struct config *cfg, const cloudabi_fd_t *fds)
{
	resolve(&cfg->root, fds, cfg->ngrants);
}

/* config_yaml.c: walks libyaml's events into an argdata tree: collections, anchors, aliases, bounds, errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "broker/diag.h"
#include "protocol/hypercall.h"

void config_where(const struct config_builder *b, yaml_mark_t mark, char *buf,
		  size_t cap)
{
	snprintf(buf, cap, "%s:%zu:%zu", b->name, mark.line + 1,
		 mark.column + 1);
}

void config_error(struct config_builder *b, yaml_mark_t mark, const char *fmt,
		  ...)
{
	if (b->failed)
		return;
	b->failed = true;
	char where[512], msg[1024];
	config_where(b, mark, where, sizeof(where));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_warn("%s: %s", where, msg);
}

/* The mark of byte `offset` of the text (for reader errors). */
static yaml_mark_t mark_at(const struct config_builder *b, size_t offset)
{
	yaml_mark_t m = {0};
	for (size_t i = 0; i < offset && i < b->len; i++) {
		if (b->text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else if (((unsigned char)b->text[i] & 0xc0) != 0x80) {
			m.column++;
		}
	}
	m.index = offset;
	return m;
}

int config_next_event(struct config_builder *b, yaml_event_t *ev)
{
	if (yaml_parser_parse(&b->parser, ev))
		return 0;
	yaml_parser_t *p = &b->parser;
	switch (p->error) {
	case YAML_READER_ERROR:
		config_error(b, mark_at(b, p->problem_offset),
			     "not valid UTF-8 text: %s", p->problem);
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		if (p->context != NULL)
			config_error(
				b, p->problem_mark,
				"YAML syntax error: %s (%s that started at %zu:%zu)",
				p->problem, p->context,
				p->context_mark.line + 1,
				p->context_mark.column + 1);
		else
			config_error(b, p->problem_mark,
				     "YAML syntax error: %s", p->problem);
		break;
	default:
		config_error(b, p->mark, "YAML parser failed (out of memory)");
		break;
	}
	return -1;
}

int config_next_item(struct config_builder *b, yaml_event_type_t end,
		     yaml_event_t *ev)
{
	if (config_next_event(b, ev) != 0)
		return -1;
	if (ev->type != end)
		return 1;
	yaml_event_delete(ev);
	return 0;
}

int config_count(struct config_builder *b, yaml_mark_t mark,
		 struct config_weight w)
{
	if (w.nodes > CONFIG_MAX_NODES - b->total.nodes) {
		config_error(
			b, mark,
			"the configuration expands to more than %zu values (too many aliases?)",
			CONFIG_MAX_NODES);
		return -1;
	}
	if (w.bytes > CAPBOX_ARGDATA_MAX - b->total.bytes) {
		config_error(
			b, mark,
			"the configuration expands to more than %u MiB of argument data (too many aliases?)",
			(unsigned)(CAPBOX_ARGDATA_MAX >> 20));
		return -1;
	}
	b->total.nodes += w.nodes;
	b->total.bytes += w.bytes;
	return 0;
}

static const char *tag_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.tag;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.tag;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.tag;
	default:
		return NULL;
	}
}

static const char *anchor_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

bool config_is_cloudabi_tag(const char *tag)
{
	return tag != NULL && strncmp(tag, CONFIG_TAG_CLOUDABI,
				      strlen(CONFIG_TAG_CLOUDABI)) == 0;
}

void config_bad_tag(struct config_builder *b, const yaml_event_t *ev,
		    const char *kind)
{
	static const char *const known[] = {
		"str",    "int",       "bool", "float", "null",
		"binary", "timestamp", "seq",  "map",   NULL};
	const char *tag = tag_of(ev);
	size_t ylen = strlen(CONFIG_TAG_YAML);
	if (strncmp(tag, CONFIG_TAG_YAML, ylen) == 0) {
		for (const char *const *k = known; *k != NULL; k++) {
			if (strcmp(tag + ylen, *k) == 0) {
				config_error(b, ev->start_mark,
					     "!!%s cannot tag a %s", *k, kind);
				return;
			}
		}
		config_error(
			b, ev->start_mark,
			"unknown tag !!%s (expected !!str, !!int, !!bool, !!float, !!null, !!timestamp, !!binary, !!seq or !!map)",
			tag + ylen);
	} else if (tag[0] == '!') {
		config_error(
			b, ev->start_mark,
			"unknown tag %s (CloudABI tags need the line '%%TAG ! " CONFIG_TAG_CLOUDABI
			"' before '---')",
			tag);
	} else {
		config_error(b, ev->start_mark, "unknown tag <%s>", tag);
	}
}

static int parse_node(struct config_builder *b, yaml_event_t *ev, int depth,
		      struct argdata_node *out, struct config_weight *w);

/* Growable list of child nodes, copied into the arena when complete. */
struct children {
	struct argdata_node *items;
	size_t count, cap;
};

static int children_push(struct config_builder *b, struct children *c,
			 yaml_mark_t mark, struct argdata_node node)
{
	if (c->count == c->cap) {
		size_t cap = c->cap == 0 ? 8 : c->cap * 2;
		struct argdata_node *items = realloc(c->items,
						     cap * sizeof(*items));
		if (items == NULL) {
			config_error(b, mark, "out of memory");
			return -1;
		}
		c->items = items;
		c->cap = cap;
	}
	c->items[c->count++] = node;
	return 0;
}

struct key_ref {
	const char *s;
	size_t len;
	size_t index;
};

static int key_cmp(const void *x, const void *y)
{
	const struct key_ref *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->s, b->s, n);
	if (r != 0)
		return r;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Refuses a map whose string keys repeat (keys[i] is items[2i]). */
static int check_duplicates(struct config_builder *b, const struct children *c,
			    const yaml_mark_t *marks)
{
	size_t n = c->count / 2;
	struct key_ref *refs = malloc((n > 0 ? n : 1) * sizeof(*refs));
	if (refs == NULL) {
		config_error(b, marks[0], "out of memory");
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct argdata_node *key = &c->items[2 * i];
		if (key->kind == ARGDATA_NODE_STR)
			refs[k++] = (struct key_ref){key->v.bytes.ptr,
						     key->v.bytes.len, i};
	}
	qsort(refs, k, sizeof(*refs), key_cmp);
	int r = 0;
	for (size_t i = 1; i < k; i++) {
		if (refs[i].len == refs[i - 1].len &&
		    memcmp(refs[i].s, refs[i - 1].s, refs[i].len) == 0) {
			size_t dup = refs[i].index, first = refs[i - 1].index;
			config_error(
				b, marks[dup],
				"duplicate key '%.*s' (first at %zu:%zu)",
				(int)(refs[i].len > 200 ? 200 : refs[i].len),
				refs[i].s, marks[first].line + 1,
				marks[first].column + 1);
			r = -1;
			break;
		}
	}
	free(refs);
	return r;
}

/* The children of a sequence or mapping, up to its end event. */
static int parse_collection(struct config_builder *b, const yaml_event_t *start,
			    int depth, struct argdata_node *out,
			    struct config_weight *w)
{
	bool is_map = start->type == YAML_MAPPING_START_EVENT;
	yaml_event_type_t end_type = is_map ? YAML_MAPPING_END_EVENT
					    : YAML_SEQUENCE_END_EVENT;
	if (depth >= CONFIG_MAX_DEPTH) {
		config_error(b, start->start_mark,
			     "maps and sequences nest more than %d deep",
			     CONFIG_MAX_DEPTH);
		return -1;
	}
	struct children c = {0};
	yaml_mark_t *key_marks = NULL;
	size_t key_cap = 0;
	int r = 0;
	for (;;) {
		yaml_event_t ev;
		int more = config_next_item(b, end_type, &ev);
		if (more <= 0) {
			r = more;
			break;
		}
		if (is_map && c.count % 2 == 0) {
			size_t i = c.count / 2;
			if (i == key_cap) {
				key_cap = key_cap == 0 ? 8 : key_cap * 2;
				yaml_mark_t *m = realloc(key_marks,
							 key_cap * sizeof(*m));
				if (m == NULL) {
					yaml_event_delete(&ev);
					config_error(b, start->start_mark,
						     "out of memory");
					r = -1;
					break;
				}
				key_marks = m;
			}
			key_marks[i] = ev.start_mark;
		}
		struct argdata_node child;
		struct config_weight cw;
		yaml_mark_t mark = ev.start_mark;
		r = parse_node(b, &ev, depth + 1, &child, &cw);
		yaml_event_delete(&ev);
		if (r != 0 || children_push(b, &c, mark, child) != 0) {
			r = -1;
			break;
		}
		w->nodes += cw.nodes;
		w->bytes += cw.bytes;
	}
	if (r == 0 && is_map && c.count > 0 &&
	    check_duplicates(b, &c, key_marks) != 0)
		r = -1;
	struct argdata_node *items = NULL;
	if (r == 0 && c.count > 0) {
		items = config_alloc(b, c.count * sizeof(*items));
		if (items == NULL)
			r = -1;
		else
			memcpy(items, c.items, c.count * sizeof(*items));
	}
	free(c.items);
	free(key_marks);
	if (r == 0)
		*out = is_map ? argdata_node_map(items, c.count)
			      : argdata_node_seq(items, c.count);
	return r;
}

static int parse_alias(struct config_builder *b, const yaml_event_t *ev,
		       struct argdata_node *out, struct config_weight *w)
{
	const char *name = (const char *)ev->data.alias.anchor;
	int r = config_anchor_get(b, name, out, w);
	if (r == -1) {
		config_error(b, ev->start_mark,
			     "alias *%s: no anchor &%s before it", name, name);
		return -1;
	}
	if (r == -2) {
		config_error(b, ev->start_mark,
			     "alias *%s refers to a node that contains it",
			     name);
		return -1;
	}
	/* The copy shares the value, and a grant stays one descriptor. */
	return config_count(b, ev->start_mark, *w);
}

static int parse_node(struct config_builder *b, yaml_event_t *ev, int depth,
		      struct argdata_node *out, struct config_weight *w)
{
	if (ev->type == YAML_ALIAS_EVENT)
		return parse_alias(b, ev, out, w);
	const char *tag = tag_of(ev);
	const char *anchor = anchor_of(ev);
	struct config_weight own = {1, 16};
	*w = (struct config_weight){0, 0};
	int r;
	if (config_is_cloudabi_tag(tag)) {
		r = config_grant(b, ev, out);
	} else if (ev->type == YAML_SCALAR_EVENT) {
		r = config_scalar(b, ev, out);
		own.bytes += ev->data.scalar.length;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT ||
		   ev->type == YAML_MAPPING_START_EVENT) {
		bool is_map = ev->type == YAML_MAPPING_START_EVENT;
		const char *want = is_map ? CONFIG_TAG_YAML "map"
					  : CONFIG_TAG_YAML "seq";
		if (tag != NULL && strcmp(tag, "!") != 0 &&
		    strcmp(tag, want) != 0) {
			config_bad_tag(b, ev, is_map ? "mapping" : "sequence");
			return -1;
		}
		if (anchor != NULL &&
		    config_anchor_set(b, anchor, NULL, own, false) != 0)
			return -1;
		r = parse_collection(b, ev, depth, out, w);
	} else {
		config_error(b, ev->start_mark, "unexpected YAML event");
		return -1;
	}
	if (r != 0 || config_count(b, ev->start_mark, own) != 0)
		return -1;
	w->nodes += own.nodes;
	w->bytes += own.bytes;
	if (anchor != NULL)
		return config_anchor_set(b, anchor, out, *w, true);
	return 0;
}

/* The one document of the stream (an empty stream is null). */
static int parse_stream(struct config_builder *b)
{
	yaml_event_t ev;
	if (config_next_event(b, &ev) != 0)
		return -1;
	yaml_event_delete(&ev); /* STREAM-START */
	if (config_next_event(b, &ev) != 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		b->cfg->root = argdata_node_null();
		return 0;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */
	if (config_next_event(b, &ev) != 0)
		return -1;
	struct config_weight w;
	int r = parse_node(b, &ev, 0, &b->cfg->root, &w);
	yaml_event_delete(&ev);
	if (r != 0 || config_next_event(b, &ev) != 0)
		return -1;
	yaml_event_delete(&ev); /* DOCUMENT-END */
	if (config_next_event(b, &ev) != 0)
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT) {
		config_error(
			b, ev.start_mark,
			"expected one YAML document, but a second one starts here");
		yaml_event_delete(&ev);
		return -1;
	}
	yaml_event_delete(&ev);
	return 0;
}

int config_parse(struct config *cfg, const char *name, const char *text,
		 size_t len, const struct config_options *opts)
{
	struct config_builder b = {
		.name = name,
		.text = text,
		.len = len,
		.opts = opts,
		.cfg = cfg,
	};
	cfg->root = argdata_node_null();
	if (len > CONFIG_MAX_BYTES) {
		yaml_mark_t none = {0};
		config_error(&b, none, "larger than %zu bytes",
			     CONFIG_MAX_BYTES);
		return -1;
	}
	if (!yaml_parser_initialize(&b.parser)) {
		diag_warn("%s: cannot start the YAML parser", name);
		return -1;
	}
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)text,
				     len);
	int r = parse_stream(&b);
	yaml_parser_delete(&b.parser);
	config_anchor_free(&b);
	return r == 0 && !b.failed ? 0 : -1;
}

/* config_store.c: memory of a configuration: its arena and the anchor table of the parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

struct config_chunk {
	struct config_chunk *next;
	max_align_t data[];
};

struct config_anchor {
	const char *name; /* NULL: empty slot */
	uint64_t hash;
	struct argdata_node node;
	struct config_weight weight;
	bool complete;
};

void *config_arena_alloc(struct config *cfg, size_t size)
{
	struct config_chunk *c = NULL;
	if (size <= SIZE_MAX - sizeof(*c))
		c = malloc(sizeof(*c) + size);
	if (c == NULL)
		return NULL;
	c->next = cfg->chunks;
	cfg->chunks = c;
	return c->data;
}

void *config_alloc(struct config_builder *b, size_t size)
{
	void *p = config_arena_alloc(b->cfg, size);
	if (p == NULL) {
		yaml_mark_t none = {0};
		config_error(b, none, "out of memory");
	}
	return p;
}

char *config_strndup(struct config_builder *b, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *copy = config_alloc(b, len + 1);
	if (copy != NULL) {
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}

void config_free(struct config *cfg)
{
	struct config_chunk *c = cfg->chunks;
	while (c != NULL) {
		struct config_chunk *next = c->next;
		free(c);
		c = next;
	}
	cfg->chunks = NULL;
	cfg->root = argdata_node_null();
	free(cfg->grants);
	cfg->grants = NULL;
	cfg->ngrants = cfg->grants_cap = 0;
}

static uint64_t hash_name(const char *name)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

static struct config_anchor *slot_of(struct config_anchor *table, size_t cap,
				     const char *name, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (table[i].name != NULL &&
	       (table[i].hash != h || strcmp(table[i].name, name) != 0))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static int grow(struct config_builder *b)
{
	size_t cap = b->anchors_cap == 0 ? 64 : b->anchors_cap * 2;
	struct config_anchor *table = calloc(cap, sizeof(*table));
	if (table == NULL) {
		yaml_mark_t none = {0};
		config_error(b, none, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < b->anchors_cap; i++) {
		struct config_anchor *a = &b->anchors[i];
		if (a->name != NULL)
			*slot_of(table, cap, a->name, a->hash) = *a;
	}
	free(b->anchors);
	b->anchors = table;
	b->anchors_cap = cap;
	return 0;
}

int config_anchor_set(struct config_builder *b, const char *name,
		      const struct argdata_node *node,
		      struct config_weight weight, bool complete)
{
	if ((b->nanchors + 1) * 2 > b->anchors_cap && grow(b) != 0)
		return -1;
	uint64_t h = hash_name(name);
	struct config_anchor *a = slot_of(b->anchors, b->anchors_cap, name, h);
	if (a->name == NULL) {
		a->name = config_strndup(b, name, strlen(name));
		if (a->name == NULL)
			return -1;
		a->hash = h;
		b->nanchors++;
	}
	a->node = node != NULL ? *node : argdata_node_null();
	a->weight = weight;
	a->complete = complete;
	return 0;
}

int config_anchor_get(struct config_builder *b, const char *name,
		      struct argdata_node *node, struct config_weight *weight)
{
	if (b->anchors_cap == 0)
		return -1;
	struct config_anchor *a = slot_of(b->anchors, b->anchors_cap, name,
					  hash_name(name));
	if (a->name == NULL)
		return -1;
	if (!a->complete)
		return -2;
	*node = a->node;
	*weight = a->weight;
	return 0;
}

void config_anchor_free(struct config_builder *b)
{
	free(b->anchors);
	b->anchors = NULL;
	b->anchors_cap = b->nanchors = 0;
}

/* config_internal.h: the YAML builder state shared by the config_*.c files. */
#ifndef CAPBOX_BROKER_CONFIG_INTERNAL_H
#define CAPBOX_BROKER_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <yaml.h>

#include "config/config.h"

#define CONFIG_TAG_CLOUDABI "tag:nuxi.nl,2015:cloudabi/"
#define CONFIG_TAG_YAML "tag:yaml.org,2002:"

/* Size of a subtree, counted again at every alias that copies it. */
struct config_weight {
	size_t nodes;
	size_t bytes; /* an upper bound of its encoded size */
};

struct config_anchor;

struct config_builder {
	yaml_parser_t parser;
	const char *name;
	const char *text;
	size_t len;
	const struct config_options *opts;
	struct config *cfg;
	struct config_weight total;
	bool failed; /* an error has been printed */

	/* Anchors: open hash table of names. */
	struct config_anchor *anchors;
	size_t nanchors, anchors_cap;
};

/* size bytes that live as long as cfg; NULL when out of memory. */
void *config_arena_alloc(struct config *cfg, size_t size);

/* Arena allocation, freed by config_free; NULL (error printed) when out of
 * memory. */
void *config_alloc(struct config_builder *b, size_t size);
char *config_strndup(struct config_builder *b, const char *s, size_t len);

/* Prints "capbox: NAME:LINE:COL: message" once per parse. */
__attribute__((format(printf, 3, 4))) void config_error(
	struct config_builder *b, yaml_mark_t mark, const char *fmt, ...);

/* "NAME:LINE:COL" of mark into buf. */
void config_where(const struct config_builder *b, yaml_mark_t mark, char *buf,
		  size_t cap);

/* Next parser event; -1 after printing a syntax error. */
int config_next_event(struct config_builder *b, yaml_event_t *ev);

/* The next event inside a mapping or sequence that ends with an event of
 * type `end`: 1 with the item's event in *ev (the caller deletes it), 0 at
 * the end (that event consumed), -1 after printing a syntax error. */
int config_next_item(struct config_builder *b, yaml_event_type_t end,
		     yaml_event_t *ev);

/* Adds a subtree's weight to the total; -1 after an error at mark when a
 * bound is exceeded. */
int config_count(struct config_builder *b, yaml_mark_t mark,
		 struct config_weight w);

/* Error for a tag that a node of this kind ("scalar", "mapping",
 * "sequence") cannot have. */
void config_bad_tag(struct config_builder *b, const yaml_event_t *ev,
		    const char *kind);

/* Anchors (config_store.c). */
int config_anchor_set(struct config_builder *b, const char *name,
		      const struct argdata_node *node,
		      struct config_weight weight, bool complete);
/* 0 found; -1 undefined; -2 still being defined (a recursive alias). */
int config_anchor_get(struct config_builder *b, const char *name,
		      struct argdata_node *node, struct config_weight *weight);
void config_anchor_free(struct config_builder *b);

/* A scalar event to a value (config_scalar.c); tag is the resolved tag or
 * NULL. */
int config_scalar(struct config_builder *b, const yaml_event_t *ev,
		  struct argdata_node *out);

/* Whether tag is one of the CloudABI grant tags. */
bool config_is_cloudabi_tag(const char *tag);

/* The socket type named by the len bytes at name ("stream", "dgram",
 * "seqpacket"): 0 with *type, or -1. */
int config_socket_type(const char *name, size_t len,
		       enum grant_socket_type *type);

/* A CloudABI-tagged node (config_grant.c): ev is its scalar or
 * mapping-start event; consumes the rest of the node.  The grant is added
 * to cfg->grants and the result is its placeholder fd node. */
int config_grant(struct config_builder *b, const yaml_event_t *ev,
		 struct argdata_node *out);

#endif

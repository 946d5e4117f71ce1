/* trace_event.h: one traced call, decoded: who made it, its arguments by name, its outcome. */
#ifndef CAPBOX_TRACE_TRACE_EVENT_H
#define CAPBOX_TRACE_TRACE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/hypercall.h"

#define TRACE_FIELDS_MAX 8
/* Bytes of one field's text: 64 data bytes escaped as \xNN fit; a list of
 * names is cut short with "...". */
#define TRACE_TEXT_MAX (4 * CAPBOX_TRACE_DATA_MAX + 8)

enum trace_field_type {
	TF_UINT,  /* num, decimal */
	TF_INT,   /* num as int64_t */
	TF_HEX,   /* num, an address */
	TF_NAME,  /* text: names of the spec (flags, rights, clocks...) */
	TF_BYTES, /* text: data, escaped to printable ASCII (\xNN) */
};

struct trace_field {
	const char *name; /* a static string of the broker's */
	enum trace_field_type type;
	uint64_t num;
	char text[TRACE_TEXT_MAX];
};

struct trace_event {
	bool broker;   /* decided and measured by the broker (authoritative);
		       * false: reported by the shim (forgeable) */
	uint32_t pid;  /* the process's id in the sandbox (its pid namespace) */
	uint32_t tid;  /* the thread's CloudABI id, as its shim announced it
		       * (0: not announced) */
	unsigned call; /* CLOUDABI_SYS_<name> */
	struct trace_field args[TRACE_FIELDS_MAX];
	size_t nargs;
	uint16_t error;
	bool has_result;
	struct trace_field result; /* name "result" */
	bool has_data;
	struct trace_field data; /* bytes the call returned, name "data" */
	uint64_t duration_ns;
	bool has_fd; /* the call's first descriptor argument */
	uint32_t fd;
	const char *path; /* its first path, escaped (a field's text) or NULL */
	bool denied;      /* explained refusal (trace_explain.c) */
	struct trace_denial {
		const char *cause; /* "missing_right", "not_inherited",
				    * "path_escape", "table_full",
				    * "fd_budget", "process_limit" */
		bool has_fd;
		uint32_t fd;
		char missing[TRACE_TEXT_MAX];    /* rights by name, or "" */
		char origin[2 * TRACE_TEXT_MAX]; /* where fd came from */
		char text[4 * TRACE_TEXT_MAX];   /* the whole sentence */
	} denial;
};

/* Escapes bytes to printable ASCII (no quote, no backslash but as \xNN)
 * into out (TRACE_TEXT_MAX bytes, NUL-terminated); at most
 * CAPBOX_TRACE_DATA_MAX bytes are shown, "..." marks more. */
void trace_escape(const unsigned char *bytes, size_t len, char *out);

#endif

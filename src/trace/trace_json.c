/* trace_json.c: a trace_event as one JSON Lines object (schema: docs/TRACE.md), built with json-c. */
#include "trace/trace_emit.h"

#include <json-c/json.h>
#include <string.h>

#include "common/abi_names.h"

static json_object *field_value(const struct trace_field *f)
{
	switch (f->type) {
	case TF_UINT:
	case TF_HEX:
		return json_object_new_uint64(f->num);
	case TF_INT:
		return json_object_new_int64((int64_t)f->num);
	case TF_NAME:
	case TF_BYTES:
		break;
	}
	return json_object_new_string(f->text);
}

static json_object *denial(const struct trace_denial *d)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "cause", json_object_new_string(d->cause));
	if (d->has_fd) {
		json_object_object_add(o, "fd", json_object_new_uint64(d->fd));
		json_object_object_add(o, "origin",
				       json_object_new_string(d->origin));
	}
	if (d->missing[0] != '\0')
		json_object_object_add(o, "missing",
				       json_object_new_string(d->missing));
	json_object_object_add(o, "text", json_object_new_string(d->text));
	return o;
}

size_t trace_emit_json(const struct trace_event *ev, char *line)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "pid", json_object_new_uint64(ev->pid));
	json_object_object_add(o, "tid", json_object_new_uint64(ev->tid));
	json_object_object_add(
		o, "source",
		json_object_new_string(ev->broker ? "broker" : "shim"));
	json_object_object_add(
		o, "call",
		json_object_new_string(cloudabi_syscall_name(ev->call)));
	json_object *args = json_object_new_object();
	for (size_t i = 0; i < ev->nargs; i++)
		json_object_object_add(args, ev->args[i].name,
				       field_value(&ev->args[i]));
	json_object_object_add(o, "args", args);
	const char *name = cloudabi_errno_name(ev->error);
	json_object_object_add(
		o, "errno",
		json_object_new_string(name != NULL ? name : "unknown"));
	if (ev->has_result)
		json_object_object_add(o, "result", field_value(&ev->result));
	if (ev->has_data)
		json_object_object_add(o, "data", field_value(&ev->data));
	json_object_object_add(o, "duration_ns",
			       json_object_new_uint64(ev->duration_ns));
	if (ev->denied)
		json_object_object_add(o, "denial", denial(&ev->denial));
	size_t len = 0;
	const char *text = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		&len);
	/* Every string is ASCII of bounded length (names, escaped bytes):
	 * a line never comes near the bound; cut is a broker bug. */
	if (len > TRACE_LINE_MAX - 1)
		len = 0;
	memcpy(line, text, len);
	line[len++] = '\n';
	json_object_put(o);
	return len;
}

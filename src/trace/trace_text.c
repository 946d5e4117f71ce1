/* trace_text.c: a trace_event as one strace-like line: "PID.TID SOURCE call(args) = result <seconds>". */
#include "trace/trace_emit.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/abi_names.h"

struct line {
	char *buf;
	size_t used;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l,
						      const char *fmt, ...)
{
	if (l->used >= TRACE_LINE_MAX - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->used, TRACE_LINE_MAX - 1 - l->used, fmt,
			  ap);
	va_end(ap);
	if (n > 0)
		l->used += (size_t)n;
	if (l->used > TRACE_LINE_MAX - 2)
		l->used = TRACE_LINE_MAX - 2; /* cut: the newline still fits */
}

static void put_field(struct line *l, const struct trace_field *f)
{
	switch (f->type) {
	case TF_UINT:
		put(l, "%llu", (unsigned long long)f->num);
		break;
	case TF_INT:
		put(l, "%lld", (long long)f->num);
		break;
	case TF_HEX:
		put(l, "0x%llx", (unsigned long long)f->num);
		break;
	case TF_NAME:
		put(l, "%s", f->text);
		break;
	case TF_BYTES:
		put(l, "\"%s\"", f->text);
		break;
	}
}

size_t trace_emit_text(const struct trace_event *ev, char *buf)
{
	struct line l = {buf, 0};
	put(&l, "%u.%u %-6s %s(", ev->pid, ev->tid,
	    ev->broker ? "broker" : "shim", cloudabi_syscall_name(ev->call));
	for (size_t i = 0; i < ev->nargs; i++) {
		put(&l, "%s%s=", i > 0 ? ", " : "", ev->args[i].name);
		put_field(&l, &ev->args[i]);
	}
	put(&l, ") = ");
	if (ev->error != 0) {
		const char *name = cloudabi_errno_name(ev->error);
		if (name != NULL)
			put(&l, "-1 %s", name);
		else
			put(&l, "-1 errno %u", ev->error);
	} else if (ev->has_result) {
		put_field(&l, &ev->result);
	} else {
		put(&l, "0");
	}
	if (ev->has_data) {
		put(&l, " ");
		put_field(&l, &ev->data);
	}
	if (ev->denied)
		put(&l, " [denied: %s]", ev->denial.text);
	put(&l, " <%llu.%09llu>",
	    (unsigned long long)(ev->duration_ns / 1000000000),
	    (unsigned long long)(ev->duration_ns % 1000000000));
	buf[l.used++] = '\n';
	return l.used;
}

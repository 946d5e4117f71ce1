/* trace_explain.c: why a call was refused: the descriptor, the missing right, where the descriptor came from (a grant's file:line:column, or the call that made it). */
#include "trace/trace_explain.h"

#include <stdio.h>
#include <string.h>

#include "cloudabi/syscalls.h"
#include "common/abi_names.h"
#include "trace/trace_names.h"

static struct {
	const char *cause; /* NULL: nothing noted */
	uint32_t fd;
	uint64_t missing;
} noted;

void trace_explain_reset(void)
{
	noted.cause = NULL;
}

void trace_note_missing(uint32_t fd, uint64_t missing)
{
	noted.cause = "missing_right";
	noted.fd = fd;
	noted.missing = missing;
}

void trace_note_not_inherited(uint32_t fd, uint64_t missing)
{
	noted.cause = "not_inherited";
	noted.fd = fd;
	noted.missing = missing;
}

void trace_note_path_escape(void)
{
	noted.cause = "path_escape";
}

/* "granted by FILE:LINE:COL" or "made by file_open on fd 3, under the
 * grant FILE:LINE:COL" (or "capbox's own" without any). */
static void describe_origin(const struct trace_origin *o, char *buf, size_t cap)
{
	if (!o->present) {
		snprintf(buf, cap, "no descriptor of this process");
		return;
	}
	if (o->call == TRACE_ORIGIN_GRANT) {
		snprintf(buf, cap, "granted by %s",
			 o->grant != NULL ? o->grant : "capbox");
		return;
	}
	const char *call = cloudabi_syscall_name(o->call);
	char from[32] = "";
	if (o->from != TRACE_ORIGIN_NONE)
		snprintf(from, sizeof(from), " on fd %u", o->from);
	snprintf(buf, cap, "made by %s%s%s%s", call != NULL ? call : "a call",
		 from, o->grant != NULL ? ", under the grant " : "",
		 o->grant != NULL ? o->grant : "");
}

static void set_fd(struct trace_denial *d, uint32_t fd, trace_lookup *lookup,
		   void *process, struct trace_origin *o)
{
	d->has_fd = true;
	d->fd = fd;
	*o = lookup != NULL ? lookup(process, fd) : (struct trace_origin){0};
	describe_origin(o, d->origin, sizeof(d->origin));
}

void trace_explain(struct trace_event *ev, trace_lookup *lookup, void *process)
{
	struct trace_denial *d = &ev->denial;
	struct trace_origin o;
	char have[TRACE_TEXT_MAX];
	*d = (struct trace_denial){0};
	bool escape = noted.cause != NULL &&
		      strcmp(noted.cause, "path_escape") == 0;
	if (ev->broker && ev->error == CLOUDABI_ENOTCAPABLE &&
	    noted.cause != NULL && !escape) {
		d->cause = noted.cause;
		set_fd(d, noted.fd, lookup, process, &o);
		trace_name_value(TK_RIGHTS, noted.missing, d->missing,
				 sizeof(d->missing));
		bool inherit = strcmp(noted.cause, "not_inherited") == 0;
		trace_name_value(TK_RIGHTS, inherit ? o.inheriting : o.base,
				 have, sizeof(have));
		snprintf(
			d->text, sizeof(d->text),
			inherit ? "fd %u cannot pass on %s to what it opens (it passes on %s); it was %s"
				: "fd %u lacks %s (it has %s); it was %s",
			d->fd, d->missing, have, d->origin);
	} else if (ev->broker && ev->error == CLOUDABI_ENOTCAPABLE && escape &&
		   ev->has_fd) {
		d->cause = "path_escape";
		set_fd(d, ev->fd, lookup, process, &o);
		snprintf(d->text, sizeof(d->text),
			 "path \"%s\" leads out of directory fd %u, %s",
			 ev->path != NULL ? ev->path : "", d->fd, d->origin);
	} else if (ev->error == CLOUDABI_ENOTCAPABLE && ev->has_fd) {
		/* The shim refused on its own (from the rights it mirrors),
		 * or the broker without a note: the broker's table says
		 * what the descriptor holds. */
		d->cause = "missing_right";
		set_fd(d, ev->fd, lookup, process, &o);
		trace_name_value(TK_RIGHTS, o.base, have, sizeof(have));
		snprintf(d->text, sizeof(d->text),
			 "fd %u has only %s for %s; it was %s", d->fd, have,
			 cloudabi_syscall_name(ev->call), d->origin);
	} else if (ev->broker && ev->error == CLOUDABI_EMFILE) {
		d->cause = "table_full";
		snprintf(
			d->text, sizeof(d->text),
			"the process's descriptor table is full (%u descriptors)",
			trace_table_size());
	} else if (ev->broker && ev->error == CLOUDABI_ENFILE) {
		d->cause = "fd_budget";
		snprintf(
			d->text, sizeof(d->text),
			"the sandbox's descriptor budget is spent (--max-fds)");
	} else if (ev->broker && ev->error == CLOUDABI_EAGAIN &&
		   ev->call == CLOUDABI_SYS_proc_fork) {
		d->cause = "process_limit";
		snprintf(
			d->text, sizeof(d->text),
			"the sandbox has as many processes as it may (--max-processes)");
	} else {
		return;
	}
	ev->denied = true;
}

/* Distinct causes seen: a hash of each, in a fixed open-addressed set;
 * the shims' part is bounded on its own. */
#define CAUSES_MAX 256
#define SHIM_CAUSES_MAX (CAUSES_MAX / 4)
static uint64_t causes[CAUSES_MAX];
static size_t ncauses, nshim_causes;

static uint64_t hash(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h;
}

bool trace_explain_first(const struct trace_event *ev, bool *set_full)
{
	const struct trace_denial *d = &ev->denial;
	uint64_t h = hash(UINT64_C(0xcbf29ce484222325), d->cause);
	h = hash(h, cloudabi_syscall_name(ev->call));
	h = hash(h, d->missing);
	h = hash(h, d->origin);
	h = hash(h, ev->broker ? "broker" : "shim");
	h |= 1; /* 0 marks an empty slot */
	for (size_t i = 0; i < CAUSES_MAX; i++) {
		uint64_t *slot = &causes[(h + i) % CAUSES_MAX];
		if (*slot == h)
			return false;
		if (*slot == 0) {
			if (ncauses >= CAUSES_MAX / 2 ||
			    (!ev->broker && nshim_causes >= SHIM_CAUSES_MAX)) {
				*set_full = true;
				return false;
			}
			*slot = h;
			ncauses++;
			nshim_causes += !ev->broker;
			return true;
		}
	}
	*set_full = true;
	return false;
}

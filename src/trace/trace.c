/* trace.c: the trace's state: options, the channel -> thread table, batch validation, and whole lines written many at a time. */
#include "trace/trace.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cloudabi/syscalls.h"
#include "common/abi_names.h"
#include "trace/trace_decode.h"
#include "trace/trace_emit.h"
#include "trace/trace_explain.h"
#include "trace/trace_stats.h"

#if CAPBOX_TRACE
bool trace_active;
#endif

static struct trace_options options;

/*
 * Which thread each channel serves, as its shim announced it: indexed by
 * the broker's descriptor of the channel.  Fixed size, allocated once:
 * a guest cannot make it grow.  A channel numbered beyond it shows tid 0.
 */
#define TRACE_CHANNELS_MAX 65536
static uint32_t *channel_tid;

/* One event and one line at a time (the broker is single-threaded). */
static struct trace_event event;
static char line[TRACE_LINE_MAX];

/* Whole lines waiting for one write(2): those of one served call, or of
 * one batch of shim records; written when the next would not fit in
 * out_limit bytes, and when the call or batch is done.  On anything but
 * a regular file (a pipe, a socket, a terminal: other writers may share
 * it) out_limit is PIPE_BUF, which the kernel writes in one piece. */
#define TRACE_OUT_MAX (64 * 1024)
static char out[TRACE_OUT_MAX];
static size_t out_len, out_limit = PIPE_BUF;
_Static_assert(TRACE_LINE_MAX <= PIPE_BUF, "a line fits in one atomic write");

unsigned trace_table_size(void)
{
	return options.table_size;
}

bool trace_start(const struct trace_options *o)
{
	if (!CAPBOX_TRACE)
		return false;
	options = *o;
	struct stat st;
	out_limit = fstat(options.fd, &st) == 0 && S_ISREG(st.st_mode)
			    ? sizeof(out)
			    : PIPE_BUF;
	channel_tid = calloc(TRACE_CHANNELS_MAX, sizeof(*channel_tid));
	if (channel_tid == NULL) {
		fputs("capbox: warning: no memory for the trace's thread table: threads show as 0\n",
		      stderr);
	}
#if CAPBOX_TRACE
	trace_active = options.lines || options.stats || options.explain;
#endif
	return true;
}

uint32_t trace_boot_flags(void)
{
	return trace_active ? CAPBOX_BOOT_TRACE : 0;
}

uint64_t trace_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Writes the lines waiting in one write(2) (a pipe keeps up to PIPE_BUF
 * bytes in one piece; a file or a longer write, whole lines in order); a
 * destination that fails stops the lines, once, with a warning. */
static void flush_lines(void)
{
	const char *p = out;
	size_t len = out_len;
	out_len = 0;
	while (len > 0) {
		ssize_t n = write(options.fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr,
				"capbox: warning: the trace cannot be written (%s): no more trace lines\n",
				n < 0 ? strerror(errno) : "short write");
			options.lines = false;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Queues the line of len bytes (whole: never a part of it). */
static void write_line(size_t len)
{
	if (out_len + len > out_limit)
		flush_lines();
	memcpy(out + out_len, line, len);
	out_len += len;
}

uint64_t trace_begin(void)
{
	trace_explain_reset();
	return trace_clock();
}

/* --explain-denials: a line of its own, once per distinct cause. */
static void explain(void)
{
	static bool said_full[2]; /* [event.broker] */
	bool full = false;
	if (!options.explain || !event.denied)
		return;
	size_t len = 0;
	if (trace_explain_first(&event, &full))
		len = (size_t)snprintf(
			line, sizeof(line), "capbox: denied: %u.%u %s%s: %s\n",
			event.pid, event.tid, cloudabi_syscall_name(event.call),
			event.broker ? "" : " (reported by the shim)",
			event.denial.text);
	else if (full && !said_full[event.broker])
		len = (size_t)snprintf(
			line, sizeof(line),
			"capbox: denied: more distinct causes %sthan capbox keeps: no more %s\n",
			event.broker ? "" : "reported by shims ",
			event.broker ? "explanations" : "of theirs explained");
	said_full[event.broker] |= full;
	if (len >= sizeof(line))
		len = sizeof(line) - 1; /* cut (a bound, never reached) */
	write_line(len);
}

static void emit(trace_lookup *lookup, void *process)
{
	if (event.error != 0)
		trace_explain(&event, lookup, process);
	explain();
	trace_stats_add(&event);
	if (!options.lines || !(options.calls & (UINT64_C(1) << event.call)))
		return;
	if (options.errors_only && event.error == 0)
		return;
	size_t len = options.format == TRACE_JSON
			     ? trace_emit_json(&event, line)
			     : trace_emit_text(&event, line);
	write_line(len);
}

static uint32_t tid_of(int channel)
{
	if (channel_tid == NULL || channel < 0 || channel >= TRACE_CHANNELS_MAX)
		return 0;
	return channel_tid[channel];
}

void trace_served(const struct trace_hypercall *hc)
{
	if (hc->call >= CLOUDABI_SYSCALL_COUNT)
		return; /* the shim's own calls are no system call */
	memset(&event, 0, sizeof(event));
	event.broker = true;
	event.pid = hc->pid;
	event.tid = tid_of(hc->channel);
	event.call = hc->call;
	trace_decode_served(hc, &event);
	emit(hc->lookup, hc->process);
	flush_lines();
}

/* The next record of a batch at *at (len bytes left), checked: false if
 * it is malformed (hostile: anything but exactly a record and its data). */
static bool next_record(const unsigned char *batch, size_t len, size_t *at,
			struct capbox_hc_trace_record *rec,
			const unsigned char **data)
{
	if (len - *at < sizeof(*rec))
		return false;
	memcpy(rec, batch + *at, sizeof(*rec));
	*at += sizeof(*rec);
	if (rec->data_len > CAPBOX_TRACE_DATA_MAX ||
	    len - *at < rec->data_len || rec->reserved != 0 ||
	    (rec->syscall >= CLOUDABI_SYSCALL_COUNT &&
	     rec->syscall != CAPBOX_TRACE_HELLO))
		return false;
	*data = batch + *at;
	*at += rec->data_len;
	return true;
}

void trace_shim_record(uint32_t pid, int channel, const unsigned char *params,
		       size_t len, trace_lookup *lookup, void *process)
{
	struct capbox_hc_trace_record rec;
	const unsigned char *data;
	/* Every record is checked before any is shown: one malformed
	 * record drops its whole batch. */
	size_t at = 0;
	if (len > CAPBOX_TRACE_BATCH_MAX) {
		trace_stats_dropped();
		return;
	}
	while (at < len) {
		if (!next_record(params, len, &at, &rec, &data)) {
			trace_stats_dropped();
			return;
		}
	}
	for (at = 0; at < len;) {
		next_record(params, len, &at, &rec, &data);
		if (rec.syscall == CAPBOX_TRACE_HELLO) {
			if (channel_tid != NULL && channel >= 0 &&
			    channel < TRACE_CHANNELS_MAX)
				channel_tid[channel] = rec.tid;
			continue;
		}
		memset(&event, 0, sizeof(event));
		event.pid = pid;
		event.tid = tid_of(channel);
		event.call = rec.syscall;
		trace_decode_record(&rec, data, &event);
		emit(lookup, process);
	}
	flush_lines();
}

void trace_finish(void)
{
	flush_lines();
	if (options.stats)
		trace_stats_print(options.fd);
	options.stats = false;
	options.lines = false;
	free(channel_tid);
	channel_tid = NULL;
#if CAPBOX_TRACE
	trace_active = false;
#endif
}

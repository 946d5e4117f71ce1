/* trace_stats.c: --stats: per call count, errors, total and median time, in fixed memory (a log-scale histogram per call). */
#include "trace/trace_stats.h"

#include <stdio.h>
#include <stdlib.h>

#include "cloudabi/syscalls.h"
#include "common/abi_names.h"

/*
 * The median comes from a histogram, not from every duration (a guest
 * that makes a billion calls must not grow the broker): 4 buckets per
 * power of two of nanoseconds, so a median is within 19% of the true one
 * (the bucket's geometric middle is shown).
 */
#define SUB_BITS 2
#define BUCKETS (64 << SUB_BITS)

struct call_stats {
	uint64_t count;
	uint64_t errors;
	uint64_t broker; /* of which the broker served */
	uint64_t total_ns;
	uint64_t histogram[BUCKETS];
};

static struct call_stats calls[CLOUDABI_SYSCALL_COUNT];
static uint64_t dropped;

static unsigned bucket_of(uint64_t ns)
{
	if (ns < (1u << SUB_BITS))
		return (unsigned)ns;
	unsigned log = 63 - (unsigned)__builtin_clzll(ns);
	unsigned sub = (unsigned)(ns >> (log - SUB_BITS)) &
		       ((1u << SUB_BITS) - 1);
	return ((log - SUB_BITS + 1) << SUB_BITS) + sub;
}

/* The middle of a bucket, in nanoseconds. */
static uint64_t bucket_middle(unsigned b)
{
	if (b < (1u << SUB_BITS))
		return b;
	unsigned log = (b >> SUB_BITS) + SUB_BITS - 1;
	uint64_t low =
		((uint64_t)((1u << SUB_BITS) | (b & ((1u << SUB_BITS) - 1))))
		<< (log - SUB_BITS);
	uint64_t width = (uint64_t)1 << (log - SUB_BITS);
	return low + width / 2;
}

void trace_stats_add(const struct trace_event *ev)
{
	struct call_stats *s = &calls[ev->call];
	s->count++;
	s->errors += ev->error != 0;
	s->broker += ev->broker;
	s->total_ns += ev->duration_ns;
	s->histogram[bucket_of(ev->duration_ns)]++;
}

void trace_stats_dropped(void)
{
	dropped++;
}

static uint64_t median_ns(const struct call_stats *s)
{
	uint64_t seen = 0;
	for (unsigned b = 0; b < BUCKETS; b++) {
		seen += s->histogram[b];
		if (seen * 2 >= s->count)
			return bucket_middle(b);
	}
	return 0;
}

static int by_total(const void *a, const void *b)
{
	const struct call_stats *x = &calls[*(const unsigned *)a];
	const struct call_stats *y = &calls[*(const unsigned *)b];
	return x->total_ns < y->total_ns   ? 1
	       : x->total_ns > y->total_ns ? -1
					   : 0;
}

void trace_stats_print(int fd)
{
	unsigned order[CLOUDABI_SYSCALL_COUNT];
	unsigned n = 0;
	uint64_t count = 0, errors = 0, total = 0;
	for (unsigned i = 0; i < CLOUDABI_SYSCALL_COUNT; i++) {
		if (calls[i].count == 0)
			continue;
		order[n++] = i;
		count += calls[i].count;
		errors += calls[i].errors;
		total += calls[i].total_ns;
	}
	qsort(order, n, sizeof(order[0]), by_total);
	dprintf(fd,
		"%% time     seconds  median-usecs      calls    errors    broker syscall\n"
		"------ ----------- ------------- ---------- --------- --------- ----------------\n");
	for (unsigned k = 0; k < n; k++) {
		const struct call_stats *s = &calls[order[k]];
		dprintf(fd, "%6.2f %11.6f %13.3f %10llu %9llu %9llu %s\n",
			total > 0 ? 100.0 * (double)s->total_ns / (double)total
				  : 0.0,
			(double)s->total_ns / 1e9, (double)median_ns(s) / 1e3,
			(unsigned long long)s->count,
			(unsigned long long)s->errors,
			(unsigned long long)s->broker,
			cloudabi_syscall_name(order[k]));
	}
	dprintf(fd,
		"------ ----------- ------------- ---------- --------- --------- ----------------\n"
		"100.00 %11.6f %13s %10llu %9llu %9s total\n",
		(double)total / 1e9, "", (unsigned long long)count,
		(unsigned long long)errors, "");
	if (dropped > 0)
		dprintf(fd,
			"capbox: trace: %llu malformed batches of shim records dropped\n",
			(unsigned long long)dropped);
}

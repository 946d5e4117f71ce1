/* fuzz_trace.c: libFuzzer harness: a shim's batch of trace records, as hostile bytes, in both formats: whole printable lines, bounded, or the batch dropped. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace/trace.h"
#include "trace/trace_emit.h"

#define MUST(cond)                                                             \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

/* Every descriptor is one the broker's table has, with no rights: the
 * explanations run too. */
static struct trace_origin origin_of(void *process, uint32_t fd)
{
	(void)process;
	return (struct trace_origin){.present = fd % 2 == 0,
				     .grant = "grant.yaml:1:2",
				     .call = TRACE_ORIGIN_GRANT,
				     .from = TRACE_ORIGIN_NONE};
}

/* Input: one byte (bit 0: JSON; bit 1: --explain-denials), the batch. */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int fd = -1;
	static char written[1 << 20];
	if (fd < 0)
		fd = memfd_create("trace", 0);
	MUST(fd >= 0);
	if (size < 1)
		return 0;
	MUST(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
	struct trace_options o = {
		.lines = true,
		.fd = fd,
		.format = data[0] & 1 ? TRACE_JSON : TRACE_TEXT,
		.calls = UINT64_MAX,
		.explain = data[0] & 2,
	};
	MUST(trace_start(&o));
	/* Twice: the channel's thread announced in the first counts in
	 * the second. */
	trace_shim_record(1, 3, data + 1, size - 1, origin_of, NULL);
	trace_shim_record(1, 3, data + 1, size - 1, origin_of, NULL);
	trace_finish();
	ssize_t n = pread(fd, written, sizeof(written), 0);
	MUST(n >= 0 && (size_t)n < sizeof(written));
	/* Whole lines of printable ASCII, none longer than the bound. */
	size_t line_start = 0;
	for (size_t i = 0; i < (size_t)n; i++) {
		unsigned char c = (unsigned char)written[i];
		if (c == '\n') {
			MUST(i + 1 - line_start <= TRACE_LINE_MAX);
			line_start = i + 1;
		} else {
			MUST(c >= 0x20 && c < 0x7f);
		}
	}
	MUST(line_start == (size_t)n);
	return 0;
}

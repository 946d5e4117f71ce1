/* trace_hostile.c: for tests/cli/trace_*.sh: "forge" sends forged and malformed trace records and batches; "flood" N records; "calls" N clock reads; "attribute" threads of two processes tag their calls with their own tid; "hide" forges refusals of N distinct causes, then forks once; "crash" crashes after three clock reads. */
#include <argdata.h>
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "proc.h"
#include "../guest/escape_raw.h"

/* src/protocol/hc_trace.h, which a guest cannot include. */
#define TRACE_RECORD 72
#define TRACE_DATA_MAX 64
#define TRACE_BATCH_MAX 8192
struct record {
	uint16_t syscall;
	uint16_t error;
	uint32_t tid;
	uint64_t args[7];
	uint64_t result;
	uint64_t duration_ns;
	uint32_t data_len;
	uint32_t reserved;
};
_Static_assert(sizeof(struct record) == 88, "the record's layout");

static uint16_t version;

/* The protocol version, from the broker's answer to a bad request. */
static void learn_version(void)
{
	unsigned char buf[256];
	struct esc_reply_info info;
	uint32_t p[2] = {0, 0};
	struct esc_request req = {ESC_HC_MAGIC ^ 1, 0, CLOUDABI_SYS_fd_stat_get,
				  1, sizeof(p)};
	esc_exchange(ESC_FD_CHANNEL, req, p, sizeof(p), buf, sizeof(buf),
		     &info);
	version = info.version;
}

/* Sends a record with `len` bytes of data (the header says `announced`). */
static void send_record(struct record rec, const void *data, size_t len)
{
	struct esc_request req = {ESC_HC_MAGIC, version, TRACE_RECORD, 0,
				  (uint32_t)(sizeof(rec) + len)};
	struct l_iovec iov[3] = {
		{&req, sizeof(req)}, {&rec, sizeof(rec)}, {data, len}};
	raw(NR_writev, ESC_FD_CHANNEL, iov, len > 0 ? 3 : 2);
}

/* Sends len bytes of records as one batch. */
static void send_batch(const void *batch, size_t len)
{
	struct esc_request req = {ESC_HC_MAGIC, version, TRACE_RECORD, 0,
				  (uint32_t)len};
	esc_send_request(ESC_FD_CHANNEL, &req, batch, len);
}

/* Batches of fd_write records on fd 7001, 7002 ...: two that are shown,
 * then two that are dropped whole (counted once each): one whose second
 * record is cut short, one a record longer than a batch may be. */
static void forge_batches(void)
{
	static struct record batch[TRACE_BATCH_MAX / sizeof(struct record) + 1];
	for (size_t i = 0; i < sizeof(batch) / sizeof(batch[0]); i++)
		batch[i] =
			(struct record){.syscall = CLOUDABI_SYS_fd_write,
					.args = {7001 + i, 0, 0, 0, 0, 0, 0}};
	send_batch(batch, 2 * sizeof(batch[0]));
	batch[0].args[0] = 7100; /* with half a record after it */
	send_batch(batch, sizeof(batch[0]) + sizeof(batch[0]) / 2);
	batch[0].args[0] = 7200; /* one record too many */
	send_batch(batch, sizeof(batch));
}

static void forge(void)
{
	/* Looks like a file_open the broker allowed, with a line of its own
	 * hidden in the path. */
	static const char evil[] = "x\n9.9 broker file_open(path=\"/etc\") = 3 "
				   "<0.1>\n\"\\\x1b[2J\xff";
	struct record rec = {
		.syscall = CLOUDABI_SYS_file_open,
		.tid = 424242,
		.args = {UINT64_MAX, 0, sizeof(evil) - 1, UINT64_MAX, 0, 0, 0},
		.error = 0xffff,
		.data_len = sizeof(evil) - 1};
	send_record(rec, evil, sizeof(evil) - 1);
	/* Malformed: each is dropped. */
	struct record unknown = {.syscall = 200};
	send_record(unknown, NULL, 0);
	char big[TRACE_DATA_MAX + 1];
	memset(big, 'A', sizeof(big));
	struct record too_long = {.syscall = CLOUDABI_SYS_fd_write,
				  .data_len = sizeof(big)};
	send_record(too_long, big, sizeof(big));
	struct record short_data = {.syscall = CLOUDABI_SYS_fd_write,
				    .data_len = 10};
	send_record(short_data, big, 5);
	struct record reserved = {.syscall = CLOUDABI_SYS_fd_write,
				  .reserved = 1};
	send_record(reserved, NULL, 0);
	uint32_t half = 7;
	struct esc_request req = {ESC_HC_MAGIC, version, TRACE_RECORD, 0,
				  sizeof(half)};
	esc_send_request(ESC_FD_CHANNEL, &req, &half, sizeof(half));
	forge_batches();
}

static void flood(int64_t n)
{
	char data[TRACE_DATA_MAX];
	memset(data, '\n', sizeof(data));
	struct record rec = {.syscall = CLOUDABI_SYS_fd_write,
			     .data_len = sizeof(data)};
	for (int64_t i = 0; i < n; i++) {
		rec.args[0] = (uint64_t)i;
		send_record(rec, data, sizeof(data));
	}
}

/* Forged ENOTCAPABLE records of n distinct causes (each on a descriptor
 * of its own origin: a chain of fd_dup), to use up --explain-denials'
 * set, then a fork the broker refuses under --max-processes 1, whose
 * explanation must still be shown. */
static void hide(int64_t n)
{
	cloudabi_fd_t fd, other;
	if (cloudabi_sys_fd_create2(CLOUDABI_FILETYPE_SOCKET_STREAM, &fd,
				    &other) != 0)
		exit(2);
	for (int64_t i = 0; i < n; i++) {
		struct record rec = {.syscall = CLOUDABI_SYS_fd_write,
				     .error = CLOUDABI_ENOTCAPABLE,
				     .args = {fd, 0, 0, 0, 0, 0, 0}};
		send_record(rec, NULL, 0);
		if (cloudabi_sys_fd_dup(fd, &fd) != 0)
			exit(2);
	}
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&child, &tid) != CLOUDABI_EAGAIN)
		exit(3);
}

static void calls(int64_t n)
{
	cloudabi_timestamp_t t;
	for (int64_t i = 0; i < n; i++)
		cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC,
					    (cloudabi_timestamp_t)i, &t);
}

/* Each thread reads the clock with precision = its own tid, many times. */
static void tagged_calls(void *arg)
{
	(void)arg;
	cloudabi_tid_t self = capbox_thread_self();
	cloudabi_timestamp_t t;
	for (int i = 0; i < 500; i++) {
		cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, self, &t);
		cloudabi_sys_thread_yield();
	}
}

static void threads_tagging(void)
{
	capbox_thread_t t[3];
	for (int i = 0; i < 3; i++)
		capbox_thread_start(&t[i], tagged_calls, NULL, 0);
	tagged_calls(NULL);
	for (int i = 0; i < 3; i++)
		capbox_thread_join(&t[i]);
}

static void attribute(void)
{
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	if (cloudabi_sys_proc_fork(&child, &tid) == 0 &&
	    child == CLOUDABI_PROCESS_CHILD) {
		threads_tagging();
		cloudabi_sys_proc_exit(0);
	}
	threads_tagging();
	cloudabi_event_t ev;
	proc_wait(child, 0, &ev);
}

/* Three clock reads the shim serves alone (precision 4241 ... 4243),
 * then a crash: their records must not die with the process. */
static void crash(void)
{
	cloudabi_timestamp_t t;
	for (cloudabi_timestamp_t i = 4241; i <= 4243; i++)
		cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_MONOTONIC, i, &t);
	*(volatile int *)(uintptr_t)8 = 0; /* no page is mapped that low */
}

void program_main(const argdata_t *ad)
{
	argdata_t value;
	int64_t n = 0;
	learn_version();
	if (argdata_map_find(*ad, "forge", 5, &value) == ARGDATA_OK)
		forge();
	if (argdata_map_find(*ad, "flood", 5, &value) == ARGDATA_OK &&
	    argdata_get_int64(value, &n) == ARGDATA_OK)
		flood(n);
	if (argdata_map_find(*ad, "hide", 4, &value) == ARGDATA_OK &&
	    argdata_get_int64(value, &n) == ARGDATA_OK)
		hide(n);
	if (argdata_map_find(*ad, "calls", 5, &value) == ARGDATA_OK &&
	    argdata_get_int64(value, &n) == ARGDATA_OK)
		calls(n);
	if (argdata_map_find(*ad, "attribute", 9, &value) == ARGDATA_OK)
		attribute();
	if (argdata_map_find(*ad, "crash", 5, &value) == ARGDATA_OK)
		crash();
	/* The broker still answers this process. */
	cloudabi_fdstat_t st;
	exit(cloudabi_sys_fd_stat_get(999, &st) == CLOUDABI_EBADF ? 0 : 1);
}

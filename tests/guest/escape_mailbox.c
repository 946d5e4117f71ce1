/* escape_mailbox.c: a hostile guest drives a channel's shared-memory mailbox itself: bad framing, lengths it rewrites while the broker reads, stray doorbells; the broker answers each and keeps serving. */
#include <capbox_thread.h>
#include <cloudabi/syscalls.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_broker.h"
#include "escape_raw.h"
#include "guest.h"

#define HC_THREAD_CHANNEL 66
#define HC_CALL_LIMIT 96
/* Looks at the reply's seq before a request counts as unanswered (yielding
 * every 1000): minutes on a loaded machine, not a timing assertion. */
#define REPLY_LOOKS 400000000u
#define RACE_REQUESTS 20000

static cloudabi_fd_t out_fd;
static uint16_t version;
static uint32_t seq = 0x50000000;
static unsigned char reply_buf[32768 + 64];

struct fd_params {
	uint32_t fd;
	uint32_t reserved;
};

static int exchange(int channel, uint16_t call, const void *body, size_t len,
		    int *fd)
{
	struct esc_reply_info info;
	struct esc_request req = {ESC_HC_MAGIC, version, call, ++seq,
				  (uint32_t)len};
	int err = esc_exchange(channel, req, body, len, reply_buf,
			       sizeof(reply_buf), &info);
	if (version == 0)
		version = info.version;
	if (fd != NULL)
		*fd = info.fd;
	return err;
}

static int ring(int channel)
{
	struct esc_request bell = {ESC_HC_MAGIC, version,
				   ESC_HC_MAILBOX_DOORBELL, ++seq, 0};
	return esc_send_request(channel, &bell, NULL, 0) == (long)sizeof(bell)
		       ? 0
		       : -1;
}

static unsigned char *box;

/* Waits for the reply numbered s; its error, or -1 if none came. */
static int await_reply(uint32_t s)
{
	for (uint32_t i = 0; i < REPLY_LOOKS; i++) {
		if (__atomic_load_n(
			    (uint32_t *)(void *)(box + ESC_MAILBOX_REPLY_SEQ),
			    __ATOMIC_ACQUIRE) == s) {
			struct esc_reply rep;
			memcpy(&rep, box + ESC_MAILBOX_REPLY, sizeof(rep));
			return rep.magic == ESC_HC_MAGIC && rep.seq == s
				       ? rep.error
				       : -1;
		}
		if (i % 1000 == 999)
			raw(NR_sched_yield, 0);
	}
	return -1;
}

/* Writes a request into the mailbox, publishes it, rings the doorbell and
 * waits for the reply. */
static int mailbox_call(int channel, struct esc_request req, const void *body,
			size_t len)
{
	uint32_t s = ++seq;
	uint32_t *published =
		(uint32_t *)(void *)(box + ESC_MAILBOX_REQUEST_SEQ);
	req.seq = *published; /* the header goes in unpublished */
	memcpy(box + ESC_MAILBOX_REQUEST, &req, sizeof(req));
	memcpy(box + ESC_MAILBOX_REQUEST + sizeof(req), body, len);
	__atomic_store_n(published, s, __ATOMIC_RELEASE);
	if (ring(channel) != 0)
		return -1;
	return await_reply(s);
}

static struct esc_request header(uint16_t call, uint32_t length)
{
	return (struct esc_request){ESC_HC_MAGIC, version, call, 0, length};
}

/* ---- a second thread rewrites the request while the broker reads it ---- */

static _Atomic int stop_writer;

static void scribble(void *arg)
{
	(void)arg;
	static const uint32_t lengths[] = {8, 0, 7, 0xffffffffu, 40000, 8};
	static const uint16_t calls[] = {CLOUDABI_SYS_fd_stat_get,
					 HC_CALL_LIMIT - 1};
	unsigned char *req = box + ESC_MAILBOX_REQUEST;
	for (uint32_t i = 0; !atomic_load(&stop_writer); i++) {
		uint32_t length = lengths[i % 6];
		uint16_t call = calls[(i / 6) % 2];
		__atomic_store_n((uint32_t *)(void *)(req + 12), length,
				 __ATOMIC_RELAXED);
		__atomic_store_n((uint16_t *)(void *)(req + 6), call,
				 __ATOMIC_RELAXED);
	}
}

static void races(int ch)
{
	capbox_thread_t writer;
	CHECK_EQ(capbox_thread_start(&writer, scribble, NULL, 0), 0,
		 "a second thread rewrites call and length non-stop");
	struct fd_params p = {(uint32_t)out_fd, 0};
	int unanswered = 0, unexpected = 0, refused = 0;
	for (int i = 0; i < RACE_REQUESTS; i++) {
		int err = mailbox_call(
			ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)), &p,
			sizeof(p));
		if (err < 0)
			unanswered++;
		else if (err == CLOUDABI_EINVAL || err == CLOUDABI_ENOSYS)
			refused++;
		else if (err != 0)
			unexpected++;
	}
	atomic_store(&stop_writer, 1);
	CHECK_EQ(capbox_thread_join(&writer), 0, "the writer stops");
	CHECK_EQ(unanswered, 0,
		 "each of %d requests raced that way is answered (%d refused "
		 "as rewritten)",
		 RACE_REQUESTS, refused);
	CHECK_EQ(
		unexpected, 0,
		"always with success, EINVAL or ENOSYS (what it was when copied)");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = out_fd = (cloudabi_fd_t)guest_out_fd(ad);
	struct fd_params p = {(uint32_t)out_fd, 0};
	/* Learn the protocol version from a reply to a wrong one. */
	exchange(ESC_FD_CHANNEL, CLOUDABI_SYS_fd_stat_get, &p, sizeof(p), NULL);
	CHECK(version != 0, "the broker names its protocol version");

	/* A channel of our own, as a new thread gets one. */
	struct {
		uint32_t flags, reserved;
	} none = {0, 0}, bad = {1, 0};
	int ch = -1;
	CHECK_EQ(exchange(ESC_FD_CHANNEL, HC_THREAD_CHANNEL, &none,
			  sizeof(none), &ch),
		 0, "a second channel");
	CHECK(ch >= 0, "arrives as a descriptor");
	if (ch < 0)
		exit(check_done());

	/* A doorbell without a mailbox: nothing to serve, no reply. */
	CHECK_EQ(ring(ch), 0, "a doorbell on a channel without a mailbox");
	CHECK_EQ(exchange(ch, CLOUDABI_SYS_fd_stat_get, &p, sizeof(p), NULL), 0,
		 "is ignored: the next reply is the next request's");

	CHECK_EQ(exchange(ch, ESC_HC_MAILBOX_ATTACH, &bad, sizeof(bad), NULL),
		 CLOUDABI_EINVAL, "attach with unknown flags: EINVAL");
	CHECK_EQ(exchange(ch, ESC_HC_MAILBOX_ATTACH, &none, 4, NULL),
		 CLOUDABI_EINVAL, "attach with short parameters: EINVAL");
	int memfd = -1;
	CHECK_EQ(exchange(ch, ESC_HC_MAILBOX_ATTACH, &none, sizeof(none),
			  &memfd),
		 0, "attach");
	CHECK(memfd >= 0, "gives the mailbox's memfd");
	CHECK(raw(NR_ftruncate, memfd, 0) < 0,
	      "which cannot be shrunk under the broker");
	long m = raw(NR_mmap, 0, ESC_MAILBOX_SIZE, 3 /* READ|WRITE */,
		     1 /* MAP_SHARED */, memfd, 0);
	raw(NR_close, memfd);
	CHECK(m > 0 || m < -4095, "map it");
	if (!(m > 0 || m < -4095))
		exit(check_done());
	box = (unsigned char *)m;

	/* A page of the mailbox the guest never touched: the broker would
	 * be the first to, and the page charged to the broker's memory
	 * cgroup, outside --memory-limit.  It does not use such a mailbox:
	 * the request rung below stays unserved (the socket exchange after
	 * it is served, so the doorbell has been read). */
	for (size_t at = 0; at + 4096 < ESC_MAILBOX_SIZE; at += 4096)
		box[at] = 0;
	uint32_t *reply_seq = (uint32_t *)(void *)(box + ESC_MAILBOX_REPLY_SEQ);
	uint32_t *published =
		(uint32_t *)(void *)(box + ESC_MAILBOX_REQUEST_SEQ);
	struct esc_request early = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	memcpy(box + ESC_MAILBOX_REQUEST, &early, sizeof(early));
	memcpy(box + ESC_MAILBOX_REQUEST + sizeof(early), &p, sizeof(p));
	uint32_t early_seq = ++seq;
	__atomic_store_n(published, early_seq, __ATOMIC_RELEASE);
	CHECK_EQ(ring(ch), 0, "ring with one page of the mailbox untouched");
	CHECK_EQ(exchange(ch, CLOUDABI_SYS_fd_stat_get, &p, sizeof(p), NULL), 0,
		 "the channel's socket still serves");
	CHECK_EQ(__atomic_load_n(reply_seq, __ATOMIC_ACQUIRE), 0,
		 "a mailbox with a page the guest never touched is not used");
	box[ESC_MAILBOX_SIZE - 4096] = 0;
	CHECK_EQ(ring(ch), 0, "ring once every page is the guest's");
	CHECK_EQ(await_reply(early_seq), 0,
		 "then the waiting request is served");

	CHECK_EQ(mailbox_call(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)),
			      &p, sizeof(p)),
		 0, "a well-formed request through the mailbox (control)");
	struct esc_request h = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	h.magic ^= 1;
	CHECK_EQ(mailbox_call(ch, h, &p, sizeof(p)), CLOUDABI_EINVAL,
		 "bad magic: EINVAL");
	h = header(CLOUDABI_SYS_fd_stat_get, sizeof(p));
	h.version++;
	CHECK_EQ(mailbox_call(ch, h, &p, sizeof(p)), CLOUDABI_EINVAL,
		 "bad version: EINVAL");
	CHECK_EQ(mailbox_call(ch, header(CLOUDABI_SYS_fd_stat_get, 0xffffffff),
			      &p, sizeof(p)),
		 CLOUDABI_EINVAL, "a length of 2^32-1: EINVAL");
	CHECK_EQ(mailbox_call(ch, header(CLOUDABI_SYS_fd_stat_get, 40000), &p,
			      sizeof(p)),
		 CLOUDABI_EINVAL, "a length beyond the request area: EINVAL");
	CHECK_EQ(mailbox_call(ch, header(HC_CALL_LIMIT - 1, sizeof(p)), &p,
			      sizeof(p)),
		 CLOUDABI_ENOSYS, "an unassigned call: ENOSYS");
	CHECK_EQ(mailbox_call(ch, header(ESC_HC_MAILBOX_ATTACH, sizeof(none)),
			      &none, sizeof(none)),
		 CLOUDABI_ENOSYS, "attach through the mailbox itself: ENOSYS");
	CHECK_EQ(mailbox_call(ch, header(ESC_HC_MAILBOX_DOORBELL, 0), NULL, 0),
		 CLOUDABI_ENOSYS, "a doorbell through the mailbox: ENOSYS");
	/* Doorbells with nothing new, many times over. */
	for (int i = 0; i < 1000; i++)
		ring(ch);
	CHECK_EQ(mailbox_call(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)),
			      &p, sizeof(p)),
		 0, "1,000 stray doorbells change nothing");
	races(ch);
	CHECK_EQ(mailbox_call(ch, header(CLOUDABI_SYS_fd_stat_get, sizeof(p)),
			      &p, sizeof(p)),
		 0, "after the races the mailbox still serves");

	CHECK_EQ(raw(NR_close, ch), 0, "close the channel");
	memset(box + ESC_MAILBOX_REQUEST, 0xff, 64);
	(*(uint32_t *)(void *)(box + ESC_MAILBOX_REQUEST_SEQ))++;
	escape_check_broker(out_fd, "the mailbox attacks");
	exit(check_done());
}

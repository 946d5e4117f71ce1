/* test_mailbox.c: unit test of the broker's side of a channel mailbox: sealed memory, bounded copies, replies and wake-ups. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "broker/mailbox.h"
#include "check.h"

static unsigned char buf[CAPBOX_HC_MAX_MESSAGE];

/* Attaches a new mailbox to m and returns the guest's view of it: the
 * memfd mapped as the shim maps it (NULL, with a failed check, if not). */
static unsigned char *attach_guest_view(struct mailbox *m)
{
	int fd = mailbox_attach(m);
	void *p = fd < 0 ? MAP_FAILED
			 : mmap(NULL, CAPBOX_HC_MAILBOX_SIZE,
				PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	CHECK(p != MAP_FAILED, "attach a mailbox and map it as the guest");
	if (p == MAP_FAILED)
		return NULL;
	/* The broker uses none of it until the guest has touched it all. */
	CHECK(!mailbox_arm(m), "not in use before the guest touched it");
	unsigned char *box = p;
	for (size_t at = 0; at + 4096 < CAPBOX_HC_MAILBOX_SIZE; at += 4096)
		box[at] = 0;
	CHECK(!mailbox_arm(m), "not in use with one page untouched");
	box[CAPBOX_HC_MAILBOX_SIZE - 4096] = 0;
	CHECK(mailbox_arm(m), "in use once the guest touched every page");
	return p;
}

/* Writes a request header announcing `length` bytes and `fill` bytes of
 * parameters, then publishes it with seq. */
static void guest_request(const struct mailbox *m, unsigned char *box,
			  uint32_t seq, uint32_t length, size_t fill)
{
	struct capbox_hc_request req = {CAPBOX_HC_MAGIC, CAPBOX_HC_VERSION, 7,
					seq, length};
	capbox_hc_mailbox_put_header(box + CAPBOX_HC_MAILBOX_REQUEST, &req,
				     sizeof(req));
	memset(box + CAPBOX_HC_MAILBOX_REQUEST + sizeof(req), 0xab, fill);
	CHECK(!mailbox_pending(m), "not pending before its seq is stored");
	__atomic_store_n(capbox_hc_mailbox_request_seq(box), seq,
			 __ATOMIC_RELEASE);
}

static void test_sealed(void)
{
	struct mailbox m = {0};
	int fd = mailbox_attach(&m);
	CHECK(fd >= 0 && m.unarmed != NULL && m.base == NULL,
	      "attach gives a memfd and a mapping, not yet in use");
	int seals = fcntl(fd, F_GET_SEALS);
	CHECK_EQ(seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
		 F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL,
		 "sealed against shrinking, growing and new seals");
	errno = 0;
	CHECK(ftruncate(fd, 0) == -1 && errno == EPERM,
	      "a guest holding the memfd cannot shrink it (SIGBUS for the broker)");
	CHECK(ftruncate(fd, CAPBOX_HC_MAILBOX_SIZE * 2) == -1 && errno == EPERM,
	      "nor grow it");
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == -1 && errno == EPERM,
	      "nor seal it against the broker's writes");
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == CAPBOX_HC_MAILBOX_SIZE,
	      "its size is the mailbox's");
	/* A hole punched by the guest reads back as zeros: no fault. */
	CHECK_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			   CAPBOX_HC_MAILBOX_SIZE),
		 0, "a guest may punch holes");
	CHECK(!mailbox_pending(&m) && mailbox_take(&m, buf) == 0,
	      "and the broker reads zeros: nothing pending");
	close(fd);
	mailbox_detach(&m);
	CHECK(m.base == NULL, "detach unmaps");
	mailbox_detach(&m);
}

static void test_take(void)
{
	struct mailbox m = {0};
	unsigned char *box = attach_guest_view(&m);
	if (box == NULL)
		return;
	CHECK(!mailbox_pending(&m), "a new mailbox holds no request");
	guest_request(&m, box, 1, 10, 10);
	CHECK(mailbox_pending(&m), "a published request is pending");
	size_t n = mailbox_take(&m, buf);
	CHECK_EQ(n, sizeof(struct capbox_hc_request) + 10,
		 "take copies header and parameters");
	CHECK(buf[sizeof(struct capbox_hc_request) + 9] == 0xab,
	      "the parameter bytes arrive");
	CHECK(!mailbox_pending(&m) && mailbox_take(&m, buf) == 0,
	      "a request is taken once");

	/* Hostile lengths: the copy never leaves the request area. */
	guest_request(&m, box, 2, UINT32_MAX, 0);
	CHECK_EQ(mailbox_take(&m, buf), (size_t)CAPBOX_HC_MAX_MESSAGE,
		 "length 0xffffffff: the copy stops at the area's end");
	guest_request(&m, box, 3,
		      CAPBOX_HC_MAX_MESSAGE - sizeof(struct capbox_hc_request) +
			      1,
		      0);
	CHECK_EQ(mailbox_take(&m, buf), (size_t)CAPBOX_HC_MAX_MESSAGE,
		 "one byte too long: bounded too");
	guest_request(&m, box, 4,
		      CAPBOX_HC_MAX_MESSAGE - sizeof(struct capbox_hc_request),
		      0);
	CHECK_EQ(mailbox_take(&m, buf), (size_t)CAPBOX_HC_MAX_MESSAGE,
		 "the largest request fits exactly");
	/* Any change of the request's seq is a new request, even backwards. */
	guest_request(&m, box, 1, 0, 0);
	CHECK_EQ(mailbox_take(&m, buf), sizeof(struct capbox_hc_request),
		 "a reused sequence number is still one request");

	/* The reply: header and data, then its seq. */
	struct capbox_hc_reply rep = {.magic = CAPBOX_HC_MAGIC,
				      .version = CAPBOX_HC_VERSION,
				      .call = 7,
				      .seq = 1,
				      .length = 5};
	mailbox_reply(&m, &rep, "hello");
	struct capbox_hc_mailbox_control *c = (void *)box;
	struct capbox_hc_reply seen;
	memcpy(&seen, box + CAPBOX_HC_MAILBOX_REPLY, sizeof(seen));
	CHECK(seen.seq == 1 && seen.length == 5 &&
		      memcmp(box + CAPBOX_HC_MAILBOX_REPLY + sizeof(seen),
			     "hello", 5) == 0,
	      "the reply and its data reach the guest's mapping");

	mailbox_set_polling(&m, true);
	CHECK_EQ(c->broker_polling, 1u, "the guest sees the broker polling");
	mailbox_set_polling(&m, false);
	CHECK_EQ(c->broker_polling, 0u, "and stopping");

	/* A second attach (an exec'd shim) starts afresh. */
	unsigned char *box2 = attach_guest_view(&m);
	CHECK(box2 != NULL && !mailbox_pending(&m) && m.served == 0,
	      "attaching again gives a fresh mailbox");
	guest_request(&m, box, 9, 0, 0);
	CHECK(!mailbox_pending(&m),
	      "the old one is no longer read by the broker");
	munmap(box, CAPBOX_HC_MAILBOX_SIZE);
	if (box2 != NULL)
		munmap(box2, CAPBOX_HC_MAILBOX_SIZE);
	mailbox_detach(&m);
}

/* Lists fd as the shim does when it closes without a request. */
static void guest_close(unsigned char *box, uint32_t fd)
{
	struct capbox_hc_mailbox_control *c = (void *)box;
	uint32_t head = c->closes_head;
	c->closed[head % CAPBOX_HC_MAILBOX_CLOSES] = fd;
	__atomic_store_n(&c->closes_head, head + 1, __ATOMIC_RELEASE);
}

static void test_closes(void)
{
	struct mailbox m = {0};
	uint32_t fds[CAPBOX_HC_MAILBOX_CLOSES];
	CHECK_EQ(mailbox_take_closes(&m, fds), (size_t)0,
		 "no mailbox: no closes");
	unsigned char *box = attach_guest_view(&m);
	if (box == NULL)
		return;
	struct capbox_hc_mailbox_control *c = (void *)box;
	CHECK_EQ(mailbox_take_closes(&m, fds), (size_t)0, "none listed");
	guest_close(box, 7);
	guest_close(box, 3);
	guest_close(box, 9);
	CHECK(mailbox_take_closes(&m, fds) == 3 && fds[0] == 7 && fds[1] == 3 &&
		      fds[2] == 9,
	      "three listed: taken once, in order");
	CHECK_EQ(c->closes_done, 3u, "the shim sees them done");
	CHECK_EQ(mailbox_take_closes(&m, fds), (size_t)0, "and not again");
	/* Around the end of the list. */
	for (uint32_t i = 0; i < 20; i++)
		guest_close(box, 100 + i);
	size_t n = mailbox_take_closes(&m, fds);
	CHECK(n == CAPBOX_HC_MAILBOX_CLOSES && fds[0] == 104 && fds[15] == 119,
	      "20 listed past a full list: the last 16, no more (%zu)", n);
	/* A hostile head: far ahead, or behind what was done. */
	c->closes_head += 1000000;
	CHECK_EQ(mailbox_take_closes(&m, fds), (size_t)CAPBOX_HC_MAILBOX_CLOSES,
		 "a head far ahead: 16 at most");
	c->closes_head -= 5;
	CHECK(mailbox_take_closes(&m, fds) <= CAPBOX_HC_MAILBOX_CLOSES,
	      "a head gone back: 16 at most");
	CHECK_EQ(mailbox_take_closes(&m, fds), (size_t)0,
		 "then nothing until it moves again");
	munmap(box, CAPBOX_HC_MAILBOX_SIZE);
	mailbox_detach(&m);
}

/* A guest sleeping in FUTEX_WAIT with guest_sleeping set is woken by the
 * reply (another process, as in a sandbox). */
static void test_wake(void)
{
	struct mailbox m = {0};
	unsigned char *box = attach_guest_view(&m);
	if (box == NULL)
		return;
	struct capbox_hc_mailbox_control *c = (void *)box;
	__atomic_store_n(&c->guest_sleeping, 1, __ATOMIC_SEQ_CST);
	pid_t child = fork();
	if (child == 0) {
		/* Sleeps until the reply's seq moves from 0; a lost wake-up
		 * shows as the 10 s timeout (exit 1). */
		struct timespec limit = {10, 0};
		uint32_t *seq = capbox_hc_mailbox_reply_seq(box);
		while (__atomic_load_n(seq, __ATOMIC_ACQUIRE) == 0) {
			long r = syscall(SYS_futex, seq, FUTEX_WAIT, 0, &limit,
					 NULL, 0);
			if (r != 0 && errno == ETIMEDOUT)
				_exit(1);
		}
		_exit(0);
	}
	usleep(20000); /* let it fall asleep (not required for the result) */
	struct capbox_hc_reply rep = {.magic = CAPBOX_HC_MAGIC, .seq = 5};
	mailbox_reply(&m, &rep, NULL);
	int status = -1;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a sleeping guest is woken by the reply");
	munmap(box, CAPBOX_HC_MAILBOX_SIZE);
	mailbox_detach(&m);
}

int main(void)
{
	test_sealed();
	test_take();
	test_closes();
	test_wake();
	return check_done();
}

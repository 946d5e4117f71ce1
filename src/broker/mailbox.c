/* mailbox.c: the broker's side of a channel's shared-memory mailbox: create, take a request, post a reply. */
#include "broker/mailbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine/confine.h"

static struct capbox_hc_mailbox_control *control(const struct mailbox *m)
{
	return (struct capbox_hc_mailbox_control *)m->base;
}

int mailbox_attach(struct mailbox *m)
{
	int fd = memfd_create("capbox-mailbox",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	/* Sealed before the guest sees it: a guest that shrank the file
	 * would make the broker's next look at it a SIGBUS. */
	void *base = MAP_FAILED;
	uint64_t soft = confine_own_files_begin();
	int sized = ftruncate(fd, CAPBOX_HC_MAILBOX_SIZE);
	confine_own_files_end(soft);
	if (sized == 0 && fcntl(fd, F_ADD_SEALS,
				F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0)
		base = mmap(NULL, CAPBOX_HC_MAILBOX_SIZE,
			    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	mailbox_detach(m);
	m->unarmed = base;
	m->served = 0;
	m->closes_done = 0;
	return fd;
}

bool mailbox_arm(struct mailbox *m)
{
	if (m->base != NULL || m->unarmed == NULL)
		return m->base != NULL;
	unsigned char resident[CAPBOX_HC_MAILBOX_SIZE / 4096];
	_Static_assert(CAPBOX_HC_MAILBOX_SIZE % 4096 == 0,
		       "the mailbox is whole pages");
	if (mincore(m->unarmed, CAPBOX_HC_MAILBOX_SIZE, resident) != 0)
		return false;
	for (size_t i = 0; i < sizeof(resident); i++)
		if (!(resident[i] & 1))
			return false;
	m->base = m->unarmed;
	m->unarmed = NULL;
	return true;
}

void mailbox_detach(struct mailbox *m)
{
	if (m->base != NULL)
		munmap(m->base, CAPBOX_HC_MAILBOX_SIZE);
	if (m->unarmed != NULL)
		munmap(m->unarmed, CAPBOX_HC_MAILBOX_SIZE);
	m->base = NULL;
	m->unarmed = NULL;
}

bool mailbox_pending(const struct mailbox *m)
{
	return m->base != NULL &&
	       __atomic_load_n(capbox_hc_mailbox_request_seq(m->base),
			       __ATOMIC_ACQUIRE) != m->served;
}

size_t mailbox_take(struct mailbox *m, unsigned char *buf)
{
	if (!mailbox_pending(m))
		return 0;
	m->served = __atomic_load_n(capbox_hc_mailbox_request_seq(m->base),
				    __ATOMIC_ACQUIRE);
	m->guest_cpu = __atomic_load_n(&control(m)->guest_cpu,
				       __ATOMIC_RELAXED);
	const unsigned char *request = m->base + CAPBOX_HC_MAILBOX_REQUEST;
	/* Read the length once, bound it, copy once: the decoder sees only
	 * the copy, whatever the guest writes meanwhile. */
	struct capbox_hc_request header;
	memcpy(&header, request, sizeof(header));
	size_t n = sizeof(header) + (size_t)header.length;
	if (header.length > CAPBOX_HC_MAX_MESSAGE - sizeof(header))
		n = CAPBOX_HC_MAX_MESSAGE; /* the decoder rejects it */
	memcpy(buf, request, n);
	return n;
}

void mailbox_reply(struct mailbox *m, const struct capbox_hc_reply *rep,
		   const void *data)
{
	unsigned char *reply = m->base + CAPBOX_HC_MAILBOX_REPLY;
	capbox_hc_mailbox_put_header(reply, rep, sizeof(*rep));
	if (rep->length > 0)
		memcpy(reply + sizeof(*rep), data, rep->length);
	uint32_t *seq = capbox_hc_mailbox_reply_seq(m->base);
	__atomic_store_n(seq, rep->seq, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&control(m)->guest_sleeping, __ATOMIC_RELAXED) != 0)
		syscall(SYS_futex, seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

size_t mailbox_take_closes(struct mailbox *m, uint32_t *fds)
{
	if (!mailbox_arm(m))
		return 0;
	struct capbox_hc_mailbox_control *c = control(m);
	uint32_t head = __atomic_load_n(&c->closes_head, __ATOMIC_ACQUIRE);
	uint32_t count = head - m->closes_done;
	if (count == 0)
		return 0;
	/* A head that ran ahead by more than the list holds (or went back)
	 * is the guest's own confusion: take the last entries, no more. */
	if (count > CAPBOX_HC_MAILBOX_CLOSES)
		count = CAPBOX_HC_MAILBOX_CLOSES;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t at = (head - count + i) % CAPBOX_HC_MAILBOX_CLOSES;
		fds[i] = __atomic_load_n(&c->closed[at], __ATOMIC_RELAXED);
	}
	m->closes_done = head;
	__atomic_store_n(&c->closes_done, head, __ATOMIC_RELEASE);
	return count;
}

void mailbox_set_polling(struct mailbox *m, bool on)
{
	if (m->base == NULL)
		return;
	__atomic_store_n(&control(m)->broker_polling, on ? 1u : 0u,
			 __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

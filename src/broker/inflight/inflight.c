/* inflight.c: descriptors travelling on sockets: the registry that keeps their rights, and what a received descriptor becomes. */
#include "broker/inflight/inflight.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "broker/fdbudget.h"
#include "broker/grant_internal.h"
#include "broker/process.h"
#include "broker/sandbox.h"
#include "broker/inflight/sockdiag.h"
#include "common/linux_convert.h"

struct record {
	bool used;
	uint64_t seq;  /* order of recording: the smallest is the oldest */
	int held;      /* the broker's duplicate of what was sent */
	int directory; /* for a token: the real directory; else -1 */
	dev_t dev;     /* of `held`, to skip kcmp for other objects */
	ino_t ino;
	cloudabi_filetype_t type;
	struct rights rights;
	struct guest *process; /* a process descriptor's process (a ref) */
	uint32_t waiting_ino;  /* the unix socket whose queue holds the
				* message (sockdiag.h), or 0: unknown */
};

static struct record records[INFLIGHT_MAX];
static uint64_t next_seq = 1;

static void drop(struct record *r)
{
	close(r->held);
	if (r->directory >= 0)
		close(r->directory);
	if (r->process != NULL)
		process_unref(r->process);
	*r = (struct record){.used = false, .held = -1, .directory = -1};
}

/* A free slot; NULL when the sandbox has INFLIGHT_MAX records. */
static struct record *free_slot(void)
{
	for (size_t i = 0; i < INFLIGHT_MAX; i++) {
		if (!records[i].used)
			return &records[i];
	}
	return NULL;
}

/*
 * Drops every record whose message can no longer be received: the socket
 * it waited on is gone (closed unread, so Linux dropped the message and
 * the descriptors in it).  Only the kernel's "no such socket" counts; a
 * record whose socket is unknown, or that cannot be asked about, stays.
 * One question per socket (a flood waits on one socket), and one sweep
 * per COLLECT_INTERVAL_NS at most, so that a guest that keeps the
 * registry full with messages it will never let go cannot make the broker
 * ask the kernel about 1024 sockets for every send it refuses.
 */
#define COLLECT_INTERVAL_NS 20000000 /* 20 ms */
#define COLLECT_ASKED 32

static void collect_dropped_messages(void)
{
	static uint64_t last_ns;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t now_ns = (uint64_t)now.tv_sec * 1000000000u +
			  (uint64_t)now.tv_nsec;
	if (last_ns != 0 && now_ns - last_ns < COLLECT_INTERVAL_NS)
		return;
	last_ns = now_ns;
	struct {
		uint32_t ino;
		bool gone;
	} asked[COLLECT_ASKED];
	size_t nasked = 0;
	for (size_t i = 0; i < INFLIGHT_MAX; i++) {
		struct record *r = &records[i];
		if (!r->used || r->waiting_ino == 0)
			continue;
		size_t k = 0;
		while (k < nasked && asked[k].ino != r->waiting_ino)
			k++;
		bool gone;
		if (k < nasked) {
			gone = asked[k].gone;
		} else {
			gone = sockdiag_unix_gone(r->waiting_ino);
			if (nasked < COLLECT_ASKED)
				asked[nasked++] = (typeof(asked[0])){
					r->waiting_ino, gone};
		}
		if (gone)
			drop(r);
	}
}

/* fcntl(F_DUPFD_CLOEXEC) above the guest's numbers. */
static int dup_high(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, fdbudget_layout.private_end);
}

/* The errno a failed recording gives the sender: running out of room,
 * in the registry or in the broker's own descriptors, is ENOBUFS (the
 * sandbox's quota of descriptors in flight), never the guest's EMFILE. */
static cloudabi_errno_t record_errno(int linux_errno)
{
	if (linux_errno == EMFILE || linux_errno == ENFILE)
		return CLOUDABI_ENOBUFS;
	return capbox_errno_from_linux(linux_errno);
}

cloudabi_errno_t inflight_record(const struct cap *cap, uint32_t waiting_ino,
				 int *sent, unsigned *id)
{
	struct record *r = free_slot();
	if (r == NULL) {
		collect_dropped_messages();
		r = free_slot();
	}
	if (r == NULL)
		return CLOUDABI_ENOBUFS;
	bool dir = cap->type == CLOUDABI_FILETYPE_DIRECTORY;
	int wire = dir ? epoll_create1(EPOLL_CLOEXEC) : dup_high(cap->object);
	if (wire < 0)
		return record_errno(errno);
	struct stat st;
	int held = dup_high(wire);
	int directory = dir ? dup_high(cap->object) : -1;
	if (held < 0 || (dir && directory < 0) || fstat(held, &st) != 0) {
		cloudabi_errno_t err = record_errno(errno);
		close(wire);
		if (held >= 0)
			close(held);
		if (directory >= 0)
			close(directory);
		return err;
	}
	*r = (struct record){
		.used = true,
		.seq = next_seq++,
		.held = held,
		.directory = directory,
		.dev = st.st_dev,
		.ino = st.st_ino,
		.type = cap->type,
		.rights = cap->rights,
		.process = cap->process,
		.waiting_ino = waiting_ino,
	};
	if (r->process != NULL)
		process_ref(r->process);
	*sent = wire;
	*id = (unsigned)(r - records);
	return 0;
}

void inflight_cancel(unsigned id)
{
	if (id < INFLIGHT_MAX && records[id].used)
		drop(&records[id]);
}

void inflight_clear(void)
{
	for (size_t i = 0; i < INFLIGHT_MAX; i++) {
		if (records[i].used)
			drop(&records[i]);
	}
}

static bool same_file(int a, int b)
{
	pid_t self = getpid();
	return syscall(SYS_kcmp, self, self, KCMP_FILE, a, b) == 0;
}

/*
 * A descriptor no record knows may still be one the sandbox holds: a guest
 * could send its own descriptors with a raw sendmsg, bypassing the broker
 * (the filter refuses sendmsg now; this stays as a second line).
 * It must not come back with more rights than the sandbox has for the
 * object, so it gets the intersection of every capability of the sandbox
 * naming the same open file description.  False if none does.
 */
static bool claim_held(const struct sandbox *sb, int received, struct cap *out)
{
	bool found = false;
	for (const struct guest *g = sb->guests; g != NULL; g = g->next) {
		for (cloudabi_fd_t fd = 0; fd < CAPBOX_GUEST_FD_LIMIT; fd++) {
			const struct cap *c = &g->caps.slots[fd];
			if (!c->present || !same_file(received, c->object))
				continue;
			if (!found) {
				*out = *c;
				found = true;
			} else {
				out->rights.base &= c->rights.base;
				out->rights.inheriting &= c->rights.inheriting;
			}
		}
	}
	if (!found)
		return false;
	out->object = grant_move_high(received);
	if (out->object >= 0 && out->process != NULL)
		process_ref(out->process);
	return true;
}

cloudabi_errno_t inflight_claim(const struct sandbox *sb, int received,
				bool consume, struct cap *out)
{
	struct stat st;
	if (fstat(received, &st) != 0) {
		cloudabi_errno_t err = capbox_errno_from_linux(errno);
		close(received);
		return err;
	}
	struct record *match = NULL;
	cloudabi_rights_t base = ~(cloudabi_rights_t)0;
	cloudabi_rights_t inheriting = ~(cloudabi_rights_t)0;
	for (size_t i = 0; i < INFLIGHT_MAX; i++) {
		struct record *r = &records[i];
		if (!r->used || r->dev != st.st_dev || r->ino != st.st_ino ||
		    !same_file(received, r->held))
			continue;
		base &= r->rights.base;
		inheriting &= r->rights.inheriting;
		if (match == NULL || r->seq < match->seq)
			match = r;
	}
	if (match == NULL) {
		if (claim_held(sb, received, out))
			return out->object < 0 ? capbox_errno_from_linux(errno)
					       : 0;
		/* Nothing proves any right: refused (inflight.h). */
		close(received);
		return CLOUDABI_EBADF;
	}

	int object;
	if (match->directory >= 0) {
		/* A token: the guest gets a new placeholder for the directory. */
		close(received);
		object = consume ? match->directory
				 : dup_high(match->directory);
		if (consume)
			match->directory = -1;
	} else {
		object = grant_move_high(received);
	}
	if (object < 0)
		return capbox_errno_from_linux(errno);
	*out = (struct cap){
		.type = match->type,
		.rights = {base, inheriting},
		.object = object,
		.process = match->process,
	};
	if (out->process != NULL)
		process_ref(out->process);
	if (consume)
		drop(match);
	return 0;
}

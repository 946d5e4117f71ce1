/* limits_handoff.c: the sandbox's cgroups, made by the launcher while the broker starts, handed over in single messages of bytes and descriptors. */
#include "limits/limits_handoff.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

union handoff_control {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int) * HANDOFF_MAX_FDS)];
};

int handoff_send(int sock, const void *data, size_t len, const int *fds,
		 size_t nfds)
{
	if (nfds > HANDOFF_MAX_FDS)
		return EINVAL;
	union handoff_control control;
	memset(&control, 0, sizeof(control));
	struct iovec iov = {(void *)data, len};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds > 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	ssize_t n;
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : n < 0 ? errno : EIO;
}

int handoff_receive(int sock, void *data, size_t len, int *fds, size_t maxfds,
		    size_t *nfds)
{
	union handoff_control control;
	struct iovec iov = {data, len};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf)};
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno;
	size_t got = 0;
	bool overflow = false;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	     cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(fd));
			if (got < maxfds) {
				fds[got++] = fd;
			} else {
				overflow = true;
				close(fd);
			}
		}
	}
	int err = 0;
	if (n == 0 && got == 0)
		err = EPIPE;
	else if ((size_t)n != len || overflow ||
		 (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0)
		err = EPROTO;
	if (err != 0) {
		for (size_t i = 0; i < got; i++)
			close(fds[i]);
		got = 0;
	}
	*nfds = got;
	return err;
}

/* The places' message: each controller's place; its directory travels as
 * the next descriptor when has_dir.  No path: the broker reads its
 * counters through the directories, and the launcher, which removes the
 * cgroups, keeps the paths. */
struct places_wire {
	struct {
		int32_t version;
		uint8_t made;
		uint8_t has_dir;
	} place[CG_COUNT];
};

int handoff_send_places(int sock, const struct cg_place places[CG_COUNT])
{
	struct places_wire wire;
	int fds[CG_COUNT];
	size_t nfds = 0;
	memset(&wire, 0, sizeof(wire));
	for (int c = 0; c < CG_COUNT; c++) {
		wire.place[c].version = places[c].version;
		wire.place[c].made = places[c].made;
		wire.place[c].has_dir = places[c].dir >= 0;
		if (places[c].dir >= 0)
			fds[nfds++] = places[c].dir;
	}
	return handoff_send(sock, &wire, sizeof(wire), fds, nfds);
}

int handoff_receive_places(int sock, struct cg_place places[CG_COUNT])
{
	struct places_wire wire;
	int fds[CG_COUNT];
	size_t nfds;
	int err = handoff_receive(sock, &wire, sizeof(wire), fds, CG_COUNT,
				  &nfds);
	if (err != 0)
		return err;
	size_t want = 0;
	bool whole = true;
	for (int c = 0; c < CG_COUNT; c++) {
		want += wire.place[c].has_dir != 0;
		whole = whole && wire.place[c].version >= 0 &&
			wire.place[c].version <= 2;
	}
	if (!whole || want != nfds) {
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
		return EPROTO;
	}
	size_t next = 0;
	for (int c = 0; c < CG_COUNT; c++) {
		places[c] = (struct cg_place){
			.version = wire.place[c].version,
			.dir = wire.place[c].has_dir ? fds[next++] : -1,
			.made = wire.place[c].made != 0,
		};
	}
	return 0;
}

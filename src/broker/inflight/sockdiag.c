/* sockdiag.c: what the kernel's socket diagnostics say of a unix socket the broker cannot hold: its peer, and whether it still exists. */
#include "broker/inflight/sockdiag.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Asks for unix socket ino with UDIAG_SHOW_PEER; 0 and *peer (0 if it
 * has none), or an errno value. */
static int ask(uint32_t ino, uint32_t *peer)
{
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		       NETLINK_SOCK_DIAG);
	if (s < 0)
		return errno;
	struct {
		struct nlmsghdr nh;
		struct unix_diag_req req;
	} request;
	memset(&request, 0, sizeof(request));
	request.nh.nlmsg_len = sizeof(request);
	request.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	request.nh.nlmsg_flags = NLM_F_REQUEST;
	request.req.sdiag_family = AF_UNIX;
	request.req.udiag_ino = ino;
	request.req.udiag_show = UDIAG_SHOW_PEER;
	request.req.udiag_cookie[0] = ~0U; /* INET_DIAG_NOCOOKIE: any */
	request.req.udiag_cookie[1] = ~0U;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int err = 0;
	if (sendto(s, &request, sizeof(request), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		err = errno;
		close(s);
		return err;
	}
	union {
		struct nlmsghdr align;
		char buf[1024];
	} reply;
	ssize_t n;
	do {
		n = recv(s, reply.buf, sizeof(reply.buf), 0);
	} while (n < 0 && errno == EINTR);
	err = n < 0 ? errno : 0;
	close(s);
	if (err != 0)
		return err;
	const struct nlmsghdr *nh = &reply.align;
	if (!NLMSG_OK(nh, (size_t)n))
		return EPROTO;
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return EPROTO;
		return e->error < 0 ? -e->error : EPROTO;
	}
	if (nh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
		return EPROTO;
	const struct unix_diag_msg *m = NLMSG_DATA(nh);
	if (m->udiag_ino != ino)
		return EPROTO;
	*peer = 0;
	int left = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*m));
	for (const struct rtattr *a =
		     (const struct rtattr *)((const char *)m +
					     NLMSG_ALIGN(sizeof(*m)));
	     RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		if (a->rta_type == UNIX_DIAG_PEER &&
		    RTA_PAYLOAD(a) >= sizeof(uint32_t))
			memcpy(peer, RTA_DATA(a), sizeof(uint32_t));
	}
	return 0;
}

int sockdiag_unix_peer(uint32_t ino, uint32_t *peer)
{
	return ask(ino, peer);
}

int sockdiag_unix_gone(uint32_t ino)
{
	uint32_t peer;
	return ask(ino, &peer) == ENOENT;
}

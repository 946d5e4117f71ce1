/* escape_reach.c: a hostile guest tries to make its sockets reach further than their grants name (raw sendmsg, sendto with an address, sendmmsg, MSG_FASTOPEN, host abstract names, SCM_RIGHTS to a host peer); driven by tests/cli/escape_reach.sh, which listens where nothing may arrive. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "../guest/escape_raw.h"

/* Linux message flags (include/linux/socket.h) and errno values. */
#define L_MSG_OOB 0x1
#define L_MSG_EOR 0x80
#define L_MSG_CONFIRM 0x800
#define L_MSG_MORE 0x8000
#define L_MSG_FASTOPEN 0x20000000
#define L_EDESTADDRREQ 89
#define L_AF_UNIX 1
#define L_AF_INET 2

struct l_sockaddr_in {
	uint16_t family;
	uint16_t port; /* network order */
	uint32_t addr; /* network order */
	uint8_t zero[8];
};

struct l_sockaddr_un {
	uint16_t family;
	char path[108];
};

struct l_mmsghdr {
	struct l_msghdr hdr;
	uint32_t len;
};

/* One address of any family, with its length. */
struct target {
	union {
		struct l_sockaddr_in in;
		struct l_sockaddr_un un;
	} sa;
	uint32_t len;
};

static const argdata_t *args;

static const char *arg_str(const char *key)
{
	argdata_t v;
	const char *s;
	if (argdata_map_find(*args, key, strlen(key), &v) != ARGDATA_OK ||
	    argdata_get_str_c(v, &s) != ARGDATA_OK)
		exit(3);
	return s;
}

/* 127.0.0.1:port, the port given as a string under key. */
static struct target loopback(const char *key)
{
	unsigned port = 0;
	for (const char *d = arg_str(key); *d >= '0' && *d <= '9'; d++)
		port = port * 10 + (unsigned)(*d - '0');
	if (port == 0 || port > 65535)
		exit(3);
	struct target t = {.len = sizeof(struct l_sockaddr_in)};
	t.sa.in.family = L_AF_INET;
	t.sa.in.port = (uint16_t)((port >> 8) | (port << 8));
	t.sa.in.addr = 0x0100007f;
	return t;
}

/* A unix address: abstract (a leading NUL, then name) or a path. */
static struct target unix_name(const char *name, int abstract)
{
	struct target t;
	memset(&t, 0, sizeof(t));
	size_t len = strlen(name);
	if (len > sizeof(t.sa.un.path) - 2)
		exit(3);
	t.sa.un.family = L_AF_UNIX;
	memcpy(t.sa.un.path + (abstract ? 1 : 0), name, len);
	/* the family, then the leading NUL or the path's final one */
	t.len = (uint32_t)(sizeof(uint16_t) + len + 1);
	return t;
}

/* The three ways to name a destination, as raw system calls. */
static long send_msg(int sock, const char *data, const struct target *to,
		     int flags)
{
	struct l_iovec iov = {data, strlen(data)};
	struct l_msghdr msg = {.name = (void *)&to->sa,
			       .namelen = to->len,
			       .iov = &iov,
			       .iovlen = 1};
	return raw(NR_sendmsg, sock, &msg, flags);
}

static long send_to(int sock, const char *data, const struct target *to,
		    int flags)
{
	return raw(NR_sendto, sock, data, strlen(data), flags, &to->sa,
		   to->len);
}

static long send_mmsg(int sock, const char *data, const struct target *to)
{
	struct l_iovec iov = {data, strlen(data)};
	struct l_mmsghdr m = {.hdr = {.name = (void *)&to->sa,
				      .namelen = to->len,
				      .iov = &iov,
				      .iovlen = 1}};
	return raw(NR_sendmmsg, sock, &m, 1, 0);
}

/* Every way of sending data to `to` from sock is refused by the filter. */
static void refused_to(const char *what, int sock, const struct target *to,
		       int flags)
{
	CHECK_EQ(send_msg(sock, "reach-sendmsg", to, flags), -L_EPERM,
		 "%s: sendmsg with an address: EPERM", what);
	CHECK_EQ(send_to(sock, "reach-sendto", to, flags | L_MSG_NOSIGNAL),
		 -L_EPERM, "%s: sendto with an address: EPERM", what);
	CHECK_EQ(send_mmsg(sock, "reach-sendmmsg", to), -L_EPERM,
		 "%s: sendmmsg with an address: EPERM", what);
}

/* Sends one datagram the way the shim does: to the connected peer. */
static void control(int sock, const char *data)
{
	CHECK_EQ(raw(NR_sendto, sock, data, strlen(data), L_MSG_NOSIGNAL, 0, 0),
		 (long)strlen(data), "%s: sent to the granted peer", data);
}

/* A UDP socket granted connected to P reaches P and nothing else. */
static void connected_udp(void)
{
	int udp = (int)guest_grant_fd(args, "udp_conn");
	struct target q = loopback("q_port");
	control(udp, "control-1");
	refused_to("connected UDP to another port", udp, &q, 0);
}

/* A UDP socket granted bound only receives: it sends nowhere. */
static void bound_udp(void)
{
	int udp = (int)guest_grant_fd(args, "udp_bound");
	struct target q = loopback("q_port");
	refused_to("bound-only UDP", udp, &q, 0);
	CHECK_EQ(raw(NR_write, udp, "reach-write", 11), -L_EDESTADDRREQ,
		 "bound-only UDP: a plain write has no destination "
		 "(EDESTADDRREQ)");
	CHECK_EQ(raw(NR_sendto, udp, "reach-sendto", 12, L_MSG_NOSIGNAL, 0, 0),
		 -L_EDESTADDRREQ, "bound-only UDP: nor a sendto without one");
}

/* MSG_FASTOPEN connects as it sends: with an address, on a granted
 * listening socket and a granted connected one. */
static void fastopen(void)
{
	struct target u = loopback("u_port");
	static const char *const keys[] = {"tcp_lis", "tcp_conn"};
	for (size_t i = 0; i < 2; i++) {
		int tcp = (int)guest_grant_fd(args, keys[i]);
		CHECK_EQ(send_to(tcp, "reach-fastopen", &u,
				 L_MSG_FASTOPEN | L_MSG_NOSIGNAL),
			 -L_EPERM,
			 "%s: sendto MSG_FASTOPEN to another port: "
			 "EPERM",
			 keys[i]);
		CHECK_EQ(send_msg(tcp, "reach-fastopen", &u, L_MSG_FASTOPEN),
			 -L_EPERM, "%s: sendmsg MSG_FASTOPEN: EPERM", keys[i]);
	}
}

static void pair_of(cloudabi_filetype_t type, cloudabi_fd_t pair[2])
{
	CHECK_EQ(cloudabi_sys_fd_create2(type, &pair[0], &pair[1]), 0,
		 "a socket pair made by the broker");
}

/*
 * The broker makes fd_create2's sockets in the host's network namespace,
 * where abstract names live.  Sending to a name the script bound, to one
 * nobody bound, to a host path that exists and to one that does not gets
 * one answer, EPERM: nothing arrives and nothing tells what exists.
 */
static void host_names(void)
{
	cloudabi_fd_t pair[2];
	pair_of(CLOUDABI_FILETYPE_SOCKET_DGRAM, pair);
	const struct {
		const char *what;
		struct target to;
	} names[] = {
		{"a host abstract name that exists",
		 unix_name(arg_str("abstract"), 1)},
		{"a host abstract name nobody bound",
		 unix_name(arg_str("abstract_absent"), 1)},
		{"a host path that exists", unix_name(arg_str("path"), 0)},
		{"a host path that does not",
		 unix_name(arg_str("path_absent"), 0)},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		refused_to(names[i].what, (int)pair[0], &names[i].to, 0);
		CHECK_EQ(raw(NR_connect, pair[0], &names[i].to.sa,
			     names[i].to.len),
			 -L_EPERM, "%s: connect: EPERM", names[i].what);
	}
	/* What a received datagram says about its sender: an unnamed
	 * socket pair's peer has no name to give. */
	CHECK_EQ(raw(NR_write, pair[1], "x", 1), 1, "a datagram to the pair");
	struct l_sockaddr_un from;
	memset(&from, 0x55, sizeof(from));
	char byte;
	struct l_iovec iov = {&byte, 1};
	struct l_msghdr msg = {.name = &from,
			       .namelen = sizeof(from),
			       .iov = &iov,
			       .iovlen = 1};
	CHECK_EQ(raw(NR_recvmsg, pair[0], &msg, 0), 1, "received raw");
	CHECK(msg.namelen <= sizeof(uint16_t),
	      "recvmsg names no sender (%u bytes of address)", msg.namelen);
	for (int i = 0; i < 2; i++) {
		struct l_sockaddr_un self;
		uint32_t len = sizeof(self);
		CHECK_EQ(raw(NR_getsockname, pair[i], &self, &len), -L_EPERM,
			 "getsockname: EPERM");
		CHECK_EQ(raw(NR_getpeername, pair[i], &self, &len), -L_EPERM,
			 "getpeername: EPERM");
	}
	struct target none = unix_name(arg_str("abstract"), 1);
	CHECK_EQ(raw(NR_sendto, pair[0], NULL, 0, L_MSG_NOSIGNAL, &none.sa,
		     none.len),
		 -L_EPERM, "sendto with an address and no data: EPERM");
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

/* Message flags other than MSG_NOSIGNAL, whichever call carries them:
 * refused, and nothing reaches the peer. */
static void other_flags(void)
{
	cloudabi_fd_t pair[2];
	pair_of(CLOUDABI_FILETYPE_SOCKET_STREAM, pair);
	static const struct {
		int flags;
		const char *name;
	} flags[] = {
		{L_MSG_OOB, "MSG_OOB"},
		{L_MSG_DONTWAIT, "MSG_DONTWAIT"},
		{L_MSG_MORE, "MSG_MORE"},
		{L_MSG_EOR, "MSG_EOR"},
		{L_MSG_CONFIRM, "MSG_CONFIRM"},
		{L_MSG_FASTOPEN, "MSG_FASTOPEN"},
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		CHECK_EQ(raw(NR_sendto, pair[0], "f", 1,
			     flags[i].flags | L_MSG_NOSIGNAL, 0, 0),
			 -L_EPERM, "sendto with %s: EPERM", flags[i].name);
		struct l_iovec iov = {"f", 1};
		struct l_msghdr msg = {.iov = &iov, .iovlen = 1};
		CHECK_EQ(raw(NR_sendmsg, pair[0], &msg, flags[i].flags),
			 -L_EPERM, "sendmsg with %s: EPERM", flags[i].name);
	}
	CHECK_EQ(raw(NR_sendto, pair[0], "f", 1, 0, 0, 0), -L_EPERM,
		 "sendto without MSG_NOSIGNAL: EPERM");
	int pending = -1;
	CHECK_EQ(raw(NR_ioctl, pair[1], 0x541B /* FIONREAD */, &pending), 0,
		 "FIONREAD on the peer");
	CHECK_EQ(pending, 0, "nothing reached the peer");
	cloudabi_sys_fd_close(pair[0]);
	cloudabi_sys_fd_close(pair[1]);
}

/* A granted unix socket to a host process: kernel descriptors (the
 * channel to the broker, the log) cannot be handed to it raw. */
static void descriptors_to_host(void)
{
	int peer = (int)guest_grant_fd(args, "unix_host");
	CHECK_EQ(esc_send_fd(peer, ESC_FD_CHANNEL), -L_EPERM,
		 "the channel sent raw to a host peer: EPERM");
	CHECK_EQ(esc_send_fd(peer, check_out_fd), -L_EPERM,
		 "a granted descriptor sent raw to a host peer: EPERM");
	control(peer, "end");
}

void program_main(const argdata_t *ad)
{
	args = ad;
	check_out_fd = guest_out_fd(ad);
	connected_udp();
	bound_udp();
	fastopen();
	host_names();
	other_flags();
	descriptors_to_host();
	/* Sent last: the script waits for it before it looks at the ports
	 * where nothing may have arrived. */
	control((int)guest_grant_fd(ad, "udp_conn"), "control-2");
	exit(check_done());
}

/* grant_socket.c: the socket grant: bind (and listen) or connect before the guest starts. */
#include <errno.h>
#include <stdbool.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "broker/grant.h"
#include "broker/grant_internal.h"

static int linux_socktype(enum grant_socket_type type)
{
	switch (type) {
	case GRANT_SOCKET_DGRAM:
		return SOCK_DGRAM;
	case GRANT_SOCKET_SEQPACKET:
		return SOCK_SEQPACKET;
	case GRANT_SOCKET_STREAM:
	default:
		return SOCK_STREAM;
	}
}

/* CloudABI has no seqpacket file type: a seqpacket socket is connection
 * oriented (accept works on it), so the guest sees socket_stream. */
static cloudabi_filetype_t guest_type(enum grant_socket_type type)
{
	return type == GRANT_SOCKET_DGRAM ? CLOUDABI_FILETYPE_SOCKET_DGRAM
					  : CLOUDABI_FILETYPE_SOCKET_STREAM;
}

/* Binds or connects s; returns 0 or -1 with errno set. */
static int attach(int s, enum grant_socket_mode mode,
		  enum grant_socket_type type, const struct sockaddr *sa,
		  socklen_t len)
{
	if (mode == GRANT_SOCKET_CONNECT)
		return connect(s, sa, len);
	if (sa->sa_family != AF_UNIX) {
		int one = 1;
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}
	if (bind(s, sa, len) != 0)
		return -1;
	if (type != GRANT_SOCKET_DGRAM && listen(s, SOMAXCONN) != 0)
		return -1;
	return 0;
}

static int unix_socket(const char *where, const char *address,
		       enum grant_socket_mode mode, enum grant_socket_type type)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t len = strlen(address);
	if (len >= sizeof(sun.sun_path)) {
		grant_warn(where, 0,
			   "%s: a unix socket path has at most %zu bytes",
			   address, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, address, len + 1);
	int s = socket(AF_UNIX, linux_socktype(type) | SOCK_CLOEXEC, 0);
	if (s < 0 || attach(s, mode, type, (const struct sockaddr *)&sun,
			    sizeof(sun)) != 0) {
		grant_warn(where, errno, "%s", address);
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* Splits "host:port" or "[v6]:port" into host and port (in buf). */
static int split_host_port(const char *where, const char *address, char *buf,
			   size_t cap, const char **host, const char **port)
{
	size_t len = strlen(address);
	if (len >= cap) {
		grant_warn(where, 0, "%s: address too long", address);
		return -1;
	}
	memcpy(buf, address, len + 1);
	char *colon;
	if (buf[0] == '[') {
		char *close_br = strchr(buf, ']');
		if (close_br == NULL || close_br[1] != ':') {
			grant_warn(where, 0, "%s: expected [IPv6-ADDRESS]:PORT",
				   address);
			return -1;
		}
		*close_br = '\0';
		*host = buf + 1;
		colon = close_br + 1;
	} else {
		colon = strrchr(buf, ':');
		if (colon == NULL || colon == buf) {
			grant_warn(
				where, 0,
				"%s: expected /unix/path, HOST:PORT or [IPv6-ADDRESS]:PORT",
				address);
			return -1;
		}
		*colon = '\0';
		if (strchr(buf, ':') != NULL) {
			grant_warn(
				where, 0,
				"%s: write an IPv6 address in brackets: [ADDRESS]:PORT",
				address);
			return -1;
		}
		*host = buf;
	}
	*port = colon + 1;
	const char *p = *port;
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || p[digits] != '\0' || digits > 5 ||
	    strtoul(p, NULL, 10) > 65535) {
		grant_warn(where, 0, "%s: the port must be a number 0..65535",
			   address);
		return -1;
	}
	return 0;
}

static int inet_socket(const char *where, const char *address,
		       enum grant_socket_mode mode, enum grant_socket_type type)
{
	char buf[512];
	const char *host, *port;
	if (type == GRANT_SOCKET_SEQPACKET) {
		grant_warn(where, 0,
			   "%s: type seqpacket needs a unix socket (/path)",
			   address);
		return -1;
	}
	if (split_host_port(where, address, buf, sizeof(buf), &host, &port) !=
	    0)
		return -1;
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = linux_socktype(type),
		.ai_flags = AI_NUMERICSERV |
			    (mode == GRANT_SOCKET_BIND ? AI_PASSIVE : 0),
	};
	struct addrinfo *res;
	int r = getaddrinfo(host, port, &hints, &res);
	if (r != 0) {
		grant_warn(where, 0, "%s: %s", address,
			   r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return -1;
	}
	int s = -1, err = 0;
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			   ai->ai_protocol);
		if (s >= 0 &&
		    attach(s, mode, type, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		if (s >= 0)
			close(s);
		s = -1;
	}
	freeaddrinfo(res);
	if (s < 0)
		grant_warn(where, err, "%s", address);
	return s;
}

/* "host:port" or "[v6]:port" of what s is bound to, or "" (a unix
 * socket is named by its path already). */
static void bound_name(int s, char *out, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN];
	out[0] = '\0';
	if (getsockname(s, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
		if (inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host)))
			snprintf(out, size, "%s:%u", host, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
			(const struct sockaddr_in6 *)&ss;
		if (inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host)))
			snprintf(out, size, "[%s]:%u", host,
				 ntohs(in6->sin6_port));
	}
}

/* True if address asks the kernel to choose the port ("host:0"). */
static bool any_port(const char *address)
{
	size_t len = strlen(address);
	return len >= 2 && strcmp(address + len - 2, ":0") == 0;
}

int grant_socket(struct guest *g, const char *where, const char *address,
		 enum grant_socket_mode mode, enum grant_socket_type type,
		 const struct grant_rights *narrow, cloudabi_fd_t *fd)
{
	struct rights rights;
	if (grant_rights_checked(where, address, guest_type(type), narrow,
				 &rights) != 0)
		return -1;
	int s = address[0] == '/' ? unix_socket(where, address, mode, type)
				  : inet_socket(where, address, mode, type);
	if (s < 0)
		return -1;
	char bound[INET6_ADDRSTRLEN + 16];
	bound_name(s, bound, sizeof(bound));
	s = grant_move_high(s);
	if (s < 0) {
		grant_warn(where, errno, "%s", address);
		return -1;
	}
	if (grant_enter(g, where, s, guest_type(type), rights, fd) != 0)
		return -1;
	if (mode == GRANT_SOCKET_BIND && bound[0] != '\0') {
		grant_note_bound_address(*fd, bound);
		/* The user asked for any port: say which one it is. */
		if (any_port(address))
			grant_warn(where != NULL    ? where
				   : narrow != NULL ? narrow->option
						    : NULL,
				   0, "%s: listening on %s", address, bound);
	}
	return 0;
}

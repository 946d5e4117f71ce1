/* sandbox.c: every process of one sandbox and the event loop that serves their channels. */
#include "broker/sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker/diag.h"
#include "broker/dispatch.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* Bounds one sandbox's use of the broker. */
#define SANDBOX_MAX_CHANNELS 4096

/* What an epoll event points at. */
struct endpoint {
	enum { ENDPOINT_CHANNEL, ENDPOINT_PROCESS } kind;
	int fd;
	struct guest *g;
	struct endpoint *prev, *next; /* every endpoint of the sandbox */
};

int sandbox_init(struct sandbox *sb)
{
	*sb = (struct sandbox){0};
	sb->epoll = epoll_create1(EPOLL_CLOEXEC);
	return sb->epoll < 0 ? -1 : 0;
}

static int watch(struct sandbox *sb, struct guest *g, int fd, int kind)
{
	struct endpoint *ep = malloc(sizeof(*ep));
	if (ep == NULL)
		return -1;
	*ep = (struct endpoint){.kind = kind, .fd = fd, .g = g};
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = ep};
	if (epoll_ctl(sb->epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
		free(ep);
		return -1;
	}
	ep->next = sb->endpoints;
	if (ep->next != NULL)
		ep->next->prev = ep;
	sb->endpoints = ep;
	return 0;
}

int sandbox_add_channel(struct sandbox *sb, struct guest *g, int fd)
{
	if (sb->nchannels >= SANDBOX_MAX_CHANNELS) {
		errno = EMFILE;
		return -1;
	}
	if (watch(sb, g, fd, ENDPOINT_CHANNEL) != 0)
		return -1;
	sb->nchannels++;
	g->nchannels++;
	return 0;
}

int sandbox_add_guest(struct sandbox *sb, struct guest *g)
{
	if (watch(sb, g, g->pidfd, ENDPOINT_PROCESS) != 0)
		return -1;
	if (sandbox_add_channel(sb, g, g->channel) != 0)
		return -1;
	g->channel = -1; /* owned by its endpoint now */
	g->sandbox = sb;
	g->next = sb->guests;
	sb->guests = g;
	sb->nguests++;
	if (sb->main == NULL)
		sb->main = g;
	return 0;
}

/* Stops watching; a channel's descriptor is closed with it (a process
 * handle belongs to its guest). */
static void drop_endpoint(struct sandbox *sb, struct endpoint *ep)
{
	epoll_ctl(sb->epoll, EPOLL_CTL_DEL, ep->fd, NULL);
	if (ep->kind == ENDPOINT_CHANNEL) {
		close(ep->fd);
		sb->nchannels--;
		ep->g->nchannels--;
	}
	if (ep->prev != NULL)
		ep->prev->next = ep->next;
	else
		sb->endpoints = ep->next;
	if (ep->next != NULL)
		ep->next->prev = ep->prev;
	free(ep);
}

static int reap(struct guest *g)
{
	siginfo_t info = {0};
	int r;
	do {
		r = waitid((idtype_t)P_PIDFD, (id_t)g->pidfd, &info, WEXITED);
	} while (r < 0 && errno == EINTR);
	if (r != 0)
		return -1;
	g->exited = true;
	g->wait_code = info.si_code;
	g->wait_status = info.si_status;
	return 0;
}

int sandbox_serve(struct sandbox *sb)
{
	while (!sb->main->exited) {
		struct epoll_event evs[32];
		int n = epoll_wait(sb->epoll, evs, 32, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_warn_errno("epoll_wait");
			return -1;
		}
		/* Serve requests before exits, so that a message sent just
		 * before exiting is not lost. */
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < n; i++) {
				struct endpoint *ep = evs[i].data.ptr;
				if (ep == NULL ||
				    (ep->kind == ENDPOINT_CHANNEL) != (pass == 0))
					continue;
				bool gone;
				if (ep->kind == ENDPOINT_CHANNEL)
					gone = dispatch_one(ep->g, ep->fd) <= 0;
				else
					gone = reap(ep->g) == 0;
				if (gone) {
					drop_endpoint(sb, ep);
					evs[i].data.ptr = NULL;
				}
			}
		}
	}
	return 0;
}

void sandbox_destroy(struct sandbox *sb)
{
	for (struct guest *g = sb->guests; g != NULL; g = g->next) {
		if (!g->exited) {
			syscall(SYS_pidfd_send_signal, g->pidfd, SIGKILL, NULL,
				0);
			reap(g);
		}
	}
	while (sb->endpoints != NULL)
		drop_endpoint(sb, sb->endpoints);
	close(sb->epoll);
	while (sb->guests != NULL) {
		struct guest *next = sb->guests->next;
		guest_free(sb->guests);
		sb->guests = next;
	}
}

/* serve.c: the broker's event loop: serves a guest's hypercalls until it ends. */
#include "broker/serve.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker/diag.h"
#include "broker/dispatch.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

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

int serve_guest(struct guest *g)
{
	bool channel_open = true;
	for (;;) {
		struct pollfd fds[2] = {
			{.fd = g->pidfd, .events = POLLIN},
			{.fd = channel_open ? g->channel : -1, .events = POLLIN},
		};
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			diag_warn_errno("poll");
			goto fail;
		}
		/* Serve requests before looking at the exit, so a message sent
		 * just before exiting is not lost. */
		if (fds[1].revents != 0) {
			int r = dispatch_one(g);
			if (r == 0 || (r < 0 && errno != EINTR))
				channel_open = false;
			continue;
		}
		if (fds[0].revents != 0)
			return reap(g);
	}
fail:
	syscall(SYS_pidfd_send_signal, g->pidfd, SIGKILL, NULL, 0);
	reap(g);
	return -1;
}

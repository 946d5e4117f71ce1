/* guest.c: one sandboxed guest process as the broker sees it. */
#include "broker/guest.h"

#include <stdlib.h>
#include <unistd.h>

struct guest *guest_new(void)
{
	struct guest *g = calloc(1, sizeof(*g));
	if (g == NULL)
		return NULL;
	g->pid = -1;
	g->pidfd = -1;
	g->channel = -1;
	g->commit_fds[0] = g->commit_fds[1] = -1;
	for (size_t i = 0; i < CAPBOX_GUEST_FD_LIMIT; i++)
		g->caps.slots[i].object = -1;
	return g;
}

void guest_forget_exec(struct guest *g)
{
	free(g->exec_fds);
	g->exec_fds = NULL;
	g->exec_nfds = 0;
}

void guest_free(struct guest *g)
{
	if (g == NULL)
		return;
	captable_clear(&g->caps);
	guest_forget_exec(g);
	if (g->pidfd >= 0)
		close(g->pidfd);
	if (g->channel >= 0)
		close(g->channel);
	for (int i = 0; i < 2; i++)
		if (g->commit_fds[i] >= 0)
			close(g->commit_fds[i]);
	free(g);
}

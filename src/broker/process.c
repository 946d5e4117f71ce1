/* process.c: the lifetime of guest processes: references from process descriptors, kill on last close, exit status. */
#include "broker/process.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker/guest.h"
#include "broker/sandbox.h"
#include "common/linux_convert.h"

void process_ref(struct guest *g)
{
	g->cap_refs++;
}

void process_unref(struct guest *g)
{
	if (g->cap_refs > 0)
		g->cap_refs--;
	if (g->cap_refs == 0 && !g->exited)
		process_signal(g, SIGKILL);
	if (g->sandbox != NULL)
		sandbox_release(g->sandbox, g);
}

void process_signal(struct guest *g, int sig)
{
	if (g->pidfd >= 0 && !g->exited)
		syscall(SYS_pidfd_send_signal, g->pidfd, sig, NULL, 0);
}

bool process_status(const struct guest *g, cloudabi_exitcode_t *code,
		    cloudabi_signal_t *sig)
{
	if (!g->exited)
		return false;
	if (g->wait_code == CLD_EXITED) {
		*code = (cloudabi_exitcode_t)g->wait_status;
		*sig = 0;
	} else {
		*code = 0;
		*sig = capbox_signal_from_linux(g->wait_status);
		/* A Linux signal CloudABI cannot name still ended it. */
		if (*sig == 0)
			*sig = CLOUDABI_SIGKILL;
	}
	return true;
}

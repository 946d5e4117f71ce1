/* hc_boot.c: the shim's own hypercalls: boot (descriptor table), fatal (a message for the user), thread channels. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/sandbox.h"
#include "common/linux_convert.h"
#include "trace/trace.h"

static uint32_t count_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n > 0 ? (uint32_t)n : 1;
}

cloudabi_errno_t hc_boot(struct guest *g, const struct capbox_hc_boot *p,
			 const unsigned char *tail, size_t tail_len,
			 struct hc_out *out)
{
	if (p->flags != 0 || p->reserved != 0)
		return CLOUDABI_EINVAL;
	if (g->exec_fds != NULL) {
		/* The process re-executed itself for proc_exec: from now on it
		 * holds the capabilities the prepared numbers name now (a
		 * number closed since then fails the boot: fail closed). */
		struct captable *next = calloc(1, sizeof(*next));
		cloudabi_errno_t err = next == NULL
					       ? CLOUDABI_ENOMEM
					       : captable_select(next, &g->caps,
								 g->exec_fds,
								 g->exec_nfds);
		guest_forget_exec(g);
		if (err != 0) {
			if (next != NULL) {
				captable_clear(next);
				free(next);
			}
			return err;
		}
		captable_clear(&g->caps);
		g->caps = *next;
		free(next);
		g->argdata_len = g->exec_argdata_len;
	}

	struct capbox_hc_boot_reply *info = hc_reply_zeroed(out, sizeof(*info));
	info->argdata_len = g->argdata_len;
	info->ncpus = count_cpus();
	info->flags = trace_boot_flags();
	for (cloudabi_fd_t fd = 0; fd < CAPBOX_GUEST_FD_LIMIT; fd++) {
		if (captable_get(&g->caps, fd) == NULL)
			continue;
		struct capbox_hc_fd_entry entry = captable_entry(&g->caps, fd);
		hc_reply_add(out, &entry, sizeof(entry));
		info->nfds++;
	}
	return 0;
}

cloudabi_errno_t hc_fatal(struct guest *g, const struct capbox_hc_fatal *p,
			  const unsigned char *tail, size_t tail_len,
			  struct hc_out *out)
{
	if (p->message_len != tail_len)
		return CLOUDABI_EINVAL;
	/* Shown to the user: keep it to one line of printable ASCII. */
	size_t i;
	for (i = 0; i < tail_len && i < CAPBOX_HC_FATAL_MAX; i++) {
		unsigned char c = tail[i];
		g->fatal_message[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	g->fatal_message[i] = '\0';
	g->fatal = true;
	g->fatal_status = (int)(p->status & 0xff);
	return 0;
}

cloudabi_errno_t hc_thread_channel(struct guest *g,
				   const struct capbox_hc_thread_channel *p,
				   const unsigned char *tail, size_t tail_len,
				   struct hc_out *out)
{
	if (p->flags != 0 || p->reserved != 0)
		return CLOUDABI_EINVAL;
	if (g->nchannels >= CAPBOX_MAX_THREADS)
		return CLOUDABI_EAGAIN;
	int pair[2];
	if (sandbox_new_channel(pair) != 0)
		return fdbudget_errno(errno);
	if (sandbox_add_channel(g->sandbox, g, pair[0]) != 0) {
		cloudabi_errno_t err = fdbudget_errno(errno);
		close(pair[0]);
		close(pair[1]);
		return err;
	}
	return hc_attach_fd(out, pair[1]);
}

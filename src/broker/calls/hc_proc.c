/* hc_proc.c: process hypercalls: fork (prepare and commit), exit status of a process descriptor, raise. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker/dispatch.h"
#include "broker/fdbudget.h"
#include "broker/process.h"
#include "broker/sandbox.h"
#include "common/linux_convert.h"
#include "loader/elf_plan.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

cloudabi_errno_t hc_proc_fork(struct guest *g,
			      const struct capbox_hc_proc_fork *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	struct sandbox *sb = g->sandbox;
	if (p->flags != 0 || p->reserved != 0)
		return CLOUDABI_EINVAL;
	/* Records, not only live processes: one that has ended stays while a
	 * descriptor names it (as a FreeBSD zombie counts against the process
	 * limit until its process descriptor closes), and each costs the
	 * broker a whole table. */
	if (sb->nguests >= sb->max_processes)
		return CLOUDABI_EAGAIN;

	struct guest *child = guest_new();
	if (child == NULL)
		return CLOUDABI_ENOMEM;
	cloudabi_errno_t err = captable_copy(&child->caps, &g->caps);
	int pair[2] = {-1, -1};
	if (err == 0 && sandbox_new_channel(pair) != 0)
		err = fdbudget_errno(errno);
	for (int i = 0; err == 0 && i < 2; i++) {
		child->commit_fds[i] = fcntl(pair[0], F_DUPFD_CLOEXEC,
					     fdbudget_layout.private_end);
		if (child->commit_fds[i] < 0)
			err = fdbudget_errno(errno);
	}
	if (err != 0) {
		if (pair[0] >= 0) {
			close(pair[0]);
			close(pair[1]);
		}
		guest_free(child);
		return err;
	}
	/* The child's channel is served only once the fork is committed:
	 * until the broker holds the child's pidfd, a call such as proc_raise
	 * could not act on it, so the child's first call simply waits. */
	child->channel = pair[0];
	child->fork_parent = g;
	child->argdata_len = 0;
	sandbox_link_guest(sb, child);
	struct capbox_hc_proc_fork_reply reply = {.token = child->id};
	hc_reply_add(out, &reply, sizeof(reply));
	return hc_attach_fd(out, pair[1]);
}

static struct guest *pending_child(struct guest *parent, uint32_t token)
{
	for (struct guest *c = parent->sandbox->guests; c != NULL;
	     c = c->next) {
		if (c->id == token && c->fork_parent == parent)
			return c;
	}
	return NULL;
}

/* The last integer on the line "key:" of a /proc text file (an fdinfo);
 * -1 if the file or the line is missing. */
static long proc_file_last_field(const char *path, const char *key)
{
	char line[128];
	size_t keylen = strlen(key);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return -1;
	long value = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, keylen) != 0 || line[keylen] != ':')
			continue;
		char *p = line + keylen + 1, *end;
		for (long v = strtol(p, &end, 10); end != p;
		     v = strtol(p, &end, 10)) {
			value = v;
			p = end;
		}
		break;
	}
	fclose(f);
	return value;
}

/* The pid, in the broker's pid namespace, of the process behind a pidfd;
 * -1 if fd is not a pidfd (or its process has been reaped).  The fdinfo
 * shows it as the last of NSpid's numbers: "Pid" is the number in the
 * namespace of the /proc mount, the host's. */
static pid_t pidfd_pid(int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return (pid_t)proc_file_last_field(path, "NSpid");
}

/* True if the process behind pidfd is a child of the broker: only then
 * can the broker wait for it (WNOWAIT: this reaps nothing). */
static bool broker_child(int pidfd)
{
	siginfo_t info = {0};
	return waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info,
		      WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* The child never started (or lied about): forget it. */
static void drop_pending(struct guest *child)
{
	child->fork_parent = NULL;
	child->exited = true;
	sandbox_ended(child->sandbox, child);
}

/* Whether a process of the sandbox that has not been reaped already has
 * this pid: a second record would reap it behind the first one's back. */
static bool pid_known(const struct sandbox *sb, pid_t pid)
{
	for (const struct guest *c = sb->guests; c != NULL; c = c->next) {
		if (!c->exited && c->pidfd >= 0 && c->pid == pid)
			return true;
	}
	return false;
}

cloudabi_errno_t hc_fork_commit(struct guest *g,
				const struct capbox_hc_fork_commit *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	struct guest *child = pending_child(g, p->token);
	if (child == NULL || child->pidfd >= 0)
		return CLOUDABI_EINVAL;
	if (p->fd == UINT32_MAX) {
		drop_pending(child);
		return 0;
	}
	if (p->fd >= fdbudget_layout.guest_fds ||
	    captable_get(&g->caps, p->fd) != NULL) {
		drop_pending(child);
		return CLOUDABI_EBADF;
	}
	/* Take our own reference to the pidfd the guest holds, and make sure
	 * it names the caller's new child and not something else. */
	int pidfd = (int)syscall(SYS_pidfd_getfd, g->pidfd, (int)p->fd, 0);
	if (pidfd < 0) {
		drop_pending(child);
		return CLOUDABI_EBADF;
	}
	pid_t pid = pidfd_pid(pidfd);
	if (pid <= 0 || !broker_child(pidfd) || pid_known(g->sandbox, pid)) {
		close(pidfd);
		drop_pending(child);
		return CLOUDABI_EBADF;
	}
	/* Onto the numbers held since the fork was prepared: dup3 replaces,
	 * it never needs a free number. */
	int kept = dup3(pidfd, child->commit_fds[0], O_CLOEXEC);
	int object = kept < 0 ? -1
			      : dup3(pidfd, child->commit_fds[1], O_CLOEXEC);
	close(pidfd);
	if (object < 0) {
		drop_pending(child);
		return fdbudget_errno(errno);
	}
	child->commit_fds[0] = child->commit_fds[1] = -1;
	child->pid = pid;
	child->pidfd = kept;
	child->fork_parent = NULL;
	/* Serve the child from now on; without a channel it can only end. */
	if (sandbox_add_channel(g->sandbox, child, child->channel) != 0)
		close(child->channel);
	child->channel = -1;

	struct cap cap = {
		.type = CLOUDABI_FILETYPE_PROCESS,
		.rights = rights_for_type(CLOUDABI_FILETYPE_PROCESS),
		.object = object,
		.process = child,
	};
	captable_put(&g->caps, p->fd, &cap);
	struct capbox_hc_fd_entry entry = captable_entry(&g->caps, p->fd);
	hc_reply_add(out, &entry, sizeof(entry));
	/* It may have ended already, while its fork was pending. */
	sandbox_try_reap(g->sandbox, child);
	return 0;
}

cloudabi_errno_t hc_proc_status(struct guest *g,
				const struct capbox_hc_proc_status *p,
				const unsigned char *tail, size_t tail_len,
				struct hc_out *out)
{
	if (p->reserved != 0)
		return CLOUDABI_EINVAL;
	struct cap *cap;
	cloudabi_errno_t err = captable_check(
		&g->caps, p->fd, CLOUDABI_RIGHT_POLL_PROC_TERMINATE, &cap);
	if (err != 0)
		return err;
	struct guest *process = cap->process;
	if (process == NULL)
		return CLOUDABI_EINVAL;
	/* The guest saw the pidfd become readable; SIGCHLD may still be on
	 * its way to the event loop.  Reaping closes tables (possibly the
	 * one holding cap): hold the process meanwhile. */
	process_ref(process);
	sandbox_try_reap(g->sandbox, process);
	struct capbox_hc_proc_status_reply reply = {0};
	cloudabi_exitcode_t code;
	cloudabi_signal_t sig;
	if (process_status(process, &code, &sig)) {
		reply.exited = 1;
		reply.exitcode = code;
		reply.signal = sig;
	}
	process_unref(process);
	hc_reply_add(out, &reply, sizeof(reply));
	return 0;
}

/* What a signal does when nobody handles it (CloudABI has no handlers). */
enum default_action {
	ACTION_TERMINATE,
	ACTION_IGNORE,
	ACTION_STOP,
	ACTION_CONTINUE
};

static enum default_action default_action(cloudabi_signal_t sig)
{
	switch (sig) {
	case CLOUDABI_SIGCHLD:
	case CLOUDABI_SIGURG:
		return ACTION_IGNORE;
	case CLOUDABI_SIGSTOP:
	case CLOUDABI_SIGTSTP:
	case CLOUDABI_SIGTTIN:
	case CLOUDABI_SIGTTOU:
		return ACTION_STOP;
	case CLOUDABI_SIGCONT:
		return ACTION_CONTINUE;
	default:
		return ACTION_TERMINATE;
	}
}

cloudabi_errno_t hc_proc_raise(struct guest *g,
			       const struct capbox_hc_proc_raise *p,
			       const unsigned char *tail, size_t tail_len,
			       struct hc_out *out)
{
	int sig = capbox_signal_to_linux((cloudabi_signal_t)p->signal);
	if (p->signal > UINT8_MAX || sig == 0 || p->reserved != 0)
		return CLOUDABI_EINVAL;
	switch (default_action((cloudabi_signal_t)p->signal)) {
	case ACTION_IGNORE:
	case ACTION_CONTINUE: /* it is running, or it could not ask */
		return 0;
	case ACTION_STOP:
		process_signal(g, SIGSTOP);
		return 0;
	case ACTION_TERMINATE:
		break;
	}
	/* The guest ignores nothing and installs no handlers, so the Linux
	 * default action ends it with this very signal. */
	process_signal(g, sig);
	return 0;
}

/*
 * EBADF for a descriptor open for writing, as FreeBSD's exec of a
 * descriptor (program_spawn_test.c:55); then ENOEXEC unless the object is
 * an executable the shim will load.
 */
static cloudabi_errno_t check_image(int object)
{
	int status = fcntl(object, F_GETFL);
	if (status < 0 || (status & O_ACCMODE) != O_RDONLY)
		return CLOUDABI_EBADF;
	struct stat st;
	if (fstat(object, &st) != 0 || !S_ISREG(st.st_mode))
		return CLOUDABI_ENOEXEC;
	unsigned char head[ELF_PLAN_HEAD_SIZE];
	ssize_t got = pread(object, head, sizeof(head), 0);
	struct elf_plan plan;
	const char *why;
	if (got < 0 ||
	    elf_plan_build(head, (size_t)got, (uint64_t)st.st_size,
			   (uint64_t)sysconf(_SC_PAGESIZE), &plan, &why) != 0)
		return CLOUDABI_ENOEXEC;
	return 0;
}

cloudabi_errno_t hc_proc_exec(struct guest *g,
			      const struct capbox_hc_proc_exec *p,
			      const unsigned char *tail, size_t tail_len,
			      struct hc_out *out)
{
	if (p->nfds > fdbudget_layout.guest_fds ||
	    tail_len != (size_t)p->nfds * sizeof(uint32_t) ||
	    p->argdata_len > CAPBOX_ARGDATA_MAX || p->reserved != 0)
		return CLOUDABI_EINVAL;
	struct cap *prog;
	cloudabi_errno_t err = captable_check(&g->caps, p->fd,
					      CLOUDABI_RIGHT_PROC_EXEC, &prog);
	if (err != 0)
		return err;
	err = check_image(prog->object);
	if (err != 0)
		return err;

	/* Only the numbers are kept: the new image gets the capabilities
	 * they name when it boots (hc_boot.c), as they are then. */
	uint32_t *fds = malloc(tail_len > 0 ? tail_len : 1);
	if (fds == NULL)
		return CLOUDABI_ENOMEM;
	memcpy(fds, tail, tail_len);
	for (size_t i = 0; i < p->nfds; i++) {
		if (captable_get(&g->caps, fds[i]) == NULL) {
			free(fds);
			return CLOUDABI_EBADF;
		}
	}
	guest_forget_exec(g);
	g->exec_fds = fds;
	g->exec_nfds = p->nfds;
	g->exec_argdata_len = p->argdata_len;
	return 0;
}

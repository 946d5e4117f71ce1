/* sys_proc.c: process system calls: exit, fork (with the broker), raise. */
#include <linux/memfd.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/signal.h>

#include "common/linux_convert.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/fdtable.h"
#include "shim/linux.h"
#include "shim/proc.h"
#include "shim/shim.h"
#include "shim/syscalls.h"
#include "shim/thread.h"

void cloudabi_sys_proc_exit(cloudabi_exitcode_t rval)
{
	/* Linux keeps the low eight bits of the exit code. */
	linux_exit_group((int)(rval & 0xff));
}

/* Tells the broker how the clone went; a refusal leaves a child nobody
 * supervises, which the shim does not allow. */
static void fork_commit(uint32_t token, uint32_t fd,
			struct capbox_hc_fd_entry *entry)
{
	struct capbox_hc_fork_commit params = {.token = token, .fd = fd};
	struct hc_result result = {.data = entry, .capacity = sizeof(*entry)};
	cloudabi_errno_t err = hc_call(CAPBOX_HC_FORK_COMMIT, &params,
				       sizeof(params), NULL, 0,
				       entry != NULL ? &result : NULL);
	if (err != 0 || (entry != NULL && result.length != sizeof(*entry)))
		shim_fatal(SHIM_EXIT_BROKER_LOST, "fork refused by the broker",
			   0);
}

void shim_after_fork_child(void)
{
	/* Process-wide shim state that knows about other threads. */
	thread_after_fork();
}

/* In the new process: only the calling thread exists, with the channel the
 * broker made for this process. */
static void become_child(int channel)
{
	struct shim_thread *self = shim_self();
	const struct capbox_fd_layout *at = &shim_proc.fds;
	linux_syscall3(__NR_dup3, channel, at->channel, 0);
	/* The other threads' channels (and the one just moved). */
	linux_syscall3(__NR_close_range, at->private_end, ~0U, 0);
	/* Die with the broker, as the first process does (a fork does not
	 * inherit that); if it is gone already, nobody would tell us. */
	if (linux_syscall2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    hc_broker_gone(at->channel))
		linux_exit_group(SHIM_EXIT_BROKER_LOST);
	self->channel = at->channel;
	self->tid = (uint32_t)linux_syscall0(__NR_gettid);
	self->seq = 0;
	/* Mailboxes are not inherited (MADV_DONTFORK): the child asks the
	 * broker for its own on its new channel. */
	self->mailbox = NULL;
	self->mailbox_failed = false;
	shim_after_fork_child();
}

cloudabi_errno_t cloudabi_sys_proc_fork(cloudabi_fd_t *fd, cloudabi_tid_t *tid)
{
	fdtable_lock();
	/* The process descriptor needs a number: refuse before any child
	 * exists (one cloned for nothing would run unsupervised). */
	if (!fdtable_has_free()) {
		fdtable_unlock();
		return CLOUDABI_EMFILE;
	}
	struct capbox_hc_proc_fork params = {0};
	struct capbox_hc_proc_fork_reply prepared;
	struct hc_result result = {.data = &prepared,
				   .capacity = sizeof(prepared)};
	cloudabi_errno_t err = hc_call(CLOUDABI_SYS_proc_fork, &params,
				       sizeof(params), NULL, 0, &result);
	if (err != 0) {
		fdtable_unlock();
		return err;
	}
	if (result.length != sizeof(prepared) || result.nfds != 1)
		shim_fatal(SHIM_EXIT_BROKER_LOST, "malformed fork reply", 0);
	/* Out of the guest's numbers before anything else can land there. */
	long channel = linux_syscall3(__NR_fcntl, result.fds[0],
				      F_DUPFD_CLOEXEC,
				      shim_proc.fds.private_end);
	linux_syscall1(__NR_close, result.fds[0]);
	if (channel < 0) {
		fork_commit(prepared.token, UINT32_MAX, NULL);
		fdtable_unlock();
		return capbox_errno_from_linux((int)-channel);
	}

	/* The broker becomes the child's parent: it reaps every guest
	 * process and so always knows how each ended. */
	int pidfd = -1;
	long pid = linux_syscall5(__NR_clone,
				  CLONE_PARENT | CLONE_PIDFD | SIGCHLD, 0,
				  &pidfd, 0, 0);
	if (pid == 0) {
		become_child((int)channel);
		fdtable_unlock();
		*fd = CLOUDABI_PROCESS_CHILD;
		*tid = shim_self()->tid;
		return 0;
	}
	linux_syscall1(__NR_close, channel);
	if (pid < 0) {
		fork_commit(prepared.token, UINT32_MAX, NULL);
		fdtable_unlock();
		return capbox_errno_from_linux((int)-pid);
	}
	/* The kernel put the process descriptor at its lowest free number,
	 * which may belong to a file still waiting in the broker; a number
	 * free in the mirror exists (checked above, under the lock). */
	err = fdtable_move_to_free(&pidfd);
	if (err != 0) {
		fork_commit(prepared.token, UINT32_MAX, NULL);
		fdtable_unlock();
		return err;
	}
	struct capbox_hc_fd_entry entry;
	fork_commit(prepared.token, (uint32_t)pidfd, &entry);
	fdtable_set(&entry);
	fdtable_unlock();
	*fd = entry.fd;
	return 0;
}

cloudabi_errno_t cloudabi_sys_proc_raise(cloudabi_signal_t sig)
{
	if (capbox_signal_to_linux(sig) == 0)
		return CLOUDABI_EINVAL;
	/* The broker applies the default action; for a terminating signal
	 * this call does not return. */
	struct capbox_hc_proc_raise params = {.signal = sig};
	return hc_call(CLOUDABI_SYS_proc_raise, &params, sizeof(params), NULL,
		       0, NULL);
}

/* Puts the argument data for the next image into a memory file at
 * the layout's argdata number. */
static cloudabi_errno_t stage_argdata(const void *data, size_t len)
{
	long fd = linux_syscall2(__NR_memfd_create, "capbox-argdata",
				 MFD_CLOEXEC);
	if (fd < 0)
		return capbox_errno_from_linux((int)-fd);
	const unsigned char *p = data;
	size_t done = 0;
	while (done < len) {
		long n = linux_syscall3(__NR_write, fd, p + done, len - done);
		if (n == -EINTR)
			continue;
		if (n <= 0) {
			linux_syscall1(__NR_close, fd);
			return n < 0 ? capbox_errno_from_linux((int)-n)
				     : CLOUDABI_EIO;
		}
		done += (size_t)n;
	}
	long r = linux_syscall3(__NR_dup3, fd, shim_proc.fds.argdata, 0);
	linux_syscall1(__NR_close, fd);
	return r < 0 ? capbox_errno_from_linux((int)-r) : 0;
}

/* Lays out the kernel descriptors as the new table says: new fd i = old
 * fds[i], the program at the layout's number, nothing else below the
 * private numbers.  The kept ones wait above the private numbers, at the
 * lowest free ones (close-on-exec: what stays there closes with the old
 * image); the layout leaves room for all of them (src/broker/fdbudget.h).
 * Past this point the old image cannot continue. */
static void arrange_descriptors(cloudabi_fd_t fd, const cloudabi_fd_t *fds,
				size_t nfds)
{
	static int parked[CAPBOX_GUEST_FD_LIMIT];
	const struct capbox_fd_layout *at = &shim_proc.fds;
	for (size_t i = 0; i < nfds; i++) {
		long r = linux_syscall3(__NR_fcntl, fds[i], F_DUPFD_CLOEXEC,
					at->private_end);
		if (r < 0)
			shim_fatal(SHIM_EXIT_LOAD_FAILED,
				   "proc_exec: cannot keep a descriptor", r);
		parked[i] = (int)r;
	}
	long r = linux_syscall3(__NR_dup3, fd, at->program, 0);
	if (r < 0)
		shim_fatal(SHIM_EXIT_LOAD_FAILED,
			   "proc_exec: cannot keep the program", r);
	linux_syscall3(__NR_close_range, 0, at->guest_fds - 1, 0);
	for (size_t i = 0; i < nfds; i++) {
		r = linux_syscall3(__NR_dup3, parked[i], i, 0);
		if (r < 0)
			shim_fatal(SHIM_EXIT_LOAD_FAILED,
				   "proc_exec: cannot place a descriptor", r);
	}
}

/* n in decimal, in buf (room for 11 bytes); returns buf. */
static char *decimal(char *buf, uint32_t n)
{
	char digits[10];
	size_t len = 0;
	do {
		digits[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	for (size_t i = 0; i < len; i++)
		buf[i] = digits[len - 1 - i];
	buf[len] = '\0';
	return buf;
}

cloudabi_errno_t cloudabi_sys_proc_exec(cloudabi_fd_t fd, const void *data,
					size_t data_len,
					const cloudabi_fd_t *fds,
					size_t fds_len)
{
	if (fds_len > shim_proc.fds.guest_fds || data_len > CAPBOX_ARGDATA_MAX)
		return CLOUDABI_E2BIG;
	fdtable_lock();
	struct capbox_hc_proc_exec params = {
		.fd = fd,
		.nfds = (uint32_t)fds_len,
		.argdata_len = (uint32_t)data_len,
	};
	cloudabi_errno_t err = hc_call(CLOUDABI_SYS_proc_exec, &params,
				       sizeof(params), fds,
				       fds_len * sizeof(*fds), NULL);
	/* The new image finds its descriptors in place: fetch those whose
	 * objects are still in the broker (the broker checked the numbers,
	 * and keeps this table until the new image boots). */
	if (err == 0)
		err = fdtable_fetch(fd);
	for (size_t i = 0; err == 0 && i < fds_len; i++)
		err = fdtable_fetch(fds[i]);
	if (err == 0)
		err = stage_argdata(data, data_len);
	if (err != 0) {
		fdtable_unlock();
		return err;
	}
	arrange_descriptors(fd, fds, fds_len);
	/* Every other thread ends with the old image; the new shim asks the
	 * broker for the table prepared above. */
	/* The same layout for the new image (argv[1], protocol/hypercall.h). */
	char guest_fds[12];
	char *argv[] = {"capbox-shim",
			decimal(guest_fds, shim_proc.fds.guest_fds), NULL};
	char *envp[] = {NULL};
	long r = linux_syscall5(__NR_execveat, shim_proc.fds.shim, "", argv,
				envp, AT_EMPTY_PATH);
	shim_fatal(SHIM_EXIT_LOAD_FAILED, "proc_exec: cannot restart the shim",
		   r);
}

cloudabi_errno_t proc_terminated(cloudabi_fd_t fd, bool *exited,
				 cloudabi_exitcode_t *code,
				 cloudabi_signal_t *sig)
{
	struct capbox_hc_proc_status params = {.fd = fd};
	struct capbox_hc_proc_status_reply reply;
	struct hc_result result = {.data = &reply, .capacity = sizeof(reply)};
	cloudabi_errno_t err = hc_call(CAPBOX_HC_PROC_STATUS, &params,
				       sizeof(params), NULL, 0, &result);
	if (err != 0)
		return err;
	if (result.length != sizeof(reply))
		return CLOUDABI_EIO;
	*exited = reply.exited != 0;
	*code = reply.exitcode;
	*sig = reply.signal;
	return 0;
}

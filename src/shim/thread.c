/* thread.c: the thread registry: a mapped record per thread (slot, channel, exit stack), reused once Linux says the thread is gone. */
#include "shim/thread.h"

#include <linux/futex.h>

#include "common/linux_convert.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/fdtable.h"
#include "shim/linux.h"
#include "shim/mutex.h"
#include "shim/shim.h"

#define RECORD_SIZE (16 * 1024) /* struct shim_thread, then its exit stack */
#define MAX_RECORDS (CAPBOX_MAX_THREADS - 1) /* main.c has the main one */

enum { RECORD_FREE = 0, RECORD_RUNNING = 1 };

static struct shim_mutex registry_lock;
static struct shim_thread *records[MAX_RECORDS];
static size_t nrecords;

/* The main thread's struct lives in main.c; it exits on this stack. */
static _Alignas(16) unsigned char main_exit_stack[4096];

static struct shim_thread *record_new(void)
{
	void *p = linux_mmap(NULL, RECORD_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (linux_mmap_failed(p))
		return NULL;
	struct shim_thread *t = p;
	t->channel = -1;
	t->exit_stack = (unsigned char *)p + RECORD_SIZE;
	return t;
}

/* A new record's channel: asked of the broker, moved out of the guest's
 * descriptor numbers under the table lock (see fdtable.h). */
static cloudabi_errno_t record_channel(struct shim_thread *t)
{
	if (t->channel >= 0)
		return 0;
	struct capbox_hc_thread_channel params = {0};
	struct hc_result result = {.data = NULL, .capacity = 0};
	fdtable_lock();
	cloudabi_errno_t err = hc_call(CAPBOX_HC_THREAD_CHANNEL, &params,
				       sizeof(params), NULL, 0, &result);
	if (err == 0 && (result.nfds != 1 || result.length != 0))
		shim_fatal(SHIM_EXIT_BROKER_LOST,
			   "malformed thread channel reply", 0);
	if (err == 0) {
		long fd = linux_syscall3(__NR_fcntl, result.fds[0],
					 F_DUPFD_CLOEXEC,
					 shim_proc.fds.private_end);
		linux_syscall1(__NR_close, result.fds[0]);
		if (fd < 0)
			err = capbox_errno_from_linux((int)-fd);
		else
			t->channel = (int)fd;
	}
	fdtable_unlock();
	return err;
}

cloudabi_errno_t thread_record_acquire(struct shim_thread **record)
{
	struct shim_thread *t = NULL;
	cloudabi_errno_t err = CLOUDABI_EAGAIN;
	shim_mutex_lock(&registry_lock);
	for (;;) {
		struct shim_thread *leaving = NULL;
		for (size_t i = 0; i < nrecords && t == NULL; i++) {
			if (records[i]->registry_state != RECORD_FREE)
				continue;
			if (__atomic_load_n(&records[i]->alive,
					    __ATOMIC_ACQUIRE) == 0)
				t = records[i];
			else
				leaving = records[i];
		}
		if (t != NULL)
			break;
		if (nrecords < MAX_RECORDS) {
			t = record_new();
			if (t != NULL)
				records[nrecords++] = t;
			else
				err = CLOUDABI_ENOMEM;
			break;
		}
		if (leaving == NULL)
			break;
		/* Its thread has exited and is about to disappear: Linux
		 * clears `alive` and wakes us (a shared futex). */
		linux_syscall4(__NR_futex, &leaving->alive, FUTEX_WAIT, 1,
			       NULL);
	}
	if (t != NULL)
		t->registry_state = RECORD_RUNNING;
	shim_mutex_unlock(&registry_lock);
	if (t == NULL)
		return err;
	err = record_channel(t);
	if (err != 0) {
		thread_record_release(t);
		return err;
	}
	*record = t;
	return 0;
}

void thread_record_release(struct shim_thread *record)
{
	shim_mutex_lock(&registry_lock);
	record->registry_state = RECORD_FREE;
	shim_mutex_unlock(&registry_lock);
}

void thread_record_retire(struct shim_thread *record)
{
	if (record->exit_stack != NULL)
		thread_record_release(record);
}

void *thread_exit_stack(struct shim_thread *thread)
{
	if (thread->exit_stack != NULL)
		return thread->exit_stack;
	return main_exit_stack + sizeof(main_exit_stack);
}

void thread_after_fork(void)
{
	struct shim_thread *self = shim_self();
	size_t kept = 0;
	shim_mutex_reset(&registry_lock);
	for (size_t i = 0; i < nrecords; i++) {
		struct shim_thread *t = records[i];
		/* The forking thread keeps its record for good: nothing
		 * will clear `alive` when it ends in this process. */
		if (t == self)
			continue;
		if (t->channel >= 0)
			linux_syscall1(__NR_close, t->channel);
		t->channel = -1;
		t->mailbox = NULL; /* not inherited (MADV_DONTFORK) */
		t->mailbox_failed = false;
		t->trace_batch_len = 0; /* its records are the parent's */
		t->registry_state = RECORD_FREE;
		__atomic_store_n(&t->alive, 0, __ATOMIC_RELEASE);
		records[kept++] = t;
	}
	nrecords = kept;
	lockwait_after_fork();
}

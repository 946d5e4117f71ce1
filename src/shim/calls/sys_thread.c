/* sys_thread.c: thread_create (raw clone onto the guest's stack), thread_exit (from a shim-owned stack) and thread_yield. */
#include <linux/sched.h>

#include "common/linux_convert.h"
#include "shim/linux.h"
#include "shim/lockwait.h"
#include "shim/shim.h"
#include "shim/syscalls.h"
#include "shim/thread.h"

/* A thread of this process sharing everything; Linux writes its tid into
 * the record before it runs and clears `alive` once it is gone. */
#define THREAD_CLONE_FLAGS                                                     \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |    \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |                  \
	 CLONE_CHILD_CLEARTID)

/* thread_start.S */
long shim_thread_clone(unsigned long flags, void *stack, uint32_t *ptid,
		       _Atomic(uint32_t) *ctid, void *tls,
		       cloudabi_threadentry_t *entry, void *argument);
__attribute__((noreturn)) void shim_thread_exit_on(
	void *stack_top, _Atomic(cloudabi_lock_t) *lock,
	cloudabi_scope_t scope);
__attribute__((noreturn, used)) void shim_thread_exit_finish(
	_Atomic(cloudabi_lock_t) *lock, cloudabi_scope_t scope);

cloudabi_errno_t cloudabi_sys_thread_create(cloudabi_threadattr_t *attr,
					    cloudabi_tid_t *tid)
{
	cloudabi_threadattr_t a = *attr;
	uintptr_t low = (uintptr_t)a.stack, top;
	if (a.entry_point == NULL ||
	    __builtin_add_overflow(low, a.stack_len, &top))
		return CLOUDABI_EINVAL;
	/* The entry sees %rsp = 8 mod 16 and a zero return address. */
	top &= ~(uintptr_t)15;
	if (top < low + 16)
		return CLOUDABI_EINVAL;
	uint64_t *sp = (uint64_t *)(top - 8);

	struct shim_thread *t;
	cloudabi_errno_t err = thread_record_acquire(&t);
	if (err != 0)
		return err;
	t->self = t;
	t->tcb.parent = NULL;
	t->fs_word = (uint64_t)(uintptr_t)&t->tcb;
	t->tid = 0;
	__atomic_store_n(&t->alive, 1, __ATOMIC_RELEASE);
	*sp = 0;
	long ret = shim_thread_clone(THREAD_CLONE_FLAGS, sp, &t->tid, &t->alive,
				     t, a.entry_point, a.argument);
	if (ret < 0) {
		__atomic_store_n(&t->alive, 0, __ATOMIC_RELEASE);
		thread_record_release(t);
		return capbox_errno_from_linux((int)-ret);
	}
	*tid = (cloudabi_tid_t)ret;
	return 0;
}

void cloudabi_sys_thread_exit(_Atomic(cloudabi_lock_t) *lock,
			      cloudabi_scope_t scope)
{
	shim_thread_exit_on(thread_exit_stack(shim_self()), lock, scope);
}

/* On the shim stack: the joiner may free the guest stack once the lock
 * is released.  An invalid lock or scope is ignored: the thread ends. */
void shim_thread_exit_finish(_Atomic(cloudabi_lock_t) *lock,
			     cloudabi_scope_t scope)
{
	lockwait_unlock(lock, scope);
	thread_record_retire(shim_self());
	for (;;)
		linux_syscall1(__NR_exit, 0);
}

cloudabi_errno_t cloudabi_sys_thread_yield(void)
{
	linux_syscall0(__NR_sched_yield);
	return 0;
}

/* thread.c: capbox_thread_start / capbox_thread_join: a mapping per thread for its stack and TLS, joined through thread_exit's lock. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <stdatomic.h>
#include <stdint.h>

#include "capbox_internal.h"

/* 0 on the main thread (crt0 records its id). */
static _Thread_local cloudabi_tid_t self_tid;

cloudabi_tid_t capbox_thread_self(void)
{
	return self_tid != 0 ? self_tid : __capbox_main_tid;
}

void capbox_thread_forked(cloudabi_tid_t tid)
{
	self_tid = tid;
}

static void thread_entry(cloudabi_tid_t tid, void *argument)
{
	capbox_thread_t *t = argument;

	/* Become the owner of the join lock, keeping a waiter's bit. */
	cloudabi_lock_t old = atomic_load(&t->join);
	while (!atomic_compare_exchange_weak(
		&t->join, &old,
		(old & CLOUDABI_LOCK_KERNEL_MANAGED) | CLOUDABI_LOCK_WRLOCKED |
			tid)) {
	}
	__capbox_tls_install(t->tls_area, t->tls_size);
	self_tid = tid;
	t->fn(t->arg);
	cloudabi_sys_thread_exit(&t->join, CLOUDABI_SCOPE_PRIVATE);
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

int capbox_thread_start(capbox_thread_t *thread, void (*fn)(void *), void *arg,
			size_t stack_size)
{
	size_t page = __capbox_pagesize;
	if (stack_size == 0)
		stack_size = CAPBOX_THREAD_STACK_DEFAULT;
	size_t tls_size = __capbox_tls_area_size();
	if (stack_size > SIZE_MAX / 2 || tls_size > SIZE_MAX / 4)
		return CLOUDABI_ENOMEM;
	/* A guard page, the stack, the TLS area at the top. */
	size_t len = page + round_up(stack_size + tls_size, page);
	void *p;
	cloudabi_errno_t err = cloudabi_sys_mem_map(
		NULL, len, CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
		CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE, CLOUDABI_MAP_ANON_FD,
		0, &p);
	if (err != 0)
		return err;
	cloudabi_sys_mem_protect(p, page, 0);

	unsigned char *base = p;
	*thread = (capbox_thread_t){
		.fn = fn,
		.arg = arg,
		.mapping = p,
		.mapping_len = len,
		.tls_area = base + len - tls_size,
		.tls_size = tls_size,
	};
	atomic_store(&thread->join, CLOUDABI_LOCK_WRLOCKED);
	cloudabi_threadattr_t attr = {
		.entry_point = thread_entry,
		.stack = base + page,
		.stack_len = (size_t)((unsigned char *)thread->tls_area -
				      (base + page)),
		.argument = thread,
	};
	err = cloudabi_sys_thread_create(&attr, &thread->tid);
	if (err != 0) {
		cloudabi_sys_mem_unmap(p, len);
		return err;
	}
	return 0;
}

int capbox_thread_join(capbox_thread_t *thread)
{
	cloudabi_subscription_t sub = {
		.type = CLOUDABI_EVENTTYPE_LOCK_WRLOCK,
		.lock = {.lock = &thread->join,
			 .lock_scope = CLOUDABI_SCOPE_PRIVATE},
	};
	cloudabi_event_t ev;
	size_t n = 0;
	cloudabi_errno_t err = cloudabi_sys_poll(&sub, &ev, 1, &n);
	if (err == 0 && n != 1)
		err = CLOUDABI_EIO;
	if (err == 0)
		err = ev.error;
	if (err != 0)
		return err;
	/* The thread released the lock from thread_exit and no longer
	 * touches its stack. */
	return cloudabi_sys_mem_unmap(thread->mapping, thread->mapping_len);
}

/* thread_main_exit.c: the main thread ends with thread_exit; another thread joins it, goes on, and the last thread_exit ends the process with status 0. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"

static _Atomic(uint32_t) main_join; /* held by the main thread */
static cloudabi_tid_t main_tid;
static capbox_thread_t survivor;
static _Thread_local int tls_mark = 5;

static void square(void *arg)
{
	int *v = arg;
	*v = *v * *v;
}

static void survive(void *arg)
{
	(void)arg;
	cloudabi_subscription_t sub =
		gl_lock_sub(&main_join, CLOUDABI_SCOPE_PRIVATE,
			    CLOUDABI_EVENTTYPE_LOCK_WRLOCK);
	cloudabi_event_t ev = gl_poll(&sub, 0);
	cloudabi_tid_t me = capbox_thread_self();
	CHECK(ev.error == 0 && ev.type == CLOUDABI_EVENTTYPE_LOCK_WRLOCK,
	      "the main thread's thread_exit released its lock to this thread");
	CHECK_EQ(gl_load(&main_join), me | GL_WR, "which now holds it");
	CHECK(me != main_tid, "from a thread of its own");
	CHECK_EQ(tls_mark, 5, "with its own TLS");

	int v = 12;
	capbox_thread_t t;
	CHECK_EQ(capbox_thread_start(&t, square, &v, 0), 0,
		 "the process goes on: a new thread starts");
	CHECK(capbox_thread_join(&t) == 0 && v == 144, "and is joined");
	CHECK_EQ(gl_errors, 0, "no lock operation failed");
	check_done();
	/* The last thread: the process ends with status 0. */
	cloudabi_sys_thread_exit(&main_join, CLOUDABI_SCOPE_PRIVATE);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	main_tid = capbox_thread_self();
	atomic_store(&main_join, main_tid | GL_WR);
	tls_mark = 6;
	CHECK_EQ(capbox_thread_start(&survivor, survive, NULL, 0), 0,
		 "a thread starts");
	cloudabi_sys_thread_exit(&main_join, CLOUDABI_SCOPE_PRIVATE);
}

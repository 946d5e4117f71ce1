/* lock_prodcons.c: a producer and a consumer in two processes, a bounded ring in shared memory, one SHARED lock and two SHARED condvars: nothing lost, nothing duplicated, no deadlock. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "guest_lock.h"
#include "proc.h"

#define SHARED CLOUDABI_SCOPE_SHARED
#define ITEMS 20000
#define SLOTS 8 /* small: both sides must wait often */
#define WAIT_NS UINT64_C(2000000000)

struct ring {
	_Atomic(uint32_t) lock;
	_Atomic(uint32_t) not_empty;
	_Atomic(uint32_t) not_full;
	uint32_t head, tail, count;
	uint32_t items[SLOTS];
	uint64_t consumed_sum;
	uint32_t consumed;
	uint32_t out_of_order;
	uint32_t stalls; /* waits that timed out: a lost wake-up */
};

static struct ring *map_ring(void)
{
	cloudabi_fd_t fd;
	void *p = NULL;
	cloudabi_filestat_t st = {.st_size = 4096};
	if (cloudabi_sys_fd_create1(CLOUDABI_FILETYPE_SHARED_MEMORY, &fd) !=
		    0 ||
	    cloudabi_sys_file_stat_fput(fd, &st, CLOUDABI_FILESTAT_SIZE) != 0 ||
	    cloudabi_sys_mem_map(NULL, 4096,
				 CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
				 CLOUDABI_MAP_SHARED, fd, 0, &p) != 0)
		exit(4);
	cloudabi_sys_fd_close(fd);
	return p;
}

static void produce(struct ring *r)
{
	for (uint32_t i = 1; i <= ITEMS; i++) {
		gl_wrlock(&r->lock, SHARED);
		while (r->count == SLOTS) {
			cloudabi_event_t ev = gl_cond_wait(
				&r->not_full, &r->lock, SHARED, WAIT_NS);
			if (ev.type == CLOUDABI_EVENTTYPE_CLOCK)
				r->stalls++;
		}
		r->items[r->head] = i;
		r->head = (r->head + 1) % SLOTS;
		r->count++;
		gl_cond_signal(&r->not_empty, SHARED, 1);
		gl_unlock(&r->lock, SHARED);
	}
}

static void consume(struct ring *r)
{
	uint32_t expect = 1;
	for (uint32_t n = 0; n < ITEMS; n++) {
		gl_wrlock(&r->lock, SHARED);
		while (r->count == 0) {
			cloudabi_event_t ev = gl_cond_wait(
				&r->not_empty, &r->lock, SHARED, WAIT_NS);
			if (ev.type == CLOUDABI_EVENTTYPE_CLOCK)
				r->stalls++;
		}
		uint32_t item = r->items[r->tail];
		r->tail = (r->tail + 1) % SLOTS;
		r->count--;
		r->consumed++;
		r->consumed_sum += item;
		if (item != expect)
			r->out_of_order++;
		expect = item + 1;
		gl_cond_signal(&r->not_full, SHARED, 1);
		gl_unlock(&r->lock, SHARED);
	}
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	struct ring *r = map_ring();
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		consume(r);
		cloudabi_sys_proc_exit(0);
	}
	CHECK_EQ(err, 0, "proc_fork");
	uint64_t start = gl_now_ns();
	produce(r);
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(60000000000), &ev), 0,
		 "the consumer process ends");
	CHECK_EQ(ev.proc_terminate.exitcode, 0, "normally");
	CHECK_EQ(r->consumed, ITEMS, "every item was consumed once");
	CHECK_EQ(r->consumed_sum, (uint64_t)ITEMS * (ITEMS + 1) / 2,
		 "the sum of the items is exact");
	CHECK_EQ(r->out_of_order, 0, "in order");
	CHECK_EQ(r->stalls, 0,
		 "no wait ever needed its 2 s timeout (no lost wake-up)");
	CHECK_EQ(gl_load(&r->lock), 0, "the lock is free at the end");
	CHECK_EQ(gl_errors, 0, "no lock operation failed");
	dprintf(check_out_fd, "# %d items through %d slots in %llu ms\n", ITEMS,
		SLOTS, (unsigned long long)((gl_now_ns() - start) / 1000000));
	exit(check_done());
}

/* escape_nproc_spread.c: tasks spread over two processes (one forked through the broker), their threads and raw forks, all alive at once: together they stay within the sandbox's bound of 512 tasks. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"
#include "../guest/escape_sleeper.h"

#define CAP 1024          /* attempts per bomb before calling it uncontained */
#define SANDBOX_TASKS 512 /* CONFINE_GUEST_NPROC, or the pids cgroup's */
#define L_FUTEX_WAIT 0
#define L_FUTEX_WAKE 1

/* In memory both processes share. */
struct shared {
	int go;            /* the sleepers' release */
	int child_ready;   /* the forked process has made its threads */
	int child_threads; /* how many */
};

/* The sleepers' own end, should the test stop midway. */
static const long patience[2] = {60, 0};

static void wait_for(int *word)
{
	static const long step[2] = {1, 0};
	for (int i = 0; i < 120 && __atomic_load_n(word, __ATOMIC_SEQ_CST) == 0;
	     i++)
		raw(NR_futex, word, L_FUTEX_WAIT, 0, step);
}

static void wake(int *word)
{
	__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
	raw(NR_futex, word, L_FUTEX_WAKE, 0x7fffffff);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	void *mem = NULL;
	CHECK_EQ(cloudabi_sys_mem_map(NULL, 4096,
				      CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
				      CLOUDABI_MAP_ANON | CLOUDABI_MAP_SHARED,
				      CLOUDABI_MAP_ANON_FD, 0, &mem),
		 0, "a shared page");
	if (mem == NULL)
		exit(check_done());
	struct shared *sh = mem;
	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	cloudabi_errno_t err = cloudabi_sys_proc_fork(&child, &tid);
	if (err == 0 && child == CLOUDABI_PROCESS_CHILD) {
		long last;
		sh->child_threads = esc_sleeper_bomb(L_CLONE_THREAD, &sh->go,
						     patience, CAP, &last);
		wake(&sh->child_ready);
		wait_for(&sh->go);
		cloudabi_sys_proc_exit(0);
	}
	CHECK_EQ(err, 0, "proc_fork through the broker");
	wait_for(&sh->child_ready);
	long threads_last, forks_last;
	int threads = esc_sleeper_bomb(L_CLONE_THREAD, &sh->go, patience, CAP,
				       &threads_last);
	int forks = esc_sleeper_bomb(L_CLONE_FORK, &sh->go, patience, CAP,
				     &forks_last);
	cloudabi_fd_t extra;
	cloudabi_errno_t extra_err = cloudabi_sys_proc_fork(&extra, &tid);
	if (extra_err == 0 && extra == CLOUDABI_PROCESS_CHILD)
		cloudabi_sys_proc_exit(0);
	int total = 2 + sh->child_threads + threads + forks + (extra_err == 0);
	CHECK(total <= SANDBOX_TASKS,
	      "tasks alive at once: %d (2 processes, %d threads in the forked one, %d in the first, %d raw forks, %s third proc_fork)",
	      total, sh->child_threads, threads, forks,
	      extra_err == 0 ? "a" : "no");
	CHECK_EQ(forks_last, -L_EAGAIN,
		 "the last raw fork is refused with EAGAIN");
	CHECK(extra_err != 0, "a further proc_fork is refused (%d)", extra_err);
	wake(&sh->go);
	static const long pause[2] = {0, 200000000};
	raw(NR_clock_nanosleep, 1 /* CLOCK_MONOTONIC */, 0, pause, 0);
	exit(check_done());
}

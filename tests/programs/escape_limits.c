/* escape_limits.c: a thread bomb, a fork bomb made with raw clone, a memory bomb and descriptor exhaustion, each stopped by a resource limit. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "../guest/escape_sleeper.h"

#define CAP 1024        /* attempts before calling a bomb uncontained */
#define GUEST_NPROC 512 /* src/confine/confine_limits.c */
#define GUEST_AS (UINT64_C(4) << 30)
#define GUEST_NOFILE 3073 /* CAPBOX_GUEST_NOFILE */
#define L_EMFILE 24
#define L_MFD_CLOEXEC 1

static int futex_word;

static void bomb(const char *what, long flags)
{
	static const long timeout[2] = {1, 0};
	long r;
	int n = esc_sleeper_bomb(flags, &futex_word, timeout, CAP, &r);
	CHECK_EQ(r, -L_EAGAIN, "a %s bomb stops with EAGAIN", what);
	CHECK(n > 0 && n < GUEST_NPROC, "after %d of them (RLIMIT_NPROC %d)", n,
	      GUEST_NPROC);
}

/* Wakes the sleepers (threads end at once) and gives them time to go. */
static void release_sleepers(void)
{
	static const long pause[2] = {0, 200000000};
	__atomic_store_n(&futex_word, 1, __ATOMIC_SEQ_CST);
	raw(NR_futex, &futex_word, 1 /* FUTEX_WAKE */, 0x7fffffff);
	raw(NR_clock_nanosleep, 1 /* CLOCK_MONOTONIC */, 0, pause, 0);
	__atomic_store_n(&futex_word, 0, __ATOMIC_SEQ_CST);
}

static void memory_bomb(void)
{
	const size_t chunk = (size_t)256 << 20;
	static void *maps[64];
	size_t n = 0;
	cloudabi_errno_t err = 0;
	while (n < 64) {
		err = cloudabi_sys_mem_map(
			NULL, chunk, CLOUDABI_PROT_READ | CLOUDABI_PROT_WRITE,
			CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
			CLOUDABI_MAP_ANON_FD, 0, &maps[n]);
		if (err != 0)
			break;
		n++;
	}
	CHECK_EQ(err, CLOUDABI_ENOMEM, "a memory bomb stops with ENOMEM");
	CHECK(n * chunk < GUEST_AS && n * chunk >= GUEST_AS / 2,
	      "after %zu MiB (RLIMIT_AS 4096 MiB)", n * (chunk >> 20));
	for (size_t i = 0; i < n; i++)
		cloudabi_sys_mem_unmap(maps[i], chunk);
	void *small;
	CHECK_EQ(cloudabi_sys_mem_map(NULL, 65536, CLOUDABI_PROT_READ,
				      CLOUDABI_MAP_ANON | CLOUDABI_MAP_PRIVATE,
				      CLOUDABI_MAP_ANON_FD, 0, &small),
		 0, "memory is usable again once released");
}

static void descriptor_exhaustion(void)
{
	static int fds[GUEST_NOFILE + 1];
	int n = 0;
	long r = 0;
	while (n <= GUEST_NOFILE &&
	       (r = raw(NR_memfd_create, "bomb", L_MFD_CLOEXEC)) >= 0)
		fds[n++] = (int)r;
	CHECK_EQ(r, -L_EMFILE, "creating descriptors stops with EMFILE");
	CHECK(n < GUEST_NOFILE, "after %d (RLIMIT_NOFILE %d)", n, GUEST_NOFILE);
	for (int i = 0; i < n; i++)
		raw(NR_close, fds[i]);
	cloudabi_fd_t dup = 0;
	cloudabi_errno_t err = cloudabi_sys_fd_dup((cloudabi_fd_t)check_out_fd,
						   &dup);
	int m = 0;
	while (err == 0 && m < 2 * 1024) {
		m++;
		err = cloudabi_sys_fd_dup((cloudabi_fd_t)check_out_fd, &dup);
	}
	CHECK_EQ(err, CLOUDABI_EMFILE,
		 "fd_dup stops with EMFILE when the table is full");
	CHECK(m < 1024, "after %d duplicates", m);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	bomb("thread", L_CLONE_THREAD);
	release_sleepers();
	bomb("raw fork", L_CLONE_FORK);
	memory_bomb();
	descriptor_exhaustion();
	cloudabi_fdstat_t st;
	CHECK_EQ(cloudabi_sys_fd_stat_get((cloudabi_fd_t)check_out_fd, &st), 0,
		 "the broker still answers afterwards");
	exit(check_done());
}

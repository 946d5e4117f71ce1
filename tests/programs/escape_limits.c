/* escape_limits.c: a thread bomb, a fork bomb made with raw clone, a memory bomb and descriptor exhaustion, each stopped by a resource limit. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "../guest/escape_raw.h"

#define CAP 1024        /* attempts before calling a bomb uncontained */
#define GUEST_NPROC 512 /* src/confine/confine_limits.c */
#define GUEST_AS (UINT64_C(4) << 30)
#define GUEST_NOFILE 3073 /* CAPBOX_GUEST_NOFILE */
#define L_EMFILE 24
#define L_CLONE_THREAD 0x50f00 /* VM|FS|FILES|SIGHAND|THREAD|SYSVSEM */
#define L_CLONE_FORK 0x9011    /* PARENT|PIDFD|SIGCHLD: how the shim forks */
#define L_MFD_CLOEXEC 1

static int futex_word;
static unsigned char sleeper_stack[256];

/*
 * clone(flags) where the new thread or process never returns to C: it
 * sleeps in futex_wait on futex_word with a 1-second timeout (raw forks
 * are children nobody supervises: they must end by themselves), then ends
 * itself.
 */
static long spawn_sleeper(long flags)
{
	static const long timeout[2] = {1, 0};
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = (long)&futex_word;
	register long r12 __asm__("r12") = (long)timeout;
	long pidfd_slot = 0;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $202, %%eax\n\t" /* futex */
			 "mov %%r9, %%rdi\n\t"
			 "xor %%esi, %%esi\n\t" /* FUTEX_WAIT */
			 "xor %%edx, %%edx\n\t"
			 "mov %%r12, %%r10\n\t"
			 "syscall\n\t"
			 "mov $231, %%eax\n\t" /* exit_group */
			 "test $0x10000, %%ebx\n\t"
			 "jz 2f\n\t"
			 "mov $60, %%eax\n\t" /* exit (a thread) */
			 "2: xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "hlt\n\t"
			 "1:"
			 : "=a"(ret), "+r"(r10)
			 : "a"(56L), "D"(flags),
			   "S"(sleeper_stack + sizeof(sleeper_stack)),
			   "d"(&pidfd_slot), "r"(r8), "r"(r9), "r"(r12),
			   "b"(flags)
			 : "rcx", "r11", "memory");
	if (ret > 0 && (flags & 0x1000))
		raw(NR_close, pidfd_slot);
	return ret;
}

static void bomb(const char *what, long flags)
{
	int n = 0;
	long r = 0;
	while (n < CAP && (r = spawn_sleeper(flags)) > 0)
		n++;
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

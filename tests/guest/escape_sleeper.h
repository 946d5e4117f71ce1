/* escape_sleeper.h: raw clone of a thread or process that sleeps on a futex word and then ends itself, for the hostile guests' task bombs. */
#ifndef CAPBOX_TESTS_ESCAPE_SLEEPER_H
#define CAPBOX_TESTS_ESCAPE_SLEEPER_H

#include "escape_raw.h"

#define L_CLONE_THREAD 0x50f00 /* VM|FS|FILES|SIGHAND|THREAD|SYSVSEM */
#define L_CLONE_FORK 0x9011    /* PARENT|PIDFD|SIGCHLD: how the shim forks */

/*
 * clone(flags) where the new thread or process never returns to C: it
 * sleeps in futex_wait on *word (while it is 0) for at most timeout
 * (seconds, nanoseconds: raw forks are children nobody supervises, they
 * must end by themselves), then ends itself.  All of them share one tiny
 * stack: they never touch it.
 */
static inline long esc_spawn_sleeper(long flags, int *word,
				     const long timeout[2])
{
	static unsigned char sleeper_stack[256];
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = (long)word;
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

/* Sleepers of one kind until the kernel refuses one (or `most` of them);
 * *last is that refusal (or the last success). */
static inline int esc_sleeper_bomb(long flags, int *word, const long timeout[2],
				   int most, long *last)
{
	int n = 0;
	long r = 0;
	while (n < most && (r = esc_spawn_sleeper(flags, word, timeout)) > 0)
		n++;
	*last = r;
	return n;
}

#endif

/* fault.c: the shim's SIGSEGV handler: resumes a fault inside shim_guarded_copy as -EFAULT, leaves every other one fatal. */
#include "shim/fault.h"

#include <asm/errno.h>
#include <asm/sigcontext.h>
#include <linux/signal.h>
#include <stdint.h>

#include "shim/linux.h"
#include "shim/shim.h"
#include "shim/trace.h"

/* The kernel's rt_sigaction argument on x86-64. */
struct linux_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* The start of the kernel's siginfo and ucontext on x86-64. */
struct linux_siginfo_head {
	int si_signo;
	int si_errno;
	int si_code;
};

struct linux_ucontext_head {
	unsigned long uc_flags;
	void *uc_link;
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
	struct sigcontext mcontext;
};

_Static_assert(__builtin_offsetof(struct linux_ucontext_head, mcontext) == 40 &&
		       __builtin_offsetof(struct sigcontext, rip) == 128,
	       "x86-64 ucontext layout");

#define LINUX_SA_SIGINFO 0x00000004UL
#define LINUX_SA_RESTORER 0x04000000UL

extern const char shim_guarded_copy_insn[];
extern const char shim_guarded_copy_fixup[];
void shim_signal_return(void);

static void on_segv(int sig, void *info, void *context)
{
	const struct linux_siginfo_head *si = info;
	struct linux_ucontext_head *uc = context;
	/* A fault (si_code > 0: not a signal someone sent) at the guarded
	 * instruction: resume at its fixup, which returns -EFAULT. */
	if (si->si_code > 0 &&
	    uc->mcontext.rip == (uint64_t)(uintptr_t)shim_guarded_copy_insn) {
		uc->mcontext.rip = (uint64_t)(uintptr_t)shim_guarded_copy_fixup;
		return;
	}
	/* --trace: the crashing thread's last calls are shown. */
	if (CAPBOX_TRACE && shim_proc.trace)
		shim_trace_flush(shim_self());
	/* Anything else ends the process as if there were no handler: a
	 * fault happens again on return, now with the default action; a
	 * SIGSEGV someone sent (proc_raise) is turned into a real one. */
	struct linux_sigaction dfl = {.handler = NULL};
	linux_syscall4(__NR_rt_sigaction, sig, &dfl, NULL, sizeof(uint64_t));
	if (si->si_code <= 0)
		__asm__ volatile("movl $0, 0" ::: "memory");
}

long shim_guarded_probe(void *buf, size_t len, bool writable)
{
	uintptr_t at = (uintptr_t)buf;
	if (len == 0)
		return 0;
	if (at > UINTPTR_MAX - len)
		return -EFAULT;
	const uintptr_t end = at + len, page = 4096;
	for (;;) {
		unsigned char byte;
		if (shim_guarded_copy(&byte, (void *)at, 1) != 0 ||
		    (writable && shim_guarded_copy((void *)at, &byte, 1) != 0))
			return -EFAULT;
		at = (at | (page - 1)) + 1; /* the next page's first byte */
		if (at >= end)
			return 0;
	}
}

long fault_install(void)
{
	struct linux_sigaction act = {
		.handler = on_segv,
		.flags = LINUX_SA_SIGINFO | LINUX_SA_RESTORER,
		.restorer = shim_signal_return,
	};
	return linux_syscall4(__NR_rt_sigaction, SIGSEGV, &act, NULL,
			      sizeof(uint64_t));
}

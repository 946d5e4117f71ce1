/* escape_orphan.c: clones processes behind the broker's back (raw clone with the fork flags), which sleep forever; then exits. */
#include <argdata.h>
#include <program.h>
#include <stdlib.h>

#define LINUX_CLONE 56
#define LINUX_FUTEX 202
#define LINUX_CLONE_PIDFD 0x00001000
#define LINUX_CLONE_PARENT 0x00008000
#define LINUX_SIGCHLD 17
#define LINUX_FUTEX_WAIT 0

static int word;

static long raw_fork(void)
{
	int pidfd = -1;
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(LINUX_CLONE),
			   "D"((long)(LINUX_CLONE_PARENT | LINUX_CLONE_PIDFD |
				      LINUX_SIGCHLD)),
			   "S"(0L), "d"(&pidfd), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Never returns: no hypercall, no exit, just a wait nobody ends. */
__attribute__((noreturn)) static void sleep_forever(void)
{
	for (;;) {
		register long r10 __asm__("r10") = 0;
		long ret;
		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "a"(LINUX_FUTEX), "D"(&word),
				   "S"((long)LINUX_FUTEX_WAIT), "d"(0L),
				   "r"(r10)
				 : "rcx", "r11", "memory");
	}
}

void program_main(const argdata_t *ad)
{
	(void)ad;
	int made = 0;
	for (int i = 0; i < 4; i++) {
		long pid = raw_fork();
		if (pid == 0)
			sleep_forever();
		if (pid > 0)
			made++;
	}
	/* The number of unsupervised processes made, as the exit status. */
	exit(made);
}

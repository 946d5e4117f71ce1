/* without-landlock.c: runs a command in which landlock_create_ruleset fails with ENOSYS, as on a kernel without Landlock, so that a test can show another layer holds alone. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Usage: without-landlock COMMAND [ARG]...
 * Installs a seccomp filter that answers landlock_create_ruleset with
 * ENOSYS and allows everything else, then executes COMMAND.  capbox then
 * warns that Landlock is unavailable and runs without it
 * (tests/cli/escape_reach.sh).
 */
int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: without-landlock COMMAND [ARG]...\n");
		return 2;
	}
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_create_ruleset,
			 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "without-landlock: seccomp: %s\n",
			strerror(errno));
		return 125;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "without-landlock: %s: %s\n", argv[1], strerror(errno));
	return 127;
}

/* confine_seccomp.c: compiles confine_policy into a seccomp-bpf program with libseccomp, in a sealed memfd. */
#include "confine/confine_seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include "confine/confine_policy.h"

#define PROT_WX ((uint64_t)(PROT_WRITE | PROT_EXEC))

/* Adds one row: a single allow rule, or for CHECK_NOT_WX one per harmless
 * combination of the two bits (rules of one call are alternatives). */
static int add_rule(scmp_filter_ctx ctx, const struct confine_rule *row,
		    int shim_fd)
{
	struct confine_rule rule = *row;
	const struct confine_rule *r = &rule;
	if (rule.value == CONFINE_SHIM_IMAGE_FD)
		rule.value = (uint64_t)shim_fd;
	if (rule.value2 == CONFINE_SHIM_IMAGE_FD)
		rule.value2 = (uint64_t)shim_fd;
	struct scmp_arg_cmp cmp[2];
	switch (r->check) {
	case CHECK_NONE:
		return seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, r->nr,
						    0, NULL);
	case CHECK_ARG_EQ:
		cmp[0] = SCMP_CMP64(r->arg, SCMP_CMP_EQ, r->value);
		cmp[1] = SCMP_CMP64(r->arg2, SCMP_CMP_EQ, r->value2);
		return seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, r->nr,
						    r->arg2 == NO_ARG ? 1 : 2,
						    cmp);
	case CHECK_NOT_WX: {
		static const uint64_t harmless[] = {0, PROT_WRITE, PROT_EXEC};
		for (size_t i = 0; i < 3; i++) {
			cmp[0] = SCMP_CMP64(r->arg, SCMP_CMP_MASKED_EQ, PROT_WX,
					    harmless[i]);
			int ret = seccomp_rule_add_exact_array(
				ctx, SCMP_ACT_ALLOW, r->nr, 1, cmp);
			if (ret != 0)
				return ret;
		}
		return 0;
	}
	case CHECK_THREAD_ONLY:
		/* One masked comparison (libseccomp allows one per argument):
		 * no bit outside ALLOWED, every bit of REQUIRED. */
		cmp[0] = SCMP_CMP64(r->arg, SCMP_CMP_MASKED_EQ,
				    ~(uint64_t)CONFINE_THREAD_ALLOWED |
					    CONFINE_THREAD_REQUIRED,
				    (uint64_t)CONFINE_THREAD_REQUIRED);
		return seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, r->nr,
						    1, cmp);
	}
	return -EINVAL;
}

static int build(scmp_filter_ctx ctx, int shim_fd)
{
	/* seccomp_init() added the native ABI (x86-64) only; any other is
	 * the "bad architecture" action. */
	int ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				   SCMP_ACT_KILL_PROCESS);
	if (ret == 0)
		ret = seccomp_arch_exist(ctx, SCMP_ARCH_X86_64);
	for (size_t i = 0; ret == 0 && i < confine_policy_len; i++)
		ret = add_rule(ctx, &confine_policy[i], shim_fd);
	return ret;
}

int confine_seccomp_memfd(void)
{
	return memfd_create("capbox-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
}

int confine_seccomp_fill(int fd, int shim_fd)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (ctx == NULL) {
		errno = ENOMEM;
		return -1;
	}
	int ret = build(ctx, shim_fd);
	if (ret == 0)
		ret = seccomp_export_bpf(ctx, fd);
	if (ret == 0 && fcntl(fd, F_ADD_SEALS,
			      F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
				      F_SEAL_SEAL) != 0)
		ret = -errno;
	seccomp_release(ctx);
	if (ret != 0) {
		errno = ret < 0 ? -ret : EINVAL;
		return -1;
	}
	return 0;
}

/* main.c: the shim's start-up, in order: thread slot, boot hypercall, load, vDSO, stack, enter. */
#include <linux/auxvec.h>
#include <linux/prctl.h>

#include "common/abi_names.h"
#include "common/linux_convert.h"
#include "protocol/hypercall.h"
#include "shim/channel.h"
#include "shim/boot/confine.h"
#include "shim/fault.h"
#include "shim/fdtable.h"
#include "shim/libc.h"
#include "shim/linux.h"
#include "shim/boot/linux_vdso.h"
#include "shim/boot/load.h"
#include "shim/shim.h"
#include "shim/boot/vdso.h"

#define ARCH_SET_FS 0x1002
#define GUEST_STACK_SIZE (UINT64_C(8) << 20)
#define CANARY_LEN 32

struct shim_process shim_proc;
static struct shim_thread main_thread;

/* Bytes handed to the program through the auxiliary vector. */
struct start_info {
	unsigned char pid[16];
	unsigned char canary[CANARY_LEN];
	cloudabi_auxv_t auxv[16];
};

__attribute__((noreturn)) void shim_enter_program(uint64_t entry, void *stack,
						  const cloudabi_auxv_t *auxv);
__attribute__((noreturn)) void shim_main(uint64_t *initial_stack);

/* Appends "text" to a bounded message buffer. */
static size_t append(char *buf, size_t len, size_t cap, const char *text)
{
	while (*text != '\0' && len < cap)
		buf[len++] = *text++;
	return len;
}

void shim_fatal(int status, const char *what, long linux_error)
{
	char msg[CAPBOX_HC_FATAL_MAX];
	size_t len = append(msg, 0, sizeof(msg), what);
	if (linux_error < 0) {
		const char *name = cloudabi_errno_name(
			capbox_errno_from_linux((int)-linux_error));
		len = append(msg, len, sizeof(msg), " (");
		len = append(msg, len, sizeof(msg), name ? name : "error");
		len = append(msg, len, sizeof(msg), ")");
	}
	struct capbox_hc_fatal params = {.status = (uint32_t)status,
					 .message_len = (uint32_t)len};
	/* Without a channel there is no one to tell. */
	if (shim_self() != NULL && status != SHIM_EXIT_BROKER_LOST)
		hc_call(CAPBOX_HC_FATAL, &params, sizeof(params), msg, len,
			NULL);
	linux_exit_group(status);
}

/* The layout the broker chose (protocol/hypercall.h): argv[1] holds the
 * number of the guest's descriptors, in decimal. */
static void read_layout(const uint64_t *sp)
{
	const char *text = sp[0] >= 2 ? (const char *)(uintptr_t)sp[2] : NULL;
	uint32_t n = 0;
	size_t len = 0;
	for (; text != NULL && text[len] >= '0' && text[len] <= '9'; len++) {
		n = n * 10 + (uint32_t)(text[len] - '0');
		if (n > CAPBOX_GUEST_FD_LIMIT)
			break;
	}
	/* Nobody to tell yet: the channel's number is what is missing. */
	if (len == 0 || text[len] != '\0' || n < CAPBOX_GUEST_FD_MIN ||
	    n > CAPBOX_GUEST_FD_LIMIT)
		linux_exit_group(SHIM_EXIT_LOAD_FAILED);
	shim_proc.fds = CAPBOX_FD_LAYOUT(n);
}

static void read_linux_auxv(uint64_t *sp)
{
	uint64_t argc = sp[0];
	uint64_t *p = sp + 1 + argc + 1; /* past argv and its NULL */
	while (*p != 0)
		p++; /* envp */
	for (p++; p[0] != AT_NULL; p += 2) {
		if (p[0] == AT_PAGESZ)
			shim_proc.page_size = p[1];
		else if (p[0] == AT_SYSINFO_EHDR)
			shim_proc.linux_vdso = (const void *)p[1];
	}
	shim_proc.vdso_clock_gettime = (long (*)(long, void *))
		linux_vdso_lookup(shim_proc.linux_vdso, "__vdso_clock_gettime");
	shim_proc.vdso_getcpu = (long (*)(unsigned *, unsigned *, void *))
		linux_vdso_lookup(shim_proc.linux_vdso, "__vdso_getcpu");
	if (shim_proc.page_size == 0 ||
	    (shim_proc.page_size & (shim_proc.page_size - 1)) != 0)
		shim_proc.page_size = 4096;
}

static void setup_main_thread(void)
{
	main_thread.self = &main_thread;
	main_thread.fs_word = (uint64_t)(uintptr_t)&main_thread.tcb;
	main_thread.channel = shim_proc.fds.channel;
	main_thread.tid = (uint32_t)linux_syscall0(__NR_gettid);
	long err = linux_syscall2(__NR_arch_prctl, ARCH_SET_FS, &main_thread);
	if (err < 0)
		linux_exit_group(SHIM_EXIT_LOAD_FAILED);
}

/* Asks the broker for this process's descriptor table and facts. */
static uint32_t boot(void)
{
	static unsigned char reply[CAPBOX_HC_MAX_MESSAGE];
	struct capbox_hc_boot params = {0};
	struct hc_result result = {.data = reply, .capacity = sizeof(reply)};
	cloudabi_errno_t err = hc_call(CAPBOX_HC_BOOT, &params, sizeof(params),
				       NULL, 0, &result);
	struct capbox_hc_boot_reply info;
	if (err != 0 || result.length < sizeof(info))
		shim_fatal(SHIM_EXIT_BROKER_LOST, "boot refused", 0);
	memcpy(&info, reply, sizeof(info));
	if (info.nfds > CAPBOX_HC_BOOT_MAX_ENTRIES ||
	    result.length !=
		    sizeof(info) +
			    info.nfds * sizeof(struct capbox_hc_fd_entry))
		shim_fatal(SHIM_EXIT_BROKER_LOST, "malformed boot reply", 0);
	for (uint32_t i = 0; i < info.nfds; i++) {
		struct capbox_hc_fd_entry entry;
		memcpy(&entry, reply + sizeof(info) + i * sizeof(entry),
		       sizeof(entry));
		fdtable_set(&entry);
	}
	shim_proc.ncpus = info.ncpus > 0 ? info.ncpus : 1;
	shim_proc.trace = CAPBOX_TRACE && (info.flags & CAPBOX_BOOT_TRACE);
	return info.argdata_len;
}

static const void *map_argdata(uint32_t len)
{
	if (len == 0)
		return NULL;
	void *p = linux_mmap(NULL, len, PROT_READ, MAP_PRIVATE,
			     shim_proc.fds.argdata, 0);
	if (linux_mmap_failed(p))
		shim_fatal(SHIM_EXIT_LOAD_FAILED,
			   "cannot map the argument data", (long)p);
	return p;
}

static void fill_random(void *buf, size_t len)
{
	unsigned char *p = buf;
	while (len > 0) {
		long n = linux_syscall3(__NR_getrandom, p, len, 0);
		if (n == -EINTR)
			continue;
		if (n < 0)
			shim_fatal(SHIM_EXIT_LOAD_FAILED,
				   "no random bytes for the program", n);
		p += n;
		len -= (size_t)n;
	}
}

/* Maps the program's stack (with a guard page below) and places the start
 * information at its top; returns the initial stack pointer. */
static void *setup_stack(const struct loaded_program *prog, const void *vdso,
			 const void *argdata, uint32_t argdata_len,
			 struct start_info **info_out)
{
	uint64_t guard = shim_proc.page_size;
	void *p = linux_mmap(
		NULL, GUEST_STACK_SIZE + guard, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (linux_mmap_failed(p))
		shim_fatal(SHIM_EXIT_LOAD_FAILED, "cannot map the stack",
			   (long)p);
	linux_syscall3(__NR_mprotect, p, guard, PROT_NONE);
	uint64_t top = (uint64_t)p + guard + GUEST_STACK_SIZE;

	struct start_info *info = (struct start_info *)((top - sizeof(*info)) &
							~UINT64_C(15));
	fill_random(info->pid, sizeof(info->pid));
	info->pid[6] = (info->pid[6] & 0x0f) | 0x40; /* version 4 */
	info->pid[8] = (info->pid[8] & 0x3f) | 0x80; /* RFC 4122 variant */
	fill_random(info->canary, sizeof(info->canary));

	cloudabi_auxv_t *a = info->auxv;
#define AUX_VAL(type, value)                                                   \
	*a++ = (cloudabi_auxv_t){.a_type = (type), .a_val = (value)}
#define AUX_PTR(type, ptr)                                                     \
	*a++ = (cloudabi_auxv_t)                                               \
	{                                                                      \
		.a_type = (type), .a_ptr = (void *)(ptr)                       \
	}
	AUX_PTR(CLOUDABI_AT_SYSINFO_EHDR, vdso);
	AUX_PTR(CLOUDABI_AT_BASE, prog->base);
	AUX_PTR(CLOUDABI_AT_PHDR, prog->phdr);
	AUX_VAL(CLOUDABI_AT_PHNUM, prog->phnum);
	AUX_VAL(CLOUDABI_AT_PAGESZ, shim_proc.page_size);
	AUX_PTR(CLOUDABI_AT_ARGDATA, argdata);
	AUX_VAL(CLOUDABI_AT_ARGDATALEN, argdata_len);
	AUX_VAL(CLOUDABI_AT_TID, main_thread.tid);
	AUX_VAL(CLOUDABI_AT_NCPUS, shim_proc.ncpus);
	AUX_PTR(CLOUDABI_AT_PID, info->pid);
	AUX_PTR(CLOUDABI_AT_CANARY, info->canary);
	AUX_VAL(CLOUDABI_AT_CANARYLEN, sizeof(info->canary));
	AUX_VAL(CLOUDABI_AT_NULL, 0);
#undef AUX_VAL
#undef AUX_PTR
	_Static_assert(13 <= sizeof(info->auxv) / sizeof(info->auxv[0]),
		       "room for every auxv entry");

	/* 8 mod 16, with a zero "return address" on top. */
	uint64_t *sp = (uint64_t *)((uint64_t)info - 8);
	*sp = 0;
	*info_out = info;
	return sp;
}

void shim_main(uint64_t *initial_stack)
{
	read_linux_auxv(initial_stack);
	read_layout(initial_stack);
	setup_main_thread();
	long err = fault_install();
	if (err < 0)
		shim_fatal(SHIM_EXIT_LOAD_FAILED,
			   "cannot install the fault handler", err);
	uint32_t argdata_len = boot();

	struct loaded_program prog;
	load_program(shim_proc.fds.program, &prog);
	linux_syscall1(__NR_close, shim_proc.fds.program);
	const void *argdata = map_argdata(argdata_len);
	linux_syscall1(__NR_close, shim_proc.fds.argdata);
	const void *vdso = vdso_build();

	struct start_info *info;
	void *sp = setup_stack(&prog, vdso, argdata, argdata_len, &info);
	shim_confine(); /* last: the filter refuses what start-up needed */
	shim_enter_program(prog.entry, sp, info->auxv);
}

/* escape_lifetime.c: processes cloned behind the broker's back that try to outlive the sandbox (zombie leaders with live threads, chains, a starved broker); tests/cli/escape_lifetime.sh watches them from outside. */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../guest/escape_raw.h"

/*
 * Arguments (all optional):
 *   counter  a read-write file: the survivor writes an ever growing 64-bit
 *            count at offset 0; forked child i, once the broker refused
 *            it a descriptor, sets byte 8 + i to the error
 *   dir      a directory: with starve, forked children open "." through
 *            the broker until it refuses (finding 2 of issue 12)
 *   writer   who writes the count, cloned raw with the flags the filter
 *            allows for proc_fork (CLONE_PARENT | CLONE_PIDFD | SIGCHLD):
 *            "plain"  the raw-cloned process itself
 *            "zombie" a raw thread of it, whose main thread then exits
 *                     with a raw SYS_exit: a zombie leader with a live
 *                     thread (finding 1)
 *            "futex"  the same, but the thread writes once and then
 *                     blocks in a futex for good
 *            "chain"  a raw clone that clones the next and exits with
 *                     exit_group, three deep; the last one is a zombie
 *                     leader with a writing thread
 *   forks    children forked through the broker (proc_fork) that block
 *            (4 at most; 2 at least with dir)
 *   clones   more raw-cloned processes that block in a futex
 *   stop     forked children start a zombie-leader writer of their own
 *            and then stop themselves (proc_raise SIGSTOP)
 *   then     "exit" (default): once everything above is in place and
 *            the test has set byte 15 of the file (it has seen the
 *            sandbox), the main process exits 0; "now": it exits 0
 *            without waiting for the test; "block": it blocks until
 *            capbox is stopped
 */

#define L_CLONE_VM 0x00000100
#define L_CLONE_FS 0x00000200
#define L_CLONE_FILES 0x00000400
#define L_CLONE_SIGHAND 0x00000800
#define L_CLONE_PIDFD 0x00001000
#define L_CLONE_PARENT 0x00008000
#define L_CLONE_THREAD 0x00010000
#define L_SIGCHLD 17
#define NR_pread64 17
#define NR_exit 60
#define NR_exit_group 231
#define L_FUTEX_WAIT 0

static int counter_fd = -1;
static int futex_word;

/* A new process with the only clone flags the filter allows for one;
 * returns 0 in the child, its pid (or -errno) in the parent. */
static long raw_fork(void)
{
	int pidfd = -1;
	return raw(NR_clone, L_CLONE_PARENT | L_CLONE_PIDFD | L_SIGCHLD, 0,
		   &pidfd, 0, 0);
}

__attribute__((noreturn)) static void block_forever(void)
{
	for (;;)
		raw(NR_futex, &futex_word, L_FUTEX_WAIT, 0, 0);
}

static void pause_ms(long ms)
{
	struct {
		long sec, nsec;
	} t = {0, ms * 1000000};
	raw(NR_clock_nanosleep, 1 /* CLOCK_MONOTONIC */, 0, &t, 0);
}

/* Counts up in the granted file for as long as this process lives. */
__attribute__((noreturn)) static void write_forever(void)
{
	for (uint64_t n = 1;; n++) {
		if (counter_fd >= 0)
			raw(NR_pwrite64, counter_fd, &n, sizeof(n), 0);
		pause_ms(10);
	}
}

__attribute__((noreturn)) static void write_once_then_block(void)
{
	uint64_t one = 1;
	if (counter_fd >= 0)
		raw(NR_pwrite64, counter_fd, &one, sizeof(one), 0);
	block_forever();
}

static _Alignas(16) unsigned char thread_stack[16384];

/* Starts a raw thread (the flags the filter allows for threads) running
 * fn on thread_stack; fn never returns. */
static long raw_thread(void (*fn)(void))
{
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%rbx\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)NR_clone),
			   "D"((long)(L_CLONE_VM | L_CLONE_FS | L_CLONE_FILES |
				      L_CLONE_SIGHAND | L_CLONE_THREAD)),
			   "S"(thread_stack + sizeof(thread_stack)), "d"(0L),
			   "r"(r10), "r"(r8), "b"(fn)
			 : "rcx", "r11", "memory");
	return ret;
}

/* In a raw-cloned process: a thread runs fn, the main thread exits alone
 * (the leader stays a zombie while the thread lives). */
__attribute__((noreturn)) static void zombie_leader(void (*fn)(void))
{
	if (raw_thread(fn) < 0)
		raw(NR_exit_group, 90);
	for (;;)
		raw(NR_exit, 0);
}

/* Raw clones `depth` deep, each parent exiting at once; the last one is a
 * zombie leader with a writing thread. */
__attribute__((noreturn)) static void chain(int depth)
{
	if (depth == 0)
		zombie_leader((void (*)(void))write_forever);
	if (raw_fork() == 0)
		chain(depth - 1);
	for (;;)
		raw(NR_exit_group, 0);
}

static void start_writer(const char *writer)
{
	if (raw_fork() != 0)
		return;
	if (strcmp(writer, "plain") == 0)
		write_forever();
	if (strcmp(writer, "zombie") == 0)
		zombie_leader((void (*)(void))write_forever);
	if (strcmp(writer, "futex") == 0)
		zombie_leader((void (*)(void))write_once_then_block);
	chain(3);
}

static uint64_t read_at(long offset, size_t len)
{
	uint64_t v = 0;
	if (counter_fd >= 0)
		raw(NR_pread64, counter_fd, &v, len, offset);
	return v;
}

/* Until the bytes at offset are not all zero (at once without a file;
 * the test runner's timeout bounds the wait). */
static void await(long offset, size_t len)
{
	while (counter_fd >= 0 && read_at(offset, len) == 0)
		pause_ms(5);
}

/* Forked child number `i`: opens `dir` "." through the broker until
 * refused, sets byte 8 + i of the file to the error, and blocks holding
 * everything it got. */
__attribute__((noreturn)) static void starve(cloudabi_fd_t dir, long i)
{
	const cloudabi_lookup_t at = {.fd = dir};
	const cloudabi_fdstat_t fds = {
		.fs_filetype = CLOUDABI_FILETYPE_DIRECTORY,
		.fs_rights_base = CLOUDABI_RIGHT_FILE_OPEN};
	cloudabi_errno_t err = 0;
	for (int n = 0; n < 5000 && err == 0; n++) {
		cloudabi_fd_t fd;
		err = cloudabi_sys_file_open(at, ".", 1, CLOUDABI_O_DIRECTORY,
					     &fds, &fd);
	}
	unsigned char why = err != 0 ? (unsigned char)err : 0xff;
	if (counter_fd >= 0)
		raw(NR_pwrite64, counter_fd, &why, 1, 8 + i);
	block_forever();
}

/* The value under key in the argument map; false when there is none. */
static bool arg(const argdata_t *ad, const char *key, argdata_t *value)
{
	return argdata_map_find(*ad, key, strlen(key), value) == ARGDATA_OK;
}

void program_main(const argdata_t *ad)
{
	argdata_t v;
	cloudabi_fd_t fd, dir = 0;
	const char *writer = "zombie", *then = "exit";
	size_t len;
	int64_t forks = 0, clones = 0;
	bool stop = false, starving = false;
	if (arg(ad, "counter", &v) && argdata_get_fd(v, &fd) == ARGDATA_OK)
		counter_fd = (int)fd;
	if (arg(ad, "dir", &v))
		starving = argdata_get_fd(v, &dir) == ARGDATA_OK;
	if (arg(ad, "writer", &v))
		argdata_get_str(v, &writer, &len);
	if (arg(ad, "then", &v))
		argdata_get_str(v, &then, &len);
	if (arg(ad, "forks", &v))
		argdata_get_int64(v, &forks);
	if (arg(ad, "clones", &v))
		argdata_get_int64(v, &clones);
	if (arg(ad, "stop", &v))
		argdata_get_bool(v, &stop);

	for (int64_t i = 0; i < clones; i++)
		if (raw_fork() == 0)
			block_forever();
	start_writer(writer);
	await(0, 8);
	/* Two tables of 1024 fill the broker under the lowest ulimit -n
	 * capbox accepts. */
	if (starving && forks < 2)
		forks = 2;
	long forked = 0;
	while (forked < forks && forked < 4) {
		cloudabi_fd_t child;
		cloudabi_tid_t tid;
		if (cloudabi_sys_proc_fork(&child, &tid) != 0)
			break;
		if (child == CLOUDABI_PROCESS_CHILD) {
			if (starving)
				starve(dir, forked);
			if (stop) {
				start_writer("zombie");
				cloudabi_sys_proc_raise(CLOUDABI_SIGSTOP);
			}
			block_forever();
		}
		forked++;
	}
	for (long i = 0; starving && i < forked; i++)
		await(8 + i, 1);
	if (strcmp(then, "block") == 0)
		block_forever();
	if (strcmp(then, "now") != 0)
		await(15, 1);
	exit(0);
}

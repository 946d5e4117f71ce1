/* proc_exec.c: proc_exec replaces the image with a renumbered descriptor table and new argdata; its errors. */
/* capbox-test-args: --file target=@BUILD@/programs/exec_target --file empty=@SRCDIR@/tests/data/empty --file text=@SRCDIR@/tests/data/text.txt */
#include <argdata.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exec_target_args.h"
#include "guest.h"
#include "proc.h"

static uint32_t fd_of(const argdata_t *ad, const char *key)
{
	argdata_t value;
	uint32_t fd = UINT32_MAX;
	if (argdata_map_find(*ad, key, strlen(key), &value) == ARGDATA_OK)
		argdata_get_fd(value, &fd);
	return fd;
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t target = fd_of(ad, "target");
	cloudabi_fd_t empty = fd_of(ad, "empty");
	cloudabi_fd_t text = fd_of(ad, "text");
	CHECK(target != UINT32_MAX && empty != UINT32_MAX && text != UINT32_MAX,
	      "the test was handed its files");

	const uint8_t *data = exec_target_argdata;
	const size_t len = sizeof(exec_target_argdata);
	cloudabi_fd_t keep[1] = {(cloudabi_fd_t)check_out_fd};

	CHECK_EQ(cloudabi_sys_proc_exec(empty, data, len, keep, 1),
		 CLOUDABI_ENOEXEC, "exec of an empty file is ENOEXEC");
	CHECK_EQ(cloudabi_sys_proc_exec(text, data, len, keep, 1),
		 CLOUDABI_ENOEXEC, "exec of a text file is ENOEXEC");
	CHECK_EQ(cloudabi_sys_proc_exec(999, data, len, keep, 1),
		 CLOUDABI_EBADF, "exec of a closed descriptor is EBADF");
	cloudabi_fd_t bad[1] = {777};
	CHECK_EQ(cloudabi_sys_proc_exec(target, data, len, bad, 1),
		 CLOUDABI_EBADF,
		 "a kept descriptor that does not exist is EBADF");
	CHECK_EQ(cloudabi_sys_proc_exec((cloudabi_fd_t)check_out_fd, data, len,
					keep, 1),
		 CLOUDABI_ENOTCAPABLE,
		 "exec of a descriptor without PROC_EXEC");

	cloudabi_fdstat_t st;
	cloudabi_errno_t err = cloudabi_sys_fd_stat_get(target, &st);
	st.fs_rights_base &= ~CLOUDABI_RIGHT_PROC_EXEC;
	cloudabi_fd_t narrowed;
	err = cloudabi_sys_fd_dup(target, &narrowed);
	if (err == 0)
		err = cloudabi_sys_fd_stat_put(narrowed, &st,
					       CLOUDABI_FDSTAT_RIGHTS);
	{
		CHECK_EQ(err, 0, "dropping PROC_EXEC from a copy");
		CHECK_EQ(cloudabi_sys_proc_exec(narrowed, data, len, keep, 1),
			 CLOUDABI_ENOTCAPABLE,
			 "exec of that copy is ENOTCAPABLE");
	}

	cloudabi_fd_t child;
	cloudabi_tid_t tid;
	err = cloudabi_sys_proc_fork(&child, &tid);
	CHECK_EQ(err, 0, "proc_fork");
	if (child == CLOUDABI_PROCESS_CHILD) {
		cloudabi_sys_proc_exec(target, data, len, keep, 1);
		cloudabi_sys_proc_exit(100); /* exec failed */
	}
	cloudabi_event_t ev;
	CHECK_EQ(proc_wait(child, UINT64_C(20000000000), &ev), 0,
		 "the exec'd child ends");
	CHECK_EQ(ev.proc_terminate.signal, 0, "normally");
	CHECK_EQ(ev.proc_terminate.exitcode, EXEC_TARGET_CODE,
		 "with the code from its new argdata (all its checks held)");
	exit(check_done());
}

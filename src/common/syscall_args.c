/* syscall_args.c: the argument kinds of the 49 CloudABI system calls, in the order of include/cloudabi/syscalls.h. */
#include "common/syscall_args.h"

#include "cloudabi/syscalls.h"

/* Bytes, not pointers: the shim has no load-time relocations. */
#define ROW(name, ...) [CLOUDABI_SYS_##name] = {__VA_ARGS__},
static const uint8_t kinds[CLOUDABI_SYSCALL_COUNT][SYSCALL_ARGS_MAX] = {
	ROW(clock_res_get, ARG_CLOCK, ARG_OUT_U64) ROW(
		clock_time_get, ARG_CLOCK, ARG_U64,
		ARG_OUT_U64) ROW(condvar_signal, ARG_PTR, ARG_SCOPE,
				 ARG_NTHREADS) ROW(fd_close, ARG_FD)
		ROW(fd_create1, ARG_FILETYPE, ARG_OUT_FD) ROW(
			fd_create2, ARG_FILETYPE, ARG_OUT_FD,
			ARG_PTR) ROW(fd_datasync, ARG_FD) ROW(fd_dup, ARG_FD,
							      ARG_OUT_FD)
			ROW(fd_pread, ARG_FD, ARG_IOVS_OUT, ARG_LEN, ARG_U64,
			    ARG_OUT_SIZE) ROW(fd_pwrite, ARG_FD, ARG_IOVS_IN,
					      ARG_LEN, ARG_U64,
					      ARG_OUT_SIZE) ROW(fd_read, ARG_FD,
								ARG_IOVS_OUT,
								ARG_LEN,
								ARG_OUT_SIZE)
				ROW(fd_replace, ARG_FD, ARG_FD) ROW(
					fd_seek, ARG_FD, ARG_DELTA, ARG_WHENCE,
					ARG_OUT_U64) ROW(fd_stat_get, ARG_FD,
							 ARG_PTR)
					ROW(fd_stat_put, ARG_FD, ARG_FDSTAT_IN,
					    ARG_FDSFLAGS) ROW(fd_sync, ARG_FD)
						ROW(fd_write, ARG_FD,
						    ARG_IOVS_IN, ARG_LEN,
						    ARG_OUT_SIZE)
							ROW(file_advise, ARG_FD,
							    ARG_U64, ARG_U64,
							    ARG_ADVICE)
								ROW(file_allocate,
								    ARG_FD,
								    ARG_U64,
								    ARG_U64)
									ROW(file_create,
									    ARG_FD,
									    ARG_PATH,
									    ARG_LEN,
									    ARG_FILETYPE)
										ROW(
											file_link, ARG_LOOKUP, ARG_PATH, ARG_LEN, ARG_FD, ARG_PTR, ARG_SIZE) ROW(file_open, ARG_LOOKUP, ARG_PATH, ARG_LEN, ARG_OFLAGS, ARG_FDSTAT_IN, ARG_OUT_FD) ROW(file_readdir, ARG_FD, ARG_BUF_OUT, ARG_LEN, ARG_U64, ARG_OUT_SIZE) ROW(file_readlink,
																																							     ARG_FD,
																																							     ARG_PATH,
																																							     ARG_LEN, ARG_PTR, ARG_SIZE, ARG_OUT_SIZE) ROW(file_rename,
																																													   ARG_FD,
																																													   ARG_PATH, ARG_LEN,
																																													   ARG_FD,
																																													   ARG_PTR, ARG_SIZE) ROW(file_stat_fget,
																																																  ARG_FD,
																																																  ARG_PTR) ROW(file_stat_fput, ARG_FD, ARG_PTR, ARG_FSFLAGS) ROW(file_stat_get,
																																																								 ARG_LOOKUP,
																																																								 ARG_PATH, ARG_LEN, ARG_PTR) ROW(file_stat_put, ARG_LOOKUP, ARG_PATH, ARG_LEN, ARG_PTR,
																																																												 ARG_FSFLAGS) ROW(file_symlink,
																																																														  ARG_PATH,
																																																														  ARG_LEN,
																																																														  ARG_FD,
																																																														  ARG_PTR, ARG_SIZE) ROW(file_unlink,
																																																																	 ARG_FD,
																																																																	 ARG_PATH, ARG_LEN, ARG_ULFLAGS) ROW(lock_unlock,
																																																																					     ARG_PTR, ARG_SCOPE) ROW(mem_advise, ARG_PTR, ARG_SIZE, ARG_ADVICE) ROW(mem_map,
																																																																														    ARG_PTR,
																																																																														    ARG_SIZE, ARG_PROT, ARG_MFLAGS, ARG_FD, ARG_U64, ARG_OUT_PTR) ROW(mem_protect, ARG_PTR, ARG_SIZE, ARG_PROT) ROW(mem_sync, ARG_PTR, ARG_SIZE, ARG_MSFLAGS) ROW(mem_unmap,
																																																																																																		  ARG_PTR,
																																																																																																		  ARG_SIZE) ROW(poll, ARG_PTR, ARG_PTR, ARG_SIZE, ARG_OUT_SIZE) ROW(proc_exec,
																																																																																																										    ARG_FD,
																																																																																																										    ARG_PTR,
																																																																																																										    ARG_SIZE, ARG_PTR, ARG_SIZE) ROW(proc_exit, ARG_EXITCODE) ROW(proc_fork,
																																																																																																																		  ARG_OUT_FD,
																																																																																																																		  ARG_PTR)
											ROW(proc_raise, ARG_SIGNAL) ROW(random_get, ARG_PTR, ARG_SIZE) ROW(sock_recv, ARG_FD, ARG_PTR, ARG_PTR) ROW(
												sock_send,
												ARG_FD,
												ARG_PTR,
												ARG_PTR) ROW(sock_shutdown,
													     ARG_FD,
													     ARG_SDFLAGS)
												ROW(thread_create,
												    ARG_PTR,
												    ARG_OUT_U32)
													ROW(thread_exit,
													    ARG_PTR,
													    ARG_SCOPE)
														ROW(thread_yield,
														    ARG_END)};
#undef ROW

_Static_assert(ARG_COUNT <= UINT8_MAX, "kinds fit a byte");

enum syscall_arg syscall_arg_kind(unsigned index, unsigned i)
{
	if (index >= CLOUDABI_SYSCALL_COUNT || i >= SYSCALL_ARGS_MAX)
		return ARG_END;
	return (enum syscall_arg)kinds[index][i];
}

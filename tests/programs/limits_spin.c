/* limits_spin.c: a hostile guest for --cpu-limit and --time-limit: three processes with two threads each spin on every CPU and never end. */
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <program.h>

#define PROCESSES 3 /* the main one and two forks */
#define THREADS 2   /* more in each process, besides its own */

static volatile unsigned long counter;

static void spin(void *arg)
{
	(void)arg;
	for (;;)
		counter++;
}

void program_main(const argdata_t *ad)
{
	(void)ad;
	for (int i = 1; i < PROCESSES; i++) {
		cloudabi_fd_t fd;
		cloudabi_tid_t tid;
		if (cloudabi_sys_proc_fork(&fd, &tid) != 0)
			break;
		if (fd == CLOUDABI_PROCESS_CHILD)
			break;
	}
	static capbox_thread_t threads[THREADS];
	for (int i = 0; i < THREADS; i++)
		capbox_thread_start(&threads[i], spin, NULL, 0);
	spin(NULL);
}

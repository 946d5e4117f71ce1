/* procmem.h: resident memory of a process and of the machine, read from /proc. */
#ifndef CAPBOX_BENCH_PROCMEM_H
#define CAPBOX_BENCH_PROCMEM_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

struct procmem {
	uint64_t rss_kib; /* resident pages, shared ones counted in full */
	uint64_t pss_kib; /* resident pages, shared ones divided among users */
};

/* Reads /proc/PID/smaps_rollup; 0 on success, -1 otherwise. */
int procmem_read(pid_t pid, struct procmem *out);
/* The children of pid (its main thread's), at most max; how many. */
size_t procmem_children(pid_t pid, pid_t *out, size_t max);

struct procmem_machine {
	uint64_t available_kib; /* MemAvailable */
	uint64_t shmem_kib;     /* Shmem: memfds and tmpfs */
};

/* Reads /proc/meminfo once MemAvailable is steady (0 where unknown). */
void procmem_machine(struct procmem_machine *out);

#endif

/* procmem.c: reads RSS and PSS from /proc/PID/smaps_rollup, child pids and MemAvailable. */
#include "procmem.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The KiB value of the line "key: N kB" in file path; -1 if absent. */
static long long read_kib(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	char line[256];
	long long value = -1;
	size_t key_len = strlen(key);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
			sscanf(line + key_len + 1, "%lld", &value);
			break;
		}
	}
	fclose(f);
	return value;
}

int procmem_read(pid_t pid, struct procmem *out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	long long rss = read_kib(path, "Rss");
	long long pss = read_kib(path, "Pss");
	if (rss < 0 || pss < 0)
		return -1;
	out->rss_kib = (uint64_t)rss;
	out->pss_kib = (uint64_t)pss;
	return 0;
}

size_t procmem_children(pid_t pid, pid_t *out, size_t max)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
		 (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	size_t n = 0;
	int child;
	while (n < max && fscanf(f, "%d", &child) == 1)
		out[n++] = (pid_t)child;
	fclose(f);
	return n;
}

static uint64_t meminfo_now(const char *key)
{
	long long kib = read_kib("/proc/meminfo", key);
	return kib > 0 ? (uint64_t)kib : 0;
}

void procmem_machine(struct procmem_machine *out)
{
	/* Let deferred frees finish: wait until two samples 200 ms apart
	 * agree within 1 MiB (at most 5 s). */
	uint64_t prev = meminfo_now("MemAvailable");
	for (int i = 0; i < 25; i++) {
		usleep(200000);
		uint64_t cur = meminfo_now("MemAvailable");
		uint64_t diff = cur > prev ? cur - prev : prev - cur;
		prev = cur;
		if (diff < 1024)
			break;
	}
	out->available_kib = prev;
	out->shmem_kib = meminfo_now("Shmem");
}

/* fleet.c: starts N idle sandboxes (or native processes) at once, measures start time and memory, then stops every one of them. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procmem.h"

#define READY_TIMEOUT_MS 120000
#define STOP_TIMEOUT_MS 20000

extern char **environ;

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Starts up to n copies; returns how many started. */
static size_t spawn_all(size_t n, char **cmd, int in_fd, int out_fd,
			pid_t *pids)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	size_t started = 0;
	for (; started < n; started++) {
		int err = posix_spawn(&pids[started], cmd[0], &fa, NULL, cmd,
				      environ);
		if (err != 0) {
			fprintf(stderr, "fleet: start %zu failed: %s\n",
				started + 1, strerror(err));
			break;
		}
	}
	posix_spawn_file_actions_destroy(&fa);
	return started;
}

/* Counts "ready" lines until want arrived or the deadline passed. */
static size_t await_ready(int fd, size_t want, uint64_t deadline)
{
	size_t lines = 0;
	char buf[4096];
	while (lines < want) {
		uint64_t now = now_ms();
		if (now >= deadline)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++)
			lines += buf[i] == '\n';
	}
	return lines;
}

/* Adds RSS and PSS of every descendant of pid (children, their children,
 * ...) to *sum; returns how many were read. */
static size_t add_descendants(pid_t pid, struct procmem *sum, int depth)
{
	size_t count = 0;
	pid_t kids[16];
	size_t n = depth > 8 ? 0 : procmem_children(pid, kids, 16);
	for (size_t i = 0; i < n; i++) {
		struct procmem m;
		if (procmem_read(kids[i], &m) == 0) {
			sum->rss_kib += m.rss_kib;
			sum->pss_kib += m.pss_kib;
			count++;
		}
		count += add_descendants(kids[i], sum, depth + 1);
	}
	return count;
}

/* Sums PSS over every started process and all its descendants (capbox:
 * the launcher, then the broker and the guest in the sandbox's pid
 * namespace). */
static void report_memory(const pid_t *pids, size_t n,
			  const struct procmem_machine *before,
			  const struct procmem_machine *after)
{
	struct procmem total = {0, 0}, top = {0, 0}, child = {0, 0};
	size_t tops = 0, children = 0;
	for (size_t i = 0; i < n; i++) {
		struct procmem m;
		if (procmem_read(pids[i], &m) == 0) {
			total.pss_kib += m.pss_kib;
			top.rss_kib += m.rss_kib;
			top.pss_kib += m.pss_kib;
			tops++;
		}
		struct procmem below = {0, 0};
		if (add_descendants(pids[i], &below, 0) > 0) {
			total.pss_kib += below.pss_kib;
			child.rss_kib += below.rss_kib;
			child.pss_kib += below.pss_kib;
			children++;
		}
	}
	printf("pss_per_instance_kib=%llu\n",
	       (unsigned long long)(n ? total.pss_kib / n : 0));
	printf("top_process rss_kib=%llu pss_kib=%llu count=%zu\n",
	       (unsigned long long)(tops ? top.rss_kib / tops : 0),
	       (unsigned long long)(tops ? top.pss_kib / tops : 0), tops);
	printf("child_process rss_kib=%llu pss_kib=%llu count=%zu\n",
	       (unsigned long long)(children ? child.rss_kib / children : 0),
	       (unsigned long long)(children ? child.pss_kib / children : 0),
	       children);
	uint64_t drop = before->available_kib > after->available_kib
				? before->available_kib - after->available_kib
				: 0;
	uint64_t shmem = after->shmem_kib > before->shmem_kib
				 ? after->shmem_kib - before->shmem_kib
				 : 0;
	printf("memavailable_drop_per_instance_kib=%llu\n",
	       (unsigned long long)(n ? drop / n : 0));
	printf("shmem_growth_per_instance_kib=%llu\n",
	       (unsigned long long)(n ? shmem / n : 0));
}

/* Ends every process: end of file on stdin, then SIGKILL by pid. */
static size_t stop_all(int block_w, pid_t *pids, size_t n)
{
	close(block_w);
	size_t left = n, killed = 0;
	uint64_t deadline = now_ms() + STOP_TIMEOUT_MS;
	while (left > 0 && now_ms() < deadline) {
		pid_t p = waitpid(-1, NULL, WNOHANG);
		if (p > 0) {
			for (size_t i = 0; i < n; i++)
				if (pids[i] == p)
					pids[i] = 0;
			left--;
		} else if (p < 0 && errno == ECHILD) {
			break;
		} else {
			usleep(2000);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
			killed++;
		}
	}
	return killed;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fleet N COMMAND [ARG]...\n");
		return 2;
	}
	size_t n = strtoul(argv[1], NULL, 10);
	pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
	int block[2], ready[2];
	/* Children get the ends as stdin and stdout only (dup2 drops CLOEXEC). */
	if (pids == NULL || pipe2(block, O_CLOEXEC) != 0 ||
	    pipe2(ready, O_CLOEXEC) != 0)
		return 1;

	struct procmem_machine before, after;
	procmem_machine(&before);
	uint64_t start = now_ms();
	size_t started = spawn_all(n, argv + 2, block[0], ready[1], pids);
	/* Now only the children hold these: end of file once all are gone. */
	close(block[0]);
	close(ready[1]);
	size_t up = await_ready(ready[0], started, start + READY_TIMEOUT_MS);
	uint64_t elapsed = now_ms() - start;
	procmem_machine(&after);

	printf("requested=%zu started=%zu ready=%zu\n", n, started, up);
	printf("start_total_ms=%llu start_per_instance_us=%llu\n",
	       (unsigned long long)elapsed,
	       (unsigned long long)(up ? elapsed * 1000 / up : 0));
	report_memory(pids, started, &before, &after);
	fflush(stdout);
	size_t killed = stop_all(block[1], pids, started);
	printf("stopped=%zu killed_after_timeout=%zu\n", started, killed);
	free(pids);
	return up == n && killed == 0 ? 0 : 1;
}

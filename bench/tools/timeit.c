/* timeit.c: runs a command once (output discarded) and prints its wall-clock time from spawn to reap in nanoseconds. */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: timeit COMMAND [ARG]...\n");
		return 2;
	}
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
					 O_WRONLY, 0);

	uint64_t start = now_ns();
	pid_t pid;
	int err = posix_spawnp(&pid, argv[1], &actions, NULL, argv + 1,
			       environ);
	if (err != 0) {
		fprintf(stderr, "timeit: cannot run %s\n", argv[1]);
		return 127;
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return 125;
	uint64_t elapsed = now_ns() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "timeit: %s failed (status %d)\n", argv[1],
			status);
		return 1;
	}
	printf("%llu\n", (unsigned long long)elapsed);
	return 0;
}

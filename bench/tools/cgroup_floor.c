/* cgroup_floor.c: the kernel's own cost of a sandbox's cgroups: makes and removes an empty cgroup in each given directory, and prints the median microseconds of one round. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_DIRS 8
#define MAX_ROUNDS 100000

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long rounds = argc > 1 ? strtol(argv[1], &end, 10) : 0;
	int ndirs = argc - 2;
	if (argc < 3 || *end != '\0' || rounds < 1 || rounds > MAX_ROUNDS ||
	    ndirs > MAX_DIRS) {
		fprintf(stderr,
			"usage: cgroup_floor ROUNDS DIR... (1-%d rounds, 1-%d cgroup directories)\n",
			MAX_ROUNDS, MAX_DIRS);
		return 2;
	}
	char made[MAX_DIRS][4096];
	for (int d = 0; d < ndirs; d++) {
		int n = snprintf(made[d], sizeof(made[d]), "%s/capbox-floor-%d",
				 argv[2 + d], (int)getpid());
		if (n < 0 || (size_t)n >= sizeof(made[d])) {
			fprintf(stderr, "cgroup_floor: %s: path too long\n",
				argv[2 + d]);
			return 2;
		}
	}
	uint64_t *took = calloc((size_t)rounds, sizeof(*took));
	if (took == NULL) {
		fprintf(stderr, "cgroup_floor: out of memory\n");
		return 1;
	}
	for (long r = 0; r < rounds; r++) {
		uint64_t start = now_ns();
		for (int d = 0; d < ndirs; d++) {
			if (mkdir(made[d], 0755) != 0) {
				fprintf(stderr, "cgroup_floor: mkdir %s: %s\n",
					made[d], strerror(errno));
				while (--d >= 0)
					rmdir(made[d]);
				free(took);
				return 1;
			}
		}
		bool removed = true;
		for (int d = 0; d < ndirs; d++) {
			if (rmdir(made[d]) != 0) {
				fprintf(stderr, "cgroup_floor: rmdir %s: %s\n",
					made[d], strerror(errno));
				removed = false;
			}
		}
		if (!removed) {
			free(took);
			return 1;
		}
		took[r] = now_ns() - start;
		/* As far apart as sandboxes started one after the other. */
		usleep(2000);
	}
	qsort(took, (size_t)rounds, sizeof(*took), by_value);
	printf("%llu\n", (unsigned long long)(took[rounds / 2] / 1000));
	free(took);
	return 0;
}

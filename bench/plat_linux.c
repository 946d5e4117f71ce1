/* plat_linux.c: the platform layer on native Linux (libc, pthread, fork+waitpid); entry point main(). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plat.h"

/* errno as a platform result. */
static int fail(void)
{
	return errno == ENOSYS ? PLAT_ENOSYS : errno;
}

void plat_print(const struct plat_env *env, const char *text)
{
	size_t len = strlen(text);
	while (len > 0) {
		ssize_t n = write(env->out, text, len);
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

int plat_clock_ns(uint64_t *ns)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return fail();
	*ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
}

int plat_random(void *buf, size_t len)
{
	ssize_t n = getrandom(buf, len, 0);
	if (n < 0)
		return fail();
	return (size_t)n == len ? 0 : EIO;
}

/* A byte count or -1 as a platform result. */
static int sized(ssize_t n, size_t *done)
{
	if (n < 0)
		return fail();
	*done = (size_t)n;
	return 0;
}

int plat_pread(int fd, void *buf, size_t len, uint64_t off, size_t *done)
{
	return sized(pread(fd, buf, len, (off_t)off), done);
}

int plat_pwrite(int fd, const void *buf, size_t len, uint64_t off, size_t *done)
{
	return sized(pwrite(fd, buf, len, (off_t)off), done);
}

int plat_read(int fd, void *buf, size_t len, size_t *done)
{
	return sized(read(fd, buf, len), done);
}

int plat_write(int fd, const void *buf, size_t len, size_t *done)
{
	return sized(write(fd, buf, len), done);
}

int plat_socketpair(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0
		       ? 0
		       : fail();
}

int plat_close(int fd)
{
	return close(fd) == 0 ? 0 : fail();
}

int plat_fd_status(int fd)
{
	return fcntl(fd, F_GETFL) >= 0 ? 0 : fail();
}

int plat_open_read(int dir, const char *path, int *fd)
{
	*fd = openat(dir, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return *fd >= 0 ? 0 : fail();
}

int plat_stat_size(int dir, const char *path, uint64_t *size)
{
	struct stat st;
	if (fstatat(dir, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return fail();
	*size = (uint64_t)st.st_size;
	return 0;
}

int plat_readdir_count(int dir, void *buf, size_t buf_len, size_t *entries)
{
	size_t count = 0;
	if (lseek(dir, 0, SEEK_SET) != 0)
		return fail();
	for (;;) {
		ssize_t n = getdents64(dir, buf, buf_len);
		if (n < 0)
			return fail();
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *d =
				(const struct dirent64 *)((char *)buf + off);
			count++;
			off += d->d_reclen;
		}
	}
	*entries = count;
	return 0;
}

int plat_map_anon(size_t len, void **mem)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return fail();
	*mem = p;
	return 0;
}

int plat_unmap(void *mem, size_t len)
{
	return munmap(mem, len) == 0 ? 0 : fail();
}

struct plat_thread {
	pthread_t id;
	plat_thread_fn *fn;
	void *arg;
};

static struct plat_thread thread_slots[2];
static int thread_used[2];

plat_self_t plat_main_self(void)
{
	return 0; /* pthread keeps its own notion of the owner */
}

static void *thread_entry(void *data)
{
	struct plat_thread *t = data;
	t->fn(0, t->arg);
	return NULL;
}

int plat_thread_start(plat_thread_fn *fn, void *arg, struct plat_thread **t)
{
	int slot = !thread_used[0] ? 0 : !thread_used[1] ? 1 : -1;
	if (slot < 0)
		return EAGAIN;
	struct plat_thread *th = &thread_slots[slot];
	th->fn = fn;
	th->arg = arg;
	int err = pthread_create(&th->id, NULL, thread_entry, th);
	if (err != 0)
		return err == ENOSYS ? PLAT_ENOSYS : err;
	thread_used[slot] = 1;
	*t = th;
	return 0;
}

int plat_thread_join(struct plat_thread *t)
{
	int err = pthread_join(t->id, NULL);
	thread_used[t - thread_slots] = 0;
	return err;
}

static void *no_op(void *arg)
{
	return arg;
}

/*
 * glibc skips the atomic instructions of pthread_mutex_lock while a
 * process has never had a second thread; a program that needs a lock has
 * threads, and a CloudABI C library always uses compare-and-swap.  So the
 * first lock makes the process multi-threaded once (a no-op thread).
 */
static void become_multithreaded(void)
{
	static int done;
	pthread_t t;
	if (!done && pthread_create(&t, NULL, no_op, NULL) == 0) {
		pthread_join(t, NULL);
		done = 1;
	}
}

void plat_mutex_init(struct plat_mutex *m)
{
	become_multithreaded();
	pthread_mutex_init(&m->m, NULL);
}

int plat_mutex_lock(struct plat_mutex *m, plat_self_t self)
{
	(void)self;
	return pthread_mutex_lock(&m->m);
}

int plat_mutex_unlock(struct plat_mutex *m, plat_self_t self)
{
	(void)self;
	return pthread_mutex_unlock(&m->m);
}

void plat_cond_init(struct plat_cond *c)
{
	pthread_cond_init(&c->c, NULL);
}

int plat_cond_wait(struct plat_cond *c, struct plat_mutex *m, plat_self_t self)
{
	(void)self;
	return pthread_cond_wait(&c->c, &m->m);
}

int plat_cond_signal(struct plat_cond *c)
{
	return pthread_cond_signal(&c->c);
}

int plat_fork(int *child, int *is_child)
{
	pid_t pid = fork();
	if (pid < 0)
		return fail();
	*is_child = pid == 0;
	*child = (int)pid;
	return 0;
}

_Noreturn void plat_child_exit(int code)
{
	_exit(code);
}

int plat_wait(int child, int *code)
{
	int status;
	pid_t r;
	do {
		r = waitpid(child, &status, 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return fail();
	*code = WIFEXITED(status) ? WEXITSTATUS(status)
				  : 128 + WTERMSIG(status);
	return 0;
}

/* Opens scratch/name (or scratch itself for NULL) with flags; -1 if absent. */
static int open_scratch(const char *scratch, const char *name, int flags)
{
	char path[4096];
	if (scratch == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", scratch, name ? name : ".");
	return open(path, flags | O_CLOEXEC);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKLOAD ITERATIONS [SCRATCH_DIR]\n",
			argv[0]);
		return 2;
	}
	const char *scratch = argc > 3 ? argv[3] : NULL;
	struct plat_env env = {
		.out = STDOUT_FILENO,
		.in = STDIN_FILENO,
		.file = open_scratch(scratch, "file", O_RDWR),
		.dir = open_scratch(scratch, NULL, O_RDONLY | O_DIRECTORY),
		.big = open_scratch(scratch, "big", O_RDONLY | O_DIRECTORY),
	};
	return bench_main(&env, argv[1], strtoull(argv[2], NULL, 10));
}

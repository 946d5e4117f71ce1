/* plat.h: the small platform layer every benchmark workload is written against (native Linux or CloudABI on capbox). */
#ifndef CAPBOX_BENCH_PLAT_H
#define CAPBOX_BENCH_PLAT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every call returns 0 on success, PLAT_ENOSYS when the platform does not
 * implement the underlying system call (capbox: CLOUDABI_ENOSYS), or
 * another non-zero platform error number (Linux errno or CloudABI errno).
 */
#define PLAT_ENOSYS (-1)

/* Lock and condition variable: user-space words (CloudABI) or pthread. */
#if defined(__CloudABI__)
#include <cloudabi/abi.h>
struct plat_mutex {
	_Atomic(cloudabi_lock_t) word;
};
struct plat_cond {
	_Atomic(cloudabi_condvar_t) word;
};
#else
#include <pthread.h>
struct plat_mutex {
	pthread_mutex_t m;
};
struct plat_cond {
	pthread_cond_t c;
};
#endif

/* The identity of the calling thread as a lock records it (CloudABI tid). */
typedef uint32_t plat_self_t;

/* What the runner hands to a benchmark process. */
struct plat_env {
	int out;  /* where results are printed */
	int in;   /* idle mode blocks reading it */
	int file; /* scratch/file: a cached regular file, read-write */
	int dir;  /* scratch/: contains "file" */
	int big;  /* scratch/big/: 1000 entries */
};

/* Output and time. */
void plat_print(const struct plat_env *env, const char *text);
int plat_clock_ns(uint64_t *ns); /* monotonic clock */
int plat_random(void *buf, size_t len);

/* Descriptors. */
int plat_pread(int fd, void *buf, size_t len, uint64_t off, size_t *done);
int plat_pwrite(int fd, const void *buf, size_t len, uint64_t off,
		size_t *done);
int plat_read(int fd, void *buf, size_t len, size_t *done);
int plat_write(int fd, const void *buf, size_t len, size_t *done);
int plat_socketpair(int fds[2]); /* stream sockets */
int plat_close(int fd);
/* Descriptor flags: fcntl(F_GETFL) natively, fd_stat_get (a broker round trip) on capbox. */
int plat_fd_status(int fd);

/* Paths beneath a directory descriptor. */
int plat_open_read(int dir, const char *path, int *fd);
int plat_stat_size(int dir, const char *path, uint64_t *size);
/* Reads a whole directory from its start; counts its entries. */
int plat_readdir_count(int dir, void *buf, size_t buf_len, size_t *entries);

/* Memory. */
int plat_map_anon(size_t len, void **mem);
int plat_unmap(void *mem, size_t len);

/* Threads: at most two started and not yet joined at a time. */
struct plat_thread;
typedef void plat_thread_fn(plat_self_t self, void *arg);
plat_self_t plat_main_self(void);
int plat_thread_start(plat_thread_fn *fn, void *arg, struct plat_thread **t);
int plat_thread_join(struct plat_thread *t);

void plat_mutex_init(struct plat_mutex *m);
int plat_mutex_lock(struct plat_mutex *m, plat_self_t self);
int plat_mutex_unlock(struct plat_mutex *m, plat_self_t self);
void plat_cond_init(struct plat_cond *c);
/* Waits on c; m is held by self before and after. */
int plat_cond_wait(struct plat_cond *c, struct plat_mutex *m, plat_self_t self);
int plat_cond_signal(struct plat_cond *c);

/* Processes: fork sets *is_child; the child calls plat_child_exit. */
int plat_fork(int *child, int *is_child);
_Noreturn void plat_child_exit(int code);
/* Waits for the child to end and releases it; *code = exit code. */
int plat_wait(int child, int *code);

/* The shared driver (bench/driver.c), called by each platform's entry. */
int bench_main(const struct plat_env *env, const char *workload,
	       uint64_t iterations);

#endif

/* wl_ipc.c: communication workloads: 64-byte socket write+read, uncontended lock/unlock, condvar ping-pong. */
#include "workload.h"

#define MSG_SIZE 64

static int sock_fds[2] = {-1, -1};
static unsigned char sock_buf[MSG_SIZE];

static int socket_setup(const struct plat_env *env)
{
	(void)env;
	TRY(plat_socketpair(sock_fds));
	return 0;
}

static int socket_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		size_t done;
		sock_buf[0] = (unsigned char)i;
		TRY(plat_write(sock_fds[0], sock_buf, MSG_SIZE, &done));
		EXPECT(done == MSG_SIZE);
		TRY(plat_read(sock_fds[1], sock_buf, MSG_SIZE, &done));
		EXPECT(done == MSG_SIZE);
	}
	return 0;
}

static void socket_teardown(void)
{
	for (int i = 0; i < 2; i++) {
		if (sock_fds[i] >= 0)
			plat_close(sock_fds[i]);
		sock_fds[i] = -1;
	}
}

static struct plat_mutex lone_lock;

static int lock_setup(const struct plat_env *env)
{
	(void)env;
	plat_mutex_init(&lone_lock);
	return 0;
}

static int lock_loop(uint64_t n)
{
	plat_self_t self = plat_main_self();
	for (uint64_t i = 0; i < n; i++) {
		TRY(plat_mutex_lock(&lone_lock, self));
		TRY(plat_mutex_unlock(&lone_lock, self));
	}
	return 0;
}

/*
 * Ping-pong: the main thread hands the turn to the partner and waits until
 * it is handed back; one operation is one round trip (two wake-ups).
 */
enum turn { TURN_MAIN, TURN_PARTNER, TURN_STOP };

static struct {
	struct plat_mutex lock;
	struct plat_cond to_partner, to_main;
	enum turn turn;
	int partner_err;
	struct plat_thread *partner;
} pp;

/* The partner's loop; returns the first error. */
static int partner_serve(plat_self_t self)
{
	for (;;) {
		while (pp.turn == TURN_MAIN)
			TRY(plat_cond_wait(&pp.to_partner, &pp.lock, self));
		if (pp.turn == TURN_STOP)
			return 0;
		pp.turn = TURN_MAIN;
		TRY(plat_cond_signal(&pp.to_main));
	}
}

static void partner_main(plat_self_t self, void *arg)
{
	(void)arg;
	int err = plat_mutex_lock(&pp.lock, self);
	if (err != 0) {
		pp.partner_err = err; /* the main thread sees TURN_PARTNER */
		return;
	}
	err = partner_serve(self);
	if (err != 0) {
		/* Hand the turn back so that the main thread notices. */
		pp.partner_err = err;
		pp.turn = TURN_MAIN;
		plat_cond_signal(&pp.to_main);
	}
	plat_mutex_unlock(&pp.lock, self);
}

static int pingpong_setup(const struct plat_env *env)
{
	(void)env;
	plat_mutex_init(&pp.lock);
	plat_cond_init(&pp.to_partner);
	plat_cond_init(&pp.to_main);
	pp.turn = TURN_MAIN;
	pp.partner_err = 0;
	TRY(plat_thread_start(partner_main, NULL, &pp.partner));
	return 0;
}

static int pingpong_round(plat_self_t self)
{
	pp.turn = TURN_PARTNER;
	TRY(plat_cond_signal(&pp.to_partner));
	while (pp.turn == TURN_PARTNER && pp.partner_err == 0)
		TRY(plat_cond_wait(&pp.to_main, &pp.lock, self));
	if (pp.partner_err != 0) {
		bench_failed = "the partner thread's lock or condvar call";
		return pp.partner_err;
	}
	return 0;
}

static int pingpong_loop(uint64_t n)
{
	plat_self_t self = plat_main_self();
	TRY(plat_mutex_lock(&pp.lock, self));
	for (uint64_t i = 0; i < n; i++) {
		int err = pingpong_round(self);
		if (err != 0)
			return err; /* the process ends; the lock stays held */
	}
	TRY(plat_mutex_unlock(&pp.lock, self));
	return 0;
}

static void pingpong_teardown(void)
{
	plat_self_t self = plat_main_self();
	if (pp.partner == NULL)
		return;
	if (plat_mutex_lock(&pp.lock, self) != 0)
		return;
	pp.turn = TURN_STOP;
	plat_cond_signal(&pp.to_partner);
	plat_mutex_unlock(&pp.lock, self);
	plat_thread_join(pp.partner);
	pp.partner = NULL;
}

const struct workload bench_ipc[] = {
	{"socket_64", socket_setup, socket_loop, socket_teardown},
	{"lock_unlock", lock_setup, lock_loop, NULL},
	{"condvar_pingpong", pingpong_setup, pingpong_loop, pingpong_teardown},
	{NULL, NULL, NULL, NULL},
};

/* conformance_clock.c: clock_res_get, clock_time_get for all four clocks, random_get and thread_yield: success paths and EINVAL. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

#define SEC UINT64_C(1000000000)

static void clocks(void)
{
	static const cloudabi_clockid_t ids[] = {
		CLOUDABI_CLOCK_MONOTONIC, CLOUDABI_CLOCK_PROCESS_CPUTIME_ID,
		CLOUDABI_CLOCK_REALTIME, CLOUDABI_CLOCK_THREAD_CPUTIME_ID};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		cloudabi_timestamp_t res = 0, t1 = 0, t2 = 0;
		CHECK_EQ(cloudabi_sys_clock_res_get(ids[i], &res), 0,
			 "clock_res_get(%u)", ids[i]);
		CHECK(res > 0 && res <= SEC,
		      "clock %u: resolution between 1 ns and 1 s (%llu)",
		      ids[i], (unsigned long long)res);
		CHECK_EQ(cloudabi_sys_clock_time_get(ids[i], 1, &t1), 0,
			 "clock_time_get(%u)", ids[i]);
		for (volatile int spin = 0; spin < 100000; spin++)
			;
		CHECK_EQ(cloudabi_sys_clock_time_get(ids[i], 0, &t2), 0,
			 "clock_time_get(%u) again", ids[i]);
		CHECK(t2 >= t1, "clock %u does not go back", ids[i]);
	}
	cloudabi_timestamp_t t;
	CHECK_EQ(cloudabi_sys_clock_time_get(CLOUDABI_CLOCK_REALTIME, 0, &t), 0,
		 "realtime");
	CHECK(t > UINT64_C(1500000000) * SEC, "realtime is after 2017");
	CHECK_EQ(cloudabi_sys_clock_res_get(0, &t), CLOUDABI_EINVAL,
		 "clock_res_get of clock 0: EINVAL");
	CHECK_EQ(cloudabi_sys_clock_res_get(5, &t), CLOUDABI_EINVAL,
		 "clock_res_get of clock 5: EINVAL");
	CHECK_EQ(cloudabi_sys_clock_time_get(0, 0, &t), CLOUDABI_EINVAL,
		 "clock_time_get of clock 0: EINVAL");
	CHECK_EQ(cloudabi_sys_clock_time_get(UINT32_MAX, 0, &t),
		 CLOUDABI_EINVAL, "clock_time_get of clock 2^32-1: EINVAL");
}

static void randomness(void)
{
	unsigned char a[64], b[64], zero[64];
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	CHECK_EQ(cloudabi_sys_random_get(a, sizeof(a)), 0, "random_get 64");
	CHECK_EQ(cloudabi_sys_random_get(b, sizeof(b)), 0, "random_get again");
	CHECK(memcmp(a, zero, sizeof(a)) != 0, "not all zero");
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two draws differ");
	CHECK_EQ(cloudabi_sys_random_get(NULL, 0), 0,
		 "random_get of 0 bytes at NULL is fine");
	static unsigned char big[1 << 20];
	CHECK_EQ(cloudabi_sys_random_get(big, sizeof(big)), 0,
		 "random_get of 1 MiB (several getrandom calls) fills it");
	size_t zeros = 0;
	for (size_t i = sizeof(big) - 4096; i < sizeof(big); i++)
		zeros += big[i] == 0;
	CHECK(zeros < 100, "its tail is filled too (%zu zero bytes)", zeros);
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	clocks();
	randomness();
	CHECK_EQ(cloudabi_sys_thread_yield(), 0, "thread_yield");
	exit(check_done());
}

/* sdk_ctors.c: constructors in .ctors run exactly once each, in priority then source order, before program_main. */
#include <program.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "guest.h"

static int calls[8];
static int ncalls;
static int main_started;
static int ran_before_main = 1;

static void record(int id)
{
	if (main_started)
		ran_before_main = 0;
	if (ncalls < 8)
		calls[ncalls] = id;
	ncalls++;
}

__attribute__((constructor)) static void first(void)
{
	record(1);
}

__attribute__((constructor)) static void second(void)
{
	record(2);
}

/* A smaller priority number runs earlier. */
__attribute__((constructor(200))) static void early(void)
{
	record(0);
}

/* lld defines these (equal) when the program has no .init_array. */
extern void (*__init_array_start[])(void)
	__attribute__((weak, visibility("hidden")));
extern void (*__init_array_end[])(void)
	__attribute__((weak, visibility("hidden")));

void program_main(const argdata_t *ad)
{
	main_started = 1;
	check_out_fd = guest_out_fd(ad);

	CHECK_EQ(ncalls, 3, "three constructors ran, once each");
	CHECK_EQ(calls[0], 0, "the priority-200 constructor ran first");
	CHECK_EQ(calls[1], 1, "then the first default-priority one");
	CHECK_EQ(calls[2], 2, "then the second, in source order");
	CHECK(ran_before_main, "all of them before program_main");
	CHECK((uintptr_t)__init_array_start == (uintptr_t)__init_array_end,
	      "nothing was placed in .init_array");
	exit(check_done());
}

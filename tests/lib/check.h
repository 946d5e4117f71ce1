/* check.h: TAP-style assertions shared by host unit tests and guest tests. */
#ifndef CAPBOX_TESTS_CHECK_H
#define CAPBOX_TESTS_CHECK_H

/*
 * Every assertion prints one line that tests/run counts:
 *   ok N - description
 *   not ok N - description (file:line: condition)
 *   skip N - description # reason
 * A program ends with check_done(), which returns the exit status: 0 when
 * every assertion held, 1 otherwise.  Output goes to check_out_fd (1 on the
 * host; a guest test sets it to the descriptor it was handed).
 *
 * dprintf() comes from the host libc or from the capbox guest SDK.
 */
#include <stdio.h>

static int check_out_fd = 1;
static int check_count;
static int check_failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		int check_ok_ = (cond) ? 1 : 0;                                \
		check_count++;                                                 \
		if (!check_ok_)                                                \
			check_failures++;                                      \
		dprintf(check_out_fd, "%s %d - ", check_ok_ ? "ok" : "not ok", \
			check_count);                                          \
		dprintf(check_out_fd, __VA_ARGS__);                            \
		if (!check_ok_)                                                \
			dprintf(check_out_fd, " (%s:%d: %s)", __FILE__,        \
				__LINE__, #cond);                              \
		dprintf(check_out_fd, "\n");                                   \
	} while (0)

/* Equality of two integers, printing both on failure. */
#define CHECK_EQ(got, want, ...)                                               \
	do {                                                                   \
		long long check_got_ = (long long)(got);                       \
		long long check_want_ = (long long)(want);                     \
		CHECK(check_got_ == check_want_, __VA_ARGS__);                 \
		if (check_got_ != check_want_)                                 \
			dprintf(check_out_fd, "#   got %lld, want %lld\n",     \
				check_got_, check_want_);                      \
	} while (0)

#define CHECK_SKIP(reason, ...)                                                \
	do {                                                                   \
		check_count++;                                                 \
		dprintf(check_out_fd, "skip %d - ", check_count);              \
		dprintf(check_out_fd, __VA_ARGS__);                            \
		dprintf(check_out_fd, " # %s\n", reason);                      \
	} while (0)

static inline int check_done(void)
{
	dprintf(check_out_fd, "# %d assertions, %d failed\n", check_count,
		check_failures);
	return check_failures == 0 && check_count > 0 ? 0 : 1;
}

#endif

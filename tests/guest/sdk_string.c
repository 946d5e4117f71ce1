/* sdk_string.c: the SDK's string/memory functions and its dprintf/snprintf formatting, output checked byte for byte. */
#include <cloudabi_syscalls.h>
#include <errno.h>
#include <limits.h>
#include <program.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

/* snprintf into a roomy buffer must give exactly want, and return its length. */
#define CHECK_FMT(want, ...)                                                   \
	do {                                                                   \
		char buf_[256];                                                \
		memset(buf_, 'Z', sizeof(buf_));                               \
		int r_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__);            \
		CHECK(r_ == (int)strlen(want) && strcmp(buf_, want) == 0,      \
		      "snprintf(%s) = \"%s\"", #__VA_ARGS__, want);            \
		if (r_ != (int)strlen(want) || strcmp(buf_, want) != 0)        \
			dprintf(check_out_fd, "#   got %d \"%s\"\n", r_,       \
				r_ >= 0 ? buf_ : "");                          \
	} while (0)

static void test_memory(void)
{
	unsigned char a[64], b[64];

	for (int i = 0; i < 64; i++)
		a[i] = (unsigned char)i;
	CHECK(memcpy(b, a, 64) == b && memcmp(a, b, 64) == 0,
	      "memcpy copies and returns dst");
	for (size_t off = 0; off < 8; off++) {
		memset(b, 0, sizeof(b));
		memcpy(b + off, a + 3, 40);
		int ok = b[off] == 3 && b[off + 39] == 42 &&
			 (off == 0 || b[off - 1] == 0) && b[off + 40] == 0;
		CHECK(ok, "memcpy of 40 bytes to offset %zu stays in bounds",
		      off);
	}

	memcpy(b, a, 64);
	CHECK(memmove(b + 5, b, 50) == b + 5 && b[5] == 0 && b[54] == 49 &&
		      b[4] == 4,
	      "memmove forward over an overlap");
	memcpy(b, a, 64);
	memmove(b, b + 7, 50);
	CHECK(b[0] == 7 && b[49] == 56 && b[50] == 50,
	      "memmove backward over an overlap");
	memcpy(b, a, 64);
	memmove(b + 1, b, 63);
	CHECK(b[1] == 0 && b[63] == 62, "memmove by one byte");

	memset(b, 0xab, sizeof(b));
	CHECK(memset(b + 3, 0, 17) == b + 3 && b[2] == 0xab && b[3] == 0 &&
		      b[19] == 0 && b[20] == 0xab,
	      "memset fills exactly its range");
	CHECK(memset(b, 0x1ff, 4) == b && b[0] == 0xff && b[3] == 0xff,
	      "memset uses the value converted to unsigned char");

	CHECK(memcmp("abc", "abd", 3) < 0 && memcmp("abd", "abc", 3) > 0 &&
		      memcmp("abc", "abd", 2) == 0 && memcmp("x", "y", 0) == 0,
	      "memcmp orders and honours its length");
	CHECK(memcmp("\x80", "\x01", 1) > 0, "memcmp compares unsigned bytes");
	static const char hello[] = "hello";
	CHECK(memchr(hello, 'l', 5) == hello + 2, "memchr finds a byte");
	CHECK(memchr(hello, 'z', 5) == NULL && memchr(hello, 'o', 4) == NULL,
	      "memchr stops at its length");
}

static void test_strings(void)
{
	char buf[32];

	CHECK_EQ(strlen(""), 0, "strlen of the empty string");
	CHECK_EQ(strlen("capbox"), 6, "strlen");
	CHECK_EQ(strnlen("capbox", 3), 3, "strnlen stops at maxlen");
	CHECK_EQ(strnlen("cap", 10), 3, "strnlen stops at the NUL");
	CHECK(strcmp("abc", "abc") == 0 && strcmp("abc", "abd") < 0 &&
		      strcmp("abd", "abc") > 0 && strcmp("ab", "abc") < 0 &&
		      strcmp("abc", "ab") > 0,
	      "strcmp");
	CHECK(strcmp("\xff", "a") > 0, "strcmp compares unsigned chars");
	CHECK(strncmp("abcdef", "abcxyz", 3) == 0 &&
		      strncmp("abcdef", "abcxyz", 4) < 0 &&
		      strncmp("ab", "ab", 100) == 0 &&
		      strncmp("a", "b", 0) == 0,
	      "strncmp");
	const char *s = "a/b/c";
	CHECK(strchr(s, '/') == s + 1 && strrchr(s, '/') == s + 3,
	      "strchr and strrchr find the first and last match");
	CHECK(strchr(s, '\0') == s + 5 && strrchr(s, '\0') == s + 5,
	      "strchr and strrchr find the terminating NUL");
	CHECK(strchr(s, 'x') == NULL && strrchr(s, 'x') == NULL,
	      "strchr and strrchr return NULL when absent");
	CHECK(strcpy(buf, "copy") == buf && strcmp(buf, "copy") == 0, "strcpy");
	CHECK(strcat(buf, "cat") == buf && strcmp(buf, "copycat") == 0,
	      "strcat");
	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "ab", 5);
	CHECK(buf[0] == 'a' && buf[2] == 0 && buf[4] == 0 && buf[5] == 'x',
	      "strncpy pads with NULs up to n");
	static const char haystack[] = "haystack";
	CHECK(strstr(haystack, "st") == haystack + 3,
	      "strstr finds a substring");
	CHECK(strstr("haystack", "needle") == NULL, "strstr returns NULL");
	CHECK(strcmp(strerror(EBADF), "EBADF") == 0,
	      "strerror names the error");
}

static void test_integers(void)
{
	CHECK_FMT("0", "%d", 0);
	CHECK_FMT("-1", "%d", -1);
	CHECK_FMT("2147483647", "%d", INT_MAX);
	CHECK_FMT("-2147483648", "%d", INT_MIN);
	CHECK_FMT("-2147483648", "%i", INT_MIN);
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("9223372036854775807", "%lld", LLONG_MAX);
	CHECK_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
	CHECK_FMT("-9223372036854775808", "%jd", INTMAX_MIN);
	CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK_FMT("18446744073709551615", "%zu", SIZE_MAX);
	CHECK_FMT("-5", "%zd", (ptrdiff_t)-5);
	CHECK_FMT("-7", "%td", (ptrdiff_t)-7);
	CHECK_FMT("18446744073709551615", "%ju", UINTMAX_MAX);
	CHECK_FMT("ffffffffffffffff", "%llx", ULLONG_MAX);
	CHECK_FMT("1777777777777777777777", "%llo", ULLONG_MAX);
	/* hh and h convert the promoted int argument back to char/short. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
	CHECK_FMT("-128 127", "%hhd %hhd", -128, 127);
	CHECK_FMT("-1 255", "%hhd %hhu", 255, 255);
	CHECK_FMT("-32768 65535", "%hd %hu", 32768, 65535);
	CHECK_FMT("1 0", "%hhu %hu", 257, 65536);
#pragma clang diagnostic pop
	CHECK_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	CHECK_FMT("17", "%o", 15);

	/* Width, flags. */
	CHECK_FMT("   42", "%5d", 42);
	CHECK_FMT("42   |", "%-5d|", 42);
	CHECK_FMT("00042", "%05d", 42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("+42", "%+d", 42);
	CHECK_FMT(" 42", "% d", 42);
	CHECK_FMT("+0", "%+d", 0);
	CHECK_FMT("-42", "%+d", -42);
	CHECK_FMT("  +42", "%+5d", 42);
	CHECK_FMT("+0042", "%+05d", 42);
	CHECK_FMT("42", "%1d", 42);
	CHECK_FMT("   -2147483648", "%14d", INT_MIN);
	CHECK_FMT("-00002147483648", "%015d", INT_MIN);

	/* Precision. */
	CHECK_FMT("00042", "%.5d", 42);
	CHECK_FMT("-00042", "%.5d", -42);
	CHECK_FMT("  00042", "%7.5d", 42);
	CHECK_FMT("00042  |", "%-7.5d|", 42);
	CHECK_FMT("  042", "%05.3d", 42); /* 0 is ignored with a precision */
	CHECK_FMT("", "%.0d", 0);
	CHECK_FMT("   ", "%3.0d", 0);
	CHECK_FMT("", "%.0x", 0);
	CHECK_FMT("1", "%.0d", 1);
	CHECK_FMT("00000000000000000000000000000001", "%.32u", 1);

	/* Alternate forms. */
	CHECK_FMT("0x2a 0X2A", "%#x %#X", 42, 42);
	CHECK_FMT("0", "%#x", 0);
	CHECK_FMT("0x0000002a", "%#010x", 42);
	CHECK_FMT("0x002a", "%#.4x", 42);
	CHECK_FMT("017", "%#o", 15);
	CHECK_FMT("0", "%#o", 0);
	CHECK_FMT("0", "%#.0o", 0);
	CHECK_FMT("00017", "%#.5o", 15);

	/* Star width and precision. */
	CHECK_FMT("   42", "%*d", 5, 42);
	CHECK_FMT("42   |", "%*d|", -5, 42);
	CHECK_FMT("00042", "%.*d", 5, 42);
	CHECK_FMT("42", "%.*d", -3, 42);
	CHECK_FMT("  abc", "%*.*s", 5, 3, "abcdef");
}

static void test_text(void)
{
	char buf[64];
	char *null_string = NULL;

	CHECK_FMT("hello", "%s", "hello");
	CHECK_FMT("  abc|", "%5s|", "abc");
	CHECK_FMT("abc  |", "%-5s|", "abc");
	CHECK_FMT("ab", "%.2s", "abcdef");
	CHECK_FMT("", "%.0s", "abc");
	CHECK_FMT("(null)", "%s", null_string);
	CHECK_FMT("x", "%c", 'x');
	CHECK_FMT("  x|x  |", "%3c|%-3c|", 'x', 'x');
	CHECK_FMT("100%", "%d%%", 100);
	CHECK_FMT("a%b", "a%%b");
	CHECK_FMT("", "%s", "");
	CHECK_FMT("0x1234abcd", "%p", (void *)0x1234abcd);
	CHECK_FMT("0x0", "%p", (void *)0);
	CHECK_FMT("mixed 7 text -3 and ff", "mixed %u text %d and %x", 7u, -3,
		  255);

	/* A %s not bounded by a NUL when the precision stops it. */
	char unterminated[3] = {'x', 'y', 'z'};
	CHECK_FMT("xy", "%.2s", unterminated);

	/* Truncation: the return value is the full length. */
	memset(buf, 'Z', sizeof(buf));
	int r = snprintf(buf, 5, "%s", "abcdefgh");
	CHECK(r == 8 && strcmp(buf, "abcd") == 0 && buf[5] == 'Z',
	      "snprintf truncates to size - 1 and returns the full length");
	memset(buf, 'Z', sizeof(buf));
	r = snprintf(buf, 1, "%d", 12345);
	CHECK(r == 5 && buf[0] == 0 && buf[1] == 'Z',
	      "snprintf with size 1 stores only the NUL");
	memset(buf, 'Z', sizeof(buf));
	r = snprintf(buf, 0, "%d", 12345);
	CHECK(r == 5 && buf[0] == 'Z', "snprintf with size 0 stores nothing");
	r = snprintf(NULL, 0, "%s-%d", "abc", -10);
	CHECK_EQ(r, 7, "snprintf(NULL, 0) measures the output");
	memset(buf, 'Z', sizeof(buf));
	r = snprintf(buf, 7, "%05d|%s", -42, "tail");
	CHECK(r == 10 && strcmp(buf, "-0042|") == 0,
	      "truncation inside a later conversion");
	r = snprintf(buf, sizeof(buf), "%s", "");
	CHECK(r == 0 && buf[0] == 0, "an empty result is an empty string");

	/* Long padding goes through the engine's fill loop. */
	char big[200];
	r = snprintf(big, sizeof(big), "%100d|", 1);
	CHECK(r == 101 && big[0] == ' ' && big[98] == ' ' && big[99] == '1' &&
		      big[100] == '|' && big[101] == 0,
	      "a width of 100");
	r = snprintf(big, 10, "%-150s|", "x");
	CHECK(r == 151 && strcmp(big, "x        ") == 0,
	      "a padded conversion truncated");

	/* Floating point in a guest (tests/unit/test_sdk_format.c compares
	 * the same engine with glibc over many values). */
	CHECK_FMT("3.141593", "%f", 3.14159265358979);
	CHECK_FMT("2|-0.50|1.5e+10", "%.0f|%.2f|%g", 2.5, -0.5, 1.5e10);
	CHECK_FMT(" 1.00e-07|inf|-nan", "%9.2e|%f|%f", 1e-7, 1.0 / 0.0,
		  -__builtin_nan(""));

	/* Errors. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"
	errno = 0;
	r = snprintf(buf, sizeof(buf), "%q", 1);
	CHECK(r == -1 && errno == EINVAL, "an unknown conversion is EINVAL");
	errno = 0;
	r = snprintf(buf, sizeof(buf), "trailing %");
	CHECK(r == -1 && errno == EINVAL, "a lone trailing %% is EINVAL");
	errno = 0;
	r = snprintf(buf, sizeof(buf), "%n", &r);
	CHECK(r == -1 && errno == EINVAL, "%%n is refused");
#pragma clang diagnostic pop
	errno = 0;
	r = snprintf(NULL, 0, "%*d", INT_MAX, 1);
	CHECK(r == INT_MAX, "a width of INT_MAX is still representable");
	errno = 0;
	r = snprintf(NULL, 0, "x%*d", INT_MAX, 1);
	CHECK(r == -1 && errno == EOVERFLOW,
	      "a length above INT_MAX is EOVERFLOW");
}

/* dprintf through a socket pair, read back with fd_read. */
static void test_dprintf(void)
{
	cloudabi_fd_t fds[2];
	cloudabi_errno_t err = cloudabi_sys_fd_create2(
		CLOUDABI_FILETYPE_SOCKET_STREAM, &fds[0], &fds[1]);
	CHECK_EQ(err, 0, "fd_create2 for reading dprintf's output back");
	if (err == 0) {
		static const char want[] = "key=-0012;ab  |!";
		const size_t len = sizeof(want) - 1;
		int r = dprintf((int)fds[0], "%s=%05d;%-4x|%c", "key", -12,
				0xab, '!');
		CHECK_EQ(r, (int)len, "dprintf returns the byte count");
		char got[64];
		memset(got, 0, sizeof(got));
		size_t have = 0;
		while (have < len) {
			cloudabi_iovec_t iov = {.buf = got + have,
						.buf_len = len - have};
			size_t n = 0;
			if (cloudabi_sys_fd_read(fds[1], &iov, 1, &n) != 0 ||
			    n == 0)
				break;
			have += n;
		}
		CHECK(have == len && strcmp(got, want) == 0,
		      "dprintf wrote exactly its output (\"%s\")", got);

		/* Longer than dprintf's internal buffer. */
		r = dprintf((int)fds[0], "%1500s", "end");
		size_t total = 0;
		int last_ok = 0;
		while (total < 1500) {
			char chunk[512];
			cloudabi_iovec_t iov = {.buf = chunk,
						.buf_len = sizeof(chunk)};
			size_t n = 0;
			if (cloudabi_sys_fd_read(fds[1], &iov, 1, &n) != 0 ||
			    n == 0)
				break;
			total += n;
			last_ok = total == 1500 && n >= 3 &&
				  memcmp(chunk + n - 3, "end", 3) == 0;
		}
		CHECK(r == 1500 && total == 1500 && last_ok,
		      "a 1500-byte dprintf arrives whole");
		cloudabi_sys_fd_close(fds[0]);
		cloudabi_sys_fd_close(fds[1]);
	}

	errno = 0;
	int r = dprintf(987654, "nowhere\n");
	CHECK(r == -1 && errno == EBADF,
	      "dprintf to a bad descriptor fails with EBADF (errno %d)", errno);
	CHECK_EQ(dprintf(check_out_fd, "# dprintf to out\n"), 17,
		 "dprintf to the output descriptor");
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);

	test_memory();
	test_strings();
	test_integers();
	test_text();
	test_dprintf();
	exit(check_done());
}

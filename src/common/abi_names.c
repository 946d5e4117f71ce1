/* abi_names.c: name tables for CloudABI constants, from include/cloudabi. */
#include "common/abi_names.h"

#include "cloudabi/names.h"
#include "cloudabi/syscalls.h"

/*
 * Names live in fixed-size char arrays, not arrays of pointers: a pointer
 * table would need load-time relocations, which the static-PIE shim has
 * none of.  Each table checks at compile time that every name fits.
 */
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define ERRNO_NAME_MAX 16
#define SIGNAL_NAME_MAX 12
#define SYSCALL_NAME_MAX 16
#define FILETYPE_NAME_MAX 20
#define RIGHT_NAME_MAX 24

/* Indexed by CloudABI errno. */
#define ERRNO_ENTRY(sym, name) [CLOUDABI_##sym] = name,
static const char errno_names[][ERRNO_NAME_MAX] = {
	CLOUDABI_ERRNO_NAMES(ERRNO_ENTRY)};
#undef ERRNO_ENTRY

/* Indexed by CloudABI signal; entry 0 stays empty. */
#define SIGNAL_ENTRY(sym, name) [CLOUDABI_##sym] = name,
static const char signal_names[][SIGNAL_NAME_MAX] = {
	CLOUDABI_SIGNAL_NAMES(SIGNAL_ENTRY)};
#undef SIGNAL_ENTRY

/* Indexed by capbox call number. */
#define SYSCALL_ENTRY(n, ...) #n,
static const char syscall_names[][SYSCALL_NAME_MAX] = {
	CLOUDABI_SYSCALLS(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

struct right_name {
	char name[RIGHT_NAME_MAX];
	cloudabi_rights_t right;
};

#define RIGHT_ENTRY(sym, name) {name, CLOUDABI_##sym},
static const struct right_name right_names[] = {
	CLOUDABI_RIGHT_NAMES(RIGHT_ENTRY)};
#undef RIGHT_ENTRY

/* A string that exactly fills its array would silently lose its NUL. */
#define FITS(sym, name, max)                                                   \
	_Static_assert(sizeof(name) <= (max), "name too long: " name);
#define ERRNO_FITS(sym, name) FITS(sym, name, ERRNO_NAME_MAX)
#define SIGNAL_FITS(sym, name) FITS(sym, name, SIGNAL_NAME_MAX)
#define SYSCALL_FITS(n, ...) FITS(n, #n, SYSCALL_NAME_MAX)
#define FILETYPE_FITS(sym, name) FITS(sym, name, FILETYPE_NAME_MAX)
#define RIGHT_FITS(sym, name) FITS(sym, name, RIGHT_NAME_MAX)
CLOUDABI_ERRNO_NAMES(ERRNO_FITS)
CLOUDABI_SIGNAL_NAMES(SIGNAL_FITS)
CLOUDABI_SYSCALLS(SYSCALL_FITS)
CLOUDABI_FILETYPE_NAMES(FILETYPE_FITS)
CLOUDABI_RIGHT_NAMES(RIGHT_FITS)

_Static_assert(ARRAY_LEN(errno_names) == CLOUDABI_ENOTCAPABLE + 1,
	       "errno names cover 0..ENOTCAPABLE");
_Static_assert(ARRAY_LEN(signal_names) == CLOUDABI_SIGXFSZ + 1,
	       "signal names cover 1..SIGXFSZ");
_Static_assert(ARRAY_LEN(syscall_names) == CLOUDABI_SYSCALL_COUNT,
	       "one name per system call");

const char *cloudabi_errno_name(unsigned error)
{
	if (error >= ARRAY_LEN(errno_names))
		return NULL;
	return errno_names[error];
}

const char *cloudabi_signal_name(unsigned sig)
{
	if (sig >= ARRAY_LEN(signal_names) || signal_names[sig][0] == '\0')
		return NULL;
	return signal_names[sig];
}

const char *cloudabi_syscall_name(unsigned index)
{
	if (index >= ARRAY_LEN(syscall_names))
		return NULL;
	return syscall_names[index];
}

const char *cloudabi_filetype_name(unsigned type)
{
	switch (type) {
#define FILETYPE_CASE(sym, name)                                               \
	case CLOUDABI_##sym:                                                   \
		return name;
		CLOUDABI_FILETYPE_NAMES(FILETYPE_CASE)
#undef FILETYPE_CASE
	default:
		return NULL;
	}
}

const char *cloudabi_right_name(cloudabi_rights_t right)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(right_names); i++) {
		if (right_names[i].right == right)
			return right_names[i].name;
	}
	return NULL;
}

/* Whether name[0..len) is exactly the NUL-terminated string want. */
static int name_equals(const char *want, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (want[i] == '\0' || want[i] != name[i])
			return 0;
	}
	return want[len] == '\0';
}

int cloudabi_right_from_name(const char *name, size_t len,
			     cloudabi_rights_t *out)
{
	size_t i;

	if (len >= RIGHT_NAME_MAX)
		return -1;
	for (i = 0; i < ARRAY_LEN(right_names); i++) {
		if (name_equals(right_names[i].name, name, len)) {
			*out = right_names[i].right;
			return 0;
		}
	}
	return -1;
}

/* trace_names.c: spec names of the flags and enumerations a trace shows. */
#include "trace/trace_names.h"

#include <stdio.h>
#include <string.h>

#include "cloudabi/abi.h"
#include "common/abi_names.h"

struct bit_name {
	uint64_t bit;
	const char *name;
};

#define END                                                                    \
	{                                                                      \
		0, NULL                                                        \
	}
static const struct bit_name oflags[] = {{CLOUDABI_O_CREAT, "CREAT"},
					 {CLOUDABI_O_DIRECTORY, "DIRECTORY"},
					 {CLOUDABI_O_EXCL, "EXCL"},
					 {CLOUDABI_O_TRUNC, "TRUNC"},
					 END};
static const struct bit_name lookupflags[] = {
	{CLOUDABI_LOOKUP_SYMLINK_FOLLOW, "SYMLINK_FOLLOW"}, END};
static const struct bit_name fdflags[] = {
	{CLOUDABI_FDFLAG_APPEND, "APPEND"},
	{CLOUDABI_FDFLAG_DSYNC, "DSYNC"},
	{CLOUDABI_FDFLAG_NONBLOCK, "NONBLOCK"},
	{CLOUDABI_FDFLAG_RSYNC, "RSYNC"},
	{CLOUDABI_FDFLAG_SYNC, "SYNC"},
	END};
static const struct bit_name fdsflags[] = {{CLOUDABI_FDSTAT_FLAGS, "FLAGS"},
					   {CLOUDABI_FDSTAT_RIGHTS, "RIGHTS"},
					   END};
static const struct bit_name fsflags[] = {
	{CLOUDABI_FILESTAT_ATIM, "ATIM"},
	{CLOUDABI_FILESTAT_ATIM_NOW, "ATIM_NOW"},
	{CLOUDABI_FILESTAT_MTIM, "MTIM"},
	{CLOUDABI_FILESTAT_MTIM_NOW, "MTIM_NOW"},
	{CLOUDABI_FILESTAT_SIZE, "SIZE"},
	END};
static const struct bit_name ulflags[] = {
	{CLOUDABI_UNLINK_REMOVEDIR, "REMOVEDIR"}, END};
static const struct bit_name prot[] = {{CLOUDABI_PROT_EXEC, "EXEC"},
				       {CLOUDABI_PROT_WRITE, "WRITE"},
				       {CLOUDABI_PROT_READ, "READ"},
				       END};
static const struct bit_name mflags[] = {{CLOUDABI_MAP_ANON, "ANON"},
					 {CLOUDABI_MAP_FIXED, "FIXED"},
					 {CLOUDABI_MAP_PRIVATE, "PRIVATE"},
					 {CLOUDABI_MAP_SHARED, "SHARED"},
					 END};
static const struct bit_name msflags[] = {
	{CLOUDABI_MS_ASYNC, "ASYNC"},
	{CLOUDABI_MS_INVALIDATE, "INVALIDATE"},
	{CLOUDABI_MS_SYNC, "SYNC"},
	END};
static const struct bit_name sdflags[] = {
	{CLOUDABI_SHUT_RD, "RD"}, {CLOUDABI_SHUT_WR, "WR"}, END};

/* Enumerations: one value each. */
static const struct bit_name scopes[] = {{CLOUDABI_SCOPE_PRIVATE, "PRIVATE"},
					 {CLOUDABI_SCOPE_SHARED, "SHARED"},
					 END};
static const struct bit_name advice[] = {
	{CLOUDABI_ADVICE_DONTNEED, "DONTNEED"},
	{CLOUDABI_ADVICE_NOREUSE, "NOREUSE"},
	{CLOUDABI_ADVICE_NORMAL, "NORMAL"},
	{CLOUDABI_ADVICE_RANDOM, "RANDOM"},
	{CLOUDABI_ADVICE_SEQUENTIAL, "SEQUENTIAL"},
	{CLOUDABI_ADVICE_WILLNEED, "WILLNEED"},
	END};
static const struct bit_name whence[] = {{CLOUDABI_WHENCE_CUR, "CUR"},
					 {CLOUDABI_WHENCE_END, "END"},
					 {CLOUDABI_WHENCE_SET, "SET"},
					 END};
static const struct bit_name clocks[] = {
	{CLOUDABI_CLOCK_MONOTONIC, "MONOTONIC"},
	{CLOUDABI_CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"},
	{CLOUDABI_CLOCK_REALTIME, "REALTIME"},
	{CLOUDABI_CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
	END};
#undef END

/* Appends text to buf (length *used, capacity cap); false once full. */
static _Bool append(char *buf, size_t cap, size_t *used, const char *text)
{
	size_t len = strlen(text);
	if (*used + len + 4 > cap) {
		if (*used + 4 <= cap)
			memcpy(buf + *used, "...", 4);
		*used = cap;
		return 0;
	}
	memcpy(buf + *used, text, len + 1);
	*used += len;
	return 1;
}

static const char *table_name(const struct bit_name *table, uint64_t bit)
{
	for (; table->name != NULL; table++)
		if (table->bit == bit)
			return table->name;
	return NULL;
}

/* NAME|NAME for each set bit, in bit order; table NULL: rights.  Bits
 * without a name follow as one hex number; no bit at all is "0". */
static void bit_names(const struct bit_name *table, uint64_t value, char *buf,
		      size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	uint64_t unknown = 0;
	for (unsigned i = 0; i < 64; i++) {
		uint64_t bit = UINT64_C(1) << i;
		if (!(value & bit))
			continue;
		const char *name = table != NULL ? table_name(table, bit)
						 : cloudabi_right_name(bit);
		if (name == NULL) {
			unknown |= bit;
			continue;
		}
		if ((used > 0 && !append(buf, cap, &used, "|")) ||
		    !append(buf, cap, &used, name))
			return;
	}
	char rest[24];
	snprintf(rest, sizeof(rest), "%s0x%llx", used > 0 ? "|" : "",
		 (unsigned long long)unknown);
	if (unknown != 0 || used == 0)
		append(buf, cap, &used, used == 0 && unknown == 0 ? "0" : rest);
}

static void enum_name(const struct bit_name *table, const char *name_or_null,
		      uint64_t value, char *buf, size_t cap)
{
	if (name_or_null == NULL && table != NULL)
		name_or_null = table_name(table, value);
	if (name_or_null != NULL)
		snprintf(buf, cap, "%s", name_or_null);
	else
		snprintf(buf, cap, "%llu", (unsigned long long)value);
}

_Bool trace_name_value(unsigned kind, uint64_t value, char *buf, size_t cap)
{
	const struct bit_name *flags = NULL;
	switch (kind) {
	case ARG_OFLAGS:
		flags = oflags;
		break;
	case TK_LOOKUPFLAGS:
		flags = lookupflags;
		break;
	case TK_FDFLAGS:
		flags = fdflags;
		break;
	case ARG_FDSFLAGS:
		flags = fdsflags;
		break;
	case ARG_FSFLAGS:
		flags = fsflags;
		break;
	case ARG_ULFLAGS:
		flags = ulflags;
		break;
	case ARG_PROT:
		flags = prot;
		break;
	case ARG_MFLAGS:
		flags = mflags;
		break;
	case ARG_MSFLAGS:
		flags = msflags;
		break;
	case ARG_SDFLAGS:
		flags = sdflags;
		break;
	case TK_RIGHTS:
		bit_names(NULL, value, buf, cap);
		return 1;
	case ARG_SCOPE:
		enum_name(scopes, NULL, value, buf, cap);
		return 1;
	case ARG_ADVICE:
		enum_name(advice, NULL, value, buf, cap);
		return 1;
	case ARG_WHENCE:
		enum_name(whence, NULL, value, buf, cap);
		return 1;
	case ARG_CLOCK:
		enum_name(clocks, NULL, value, buf, cap);
		return 1;
	case ARG_FILETYPE:
		enum_name(NULL,
			  value <= 0xff
				  ? cloudabi_filetype_name((unsigned)value)
				  : NULL,
			  value, buf, cap);
		return 1;
	case ARG_SIGNAL:
		enum_name(NULL,
			  value <= 0xff ? cloudabi_signal_name((unsigned)value)
					: NULL,
			  value, buf, cap);
		return 1;
	default:
		return 0;
	}
	bit_names(flags, value, buf, cap);
	return 1;
}

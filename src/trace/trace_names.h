/* trace_names.h: spec names of the flags and enumerations a trace shows (rights, oflags, clocks...). */
#ifndef CAPBOX_TRACE_TRACE_NAMES_H
#define CAPBOX_TRACE_TRACE_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "common/syscall_args.h"

/* Kinds the broker's own parameter structs add to common/syscall_args.h. */
enum trace_kind { TK_RIGHTS = ARG_COUNT, TK_LOOKUPFLAGS, TK_FDFLAGS, TK_KINDS };

/*
 * Writes value as the spec names it for `kind` into buf (cap > 0 bytes,
 * always NUL-terminated, cut short with "..." if it does not fit): flag
 * sets as NAME|NAME (unknown bits as one hex number, none as 0), an
 * enumeration as its name (an unknown value as its number).  Returns
 * false (and writes nothing) if kind is not a named kind.
 */
_Bool trace_name_value(unsigned kind, uint64_t value, char *buf, size_t cap);

#endif

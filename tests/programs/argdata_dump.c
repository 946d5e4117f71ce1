/* argdata_dump.c: prints its whole argdata tree in a canonical text form to its "out" fd (or "stdout", as capbox-oci's default argdata names it), for configuration tests. */
#include <argdata.h>
#include <cloudabi/names.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One value per line, nested values indented by two spaces:
 *   null | bool true | int -5 | float 0x3ff8000000000000 | timestamp NS
 *   str "text" | binary "bytes"   (\" \\ and \xNN for bytes outside 0x20..0x7e)
 *   fd N TYPE base=RIGHT,RIGHT inheriting=RIGHT,RIGHT
 *   map {            seq [
 *     KEY => VALUE     VALUE
 *   }                ]
 */

static int out;

static void print_bytes(const char *kind, const void *ptr, size_t len)
{
	const unsigned char *p = ptr;
	dprintf(out, "%s \"", kind);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			dprintf(out, "\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			dprintf(out, "%c", p[i]);
		else
			dprintf(out, "\\x%02x", p[i]);
	}
	dprintf(out, "\"");
}

static void print_rights(const char *label, cloudabi_rights_t rights)
{
	const char *sep = "";
	dprintf(out, " %s=", label);
#define RIGHT_CASE(sym, name)                                                  \
	if (rights & CLOUDABI_##sym) {                                         \
		dprintf(out, "%s%s", sep, name);                               \
		sep = ",";                                                     \
	}
	CLOUDABI_RIGHT_NAMES(RIGHT_CASE)
#undef RIGHT_CASE
}

static const char *filetype_name(cloudabi_filetype_t type)
{
#define TYPE_CASE(sym, name)                                                   \
	if (type == CLOUDABI_##sym)                                            \
		return name;
	CLOUDABI_FILETYPE_NAMES(TYPE_CASE)
#undef TYPE_CASE
	return "?";
}

static void print_fd(uint32_t fd)
{
	cloudabi_fdstat_t st;
	cloudabi_errno_t e = cloudabi_sys_fd_stat_get(fd, &st);
	if (e != 0) {
		dprintf(out, "fd %u (fd_stat_get: error %u)", (unsigned)fd, e);
		return;
	}
	dprintf(out, "fd %u %s", (unsigned)fd, filetype_name(st.fs_filetype));
	print_rights("base", st.fs_rights_base);
	print_rights("inheriting", st.fs_rights_inheriting);
}

static void indent(int depth)
{
	for (int i = 0; i < depth; i++)
		dprintf(out, "  ");
}

static void print_value(argdata_t ad, int depth);

static void print_list(argdata_t ad, bool is_map, int depth)
{
	struct argdata_iter it;
	argdata_t key, value;
	int r;
	dprintf(out, is_map ? "map {" : "seq [");
	if (is_map)
		argdata_map_iter(ad, &it);
	else
		argdata_seq_iter(ad, &it);
	bool any = false;
	while ((r = is_map ? argdata_map_next(&it, &key, &value)
			   : argdata_seq_next(&it, &value)) == ARGDATA_OK) {
		dprintf(out, "\n");
		indent(depth + 1);
		if (is_map) {
			print_value(key, depth + 1);
			dprintf(out, " => ");
		}
		print_value(value, depth + 1);
		any = true;
	}
	if (r != ARGDATA_END)
		dprintf(out, " (malformed)");
	if (any) {
		dprintf(out, "\n");
		indent(depth);
	}
	dprintf(out, is_map ? "}" : "]");
}

static void print_value(argdata_t ad, int depth)
{
	enum argdata_type type;
	if (argdata_is_null(ad)) {
		dprintf(out, "null");
		return;
	}
	if (argdata_get_type(ad, &type) != ARGDATA_OK) {
		dprintf(out, "(bad tag)");
		return;
	}
	const void *ptr;
	const char *s;
	size_t len;
	bool b;
	uint32_t fd;
	uint64_t u;
	int64_t i;
	switch (type) {
	case ARGDATA_TYPE_BINARY:
		argdata_get_binary(ad, &ptr, &len);
		print_bytes("binary", ptr, len);
		break;
	case ARGDATA_TYPE_BOOL:
		argdata_get_bool(ad, &b);
		dprintf(out, "bool %s", b ? "true" : "false");
		break;
	case ARGDATA_TYPE_FD:
		argdata_get_fd(ad, &fd);
		print_fd(fd);
		break;
	case ARGDATA_TYPE_FLOAT:
		argdata_get_float_bits(ad, &u);
		dprintf(out, "float 0x%016llx", (unsigned long long)u);
		break;
	case ARGDATA_TYPE_INT:
		if (argdata_get_int64(ad, &i) == ARGDATA_OK)
			dprintf(out, "int %lld", (long long)i);
		else if (argdata_get_uint64(ad, &u) == ARGDATA_OK)
			dprintf(out, "int %llu", (unsigned long long)u);
		else
			dprintf(out, "int (malformed)");
		break;
	case ARGDATA_TYPE_MAP:
	case ARGDATA_TYPE_SEQ:
		print_list(ad, type == ARGDATA_TYPE_MAP, depth);
		break;
	case ARGDATA_TYPE_STR:
		if (argdata_get_str(ad, &s, &len) == ARGDATA_OK)
			print_bytes("str", s, len);
		else
			dprintf(out, "str (malformed)");
		break;
	case ARGDATA_TYPE_TIMESTAMP:
		argdata_get_timestamp(ad, &i);
		dprintf(out, "timestamp %lld", (long long)i);
		break;
	default:
		dprintf(out, "(unknown type %d)", (int)type);
		break;
	}
}

void program_main(const argdata_t *ad)
{
	argdata_t value;
	uint32_t fd;
	if ((argdata_map_find(*ad, "out", 3, &value) != ARGDATA_OK &&
	     argdata_map_find(*ad, "stdout", 6, &value) != ARGDATA_OK) ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(2);
	out = (int)fd;
	print_value(*ad, 0);
	dprintf(out, "\n");
	exit(0);
}

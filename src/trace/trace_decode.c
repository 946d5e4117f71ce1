/* trace_decode.c: decodes a shim's record (by the call's signature) or a served hypercall (by its parameter struct) into a trace_event. */
#include "trace/trace_decode.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cloudabi/syscalls.h"
#include "trace/trace_names.h"

void trace_escape(const unsigned char *bytes, size_t len, char *out)
{
	size_t shown = len < CAPBOX_TRACE_DATA_MAX ? len
						   : CAPBOX_TRACE_DATA_MAX;
	char *p = out;
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = bytes[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02x", c);
	}
	if (len > shown)
		p += sprintf(p, "...");
	*p = '\0';
}
_Static_assert(TRACE_TEXT_MAX >= 4 * CAPBOX_TRACE_DATA_MAX + 4,
	       "escaped data fits a field");

static struct trace_field *add(struct trace_event *ev, const char *name,
			       enum trace_field_type type, uint64_t num)
{
	if (ev->nargs >= TRACE_FIELDS_MAX)
		return NULL;
	struct trace_field *f = &ev->args[ev->nargs++];
	f->name = name;
	f->type = type;
	f->num = num;
	f->text[0] = '\0';
	return f;
}

/* A field of a kind: a name of the spec, or a number. */
static void add_value(struct trace_event *ev, const char *name, unsigned kind,
		      uint64_t value)
{
	struct trace_field *f = add(ev, name, TF_NAME, value);
	if (f == NULL)
		return;
	if (kind == ARG_FD && !ev->has_fd) {
		ev->has_fd = true;
		ev->fd = (uint32_t)value;
	}
	if (trace_name_value(kind, value, f->text, sizeof(f->text)))
		return;
	f->type = kind == ARG_PTR || kind == ARG_FDSTAT_IN ? TF_HEX
		  : kind == ARG_DELTA                      ? TF_INT
							   : TF_UINT;
	if (kind == ARG_FD)
		f->num = (uint32_t)value;
}

static void add_bytes(struct trace_event *ev, const char *name,
		      const unsigned char *bytes, size_t len)
{
	struct trace_field *f = add(ev, name, TF_BYTES, len);
	if (f == NULL)
		return;
	trace_escape(bytes, len, f->text);
	if (ev->path == NULL && strncmp(name, "path", 4) == 0)
		ev->path = f->text;
}

/* The names of each call's arguments, from the spec's argument lists:
 * "(fd, iovs, iovs_len, nread)". */
#define ARG_NAMES(name, ret, params, args) [CLOUDABI_SYS_##name] = #args,
static const char *const arg_lists[CLOUDABI_SYSCALL_COUNT] = {
	CLOUDABI_SYSCALLS(ARG_NAMES)};
#undef ARG_NAMES

/* Interned argument names: field names point here (static). */
static char arg_names[CLOUDABI_SYSCALL_COUNT][CAPBOX_TRACE_ARGS][2][24];

static const char *arg_name(unsigned call, unsigned i, bool flags)
{
	char *slot = arg_names[call][i][flags];
	if (slot[0] != '\0')
		return slot;
	const char *p = arg_lists[call] + 1;
	for (unsigned k = 0; k < i && p != NULL; k++) {
		p = strchr(p, ',');
		p = p != NULL ? p + 2 : NULL;
	}
	size_t len = p != NULL ? strcspn(p, ",)") : 0;
	snprintf(slot, sizeof(arg_names[0][0][0]), "%.*s%s", (int)len,
		 p != NULL ? p : "", flags ? "_flags" : "");
	return slot;
}

void trace_decode_record(const struct capbox_hc_trace_record *rec,
			 const unsigned char *data, struct trace_event *ev)
{
	unsigned call = rec->syscall;
	bool data_shown = false;
	for (unsigned i = 0; i < CAPBOX_TRACE_ARGS; i++) {
		enum syscall_arg kind = syscall_arg_kind(call, i);
		uint64_t w = rec->args[i];
		const char *name = arg_name(call, i, false);
		switch (kind) {
		case ARG_END:
			i = CAPBOX_TRACE_ARGS;
			break;
		case ARG_LOOKUP:
			add_value(ev, name, ARG_FD, (uint32_t)w);
			add_value(ev, arg_name(call, i, true), TK_LOOKUPFLAGS,
				  w >> 32);
			break;
		case ARG_PATH:
		case ARG_BUF_IN:
		case ARG_BUF_OUT:
		case ARG_IOVS_IN:
		case ARG_IOVS_OUT:
			/* The shim captured the first such argument's bytes. */
			if (!data_shown && rec->data_len > 0)
				add_bytes(ev, name, data, rec->data_len);
			else
				add_value(ev, name, ARG_PTR, w);
			data_shown = true;
			break;
		case ARG_OUT_SIZE:
		case ARG_OUT_FD:
		case ARG_OUT_U64:
		case ARG_OUT_PTR:
		case ARG_OUT_U32:
			ev->has_result = rec->error == 0;
			ev->result = (struct trace_field){
				.name = "result",
				.type = kind == ARG_OUT_PTR ? TF_HEX : TF_UINT,
				.num = kind == ARG_OUT_FD || kind == ARG_OUT_U32
					       ? (uint32_t)rec->result
					       : rec->result,
			};
			break;
		case ARG_LEN:
		default:
			add_value(ev, name, kind, w);
			break;
		}
	}
	ev->error = rec->error;
	ev->duration_ns = rec->duration_ns;
}

/* The broker's parameter structs, field by field. */
struct hc_field {
	const char *name;
	unsigned char kind; /* syscall_arg or trace_kind; ARG_PATH: a path
			       * in the tail, this field its length */
	unsigned char size;
	unsigned short offset;
};

enum hc_result {
	RESULT_NONE,
	RESULT_NEW_FD,  /* capbox_hc_new_fd */
	RESULT_FD_PAIR, /* capbox_hc_new_fd_pair: the first */
	RESULT_U64,     /* a uint64_t count (io_done, sock_send_reply) */
	RESULT_U32,     /* a uint32_t count (sock_recv_reply) */
	RESULT_BYTES,   /* the reply is the data (fd_read) */
	RESULT_TAIL,    /* the request's tail is the data (fd_write) */
};

struct hc_layout {
	unsigned char result;
	struct hc_field fields[TRACE_FIELDS_MAX - 1];
};

#define F(type, member, name, kind)                                            \
	{                                                                      \
		name, kind, sizeof(((type *)0)->member),                       \
			offsetof(type, member)                                 \
	}
#define FD(type, member, name) F(type, member, name, ARG_FD)
#define U(type, member, name) F(type, member, name, ARG_U64)
#define ROW(call, result, ...) [CLOUDABI_SYS_##call] = {result, {__VA_ARGS__}},

typedef struct capbox_hc_fd hc_fd;
typedef struct capbox_hc_fd_io hc_io;
typedef struct capbox_hc_file_two_paths hc_two;
typedef struct capbox_hc_file_open hc_open;

static const struct hc_layout layouts[CLOUDABI_SYSCALL_COUNT] =
	{ROW(fd_close, RESULT_NONE, FD(hc_fd, fd, "fd")) ROW(
		fd_read, RESULT_BYTES, FD(hc_io, fd, "fd"),
		U(hc_io, length, "len")) ROW(fd_pread, RESULT_BYTES,
					     FD(hc_io, fd, "fd"),
					     U(hc_io, length, "len"),
					     U(hc_io, offset, "offset"))
		 ROW(
			 fd_write, RESULT_TAIL, FD(hc_io, fd, "fd"),
			 U(hc_io, length,
			   "len")) ROW(fd_pwrite, RESULT_TAIL,
				       FD(hc_io, fd, "fd"), U(hc_io, length, "len"), U(hc_io, offset, "offset")) ROW(fd_create1, RESULT_NEW_FD, F(struct capbox_hc_fd_create, type, "type", ARG_FILETYPE)) ROW(fd_create2, RESULT_FD_PAIR, F(struct capbox_hc_fd_create, type, "type", ARG_FILETYPE)) ROW(fd_dup,
																																					  RESULT_NEW_FD,
																																					  FD(
																																						  hc_fd,
																																						  fd,
																																						  "from")) ROW(fd_sync,
																																							       RESULT_NONE,
																																							       FD(
																																								       hc_fd,
																																								       fd,
																																								       "fd")) ROW(fd_datasync,
																																										  RESULT_NONE,
																																										  FD(hc_fd,
																																										     fd, "fd")) ROW(fd_replace, RESULT_NONE, FD(struct capbox_hc_fd_replace, from, "from"), FD(struct capbox_hc_fd_replace, to, "to")) ROW(fd_stat_get,
																																																											   RESULT_NONE,
																																																											   FD(hc_fd,
																																																											      fd, "fd")) ROW(fd_stat_put, RESULT_NONE, FD(struct capbox_hc_fd_stat_put, fd, "fd"), F(struct capbox_hc_fd_stat_put, flags, "flags", ARG_FDSFLAGS), F(struct capbox_hc_fd_stat_put, fs_flags, "fs_flags", TK_FDFLAGS), F(struct capbox_hc_fd_stat_put, rights_base, "rights_base", TK_RIGHTS),
																																																													     F(
																																																														     struct
																																																														     capbox_hc_fd_stat_put,
																																																														     rights_inheriting,
																																																														     "rights_inheriting", TK_RIGHTS)) ROW(file_advise,
																																																																			  RESULT_NONE,
																																																																			  FD(struct
																																																																			     capbox_hc_file_advise,
																																																																			     fd,
																																																																			     "fd"),
																																																																			  U(struct capbox_hc_file_advise, offset, "offset"), U(struct capbox_hc_file_advise, len, "len"),
																																																																			  F(struct
																																																																			    capbox_hc_file_advise,
																																																																			    advice,
																																																																			    "advice",
																																																																			    ARG_ADVICE)) ROW(file_allocate,
																																																																					     RESULT_NONE, FD(struct capbox_hc_file_allocate, fd, "fd"), U(struct capbox_hc_file_allocate, offset, "offset"),
																																																																					     U(
																																																																						     struct capbox_hc_file_allocate, len, "len")) ROW(file_create, RESULT_NONE, FD(struct capbox_hc_file_create, fd, "fd"), F(struct capbox_hc_file_create, path_len, "path", ARG_PATH),
																																																																												      F(
																																																																													      struct capbox_hc_file_create, type, "type", ARG_FILETYPE)) ROW(file_link, RESULT_NONE,
																																																																																					     FD(hc_two,
																																																																																						fd1,
																																																																																						"fd1"),
																																																																																					     F(
																																																																																						     hc_two,
																																																																																						     lookup_flags,
																																																																																						     "fd1_flags",
																																																																																						     TK_LOOKUPFLAGS),
																																																																																					     F(hc_two,
																																																																																					       path1_len,
																																																																																					       "path1",
																																																																																					       ARG_PATH),
																																																																																					     FD(hc_two,
																																																																																						fd2,
																																																																																						"fd2"),
																																																																																					     F(
																																																																																						     hc_two,
																																																																																						     path2_len, "path2", ARG_PATH)) ROW(file_open, RESULT_NEW_FD, FD(hc_open, dirfd, "dirfd"), F(hc_open, lookup_flags, "dirfd_flags", TK_LOOKUPFLAGS),
																																																																																											F(hc_open,
																																																																																											  path_len,
																																																																																											  "path",
																																																																																											  ARG_PATH),
																																																																																											F(hc_open,
																																																																																											  oflags,
																																																																																											  "oflags",
																																																																																											  ARG_OFLAGS),
																																																																																											F(
																																																																																												hc_open,
																																																																																												fds
																																																																																													.fs_rights_base,
																																																																																												"rights_base",
																																																																																												TK_RIGHTS),
																																																																																											F(
																																																																																												hc_open, fds.fs_rights_inheriting, "rights_inheriting", TK_RIGHTS),
																																																																																											F(hc_open,
																																																																																											  fds.fs_flags,
																																																																																											  "fs_flags",
																																																																																											  TK_FDFLAGS))
			 ROW(file_readdir, RESULT_NONE,
			     FD(struct capbox_hc_file_readdir, fd, "fd"),
			     U(struct capbox_hc_file_readdir, buf_len,
			       "buf_len"),
			     U(struct capbox_hc_file_readdir, cookie,
			       "cookie")) ROW(file_readlink, RESULT_BYTES,
					      FD(
						      struct
						      capbox_hc_file_readlink,
						      fd, "fd"),
					      F(struct capbox_hc_file_readlink,
						path_len, "path",
						ARG_PATH),
					      U(struct capbox_hc_file_readlink, buf_len, "buf_len"))
				 ROW(file_rename, RESULT_NONE,
				     FD(hc_two, fd1, "fd1"),
				     F(hc_two, path1_len, "path1", ARG_PATH),
				     FD(hc_two, fd2, "fd2"),
				     F(
					     hc_two,
					     path2_len, "path2",
					     ARG_PATH)) ROW(file_stat_fget,
							    RESULT_NONE,
							    FD(hc_fd, fd,
							       "fd")) ROW(file_stat_fput, RESULT_NONE, FD(struct capbox_hc_file_stat_fput, fd, "fd"),
									  F(struct capbox_hc_file_stat_fput, flags, "flags", ARG_FSFLAGS))
					 ROW(file_stat_get, RESULT_NONE,
					     FD(struct capbox_hc_file_stat_get,
						fd, "fd"),
					     F(struct capbox_hc_file_stat_get,
					       lookup_flags,
					       "fd_flags",
					       TK_LOOKUPFLAGS),
					     F(struct capbox_hc_file_stat_get,
					       path_len, "path",
					       ARG_PATH)) ROW(file_stat_put,
							      RESULT_NONE,
							      FD(
								      struct
								      capbox_hc_file_stat_put,
								      fd, "fd"),
							      F(struct
								capbox_hc_file_stat_put,
								lookup_flags,
								"fd_flags",
								TK_LOOKUPFLAGS),
							      F(struct
								capbox_hc_file_stat_put,
								path_len,
								"path",
								ARG_PATH),
							      F(struct capbox_hc_file_stat_put, flags, "flags", ARG_FSFLAGS))
						 ROW(file_symlink, RESULT_NONE,
						     F(struct
						       capbox_hc_file_symlink,
						       path1_len, "path1",
						       ARG_PATH),
						     FD(struct
							capbox_hc_file_symlink,
							fd, "fd"),
						     F(struct
						       capbox_hc_file_symlink,
						       path2_len, "path2",
						       ARG_PATH)) ROW(file_unlink,
								      RESULT_NONE,
								      FD(
									      struct
									      capbox_hc_file_unlink,
									      fd,
									      "fd"),
								      F(struct
									capbox_hc_file_unlink,
									path_len,
									"path",
									ARG_PATH),
								      F(struct
									capbox_hc_file_unlink,
									flags,
									"flags", ARG_ULFLAGS)) ROW(proc_fork,
												   RESULT_NONE)
							 ROW(proc_raise,
							     RESULT_NONE,
							     F(struct
							       capbox_hc_proc_raise,
							       signal,
							       "sig",
							       ARG_SIGNAL)) ROW(proc_exec,
										RESULT_NONE,
										FD(struct
										   capbox_hc_proc_exec,
										   fd,
										   "fd"),
										U(struct
										  capbox_hc_proc_exec,
										  nfds,
										  "fds_len"),
										U(struct
										  capbox_hc_proc_exec,
										  argdata_len,
										  "data_len"))
								 ROW(sock_send,
								     RESULT_U64,
								     FD(struct
									capbox_hc_sock_send,
									sock,
									"sock"),
								     U(struct
								       capbox_hc_sock_send,
								       data_len,
								       "data_len"),
								     U(struct
								       capbox_hc_sock_send,
								       nfds,
								       "fds_len"))
									 ROW(sock_recv,
									     RESULT_U32,
									     FD(struct
										capbox_hc_sock_recv,
										sock,
										"sock"),
									     U(struct
									       capbox_hc_sock_recv,
									       max_data,
									       "data_len"),
									     U(struct
									       capbox_hc_sock_recv,
									       max_fds,
									       "fds_len"),
									     F(struct
									       capbox_hc_sock_recv,
									       flags,
									       "flags",
									       ARG_U64))};
#undef ROW
#undef U
#undef FD
#undef F

static uint64_t read_field(const void *params, const struct hc_field *f)
{
	uint64_t v = 0;
	memcpy(&v, (const unsigned char *)params + f->offset, f->size);
	return v;
}

static uint64_t read_u64(const unsigned char *bytes, size_t len, size_t size)
{
	uint64_t v = 0;
	if (len >= size)
		memcpy(&v, bytes, size);
	return v;
}

void trace_decode_served(const struct trace_hypercall *hc,
			 struct trace_event *ev)
{
	const struct hc_layout *layout = &layouts[hc->call];
	size_t path_at = 0; /* where the next path starts in the tail */
	for (size_t i = 0; i < TRACE_FIELDS_MAX - 1; i++) {
		const struct hc_field *f = &layout->fields[i];
		if (f->name == NULL)
			break;
		uint64_t v = read_field(hc->params, f);
		if (f->kind != ARG_PATH) {
			add_value(ev, f->name, f->kind, v);
			continue;
		}
		/* The handler checked the lengths against the tail; a
		 * refused request may not have: clamp. */
		size_t left = hc->tail_len - path_at;
		size_t len = v < left ? (size_t)v : left;
		add_bytes(ev, f->name, hc->tail + path_at, len);
		path_at += len;
	}
	ev->error = hc->error;
	ev->duration_ns = trace_clock() - hc->started_ns;
	if (hc->error != 0)
		return;
	const unsigned char *r = hc->result;
	size_t rlen = hc->result_len;
	uint64_t value = 0;
	switch (layout->result) {
	case RESULT_NEW_FD:
	case RESULT_FD_PAIR:
		value = read_u64(r, rlen, sizeof(uint32_t));
		break;
	case RESULT_U64:
		value = read_u64(r, rlen, sizeof(uint64_t));
		break;
	case RESULT_U32:
		value = read_u64(r, rlen, sizeof(uint32_t));
		break;
	case RESULT_BYTES:
	case RESULT_TAIL:
		value = rlen;
		if (layout->result == RESULT_TAIL) {
			value = read_u64(r, rlen, sizeof(uint64_t));
			r = hc->tail;
			rlen = hc->tail_len < value ? hc->tail_len : value;
		}
		ev->has_data = true;
		ev->data = (struct trace_field){.name = "data",
						.type = TF_BYTES};
		trace_escape(r, rlen, ev->data.text);
		break;
	default:
		return;
	}
	ev->has_result = true;
	ev->result = (struct trace_field){
		.name = "result", .type = TF_UINT, .num = value};
}

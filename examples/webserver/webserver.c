/* webserver.c: example: a static-file HTTP server that holds only a listening socket and a read-only directory. */
#include <argdata.h>
#include <cloudabi/names.h>
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * argdata: {listen: fd (a listening stream socket), root: fd (a directory),
 * log: fd (optional, one line per request), requests: int (optional: exit
 * after this many)}.
 *
 * It does not check paths itself: "GET /../../etc/passwd" becomes
 * file_open(root, "../../etc/passwd"), which the sandbox refuses
 * (ENOTCAPABLE -> 403), because root is all the file system it holds.
 * Accepting a connection is sock_recv on the listening socket: it returns
 * one connected descriptor and no data.
 */

static int log_fd = -1;

static const char *errno_name(cloudabi_errno_t e)
{
#define ERRNO_CASE(sym, name)                                                  \
	if (e == CLOUDABI_##sym)                                               \
		return name;
	CLOUDABI_ERRNO_NAMES(ERRNO_CASE)
#undef ERRNO_CASE
	return "?";
}

static cloudabi_errno_t write_all(cloudabi_fd_t fd, const char *p, size_t len)
{
	while (len > 0) {
		cloudabi_ciovec_t iov = {.buf = p, .buf_len = len};
		size_t n;
		cloudabi_errno_t e = cloudabi_sys_fd_write(fd, &iov, 1, &n);
		if (e != 0)
			return e;
		p += n;
		len -= n;
	}
	return 0;
}

static void respond_status(cloudabi_fd_t conn, int status, const char *text)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
			 status, text, strlen(text) + 1, text);
	write_all(conn, head, (size_t)n);
}

static const char *content_type(const char *path, size_t len)
{
	static const struct {
		const char *ext, *type;
	} types[] = {{".html", "text/html"},
		     {".txt", "text/plain"},
		     {".css", "text/css"},
		     {".js", "text/javascript"}};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t el = strlen(types[i].ext);
		if (len >= el && memcmp(path + len - el, types[i].ext, el) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/* Serves the file at path (relative to root); returns the HTTP status. */
static int serve_file(cloudabi_fd_t conn, cloudabi_fd_t root, const char *path,
		      size_t len)
{
	cloudabi_lookup_t at = {.fd = root, .flags = 0};
	cloudabi_fdstat_t want = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ |
				  CLOUDABI_RIGHT_FILE_STAT_FGET};
	cloudabi_fd_t file;
	cloudabi_errno_t e = cloudabi_sys_file_open(at, path, len, 0, &want,
						    &file);
	if (e == CLOUDABI_ENOENT || e == CLOUDABI_ENOTDIR) {
		respond_status(conn, 404, "Not Found");
		return 404;
	}
	if (e == CLOUDABI_ENOTCAPABLE || e == CLOUDABI_EPERM ||
	    e == CLOUDABI_EACCES || e == CLOUDABI_ELOOP) {
		respond_status(conn, 403, "Forbidden");
		return 403;
	}
	if (e != 0) {
		respond_status(conn, 500, errno_name(e));
		return 500;
	}
	cloudabi_filestat_t st;
	e = cloudabi_sys_file_stat_fget(file, &st);
	if (e != 0 || st.st_filetype != CLOUDABI_FILETYPE_REGULAR_FILE) {
		cloudabi_sys_fd_close(file);
		respond_status(conn, 404, "Not Found");
		return 404;
	}
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.0 200 OK\r\nContent-Type: %s\r\n"
			 "Content-Length: %llu\r\nConnection: close\r\n\r\n",
			 content_type(path, len),
			 (unsigned long long)st.st_size);
	e = write_all(conn, head, (size_t)n);
	char buf[16384];
	while (e == 0) {
		cloudabi_iovec_t iov = {.buf = buf, .buf_len = sizeof(buf)};
		size_t got;
		e = cloudabi_sys_fd_read(file, &iov, 1, &got);
		if (e != 0 || got == 0)
			break;
		e = write_all(conn, buf, got);
	}
	cloudabi_sys_fd_close(file);
	return 200;
}

/* Reads the request head; returns its length or 0. */
static size_t read_request(cloudabi_fd_t conn, char *buf, size_t cap)
{
	size_t used = 0;
	while (used < cap - 1) {
		cloudabi_iovec_t iov = {.buf = buf + used,
					.buf_len = cap - 1 - used};
		size_t got;
		if (cloudabi_sys_fd_read(conn, &iov, 1, &got) != 0 || got == 0)
			break;
		used += got;
		buf[used] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL || strstr(buf, "\n\n"))
			return used;
	}
	return 0;
}

static void handle(cloudabi_fd_t conn, cloudabi_fd_t root)
{
	char req[8192];
	size_t len = read_request(conn, req, sizeof(req));
	int status;
	const char *path = "";
	size_t plen = 0;
	if (len == 0 || strncmp(req, "GET /", 5) != 0) {
		respond_status(conn, 400, "Bad Request");
		status = 400;
	} else {
		path = req + 5;
		while (path[plen] != '\0' &&
		       strchr(" ?\r\n", path[plen]) == NULL)
			plen++;
		if (plen == 0) {
			path = "index.html";
			plen = strlen(path);
		}
		status = serve_file(conn, root, path, plen);
	}
	if (log_fd >= 0)
		dprintf(log_fd, "webserver: GET /%.*s %d\n", (int)plen, path,
			status);
}

static bool get_fd(const argdata_t *ad, const char *key, uint32_t *fd)
{
	argdata_t value;
	return argdata_map_find(*ad, key, strlen(key), &value) == ARGDATA_OK &&
	       argdata_get_fd(value, fd) == ARGDATA_OK;
}

void program_main(const argdata_t *ad)
{
	uint32_t listen, root, fd;
	int64_t requests = -1;
	argdata_t value;
	if (get_fd(ad, "log", &fd))
		log_fd = (int)fd;
	if (!get_fd(ad, "listen", &listen) || !get_fd(ad, "root", &root)) {
		if (log_fd >= 0)
			dprintf(log_fd, "webserver: expected \"listen\" (a "
					"socket) and \"root\" (a directory)\n");
		exit(2);
	}
	if (argdata_map_find(*ad, "requests", 8, &value) == ARGDATA_OK)
		argdata_get_int64(value, &requests);

	for (int64_t served = 0; requests < 0 || served < requests; served++) {
		cloudabi_fd_t conn;
		cloudabi_recv_in_t in = {.ri_fds = &conn, .ri_fds_len = 1};
		cloudabi_recv_out_t out;
		cloudabi_errno_t e = cloudabi_sys_sock_recv(listen, &in, &out);
		if (e != 0 || out.ro_fdslen != 1) {
			if (log_fd >= 0)
				dprintf(log_fd,
					"webserver: accept (sock_recv): %s\n",
					e != 0 ? errno_name(e)
					       : "no descriptor");
			exit(1);
		}
		handle(conn, root);
		cloudabi_sys_fd_close(conn);
	}
	exit(0);
}

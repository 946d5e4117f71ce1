/* config_option.c: the command line's grant options (--fd, --dir, --dir-rw, --file, --file-rw, --socket) described, nothing opened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "broker/diag.h"

int config_host_fd(const char *value)
{
	if (strcmp(value, "stdin") == 0)
		return 0;
	if (strcmp(value, "stdout") == 0)
		return 1;
	if (strcmp(value, "stderr") == 0)
		return 2;
	char *end;
	errno = 0;
	long n = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || end == value || n < 0 || n > 1 << 20)
		return -1;
	return (int)n;
}

/* --socket's VALUE: [stream:|dgram:|seqpacket:](bind|connect):ADDRESS. */
static int parse_socket(const char *value, struct grant_desc *desc)
{
	const char *colon = strchr(value, ':');
	desc->type = GRANT_SOCKET_STREAM;
	if (colon != NULL && config_socket_type(value, (size_t)(colon - value),
						&desc->type) == 0)
		value = colon + 1;
	if (strncmp(value, "bind:", 5) == 0)
		desc->mode = GRANT_SOCKET_BIND;
	else if (strncmp(value, "connect:", 8) == 0)
		desc->mode = GRANT_SOCKET_CONNECT;
	else
		return -1;
	desc->path = strchr(value, ':') + 1;
	return desc->path[0] != '\0' ? 0 : -1;
}

/* The options that grant a path. */
static const struct {
	const char *option;
	bool dir;
	bool read_only;
} path_options[] = {
	{"dir", true, true},
	{"dir-rw", true, false},
	{"file", false, true},
	{"file-rw", false, false},
};

int config_grant_option(struct config_grant_option *opt, const char *option,
			const char *name, const char *value)
{
	struct grant_desc *desc = &opt->desc;
	*desc = (struct grant_desc){.origin = opt->origin};
	snprintf(opt->flag, sizeof(opt->flag), "--%s", option);
	snprintf(opt->origin, sizeof(opt->origin), "%s %.40s", opt->flag, name);
	if (strcmp(option, "fd") == 0) {
		desc->kind = GRANT_KIND_FD;
		desc->path = value;
		desc->host_fd = config_host_fd(value);
		if (desc->host_fd >= 0)
			return 0;
		diag_warn(
			"--fd %s=%s: expected stdin, stdout, stderr or a descriptor number",
			name, value);
		return -1;
	}
	if (strcmp(option, "socket") == 0) {
		desc->kind = GRANT_KIND_SOCKET;
		desc->narrow.option = opt->origin;
		if (parse_socket(value, desc) == 0)
			return 0;
		diag_warn(
			"--socket %s=%s: expected bind:ADDRESS or connect:ADDRESS, optionally after stream:, dgram: or seqpacket:",
			name, value);
		return -1;
	}
	for (size_t i = 0; i < sizeof(path_options) / sizeof(path_options[0]);
	     i++) {
		if (strcmp(option, path_options[i].option) != 0)
			continue;
		desc->kind = GRANT_KIND_PATH;
		desc->path = value;
		desc->narrow = (struct grant_rights){
			.read_only = path_options[i].read_only,
			.required_type =
				path_options[i].dir
					? CLOUDABI_FILETYPE_DIRECTORY
					: CLOUDABI_FILETYPE_REGULAR_FILE,
			.option = opt->flag,
		};
		return 0;
	}
	diag_warn("internal error: --%s is not a grant option", option);
	return -1;
}

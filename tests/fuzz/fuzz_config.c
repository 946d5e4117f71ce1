/* fuzz_config.c: libFuzzer harness: the YAML launch-configuration parser on arbitrary text, its tree through the argdata encoder and validator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "broker/grant.h"
#include "protocol/hypercall.h"

/*
 * Input: one flags byte, then the YAML text.  Flags bit 0: untagged
 * scalars are guessed (--untagged guess); bit 1: the command line adds a
 * key (config_add_entries).  The parser opens nothing: each grant it
 * describes must be whole and narrow only, and its placeholder gets the
 * number 0, 1, 2, ... as capbox run would give it after opening it.
 */

#define MUST(cond)                                                             \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

/* Narrowing only ever removes rights, for every type it may apply to. */
static void check_narrowing(const struct grant_rights *narrow)
{
	static const cloudabi_filetype_t types[] = {
		CLOUDABI_FILETYPE_REGULAR_FILE,
		CLOUDABI_FILETYPE_DIRECTORY,
		CLOUDABI_FILETYPE_SOCKET_STREAM,
		CLOUDABI_FILETYPE_SOCKET_DGRAM,
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct rights full = rights_for_type(types[i]), got;
		cloudabi_rights_t missing;
		if (grant_rights_apply(types[i], narrow, &got, &missing) != 0) {
			MUST(missing != 0 && (missing & (missing - 1)) == 0);
			continue;
		}
		MUST((got.base & ~full.base) == 0);
		MUST((got.inheriting & ~full.inheriting) == 0);
		MUST((got.base & narrow->removed) == 0);
		if (narrow->read_only)
			MUST((got.base & CAPBOX_RIGHTS_WRITING) == 0);
	}
}

/* A description the broker can open: a known kind, every string it needs,
 * and a narrowing that only removes rights. */
static void check_grant(const struct grant_desc *desc)
{
	MUST(desc->where != NULL && desc->origin == NULL);
	MUST(desc->path != NULL);
	switch (desc->kind) {
	case GRANT_KIND_FD:
		MUST(desc->host_fd >= 0);
		break;
	case GRANT_KIND_EXECUTABLE:
		break;
	case GRANT_KIND_PATH:
	case GRANT_KIND_SOCKET:
		MUST(desc->path[0] != '\0');
		check_narrowing(&desc->narrow);
		break;
	default:
		MUST(0);
	}
}

/* Opens nothing: grant i becomes descriptor i, as many as a guest's
 * table holds; 0, or -1 for "too many". */
static int fake_open(struct config *cfg)
{
	if (cfg->ngrants > CAPBOX_GUEST_FD_LIMIT)
		return -1;
	cloudabi_fd_t fds[CAPBOX_GUEST_FD_LIMIT];
	for (size_t i = 0; i < cfg->ngrants; i++) {
		check_grant(&cfg->grants[i]);
		fds[i] = (cloudabi_fd_t)i;
	}
	config_resolve_grants(cfg, fds);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_options opts = {.program = "prog"};
	struct config cfg = {0};
	static const char key[] = "extra";
	struct argdata_node items[2] = {
		argdata_node_str(key, sizeof(key) - 1),
		argdata_node_int(-1),
	};
	size_t len = 0, used = 0;
	uint8_t *buf;
	char *text;

	if (size < 1)
		return 0;
	opts.untagged = (data[0] & 1) ? CONFIG_UNTAGGED_GUESS
				      : CONFIG_UNTAGGED_STRING;
	/* An exact copy, so that reading past the text is an ASan report. */
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	if (config_parse(&cfg, "fuzz.yaml", text, size - 1, &opts) != 0 ||
	    fake_open(&cfg) != 0 ||
	    ((data[0] & 2) &&
	     config_add_entries(&cfg, "fuzz.yaml", items, 2) != 0)) {
		config_free(&cfg);
		free(text);
		return 0;
	}
	/* What the parser accepts, the encoder accepts, within the bound
	 * the parser enforces, and the guest's validator agrees. */
	MUST(argdata_encoded_size(&cfg.root, &len) == ARGDATA_OK);
	MUST(len <= CAPBOX_ARGDATA_MAX + 64);
	buf = malloc(len ? len : 1);
	MUST(buf != NULL);
	MUST(argdata_encode(&cfg.root, buf, len, &used) == ARGDATA_OK &&
	     used == len);
	MUST(argdata_validate(argdata_from_buffer(buf, len)) == ARGDATA_OK);
	free(buf);
	config_free(&cfg);
	free(text);
	return 0;
}

/* main.c: capbox-oci, an OCI runtime with runc's command line: CloudABI
 * containers run under capbox, every other container is runc's. */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "argdata_yaml.h"
#include "cmdline.h"
#include "detect.h"
#include "log.h"
#include "rewrite.h"
#include "runc.h"
#include "spec.h"
#include "state.h"

/* What capbox-oci reads of runc's JSON output (features, state). */
#define RUNC_JSON_MAX_BYTES (1u << 20)

static void usage(FILE *f)
{
	fputs("Usage: capbox-oci [--root DIR] [--log FILE] [--log-format json|text]\n"
	      "                  [--systemd-cgroup] COMMAND [OPTION]... [ID]\n"
	      "An OCI runtime with runc's command line (create, start, state, kill,\n"
	      "delete, exec, features, ...).  A container whose config.json has the\n"
	      "annotation run.oci.handler=capbox, or whose process.args[0] is a CloudABI\n"
	      "executable, runs under capbox; every other container is runc's.\n"
	      "  --version    print the version\n"
	      "See docs/CONTAINERS.md.\n",
	      f);
}

/* Hands the whole command line to runc, unchanged. */
__attribute__((noreturn)) static void pass_to_runc(const struct oci_cmdline *c)
{
	c->argv[0] = (char *)runc_path();
	runc_exec(c->argv);
}

static char **runc_argv(const struct oci_cmdline *c, const struct state *st,
			const char *bundle)
{
	char **argv = cmdline_for_runc(c, runc_path(), st->runc, bundle);
	if (argv == NULL)
		oci_die("out of memory");
	return argv;
}

/* create or run: a CloudABI container gets its rewritten bundle, then
 * runc makes the container from it; any other goes to runc as it is. */
static int create(const struct oci_cmdline *c, const char *id)
{
	/* Decided before the ID is judged, a CloudABI container with an ID
	 * capbox-oci cannot keep could reach runc as a Linux one. */
	if (id == NULL)
		pass_to_runc(c);
	if (!state_valid_id(id))
		oci_die("invalid id format: %.300s", id);
	const char *given = cmdline_value(c, "bundle", "b");
	char bundle[PATH_MAX];
	if (realpath(given != NULL ? given : ".", bundle) == NULL)
		oci_die("bundle %s: %s", given != NULL ? given : ".",
			errno == ENOENT ? "no such file or directory"
					: strerror(errno));
	struct spec s;
	spec_load(&s, bundle);
	char program[4096];
	if (!detect_cloudabi(&s, bundle, program, sizeof(program))) {
		spec_free(&s);
		pass_to_runc(c);
	}
	/* Everything that can be refused is, before the bundle exists. */
	struct state st;
	state_paths(&st, c->root, id);
	const char *runc = runc_path();
	char argdata[sizeof(st.bundle) + 32], empty[sizeof(st.bundle) + 32];
	snprintf(empty, sizeof(empty), "%s/empty", st.bundle);
	char *yaml = NULL;
	size_t yaml_len = 0;
	if (!rewrite_has_config(&s)) {
		yaml = argdata_yaml_default(s.args + 1, s.nargs - 1, &yaml_len);
		snprintf(argdata, sizeof(argdata), "%s/argdata.yaml",
			 st.bundle);
	}
	const char *json = rewrite_spec(&s, bundle, program,
					yaml != NULL ? argdata : NULL, empty);
	state_create_bundle(&st, id);
	state_write_file(&st, "empty", "", 0, 0444);
	if (yaml != NULL)
		state_write_file(&st, "argdata.yaml", yaml, yaml_len, 0644);
	state_write_file(&st, "config.json", json, strlen(json), 0600);
	free(yaml);
	spec_free(&s);

	char **argv = cmdline_for_runc(c, runc, st.runc, st.bundle);
	if (argv == NULL)
		oci_die("out of memory");
	int status = runc_run(argv);
	free(argv);
	bool detached = strcmp(c->argv[c->sub], "create") == 0 ||
			cmdline_flag(c, "detach", "d");
	if (status != 0 || !detached)
		state_remove_bundle(&st);
	return status;
}

/* delete: runc deletes its part, then the rewritten bundle goes once
 * runc keeps no state of the container (deleted, or never created). */
static int delete_ours(const struct oci_cmdline *c, const struct state *st,
		       const char *id)
{
	char **argv = runc_argv(c, st, NULL);
	int status = runc_run(argv);
	free(argv);
	char runc_state[sizeof(st->runc) + 1100];
	snprintf(runc_state, sizeof(runc_state), "%s/%s", st->runc, id);
	struct stat sb;
	if (lstat(runc_state, &sb) != 0 && errno == ENOENT) {
		state_remove_bundle(st);
		return 0;
	}
	return status;
}

/* state: runc's, with the engine's bundle as "bundle" (the rewritten
 * config.json names it in an annotation). */
static int state_ours(const struct oci_cmdline *c, const struct state *st)
{
	char **argv = runc_argv(c, st, NULL);
	char *text;
	int status = runc_capture(argv, RUNC_JSON_MAX_BYTES, &text);
	free(argv);
	if (text == NULL)
		return status != 0 ? status : 1;
	struct json_object *doc = json_tokener_parse(text), *notes, *bundle;
	if (status == 0 && doc != NULL &&
	    json_object_object_get_ex(doc, "annotations", &notes) &&
	    json_object_object_get_ex(notes, REWRITE_BUNDLE_NOTE, &bundle) &&
	    json_object_is_type(bundle, json_type_string)) {
		json_object_object_add(doc, "bundle", json_object_get(bundle));
		puts(json_object_to_json_string_ext(
			doc, JSON_C_TO_STRING_PRETTY |
				     JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		fputs(text, stdout);
	}
	json_object_put(doc);
	free(text);
	return status;
}

/* features: runc's, with capbox-oci's handler among the annotations. */
static int features(void)
{
	char *argv[] = {(char *)runc_path(), "features", NULL};
	char *text;
	int status = runc_capture(argv, RUNC_JSON_MAX_BYTES, &text);
	if (status != 0 || text == NULL)
		oci_die("runc features: failed (status %d)", status);
	struct json_object *doc = json_tokener_parse(text);
	free(text);
	if (doc == NULL || !json_object_is_type(doc, json_type_object))
		oci_die("runc features: not a JSON object");
	struct json_object *notes;
	if (!json_object_object_get_ex(doc, "annotations", &notes) ||
	    !json_object_is_type(notes, json_type_object)) {
		notes = json_object_new_object();
		json_object_object_add(doc, "annotations", notes);
	}
	json_object_object_add(
		notes, "io.github.capbox.oci.handler",
		json_object_new_string(
			"run.oci.handler=" DETECT_HANDLER
			" or a CloudABI process.args[0]: capbox"));
	puts(json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return 0;
}

int main(int argc, char **argv)
{
	struct oci_cmdline c;
	cmdline_parse(&c, argc, argv);
	oci_log_setup(c.log, c.log_format);
	if (c.sub >= argc) {
		if (c.version) {
			printf("capbox-oci version %s\nspec: 1.0.2-dev\nrunc: %s\n",
			       CAPBOX_VERSION, runc_path());
			return 0;
		}
		usage(c.help ? stdout : stderr);
		return c.help ? 0 : 1;
	}
	const char *sub = argv[c.sub];
	if (strcmp(sub, "features") == 0)
		return features();
	const char *id = c.id < argc ? argv[c.id] : NULL;
	if (strcmp(sub, "create") == 0 || strcmp(sub, "run") == 0)
		return create(&c, id);
	if (id == NULL || !state_valid_id(id))
		pass_to_runc(&c);
	struct state st;
	state_paths(&st, c.root, id);
	if (!state_is_ours(&st))
		pass_to_runc(&c);
	if (strcmp(sub, "exec") == 0 || strcmp(sub, "checkpoint") == 0 ||
	    strcmp(sub, "restore") == 0)
		oci_die("%s: not supported: container %s runs a CloudABI program under capbox, there is no Linux process to %s",
			sub, id, strcmp(sub, "exec") == 0 ? "exec into" : sub);
	if (strcmp(sub, "delete") == 0)
		return delete_ours(&c, &st, id);
	if (strcmp(sub, "state") == 0)
		return state_ours(&c, &st);
	runc_exec(runc_argv(&c, &st, NULL));
}

/* rewrite.c: the config.json runc runs a CloudABI container from: capbox run of
 * the program, capbox (and its loader's libraries) bind-mounted read-only,
 * paths made absolute. */
#include "rewrite.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* capbox's path: the file "capbox" beside this executable. */
static void capbox_path(char *out, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		oci_die("readlink /proc/self/exe: %s", strerror(errno));
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	if (snprintf(out, size, "%s/capbox", self) >= (int)size)
		oci_die("%s/capbox: path too long", self);
	if (access(out, X_OK) != 0)
		oci_die("%s: %s (capbox-oci runs CloudABI containers with the capbox installed beside it)",
			out,
			errno == ENOENT ? "no such file or directory"
					: strerror(errno));
}

/* capbox's program interpreter (PT_INTERP) resolved to a real path in
 * INTERP, or "" when capbox is statically linked. */
static void capbox_interp(const char *capbox, char *interp, size_t size)
{
	interp[0] = '\0';
	int fd = open(capbox, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 256)
		oci_die("%s: not a 64-bit ELF executable", capbox);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + i * sizeof(ph))) !=
		    (ssize_t)sizeof(ph))
			oci_die("%s: truncated program headers", capbox);
		if (ph.p_type != PT_INTERP)
			continue;
		char raw[PATH_MAX];
		if (ph.p_filesz == 0 || ph.p_filesz >= sizeof(raw) ||
		    pread(fd, raw, ph.p_filesz, (off_t)ph.p_offset) !=
			    (ssize_t)ph.p_filesz ||
		    raw[ph.p_filesz - 1] != '\0')
			oci_die("%s: malformed PT_INTERP", capbox);
		char real[PATH_MAX];
		if (realpath(raw, real) == NULL || strlen(real) >= size)
			oci_die("%s: its loader %s: %s", capbox, raw,
				strerror(errno));
		strcpy(interp, real);
	}
	close(fd);
}

static struct json_object *new_string(const char *s)
{
	struct json_object *o = json_object_new_string(s);
	if (o == NULL)
		oci_die("out of memory");
	return o;
}

/* A read-only bind mount of SOURCE at DESTINATION. */
static struct json_object *bind_mount(const char *source,
				      const char *destination)
{
	struct json_object *m = json_object_new_object(),
			   *opts = json_object_new_array();
	if (m == NULL || opts == NULL)
		oci_die("out of memory");
	static const char *const options[] = {"bind", "ro", "nosuid", "nodev"};
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		json_object_array_add(opts, new_string(options[i]));
	json_object_object_add(m, "destination", new_string(destination));
	json_object_object_add(m, "type", new_string("bind"));
	json_object_object_add(m, "source", new_string(source));
	json_object_object_add(m, "options", opts);
	return m;
}

/* BUNDLE/PATH for a relative PATH, else PATH, into OUT. */
static void absolute(char *out, size_t size, const char *bundle,
		     const char *path)
{
	if (snprintf(out, size, "%s%s%s", path[0] == '/' ? "" : bundle,
		     path[0] == '/' ? "" : "/", path) >= (int)size)
		oci_die("%s: path too long", path);
}

/* Whether mount M is a bind mount (its type, or "bind"/"rbind" among its
 * options). */
static bool is_bind(struct json_object *m, size_t index)
{
	struct json_object *type, *opts;
	if (json_object_object_get_ex(m, "type", &type) &&
	    json_object_is_type(type, json_type_string) &&
	    strcmp(json_object_get_string(type), "bind") == 0)
		return true;
	if (!json_object_object_get_ex(m, "options", &opts) || opts == NULL)
		return false;
	if (!json_object_is_type(opts, json_type_array))
		oci_die("config.json: mounts[%zu].options: expected array",
			index);
	for (size_t i = 0; i < json_object_array_length(opts); i++) {
		struct json_object *o = json_object_array_get_idx(opts, i);
		if (o == NULL || !json_object_is_type(o, json_type_string))
			oci_die("config.json: mounts[%zu].options[%zu]: expected string",
				index, i);
		const char *s = json_object_get_string(o);
		if (strcmp(s, "bind") == 0 || strcmp(s, "rbind") == 0)
			return true;
	}
	return false;
}

/* The document's member KEY, which must be of TYPE (array or object); an
 * empty one is added when there is none. */
static struct json_object *top_member(struct json_object *doc, const char *key,
				      json_type type)
{
	struct json_object *m;
	if (!json_object_object_get_ex(doc, key, &m) || m == NULL) {
		m = type == json_type_array ? json_object_new_array()
					    : json_object_new_object();
		if (m == NULL)
			oci_die("out of memory");
		json_object_object_add(doc, key, m);
	}
	if (!json_object_is_type(m, type))
		oci_die("config.json: %s: expected %s", key,
			json_type_to_name(type));
	return m;
}

/* The mounts array, relative bind sources made absolute; ours appended. */
static void rewrite_mounts(struct json_object *doc, const char *bundle,
			   const char *capbox, const char *interp,
			   const char *argdata_file, const char *empty_file)
{
	struct json_object *mounts = top_member(doc, "mounts", json_type_array);
	size_t n = json_object_array_length(mounts);
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(mounts, i),
				   *src;
		if (m == NULL || !json_object_is_type(m, json_type_object))
			oci_die("config.json: mounts[%zu]: expected object", i);
		if (!json_object_object_get_ex(m, "source", &src) ||
		    src == NULL)
			continue;
		if (!json_object_is_type(src, json_type_string))
			oci_die("config.json: mounts[%zu].source: expected string",
				i);
		const char *s = json_object_get_string(src);
		if (s[0] != '/' && is_bind(m, i)) {
			char full[8192];
			absolute(full, sizeof(full), bundle, s);
			json_object_object_add(m, "source", new_string(full));
		}
	}
	json_object_array_add(mounts,
			      bind_mount(capbox, REWRITE_DIR "/capbox"));
	if (interp[0] != '\0') {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%s", interp);
		*strrchr(dir, '/') = '\0';
		json_object_array_add(mounts,
				      bind_mount(dir[0] != '\0' ? dir : "/",
						 REWRITE_DIR "/lib"));
	}
	if (argdata_file != NULL)
		json_object_array_add(
			mounts,
			bind_mount(argdata_file, REWRITE_DIR "/argdata.yaml"));
	/* The loader and libc of capbox read these in the container's root:
	 * the image's own would load its code into capbox. */
	static const char *const hidden[] = {"/etc/ld.so.preload",
					     "/etc/nsswitch.conf"};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		json_object_array_add(mounts,
				      bind_mount(empty_file, hidden[i]));
}

/* annotations[REWRITE_BUNDLE_NOTE] = BUNDLE, the engine's bundle, which
 * state reports (runc's state carries the annotations). */
static void note_bundle(struct json_object *doc, const char *bundle)
{
	struct json_object *notes = top_member(doc, "annotations",
					       json_type_object);
	json_object_object_add(notes, REWRITE_BUNDLE_NOTE, new_string(bundle));
}

static bool names_yaml(const char *word)
{
	size_t len = strlen(word);
	return (len > 5 && strcmp(word + len - 5, ".yaml") == 0) ||
	       (len > 4 && strcmp(word + len - 4, ".yml") == 0);
}

bool rewrite_has_config(const struct spec *s)
{
	bool config = s->nargs >= 2 && names_yaml(s->args[1]);
	if (config && s->nargs > 2)
		oci_die("process.args: a launch configuration (%s) takes no further words: the configuration gives the program its arguments",
			s->args[1]);
	return config;
}

const char *rewrite_spec(struct spec *s, const char *bundle,
			 const char *program, const char *argdata_file,
			 const char *empty_file)
{
	char capbox[PATH_MAX], interp[PATH_MAX];
	capbox_path(capbox, sizeof(capbox));
	capbox_interp(capbox, interp, sizeof(interp));
	bool config = argdata_file == NULL;

	struct json_object *args = json_object_new_array();
	if (args == NULL)
		oci_die("out of memory");
	if (interp[0] != '\0') {
		char loader[PATH_MAX + 32];
		snprintf(loader, sizeof(loader), REWRITE_DIR "/lib/%s",
			 strrchr(interp, '/') + 1);
		json_object_array_add(args, new_string(loader));
		json_object_array_add(args, new_string("--library-path"));
		json_object_array_add(args, new_string(REWRITE_DIR "/lib"));
	}
	static const char *const command[] = {REWRITE_DIR "/capbox", "run",
					      "--"};
	for (size_t i = 0; i < sizeof(command) / sizeof(command[0]); i++)
		json_object_array_add(args, new_string(command[i]));
	json_object_array_add(args, new_string(program));
	json_object_array_add(
		args,
		new_string(config ? s->args[1] : REWRITE_DIR "/argdata.yaml"));

	struct json_object *process = json_object_object_get(s->doc, "process");
	json_object_object_add(process, "args", args);
	/* capbox is a host program: the image's environment (LD_PRELOAD,
	 * LD_AUDIT, GCONV_PATH ...) must not reach its loader and libc, and
	 * a CloudABI program has no environment. */
	struct json_object *env = json_object_new_array();
	if (env == NULL)
		oci_die("out of memory");
	json_object_object_add(process, "env", env);
	note_bundle(s->doc, bundle);
	/* the old args array is gone: keep no pointer into it */
	free((void *)s->args);
	s->args = NULL;
	s->nargs = 0;

	char root[8192];
	absolute(root, sizeof(root), bundle, s->root_path);
	json_object_object_add(json_object_object_get(s->doc, "root"), "path",
			       new_string(root));
	s->root_path = NULL;

	rewrite_mounts(s->doc, bundle, capbox, interp, argdata_file,
		       empty_file);
	return json_object_to_json_string_ext(
		s->doc,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* argdata_yaml.c: the default launch configuration of a CloudABI container
 * started without one: its stdio and its arguments, as YAML for capbox run. */
#include "argdata_yaml.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Whether S is valid UTF-8 (no overlong forms, no surrogates). */
static bool valid_utf8(const unsigned char *s)
{
	while (*s != '\0') {
		unsigned c = *s;
		size_t n = c < 0x80             ? 0
			   : (c & 0xe0) == 0xc0 ? 1
			   : (c & 0xf0) == 0xe0 ? 2
			   : (c & 0xf8) == 0xf0 ? 3
						: 4;
		if (n == 4 || (n == 1 && c < 0xc2))
			return false;
		unsigned cp = n == 0 ? c : c & (0x3f >> n);
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 &&
		     (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		s += n + 1;
	}
	return true;
}

/* Writes S to F as a YAML double-quoted scalar. */
static void quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';
	     p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

char *argdata_yaml_default(const char *const *args, size_t nargs, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (f == NULL)
		oci_die("out of memory");
	fputs("# capbox-oci's default launch configuration: stdio and the arguments.\n"
	      "%TAG ! tag:nuxi.nl,2015:cloudabi/\n---\n"
	      "stdin: !fd stdin\nstdout: !fd stdout\nstderr: !fd stderr\nargs: [",
	      f);
	for (size_t i = 0; i < nargs; i++) {
		if (!valid_utf8((const unsigned char *)args[i]))
			oci_die("process.args[%zu]: not valid UTF-8: capbox passes arguments as strings",
				i + 1);
		fputs(i > 0 ? ", " : "", f);
		quoted(f, args[i]);
	}
	fputs("]\n", f);
	if (fclose(f) != 0 || text == NULL)
		oci_die("out of memory");
	return text;
}

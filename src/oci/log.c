/* log.c: capbox-oci's errors, on standard error and in the engine's --log file,
 * worded and formatted as runc's. */
#include "log.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_path;
static int log_json;

void oci_log_setup(const char *path, const char *format)
{
	log_path = path;
	log_json = format != NULL && strcmp(format, "json") == 0;
}

/* Appends one record to the --log file; a log that cannot be written
 * loses the record, standard error still has it. */
static void log_record(const char *msg)
{
	if (log_path == NULL)
		return;
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(when, "1970-01-01T00:00:00Z");
	struct json_object *rec = json_object_new_object();
	if (rec == NULL)
		return;
	json_object_object_add(rec, "level", json_object_new_string("error"));
	json_object_object_add(rec, "msg", json_object_new_string(msg));
	json_object_object_add(rec, "time", json_object_new_string(when));
	char *line = NULL;
	int len;
	if (log_json)
		len = asprintf(
			&line, "%s\n",
			json_object_to_json_string_ext(
				rec, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	else /* logrus's text format: msg quoted as JSON quotes it */
		len = asprintf(&line, "time=\"%s\" level=error msg=%s\n", when,
			       json_object_to_json_string_ext(
				       json_object_object_get(rec, "msg"),
				       JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(rec);
	if (len < 0)
		return;
	int fd = open(log_path,
		      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
		      0600);
	if (fd >= 0) {
		if (write(fd, line, (size_t)len) != len) {
			/* standard error has it */
		}
		close(fd);
	}
	free(line);
}

static void verror(const char *fmt, va_list ap)
{
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "capbox-oci: %s\n", msg);
	log_record(msg);
}

void oci_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

void oci_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	exit(1);
}

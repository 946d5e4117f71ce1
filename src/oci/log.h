/* log.h: capbox-oci's errors, on standard error and in the engine's --log file.
 */
#ifndef CAPBOX_OCI_LOG_H
#define CAPBOX_OCI_LOG_H

/* Where errors also go: runc's --log FILE in --log-format json or text. */
void oci_log_setup(const char *path, const char *format);

/* One line "capbox-oci: MESSAGE" on standard error, and one record in the
 * log file (json: {"level":"error","msg":...,"time":...}), as runc writes. */
__attribute__((format(printf, 1, 2))) void oci_error(const char *fmt, ...);

/* oci_error, then exit(1) as runc does on any failure. */
__attribute__((format(printf, 1, 2), noreturn)) void oci_die(const char *fmt,
							     ...);

#endif

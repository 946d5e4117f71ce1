/* diag.h: the broker's messages to the user and its exit statuses. */
#ifndef CAPBOX_BROKER_DIAG_H
#define CAPBOX_BROKER_DIAG_H

/* Exit statuses of `capbox run` besides the program's own (docs/CLI.md). */
#define CAPBOX_EXIT_MEMORY_LIMIT 122 /* --memory-limit was reached */
#define CAPBOX_EXIT_CPU_LIMIT 123    /* --cpu-limit was reached */
#define CAPBOX_EXIT_TIME_LIMIT 124   /* --time-limit was reached (as timeout) */
#define CAPBOX_EXIT_USAGE 125        /* bad command line or capbox failure */
#define CAPBOX_EXIT_CANNOT_RUN 126   /* program is not a loadable executable */
#define CAPBOX_EXIT_NOT_FOUND 127    /* program does not exist */
#define CAPBOX_EXIT_SIGNAL_BASE 128  /* + Linux signal number */

/* "capbox: " + message (+ ": strerror(errno)" for the _errno forms). */
__attribute__((format(printf, 1, 2))) void diag_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void diag_warn_errno(const char *fmt,
							   ...);
__attribute__((format(printf, 2, 3), noreturn)) void diag_die(int status,
							      const char *fmt,
							      ...);
__attribute__((format(printf, 2, 3), noreturn)) void diag_die_errno(
	int status, const char *fmt, ...);

#endif

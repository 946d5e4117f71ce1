/* main.c: the capbox command: dispatches to its subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_run.h"
#include "broker/diag.h"
#include "broker/fdbudget.h"
#include "protocol/hypercall.h"

#ifndef CAPBOX_VERSION
#error "the Makefile defines CAPBOX_VERSION (its VERSION)"
#endif

static void usage(FILE *out)
{
	fputs("usage: capbox run [OPTION]... PROGRAM [CONFIG]\n"
	      "       capbox --help | --version\n"
	      "Runs unmodified CloudABI programs in a capability sandbox.\n"
	      "See 'capbox run --help'.\n",
	      out);
}

/* Standard input, output and error open (on /dev/null where closed):
 * else capbox's own next files take their numbers, and a message, a
 * guest's output or a read of standard input would reach those. */
static void open_standard_files(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			_exit(CAPBOX_EXIT_USAGE);
	}
}

int main(int argc, char **argv)
{
	open_standard_files();
	if (argc < 2) {
		usage(stderr);
		return CAPBOX_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("capbox %s (hypercall protocol %d)\n", CAPBOX_VERSION,
		       CAPBOX_HC_VERSION);
		return 0;
	}
	/* A guest that closes its channel must not kill the broker, nor one
	 * that makes it write beyond the user's file size limit (forwarded
	 * writes, file_stat_fput, file_allocate, argdata): EFBIG instead. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	fdbudget_raise();
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	diag_warn("unknown command '%s'", argv[1]);
	usage(stderr);
	return CAPBOX_EXIT_USAGE;
}

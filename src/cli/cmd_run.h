/* cmd_run.h: `capbox run`: grants from the command line, spawn, serve, report. */
#ifndef CAPBOX_BROKER_CMD_RUN_H
#define CAPBOX_BROKER_CMD_RUN_H

/* Runs `capbox run ARGS...` (argv[0] is "run"); returns the exit status. */
int cmd_run(int argc, char **argv);

void cmd_run_usage(void);

#endif

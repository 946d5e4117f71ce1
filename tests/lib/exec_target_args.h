/* exec_target_args.h: the argdata tests/programs/exec_target expects after proc_exec: { out: fd 0, word: "renewed", code: 5 }. */
#ifndef CAPBOX_TESTS_EXEC_TARGET_ARGS_H
#define CAPBOX_TESTS_EXEC_TARGET_ARGS_H

#include <stdint.h>

#define EXEC_TARGET_CODE 5 /* its exit code when all its checks held */

static const uint8_t exec_target_argdata[] = {
	0x06, 0x85, 0x08, 'o',  'u',  't', 0x00, 0x85, 0x03, 0,
	0,    0,    0,    0x86, 0x08, 'w', 'o',  'r',  'd',  0x00,
	0x89, 0x08, 'r',  'e',  'n',  'e', 'w',  'e',  'd',  0x00,
	0x86, 0x08, 'c',  'o',  'd',  'e', 0x00, 0x82, 0x05, EXEC_TARGET_CODE};

#endif

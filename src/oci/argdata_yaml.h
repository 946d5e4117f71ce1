/* argdata_yaml.h: the default launch configuration of a CloudABI container
 * started without one. */
#ifndef CAPBOX_OCI_ARGDATA_YAML_H
#define CAPBOX_OCI_ARGDATA_YAML_H

#include <stddef.h>

/*
 * The YAML document (malloc'd, NUL-terminated; *len its length) of the
 * argument data a program gets when process.args names no configuration:
 *
 *   stdin: !fd stdin      the container's standard input,
 *   stdout: !fd stdout    output and error;
 *   stderr: !fd stderr
 *   args: [ARGS...]       the words that follow the program, as strings.
 *
 * Exits with an error when a word is not valid UTF-8.
 */
char *argdata_yaml_default(const char *const *args, size_t nargs, size_t *len);

#endif

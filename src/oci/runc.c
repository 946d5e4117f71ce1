/* runc.c: finding runc and running it: in capbox-oci's place, as a child, or
 * with its output captured. */
#include "runc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

#define PATH_BOUND 4096

const char *runc_path(void)
{
	static char found[PATH_BOUND];
	const char *path = getenv("PATH");
	if (path != NULL && strlen(path) < 65536) {
		const char *dir = path;
		for (;;) {
			size_t len = strcspn(dir, ":");
			if (len > 0 && dir[0] == '/' &&
			    snprintf(found, sizeof(found), "%.*s/runc",
				     (int)len, dir) < (int)sizeof(found) &&
			    access(found, X_OK) == 0)
				return found;
			if (dir[len] == '\0')
				break;
			dir += len + 1;
		}
	}
	static const char *const fixed[] = {"/usr/sbin/runc", "/usr/bin/runc"};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (access(fixed[i], X_OK) == 0)
			return fixed[i];
	oci_die("runc: executable file not found in $PATH, /usr/sbin or /usr/bin (capbox-oci runs every container through runc)");
}

void runc_exec(char **argv)
{
	execv(argv[0], argv);
	oci_die("exec %s: %s", argv[0], strerror(errno));
}

static int wait_status(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int runc_run(char **argv)
{
	pid_t pid = fork();
	if (pid < 0) {
		oci_error("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		oci_error("exec %s: %s", argv[0], strerror(errno));
		_exit(1);
	}
	return wait_status(pid);
}

int runc_capture(char **argv, size_t max, char **out)
{
	*out = NULL;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return 1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		if (dup2(fds[1], 1) != 1)
			_exit(1);
		execv(argv[0], argv);
		oci_error("exec %s: %s", argv[0], strerror(errno));
		_exit(1);
	}
	close(fds[1]);
	char *buf = malloc(max + 1);
	size_t len = 0;
	int whole = buf != NULL;
	while (whole) {
		ssize_t n = read(fds[0], buf + len, max - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			whole = n == 0;
			break;
		}
		len += (size_t)n;
		if (len == max) {
			char extra;
			whole = read(fds[0], &extra, 1) == 0;
			break;
		}
	}
	close(fds[0]);
	if (!whole)
		kill(pid, SIGKILL);
	int status = wait_status(pid);
	if (!whole) {
		free(buf);
		return 1;
	}
	buf[len] = '\0';
	*out = buf;
	return status;
}

/* program.c: opens and validates the executable before anything is started. */
#include "broker/program.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/diag.h"
#include "loader/elf_plan.h"

int program_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		diag_die_errno(errno == ENOENT ? CAPBOX_EXIT_NOT_FOUND
					       : CAPBOX_EXIT_CANNOT_RUN,
			       "%s", path);
	struct stat st;
	if (fstat(fd, &st) != 0)
		diag_die_errno(CAPBOX_EXIT_CANNOT_RUN, "%s", path);
	if (!S_ISREG(st.st_mode))
		diag_die(CAPBOX_EXIT_CANNOT_RUN, "%s: not a regular file", path);

	unsigned char head[ELF_PLAN_HEAD_SIZE];
	ssize_t got = pread(fd, head, sizeof(head), 0);
	if (got < 0)
		diag_die_errno(CAPBOX_EXIT_CANNOT_RUN, "%s", path);
	struct elf_plan plan;
	const char *why;
	if (elf_plan_build(head, (size_t)got, (uint64_t)st.st_size,
			   (uint64_t)sysconf(_SC_PAGESIZE), &plan, &why) != 0)
		diag_die(CAPBOX_EXIT_CANNOT_RUN,
			 "%s: not a loadable CloudABI executable: %s", path,
			 why);
	return fd;
}

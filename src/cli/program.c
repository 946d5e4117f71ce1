/* program.c: opens and validates the executable before anything is started. */
#include "cli/program.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "broker/diag.h"
#include "loader/elf_plan.h"

/*
 * The system an ELF executable was built for, when it is not CloudABI:
 * a Linux program (EI_OSABI SYSV or GNU, what gcc and clang make for
 * Linux) or a FreeBSD one.  capbox runs only CloudABI programs
 * (EI_OSABI 17, what clang's CloudABI target and capbox-cc make); such
 * an image is named for what it is instead of for whatever the loader
 * would find wrong with it (a PT_INTERP, the shim's own image, ...).
 * proc_exec still accepts hand-made SYSV and FreeBSD images, as the
 * upstream C library's tests exec them (docs/CONFORMANCE.md).
 */
static const char *foreign_system(const unsigned char *head, size_t len)
{
	if (len < EI_NIDENT || memcmp(head, ELFMAG, SELFMAG) != 0)
		return NULL;
	switch (head[EI_OSABI]) {
	case ELFOSABI_SYSV:
	case ELFOSABI_GNU:
		return "Linux";
	case ELFOSABI_FREEBSD:
		return "FreeBSD";
	default:
		return NULL;
	}
}

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
		diag_die(CAPBOX_EXIT_CANNOT_RUN, "%s: not a regular file",
			 path);

	unsigned char head[ELF_PLAN_HEAD_SIZE];
	ssize_t got = pread(fd, head, sizeof(head), 0);
	if (got < 0)
		diag_die_errno(CAPBOX_EXIT_CANNOT_RUN, "%s", path);
	const char *system = foreign_system(head, (size_t)got);
	if (system != NULL)
		diag_die(
			CAPBOX_EXIT_CANNOT_RUN,
			"%s: a %s executable, not a CloudABI one (EI_OSABI %u; CloudABI is 17): build it with capbox-cc or another CloudABI toolchain (docs/SDK.md)",
			path, system, head[EI_OSABI]);
	struct elf_plan plan;
	const char *why;
	if (elf_plan_build(head, (size_t)got, (uint64_t)st.st_size,
			   (uint64_t)sysconf(_SC_PAGESIZE), &plan, &why) != 0)
		diag_die(CAPBOX_EXIT_CANNOT_RUN,
			 "%s: not a loadable CloudABI executable: %s", path,
			 why);
	return fd;
}

/* detect.c: whether a container is a CloudABI one: its annotation, or the
 * EI_OSABI of process.args[0] found inside the container's root without leaving
 * it. */
#include "detect.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

#define ELFOSABI_CLOUDABI 17
/* runc's PATH when process.env has none. */
#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Opens PATH inside the root ROOTFD: ".." and symbolic links, absolute
 * ones included, resolve as if ROOTFD were "/" (RESOLVE_IN_ROOT), and no
 * /proc magic link is followed. */
static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {.flags = (unsigned long long)flags | O_CLOEXEC,
			       .resolve = RESOLVE_IN_ROOT |
					  RESOLVE_NO_MAGICLINKS};
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* 1 if the file at PATH inside the root is a regular file whose ELF
 * header says CloudABI, 0 if it is something else, -1 if there is no
 * file there.  O_PATH first: a FIFO or device is never opened. */
static int is_cloudabi_file(int rootfd, const char *path)
{
	int pfd = open_in_root(rootfd, path, O_PATH);
	if (pfd < 0) {
		if (errno == ENOSYS)
			oci_die("openat2: %s: capbox-oci needs Linux 5.6 or later to look into a container's root",
				strerror(errno));
		return -1;
	}
	struct stat st;
	int result = 0;
	if (fstat(pfd, &st) == 0 && S_ISREG(st.st_mode)) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
		int fd = open(proc,
			      O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		unsigned char ident[EI_NIDENT];
		if (fd >= 0 &&
		    pread(fd, ident, sizeof(ident), 0) ==
			    (ssize_t)sizeof(ident) &&
		    memcmp(ident, ELFMAG, SELFMAG) == 0 &&
		    ident[EI_CLASS] == ELFCLASS64 &&
		    ident[EI_OSABI] == ELFOSABI_CLOUDABI)
			result = 1;
		if (fd >= 0)
			close(fd);
	}
	close(pfd);
	return result;
}

/* Looks NAME up in each folder of SEARCH inside the root, as execvp would;
 * leaves the first path that exists in PROGRAM.  Its verdict, or 0. */
static int search_path(int rootfd, const char *search, const char *name,
		       char *program, size_t size)
{
	for (const char *dir = search;;) {
		size_t len = strcspn(dir, ":");
		if (len > 0 && snprintf(program, size, "%.*s/%s", (int)len, dir,
					name) < (int)size) {
			int verdict = is_cloudabi_file(rootfd, program);
			if (verdict >= 0)
				return verdict;
		}
		if (dir[len] == '\0')
			break;
		dir += len + 1;
	}
	snprintf(program, size, "%s", name);
	return 0;
}

bool detect_cloudabi(const struct spec *s, const char *bundle, char *program,
		     size_t size)
{
	const char *arg0 = s->args[0];
	if (snprintf(program, size, "%s", arg0) >= (int)size)
		oci_die("process.args[0]: longer than %zu bytes", size - 1);
	char root[8192];
	if (snprintf(root, sizeof(root), "%s%s%s",
		     s->root_path[0] == '/' ? "" : bundle,
		     s->root_path[0] == '/' ? "" : "/",
		     s->root_path) >= (int)sizeof(root))
		oci_die("root.path: too long");
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		oci_die("rootfs (%s) does not exist: %s", root,
			errno == ENOENT ? "no such file or directory"
					: strerror(errno));
	int verdict;
	if (strchr(arg0, '/') == NULL) {
		verdict = search_path(rootfd,
				      s->path_env != NULL ? s->path_env
							  : DEFAULT_PATH,
				      arg0, program, size);
	} else if (arg0[0] == '/') {
		verdict = is_cloudabi_file(rootfd, arg0);
	} else {
		char full[8192];
		snprintf(full, sizeof(full), "%s/%s", s->cwd, arg0);
		verdict = is_cloudabi_file(rootfd, full);
	}
	close(rootfd);
	bool by_note = s->handler != NULL &&
		       strcmp(s->handler, DETECT_HANDLER) == 0;
	return by_note || verdict == 1;
}

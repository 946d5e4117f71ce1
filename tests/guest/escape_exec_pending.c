/* capbox-test-args: --dir-rw dir=@SCRATCH@ --file target=@BUILD@/programs/exit_code */
/* escape_exec_pending.c: (found by review) a proc_exec prepared (raw) and never executed keeps a snapshot of the table; narrowing or closing a file afterwards is undone by a raw BOOT, which installs the snapshot. */
#include <cloudabi_syscalls.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape_raw.h"
#include "file_test.h"
#include "guest.h"

#define HC_BOOT 64
#define HC_FD_FETCH 71

static unsigned char reply_buf[32768 + 64];
static uint16_t version;
static uint32_t seq = 1000;
static int reply_fd;

static int exchange(uint16_t call, const void *body, size_t len)
{
	struct esc_reply_info info;
	struct esc_request req = {ESC_HC_MAGIC, version, call, ++seq,
				  (uint32_t)len};
	int err = esc_exchange(ESC_FD_CHANNEL, req, body, len, reply_buf,
			       sizeof(reply_buf), &info);
	if (version == 0)
		version = info.version;
	reply_fd = info.fd;
	return err;
}

struct entry {
	uint32_t fd;
	uint8_t filetype;
	uint8_t reserved[3];
	uint64_t base;
	uint64_t inheriting;
};

/* The rights a BOOT reply lists for number fd; 0 if it is absent. */
static uint64_t boot_rights(uint32_t fd)
{
	uint32_t boot[2] = {0, 0};
	if (exchange(HC_BOOT, boot, sizeof(boot)) != 0)
		return 0;
	const unsigned char *p = reply_buf + sizeof(struct esc_reply);
	uint32_t nfds;
	memcpy(&nfds, p, 4);
	for (uint32_t i = 0; i < nfds && i < 1024; i++) {
		struct entry e;
		memcpy(&e, p + 16 + i * sizeof(e), sizeof(e));
		if (e.fd == fd)
			return e.base;
	}
	return 0;
}

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);
	cloudabi_fd_t dir = guest_grant_fd(ad, "dir");
	cloudabi_fd_t target = guest_grant_fd(ad, "target");
	CHECK_EQ(ft_put(dir, "f", "twelve bytes"), 0, "a file of 12 bytes");
	cloudabi_fd_t file;
	CHECK_EQ(ft_open_rights(dir, "f", 0,
				CLOUDABI_RIGHT_FD_READ |
					CLOUDABI_RIGHT_FD_WRITE |
					CLOUDABI_RIGHT_FILE_STAT_FPUT_SIZE,
				0, 0, &file),
		 0, "opened read-write");

	/* learn the protocol version */
	uint32_t probe[2] = {0, 0};
	exchange(CLOUDABI_SYS_fd_stat_get, probe, sizeof(probe));
	CHECK(version != 0, "protocol version %u", version);

	/* proc_exec prepared by a raw hypercall: the new table is every
	 * number as it is now (0..file), the shim never executes */
	struct {
		uint32_t fd, nfds, argdata_len, reserved;
		uint32_t fds[64];
	} ex = {target, file + 1, 0, 0, {0}};
	for (uint32_t i = 0; i <= file; i++)
		ex.fds[i] = i;
	CHECK_EQ(exchange(CLOUDABI_SYS_proc_exec, &ex,
			  16 + 4 * (size_t)(file + 1)),
		 0, "proc_exec prepared (raw), not executed");

	/* the program narrows its file to read-only, then closes it */
	cloudabi_fdstat_t narrow = {
		.fs_rights_base = CLOUDABI_RIGHT_FD_READ,
	};
	CHECK_EQ(
		cloudabi_sys_fd_stat_put(file, &narrow, CLOUDABI_FDSTAT_RIGHTS),
		0, "file narrowed to fd_read");
	CHECK_EQ(cloudabi_sys_fd_close(file), 0, "and closed");

	uint64_t got = boot_rights(file);
	CHECK_EQ(got, 0,
		 "a raw BOOT does not bring the closed, narrowed "
		 "file back (rights now %#llx)",
		 (unsigned long long)got);
	if (got != 0) {
		uint32_t fetch[2] = {file, 0};
		int err = exchange(HC_FD_FETCH, fetch, sizeof(fetch));
		CHECK(err != 0 || reply_fd < 0,
		      "fd_fetch of it gives no kernel descriptor (err %d fd %d)",
		      err, reply_fd);
		if (reply_fd >= 0) {
			long w = raw(NR_pwrite64, reply_fd, "XXXXXX", 6, 0);
			CHECK(w < 0, "a raw write through it fails (wrote %ld)",
			      w);
		}
	}
	cloudabi_filestat_t st;
	char buf[16] = {0};
	cloudabi_fd_t again;
	CHECK_EQ(ft_open_rights(dir, "f", 0, CLOUDABI_RIGHT_FD_READ, 0, 0,
				&again),
		 0, "reopened to look");
	size_t n;
	cloudabi_sys_fd_read(again, &(cloudabi_iovec_t){buf, 12}, 1, &n);
	CHECK(memcmp(buf, "twelve bytes", 12) == 0,
	      "the file is unchanged (%.12s)", buf);
	(void)st;
	exit(check_done());
}

/* empty_smuggle.c: "count" times opens a thread channel, tries to send an empty message carrying a descriptor on it (the filter refuses sendmsg), sends an empty message and closes it; the broker must not keep any descriptor (tests/cli/hypercall_leaks.sh). */
#include <argdata.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"
#include "../guest/escape_raw.h"

#define HC_THREAD_CHANNEL 66

static unsigned char reply[32768 + 64];

/* Sends one request on the main channel; returns the descriptor its
 * reply carries (-1 for none) and the reply's version in *version. */
static int request(struct esc_request req, const void *body, size_t len,
		   uint16_t *version)
{
	if (esc_send_request(ESC_FD_CHANNEL, &req, body, len) < 0)
		return -1;
	struct l_iovec riov = {reply, sizeof(reply)};
	struct l_cmsg_fd rcmsg = {0};
	struct l_msghdr rmsg = {.iov = &riov,
				.iovlen = 1,
				.control = &rcmsg,
				.controllen = sizeof(rcmsg)};
	struct esc_reply rep;
	if (raw(NR_recvmsg, ESC_FD_CHANNEL, &rmsg, 0) < (long)sizeof(rep))
		return -1;
	memcpy(&rep, reply, sizeof(rep));
	*version = rep.version;
	return rmsg.controllen >= 20 && rcmsg.type == L_SCM_RIGHTS ? rcmsg.fd
								   : -1;
}

void program_main(const argdata_t *ad)
{
	argdata_t value;
	int64_t count = 100;
	check_out_fd = guest_out_fd(ad);
	if (argdata_map_find(*ad, "count", 5, &value) == ARGDATA_OK)
		argdata_get_int64(value, &count);
	struct {
		uint32_t flags, reserved;
	} p = {0, 0};
	/* A bad magic teaches the protocol version. */
	uint16_t version = 0;
	struct esc_request req = {ESC_HC_MAGIC ^ 1, 0, HC_THREAD_CHANNEL, 1,
				  sizeof(p)};
	request(req, &p, sizeof(p), &version);
	int64_t refused = 0, sent = 0;
	for (int64_t i = 0; i < count; i++) {
		uint16_t v;
		req = (struct esc_request){ESC_HC_MAGIC, version,
					   HC_THREAD_CHANNEL, (uint32_t)i + 2,
					   sizeof(p)};
		int channel = request(req, &p, sizeof(p), &v);
		if (channel < 0)
			break;
		/* No bytes at all, one descriptor: what the broker reads as
		 * the end of the channel. */
		struct l_cmsg_fd cmsg = {.len = 20,
					 .level = L_SOL_SOCKET,
					 .type = L_SCM_RIGHTS,
					 .fd = (int)check_out_fd};
		struct l_msghdr msg = {.iov = NULL,
				       .iovlen = 0,
				       .control = &cmsg,
				       .controllen = sizeof(cmsg)};
		refused += raw(NR_sendmsg, channel, &msg, 0) == -L_EPERM;
		sent += raw(NR_sendto, channel, NULL, 0, L_MSG_NOSIGNAL, 0,
			    0) == 0;
		raw(NR_close, channel);
	}
	CHECK(refused == count,
	      "%lld empty messages with a descriptor refused by the filter",
	      (long long)refused);
	CHECK(sent == count, "%lld empty messages sent", (long long)sent);
	exit(check_done());
}

/*
 * ppp_sniff.c - listen on a Unix socket for the interop VM's serial port, decode the
 * async-HDLC frames real pppd sends (sim/hdlc_async.c), print them, and exit 0 as soon
 * as an LCP Configure-Request carrying the Callback option (CBCP, 0D 03 06) arrives.
 *   ppp_sniff SOCKET TIMEOUT_SECONDS
 * Used by the rig's smoke test before the NAS itself is attached.
 *
 * SPDX-License-Identifier: MIT
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hdlc_async.h"

static int found;

static void on_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t len)
{
	(void)ctx;
	printf("frame %s len %zu:", ev == HDLC_FRAME_OK ? "ok" : "BAD", len);
	for (size_t i = 0; i < len && i < 40; i++)
		printf(" %02x", d[i]);
	printf("\n");
	/* FF 03 C0 21 01 id len-hi len-lo options... */
	if (ev != HDLC_FRAME_OK || len < 8 || d[0] != 0xFF || d[1] != 0x03 || d[2] != 0xC0 ||
	    d[3] != 0x21 || d[4] != 0x01)
		return;
	for (size_t off = 8; off + 2 <= len;) {
		uint8_t type = d[off], olen = d[off + 1];

		if (olen < 2 || off + olen > len)
			break;
		if (type == 0x0D && olen == 3 && d[off + 2] == 0x06)
			found = 1;
		off += olen;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct hdlc_async_decoder dec;
	int lfd, fd;
	time_t deadline;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: ppp_sniff SOCKET TIMEOUT_SECONDS\n");
		return 2;
	}
	deadline = time(NULL) + atoi(argv[2]);
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		perror("ppp_sniff: socket");
		return 2;
	}
	printf("ppp_sniff: listening on %s\n", argv[1]);
	fflush(stdout);
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	if (poll(&p, 1, atoi(argv[2]) * 1000) <= 0 || (fd = accept(lfd, NULL, NULL)) < 0) {
		printf("ppp_sniff: nobody connected\n");
		return 1;
	}
	hdlc_async_decoder_init(&dec, 0xFFFFFFFF, false, on_frame, NULL);
	while (!found && time(NULL) < deadline) {
		uint8_t buf[512];
		struct pollfd q = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&q, 1, 500) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		hdlc_async_decode(&dec, buf, (size_t)n);
		fflush(stdout);
	}
	printf("ppp_sniff: %s\n", found ? "LCP Configure-Request with Callback CBCP seen" :
	       "no LCP Configure-Request with Callback seen");
	close(fd);
	unlink(argv[1]);
	return found ? 0 : 1;
}

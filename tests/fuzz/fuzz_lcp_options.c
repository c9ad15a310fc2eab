/*
 * fuzz_lcp_options.c - LCP packets (options of Configure-Request/Ack/Nak/Reject and
 * every other code) in every state the input steers to
 *
 * Input: a sequence of [len][packet] records; a record starting with 0xFE advances
 * the clock by 2 s (timeouts, retransmissions).
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_ppp_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z;
	ev_time_t t = 0;

	if (fz_setup(&z, true) != 0)
		return 0;
	if (size && (data[0] & 1))
		ppp_open_active(&z.s);
	else
		ppp_open_passive(&z.s);
	while (size >= 1) {
		size_t n = data[0];
		data++;
		size--;
		if (n == 0xFE) {
			t += 2 * EV_SEC;
			ev_loop_step(z.loop, t);
			continue;
		}
		if (n > size)
			n = size;
		fz_inject(&z, PPP_PROTO_LCP, data, n);
		data += n;
		size -= n;
	}
	fz_teardown(&z);
	return 0;
}

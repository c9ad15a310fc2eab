/*
 * fuzz_ipcp.c - IPCP packets in the network phase (no authentication configured)
 *
 * Input: [len][packet] records; 0xFE advances the clock by 2 s.
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
	z.prof.nauth = 0;		/* straight to the network phase */
	fz_open_lcp(&z, false);
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
		fz_inject(&z, PPP_PROTO_IPCP, data, n);
		data += n;
		size -= n;
	}
	fz_teardown(&z);
	return 0;
}

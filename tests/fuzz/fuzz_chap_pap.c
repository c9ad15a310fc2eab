/*
 * fuzz_chap_pap.c - CHAP Responses and PAP Authenticate-Requests (and any other
 * code) in the authentication phase; byte 0 selects CHAP or PAP
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_ppp_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z;
	ev_time_t t = 0;
	bool pap, cb;

	if (size < 1 || fz_setup(&z, true) != 0)
		return 0;
	pap = data[0] & 1;
	cb = data[0] & 2;
	data++;
	size--;
	if (pap) {
		z.prof.auth[0] = PPP_AUTH_PAP;
		z.prof.nauth = 1;
	}
	fz_open_lcp(&z, cb);
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
		if (n >= 2 && !pap && data[1] == 0xEE) {
			uint8_t pkt[256];
			memcpy(pkt, data, n);
			pkt[1] = z.s.chap.id;
			fz_inject(&z, PPP_PROTO_CHAP, pkt, n);
		} else {
			fz_inject(&z, pap ? PPP_PROTO_PAP : PPP_PROTO_CHAP, data, n);
		}
		data += n;
		size -= n;
	}
	fz_teardown(&z);
	return 0;
}

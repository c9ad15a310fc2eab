/*
 * fuzz_mcb.c - MS-CBCP (MCB) Responses and other packets in the callback phase, for
 * each callback type the server can offer; then LCP Terminate
 *
 * Input: byte 0 selects the offered type; then [len][packet] records; 0xFE advances
 * the clock by 2 s.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_ppp_common.h"

#include "mcb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const offers[] = { "", "5551212", "5550001,5550002,5550003", "" };
	struct fz z;
	ev_time_t t = 0;
	unsigned sel;

	if (size < 1 || fz_setup(&z, true) != 0)
		return 0;
	sel = data[0] & 3;
	data++;
	size--;
	z.prof.nauth = 0;
	fz_open_lcp(&z, true);
	/* as after CHAP: the user is known, authorization chose the type */
	snprintf(z.s.user, sizeof(z.s.user), "callmeback");
	z.s.mcb.type = (uint8_t)(sel == 3 ? MCB_OPT_NONE : MCB_OPT_USER + sel);
	snprintf(z.s.mcb.offer, sizeof(z.s.mcb.offer), "%s", offers[sel]);
	ppp_set_phase(&z.s, PPP_PHASE_CALLBACK);
	mcb_start(&z.s);
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
		/* an id byte of 0xEE is replaced by the one the engine expects */
		if (n >= 2 && data[1] == 0xEE) {
			uint8_t pkt[256];
			memcpy(pkt, data, n);
			pkt[1] = z.s.mcb.id;
			fz_inject(&z, PPP_PROTO_CBCP, pkt, n);
		} else {
			fz_inject(&z, PPP_PROTO_CBCP, data, n);
		}
		data += n;
		size -= n;
	}
	fz_inject(&z, PPP_PROTO_LCP, (const uint8_t[]){ 5, 9, 0, 4 }, 4);
	fz_teardown(&z);
	return 0;
}

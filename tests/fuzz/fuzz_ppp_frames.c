/*
 * fuzz_ppp_frames.c - whole frames (address/control, protocol field with or without
 * PFC, any protocol) into a session that the input first steers into a phase:
 * byte 0 bit 0 opens LCP (then authentication runs), bit 1 asks for Callback 6,
 * bit 2 removes authentication (network phase at once).
 *
 * Then [len][frame] records; 0xFE advances the clock by 2 s; 0xFD carries the frame
 * to the line down and up again.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_ppp_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z;
	ev_time_t t = 0;
	uint8_t sel;

	if (size < 1 || fz_setup(&z, true) != 0)
		return 0;
	sel = data[0];
	data++;
	size--;
	if (sel & 4)
		z.prof.nauth = 0;
	if (sel & 1)
		fz_open_lcp(&z, sel & 2);
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
		if (n == 0xFD) {
			ppp_lower_down(&z.s);
			ppp_open_active(&z.s);
			continue;
		}
		if (n > size)
			n = size;
		ppp_input(&z.s, data, n);
		data += n;
		size -= n;
	}
	ppp_lower_down(&z.s);
	fz_teardown(&z);
	return 0;
}

/*
 * fuzz_usb_strip.c - a bulk IN transfer from the FT232H is untrusted: whatever its
 * length and content, stripping the two modem-status bytes of every packet must
 * stay inside the buffer, never grow the data, and hand the card layer only bytes
 * that were FIFO data.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "card_sim.h"
#include "card_usb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t mps_choice[4] = { 512, 64, 8, 3 };
	struct card_sim *s;
	struct card *c;
	struct card_usb_strip st;
	uint8_t *buf;
	size_t mps, n, good = 0;

	if (size < 1)
		return 0;
	mps = mps_choice[data[0] & 3];
	data++;
	size--;
	buf = malloc(size ? size : 1);	/* exact size: ASan sees any overrun */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	n = card_usb_strip_status(buf, size, mps, &st);
	/* the expected FIFO byte count, packet by packet */
	for (size_t off = 0; off < size; off += mps) {
		size_t plen = size - off < mps ? size - off : mps;

		if (plen >= CARD_USB_STATUS_LEN)
			good += plen - CARD_USB_STATUS_LEN;
	}
	if (n != good || n > size || st.packets != (size + mps - 1) / mps ||
	    st.bad_packets > st.packets)
		abort();
	s = card_sim_new();
	c = card_new(24, 64, &card_sim_ops, s, NULL, NULL);
	if (c)
		card_input(c, buf, n);
	card_free(c);
	card_sim_free(s);
	free(buf);
	return 0;
}

/*
 * fuzz_card_msg.c - the card protocol from the card's side is untrusted input (USB
 * garbage, a broken bitstream): the resynchronising parser and the card layer's
 * dispatch must count, never crash, whatever bytes arrive in whatever split.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "card.h"
#include "card_sim.h"

static void rx_frame(void *ctx, unsigned chan, const uint8_t *d, size_t len,
		     enum card_rx_status st)
{
	(void)ctx; (void)chan; (void)st;
	/* touch the data: ASan checks it is really len bytes */
	static volatile uint8_t sink;
	for (size_t i = 0; i < len; i++)
		sink = (uint8_t)(sink ^ d[i]);
}

static const struct card_events ev = { .rx_frame = rx_frame };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct card_sim *s = card_sim_new();
	struct card *c = card_new(48, 64, &card_sim_ops, s, &ev, NULL);
	struct card_chan_cfg cfg = { .mode = CARD_MODE_ASYNC_HDLC, .mru = 1500 };
	struct card_chan_cfg raw = { .mode = CARD_MODE_RAW };
	size_t off = 0;

	for (unsigned ch = 0; ch < 48; ch++)
		card_chan_config(c, ch, ch % 5 == 0 ? &raw : &cfg);
	card_send_frame(c, 1, (const uint8_t *)"hello", 5, 0);
	/* the first byte picks the split size */
	while (off < size) {
		size_t n = size ? (size_t)(data[0] % 61) + 1 : 1;

		if (n > size - off)
			n = size - off;
		card_input(c, data + off, n);
		off += n;
	}
	card_free(c);
	card_sim_free(s);
	return 0;
}

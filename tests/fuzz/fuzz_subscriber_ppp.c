/*
 * fuzz_subscriber_ppp.c - libFuzzer target for the subscriber PC's PPP client
 * (sim/subscriber_ppp.c): whatever a NAS sends - raw octets, deframed frames, in any
 * phase, with time passing - the client must count, never crash, hang or leak.
 *
 * Input: octet 0 picks the variant (low 3 bits), the callback leg (bit 3) and whether
 * LCP is first opened with the seed's frames (bit 4); then records
 * [op][len][len octets]: op % 4 = 0 raw line octets, 1 one deframed frame, 2 let
 * time pass (len x 100 ms), 3 carrier down and up again.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "evloop.h"
#include "subscriber_ppp.h"

/* the client's last LCP packet (to acknowledge its Configure-Request) */
static uint8_t fz_last_lcp[64];
static size_t fz_last_lcp_len;

static void fz_tx(void *ctx, const uint8_t *o, size_t n)
{
	static volatile uint8_t sink;

	(void)ctx;
	for (size_t i = 0; i < n; i++)
		sink = (uint8_t)(sink ^ o[i]);
}

static void fz_out_frame(void *ctx, bool out, const uint8_t *f, size_t n)
{
	(void)ctx;
	if (out && n >= 8 && n - 4 <= sizeof(fz_last_lcp) && f[2] == 0xC0 && f[3] == 0x21) {
		memcpy(fz_last_lcp, f + 4, n - 4);
		fz_last_lcp_len = n - 4;
	}
}

static const struct sub_ppp_ops fz_ops = { .tx = fz_tx, .frame = fz_out_frame };

static void fz_frame(struct sub_ppp *c, uint16_t proto, const uint8_t *p, size_t n)
{
	uint8_t f[64];

	f[0] = 0xFF;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, p, n);
	sub_ppp_input_frame(c, f, n + 4);
}

static void fz_step(struct ev_loop *loop, ev_time_t until)
{
	ev_time_t d;
	unsigned guard = 0;

	while ((d = ev_loop_next_due(loop)) <= until && guard++ < 1000)
		ev_loop_step(loop, d);
	ev_loop_step(loop, until);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t nas_confreq[] = {
		0x01, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x03, 0x05, 0xC2,
		0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07, 0x02, 0x08, 0x02 };
	struct ev_loop *loop;
	struct sub_ppp_config cfg;
	struct sub_ppp c;
	size_t i = 1;

	if (size < 1)
		return 0;
	loop = ev_loop_new_manual(0);
	if (!loop)
		return 0;
	sub_ppp_config_default(&cfg, (enum sub_ppp_variant)((data[0] & 7) % 6));
	sub_ppp_init(&c, loop, &cfg, &fz_ops, NULL);
	fz_last_lcp_len = 0;
	sub_ppp_lower_up(&c, (data[0] & 8) != 0);
	if (data[0] & 16) {		/* open LCP the seed's way first */
		uint8_t ack[sizeof(fz_last_lcp)];
		size_t n = fz_last_lcp_len;

		memcpy(ack, fz_last_lcp, n);
		fz_frame(&c, SUB_PPP_PROTO_LCP, nas_confreq, sizeof(nas_confreq));
		if (n >= 4 && ack[0] == 1) {
			ack[0] = 2;
			fz_frame(&c, SUB_PPP_PROTO_LCP, ack, n);
		}
	}
	while (i + 2 <= size) {
		uint8_t op = data[i], len = data[i + 1];
		size_t n;

		i += 2;
		n = len < size - i ? len : size - i;
		switch (op % 4) {
		case 0:
			sub_ppp_input(&c, data + i, n);
			break;
		case 1:
			sub_ppp_input_frame(&c, data + i, n);
			break;
		case 2:
			fz_step(loop, ev_now(loop) + (ev_time_t)len * 100 * EV_MSEC);
			n = 0;
			break;
		default:
			sub_ppp_lower_down(&c);
			sub_ppp_lower_up(&c, (op & 4) != 0);
			n = 0;
			break;
		}
		i += n;
	}
	sub_ppp_fini(&c);
	ev_loop_free(loop);
	return 0;
}

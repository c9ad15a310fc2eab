/*
 * fuzz_subscriber_modem.c - libFuzzer target for the subscriber's Hayes modem
 * (sim/subscriber_modem.c): any octets from the PC (AT command parser, +++ escape),
 * interleaved with telco events and time, must never crash or hang it.
 *
 * Input: records [op][len][len octets]: op % 8 = 0..2 PC octets, 3 ring, 4 connected,
 * 5 cleared (cause = len), 6 line octets, 7 DTR (len & 1) and time passing
 * (len x 50 ms).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"
#include "subscriber_modem.h"

static struct sub_modem *fz_m;

static int fz_dial(void *ctx, const char *d) { (void)ctx; return d[0] == '9' ? -1 : 0; }
static int fz_answer(void *ctx) { (void)ctx; return 0; }
static int fz_hangup(void *ctx)
{
	(void)ctx;
	sub_modem_cleared(fz_m, 16);
	return 0;
}
static void fz_out(void *ctx, const uint8_t *d, size_t n)
{
	static volatile uint8_t sink;

	(void)ctx;
	for (size_t i = 0; i < n; i++)
		sink = (uint8_t)(sink ^ d[i]);
}

static const struct sub_modem_ops fz_ops = {
	.dial = fz_dial, .answer = fz_answer, .hangup = fz_hangup, .to_line = fz_out,
	.to_pc = fz_out,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct sub_modem m;
	size_t i = 0;

	if (!loop)
		return 0;
	fz_m = &m;
	sub_modem_init(&m, loop, NULL, &fz_ops, NULL);
	while (i + 2 <= size) {
		uint8_t op = data[i], len = data[i + 1];
		size_t n;
		ev_time_t until, d;
		unsigned guard = 0;

		i += 2;
		n = len < size - i ? len : size - i;
		switch (op % 8) {
		case 3: sub_modem_ring(&m); n = 0; break;
		case 4: sub_modem_connected(&m); n = 0; break;
		case 5: sub_modem_cleared(&m, len); n = 0; break;
		case 6: sub_modem_from_line(&m, data + i, n); break;
		case 7:
			sub_modem_set_dtr(&m, len & 1);
			until = ev_now(loop) + (ev_time_t)len * 50 * EV_MSEC;
			while ((d = ev_loop_next_due(loop)) <= until && guard++ < 1000)
				ev_loop_step(loop, d);
			ev_loop_step(loop, until);
			n = 0;
			break;
		default: sub_modem_from_pc(&m, data + i, n); break;
		}
		i += n;
	}
	sub_modem_fini(&m);
	ev_loop_free(loop);
	return 0;
}

/*
 * fuzz_q931.c - libFuzzer target for the daemon's Q.931 decoders and call control
 * (host/q931.c, host/isdn.c): the input is a series of length-prefixed messages
 * delivered as in-sequence I frames to a span whose link is up, with the decoder,
 * every IE getter and the debug printer run on each.  Must never crash or abort.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "evloop.h"
#include "isdn.h"
#include "log.h"
#include "q931.h"

static int fz_send(void *ctx, struct isdn_span *span, const uint8_t *f, size_t n)
{
	(void)ctx;
	(void)span;
	(void)f;
	(void)n;
	return 0;
}

static int fz_incoming(void *ctx, struct isdn_call *call, void **owner)
{
	static int line;

	(void)ctx;
	if (call->bchan & 1)
		return Q931_CAUSE_NO_CHANNEL;
	*owner = &line;
	if (call->bchan & 2)
		isdn_answer(call);
	return 0;
}

static void fz_cleared(void *ctx, struct isdn_call *call, void *owner, uint8_t cause)
{
	(void)ctx;
	(void)call;
	(void)owner;
	(void)cause;
}

static const struct isdn_span_ops fz_ops = {
	.send_dchan = fz_send,
	.incoming_voice = fz_incoming,
	.incoming_data = fz_incoming,
	.cleared = fz_cleared,
};

static void decode_all(const uint8_t *d, size_t n)
{
	struct q931_msg m;
	struct q931_bearer b;
	struct q931_chanid c;
	struct q931_number num;
	struct q931_cause_ie cz;
	uint8_t x, y;

	if (q931_parse(d, n, &m) < 0)
		return;
	for (unsigned i = 0; i < m.n_ie; i++) {
		const uint8_t *v = m.raw + m.ie[i].off;
		uint8_t l = m.ie[i].len;

		q931_get_bearer(v, l, &b);
		q931_get_chanid(v, l, &c);
		q931_get_number(v, l, &num);
		q931_get_cause(v, l, &cz);
		q931_get_progress(v, l, &x, &y);
		q931_get_call_state(v, l, &x);
		q931_get_restart_ind(v, l, &x);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ev_loop *loop;
	static ev_time_t now;
	static struct isdn_span span;
	struct isdn_span_config cfg;
	static const uint8_t ua[] = { 0x00, 0x01, 0x73 };
	uint8_t frame[4 + 260];
	unsigned ns = 0;
	size_t at = 0;

	if (!loop) {
		loop = ev_loop_new_manual(0);
		dbg_enable(DBG_ISDN_Q931, true);
		dbg_enable(DBG_ISDN_Q921, true);
	}
	isdn_span_config_default(&cfg, 0);
	isdn_span_init(&span, loop, &cfg, &fz_ops, NULL);
	isdn_span_l1(&span, true);
	isdn_span_dchan_input(&span, ua, sizeof(ua));

	while (at < size) {
		size_t n = data[at++];

		if (n > size - at)
			n = size - at;
		decode_all(data + at, n);
		q931_trace("Se0:23", false, data + at, n);
		if (n <= 260) {
			frame[0] = 0x02;	/* network command */
			frame[1] = 0x01;
			frame[2] = (uint8_t)(ns << 1);
			frame[3] = 0x00;
			memcpy(frame + 4, data + at, n);
			ns = (ns + 1) & 127;
			isdn_span_dchan_input(&span, frame, n + 4);
		}
		at += n;
		now += 700 * EV_MSEC;
		ev_loop_step(loop, now);
	}
	now += 40 * EV_SEC;
	ev_loop_step(loop, now);
	isdn_span_l1(&span, false);
	isdn_span_fini(&span);
	return 0;
}

/*
 * test_card_resync.c - the card layer's credit re-sync (card_resync) against a
 * scripted card that kept running while the host went away: its absolute credit
 * counts start far from zero, its buffers still hold an earlier host's octets, a
 * CHAN_CONFIG's flush is applied by its engine only at the next frame (so a
 * CREDIT_POLL right behind it answers the old count), and it drains a few octets
 * per frame, reporting TX_CREDIT spontaneously.
 *
 * Checks: without a re-sync such a card's channel stalls (the bug); with it, data
 * flows, the card's buffer never overruns and every frame arrives whole; a poll
 * answer lost to garbage is asked for again; a fresh card is not disturbed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "card.h"
#include "card_sim.h"

#define CHANS	4
#define TXBUF	64
#define DRAIN	8	/* octets the card's engine takes per channel and frame (64 kbit/s) */

struct card_model {
	struct card_parser parser;
	uint16_t received[CHANS];	/* TX_DATA octets taken into the buffer, absolute */
	uint16_t consumed[CHANS];	/* absolute, as reported */
	uint16_t reported[CHANS];
	bool     flush_pending[CHANS];
	uint16_t flush_point[CHANS];	/* received when the CHAN_CONFIG came */
	size_t   frame_len[CHANS], frames[CHANS], last_frame_len[CHANS];
	unsigned overruns, polls;
	unsigned drop_credit_answers;	/* garble this many poll answers */
	bool     quiet;			/* no spontaneous TX_CREDIT (its sweep is far off) */
	uint8_t  out[65536];		/* toward the host */
	size_t   out_len;
};

static void model_send(struct card_model *m, uint8_t type, uint16_t chan, const void *pl,
		       uint8_t len)
{
	assert_true(m->out_len + CARD_MSG_MAX_LEN <= sizeof(m->out));
	m->out_len += card_msg_encode(m->out + m->out_len, type, 0, chan, pl, len);
}

static void model_credit(struct card_model *m, unsigned chan)
{
	uint8_t pl[2];

	card_put16(pl, m->consumed[chan]);
	m->reported[chan] = m->consumed[chan];
	model_send(m, CARD_MSG_TX_CREDIT, (uint16_t)chan, pl, 2);
}

static void model_msg(void *ctx, const struct card_msg *msg)
{
	struct card_model *m = ctx;
	unsigned ch = msg->chan;
	uint8_t p[12] = { CARD_PROTO_VERSION, 1, CHANS, 0, TXBUF, 0, 32, 0, 1, 0, 0, 0 };

	switch (msg->type) {
	case CARD_MSG_GET_VERSION:
		model_send(m, CARD_MSG_VERSION, 0, p, sizeof(p));
		break;
	case CARD_MSG_CHAN_CONFIG:
		assert_true(ch < CHANS);
		m->flush_pending[ch] = true;	/* the engine applies it at the next frame */
		m->flush_point[ch] = m->received[ch];
		m->frame_len[ch] = 0;
		break;
	case CARD_MSG_CREDIT_POLL:
		assert_true(ch < CHANS);
		m->polls++;
		if (m->drop_credit_answers) {
			uint8_t junk[10] = { CARD_MSG_SYNC, 0x03, 0, (uint8_t)ch, 0, 2, 9, 9, 9, 9 };

			m->drop_credit_answers--;
			memcpy(m->out + m->out_len, junk, sizeof(junk));	/* bad CRC */
			m->out_len += sizeof(junk);
			break;
		}
		model_credit(m, ch);
		break;
	case CARD_MSG_TX_DATA:
		assert_true(ch < CHANS);
		m->received[ch] = (uint16_t)(m->received[ch] + msg->len);
		if ((uint16_t)(m->received[ch] - m->consumed[ch]) > TXBUF)
			m->overruns++;
		m->frame_len[ch] += msg->len;
		if (msg->flags & CARD_TX_EOF) {
			m->frames[ch]++;
			m->last_frame_len[ch] = m->frame_len[ch];
			m->frame_len[ch] = 0;
		}
		break;
	default:
		break;
	}
}

/* One 125 us frame of the card's engine: flushes, drain, spontaneous credits. */
static void model_frame(struct card_model *m)
{
	for (unsigned ch = 0; ch < CHANS; ch++) {
		uint16_t fill;

		if (m->flush_pending[ch]) {
			/* what was queued before the CHAN_CONFIG counts as consumed */
			m->flush_pending[ch] = false;
			if ((int16_t)(m->flush_point[ch] - m->consumed[ch]) > 0)
				m->consumed[ch] = m->flush_point[ch];
		}
		fill = (uint16_t)(m->received[ch] - m->consumed[ch]);
		m->consumed[ch] = (uint16_t)(m->consumed[ch] + (fill < DRAIN ? fill : DRAIN));
		if (m->consumed[ch] != m->reported[ch] && !m->quiet)
			model_credit(m, ch);
	}
}

struct rig {
	struct card_sim *tp;
	struct card *c;
	struct card_model m;
	unsigned versions;
};

static void on_version(void *ctx, const struct card_version *v)
{
	(void)v;
	((struct rig *)ctx)->versions++;
}

static const struct card_events events = { .version = on_version };

/* Host -> card, card's frame, card -> host. */
static void run_frames(struct rig *r, unsigned n)
{
	uint8_t buf[4096];
	size_t k;

	for (unsigned i = 0; i < n; i++) {
		while ((k = card_sim_pull(r->tp, buf, sizeof(buf))) > 0)
			card_parser_feed(&r->m.parser, buf, k, model_msg, &r->m);
		model_frame(&r->m);
		card_input(r->c, r->m.out, r->m.out_len);
		r->m.out_len = 0;
	}
}

/* A card that ran on: counts near the wrap, octets of an earlier host still queued. */
static void rig_init(struct rig *r, bool ran_before)
{
	memset(r, 0, sizeof(*r));
	card_parser_init(&r->m.parser);
	if (ran_before) {
		for (unsigned ch = 0; ch < CHANS; ch++) {
			r->m.received[ch] = (uint16_t)(30000 + 9000 * ch);	/* wraps for ch 4 */
			r->m.consumed[ch] = r->m.reported[ch] = (uint16_t)(r->m.received[ch] - 50);
		}
	}
	r->tp = card_sim_new();
	r->c = card_new(CHANS, TXBUF, &card_sim_ops, r->tp, &events, r);
	assert_non_null(r->c);
}

static void rig_fini(struct rig *r)
{
	card_free(r->c);
	card_sim_free(r->tp);
}

static const struct card_chan_cfg async_cfg = {
	.mode = CARD_MODE_ASYNC_HDLC, .rx_accm = 0, .tx_accm = 0xFFFFFFFF, .mru = 1500,
};

static void send_frames(struct rig *r, size_t len)
{
	uint8_t frame[1500];

	for (size_t i = 0; i < len; i++)
		frame[i] = (uint8_t)(i * 13);
	for (unsigned ch = 0; ch < CHANS; ch++) {
		assert_int_equal(card_chan_config(r->c, ch, &async_cfg), 0);
		assert_int_equal(card_send_frame(r->c, ch, frame, len, 0), 0);
	}
}

/* The bug card_resync fixes: the old counts look stale forever, the host's window
 * never reopens, the frame never completes. */
static void test_without_resync_stalls(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, true);
	send_frames(&r, 600);
	run_frames(&r, 400);
	for (unsigned ch = 0; ch < CHANS; ch++)
		assert_int_equal(r.m.frames[ch], 0);
	rig_fini(&r);
}

static void test_resync_then_data_flows(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, true);
	assert_int_equal(card_resync(r.c), 0);
	assert_true(card_resyncing(r.c));
	/* the owner may queue at once: held until the baseline is known */
	send_frames(&r, 600);
	assert_int_equal(r.m.frames[0], 0);
	run_frames(&r, 6);
	assert_false(card_resyncing(r.c));
	assert_int_equal(card_get_stats(r.c)->resyncs, 1);
	assert_int_equal(r.versions, 2);	/* the two barriers */
	run_frames(&r, 200);
	for (unsigned ch = 0; ch < CHANS; ch++) {
		assert_int_equal(r.m.frames[ch], 1);
		assert_int_equal(r.m.last_frame_len[ch], 600);
	}
	assert_int_equal(r.m.overruns, 0);
	/* and a second frame, after the window moved on */
	send_frames(&r, 300);
	run_frames(&r, 100);
	for (unsigned ch = 0; ch < CHANS; ch++)
		assert_int_equal(r.m.frames[ch], 2);
	assert_int_equal(r.m.overruns, 0);
	rig_fini(&r);
}

static void test_lost_poll_answer_asked_again(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, true);
	r.m.drop_credit_answers = 1;
	r.m.quiet = true;
	assert_int_equal(card_resync(r.c), 0);
	run_frames(&r, 2);
	assert_true(card_resyncing(r.c));	/* the barrier came, one answer did not */
	assert_int_equal(r.m.polls, CHANS);
	run_frames(&r, 1);
	assert_int_equal(r.m.polls, CHANS + 1);	/* that channel was polled again */
	assert_false(card_resyncing(r.c));
	assert_int_equal(card_get_stats(r.c)->parser.crc_errors, 1);
	r.m.quiet = false;
	send_frames(&r, 200);
	run_frames(&r, 100);
	for (unsigned ch = 0; ch < CHANS; ch++)
		assert_int_equal(r.m.frames[ch], 1);
	assert_int_equal(r.m.overruns, 0);
	rig_fini(&r);
}

static void test_fresh_card_unaffected(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, false);
	assert_int_equal(card_resync(r.c), 0);
	run_frames(&r, 6);
	assert_false(card_resyncing(r.c));
	send_frames(&r, 1000);
	run_frames(&r, 200);
	for (unsigned ch = 0; ch < CHANS; ch++)
		assert_int_equal(r.m.last_frame_len[ch], 1000);
	assert_int_equal(r.m.overruns, 0);
	rig_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_without_resync_stalls),
		cmocka_unit_test(test_resync_then_data_flows),
		cmocka_unit_test(test_lost_poll_answer_asked_again),
		cmocka_unit_test(test_fresh_card_unaffected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * scenario_frame.c - `dialback-sim --scenario first-frame`: the spine's end-to-end test
 *
 * The host's card layer sends frames on channel N through the sim transport and the
 * FT232H into the Verilated card, which stuffs them (async HDLC, FCS-16) into
 * timeslot N of span 0; the telco side decodes the T1 line, checks every frame's FCS
 * with the independent C codec (sim/hdlc_async.c) and loops the timeslot back; the
 * card decodes it and the host must get each frame back intact.  One frame is
 * corrupted on the way back: the host must see a bad-FCS end of frame and a counter,
 * never the frame.
 *
 * SPDX-License-Identifier: MIT
 */
#include "scenarios.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "card_sim.h"
#include "cosim.h"
#include "ds0_chars.h"
#include "hdlc_async.h"

#define TEST_CHAN	5		/* span 0, timeslot 6 */
#define NFRAMES		12u

struct frame_test {
	struct cosim cs;
	struct card *card;
	bool     have_version;
	struct card_version version;
	struct card_span_status span0;
	bool     have_span0;
	/* what we sent, in order */
	uint8_t  sent[NFRAMES][300];
	size_t   sent_len[NFRAMES];
	unsigned nsent;
	/* what came back to the host */
	unsigned rx_ok, rx_bad, rx_mismatch, rx_other;
	unsigned rx_status[8];		/* bad ends by card_rx_status */
	uint64_t crc_errors_at_up;	/* telco's CRC-6 count when the span came up */
	/* telco-side reference decoder of the card's line output */
	struct ds0_rx ref_ds0;		/* the line's character stream ... */
	struct hdlc_async_decoder ref;	/* ... and RFC 1662 on its characters */
	unsigned ref_ok, ref_bad, ref_mismatch;
	/* corrupt one octet of frame `corrupt_frame` on the way back */
	int      corrupt_frame;
	unsigned frames_on_line;	/* frame starts seen on the looped timeslot */
	bool     in_frame, corrupted;
	uint8_t  prev_octet;
};

static void on_rx_frame(void *ctx, unsigned chan, const uint8_t *d, size_t len,
			enum card_rx_status st)
{
	struct frame_test *t = ctx;
	unsigned idx = t->rx_ok + t->rx_bad;

	if (chan != TEST_CHAN) {
		t->rx_other++;
		return;
	}
	if (st != CARD_RX_OK) {
		t->rx_bad++;
		t->rx_status[st & 7]++;
		return;
	}
	if (idx >= t->nsent || len != t->sent_len[idx] || memcmp(d, t->sent[idx], len) != 0)
		t->rx_mismatch++;
	t->rx_ok++;
}

static void on_version(void *ctx, const struct card_version *v)
{
	struct frame_test *t = ctx;

	t->version = *v;
	t->have_version = true;
}

static void on_span(void *ctx, unsigned span, const struct card_span_status *st)
{
	struct frame_test *t = ctx;

	if (span == 0) {
		t->span0 = *st;
		t->have_span0 = true;
	}
}

static const struct card_events events = {
	.rx_frame = on_rx_frame, .version = on_version, .span_status = on_span,
};

static void on_ref_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t len)
{
	struct frame_test *t = ctx;
	unsigned idx = t->ref_ok;

	if (ev != HDLC_FRAME_OK) {
		t->ref_bad++;
		return;
	}
	if (idx >= t->nsent || len != t->sent_len[idx] || memcmp(d, t->sent[idx], len) != 0)
		t->ref_mismatch++;
	t->ref_ok++;
}

/* The telco: check the test channel's octets, loop every timeslot back. */
static void telco_frame(void *ctx, unsigned span, const uint8_t *from_nas, uint8_t *to_nas)
{
	struct frame_test *t = ctx;

	memcpy(to_nas, from_nas, T1_TIMESLOTS);
	if (span != 0)
		return;
	{
		uint8_t o = from_nas[TEST_CHAN], ch;

		if (ds0_rx_octet(&t->ref_ds0, o, &ch))
			hdlc_async_decode(&t->ref, &ch, 1);
		/* count frame starts: a non-flag octet after a flag */
		if (o != 0x7E && t->prev_octet == 0x7E)
			t->frames_on_line++;
		/* flip a bit of a plain data octet (not a flag, idle or escape) */
		if ((int)t->frames_on_line - 1 == t->corrupt_frame && !t->corrupted &&
		    o != 0x7E && o != 0x7D && o != 0xFF && t->prev_octet != 0x7D) {
			uint8_t bad = o ^ 0x01;

			if (bad != 0x7E && bad != 0x7D && bad != 0xFF) {
				to_nas[TEST_CHAN] = bad;
				t->corrupted = true;
			}
		}
		t->prev_octet = o;
	}
}

static bool got_version(void *ctx) { return ((struct frame_test *)ctx)->have_version; }
static bool span_up(void *ctx)
{
	struct frame_test *t = ctx;

	return t->have_span0 && t->span0.in_frame && !(t->span0.alarms & (CARD_ALARM_LOF | CARD_ALARM_LOS));
}
static bool all_back(void *ctx)
{
	struct frame_test *t = ctx;

	return t->rx_ok + t->rx_bad >= t->nsent;
}

int scenario_first_frame(const struct sim_options *opt)
{
	struct frame_test *t = calloc(1, sizeof(*t));
	struct card_sim *transport = card_sim_new();
	struct ev_loop *loop = ev_loop_new_manual(0);
	int fails = 0;

	ds0_rx_init(&t->ref_ds0);
	hdlc_async_decoder_init(&t->ref, 0, false, on_ref_frame, t);
	t->corrupt_frame = NFRAMES - 3;
	if (cosim_init(&t->cs, opt->spans, opt->argc, opt->argv, opt->wave, T1_ESF, T1_B8ZS) < 0) {
		fprintf(stderr, "first-frame: cannot start the card model\n");
		return 2;
	}
	t->cs.frame_fn = telco_frame;
	t->cs.frame_ctx = t;
	t->card = card_new(t->cs.spans * CARD_CHANS_PER_SPAN, 1, &card_sim_ops, transport, &events, t);
	t->cs.loop = loop;
	t->cs.transport = transport;
	t->cs.host_card = t->card;

	card_get_version(t->card);
	if (!cosim_run_while_not(&t->cs, got_version, t, 5 * EV_MSEC)) {
		printf("first-frame: FAIL no VERSION from the card\n");
		fails++;
		goto out;
	}
	printf("first-frame: card protocol %u, %u spans, %u channels, tx buffer %u\n",
	       t->version.proto_version, t->version.spans, t->version.channels,
	       t->version.tx_buffer);
	card_set_tx_buffer(t->card, t->version.tx_buffer);

	struct card_span_config sc = { CARD_FRAMING_ESF, CARD_LINECODE_B8ZS, CARD_CLK_LINE_PRIMARY,
				       CARD_SPAN_ENABLE };
	card_span_config(t->card, 0, &sc);
	struct card_chan_cfg cc = { .mode = CARD_MODE_ASYNC_HDLC, .rx_accm = 0, .tx_accm = 0xFFFFFFFF,
				    .mru = 1500 };
	card_chan_config(t->card, TEST_CHAN, &cc);
	/* let both framers align, then ask for span 0's state */
	cosim_run_until(&t->cs, cosim_now(&t->cs) + 30 * EV_MSEC);
	card_span_query(t->card, 0);
	/* the framer tries one F-bit position at a time (docs/rtl-line.md): from an unlucky
	 * start on an idle line that takes up to ~300 ms, so wait that long, not by luck */
	if (!cosim_run_while_not(&t->cs, span_up, t, cosim_now(&t->cs) + 400 * EV_MSEC)) {
		printf("first-frame: FAIL span 0 not in frame (alarms 0x%x)\n", t->span0.alarms);
		fails++;
	}
	/* the card's first superframes carry the CRC of nothing: count from here on */
	t->crc_errors_at_up = t->cs.span[0].dec.crc_errors;

	/* frames: the seed's LCP Configure-Request, every byte value, random lengths */
	{
		static const uint8_t lcp[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x03, 0x00, 0x17, 0x02,
					       0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06, 0x00, 0x4A,
					       0x4A, 0x09, 0x07, 0x02, 0x08, 0x02, 0x0D, 0x03, 0x06 };
		uint32_t rnd = (uint32_t)opt->seed * 2654435761u + 1;

		memcpy(t->sent[0], lcp, sizeof(lcp));
		t->sent_len[0] = sizeof(lcp);
		for (unsigned i = 0; i < 256; i++)
			t->sent[1][i] = (uint8_t)i;
		t->sent_len[1] = 256;
		for (unsigned f = 2; f < NFRAMES; f++) {
			rnd = rnd * 1103515245u + 12345u;
			t->sent_len[f] = 4 + (rnd >> 16) % 290;
			for (size_t i = 0; i < t->sent_len[f]; i++) {
				rnd = rnd * 1103515245u + 12345u;
				t->sent[f][i] = (uint8_t)(rnd >> 16);
			}
		}
		t->nsent = NFRAMES;
		for (unsigned f = 0; f < NFRAMES; f++)
			card_send_frame(t->card, TEST_CHAN, t->sent[f], t->sent_len[f],
					f == 0 ? CARD_TX_FULL_ACCM : 0);
	}
	cosim_run_while_not(&t->cs, all_back, t, cosim_now(&t->cs) + 2 * EV_SEC);

	const struct card_chan_stats *st = card_get_chan_stats(t->card, TEST_CHAN);
	printf("first-frame: line reference decoder: %u good FCS, %u bad, %u mismatched\n",
	       t->ref_ok, t->ref_bad, t->ref_mismatch);
	printf("first-frame: host received %u good, %u bad (bad-FCS counter %llu), %u mismatched,"
	       " %u on other channels\n", t->rx_ok, t->rx_bad,
	       (unsigned long long)st->rx_bad_fcs, t->rx_mismatch, t->rx_other);
	printf("first-frame: bad ends by status: fcs %u, abort %u, overrun %u, too long %u, runt %u\n",
	       t->rx_status[CARD_RX_BAD_FCS], t->rx_status[CARD_RX_ABORT],
	       t->rx_status[CARD_RX_OVERRUN], t->rx_status[CARD_RX_TOO_LONG],
	       t->rx_status[CARD_RX_RUNT]);
	printf("first-frame: T1 span 0 at the telco: %llu frames, %llu CRC-6 errors after the span"
	       " was up, %llu BPVs\n", (unsigned long long)t->cs.span[0].dec.frames,
	       (unsigned long long)(t->cs.span[0].dec.crc_errors - t->crc_errors_at_up),
	       (unsigned long long)t->cs.span[0].dec.bpv);
	if (t->ref_ok != NFRAMES || t->ref_bad || t->ref_mismatch) {
		printf("first-frame: FAIL the card's line output is not %u good frames\n", NFRAMES);
		fails++;
	}
	if (!t->corrupted || t->rx_bad != 1 || st->rx_bad_fcs != 1) {
		printf("first-frame: FAIL the corrupted frame was not reported as bad FCS\n");
		fails++;
	}
	if (t->rx_ok != NFRAMES - 1 || t->rx_mismatch || t->rx_other) {
		printf("first-frame: FAIL the host did not get its frames back intact\n");
		fails++;
	}
	if (t->cs.span[0].dec.crc_errors != t->crc_errors_at_up || t->cs.span[0].dec.bpv) {
		printf("first-frame: FAIL line errors on the card's T1 output\n");
		fails++;
	}
out:
	printf("first-frame: %s (%llu cycles, %.3f s simulated)\n", fails ? "FAIL" : "PASS",
	       (unsigned long long)t->cs.cycle, (double)cosim_now(&t->cs) / 1e9);
	card_free(t->card);
	card_sim_free(transport);
	ev_loop_free(loop);
	cosim_fini(&t->cs);
	free(t);
	return fails ? 1 : 0;
}

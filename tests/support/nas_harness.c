/*
 * nas_harness.c - the NAS on an ideal card with the telco and subscriber PCs, for
 * unit tests (see nas_harness.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "nas_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

#define DCHAN		(NAS_DCHAN_TS - 1u)
#define STEP		(5 * EV_MSEC)

/* --- card -> host ---------------------------------------------------------------------- */

static void to_host(struct nh *h, uint8_t type, uint16_t chan, const void *pl, size_t len)
{
	uint8_t msg[CARD_MSG_MAX_LEN];
	size_t n = card_msg_encode(msg, type, 0, chan, pl, (uint8_t)len);

	if (h->nas->card)
		card_input(h->nas->card, msg, n);
}

static void frame_to_host(struct nh *h, unsigned chan, const uint8_t *f, size_t len,
			  uint8_t status)
{
	uint8_t eof[3];

	for (size_t off = 0; off < len;) {
		size_t k = len - off > 64 ? 64 : len - off;

		to_host(h, CARD_MSG_RX_DATA, (uint16_t)chan, f + off, k);
		off += k;
	}
	eof[0] = status;
	card_put16(eof + 1, (uint16_t)len);
	to_host(h, CARD_MSG_RX_EOF, (uint16_t)chan, eof, sizeof(eof));
}

static void credit(struct nh *h, unsigned chan)
{
	uint8_t pl[2];

	card_put16(pl, h->chan[chan].consumed);
	to_host(h, CARD_MSG_TX_CREDIT, (uint16_t)chan, pl, sizeof(pl));
}

/* --- host -> card ---------------------------------------------------------------------- */

static struct nh_pc *pc_on_chan(struct nh *h, unsigned chan)
{
	for (unsigned i = 0; i < h->npc; i++)
		if (h->pcs[i].chan == (int)chan)
			return &h->pcs[i];
	return NULL;
}

/* Octets the card puts on a B-channel reach the subscriber's modem. */
static void to_line(struct nh *h, unsigned chan, const uint8_t *d, size_t n)
{
	struct nh_pc *pc = pc_on_chan(h, chan);

	if (pc && pc->raw) {
		for (size_t i = 0; i < n && pc->rxlen + 1 < sizeof(pc->rx); i++)
			pc->rx[pc->rxlen++] = d[i] ? (char)d[i] : '?';
		pc->rx[pc->rxlen] = '\0';
	} else if (pc) {
		sub_modem_from_line(sub_pc_modem(&pc->pc), d, n);
	}
}

static void tx_data(struct nh *h, const struct card_msg *m)
{
	struct nh_chan *c;

	if (m->chan >= NH_CHANS)
		return;
	c = &h->chan[m->chan];
	c->consumed = (uint16_t)(c->consumed + m->len);
	if (c->mode == CARD_MODE_RAW) {
		to_line(h, m->chan, m->payload, m->len);
	} else if (c->mode == CARD_MODE_ASYNC_HDLC || c->mode == CARD_MODE_SYNC_HDLC) {
		if (c->txlen == 0)
			c->tx_full_accm = (m->flags & CARD_TX_FULL_ACCM) != 0;
		if (m->flags & CARD_TX_ABORT) {
			c->txlen = 0;
		} else {
			if (c->txlen + m->len <= sizeof(c->tx)) {
				memcpy(c->tx + c->txlen, m->payload, m->len);
				c->txlen += m->len;
			}
			if (m->flags & CARD_TX_EOF) {
				if (m->chan == DCHAN) {
					if (h->tspan && !h->los)
						telco_span_input(h->tspan, c->tx, c->txlen);
				} else if (c->mode == CARD_MODE_ASYNC_HDLC) {
					uint8_t out[2 * sizeof(c->tx) + 16];
					size_t n = hdlc_async_encode(out, c->tx, c->txlen,
								     c->tx_full_accm ? 0xFFFFFFFFu
										     : c->tx_accm,
								     c->fcs32);

					to_line(h, m->chan, out, n);
				}
				c->txlen = 0;
			}
		}
	}
	credit(h, m->chan);
}

static void card_side(void *ctx, const struct card_msg *m)
{
	struct nh *h = ctx;

	switch (m->type) {
	case CARD_MSG_GET_VERSION: {
		uint8_t v[12] = { CARD_PROTO_VERSION, 1 };

		card_put16(v + 2, NH_CHANS);
		card_put16(v + 4, 2048);
		card_put16(v + 6, 64);
		card_put32(v + 8, 0x1234);
		to_host(h, CARD_MSG_VERSION, 0, v, sizeof(v));
		break;
	}
	case CARD_MSG_SPAN_QUERY: {
		uint8_t st[26] = { 0 };

		st[0] = h->los ? CARD_ALARM_LOS : 0;
		st[1] = h->los ? 0 : 1;
		to_host(h, CARD_MSG_SPAN_STATUS, m->chan, st, sizeof(st));
		break;
	}
	case CARD_MSG_CHAN_CONFIG:
		if (m->chan < NH_CHANS && m->len >= 12) {
			struct nh_chan *c = &h->chan[m->chan];
			bool update = (m->payload[1] & CARD_OPT_UPDATE) != 0;

			c->rx_accm = card_get32(m->payload + 2);
			c->tx_accm = card_get32(m->payload + 6);
			c->fcs32 = (m->payload[1] & CARD_OPT_FCS32) != 0;
			c->dec.accm = c->rx_accm;
			if (!update) {
				c->mode = m->payload[0];
				c->consumed = (uint16_t)(c->consumed + c->txlen);
				c->txlen = 0;
				hdlc_async_decoder_init(&c->dec, c->rx_accm, c->fcs32, NULL, NULL);
			}
		}
		break;
	case CARD_MSG_TX_DATA:
		tx_data(h, m);
		break;
	case CARD_MSG_CREDIT_POLL:
		if (m->chan < NH_CHANS)
			credit(h, m->chan);
		break;
	case CARD_MSG_ECHO:
		to_host(h, CARD_MSG_ECHO_REPLY, m->chan, m->payload, m->len);
		break;
	default:
		break;
	}
}

/* --- the parts' octets ------------------------------------------------------------------ */

static int telco_dchan_tx(void *ctx, const uint8_t *f, size_t n)
{
	struct nh *h = ctx;

	if (h->dqlen + 2 + n > sizeof(h->dq))
		return -1;
	h->dq[h->dqlen] = (uint8_t)(n >> 8);
	h->dq[h->dqlen + 1] = (uint8_t)n;
	memcpy(h->dq + h->dqlen + 2, f, n);
	h->dqlen += 2 + n;
	return 0;
}

static unsigned decoding_chan;
static struct nh *decoding_h;

static void b_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t n)
{
	(void)ctx;
	frame_to_host(decoding_h, decoding_chan, d, n,
		      ev == HDLC_FRAME_OK ? CARD_RX_OK :
		      ev == HDLC_FRAME_BAD_FCS ? CARD_RX_BAD_FCS :
		      ev == HDLC_FRAME_ABORT ? CARD_RX_ABORT :
		      ev == HDLC_FRAME_TOO_LONG ? CARD_RX_TOO_LONG : CARD_RX_RUNT);
}

/* Octets from a subscriber's modem reach its card channel. */
static void from_line(struct nh *h, unsigned chan, const uint8_t *d, size_t n)
{
	struct nh_chan *c = &h->chan[chan];

	if (c->mode == CARD_MODE_RAW) {
		for (size_t off = 0; off < n;) {
			size_t k = n - off > 64 ? 64 : n - off;

			to_host(h, CARD_MSG_RX_DATA, (uint16_t)chan, d + off, k);
			off += k;
		}
	} else if (c->mode == CARD_MODE_ASYNC_HDLC) {
		decoding_chan = chan;
		decoding_h = h;
		c->dec.frame = b_frame;
		hdlc_async_decode(&c->dec, d, n);
	}
}

static bool pump(struct nh *h)
{
	uint8_t buf[4096];
	size_t n;
	bool moved = false;

	while ((n = card_sim_pull(h->tp, buf, sizeof(buf))) > 0) {
		card_parser_feed(&h->parser, buf, n, card_side, h);
		moved = true;
	}
	if (h->dqlen) {
		uint8_t q[NH_QMAX];
		size_t len = h->dqlen;

		memcpy(q, h->dq, len);
		h->dqlen = 0;
		for (size_t off = 0; off + 2 <= len;) {
			size_t fl = (size_t)q[off] << 8 | q[off + 1];

			if (!h->los)
				frame_to_host(h, DCHAN, q + off + 2, fl, CARD_RX_OK);
			off += 2 + fl;
		}
		moved = true;
	}
	for (unsigned i = 0; i < h->npc; i++) {
		struct nh_pc *pc = &h->pcs[i];

		if (pc->qlen) {
			uint8_t q[NH_QMAX];
			size_t len = pc->qlen;

			memcpy(q, pc->q, len);
			pc->qlen = 0;
			if (pc->chan >= 0)
				from_line(h, (unsigned)pc->chan, q, len);
			moved = true;
		}
	}
	return moved;
}

static void settle(struct nh *h)
{
	for (unsigned i = 0; i < 1000 && pump(h); i++)
		;
}

void nh_run_until(struct nh *h, ev_time_t t)
{
	ev_time_t now = ev_now(h->loop);

	settle(h);
	while (now < t) {
		now = now + STEP > t ? t : now + STEP;
		ev_loop_step(h->loop, now);
		settle(h);
	}
}

void nh_run_for(struct nh *h, ev_time_t dt)
{
	nh_run_until(h, ev_now(h->loop) + dt);
}

bool nh_run_while_not(struct nh *h, bool (*pred)(struct nh *h, void *arg), void *arg,
		      ev_time_t t)
{
	settle(h);
	while (!pred(h, arg) && ev_now(h->loop) < t) {
		ev_time_t now = ev_now(h->loop) + STEP;

		ev_loop_step(h->loop, now > t ? t : now);
		settle(h);
	}
	return pred(h, arg);
}

void nh_set_los(struct nh *h, bool los)
{
	uint8_t st[26] = { 0 };

	h->los = los;
	st[0] = los ? CARD_ALARM_LOS : 0;
	st[1] = los ? 0 : 1;
	to_host(h, CARD_MSG_SPAN_STATUS, 0, st, sizeof(st));
	telco_span_set_alarm(h->tspan, los ? TELCO_ALARM_LOS : 0);
}

/* --- subscriber PCs ---------------------------------------------------------------------- */

static int pc_dial(void *ctx, const char *digits) { return telco_dial(((struct nh_pc *)ctx)->sub, digits); }
static int pc_answer(void *ctx) { return telco_answer(((struct nh_pc *)ctx)->sub); }
static int pc_hangup(void *ctx) { return telco_hangup(((struct nh_pc *)ctx)->sub); }

static void pc_to_line(void *ctx, const uint8_t *d, size_t n)
{
	struct nh_pc *pc = ctx;

	if (pc->qlen + n <= sizeof(pc->q)) {
		memcpy(pc->q + pc->qlen, d, n);
		pc->qlen += n;
	}
}

static const struct sub_pc_line_ops pc_line_ops = {
	.dial = pc_dial, .answer = pc_answer, .hangup = pc_hangup, .to_line = pc_to_line,
};

static void pc_state(void *ctx, enum sub_pc_state st)
{
	struct nh_pc *pc = ctx;

	if (st == SUB_PC_WAIT_CALLBACK && pc->callback_user) {
		pc->pc.ppp.cfg.user = pc->callback_user;
		pc->pc.ppp.cfg.secret = pc->callback_secret;
		pc->pc.cfg.ppp.user = pc->callback_user;
		pc->pc.cfg.ppp.secret = pc->callback_secret;
	}
	if (st == SUB_PC_CALLBACK_PPP)
		pc->called_back = true;
}

static void pc_ring(void *ctx, struct telco_sub *sub, const char *caller)
{
	(void)sub;
	(void)caller;
	sub_modem_ring(sub_pc_modem(&((struct nh_pc *)ctx)->pc));
}

static void pc_alerting(void *ctx, struct telco_sub *sub)
{
	(void)sub;
	if (!((struct nh_pc *)ctx)->raw)
		sub_modem_alerting(sub_pc_modem(&((struct nh_pc *)ctx)->pc));
}

static void pc_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan)
{
	struct nh_pc *pc = ctx;

	(void)sub;
	pc->chan = (int)(span * CARD_CHANS_PER_SPAN + bchan - 1);
	pc->qlen = 0;
	if (!pc->raw)
		sub_modem_connected(sub_pc_modem(&pc->pc));
}

static void pc_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	struct nh_pc *pc = ctx;

	(void)sub;
	pc->chan = -1;
	pc->qlen = 0;
	if (!pc->raw)
		sub_modem_cleared(sub_pc_modem(&pc->pc), cause);
}

static const struct telco_sub_ops pc_telco_ops = {
	.ring = pc_ring, .alerting = pc_alerting, .connected = pc_connected, .cleared = pc_cleared,
};

struct nh_pc *nh_add_pc(struct nh *h, const char *number)
{
	struct nh_pc *pc;
	struct sub_pc_config cfg;
	struct telco_sub_config tcfg;

	if (h->npc >= NH_MAX_PCS)
		return NULL;
	pc = &h->pcs[h->npc];
	memset(pc, 0, sizeof(*pc));
	pc->h = h;
	pc->chan = -1;
	snprintf(pc->number, sizeof(pc->number), "%s", number);
	sub_pc_config_default(&cfg, SUB_PPP_WINNT_ASK);
	cfg.dial_number = NH_NAS_NUMBER;
	cfg.ppp.magic_seed = 1000 + h->npc;
	sub_pc_init(&pc->pc, h->loop, &cfg, &pc_line_ops, pc);
	pc->pc.on_state = pc_state;
	pc->pc.on_state_ctx = pc;
	telco_sub_config_default(&tcfg, pc->number);
	pc->sub = telco_add_sub(h->telco, &tcfg, &pc_telco_ops, pc);
	h->npc++;
	return pc;
}

int nh_dial_raw(struct nh *h, struct nh_pc *pc)
{
	(void)h;
	pc->raw = true;
	pc->rxlen = 0;
	pc->rx[0] = '\0';
	return telco_dial(pc->sub, NH_NAS_NUMBER);
}

void nh_type(struct nh_pc *pc, const char *text)
{
	pc_to_line(pc, (const uint8_t *)text, strlen(text));
}

/* --- life cycle ------------------------------------------------------------------------------ */

static void fixed_random(void *ctx, void *buf, size_t len)
{
	uint64_t *s = ctx;
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		p[i] = (uint8_t)(*s >> 32);
	}
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static bool dchan_up(struct nh *h, void *arg)
{
	(void)arg;
	return telco_span_link_up(h->tspan);
}

struct nh *nh_new(const char *config_text, const struct nas_tuning *tune)
{
	struct nh *h = calloc(1, sizeof(*h));
	struct nas_config *cfg = NULL;

	if (!h)
		return NULL;
	if (config_parse(config_text, strlen(config_text), "test.cfg", &cfg, stderr) < 0) {
		free(h);
		return NULL;
	}
	h->loop = ev_loop_new_manual(0);
	log_set_clock(h->loop, (time_t)730944000, false);
	log_capture_start(&h->log, NH_LOG_MAX);
	h->tp = card_sim_new();
	card_parser_init(&h->parser);
	for (unsigned i = 0; i < NH_CHANS; i++)
		hdlc_async_decoder_init(&h->chan[i].dec, 0xFFFFFFFFu, false, NULL, NULL);
	h->nas = nas_new(h->loop, cfg, tune);
	h->ctl = ctl_new();
	if (!h->nas || !h->ctl) {
		nh_free(h);
		return NULL;
	}
	rng_state = 0x9E3779B97F4A7C15ull;
	h->nas->random = fixed_random;
	h->nas->random_ctx = &rng_state;
	ctl_register_debug(h->ctl);
	nas_register_commands(h->nas, h->ctl);
	h->telco = telco_new(h->loop, NULL);
	h->tspan = telco_add_span(h->telco, NH_NAS_NUMBER, telco_dchan_tx, h);
	nas_attach_card(h->nas, &card_sim_ops, h->tp);
	nh_run_while_not(h, dchan_up, NULL, 10 * EV_SEC);
	return h;
}

void nh_free(struct nh *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < h->npc; i++)
		sub_pc_fini(&h->pcs[i].pc);
	ctl_free(h->ctl);
	nas_free(h->nas);
	if (h->telco)
		telco_free(h->telco);
	card_sim_free(h->tp);
	log_capture_stop(&h->log);
	log_reset();
	ev_loop_free(h->loop);
	free(h);
}

char *nh_cmd(struct nh *h, const char *cmd, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int r = ctl_execute(h->ctl, cmd, out);

	fclose(out);
	if (rc)
		*rc = r;
	return buf;
}

int nh_log_find(const struct nh *h, unsigned from, const char *s)
{
	return log_capture_find(&h->log, from, s);
}

void nh_log_dump(const struct nh *h, unsigned from)
{
	log_capture_dump(&h->log, from, "  | ");
}

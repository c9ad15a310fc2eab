/*
 * test_isdn_ppp.c - digital (64k unrestricted) ISDN calls end to end in the NAS:
 * the real NAS (host/nas.c, isdn_ppp.c, CSM, Q.931, LAPD) on a scripted card
 * (tests/support/card_stub.c), the telco's network side (sim/telco.c) on the
 * D-channel through an in-memory pipe, and a scripted PPP peer on the B-channel's
 * sync-HDLC channel: LCP without ACCM, CHAP, IPCP, MCB callback as an outgoing
 * digital call, clearing from either side, refusals with their causes, link loss,
 * `show isdn active` and `show users`.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "card_stub.h"
#include "config.h"
#include "ctl.h"
#include "dchan_pipe.h"
#include "line.h"
#include "log.h"
#include "nas.h"
#include "ppp_harness.h"
#include "telco.h"
#include "log_capture.h"

#define DCHAN		23u		/* card channel of span 0's timeslot 24 */
#define MAXLOG		1500
#define NAS_NUMBER	"4084327528"
#define PEER_NUMBER	"5551000"

static const char base_config[] =
	"hostname isdn2-2\n"
	"aaa new-model\n"
	"aaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"username callmeback callback-dialstring \"\" password 0 cisco\n"
	"username plain password 0 secret\n"
	"isdn switch-type primary-5ess\n"
	"controller T1 0\n"
	" framing esf\n"
	" clock source line secondary\n"
	" linecode b8zs\n"
	" pri-group timeslots 1-24\n"
	"interface Ethernet0\n"
	" ip address 172.16.25.52 255.255.255.240\n"
	"interface Serial0:23\n"
	" ip unnumbered Ethernet0\n"
	"%s"
	" dialer-group 1\n"
	" isdn incoming-voice modem\n"
	" peer default ip address pool default\n"
	" ppp callback accept\n"
	" ppp authentication chap\n"
	"ip local pool default 172.16.25.59 172.16.25.62\n"
	"line 1 6\n"
	" modem InOut\n"
	"end\n";

/* The scripted PPP peer (a router or an ISDN terminal adapter on the far end). */
struct peer {
	int chan;			/* card channel of its call, -1 none */
	const char *user, *secret;
	const char *cb_number;		/* offer MS callback with this number */
	uint8_t id;
	bool sent_confreq, lcp_acked, lcp_open_seen;
	bool nas_asked_accm;		/* an ACCM option in the NAS's CONFREQ */
	unsigned nas_confreqs;
	bool chap_ok, chap_failed;
	bool mcb_acked, sent_termreq, got_termack, got_termreq;
	bool ipcp_sent, ipcp_open;
	uint32_t addr;
	unsigned frames;
	bool had_full_accm_flag;
};

struct subrec {
	unsigned connected, cleared, ring;
	unsigned bchan;
	uint8_t cause;
};

struct fix {
	struct ev_loop *loop;
	struct nas *nas;
	struct ctl *ctl;
	struct card_stub card;
	struct dpipe pipe;
	struct telco *t;
	struct telco_span *ts;
	struct telco_sub *sub;
	struct subrec rec;
	struct peer peer;
	struct log_capture log;
};

/* ---- the peer ------------------------------------------------------------------------ */

static void peer_send(struct fix *f, uint16_t proto, const uint8_t *pkt, size_t n)
{
	uint8_t fr[1600];

	fr[0] = 0xFF;
	fr[1] = 0x03;
	fr[2] = (uint8_t)(proto >> 8);
	fr[3] = (uint8_t)proto;
	memcpy(fr + 4, pkt, n);
	assert_true(f->peer.chan >= 0);
	card_stub_rx_frame(&f->card, (unsigned)f->peer.chan, fr, n + 4, CARD_RX_OK);
}

static void peer_ctl(struct fix *f, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *opts,
		     size_t olen)
{
	uint8_t pkt[256];

	pkt[0] = code;
	pkt[1] = id;
	pkt[2] = (uint8_t)((olen + 4) >> 8);
	pkt[3] = (uint8_t)(olen + 4);
	if (olen)
		memcpy(pkt + 4, opts, olen);
	peer_send(f, proto, pkt, olen + 4);
}

static void peer_lcp_confreq(struct fix *f)
{
	uint8_t o[16] = { 0x05, 0x06, 0x12, 0x34, 0x56, 0x78 };
	size_t n = 6;

	if (f->peer.cb_number) {
		o[n++] = 0x0D;	/* Callback, operation 6: Microsoft CBCP */
		o[n++] = 0x03;
		o[n++] = 0x06;
	}
	f->peer.sent_confreq = true;
	peer_ctl(f, 0xC021, 1, ++f->peer.id, o, n);
}

static void peer_ipcp_confreq(struct fix *f)
{
	uint8_t o[6] = { 0x03, 0x06 };

	o[2] = (uint8_t)(f->peer.addr >> 24);
	o[3] = (uint8_t)(f->peer.addr >> 16);
	o[4] = (uint8_t)(f->peer.addr >> 8);
	o[5] = (uint8_t)f->peer.addr;
	f->peer.ipcp_sent = true;
	peer_ctl(f, 0x8021, 1, ++f->peer.id, o, sizeof(o));
}

static void peer_lcp(struct fix *f, const uint8_t *p, size_t n)
{
	struct peer *pe = &f->peer;
	size_t len;

	if (n < 4)
		return;
	len = (size_t)(p[2] << 8 | p[3]);
	if (len > n || len < 4)
		return;
	switch (p[0]) {
	case 1:		/* CONFREQ: ack everything, note an ACCM */
		pe->nas_confreqs++;
		for (size_t i = 4; i + 2 <= len && p[i + 1] >= 2; i += p[i + 1])
			if (p[i] == 2)
				pe->nas_asked_accm = true;
		peer_ctl(f, 0xC021, 2, p[1], p + 4, len - 4);
		if (!pe->sent_confreq)
			peer_lcp_confreq(f);
		break;
	case 2:
		pe->lcp_acked = true;
		break;
	case 5:		/* TERMREQ */
		pe->got_termreq = true;
		peer_ctl(f, 0xC021, 6, p[1], NULL, 0);
		break;
	case 6:
		pe->got_termack = true;
		break;
	case 9: {	/* echo request: reply with our magic */
		uint8_t m[4] = { 0x12, 0x34, 0x56, 0x78 };

		peer_ctl(f, 0xC021, 10, p[1], m, 4);
		break;
	}
	default:
		break;
	}
}

static void peer_chap(struct fix *f, const uint8_t *p, size_t n)
{
	uint8_t out[300];
	size_t k;

	if (n < 4)
		return;
	switch (p[0]) {
	case 1:
		k = ph_chap_response(p, n, f->peer.user, f->peer.secret, out);
		peer_send(f, 0xC223, out, k);
		break;
	case 3:
		f->peer.chap_ok = true;
		break;
	case 4:
		f->peer.chap_failed = true;
		break;
	default:
		break;
	}
}

static void peer_mcb(struct fix *f, const uint8_t *p, size_t n)
{
	uint8_t o[64];
	size_t k = 0, nl;

	if (n < 4 || !f->peer.cb_number)
		return;
	if (p[0] == 1) {	/* Request: callback to the number we give, delay 15 */
		nl = strlen(f->peer.cb_number);
		o[k++] = 2;
		o[k++] = (uint8_t)(4 + nl + 1);
		o[k++] = 15;
		o[k++] = 1;
		memcpy(o + k, f->peer.cb_number, nl + 1);
		k += nl + 1;
		peer_ctl(f, 0xC029, 2, p[1], o, k);
	} else if (p[0] == 3) {	/* Ack: hang up and wait for the call */
		f->peer.mcb_acked = true;
		f->peer.sent_termreq = true;
		peer_ctl(f, 0xC021, 5, ++f->peer.id, NULL, 0);
	}
}

static void peer_ipcp(struct fix *f, const uint8_t *p, size_t n)
{
	struct peer *pe = &f->peer;
	size_t len;

	if (n < 4)
		return;
	len = (size_t)(p[2] << 8 | p[3]);
	if (len > n || len < 4)
		return;
	switch (p[0]) {
	case 1:
		peer_ctl(f, 0x8021, 2, p[1], p + 4, len - 4);
		if (!pe->ipcp_sent)
			peer_ipcp_confreq(f);
		break;
	case 2:
		pe->ipcp_open = true;
		break;
	case 3:		/* NAK: take the address offered */
		if (len >= 10 && p[4] == 3 && p[5] == 6) {
			pe->addr = (uint32_t)p[6] << 24 | (uint32_t)p[7] << 16 |
				   (uint32_t)p[8] << 8 | p[9];
			peer_ipcp_confreq(f);
		}
		break;
	default:
		break;
	}
}

/* A frame the NAS sent on a B-channel (no FCS, no flags: sync HDLC on the card). */
static void card_frame(void *ctx, unsigned chan, const uint8_t *fr, size_t n, unsigned flags)
{
	struct fix *f = ctx;
	uint16_t proto;
	size_t off = 0;

	if (chan == DCHAN) {
		dpipe_send_user(&f->pipe, fr, n);
		return;
	}
	if ((int)chan != f->peer.chan)
		return;
	f->peer.frames++;
	if (flags & CARD_TX_FULL_ACCM)
		f->peer.had_full_accm_flag = true;
	if (n >= 2 && fr[0] == 0xFF && fr[1] == 0x03)
		off = 2;
	if (off >= n)
		return;
	if (fr[off] & 1) {
		proto = fr[off];
		off += 1;
	} else {
		if (off + 2 > n)
			return;
		proto = (uint16_t)(fr[off] << 8 | fr[off + 1]);
		off += 2;
	}
	switch (proto) {
	case 0xC021: peer_lcp(f, fr + off, n - off); break;
	case 0xC223: peer_chap(f, fr + off, n - off); break;
	case 0xC029: peer_mcb(f, fr + off, n - off); break;
	case 0x8021: peer_ipcp(f, fr + off, n - off); break;
	default: break;
	}
}

/* ---- the network side ----------------------------------------------------------------- */

static void s_ring(void *ctx, struct telco_sub *sub, const char *caller)
{
	(void)sub;
	(void)caller;
	((struct subrec *)ctx)->ring++;
}

static void s_alerting(void *ctx, struct telco_sub *sub)
{
	(void)ctx;
	(void)sub;
}

static struct fix *g_fix;

static void s_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan)
{
	struct subrec *r = ctx;

	(void)sub;
	r->connected++;
	r->bchan = bchan;
	/* the peer is on span 0's card channel for that B-channel */
	g_fix->peer.chan = (int)(span * CARD_CHANS_PER_SPAN + bchan - 1);
}

static void s_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	struct subrec *r = ctx;

	(void)sub;
	r->cleared++;
	r->cause = cause;
	g_fix->peer.chan = -1;
}

static const struct telco_sub_ops sops = { s_ring, s_alerting, s_connected, s_cleared };

static int t_send(void *ctx, const uint8_t *fr, size_t n)
{
	return dpipe_send_net(&((struct fix *)ctx)->pipe, fr, n);
}

static void to_net(void *ctx, const uint8_t *fr, size_t n)
{
	telco_span_input(((struct fix *)ctx)->ts, fr, n);
}

static void to_user(void *ctx, const uint8_t *fr, size_t n)
{
	card_stub_rx_frame(&((struct fix *)ctx)->card, DCHAN, fr, n, CARD_RX_OK);
}

/* ---- plumbing --------------------------------------------------------------------------- */

static int logged(struct fix *f, const char *s)
{
	return log_capture_find(&f->log, 0, s);
}

static void dump_log(struct fix *f)
{
	log_capture_dump(&f->log, 0, "  log: ");
}

static void pump(struct fix *f)
{
	for (unsigned i = 0; i < 10000; i++) {
		card_stub_pump(&f->card);
		if (!dpipe_run(&f->pipe) && !card_sim_pending(f->card.sim))
			return;
	}
	fail_msg("the NAS, card and telco never went quiet");
}

static void settle(struct fix *f, ev_time_t dt)
{
	ev_time_t until = ev_now(f->loop) + dt, t = ev_now(f->loop);

	pump(f);
	while (t < until) {
		t = t + 10 * EV_MSEC > until ? until : t + 10 * EV_MSEC;
		ev_loop_step(f->loop, t);
		pump(f);
	}
}

static char *run(struct fix *f, const char *cmd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_int_equal(ctl_execute(f->ctl, cmd, out), 0);
	fclose(out);
	return buf;
}

static struct fix *build(const char *serial_extra)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct nas_config *cfg = NULL;
	struct nas_tuning tune;
	struct telco_sub_config sc;
	char text[4096];
	FILE *diag = fopen("/dev/null", "w");

	assert_non_null(f);
	g_fix = f;
	f->peer.chan = -1;
	f->loop = ev_loop_new_manual(0);
	log_reset();
	log_set_clock(f->loop, 0, false);
	log_capture_start(&f->log, MAXLOG);
	dbg_enable(DBG_ISDN_Q931, true);
	dbg_enable(DBG_PPP_NEGOTIATION, true);
	dbg_enable(DBG_PPP_AUTHENTICATION, true);
	dbg_enable(DBG_CALLBACK, true);

	snprintf(text, sizeof(text), base_config, serial_extra);
	assert_int_equal(config_parse(text, strlen(text), "test", &cfg, diag), 0);
	fclose(diag);
	nas_tuning_default(&tune);
	f->nas = nas_new(f->loop, cfg, &tune);
	assert_non_null(f->nas);
	f->ctl = ctl_new();
	nas_register_commands(f->nas, f->ctl);

	card_stub_init(&f->card);
	f->card.on_frame = card_frame;
	f->card.ctx = f;
	dpipe_init(&f->pipe);
	f->pipe.deliver[0] = to_net;
	f->pipe.ctx[0] = f;
	f->pipe.deliver[1] = to_user;
	f->pipe.ctx[1] = f;

	f->t = telco_new(f->loop, NULL);
	f->ts = telco_add_span(f->t, NAS_NUMBER, t_send, f);
	telco_sub_config_default(&sc, PEER_NUMBER);
	sc.bearer = TELCO_BEARER_DIGITAL;
	sc.send_calling = true;
	sc.auto_answer = true;
	sc.answer_delay = 200 * EV_MSEC;
	sc.alert_delay = 100 * EV_MSEC;
	f->sub = telco_add_sub(f->t, &sc, &sops, &f->rec);

	assert_int_equal(nas_attach_card(f->nas, &card_sim_ops, f->card.sim), 0);
	f->card.host = f->nas->card;
	settle(f, 500 * EV_MSEC);
	assert_true(f->nas->card_ready);
	assert_true(lapd_is_up(&f->nas->spans[0].isdn.lapd));
	assert_int_equal(f->card.mode[DCHAN], CARD_MODE_SYNC_HDLC);
	return f;
}

static int setup(void **state)
{
	*state = build(" encapsulation ppp\n");
	return 0;
}

static int setup_no_ppp(void **state)
{
	*state = build("");
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	if (getenv("TEST_DUMP_LOG"))
		dump_log(f);

	ctl_free(f->ctl);
	nas_free(f->nas);
	telco_free(f->t);
	card_stub_fini(&f->card);
	log_capture_stop(&f->log);
	log_reset();
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

/* The peer dials the NAS with a digital call on B-channel 23 (Serial0:22). */
static void dial_in(struct fix *f, const char *user, const char *secret, const char *cb)
{
	f->peer.user = user;
	f->peer.secret = secret;
	f->peer.cb_number = cb;
	telco_span_next_bchan(f->ts, 23);
	assert_int_equal(telco_dial(f->sub, NAS_NUMBER), 0);
	settle(f, 300 * EV_MSEC);
	if (f->rec.connected != 1 || f->peer.chan != 22)
		dump_log(f);
	assert_int_equal(f->rec.connected, 1);
	assert_int_equal(f->peer.chan, 22);
	/* the B-channel runs sync HDLC on the card, no modem was involved */
	assert_int_equal(f->card.mode[22], CARD_MODE_SYNC_HDLC);
	assert_int_equal(f->nas->lines[0].phase, LINE_IDLE);
	/* the NAS listens (passive open): the peer speaks first */
	peer_lcp_confreq(f);
	settle(f, 2 * EV_SEC);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_digital_call_runs_sync_ppp(void **state)
{
	struct fix *f = *state;
	char *o;

	dial_in(f, "plain", "secret", NULL);
	if (!f->peer.ipcp_open)
		dump_log(f);
	assert_true(f->peer.lcp_acked);
	assert_true(f->peer.chap_ok);
	assert_true(f->peer.ipcp_open);
	assert_int_equal(f->peer.addr, 0xAC10193Bu);	/* 172.16.25.59, the pool's first */
	/* no ACCM on a synchronous link, and no frame marked for the full ACCM */
	assert_true(f->peer.nas_confreqs >= 1);
	assert_false(f->peer.nas_asked_accm);
	assert_false(f->peer.had_full_accm_flag);

	/* the seed's D-channel texts for a data bearer, the B-channel's IOS names */
	assert_true(logged(f, "ISDN Se0:23: RX <- SETUP pd = 8 callref = 0x") >= 0);
	assert_true(logged(f, "Bearer Capability i = 0x8890") >= 0);
	assert_true(logged(f, "Channel ID i = 0xA98397") >= 0);
	assert_true(logged(f, "TX -> CONNECT pd = 8") >= 0);
	assert_true(logged(f, "%LINK-3-UPDOWN: Interface Serial0:22, changed state to up") >= 0);
	assert_true(logged(f, "Se0:22 PPP: Treating connection as a callin") >= 0);
	assert_true(logged(f, "Se0:22 PPP: Phase is ESTABLISHING, Passive Open") >= 0);
	assert_true(logged(f, "Se0:22 CHAP: I RESPONSE") >= 0);
	assert_true(logged(f, "%ISDN-6-CONNECT: Interface Serial0:22 is now connected to 5551000 plain") >= 0);
	assert_true(logged(f, "Se0:22 LCP: ACCM") < 0);

	o = run(f, "show isdn active");
	assert_non_null(strstr(o, "In      5551000             4084327528          Serial0:22"));
	assert_non_null(strstr(o, "Active"));
	free(o);
	o = run(f, "show users");
	assert_non_null(strstr(o, "  Se0:22     plain       Sync PPP                 00:00:00 172.16.25.59"));
	free(o);
	o = run(f, "show dialer");
	assert_non_null(strstr(o, "Serial0:22 - dialer type = ISDN\n"));
	assert_non_null(strstr(o, "\nDialer state is data link layer up\n"));
	assert_non_null(strstr(o, "\nConnected to 5551000 (plain)\n"));
	assert_null(strstr(o, "Callback"));
	free(o);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 1);

	/* the far end hangs up: DISCONNECT from the network clears everything */
	assert_int_equal(telco_hangup(f->sub), 0);
	settle(f, 500 * EV_MSEC);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_int_equal(f->card.mode[22], CARD_MODE_OFF);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 0);
	assert_true(logged(f, "%ISDN-6-DISCONNECT: Interface Serial0:22 disconnected from 5551000") >= 0);
	assert_true(logged(f, "TX -> RELEASE pd = 8") >= 0);
	o = run(f, "show users");
	assert_null(strstr(o, "Sync PPP"));
	free(o);
	/* the address went back to the pool */
	o = run(f, "show ip local pool");
	assert_non_null(strstr(o, "    4       0"));
	free(o);
}

static void test_peer_terminates_nas_disconnects(void **state)
{
	struct fix *f = *state;

	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
	/* LCP Terminate from the peer: the NAS ends the session and clears the call */
	peer_ctl(f, 0xC021, 5, ++f->peer.id, NULL, 0);
	settle(f, 5 * EV_SEC);
	if (f->rec.cleared != 1)
		dump_log(f);
	assert_int_equal(f->rec.cleared, 1);
	assert_int_equal(f->rec.cause, Q931_CAUSE_NORMAL_CLEARING);
	assert_true(logged(f, "TX -> DISCONNECT pd = 8") >= 0);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 0);
	assert_int_equal(f->card.mode[22], CARD_MODE_OFF);
}

static void test_clear_interface(void **state)
{
	struct fix *f = *state;
	char *o;
	FILE *devnull = fopen("/dev/null", "w");

	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
	/* a B-channel without a call */
	assert_int_equal(ctl_execute(f->ctl, "clear interface Serial0:5", devnull), -1);
	fclose(devnull);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 1);
	o = run(f, "clear interface se0:22");
	free(o);
	settle(f, 500 * EV_MSEC);
	assert_int_equal(f->rec.cleared, 1);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_true(logged(f, "TX -> DISCONNECT pd = 8") >= 0);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 0);
}

/* SIGHUP with a digital session up: it keeps its profile and address; the next call
 * gets the new configuration's pool. */
static void test_reload_keeps_digital_session(void **state)
{
	struct fix *f = *state;
	struct nas_config *cfg = NULL;
	char text[4096];
	char *o, *at;
	FILE *diag = fopen("/dev/null", "w");

	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
	assert_int_equal(f->peer.addr, 0xAC10193Bu);
	snprintf(text, sizeof(text), base_config, " encapsulation ppp\n");
	at = strstr(text, "172.16.25.59 172.16.25.62");
	assert_non_null(at);
	memcpy(at, "172.16.26.1  172.16.26.4 ", 25);
	assert_int_equal(config_parse(text, strlen(text), "reload", &cfg, diag), 0);
	fclose(diag);
	assert_int_equal(nas_reload(f->nas, cfg), 0);
	assert_non_null(f->nas->retired);	/* the old configuration is still in use */
	settle(f, 1 * EV_SEC);
	o = run(f, "show users");
	assert_non_null(strstr(o, "Se0:22     plain       Sync PPP"));
	free(o);
	/* the far end hangs up: the address goes back to the old pool, which goes */
	assert_int_equal(telco_hangup(f->sub), 0);
	settle(f, 500 * EV_MSEC);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_null(f->nas->retired);
	/* a new call: the new pool */
	memset(&f->peer, 0, sizeof(f->peer));
	f->peer.chan = -1;
	f->rec.connected = 0;
	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
	assert_int_equal(f->peer.addr, 0xAC101A01u);	/* 172.16.26.1 */
}

static void v_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan)
{
	struct subrec *r = ctx;

	(void)sub;
	(void)span;
	r->connected++;
	r->bchan = bchan;
}

static void v_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	(void)sub;
	((struct subrec *)ctx)->cleared++;
	((struct subrec *)ctx)->cause = cause;
}

/* A subscriber that is not the PPP peer. */
static const struct telco_sub_ops vops = { s_ring, s_alerting, v_connected, v_cleared };

/* A modem (voice) call beside a digital one: each gets its own channel mode. */
static void test_voice_and_digital_side_by_side(void **state)
{
	struct fix *f = *state;
	struct telco_sub_config sc;
	struct telco_sub *voice;
	struct subrec vrec = { 0 };
	unsigned vchan;
	char *o;

	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
	telco_sub_config_default(&sc, "5279651");	/* a PC with a modem: 3.1 kHz audio */
	voice = telco_add_sub(f->t, &sc, &vops, &vrec);
	telco_span_next_bchan(f->ts, 19);
	assert_int_equal(telco_dial(voice, NAS_NUMBER), 0);
	settle(f, 3 * EV_SEC);
	assert_int_equal(f->peer.chan, 22);
	assert_int_equal(vrec.connected, 1);
	assert_int_equal(vrec.bchan, 19);
	vchan = 18;
	assert_int_equal(f->card.mode[vchan], CARD_MODE_RAW);	/* the modem's character stream */
	assert_int_equal(f->card.mode[22], CARD_MODE_SYNC_HDLC);
	o = run(f, "show isdn active");
	assert_non_null(strstr(o, "Serial0:18"));
	assert_non_null(strstr(o, "Serial0:22"));
	free(o);
	/* the voice call ends; the digital session is untouched */
	assert_int_equal(telco_hangup(voice), 0);
	settle(f, 2 * EV_SEC);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 1);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 1);
	assert_int_equal(f->card.mode[22], CARD_MODE_SYNC_HDLC);
	/* and it still carries PPP: an echo request is answered */
	f->peer.frames = 0;
	peer_ctl(f, 0xC021, 9, 0x42, (const uint8_t[]){ 0x12, 0x34, 0x56, 0x78 }, 4);
	settle(f, 100 * EV_MSEC);
	assert_true(f->peer.frames >= 1);
}

static void test_wrong_password_clears_call(void **state)
{
	struct fix *f = *state;

	dial_in(f, "plain", "wrong", NULL);
	settle(f, 5 * EV_SEC);
	assert_true(f->peer.chap_failed);
	assert_false(f->peer.ipcp_open);
	assert_int_equal(f->rec.cleared, 1);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
}

static void test_callback_is_a_digital_call_out(void **state)
{
	struct fix *f = *state;
	char *o;
	int at;

	dial_in(f, "callmeback", "cisco", "555-1000");
	if (!f->peer.mcb_acked)
		dump_log(f);
	assert_true(f->peer.chap_ok);
	assert_true(f->peer.mcb_acked);
	assert_false(f->peer.ipcp_open);
	/* TERMACK, then the caller's call is cleared from our side */
	settle(f, 2 * EV_SEC);
	assert_true(f->peer.got_termack);
	assert_int_equal(f->rec.cleared, 1);
	assert_true(logged(f, "Se0:22 MCB: Initiate Callback for callmeback at 555-1000") >= 0);
	o = run(f, "show dialer");
	assert_non_null(strstr(o, "Serial0:22 - dialer type = ISDN\nWait for carrier (30 secs), Re-enable (15 secs)\n"
				  "Dialer state is waiting for callback\nDial reason: Callback return call\n"
				  "Callback to 5551000 (callmeback), attempt 1\n"));
	free(o);
	/* the callback delay, then a digital SETUP to the number the client gave */
	memset(&f->peer, 0, sizeof(f->peer));
	f->peer.chan = -1;
	f->peer.user = "callmeback";
	f->peer.secret = "cisco";
	settle(f, 9 * EV_SEC);
	if (f->rec.connected != 2)
		dump_log(f);
	assert_int_equal(f->rec.connected, 2);
	at = logged(f, "TX -> SETUP pd = 8 callref = 0x0005");
	assert_true(at >= 0);
	assert_string_equal(f->log.line[at + 1], "Bearer Capability i = 0x8890");
	assert_true(logged(f, "Called Party Number i = 0xA1, '5551000'") >= 0);
	/* our call: we speak first; the same user logs in; IPCP comes up */
	settle(f, 3 * EV_SEC);
	if (!f->peer.ipcp_open)
		dump_log(f);
	assert_true(f->peer.chap_ok);
	assert_true(f->peer.ipcp_open);
	assert_false(f->peer.nas_asked_accm);
	assert_int_equal(f->nas->stats.callbacks_ok, 1);
	o = run(f, "show isdn active");
	assert_non_null(strstr(o, "Out                         5551000"));
	free(o);
	o = run(f, "show users");
	assert_non_null(strstr(o, "callmeback  Sync PPP"));
	free(o);
	o = run(f, "show dialer");
	assert_non_null(strstr(o, "\nConnected to 5551000 (callmeback)\n"));
	assert_null(strstr(o, "Callback to"));	/* a call like any other once it is up */
	free(o);
	/* the NAS hangs up the callback (operator: all sessions) */
	nas_shutdown(f->nas);
	settle(f, 2 * EV_SEC);
	assert_int_equal(f->rec.cleared, 2);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 0);
}

static void test_callback_wrong_user_refused(void **state)
{
	struct fix *f = *state;

	dial_in(f, "callmeback", "cisco", "555-1000");
	assert_true(f->peer.mcb_acked);
	settle(f, 2 * EV_SEC);
	memset(&f->peer, 0, sizeof(f->peer));
	f->peer.chan = -1;
	f->peer.user = "plain";		/* someone else answers the callback */
	f->peer.secret = "secret";
	f->nas->tune.callback_retries = 0;
	settle(f, 12 * EV_SEC);
	assert_int_equal(f->rec.connected, 2);
	assert_false(f->peer.ipcp_open);
	assert_int_equal(f->nas->stats.callbacks_failed, 1);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 0);
}

static void test_link_loss_mid_call(void **state)
{
	struct fix *f = *state;
	struct card_span_status st = { .alarms = CARD_ALARM_LOS, .in_frame = 0 };

	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
	card_stub_span_status(&f->card, 0, &st);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(isdn_ppp_active(&f->nas->isdn_ppp), 0);
	assert_int_equal(isdn_active_calls(&f->nas->spans[0].isdn), 0);
	assert_int_equal(f->card.mode[22], CARD_MODE_OFF);
}

static void test_refused_without_ppp_on_dchannel(void **state)
{
	struct fix *f = *state;

	telco_span_next_bchan(f->ts, 23);
	assert_int_equal(telco_dial(f->sub, NAS_NUMBER), 0);
	settle(f, 300 * EV_MSEC);
	assert_int_equal(f->rec.connected, 0);
	assert_int_equal(f->rec.cleared, 1);
	assert_int_equal(telco_span_stats(f->ts)->last_rel_cause, Q931_CAUSE_INCOMPATIBLE_DEST);
	assert_true(logged(f, "Cause i = 0x80D8 - Incompatible destination") >= 0);
	assert_int_equal(f->card.mode[22], CARD_MODE_OFF);
}

static void test_refused_without_free_session(void **state)
{
	struct fix *f = *state;

	f->nas->isdn_ppp.limit = 0;
	telco_span_next_bchan(f->ts, 23);
	assert_int_equal(telco_dial(f->sub, NAS_NUMBER), 0);
	settle(f, 300 * EV_MSEC);
	assert_int_equal(f->rec.cleared, 1);
	assert_int_equal(telco_span_stats(f->ts)->last_rel_cause, Q931_CAUSE_RESOURCE_UNAVAIL);
	assert_int_equal(f->nas->isdn_ppp.stats.calls_rejected, 1);
	/* a session slot again: the next call is taken */
	f->nas->isdn_ppp.limit = 1;
	dial_in(f, "plain", "secret", NULL);
	assert_true(f->peer.ipcp_open);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_digital_call_runs_sync_ppp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_terminates_nas_disconnects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_interface, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_digital_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_voice_and_digital_side_by_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password_clears_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_is_a_digital_call_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_wrong_user_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_loss_mid_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_without_ppp_on_dchannel, setup_no_ppp,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused_without_free_session, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

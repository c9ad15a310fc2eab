/*
 * test_fsm.c - the RFC 1661 automaton driven through LCP by a scripted peer: every
 * state reached and the transitions of the state table, counters (Max-Configure,
 * Max-Terminate, Max-Failure), Code-Reject and Protocol-Reject, malformed packets
 * of every kind, max-bad-auth
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ppp_harness.h"

#define LCP_STATE(h) ((h)->s.lcp.fsm.state)
#define P(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

/* A peer CONFREQ that we Ack as is. */
static const uint8_t good_req[] = { 1, 0x40, 0, 16, 0x02, 6, 0, 0, 0, 0, 0x05, 6, 0x11, 0x22,
				    0x33, 0x44 };

static void peer_req(struct ph *h, uint8_t id)
{
	uint8_t r[18] = { 1, id, 0, 18, 0x02, 6, 0, 0, 0, 0, 0x05, 6, 0x11, 0x22, 0x33, 0x44, 7, 2 };
	ph_inject(h, PPP_PROTO_LCP, r, sizeof(r));
}

/* Next LCP packet we sent (asserting its code); returns its payload. */
static const uint8_t *sent(struct ph *h, uint8_t code, size_t *len)
{
	struct ph_frame *f = ph_next_proto(h, PPP_PROTO_LCP);
	const uint8_t *p;
	size_t n;

	assert_non_null(f);
	ph_proto(f, &p, &n);
	if (p[0] != code)
		ph_dump_lines();
	assert_int_equal(p[0], code);
	if (len)
		*len = n;
	return p;
}

/* Ack our last CONFREQ. */
static void ack_ours(struct ph *h, const uint8_t *req, size_t n)
{
	uint8_t a[64];
	memcpy(a, req, n);
	a[0] = 2;
	ph_inject(h, PPP_PROTO_LCP, a, n);
}

static void open_link(struct ph *h)
{
	const uint8_t *r;
	size_t n;

	ppp_open_active(&h->s);
	r = sent(h, 1, &n);
	ack_ours(h, r, n);
	peer_req(h, 0x40);
	sent(h, 2, NULL);
	assert_int_equal(LCP_STATE(h), FSM_OPENED);
	while (ph_next(h))
		;
}

static void test_req_sent_timeouts(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;
	uint8_t id;
	unsigned confreqs = 1;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	assert_int_equal(LCP_STATE(&h), FSM_INITIAL);
	ppp_open_active(&h.s);
	assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
	r = sent(&h, 1, &n);
	id = r[1];
	/* TO+: retransmission with the same id */
	ph_step(&h, 2 * EV_SEC);
	r = sent(&h, 1, &n);
	assert_int_equal(r[1], id);
	confreqs++;
	/* TO- after Max-Configure (10): Stopped, this-layer-finished */
	for (ev_time_t t = 4; t <= 30; t += 2) {
		ph_step(&h, t * EV_SEC);
		while (ph_next_proto(&h, PPP_PROTO_LCP))
			confreqs++;
	}
	assert_int_equal(confreqs, 10);
	assert_int_equal(LCP_STATE(&h), FSM_STOPPED);
	assert_int_equal(h.downs, 1);
	/* Stopped + RCR: irc, scr, sca -> ACKsent */
	peer_req(&h, 7);
	sent(&h, 1, NULL);
	sent(&h, 2, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_ACKSENT);
	ph_teardown(&h);
}

static void test_open_via_acksent(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_active(&h.s);
	r = sent(&h, 1, &n);
	/* RCR+ in REQsent -> ACKsent, then RCA -> Opened */
	peer_req(&h, 1);
	sent(&h, 2, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_ACKSENT);
	/* ACKsent + RCN: scr, stays ACKsent */
	{
		uint8_t rej[] = { 4, r[1], 0, 6, 7, 2 };	/* reject our PFC */
		ph_inject(&h, PPP_PROTO_LCP, rej, sizeof(rej));
	}
	r = sent(&h, 1, &n);
	assert_int_equal(LCP_STATE(&h), FSM_ACKSENT);
	assert_null(memchr(r + 4, 7, n - 4 > 0 ? 0 : 0));	/* (no-op guard) */
	for (size_t i = 4; i + 1 < n; i += r[i + 1])
		assert_int_not_equal(r[i], 7);		/* PFC no longer asked */
	ack_ours(&h, r, n);
	assert_int_equal(LCP_STATE(&h), FSM_OPENED);
	assert_int_equal(h.set_links, 1);
	assert_false(h.link_pfc && h.s.rx_pfc);
	/* a duplicate Ack is discarded */
	ack_ours(&h, r, n);
	assert_int_equal(LCP_STATE(&h), FSM_OPENED);
	ph_teardown(&h);
}

static void test_nak_and_max_failure(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;
	uint8_t id1, id2;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_active(&h.s);
	r = sent(&h, 1, &n);
	id1 = r[1];
	/* RCN: Nak our magic -> new request, new id, new magic */
	{
		uint8_t nak[] = { 3, id1, 0, 10, 5, 6, 1, 2, 3, 4 };
		uint32_t old = h.s.lcp.want.magic;
		ph_inject(&h, PPP_PROTO_LCP, nak, sizeof(nak));
		r = sent(&h, 1, &n);
		id2 = r[1];
		assert_int_not_equal(id1, id2);
		assert_int_not_equal(old, h.s.lcp.want.magic);
		assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
	}
	/* a Nak with a stale id is ignored */
	{
		uint8_t nak[] = { 3, id1, 0, 10, 5, 6, 1, 2, 3, 4 };
		ph_inject(&h, PPP_PROTO_LCP, nak, sizeof(nak));
		assert_null(ph_next_proto(&h, PPP_PROTO_LCP));
	}
	/* RCR- (MRU 10 is too small): Nak with 1500, five times; then Reject */
	for (int i = 0; i < 6; i++) {
		uint8_t req[] = { 1, (uint8_t)(0x50 + i), 0, 8, 1, 4, 0, 10 };
		const uint8_t *a;
		ph_inject(&h, PPP_PROTO_LCP, req, sizeof(req));
		a = sent(&h, i < 5 ? 3 : 4, &n);
		assert_int_equal(a[1], 0x50 + i);
		if (i < 5) {
			assert_int_equal(n, 8);
			assert_int_equal(a[6], 0x05);
			assert_int_equal(a[7], 0xDC);
		}
		assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
	}
	ph_teardown(&h);
}

/*
 * The peer Naks our CHAP-MD5 and suggests MS-CHAPv2 (CHAP, algorithm 0x81),
 * which we are not configured for: the next request asks for the next
 * configured method (PAP); when PAP is Nak'd too, nothing is left and the
 * link closes instead of asking for CHAP again forever.
 */
static void test_nak_auth_moves_to_next_method(void **state)
{
	static char cfg[4096];
	const char *from = " ppp authentication chap\n";
	const char *at = strstr(ph_seed_config, from);
	struct ph h;
	const uint8_t *r;
	size_t n;

	(void)state;
	assert_non_null(at);
	snprintf(cfg, sizeof(cfg), "%.*s ppp authentication chap pap\n%s",
		 (int)(at - ph_seed_config), ph_seed_config, at + strlen(from));
	ph_setup(&h, cfg, "Async4");
	ppp_open_active(&h.s);
	r = sent(&h, 1, &n);
	assert_int_equal(h.s.lcp.want.auth_proto, PPP_PROTO_CHAP);
	{
		uint8_t nak[] = { 3, r[1], 0, 9, 3, 5, 0xC2, 0x23, 0x81 };
		ph_inject(&h, PPP_PROTO_LCP, nak, sizeof(nak));
	}
	r = sent(&h, 1, &n);
	assert_int_equal(h.s.lcp.want.auth_proto, PPP_PROTO_PAP);
	{
		uint8_t nak[] = { 3, r[1], 0, 9, 3, 5, 0xC2, 0x23, 0x81 };
		ph_inject(&h, PPP_PROTO_LCP, nak, sizeof(nak));
	}
	r = sent(&h, 5, &n);	/* Terminate-Request: no method left */
	assert_int_not_equal(LCP_STATE(&h), FSM_OPENED);
	ph_teardown(&h);
}

static void test_ackrcvd_transitions(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_active(&h.s);
	r = sent(&h, 1, &n);
	ack_ours(&h, r, n);
	assert_int_equal(LCP_STATE(&h), FSM_ACKRCVD);
	/* RCR- in ACKrcvd: scn, stays */
	ph_inject(&h, PPP_PROTO_LCP, P(1, 9, 0, 8, 1, 4, 0, 10));
	sent(&h, 3, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_ACKRCVD);
	/* RTR in ACKrcvd: sta -> REQsent */
	ph_inject(&h, PPP_PROTO_LCP, P(5, 3, 0, 4));
	sent(&h, 6, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
	/* timeout -> scr; ack again; TO in ACKrcvd -> scr, REQsent */
	ph_step(&h, 2 * EV_SEC);
	r = sent(&h, 1, &n);
	ack_ours(&h, r, n);
	assert_int_equal(LCP_STATE(&h), FSM_ACKRCVD);
	ph_step(&h, 4 * EV_SEC + 1);
	sent(&h, 1, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
	ph_teardown(&h);
}

static void test_opened_transitions(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	open_link(&h);
	/* RUC: unknown code -> Code-Reject of the whole packet, stays Opened */
	ph_inject(&h, PPP_PROTO_LCP, P(0x20, 0x77, 0, 6, 0xAA, 0xBB));
	r = sent(&h, 7, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(r + 4, ((const uint8_t[]){ 0x20, 0x77, 0, 6, 0xAA, 0xBB }), 6);
	assert_int_equal(LCP_STATE(&h), FSM_OPENED);
	/* RXJ+: Code-Reject of our Echo-Request is permitted */
	ph_inject(&h, PPP_PROTO_LCP, P(7, 1, 0, 8, 9, 1, 0, 4));
	assert_int_equal(LCP_STATE(&h), FSM_OPENED);
	/* Echo-Request answered with our magic */
	ph_inject(&h, PPP_PROTO_LCP, P(9, 0x31, 0, 8, 0x11, 0x22, 0x33, 0x44));
	r = sent(&h, 10, &n);
	assert_int_equal(r[1], 0x31);
	assert_int_equal(ppp_get32(r + 4), h.s.lcp.want.magic);
	/* Protocol-Reject of an unknown protocol, only when Opened */
	ph_inject_raw(&h, P(0xFF, 0x03, 0x12, 0x35, 0xAA, 0xBB));
	r = sent(&h, 8, &n);
	assert_int_equal(n, 8);
	assert_memory_equal(r + 4, ((const uint8_t[]){ 0x12, 0x35, 0xAA, 0xBB }), 4);
	ph_inject_raw(&h, P(0xFF, 0x03, 0x80, 0x57, 0x01, 0x01, 0x00, 0x04));	/* IPV6CP */
	r = sent(&h, 8, &n);
	assert_int_equal(ppp_get16(r + 4), 0x8057);
	/* RCR in Opened: tld, scr, sca -> ACKsent, link back to defaults */
	peer_req(&h, 0x41);
	sent(&h, 1, NULL);
	sent(&h, 2, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_ACKSENT);
	assert_int_equal(h.link_tx_accm, 0xFFFFFFFF);
	ph_teardown(&h);
}

static void test_terminate_paths(void **state)
{
	struct ph h;

	(void)state;
	/* Opened + RTR -> Stopping (sta); TO -> Stopped, finished */
	ph_setup(&h, NULL, "Async4");
	open_link(&h);
	ph_inject(&h, PPP_PROTO_LCP, P(5, 0x22, 0, 4));
	sent(&h, 6, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_STOPPING);
	ph_step(&h, 3 * EV_SEC);
	assert_int_equal(LCP_STATE(&h), FSM_STOPPED);
	assert_int_equal(h.downs, 1);
	/* Stopped + Close -> Closed; Closed + RCR -> sta */
	ppp_close(&h.s, "x");
	assert_int_equal(LCP_STATE(&h), FSM_CLOSED);
	peer_req(&h, 0x42);
	sent(&h, 6, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_CLOSED);
	ph_teardown(&h);

	/* Opened + Close -> Closing (str); RTA -> Closed */
	ph_setup(&h, NULL, "Async4");
	open_link(&h);
	ppp_close(&h.s, "Admin");
	{
		size_t n;
		const uint8_t *r = sent(&h, 5, &n);
		assert_int_equal(n, 9);
		assert_memory_equal(r + 4, "Admin", 5);
		ph_inject(&h, PPP_PROTO_LCP, ((const uint8_t[]){ 6, r[1], 0, 4 }), 4);
	}
	assert_int_equal(LCP_STATE(&h), FSM_CLOSED);
	assert_int_equal(h.downs, 1);
	ph_teardown(&h);

	/* Closing + TO- after Max-Terminate (2) -> Closed */
	ph_setup(&h, NULL, "Async4");
	open_link(&h);
	ppp_close(&h.s, NULL);
	sent(&h, 5, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_CLOSING);
	ph_step(&h, 2 * EV_SEC);
	sent(&h, 5, NULL);
	ph_step(&h, 4 * EV_SEC);
	assert_null(ph_next_proto(&h, PPP_PROTO_LCP));
	assert_int_equal(LCP_STATE(&h), FSM_CLOSED);
	ph_teardown(&h);

	/* Opened + RXJ- (Code-Reject of Configure-Request) -> Stopping with str */
	ph_setup(&h, NULL, "Async4");
	open_link(&h);
	ph_inject(&h, PPP_PROTO_LCP, P(7, 3, 0, 8, 1, 1, 0, 4));
	sent(&h, 5, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_STOPPING);
	ph_teardown(&h);

	/* Opened + RTA -> tld, scr -> REQsent */
	ph_setup(&h, NULL, "Async4");
	open_link(&h);
	ph_inject(&h, PPP_PROTO_LCP, P(6, 3, 0, 4));
	sent(&h, 1, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
	/* Down in any state -> Initial, no timers left */
	ppp_lower_down(&h.s);
	assert_int_equal(LCP_STATE(&h), FSM_INITIAL);
	assert_int_equal(ev_loop_timer_count(h.loop), 0);
	ph_teardown(&h);
}

static void test_passive_open(void **state)
{
	struct ph h;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_passive(&h.s);
	assert_int_equal(LCP_STATE(&h), FSM_STOPPED);
	assert_null(ph_next(&h));
	assert_true(ph_find_line(0, "As4 LCP: State is Listen") >= 0);
	assert_true(ph_find_line(0, "As4 PPP: Phase is ESTABLISHING, Passive Open") >= 0);
	ph_inject(&h, PPP_PROTO_LCP, good_req, sizeof(good_req));
	sent(&h, 1, NULL);
	sent(&h, 2, NULL);
	assert_int_equal(LCP_STATE(&h), FSM_ACKSENT);
	ph_teardown(&h);
}

static void test_loopback_magic(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;
	uint8_t req[10] = { 1, 0x60, 0, 10, 5, 6 };

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_active(&h.s);
	r = sent(&h, 1, &n);
	/* our own request looped back: its magic is ours -> Nak with another one */
	ppp_put32(req + 6, h.s.lcp.want.magic);
	ph_inject(&h, PPP_PROTO_LCP, req, sizeof(req));
	r = sent(&h, 3, &n);
	assert_int_equal(r[4], 5);
	assert_int_not_equal(ppp_get32(r + 6), ppp_get32(req + 6));
	assert_int_equal(h.s.lcp.loopback_naks, 1);
	ph_teardown(&h);
}

static void test_reject_unsupported_options(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_active(&h.s);
	sent(&h, 1, NULL);
	/* MRRU, endpoint discriminator, RFC 1570 callback op 0, quality: rejected */
	ph_inject(&h, PPP_PROTO_LCP, P(1, 2, 0, 22, 17, 4, 5, 0xF4, 19, 3, 0, 5, 6, 1, 2, 3, 4,
		  13, 3, 0, 4, 2));
	r = sent(&h, 4, &n);
	assert_int_equal(n, 4 + 4 + 3 + 3 + 2 - 0);
	assert_int_equal(r[4], 17);
	assert_int_equal(r[8], 19);
	assert_int_equal(r[11], 13);
	ph_teardown(&h);
}

/* Malformed input of every kind: counted and dropped, never a crash. */
static void test_malformed(void **state)
{
	struct ph h;
	static const struct { uint8_t b[24]; size_t n; } frames[] = {
		{ { 0 }, 0 },
		{ { 0xFF }, 1 },
		{ { 0xFF, 0x03 }, 2 },
		{ { 0xFF, 0x03, 0xC0 }, 3 },
		{ { 0x12, 0x34, 0xC0, 0x21 }, 4 },			/* bad address, no ACFC */
		{ { 0xFF, 0x03, 0xC0, 0x20, 1, 1, 0, 4 }, 8 },		/* even protocol */
		{ { 0xFF, 0x03, 0xC0, 0x21, 1 }, 5 },			/* short header */
		{ { 0xFF, 0x03, 0xC0, 0x21, 1, 1, 0, 2 }, 8 },		/* length < 4 */
		{ { 0xFF, 0x03, 0xC0, 0x21, 1, 1, 0, 40, 1, 4 }, 10 },	/* length > frame */
		{ { 0xFF, 0x03, 0xC0, 0x21, 1, 1, 0, 6, 2, 0 }, 10 },	/* option len 0 */
		{ { 0xFF, 0x03, 0xC0, 0x21, 1, 1, 0, 6, 2, 1 }, 10 },	/* option len 1 */
		{ { 0xFF, 0x03, 0xC0, 0x21, 1, 1, 0, 7, 2, 6, 0 }, 11 },	/* past the end */
		{ { 0xFF, 0x03, 0xC0, 0x21, 2, 1, 0, 6, 2, 9 }, 10 },	/* bad Ack */
		{ { 0xFF, 0x03, 0xC0, 0x21, 3, 1, 0, 6, 5, 0 }, 10 },	/* bad Nak */
		{ { 0xFF, 0x03, 0xC0, 0x21, 4, 1, 0, 6, 77, 2 }, 10 },	/* Reject of unsent */
		{ { 0xFF, 0x03, 0xC0, 0x21, 8, 1, 0, 5, 0xC0 }, 9 },	/* short Prot-Rej */
		{ { 0xFF, 0x03, 0xC0, 0x21, 9, 1, 0, 6, 1, 2 }, 10 },	/* short Echo */
		{ { 0xFF, 0x03, 0xC2, 0x23, 2, 1, 0, 5, 40 }, 9 },	/* CHAP value past end */
		{ { 0xFF, 0x03, 0xC2, 0x23, 2 }, 5 },
		{ { 0xFF, 0x03, 0xC0, 0x23, 1, 1, 0, 6, 9, 1 }, 10 },	/* PAP peer-id past end */
		{ { 0xFF, 0x03, 0xC0, 0x29, 2, 20, 0, 8, 2, 9, 0, 1 }, 12 },	/* MCB option */
		{ { 0xFF, 0x03, 0xC0, 0x29, 2, 20, 0, 3 }, 8 },
		{ { 0xFF, 0x03, 0x80, 0x21, 1, 1, 0, 10, 3, 6, 0 }, 11 },	/* IPCP too early */
		{ { 0x21 }, 1 },					/* PFC IP, no data */
	};

	(void)state;
	for (int phase = 0; phase < 2; phase++) {
		ph_setup(&h, NULL, "Async4");
		if (phase)
			open_link(&h);
		else
			ppp_open_active(&h.s);
		for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
			ph_inject_raw(&h, frames[i].b, frames[i].n);
		assert_true(h.s.stats.rx_bad_header >= (phase ? 1u : 4u));
		assert_true(h.s.stats.rx_bad_header + h.s.stats.rx_bad_proto +
			    h.s.stats.rx_dropped >= 5);
		assert_true(h.s.stats.bad_packets + h.s.lcp.bad_packets >= 3);
		/* still alive and answering */
		if (phase) {
			/* the (malformed) Configure-Requests renegotiate: RFC 1661 Opened+RCR;
			 * their broken options were Configure-Rejected */
			bool rej = false;
			struct ph_frame *f;
			assert_int_equal(LCP_STATE(&h), FSM_REQSENT);
			while ((f = ph_next_proto(&h, PPP_PROTO_LCP))) {
				const uint8_t *p;
				size_t n;
				ph_proto(f, &p, &n);
				if (p[0] == 4)
					rej = true;
			}
			assert_true(rej);
			peer_req(&h, 0x70);
			sent(&h, 2, NULL);
			assert_int_equal(LCP_STATE(&h), FSM_ACKSENT);
		}
		ph_teardown(&h);
	}
}

static void test_max_bad_auth(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n, rl;
	uint8_t resp[64];
	uint8_t last_id = 0;

	(void)state;
	ph_setup(&h, NULL, "Async4");	/* ppp max-bad-auth 3 */
	open_link(&h);
	while (ph_next(&h))
		;
	ph_clear_lines();
	/* the challenge went out in open_link; re-read it from the session state */
	for (int attempt = 1; attempt <= 3; attempt++) {
		uint8_t ch[64] = { 1, h.s.chap.id, 0, 21 + 7, 16 };
		memcpy(ch + 5, h.s.chap.challenge, 16);
		assert_int_not_equal(h.s.chap.id, last_id);
		last_id = h.s.chap.id;
		rl = ph_chap_response(ch, 28, "callmeback", "wrong", resp);
		ph_inject(&h, PPP_PROTO_CHAP, resp, rl);
		{
			struct ph_frame *f = ph_next_proto(&h, PPP_PROTO_CHAP);
			assert_non_null(f);
			ph_proto(f, &r, &n);
			assert_int_equal(r[0], 4);		/* FAILURE */
			assert_int_equal(r[1], last_id);
		}
		if (attempt < 3) {
			struct ph_frame *f = ph_next_proto(&h, PPP_PROTO_CHAP);
			assert_non_null(f);			/* a new challenge */
			ph_proto(f, &r, &n);
			assert_int_equal(r[0], 1);
			assert_int_equal(LCP_STATE(&h), FSM_OPENED);
		}
	}
	/* third failure: the link is closed */
	r = sent(&h, 5, &n);
	assert_int_equal(LCP_STATE(&h), FSM_CLOSING);
	assert_true(ph_find_substr("CHAP: O FAILURE id") >= 0);
	assert_true(ph_find_substr("status = FAIL") >= 0);
	ph_teardown(&h);
}

static void test_acfc_pfc_parsing(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;
	uint32_t dropped;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	/* before LCP is open a frame without FF 03 is discarded */
	ppp_open_active(&h.s);
	while (ph_next(&h))
		;
	ph_inject_raw(&h, P(0xC0, 0x21, 0x09, 0x05, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44));
	assert_int_equal(h.s.stats.rx_bad_header, 1);
	ph_teardown(&h);

	ph_setup(&h, NULL, "Async4");
	open_link(&h);		/* we asked for ACFC and PFC, the peer acked */
	assert_true(h.s.rx_acfc && h.s.rx_pfc);
	/* address/control omitted: accepted */
	ph_inject_raw(&h, P(0xC0, 0x21, 0x09, 0x05, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44));
	r = sent(&h, 10, &n);
	assert_int_equal(r[1], 5);
	/* one-octet protocol (IP) before IPCP is up: dropped, not rejected */
	dropped = h.s.stats.rx_dropped;
	ph_inject_raw(&h, P(0x21, 0x45, 0x00, 0x00, 0x14));
	assert_int_equal(h.s.stats.rx_dropped, dropped + 1);
	assert_null(ph_next(&h));
	/* our frames: LCP always FF 03 + two octets; the peer did not ask for ACFC */
	ph_inject_raw(&h, P(0xFF, 0x03, 0xC0, 0x21, 0x09, 0x06, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44));
	{
		struct ph_frame *f = ph_next(&h);
		assert_non_null(f);
		assert_int_equal(f->data[0], 0xFF);
		assert_int_equal(f->data[1], 0x03);
		assert_int_equal(f->data[2], 0xC0);
	}
	ph_teardown(&h);
}

static void test_keepalive(void **state)
{
	struct ph h;
	const uint8_t *r;
	size_t n;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	h.prof.keepalive_sec = 10;
	open_link(&h);
	/* an Echo-Request every 10 s carrying our magic; a Reply resets the count */
	ph_step(&h, 10 * EV_SEC);
	r = sent(&h, 9, &n);
	assert_int_equal(n, 8);
	assert_int_equal(ppp_get32(r + 4), h.s.lcp.want.magic);
	{
		uint8_t rep[8] = { 10, r[1], 0, 8, 0x11, 0x22, 0x33, 0x44 };
		ph_inject(&h, PPP_PROTO_LCP, rep, sizeof(rep));
	}
	assert_int_equal(h.s.lcp.echo_outstanding, 0);
	/* no more Replies: after 5 missed the link is closed */
	for (int i = 2; i <= 7; i++)
		ph_step(&h, (ev_time_t)(10 * i) * EV_SEC);
	assert_int_equal(LCP_STATE(&h), FSM_CLOSING);
	assert_true(ph_find_line(0, "As4 LCP: No response to 5 echo-requests") >= 0);
	ph_teardown(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_sent_timeouts),
		cmocka_unit_test(test_open_via_acksent),
		cmocka_unit_test(test_nak_and_max_failure),
		cmocka_unit_test(test_nak_auth_moves_to_next_method),
		cmocka_unit_test(test_ackrcvd_transitions),
		cmocka_unit_test(test_opened_transitions),
		cmocka_unit_test(test_terminate_paths),
		cmocka_unit_test(test_passive_open),
		cmocka_unit_test(test_loopback_magic),
		cmocka_unit_test(test_reject_unsupported_options),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_max_bad_auth),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_acfc_pfc_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

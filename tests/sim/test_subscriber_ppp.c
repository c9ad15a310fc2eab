/*
 * test_subscriber_ppp.c - the scripted subscriber PPP client against a scripted NAS
 * made of the seed's byte vectors: the client's frames must be the seed's byte for
 * byte (LCP CONFREQ id 3 with Callback 6, MCB Responses id 20 after the think time and
 * id 25 at once, TERMREQ id 5, the callback leg's LCP/IPCP), every variant, and
 * malformed server frames (counted, never a crash).
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

#include <nettle/md5.h>

#include "evloop.h"
#include "hdlc_async.h"
#include "subscriber_ppp.h"

#define MAXF 64

struct rxframe {
	uint16_t proto;
	bool acfc;		/* sent without FF 03 */
	bool pfc;		/* one-octet protocol */
	uint8_t d[1600];
	size_t n;
	ev_time_t t;
};

struct harness {
	struct ev_loop *loop;
	struct sub_ppp c;
	struct hdlc_async_decoder dec;
	struct rxframe f[MAXF];
	unsigned nf, next;		/* frames decoded, next one not yet checked */
	unsigned ev[16];		/* event counts */
	unsigned bad;			/* frames from the client that did not decode */
	uint8_t raw[64];		/* the first octets on the wire */
	size_t raw_len;
};

static void on_client_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t n)
{
	struct harness *h = ctx;
	struct rxframe *r;
	size_t i = 0;

	if (ev != HDLC_FRAME_OK || h->nf >= MAXF) {
		h->bad++;
		return;
	}
	r = &h->f[h->nf++];
	memset(r, 0, sizeof(*r));
	r->t = ev_now(h->loop);
	if (n >= 2 && d[0] == 0xFF && d[1] == 0x03)
		i = 2;
	else
		r->acfc = true;
	if (d[i] & 1) {
		r->proto = d[i++];
		r->pfc = true;
	} else {
		r->proto = (uint16_t)(d[i] << 8 | d[i + 1]);
		i += 2;
	}
	r->n = n - i;
	memcpy(r->d, d + i, r->n);
}

static void tx(void *ctx, const uint8_t *o, size_t n)
{
	struct harness *h = ctx;

	for (size_t i = 0; i < n && h->raw_len < sizeof(h->raw); i++)
		h->raw[h->raw_len++] = o[i];

	hdlc_async_decode(&h->dec, o, n);
}

static void event(void *ctx, enum sub_ppp_event ev)
{
	struct harness *h = ctx;

	h->ev[ev]++;
}

static const struct sub_ppp_ops ops = { .tx = tx, .event = event };

static struct harness *harness_new(enum sub_ppp_variant v, struct sub_ppp_config *over)
{
	struct harness *h = calloc(1, sizeof(*h));
	struct sub_ppp_config cfg;

	assert_non_null(h);
	h->loop = ev_loop_new_manual(0);
	assert_non_null(h->loop);
	sub_ppp_config_default(&cfg, v);
	if (over)
		cfg = *over;
	sub_ppp_init(&h->c, h->loop, &cfg, &ops, h);
	hdlc_async_decoder_init(&h->dec, 0, false, on_client_frame, h);
	return h;
}

static void harness_free(struct harness *h)
{
	assert_int_equal(h->bad, 0);
	sub_ppp_fini(&h->c);
	ev_loop_free(h->loop);
	free(h);
}

/* The NAS sends one PPP packet (with address/control, all controls escaped). */
static void nas_send(struct harness *h, uint16_t proto, const uint8_t *p, size_t n)
{
	uint8_t f[1600], out[3300];
	size_t k;

	f[0] = 0xFF;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, p, n);
	k = hdlc_async_encode(out, f, n + 4, 0xFFFFFFFFu, false);
	sub_ppp_input(&h->c, out, k);
}

#define NAS(h, proto, ...) do { \
	static const uint8_t pkt_[] = { __VA_ARGS__ }; \
	nas_send(h, proto, pkt_, sizeof(pkt_)); } while (0)

/* Step the manual clock timer by timer (as the co-simulation's fine steps do). */
static void run_to(struct harness *h, ev_time_t t)
{
	ev_time_t d;

	while ((d = ev_loop_next_due(h->loop)) <= t)
		ev_loop_step(h->loop, d);
	ev_loop_step(h->loop, t);
}

/* The next frame from the client must be exactly this packet. */
static void expect_frame(struct harness *h, uint16_t proto, const uint8_t *p, size_t n,
			 int line)
{
	if (h->next >= h->nf)
		fail_msg("line %d: no frame from the client (proto %04x expected)", line, proto);
	struct rxframe *r = &h->f[h->next++];

	if (r->proto != proto || r->n != n || memcmp(r->d, p, n) != 0) {
		char buf[1024];
		size_t k = 0;

		for (size_t i = 0; i < r->n && k + 4 < sizeof(buf); i++)
			k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%02X ", r->d[i]);
		fail_msg("line %d: frame proto %04x len %zu [%s] != expected proto %04x len %zu",
			 line, r->proto, r->n, buf, proto, n);
	}
}

#define EXPECT(h, proto, ...) do { \
	static const uint8_t exp_[] = { __VA_ARGS__ }; \
	expect_frame(h, proto, exp_, sizeof(exp_), __LINE__); } while (0)

static void expect_none(struct harness *h)
{
	if (h->next < h->nf)
		fail_msg("unexpected frame proto %04x code %u id %u", h->f[h->next].proto,
			 h->f[h->next].d[0], h->f[h->next].d[1]);
}

#define LCP	SUB_PPP_PROTO_LCP
#define CHAP	SUB_PPP_PROTO_CHAP
#define CBCP	SUB_PPP_PROTO_CBCP
#define IPCP	SUB_PPP_PROTO_IPCP

/* the NAS's LCP CONFREQ id 3 len 25 and the ACK of the client's, from the seed */
#define NAS_LCP_CONFREQ_3 0x01, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, \
	0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07, 0x02, 0x08, 0x02
#define CLIENT_LCP_OPTS_1 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06, 0x00, 0x4A, 0x4A, \
	0x09, 0x07, 0x02, 0x08, 0x02, 0x0D, 0x03, 0x06

static const uint8_t challenge[16] = { 0x11, 0x7d, 0x7e, 0x00, 0x13, 0x42, 0x99, 0xAB,
				       0xCD, 0xEF, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };

static void nas_challenge(struct harness *h, uint8_t id)
{
	uint8_t p[4 + 1 + 16 + 7];

	p[0] = 1;
	p[1] = id;
	p[2] = 0;
	p[3] = sizeof(p);
	p[4] = 16;
	memcpy(p + 5, challenge, 16);
	memcpy(p + 21, "isdn2-2", 7);
	nas_send(h, CHAP, p, sizeof(p));
}

/* The client's CHAP Response must be MD5(id || "cisco" || challenge), "callmeback". */
static void expect_chap_response(struct harness *h, uint8_t id)
{
	uint8_t want[4 + 1 + 16 + 10];
	struct md5_ctx m;

	want[0] = 2;
	want[1] = id;
	want[2] = 0;
	want[3] = sizeof(want);			/* 31: the true length (the seed says 26) */
	want[4] = 16;
	md5_init(&m);
	md5_update(&m, 1, &id);
	md5_update(&m, 5, (const uint8_t *)"cisco");
	md5_update(&m, 16, challenge);
	md5_digest(&m, 16, want + 5);
	memcpy(want + 21, "callmeback", 10);
	expect_frame(h, CHAP, want, sizeof(want), __LINE__);
}

/* First call of the seed up to CHAP success (the client's frames checked). */
static void seed_first_call_to_auth(struct harness *h)
{
	sub_ppp_lower_up(&h->c, false);
	EXPECT(h, LCP, 0x01, 0x03, 0x00, 0x17, CLIENT_LCP_OPTS_1);
	/* what the NAS's autoselect samples: 7E, 7EFF, 7EFF7D, 7EFF7D23 (all controls
	 * escaped until LCP is open) */
	{
		static const uint8_t wire[] = { 0x7E, 0xFF, 0x7D, 0x23, 0xC0, 0x21, 0x7D, 0x21,
						0x7D, 0x23, 0x7D, 0x20, 0x7D, 0x37 };
		assert_true(h->raw_len >= sizeof(wire));
		assert_memory_equal(h->raw, wire, sizeof(wire));
	}
	NAS(h, LCP, NAS_LCP_CONFREQ_3);
	EXPECT(h, LCP, 0x02, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x03, 0x05,
	       0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07, 0x02, 0x08, 0x02);
	NAS(h, LCP, 0x02, 0x03, 0x00, 0x17, CLIENT_LCP_OPTS_1);
	assert_int_equal(h->ev[SUB_PPP_EV_LCP_OPEN], 1);
	assert_true(h->c.st.callback_option_acked);
	run_to(h, 3070 * EV_MSEC);		/* 01:25:20.095 - 01:25:17.027 */
	nas_challenge(h, 4);
	expect_chap_response(h, 4);
	NAS(h, CHAP, 0x03, 0x04, 0x00, 0x04);
	assert_int_equal(h->ev[SUB_PPP_EV_AUTH_OK], 1);
	assert_int_equal(h->c.phase, SUB_PPP_CALLBACK);
	expect_none(h);
}

#define MCB_REQ(id) 0x01, id, 0x00, 0x09, 0x02, 0x05, 0x00, 0x01, 0x00
#define MCB_NUM 0x35, 0x32, 0x37, 0x2D, 0x39, 0x36, 0x35, 0x31, 0x00

/* The seed, end to end from the client's side: both calls. */
static void test_seed_callback_end_to_end(void **state)
{
	struct harness *h = harness_new(SUB_PPP_WINNT_ASK, NULL);
	const ev_time_t t0 = 3070 * EV_MSEC;	/* MCB Request id 20 (01:25:20.243 ~) */
	static const ev_time_t req_t[6] = { 0, 2220, 4260, 6300, 8340, 10380 };

	(void)state;
	seed_first_call_to_auth(h);

	/* Requests 20..24 every ~2 s: the user is still typing, nothing goes out */
	for (unsigned i = 0; i < 5; i++) {
		run_to(h, t0 + req_t[i] * EV_MSEC);
		switch (i) {
		case 0: NAS(h, CBCP, MCB_REQ(0x14)); break;
		case 1: NAS(h, CBCP, MCB_REQ(0x15)); break;
		case 2: NAS(h, CBCP, MCB_REQ(0x16)); break;
		case 3: NAS(h, CBCP, MCB_REQ(0x17)); break;
		default: NAS(h, CBCP, MCB_REQ(0x18)); break;
		}
		expect_none(h);
	}
	run_to(h, t0 + 9499 * EV_MSEC);
	expect_none(h);
	/* 9.5 s after the first Request: the answer to id 20 */
	run_to(h, t0 + 9500 * EV_MSEC);
	EXPECT(h, CBCP, 0x02, 0x14, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, MCB_NUM);
	assert_int_equal(h->f[h->next - 1].t, t0 + 9500 * EV_MSEC);
	/* id 25 is answered at once from the cache */
	run_to(h, t0 + req_t[5] * EV_MSEC);
	NAS(h, CBCP, MCB_REQ(0x19));
	EXPECT(h, CBCP, 0x02, 0x19, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, MCB_NUM);
	assert_int_equal(h->c.st.cbcp_requests_rx, 6);
	assert_int_equal(h->c.st.cbcp_responses_tx, 2);
	/* Ack id 26 -> TERMREQ id 5 len 4 */
	NAS(h, CBCP, 0x03, 0x1A, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, MCB_NUM);
	assert_true(h->c.st.callback_acked);
	assert_int_equal(h->ev[SUB_PPP_EV_CALLBACK_ACKED], 1);
	EXPECT(h, LCP, 0x05, 0x05, 0x00, 0x04);
	NAS(h, LCP, 0x06, 0x05, 0x00, 0x04);
	assert_int_equal(h->ev[SUB_PPP_EV_WAIT_CALLBACK], 1);
	assert_int_equal(h->c.phase, SUB_PPP_WAIT_CALLBACK);
	sub_ppp_lower_down(&h->c);
	assert_int_equal(h->c.phase, SUB_PPP_WAIT_CALLBACK);
	expect_none(h);

	/* the callback: 62.7 s after the first CONFREQ; magic is Windows' tick count */
	run_to(h, 62700 * EV_MSEC);
	sub_ppp_lower_up(&h->c, true);
	EXPECT(h, LCP, 0x01, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06,
	       0x00, 0x4B, 0x3E, 0xF5, 0x07, 0x02, 0x08, 0x02);
	NAS(h, LCP, 0x01, 0x05, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x03, 0x05,
	    0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0xF7, 0x0C, 0x07, 0x02, 0x08, 0x02);
	EXPECT(h, LCP, 0x02, 0x05, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x03, 0x05,
	       0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0xF7, 0x0C, 0x07, 0x02, 0x08, 0x02);
	NAS(h, LCP, 0x02, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06,
	    0x00, 0x4B, 0x3E, 0xF5, 0x07, 0x02, 0x08, 0x02);
	assert_int_equal(h->ev[SUB_PPP_EV_LCP_OPEN], 2);
	nas_challenge(h, 6);
	expect_chap_response(h, 6);
	NAS(h, CHAP, 0x03, 0x06, 0x00, 0x04);
	/* IPCP: address, VJ with slot-id compression, DNS and WINS */
	EXPECT(h, IPCP, 0x01, 0x01, 0x00, 0x28, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
	       0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0, 0, 0, 0x82, 0x06, 0, 0, 0, 0,
	       0x83, 0x06, 0, 0, 0, 0, 0x84, 0x06, 0, 0, 0, 0);
	assert_true(h->f[h->next - 1].acfc);	/* the NAS allowed ACFC: used after LCP */
	NAS(h, IPCP, 0x01, 0x01, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x00,
	    0x03, 0x06, 0xAC, 0x10, 0x19, 0x34);
	EXPECT(h, IPCP, 0x02, 0x01, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x00,
	       0x03, 0x06, 0xAC, 0x10, 0x19, 0x34);
	/* the NAS rejects DNS and WINS ("O CONFREQ id 1 len 28" in the trace) */
	NAS(h, IPCP, 0x04, 0x01, 0x00, 0x1C, 0x81, 0x06, 0, 0, 0, 0, 0x82, 0x06, 0, 0, 0, 0,
	    0x83, 0x06, 0, 0, 0, 0, 0x84, 0x06, 0, 0, 0, 0);
	EXPECT(h, IPCP, 0x01, 0x02, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
	       0x03, 0x06, 0, 0, 0, 0);
	NAS(h, IPCP, 0x03, 0x02, 0x00, 0x0A, 0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C);
	EXPECT(h, IPCP, 0x01, 0x03, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
	       0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C);
	assert_int_equal(h->ev[SUB_PPP_EV_IPCP_OPEN], 0);
	NAS(h, IPCP, 0x02, 0x03, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
	    0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C);
	assert_int_equal(h->ev[SUB_PPP_EV_IPCP_OPEN], 1);
	assert_int_equal(h->c.st.ip_addr, 0xAC10193C);
	assert_int_equal(h->c.st.peer_ip_addr, 0xAC101934);
	assert_int_equal(h->c.st.ipcp_confrej_rx, 1);
	assert_int_equal(h->c.st.ipcp_confnak_rx, 1);
	assert_int_equal(h->c.st.malformed, 0);
	expect_none(h);

	/* data plane: an ICMP echo to the NAS, and the client answers the NAS's echo */
	assert_int_equal(sub_ppp_ping(&h->c, 0xAC101934, 1, 7, 32), 0);
	assert_true(h->next < h->nf);
	struct rxframe *r = &h->f[h->next++];
	assert_int_equal(r->proto, SUB_PPP_PROTO_IP);
	assert_true(r->pfc);
	assert_int_equal(r->n, 60);
	assert_int_equal(r->d[0], 0x45);
	assert_int_equal(r->d[9], 1);
	assert_int_equal(r->d[20], 8);
	{
		uint8_t echo[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 255, 1, 0, 0,
				     0xAC, 0x10, 0x19, 0x34, 0xAC, 0x10, 0x19, 0x3C,
				     8, 0, 0xF7, 0xFE, 0, 1, 0, 0 };
		uint32_t s = 0;

		for (int i = 0; i < 20; i += 2)
			s += (uint32_t)(echo[i] << 8 | echo[i + 1]);
		while (s >> 16)
			s = (s & 0xFFFF) + (s >> 16);
		echo[10] = (uint8_t)(~s >> 8);
		echo[11] = (uint8_t)~s;
		nas_send(h, SUB_PPP_PROTO_IP, echo, sizeof(echo));
	}
	assert_int_equal(h->c.st.icmp_echo_rx, 1);
	assert_int_equal(h->c.st.icmp_reply_tx, 1);
	r = &h->f[h->next++];
	assert_int_equal(r->proto, SUB_PPP_PROTO_IP);
	assert_int_equal(r->n, 28);
	assert_int_equal(r->d[20], 0);		/* echo reply */
	assert_memory_equal(r->d + 16, "\xAC\x10\x19\x34", 4);
	expect_none(h);
	harness_free(h);
}

/* NT "always call me back": the first Request is answered at once, with its id. */
static void test_always_answers_at_once(void **state)
{
	struct harness *h = harness_new(SUB_PPP_WINNT_ALWAYS, NULL);

	(void)state;
	seed_first_call_to_auth(h);
	NAS(h, CBCP, MCB_REQ(0x14));
	EXPECT(h, CBCP, 0x02, 0x14, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, MCB_NUM);
	NAS(h, CBCP, 0x03, 0x15, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, MCB_NUM);
	EXPECT(h, LCP, 0x05, 0x05, 0x00, 0x04);
	/* no TERMACK: retried after the restart time, then the client gives up */
	run_to(h, 20 * EV_SEC);
	EXPECT(h, LCP, 0x05, 0x05, 0x00, 0x04);
	assert_int_equal(h->ev[SUB_PPP_EV_WAIT_CALLBACK], 1);
	expect_none(h);
	harness_free(h);
}

/* Windows 95/98 takes the administrator's number at once; "give your number" asks. */
static void test_win9x_answers_offer(void **state)
{
	struct harness *h = harness_new(SUB_PPP_WIN9X, NULL);

	(void)state;
	seed_first_call_to_auth(h);
	NAS(h, CBCP, 0x01, 0x30, 0x00, 0x07, 0x03, 0x03, 0x00);
	EXPECT(h, CBCP, 0x02, 0x30, 0x00, 0x07, 0x03, 0x03, 0x0F);
	assert_int_equal(h->c.st.cbcp_type_answered, 3);
	harness_free(h);

	h = harness_new(SUB_PPP_WIN9X, NULL);
	seed_first_call_to_auth(h);
	NAS(h, CBCP, MCB_REQ(0x40));
	expect_none(h);
	run_to(h, 3070 * EV_MSEC + 9500 * EV_MSEC);
	EXPECT(h, CBCP, 0x02, 0x40, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, MCB_NUM);
	harness_free(h);
}

/* A user with a preconfigured number accepts the server-specified number (type 3). */
static void test_preconfigured_takes_admin(void **state)
{
	struct harness *h = harness_new(SUB_PPP_PRECONFIGURED, NULL);

	(void)state;
	seed_first_call_to_auth(h);
	/* offer: no callback, user number, admin number with an address */
	NAS(h, CBCP, 0x01, 0x21, 0x00, 0x10, 0x01, 0x02, 0x02, 0x05, 0x00, 0x01, 0x00,
	    0x03, 0x05, 0x00, 0x01, 0x00);
	EXPECT(h, CBCP, 0x02, 0x21, 0x00, 0x07, 0x03, 0x03, 0x0F);
	NAS(h, CBCP, 0x03, 0x22, 0x00, 0x07, 0x03, 0x03, 0x0F);
	assert_true(h->c.st.callback_acked);
	EXPECT(h, LCP, 0x05, 0x05, 0x00, 0x04);
	harness_free(h);
}

/* "No callback": no Callback option, straight to IPCP; a CBCP Request is rejected. */
static void test_no_callback_plain_dial_in(void **state)
{
	struct harness *h = harness_new(SUB_PPP_NO_CALLBACK, NULL);

	(void)state;
	sub_ppp_lower_up(&h->c, false);
	EXPECT(h, LCP, 0x01, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06,
	       0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02);
	assert_false(h->c.st.callback_requested);
	NAS(h, LCP, 0x02, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06,
	    0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02);
	NAS(h, LCP, NAS_LCP_CONFREQ_3);
	h->next++;				/* our CONFACK */
	nas_challenge(h, 4);
	expect_chap_response(h, 4);
	NAS(h, CHAP, 0x03, 0x04, 0x00, 0x04);
	assert_int_equal(h->c.phase, SUB_PPP_NETWORK);
	h->next++;				/* IPCP CONFREQ id 1 */
	NAS(h, CBCP, MCB_REQ(0x14));
	EXPECT(h, LCP, 0x08, 0x04, 0x00, 0x0F, 0xC0, 0x29, MCB_REQ(0x14));
	assert_int_equal(h->c.st.cbcp_responses_tx, 0);
	expect_none(h);
	harness_free(h);
}

/* pppd's bytes (notes/pppd-vm.md): its CONFREQ, its Response, an empty Ack ignored,
 * TERMREQ "Call me back, please" after an Ack carrying an option. */
static void test_pppd_like(void **state)
{
	struct sub_ppp_config cfg;
	struct harness *h;

	(void)state;
	sub_ppp_config_default(&cfg, SUB_PPP_PPPD);
	cfg.magic_seed = 77;
	h = harness_new(SUB_PPP_PPPD, &cfg);
	sub_ppp_lower_up(&h->c, false);
	assert_true(h->nf == 1);
	struct rxframe *r = &h->f[h->next++];
	uint8_t magic[4] = { r->d[15], r->d[16], r->d[17], r->d[18] };
	const uint8_t want[] = { 0x01, 0x01, 0x00, 0x17, 0x02, 0x06, 0, 0, 0, 0, 0x0D, 0x03,
				 0x06, 0x05, 0x06, magic[0], magic[1], magic[2], magic[3],
				 0x07, 0x02, 0x08, 0x02 };
	assert_int_equal(r->n, sizeof(want));
	assert_memory_equal(r->d, want, sizeof(want));
	{
		uint8_t ack[sizeof(want)];

		memcpy(ack, want, sizeof(want));
		ack[0] = 2;
		nas_send(h, LCP, ack, sizeof(ack));
	}
	NAS(h, LCP, 0x01, 0x11, 0x00, 0x0F, 0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x27,
	    0x99, 0x52, 0x51);
	EXPECT(h, LCP, 0x02, 0x11, 0x00, 0x0F, 0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x27,
	       0x99, 0x52, 0x51);
	nas_challenge(h, 0x31);
	expect_chap_response(h, 0x31);
	NAS(h, CHAP, 0x03, 0x31, 0x00, 0x0B, 'W', 'e', 'l', 'c', 'o', 'm', 'e');
	NAS(h, CBCP, 0x01, 0xCD, 0x00, 0x09, 0x02, 0x05, 0x00, 0x01, 0x00);
	EXPECT(h, CBCP, 0x02, 0xCD, 0x00, 0x10, 0x02, 0x0C, 0x05, 0x01, 0x35, 0x32, 0x37,
	       0x39, 0x36, 0x35, 0x31, 0x00);
	NAS(h, CBCP, 0x03, 0xCD, 0x00, 0x04);	/* no option: pppd keeps waiting */
	expect_none(h);
	NAS(h, CBCP, 0x03, 0xCD, 0x00, 0x10, 0x02, 0x0C, 0x05, 0x01, 0x35, 0x32, 0x37,
	    0x39, 0x36, 0x35, 0x31, 0x00);
	EXPECT(h, LCP, 0x05, 0x02, 0x00, 0x18, 'C', 'a', 'l', 'l', ' ', 'm', 'e', ' ', 'b',
	       'a', 'c', 'k', ',', ' ', 'p', 'l', 'e', 'a', 's', 'e');
	NAS(h, LCP, 0x06, 0x02, 0x00, 0x04);
	assert_int_equal(h->ev[SUB_PPP_EV_WAIT_CALLBACK], 1);
	harness_free(h);
}

/* The NAS rejects the Callback option: the client asks again without it (new id),
 * and goes from CHAP straight to IPCP. */
static void test_callback_option_rejected(void **state)
{
	struct harness *h = harness_new(SUB_PPP_WINNT_ASK, NULL);

	(void)state;
	sub_ppp_lower_up(&h->c, false);
	h->next++;
	NAS(h, LCP, 0x04, 0x03, 0x00, 0x07, 0x0D, 0x03, 0x06);
	EXPECT(h, LCP, 0x01, 0x04, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06,
	       0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02);
	assert_true(h->c.st.callback_option_rejected);
	NAS(h, LCP, 0x02, 0x04, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06,
	    0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02);
	NAS(h, LCP, NAS_LCP_CONFREQ_3);
	h->next++;
	assert_int_equal(h->ev[SUB_PPP_EV_LCP_OPEN], 1);
	nas_challenge(h, 4);
	h->next++;
	NAS(h, CHAP, 0x03, 0x04, 0x00, 0x04);
	assert_int_equal(h->c.phase, SUB_PPP_NETWORK);
	assert_int_equal(h->f[h->next].proto, IPCP);
	harness_free(h);
}

/* Nobody answers: the same CONFREQ (same id) every 3 s, then the client gives up. */
static void test_lcp_retransmit_and_give_up(void **state)
{
	struct harness *h = harness_new(SUB_PPP_WINNT_ASK, NULL);

	(void)state;
	sub_ppp_lower_up(&h->c, false);
	for (unsigned i = 1; i <= 12; i++)
		run_to(h, i * 3 * EV_SEC);
	assert_int_equal(h->nf, 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(h->f[i].d[1], 3);
		assert_int_equal(h->f[i].t, i * 3 * EV_SEC);
	}
	assert_int_equal(h->ev[SUB_PPP_EV_FAILED], 1);
	assert_int_equal(ev_loop_timer_count(h->loop), 0);
	h->next = h->nf;
	harness_free(h);
}

/* Echo, unknown codes and protocols, CHAP failure, server termination, PAP. */
static void test_lcp_housekeeping(void **state)
{
	struct harness *h = harness_new(SUB_PPP_WINNT_ASK, NULL);

	(void)state;
	seed_first_call_to_auth(h);
	NAS(h, LCP, 0x09, 0x07, 0x00, 0x0A, 0x60, 0x8D, 0x04, 0xA3, 0xAA, 0xBB);
	EXPECT(h, LCP, 0x0A, 0x07, 0x00, 0x0A, 0x00, 0x4A, 0x4A, 0x09, 0xAA, 0xBB);
	NAS(h, LCP, 0x20, 0x01, 0x00, 0x05, 0x99);
	EXPECT(h, LCP, 0x07, 0x04, 0x00, 0x09, 0x20, 0x01, 0x00, 0x05, 0x99);
	NAS(h, 0x8057, 0x01, 0x01, 0x00, 0x04);	/* IPV6CP: not ours */
	EXPECT(h, LCP, 0x08, 0x05, 0x00, 0x0A, 0x80, 0x57, 0x01, 0x01, 0x00, 0x04);
	NAS(h, LCP, 0x05, 0x09, 0x00, 0x04);
	EXPECT(h, LCP, 0x06, 0x09, 0x00, 0x04);
	assert_int_equal(h->ev[SUB_PPP_EV_TERMINATED], 1);
	harness_free(h);

	h = harness_new(SUB_PPP_WINNT_ASK, NULL);
	sub_ppp_lower_up(&h->c, false);
	h->next++;
	NAS(h, LCP, NAS_LCP_CONFREQ_3);
	h->next++;
	NAS(h, LCP, 0x02, 0x03, 0x00, 0x17, CLIENT_LCP_OPTS_1);
	nas_challenge(h, 4);
	h->next++;
	NAS(h, CHAP, 0x04, 0x04, 0x00, 0x04);
	assert_true(h->c.st.auth_failed);
	EXPECT(h, LCP, 0x05, 0x05, 0x00, 0x04);
	harness_free(h);

	/* PAP instead of CHAP; and an unknown auth protocol is NAKed with CHAP-MD5 */
	h = harness_new(SUB_PPP_WINNT_ASK, NULL);
	sub_ppp_lower_up(&h->c, false);
	h->next++;
	NAS(h, LCP, 0x01, 0x08, 0x00, 0x09, 0x03, 0x05, 0xC2, 0x27, 0x01);
	EXPECT(h, LCP, 0x03, 0x08, 0x00, 0x09, 0x03, 0x05, 0xC2, 0x23, 0x05);
	NAS(h, LCP, 0x01, 0x09, 0x00, 0x0A, 0x03, 0x04, 0xC0, 0x23, 0x11, 0x02);
	EXPECT(h, LCP, 0x04, 0x09, 0x00, 0x06, 0x11, 0x02);	/* unknown option 0x11 */
	NAS(h, LCP, 0x01, 0x0A, 0x00, 0x08, 0x03, 0x04, 0xC0, 0x23);
	EXPECT(h, LCP, 0x02, 0x0A, 0x00, 0x08, 0x03, 0x04, 0xC0, 0x23);
	NAS(h, LCP, 0x02, 0x03, 0x00, 0x17, CLIENT_LCP_OPTS_1);
	EXPECT(h, SUB_PPP_PROTO_PAP, 0x01, 0x01, 0x00, 0x15, 0x0A, 'c', 'a', 'l', 'l', 'm',
	       'e', 'b', 'a', 'c', 'k', 0x05, 'c', 'i', 's', 'c', 'o');
	NAS(h, SUB_PPP_PROTO_PAP, 0x02, 0x01, 0x00, 0x05, 0x00);
	assert_true(h->c.st.auth_ok);
	assert_int_equal(h->c.phase, SUB_PPP_CALLBACK);
	harness_free(h);
}

/* Hand-made broken frames in every phase: counted, never a crash, state kept. */
static void test_malformed_frames(void **state)
{
	static const uint8_t bad[][12] = {
		{ 0xFF },			/* address only */
		{ 0xFF, 0x05, 0xC0, 0x21 },	/* bad control */
		{ 0xFF, 0x03, 0xC0 },		/* half a protocol */
		{ 0xFF, 0x03, 0xC0, 0x20, 1, 1, 0, 4 },	/* even protocol low byte */
		{ 0xFF, 0x03, 0xC0, 0x21, 0x01 },	/* short packet */
		{ 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x03 },	/* length < 4 */
		{ 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x20 },	/* length > frame */
		{ 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x06, 0x02, 0x00 },	/* opt len 0 */
		{ 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x07, 0x02, 0x09, 0x00 },
		{ 0xFF, 0x03, 0xC2, 0x23, 0x01, 0x01, 0x00, 0x05, 0x10 },	/* chal > len */
		{ 0xFF, 0x03, 0xC0, 0x29, 0x01, 0x01, 0x00, 0x06, 0x02, 0x01 },	/* cbcp opt */
		{ 0xFF, 0x03, 0x80, 0x21, 0x03, 0x01, 0x00, 0x06, 0x03, 0x07 },
	};
	static const size_t len[] = { 1, 4, 3, 8, 5, 8, 8, 10, 11, 9, 10, 10 };
	struct harness *h = harness_new(SUB_PPP_WINNT_ASK, NULL);

	(void)state;
	sub_ppp_lower_up(&h->c, false);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		sub_ppp_input_frame(&h->c, bad[i], len[i]);
	assert_true(h->c.st.malformed >= 9);
	assert_int_equal(h->c.lcp, SUB_CP_REQSENT);
	/* a garbage octet stream: bad FCS, aborts */
	{
		static const uint8_t junk[] = { 0x7E, 1, 2, 3, 4, 5, 0x7E, 0x7E, 0x7D, 0x7E, 9,
						0x7E, 0xFF, 0x7E };
		sub_ppp_input(&h->c, junk, sizeof(junk));
	}
	assert_true(h->c.st.bad_fcs >= 1);
	/* the real exchange still works afterwards */
	h->next = h->nf;
	NAS(h, LCP, NAS_LCP_CONFREQ_3);
	h->next++;
	NAS(h, LCP, 0x02, 0x03, 0x00, 0x17, CLIENT_LCP_OPTS_1);
	assert_int_equal(h->ev[SUB_PPP_EV_LCP_OPEN], 1);
	/* an ACK that does not echo our request, with a wrong id: ignored */
	NAS(h, LCP, 0x02, 0x07, 0x00, 0x04);
	/* CBCP broken while in the callback phase */
	nas_challenge(h, 4);
	h->next++;
	NAS(h, CHAP, 0x03, 0x04, 0x00, 0x04);
	for (size_t i = 0; i < 8; i++)
		sub_ppp_input_frame(&h->c, bad[10], i + 4);
	NAS(h, CBCP, 0x01, 0x01, 0x00, 0x05, 0x02);	/* option cut short */
	NAS(h, CBCP, 0x01, 0x02, 0x00, 0x07, 0x02, 0x03, 0x00);	/* user opt, no address */
	NAS(h, CBCP, 0x09, 0x01, 0x00, 0x04);
	assert_int_equal(h->c.phase, SUB_PPP_CALLBACK);
	harness_free(h);
}

static uint32_t prng(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Random frames from a deterministic generator, in every phase reachable. */
static void test_random_frames(void **state)
{
	static const uint16_t protos[] = { LCP, CHAP, CBCP, IPCP, SUB_PPP_PROTO_PAP, 0x0021,
					   0x002D, 0x8057 };
	uint32_t s = 12345;

	(void)state;
	for (unsigned round = 0; round < 60; round++) {
		struct harness *h = harness_new((enum sub_ppp_variant)(round % 6), NULL);
		uint8_t p[64];

		sub_ppp_lower_up(&h->c, round & 1);
		if (round % 3) {	/* open LCP first so that later phases see garbage */
			NAS(h, LCP, NAS_LCP_CONFREQ_3);
			if (h->nf) {
				struct rxframe *r = &h->f[0];

				r->d[0] = 2;
				nas_send(h, LCP, r->d, r->n);
			}
		}
		for (unsigned i = 0; i < 300; i++) {
			size_t n = 4 + prng(&s) % 40;

			for (size_t k = 0; k < n; k++)
				p[k] = (uint8_t)prng(&s);
			if (prng(&s) & 1) {
				p[0] = (uint8_t)(1 + prng(&s) % 12);
				p[2] = 0;
				p[3] = (uint8_t)n;
			}
			nas_send(h, protos[prng(&s) % 8], p, n);
			if (i % 50 == 0)
				run_to(h, ev_now(h->loop) + 2 * EV_SEC);
		}
		h->next = h->nf;
		h->nf = 0;		/* the capture may have filled; that is fine here */
		h->bad = 0;
		harness_free(h);
	}
}

/* Per-client magic: the tick-count base differs per seed; the seed's client gets the
 * seed's magic; pppd's generator gives different values per seed. */
static void test_magic_and_describe(void **state)
{
	struct sub_ppp_config cfg;
	uint32_t m[3];
	char line[64];

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		struct harness *h;

		sub_ppp_config_default(&cfg, i == 2 ? SUB_PPP_PPPD : SUB_PPP_WINNT_ASK);
		cfg.magic_seed = i;
		h = harness_new(cfg.variant, &cfg);
		sub_ppp_lower_up(&h->c, false);
		m[i] = h->c.magic;
		h->next = h->nf;
		harness_free(h);
	}
	assert_int_equal(m[0], 0x004A4A09);
	assert_int_not_equal(m[1], m[0]);
	assert_int_not_equal(m[2], m[1]);

	static const uint8_t f1[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x03, 0x00, 0x17 };
	static const uint8_t f2[] = { 0xC0, 0x29, 0x02, 0x14, 0x00, 0x11 };
	static const uint8_t f3[] = { 0x21, 0x45, 0x00 };
	static const uint8_t f4[] = { 0xFF, 0x03, 0xC2 };
	sub_ppp_describe(f1, sizeof(f1), line, sizeof(line));
	assert_string_equal(line, "LCP CONFREQ id 3 len 23");
	sub_ppp_describe(f2, sizeof(f2), line, sizeof(line));
	assert_string_equal(line, "MCB Response id 20 len 17");
	sub_ppp_describe(f3, sizeof(f3), line, sizeof(line));
	assert_string_equal(line, "IP len 2");
	sub_ppp_describe(f4, sizeof(f4), line, sizeof(line));
	assert_string_equal(line, "runt len 3");
	assert_int_equal(sub_ppp_describe(f1, sizeof(f1), line, 4), 3);
	assert_string_equal(line, "LCP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_callback_end_to_end),
		cmocka_unit_test(test_always_answers_at_once),
		cmocka_unit_test(test_win9x_answers_offer),
		cmocka_unit_test(test_preconfigured_takes_admin),
		cmocka_unit_test(test_no_callback_plain_dial_in),
		cmocka_unit_test(test_pppd_like),
		cmocka_unit_test(test_callback_option_rejected),
		cmocka_unit_test(test_lcp_retransmit_and_give_up),
		cmocka_unit_test(test_lcp_housekeeping),
		cmocka_unit_test(test_malformed_frames),
		cmocka_unit_test(test_random_frames),
		cmocka_unit_test(test_magic_and_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

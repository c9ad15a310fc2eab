/*
 * test_ppp_b2b.c - two engines back to back (the NAS and a test-only client role)
 * on one manual event loop: IPCP Open without callback, the full callback
 * negotiation, PAP, admin/list callback numbers and unauthorised callback
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
#include "log.h"

/* The client side: its own session, frames queued both ways and pumped. */
struct peer_end {
	struct ppp_session s;
	struct ppp_profile prof;
	uint8_t q[64][1600];
	size_t qlen[64];
	unsigned nq;
	unsigned callbacks, ip_ups, downs;
	uint32_t ip;
	uint32_t rnd;
};

struct pair {
	struct ph h;		/* NAS */
	struct peer_end c;	/* client */
};

static int c_send(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	struct peer_end *c = ctx;
	(void)flags;
	if (c->nq >= 64 || len > 1600)
		return -1;
	memcpy(c->q[c->nq], frame, len);
	c->qlen[c->nq++] = len;
	return 0;
}

static void c_ip_up(void *ctx, uint32_t a) { struct peer_end *c = ctx; c->ip_ups++; c->ip = a; }
static void c_down(void *ctx, const char *r) { (void)r; ((struct peer_end *)ctx)->downs++; }
static void c_random(void *ctx, void *buf, size_t len)
{
	struct peer_end *c = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		c->rnd = c->rnd * 1103515245u + 12345u;
		b[i] = (uint8_t)(c->rnd >> 16);
	}
}

static const struct ppp_lower_ops c_ops = {
	.send = c_send, .ip_up = c_ip_up, .down = c_down, .random = c_random,
};

/* Deliver queued frames both ways until both are quiet. */
static void pump(struct pair *p)
{
	for (int guard = 0; guard < 1000; guard++) {
		bool moved = false;
		while (p->h.rd < p->h.nout) {
			struct ph_frame *f = &p->h.out[p->h.rd++];
			uint8_t tmp[1600];
			size_t n = f->len;
			memcpy(tmp, f->data, n);
			ppp_input(&p->c.s, tmp, n);
			moved = true;
		}
		if (p->c.nq) {
			unsigned n = p->c.nq;
			static uint8_t q[64][1600];
			static size_t ql[64];
			memcpy(q, p->c.q, sizeof(q));
			memcpy(ql, p->c.qlen, sizeof(ql));
			p->c.nq = 0;
			for (unsigned i = 0; i < n; i++)
				ppp_input(&p->h.s, q[i], ql[i]);
			moved = true;
		}
		if (!moved)
			return;
	}
	fail_msg("pump did not settle");
}

static void pair_setup(struct pair *p, const char *user, const char *secret,
		       const char *cb, const char *cfg)
{
	memset(&p->c, 0, sizeof(p->c));
	ph_setup(&p->h, cfg, "Async4");
	p->c.prof.hostname = "pc";
	p->c.prof.accm = 0;
	p->c.prof.restart = 2 * EV_SEC;
	p->c.prof.client = true;
	p->c.prof.vj = true;
	p->c.prof.client_user = user;
	p->c.prof.client_secret = secret;
	p->c.prof.client_callback = cb;
	p->c.rnd = 99;
	ppp_session_init(&p->c.s, p->h.loop, &p->c.prof, &c_ops, &p->c, "pc0", "pc0");
}

static void pair_run(struct pair *p, ev_time_t until)
{
	ppp_open_passive(&p->c.s);
	ppp_open_active(&p->h.s);
	for (ev_time_t t = 0; t <= until; t += 100 * EV_MSEC) {
		ph_step(&p->h, t);
		pump(p);
	}
}

static void pair_teardown(struct pair *p)
{
	ppp_session_fini(&p->c.s);
	ph_teardown(&p->h);
}

static void test_b2b_no_callback_ipcp(void **state)
{
	struct pair p;

	(void)state;
	/* the client does not ask for callback: straight to IPCP */
	pair_setup(&p, "callmeback", "cisco", NULL, NULL);
	pair_run(&p, 3 * EV_SEC);
	assert_int_equal(p.h.s.lcp.fsm.state, FSM_OPENED);
	assert_int_equal(p.c.s.lcp.fsm.state, FSM_OPENED);
	assert_int_equal(p.h.s.ipcp.fsm.state, FSM_OPENED);
	assert_int_equal(p.c.s.ipcp.fsm.state, FSM_OPENED);
	assert_int_equal(p.h.ip_ups, 1);
	assert_int_equal(p.h.ip_addr, 0xAC10193B);	/* 172.16.25.59: first in the pool */
	assert_int_equal(p.c.ip, 0xAC10193B);
	assert_true(p.h.s.ipcp.his_vj);
	assert_int_equal(p.h.callbacks, 0);
	assert_string_equal(p.h.s.user, "callmeback");
	{
		char d[128];
		ppp_describe(&p.h.s, d, sizeof(d));
		assert_string_equal(d, "PPP UP, LCP Open, IPCP Open, user callmeback, peer 172.16.25.59");
	}
	/* PFC/ACFC in use both ways: frames were compressed and still understood */
	assert_true(p.h.s.tx_acfc && p.h.s.tx_pfc);
	/* an administrative close ends both */
	ppp_close(&p.h.s, "admin");
	for (ev_time_t t = 4 * EV_SEC; t <= 12 * EV_SEC; t += 100 * EV_MSEC) {
		ph_step(&p.h, t);
		pump(&p);
	}
	assert_int_equal(p.h.s.lcp.fsm.state, FSM_CLOSED);
	assert_int_equal(p.h.downs, 1);
	assert_int_equal(p.h.ip_downs, 1);
	assert_true(ippool_reserve(ippool_find(&p.h.pools, "default"), 0xAC10193B));
	pair_teardown(&p);
}

static void test_b2b_callback(void **state)
{
	struct pair p;

	(void)state;
	pair_setup(&p, "callmeback", "cisco", "5279651", NULL);
	pair_run(&p, 3 * EV_SEC);
	assert_int_equal(p.h.callbacks, 1);
	assert_string_equal(p.h.cb_user, "callmeback");
	assert_string_equal(p.h.cb_number, "5279651");
	assert_true(p.c.s.callback_pending);
	assert_int_equal(p.h.ip_ups, 0);
	pair_teardown(&p);
}

static void test_b2b_admin_number_wins(void **state)
{
	struct pair p;

	(void)state;
	/* toll fraud attempt: the client offers its own number, the NAS calls the
	 * preconfigured one */
	pair_setup(&p, "fixed", "fixedpw", "0900123456", NULL);
	pair_run(&p, 3 * EV_SEC);
	assert_int_equal(p.h.callbacks, 1);
	assert_string_equal(p.h.cb_number, "5551212");
	assert_true(ph_find_line(0, "As4 MCB: User fixed Callback Number - Server 5551212") >= 0);
	pair_teardown(&p);
}

/* Scripted client: LCP with Callback 6, CHAP as `user`; returns the MCB Request. */
static struct ph_frame *to_mcb(struct ph *h, const char *user, const char *secret)
{
	struct ph_frame *f;
	const uint8_t *pp;
	size_t n, rl;
	uint8_t resp[64], ack[64];

	ppp_open_active(&h->s);
	f = ph_next_proto(h, PPP_PROTO_LCP);
	ph_proto(f, &pp, &n);
	memcpy(ack, pp, n);
	ack[0] = 2;
	ph_inject(h, PPP_PROTO_LCP, ack, n);
	ph_inject(h, PPP_PROTO_LCP, (const uint8_t[]){ 1, 1, 0, 7, 0x0D, 3, 6 }, 7);
	f = ph_next_proto(h, PPP_PROTO_CHAP);
	assert_non_null(f);
	ph_proto(f, &pp, &n);
	rl = ph_chap_response(pp, n, user, secret, resp);
	ph_inject(h, PPP_PROTO_CHAP, resp, rl);
	return ph_next_proto(h, PPP_PROTO_CBCP);
}

static void test_admin_number_ignores_offer(void **state)
{
	struct ph h;
	struct ph_frame *f;
	const uint8_t *pp;
	size_t n;
	/* scripted hostile client answering the admin Request with a user number */
	static const uint8_t bad[] = { 0x02, 0, 0x00, 0x0F, 0x02, 0x0B, 0x05, 0x01,
				       '0', '9', '0', '0', '1', '2', 0x00 };
	uint8_t r[sizeof(bad)];

	(void)state;
	ph_setup(&h, NULL, "Async4");
	f = to_mcb(&h, "fixed", "fixedpw");
	assert_non_null(f);
	ph_proto(f, &pp, &n);
	/* Request: admin type 3, no number for the client to change */
	assert_int_equal(n, 7);
	assert_int_equal(pp[4], 3);
	memcpy(r, bad, sizeof(r));
	r[1] = pp[1];
	ph_inject(&h, PPP_PROTO_CBCP, r, sizeof(r));
	f = ph_next_proto(&h, PPP_PROTO_CBCP);
	assert_non_null(f);
	ph_proto(f, &pp, &n);
	assert_int_equal(pp[0], 3);	/* Ack */
	assert_int_equal(pp[4], 3);	/* of the admin number, not the offered one */
	ph_inject(&h, PPP_PROTO_LCP, (const uint8_t[]){ 5, 9, 0, 4 }, 4);
	assert_int_equal(h.callbacks, 1);
	assert_string_equal(h.cb_number, "5551212");
	ph_teardown(&h);
}

static void test_not_authorised_insisting_client(void **state)
{
	struct ph h;
	struct ph_frame *f;
	const uint8_t *pp;
	size_t n;
	uint8_t r[] = { 0x02, 0, 0x00, 0x0E, 0x02, 0x0A, 0x05, 0x01, '5', '5', '5', '1', '2', 0x00 };

	(void)state;
	ph_setup(&h, NULL, "Async4");
	f = to_mcb(&h, "nocb", "nocbpw");
	assert_non_null(f);
	ph_proto(f, &pp, &n);
	assert_int_equal(n, 6);			/* Request with No-callback only */
	assert_int_equal(pp[4], 1);
	r[1] = pp[1];
	ph_inject(&h, PPP_PROTO_CBCP, r, sizeof(r));
	/* refused: Terminate-Request, never a callback */
	f = ph_next_proto(&h, PPP_PROTO_LCP);
	assert_non_null(f);
	ph_proto(f, &pp, &n);
	assert_int_equal(pp[0], 5);
	assert_int_equal(h.callbacks, 0);
	assert_true(ph_find_line(0, "As4 MCB: Callback not authorized for nocb") >= 0);
	ph_teardown(&h);
}

static void test_bad_number_rejected(void **state)
{
	struct ph h;
	struct ph_frame *f;
	const uint8_t *pp;
	size_t n;
	/* a number carrying modem commands is not accepted */
	uint8_t r[] = { 0x02, 0, 0x00, 0x0F, 0x02, 0x0B, 0x05, 0x01, '5', ';', 'A', 'T', 'Z', 0x00, 0 };

	(void)state;
	ph_setup(&h, NULL, "Async4");
	f = to_mcb(&h, "callmeback", "cisco");
	assert_non_null(f);
	ph_proto(f, &pp, &n);
	r[1] = pp[1];
	r[3] = 0x0E;
	ph_inject(&h, PPP_PROTO_CBCP, r, 14);
	assert_null(ph_next_proto(&h, PPP_PROTO_CBCP));	/* no Ack */
	assert_int_equal(h.s.mcb.state, MCB_ST_WAIT_RESPONSE);
	ph_teardown(&h);
}

/* After the Ack: the client hangs up without TERMREQ, or never hangs up. */
static void test_callback_without_termreq(void **state)
{
	struct ph h;
	struct ph_frame *f;
	const uint8_t *pp;
	size_t n;
	uint8_t r[] = { 0x02, 0, 0x00, 0x0F, 0x02, 0x0B, 0x05, 0x01, '5', '5', '5', '0', '1', '0', 0 };

	(void)state;
	for (int variant = 0; variant < 2; variant++) {
		ph_setup(&h, NULL, "Async4");
		f = to_mcb(&h, "callmeback", "cisco");
		assert_non_null(f);
		ph_proto(f, &pp, &n);
		r[1] = pp[1];
		ph_inject(&h, PPP_PROTO_CBCP, r, sizeof(r));
		f = ph_next_proto(&h, PPP_PROTO_CBCP);
		assert_non_null(f);
		assert_int_equal(h.callbacks, 0);
		if (variant == 0) {
			ppp_lower_down(&h.s);		/* carrier lost */
		} else {
			ph_step(&h, 10 * EV_SEC);	/* we terminate ourselves */
			f = ph_next_proto(&h, PPP_PROTO_LCP);
			assert_non_null(f);
			ph_proto(f, &pp, &n);
			assert_int_equal(pp[0], 5);
			assert_true(ph_find_line(0, "As4 MCB: Peer did not terminate the link") >= 0);
		}
		assert_int_equal(h.callbacks, 1);
		assert_string_equal(h.cb_number, "555010");
		ph_teardown(&h);
	}
}

static void test_b2b_list(void **state)
{
	struct pair p;

	(void)state;
	pair_setup(&p, "listed", "listpw", "5550002", NULL);
	pair_run(&p, 3 * EV_SEC);
	assert_int_equal(p.h.callbacks, 1);
	assert_string_equal(p.h.cb_number, "5550002");
	pair_teardown(&p);
}

static void test_b2b_not_authorised(void **state)
{
	struct pair p;

	(void)state;
	/* "nocb" has no callback-dialstring: the NAS offers only No-callback; a
	 * pppd-like client accepts it and the call goes on to IPCP, without callback */
	pair_setup(&p, "nocb", "nocbpw", "5279651", NULL);
	pair_run(&p, 8 * EV_SEC);
	assert_int_equal(p.h.callbacks, 0);
	assert_true(ph_find_line(0, "As4 MCB: User nocb not authorized for callback") >= 0);
	assert_true(ph_find_line(0, "Async4 MCB: O 1 14 0 6 1 2") >= 0);
	assert_int_equal(p.h.ip_ups, 1);
	pair_teardown(&p);
}

static const char pap_cfg[] =
	"hostname nas\naaa new-model\naaa authentication ppp default local\n"
	"username alice password 0 wonder\n"
	"interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n"
	"interface Group-Async1\n ip unnumbered Ethernet0\n peer default ip address pool p\n"
	" ppp authentication pap\n ppp max-bad-auth 2\n ppp ipcp dns 10.0.0.53 10.0.0.54\n"
	" group-range 1 4\n"
	"ip local pool p 10.0.0.100 10.0.0.110\n";

static void test_b2b_pap_and_dns(void **state)
{
	struct pair p;

	(void)state;
	pair_setup(&p, "alice", "wonder", NULL, pap_cfg);
	pair_run(&p, 3 * EV_SEC);
	assert_int_equal(p.h.s.ipcp.fsm.state, FSM_OPENED);
	assert_int_equal(p.c.ip, 0x0A000064);
	/* the client asked DNS 0.0.0.0 and was Naked the configured servers */
	assert_int_equal(p.c.s.ipcp.want_dns[0], 0x0A000035);
	assert_int_equal(p.c.s.ipcp.want_dns[1], 0x0A000036);
	assert_true(ph_find_substr("As4 PAP: O AUTH-ACK id ") >= 0);
	assert_true(ph_find_line(0, "As4 PAP: Authenticating peer alice") >= 0);
	pair_teardown(&p);
}

static void test_b2b_pap_bad_password(void **state)
{
	struct pair p;

	(void)state;
	pair_setup(&p, "alice", "wrong", NULL, pap_cfg);
	pair_run(&p, 30 * EV_SEC);
	assert_int_equal(p.h.ip_ups, 0);
	assert_true(p.h.s.lcp.fsm.state == FSM_CLOSED || p.h.s.lcp.fsm.state == FSM_CLOSING);
	assert_true(p.h.s.pap.failures >= 1);
	assert_true(ph_find_substr("As4 PAP: O AUTH-NAK id ") >= 0);
	pair_teardown(&p);
}

static void test_b2b_pool_exhausted(void **state)
{
	struct pair p;
	struct ip_pool *pool;
	uint32_t a;

	(void)state;
	pair_setup(&p, "callmeback", "cisco", NULL, NULL);
	pool = ippool_find(&p.h.pools, "default");
	while ((a = ippool_alloc(pool)) != 0)
		;
	pair_run(&p, 4 * EV_SEC);
	assert_int_equal(p.h.ip_ups, 0);
	assert_true(ph_find_line(0, "As4 IPCP: Pool 'default' exhausted") >= 0);
	assert_true(p.h.s.lcp.fsm.state != FSM_OPENED);
	pair_teardown(&p);
}

static void test_b2b_wrong_user_on_callback(void **state)
{
	struct pair p;

	(void)state;
	/* the callback leg for callmeback is answered by another (valid) user */
	pair_setup(&p, "fixed", "fixedpw", NULL, NULL);
	ppp_set_expected_user(&p.h.s, "callmeback");
	pair_run(&p, 4 * EV_SEC);
	assert_int_equal(p.h.ip_ups, 0);
	assert_true(ph_find_line(0, "As4 PPP: Callback for callmeback answered by fixed: wrong user") >= 0);
	assert_true(ph_find_substr("As4 CHAP: O FAILURE id") >= 0);
	assert_true(p.h.s.lcp.fsm.state != FSM_OPENED);
	pair_teardown(&p);

	/* the right user passes */
	pair_setup(&p, "callmeback", "cisco", NULL, NULL);
	ppp_set_expected_user(&p.h.s, "callmeback");
	pair_run(&p, 4 * EV_SEC);
	assert_int_equal(p.h.ip_ups, 1);
	pair_teardown(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b2b_no_callback_ipcp),
		cmocka_unit_test(test_b2b_callback),
		cmocka_unit_test(test_b2b_admin_number_wins),
		cmocka_unit_test(test_admin_number_ignores_offer),
		cmocka_unit_test(test_b2b_list),
		cmocka_unit_test(test_callback_without_termreq),
		cmocka_unit_test(test_not_authorised_insisting_client),
		cmocka_unit_test(test_bad_number_rejected),
		cmocka_unit_test(test_b2b_not_authorised),
		cmocka_unit_test(test_b2b_pap_and_dns),
		cmocka_unit_test(test_b2b_pap_bad_password),
		cmocka_unit_test(test_b2b_pool_exhausted),
		cmocka_unit_test(test_b2b_wrong_user_on_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

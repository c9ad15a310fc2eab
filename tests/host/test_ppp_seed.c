/*
 * test_ppp_seed.c - the seed's two calls, byte for byte and line by line
 *
 * First call: LCP with Callback 6, CHAP, the slow user's MCB (Requests 20..24 every
 * 2 s, late Response 20 ignored, Request 25, Response 25, Ack 26), the client's
 * TERMREQ and the callback to 527-9651.  Second call: LCP, CHAP and the seed's IPCP
 * exchange ending with 172.16.25.60 and "Install route".
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "card_proto.h"
#include "ppp_harness.h"

#define P(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static void do_chap(struct ph *h, uint8_t want_id, const char *user, const char *secret)
{
	struct ph_frame *f = ph_next_proto(h, PPP_PROTO_CHAP);
	const uint8_t *p;
	size_t n, rl;
	uint8_t resp[128];

	assert_non_null(f);
	ph_proto(f, &p, &n);
	assert_int_equal(p[0], 1);
	assert_int_equal(p[1], want_id);
	assert_int_equal(n, 28);		/* 4 + 1 + 16 + "isdn2-2" */
	assert_int_equal(p[4], 16);
	assert_memory_equal(p + 21, "isdn2-2", 7);
	rl = ph_chap_response(p, n, user, secret, resp);
	ph_inject(h, PPP_PROTO_CHAP, resp, rl);
}

static void test_first_call(void **state)
{
	struct ph h;
	struct ph_frame *f;
	static const uint8_t mcb_resp[] = { 0x02, 0x14, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01,
					    '5', '2', '7', '-', '9', '6', '5', '1', 0x00 };
	uint8_t r25[sizeof(mcb_resp)];

	(void)state;
	ph_setup(&h, NULL, "Async4");
	h.magics[h.nmagics++] = 0x608D04A3;
	ppp_set_next_id(&h.s, 3);

	/* autoselect -> active open: our CONFREQ at once */
	ppp_open_active(&h.s);
	f = ph_next(&h);
	assert_non_null(f);
	{
		static const uint8_t want[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x03, 0x00, 0x19,
			0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x03, 0x05, 0xC2, 0x23, 0x05,
			0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07, 0x02, 0x08, 0x02 };
		assert_int_equal(f->len, sizeof(want));
		assert_memory_equal(f->data, want, sizeof(want));
		assert_int_equal(f->flags & CARD_TX_FULL_ACCM, CARD_TX_FULL_ACCM);
	}
	assert_int_equal(PPP_TX_FULL_ACCM, CARD_TX_FULL_ACCM);
	ph_step(&h, 124 * EV_MSEC);
	ph_inject(&h, PPP_PROTO_LCP, P(0x02, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		  0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07, 0x02,
		  0x08, 0x02));
	assert_int_equal(h.s.lcp.fsm.state, FSM_ACKRCVD);
	ph_step(&h, 388 * EV_MSEC);
	/* the client's CONFREQ with Callback 6 is CONFACKed byte for byte */
	ph_inject(&h, PPP_PROTO_LCP, P(0x01, 0x03, 0x00, 0x17, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		  0x05, 0x06, 0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02, 0x0D, 0x03, 0x06));
	f = ph_next(&h);
	assert_non_null(f);
	{
		static const uint8_t want[] = { 0xFF, 0x03, 0xC0, 0x21, 0x02, 0x03, 0x00, 0x17,
			0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x05, 0x06, 0x00, 0x4A, 0x4A, 0x09,
			0x07, 0x02, 0x08, 0x02, 0x0D, 0x03, 0x06 };
		assert_int_equal(f->len, sizeof(want));
		assert_memory_equal(f->data, want, sizeof(want));
		assert_true(f->flags & CARD_TX_FULL_ACCM);
	}
	assert_int_equal(h.s.lcp.fsm.state, FSM_OPENED);
	/* the link is reconfigured after the Ack went out */
	assert_int_equal(h.set_links, 1);
	assert_int_equal(h.link_tx_accm, 0x000A0000);
	assert_int_equal(h.link_rx_accm, 0x000A0000);
	assert_true(h.link_pfc && h.link_acfc);

	/* CHAP: challenge id 4 - sent with ACFC now (no FF 03) */
	f = &h.out[h.rd];
	assert_true(h.rd < h.nout);
	assert_int_equal(f->data[0], 0xC2);
	assert_int_equal(f->flags & CARD_TX_FULL_ACCM, 0);
	do_chap(&h, 4, "callmeback", "cisco");
	ph_expect(&h, PPP_PROTO_CHAP, P(0x03, 0x04, 0x00, 0x04));
	assert_int_equal(h.s.phase, PPP_PHASE_CALLBACK);

	/* MCB: Request 20 at once, then 21..24 every 2 s */
	ph_expect(&h, PPP_PROTO_CBCP, P(0x01, 20, 0x00, 0x09, 0x02, 0x05, 0x00, 0x01, 0x00));
	for (uint8_t id = 21; id <= 24; id++) {
		ph_step(&h, (ev_time_t)(2 * (id - 20)) * EV_SEC + 500 * EV_MSEC);
		ph_expect(&h, PPP_PROTO_CBCP, P(0x01, id, 0x00, 0x09, 0x02, 0x05, 0x00, 0x01, 0x00));
	}
	/* the late Response to Request 20 is ignored */
	ph_step(&h, 9600 * EV_MSEC);
	ph_inject(&h, PPP_PROTO_CBCP, mcb_resp, sizeof(mcb_resp));
	assert_null(ph_next_proto(&h, PPP_PROTO_CBCP));
	ph_step(&h, 10600 * EV_MSEC);
	ph_expect(&h, PPP_PROTO_CBCP, P(0x01, 25, 0x00, 0x09, 0x02, 0x05, 0x00, 0x01, 0x00));
	memcpy(r25, mcb_resp, sizeof(r25));
	r25[1] = 25;
	ph_step(&h, 10700 * EV_MSEC);
	ph_inject(&h, PPP_PROTO_CBCP, r25, sizeof(r25));
	ph_expect(&h, PPP_PROTO_CBCP, P(0x03, 0x1A, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, 0x35, 0x32,
		  0x37, 0x2D, 0x39, 0x36, 0x35, 0x31, 0x00));
	assert_int_equal(h.callbacks, 0);

	/* the client hangs up for the callback */
	ph_step(&h, 10800 * EV_MSEC);
	ph_inject(&h, PPP_PROTO_LCP, P(0x05, 0x05, 0x00, 0x04));
	ph_expect(&h, PPP_PROTO_LCP, P(0x06, 0x05, 0x00, 0x04));
	assert_int_equal(h.callbacks, 1);
	assert_string_equal(h.cb_user, "callmeback");
	assert_string_equal(h.cb_number, "527-9651");
	assert_int_equal(h.s.phase, PPP_PHASE_TERMINATING);
	/* the link went back to the default ACCM */
	assert_int_equal(h.link_tx_accm, 0xFFFFFFFF);

	{
		static const char *const lines[] = {
			"%LINK-3-UPDOWN: Interface Async4, changed state to up",
			"As4 PPP: Treating connection as a dedicated line",
			"As4 PPP: Phase is ESTABLISHING, Active Open",
			"As4 LCP: O CONFREQ [Closed] id 3 len 25",
			"As4 LCP: ACCM 0x000A0000 (0x0206000A0000)",
			"As4 LCP: AuthProto CHAP (0x0305C22305)",
			"As4 LCP: MagicNumber 0x608D04A3 (0x0506608D04A3)",
			"As4 LCP: PFC (0x0702)",
			"As4 LCP: ACFC (0x0802)",
			"As4 LCP: I CONFACK [REQsent] id 3 len 25",
			"As4 LCP: ACCM 0x000A0000 (0x0206000A0000)",
			"As4 LCP: I CONFREQ [ACKrcvd] id 3 len 23",
			"As4 LCP: ACCM 0x000A0000 (0x0206000A0000)",
			"As4 LCP: MagicNumber 0x004A4A09 (0x0506004A4A09)",
			"As4 LCP: PFC (0x0702)",
			"As4 LCP: ACFC (0x0802)",
			"As4 LCP: Callback 6 (0x0D0306)",
			"As4 LCP: O CONFACK [ACKrcvd] id 3 len 23",
			"As4 LCP: Callback 6 (0x0D0306)",
			"As4 LCP: State is Open",
			"As4 PPP: Phase is AUTHENTICATING, by this end",
			"As4 CHAP: O CHALLENGE id 4 len 28 from \"isdn2-2\"",
			"As4 CHAP: I RESPONSE id 4 len 31 from \"callmeback\"",
			"AAA/AUTHEN/START (" /* prefix matched below */,
		};
		ph_expect_lines(lines, sizeof(lines) / sizeof(lines[0]) - 1);
	}
	{
		static const char *const lines[] = {
			"As4 CHAP: I RESPONSE id 4 len 31 from \"callmeback\"",
			"AAA/AUTHOR/LCP As4: Authorize LCP",
			"AAA/AUTHOR/LCP As4: Processing AV service=ppp",
			"AAA/AUTHOR/LCP As4: Processing AV protocol=lcp",
			"AAA/AUTHOR/LCP As4: Processing AV callback-dialstring=",
			"As4 CHAP: O SUCCESS id 4 len 4",
			"As4 MCB: User callmeback Callback Number - Client ANY",
			"Async4 PPP: O MCB Request(1) id 20 len 9",
			"Async4 MCB: O 1 14 0 9 2 5 0 1 0",
			"As4 MCB: O Request Id 20 Callback Type Client-Num delay 0",
			"%LINEPROTO-5-UPDOWN: Line protocol on Interface Async4, changed state to up",
			"As4 MCB: Timeout in state WAIT_RESPONSE",
			"Async4 PPP: O MCB Request(1) id 21 len 9",
			"Async4 MCB: O 1 15 0 9 2 5 0 1 0",
			"As4 MCB: O Request Id 21 Callback Type Client-Num delay 0",
			"As4 MCB: Timeout in state WAIT_RESPONSE",
			"Async4 MCB: O 1 16 0 9 2 5 0 1 0",
			"Async4 MCB: O 1 17 0 9 2 5 0 1 0",
			"As4 MCB: Timeout in state WAIT_RESPONSE",
			"Async4 PPP: O MCB Request(1) id 24 len 9",
			"Async4 MCB: O 1 18 0 9 2 5 0 1 0",
			"As4 MCB: O Request Id 24 Callback Type Client-Num delay 0",
			"Async4 PPP: I MCB Response(2) id 20 len 17",
			"Async4 MCB: I 2 14 0 11 2 D F 1 35 32 37 2D 39 36 35 31 0",
			"As4 MCB: Received response",
			"As4 MCB: Resp ignored. ID Expected 24, got id 20",
			"As4 MCB: Timeout in state WAIT_RESPONSE",
			"Async4 PPP: O MCB Request(1) id 25 len 9",
			"Async4 MCB: O 1 19 0 9 2 5 0 1 0",
			"As4 MCB: O Request Id 25 Callback Type Client-Num delay 0",
			"Async4 PPP: I MCB Response(2) id 25 len 17",
			"Async4 MCB: I 2 19 0 11 2 D F 1 35 32 37 2D 39 36 35 31 0",
			"As4 MCB: Received response",
			"As4 MCB: Response CBK-Client-Num 2 13 15, addr 1-527-9651",
			"Async4 PPP: O MCB Ack(3) id 26 len 17",
			"Async4 MCB: O 3 1A 0 11 2 D F 1 35 32 37 2D 39 36 35 31 0",
			"As4 MCB: O Ack Id 26 Callback Type Client-Num delay 15",
			"As4 MCB: Negotiated MCB with peer",
			"As4 LCP: I TERMREQ [Open] id 5 len 4",
			"As4 LCP: O TERMACK [Open] id 5 len 4",
			"As4 MCB: Peer terminating the link",
			"As4 PPP: Phase is TERMINATING",
			"As4 MCB: Link terminated by peer, Callback Needed",
			"As4 MCB: Initiate Callback for callmeback at 527-9651 using Async",
			"As4 MCB: Async-callback in progress",
		};
		ph_expect_lines(lines, sizeof(lines) / sizeof(lines[0]));
	}
	/* AAA authentication lines (ids are opaque) */
	{
		bool create = false, method = false, pass = false;
		for (unsigned i = 0; i < ph_nlines; i++) {
			if (strstr(ph_lines[i], "AAA/AUTHEN: create_user (0x") &&
			    strstr(ph_lines[i], "user='callmeback' ruser='' port='Async4' rem_addr='async/4084327528' authen_type=CHAP service=PPP priv=1"))
				create = true;
			if (strstr(ph_lines[i], "AAA/AUTHEN/START (") && strstr(ph_lines[i], "): Method=LOCAL"))
				method = true;
			if (strstr(ph_lines[i], "AAA/AUTHEN (") && strstr(ph_lines[i], "): status = PASS"))
				pass = true;
		}
		assert_true(create && method && pass);
	}
	/* the line hangs up: session back to DOWN; AAA frees the user it created */
	ppp_lower_down(&h.s);
	{
		int c = ph_find_substr("AAA/AUTHEN: create_user (0x");
		int f = ph_find_substr("AAA/AUTHEN: free_user (0x");
		assert_true(c >= 0 && f > c);
		/* same handle, same user/port/remote */
		assert_string_equal(strchr(ph_lines[c], '('), strchr(ph_lines[f], '('));
	}
	assert_int_equal(h.s.lcp.fsm.state, FSM_INITIAL);
	assert_int_equal(h.s.phase, PPP_PHASE_DEAD);
	assert_int_equal(ev_loop_timer_count(h.loop), 0);
	ph_teardown(&h);
}

static void test_second_call_ipcp(void **state)
{
	struct ph h;
	struct ph_frame *f;
	const uint8_t *p;
	size_t n;

	(void)state;
	ph_setup(&h, NULL, "Async4");
	/* another line holds .59, so the pool returns .60 as in the seed */
	assert_true(ippool_reserve(ippool_find(&h.pools, "default"), 0xAC10193B));
	h.magics[h.nmagics++] = 0x608DF70C;
	ppp_set_next_id(&h.s, 5);
	ppp_open_active(&h.s);
	ph_expect(&h, PPP_PROTO_LCP, P(0x01, 0x05, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		  0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0xF7, 0x0C, 0x07, 0x02, 0x08, 0x02));
	ph_inject(&h, PPP_PROTO_LCP, P(0x02, 0x05, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		  0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0xF7, 0x0C, 0x07, 0x02, 0x08, 0x02));
	ph_inject(&h, PPP_PROTO_LCP, P(0x01, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		  0x05, 0x06, 0x00, 0x4B, 0x3E, 0xF5, 0x07, 0x02, 0x08, 0x02));
	ph_expect(&h, PPP_PROTO_LCP, P(0x02, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		  0x05, 0x06, 0x00, 0x4B, 0x3E, 0xF5, 0x07, 0x02, 0x08, 0x02));
	do_chap(&h, 6, "callmeback", "cisco");
	ph_expect(&h, PPP_PROTO_CHAP, P(0x03, 0x06, 0x00, 0x04));
	assert_int_equal(h.s.phase, PPP_PHASE_NETWORK);
	/* our IPCP CONFREQ id 1 len 16: VJ 15 slots, 172.16.25.52 */
	ph_expect(&h, PPP_PROTO_IPCP, P(0x01, 0x01, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x00,
		  0x03, 0x06, 0xAC, 0x10, 0x19, 0x34));
	/* the client: VJ with slot-id compression, address 0, DNS/WINS */
	ph_inject(&h, PPP_PROTO_IPCP, P(0x01, 0x01, 0x00, 0x28, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
		  0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0, 0, 0, 0x82, 0x06, 0, 0, 0, 0,
		  0x83, 0x06, 0, 0, 0, 0, 0x84, 0x06, 0, 0, 0, 0));
	ph_expect(&h, PPP_PROTO_IPCP, P(0x04, 0x01, 0x00, 0x1C, 0x81, 0x06, 0, 0, 0, 0,
		  0x82, 0x06, 0, 0, 0, 0, 0x83, 0x06, 0, 0, 0, 0, 0x84, 0x06, 0, 0, 0, 0));
	ph_inject(&h, PPP_PROTO_IPCP, P(0x02, 0x01, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x00,
		  0x03, 0x06, 0xAC, 0x10, 0x19, 0x34));
	assert_int_equal(h.s.ipcp.fsm.state, FSM_ACKRCVD);
	ph_inject(&h, PPP_PROTO_IPCP, P(0x01, 0x02, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
		  0x03, 0x06, 0, 0, 0, 0));
	ph_expect(&h, PPP_PROTO_IPCP, P(0x03, 0x02, 0x00, 0x0A, 0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C));
	ph_inject(&h, PPP_PROTO_IPCP, P(0x01, 0x03, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
		  0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C));
	f = ph_next_proto(&h, PPP_PROTO_IPCP);
	assert_non_null(f);
	ph_proto(f, &p, &n);
	assert_int_equal(n, 16);
	assert_int_equal(p[0], 2);
	assert_int_equal(h.s.ipcp.fsm.state, FSM_OPENED);
	assert_int_equal(h.ip_ups, 1);
	assert_int_equal(h.ip_addr, 0xAC10193C);
	{
		static const char *const lines[] = {
			"As4 LCP: O CONFREQ [Closed] id 5 len 25",
			"As4 LCP: MagicNumber 0x608DF70C (0x0506608DF70C)",
			"As4 LCP: I CONFREQ [ACKrcvd] id 3 len 20",
			"As4 LCP: State is Open",
			"As4 CHAP: O CHALLENGE id 6 len 28 from \"isdn2-2\"",
			"AAA/AUTHOR/LCP As4: Processing AV callback-dialstring=",
			"As4 CHAP: O SUCCESS id 6 len 4",
			"As4 PPP: Phase is UP",
			"AAA/AUTHOR/FSM As4: (0): Can we start IPCP?",
			"AAA/AUTHOR/FSM As4: We can start IPCP",
			"As4 IPCP: O CONFREQ [Closed] id 1 len 16",
			"As4 IPCP: CompressType VJ 15 slots (0x0206002D0F00)",
			"As4 IPCP: Address 172.16.25.52 (0x0306AC101934)",
			"As4 IPCP: I CONFREQ [REQsent] id 1 len 40",
			"As4 IPCP: CompressType VJ 15 slots CompressSlotID (0x0206002D0F01)",
			"As4 IPCP: Address 0.0.0.0 (0x030600000000)",
			"As4 IPCP: PrimaryDNS 0.0.0.0 (0x810600000000)",
			"As4 IPCP: PrimaryWINS 0.0.0.0 (0x820600000000)",
			"As4 IPCP: SecondaryDNS 0.0.0.0 (0x830600000000)",
			"As4 IPCP: SecondaryWINS 0.0.0.0 (0x840600000000)",
			"AAA/AUTHOR/IPCPC As4: Start. Her address 0.0.0.0, we want 0.0.0.0",
			"AAA/AUTHOR/IPCPC As4: Done. Her address 0.0.0.0, we want 0.0.0.0",
			"As4 IPCP: Using pool 'default'",
			"As4 IPCP: Pool returned 172.16.25.60",
			"As4 IPCP: O CONFREJ [REQsent] id 1 len 28",
			"As4 IPCP: PrimaryDNS 0.0.0.0 (0x810600000000)",
			"As4 IPCP: SecondaryWINS 0.0.0.0 (0x840600000000)",
			"As4 IPCP: I CONFACK [REQsent] id 1 len 16",
			"As4 IPCP: I CONFREQ [ACKrcvd] id 2 len 16",
			"AAA/AUTHOR/IPCPC As4: Start. Her address 0.0.0.0, we want 172.16.25.60",
			"As4 IPCP: O CONFNAK [ACKrcvd] id 2 len 10",
			"As4 IPCP: Address 172.16.25.60 (0x0306AC10193C)",
			"As4 IPCP: I CONFREQ [ACKrcvd] id 3 len 16",
			"AAA/AUTHOR/IPCPC As4: Start. Her address 172.16.25.60, we want 172.16.25.60",
			"AAA/AUTHOR/IPCP As4: Reject 172.16.25.60, using 172.16.25.60",
			"AAA/AUTHOR/IPCP As4: Processing AV addr*172.16.25.60",
			"AAA/AUTHOR/IPCP As4: Authorization succeeded",
			"AAA/AUTHOR/IPCP As4: Done. Her address 172.16.25.60, we want 172.16.25.60",
			"As4 IPCP: O CONFACK [ACKrcvd] id 3 len 16",
			"As4 IPCP: State is Open",
			"As4 IPCP: Install route to 172.16.25.60",
		};
		ph_expect_lines(lines, sizeof(lines) / sizeof(lines[0]));
	}
	/* hang-up: route removed, address back in the pool */
	ppp_lower_down(&h.s);
	assert_int_equal(h.ip_downs, 1);
	assert_true(ph_find_line(0, "As4 IPCP: Remove route to 172.16.25.60") >= 0);
	assert_true(ippool_reserve(ippool_find(&h.pools, "default"), 0xAC10193C));
	ph_teardown(&h);
}

/* Real pppd 2.4.9 (measured in a VM, see the project notes): its frames replayed. */
static void test_pppd_2_4_9_script(void **state)
{
	struct ph h;
	struct ph_frame *f;
	const uint8_t *p;
	size_t n;
	uint8_t ack[64];
	uint8_t resp[] = { 0x02, 0, 0x00, 0x10, 0x02, 0x0C, 0x05, 0x01,
			   '5', '2', '7', '9', '6', '5', '1', 0x00 };
	static const uint8_t term[] = { 0x05, 0x02, 0x00, 0x18, 'C', 'a', 'l', 'l', ' ', 'm', 'e',
		' ', 'b', 'a', 'c', 'k', ',', ' ', 'p', 'l', 'e', 'a', 's', 'e' };

	(void)state;
	ph_setup(&h, NULL, "Async4");
	ppp_open_active(&h.s);
	/* pppd: ConfReq asyncmap 0, callback CBCP, magic, pcomp, accomp */
	ph_inject(&h, PPP_PROTO_LCP, P(0x01, 0x01, 0x00, 0x17, 0x02, 0x06, 0x00, 0x00, 0x00, 0x00,
		  0x0d, 0x03, 0x06, 0x05, 0x06, 0x26, 0x95, 0x3a, 0x0e, 0x07, 0x02, 0x08, 0x02));
	f = ph_next_proto(&h, PPP_PROTO_LCP);		/* our ConfReq */
	ph_proto(f, &p, &n);
	assert_int_equal(p[0], 1);
	memcpy(ack, p, n);
	ack[0] = 2;
	ph_expect(&h, PPP_PROTO_LCP, P(0x02, 0x01, 0x00, 0x17, 0x02, 0x06, 0x00, 0x00, 0x00, 0x00,
		  0x0d, 0x03, 0x06, 0x05, 0x06, 0x26, 0x95, 0x3a, 0x0e, 0x07, 0x02, 0x08, 0x02));
	ph_inject(&h, PPP_PROTO_LCP, ack, n);
	assert_int_equal(h.s.lcp.fsm.state, FSM_OPENED);
	do_chap(&h, h.s.chap.id, "callmeback", "cisco");
	ph_expect(&h, PPP_PROTO_CHAP, P(0x03, h.s.chap.id, 0x00, 0x04));
	f = ph_next_proto(&h, PPP_PROTO_CBCP);
	assert_non_null(f);
	ph_proto(f, &p, &n);
	/* pppd answers with delay 5 and a NUL-terminated number, id of the Request */
	resp[1] = p[1];
	ph_inject(&h, PPP_PROTO_CBCP, resp, sizeof(resp));
	f = ph_next_proto(&h, PPP_PROTO_CBCP);
	assert_non_null(f);
	ph_proto(f, &p, &n);
	/* the Ack pppd needs: an option of type != 1 (the echo of its Response) */
	assert_int_equal(p[0], 3);
	assert_int_equal(n, 16);
	assert_memory_equal(p + 4, resp + 4, 12);
	ph_inject(&h, PPP_PROTO_LCP, term, sizeof(term));
	ph_expect(&h, PPP_PROTO_LCP, P(0x06, 0x02, 0x00, 0x04));
	assert_int_equal(h.callbacks, 1);
	assert_string_equal(h.cb_number, "5279651");
	/* pppd's IPV6CP on a later call would be Protocol-Rejected: see test_fsm */
	ph_teardown(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_call),
		cmocka_unit_test(test_second_call_ipcp),
		cmocka_unit_test(test_pppd_2_4_9_script),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

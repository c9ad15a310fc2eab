/*
 * test_subscriber_pc.c - a whole subscriber PC (dialler + modem + PPP client) against
 * a fake telco and a small reactive NAS that plays the seed's server side: MCB
 * Requests every 2 s with new ids, the late Response to id 20 ignored, id 25 acked
 * with id 26, TERMACK, hang-up, the callback 10 s later, then IPCP with the
 * reject/NAK of the seed, and a ping.  Checks the PC's states, its modem's dial
 * string, the ids it answered, the address it got, and that the seed's timing holds.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
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
#include "subscriber_pc.h"

struct nas {
	struct ev_loop *loop;
	struct sub_pc pc;
	struct hdlc_async_decoder dec;
	unsigned call;			/* 1, 2 */
	bool connected;
	bool sent_confreq;
	uint8_t chal_id;
	uint8_t mcb_id;			/* id of the last Request */
	bool mcb_done;
	unsigned ignored_responses;
	uint8_t ack_responses_id;
	struct ev_timer mcb_timer, connect_timer, callback_timer;
	char dialed[32];
	unsigned hangups_by_pc;
	unsigned states_seen[16];
	ev_time_t t_wait_callback, t_online, t_first_response;
	ev_time_t t_req20, t_req25, t_resp_acked;
	unsigned echo_replies;
	bool client_callback;		/* Callback option in the client's CONFREQ */
	/* paced wire: one octet each way per 125 us T1 frame (64 kbit/s) */
	bool paced;
	uint8_t txq[8192];
	size_t txq_len, txq_head;
	struct ev_timer pump;
	uint64_t pumped_to_nas, pumped_to_pc;
	bool busy;
	uint8_t pending[4096];
	size_t pending_len;
};

static void nas_send(struct nas *n, uint16_t proto, const uint8_t *p, size_t len)
{
	uint8_t f[256], out[600];
	size_t k;

	if (!n->connected)
		return;
	f[0] = 0xFF;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	memcpy(f + 4, p, len);
	k = hdlc_async_encode(out, f, len + 4, 0xFFFFFFFFu, false);
	if (n->paced) {			/* queued: the pump sends one octet per frame */
		assert_true(n->txq_len + k <= sizeof(n->txq));
		memcpy(n->txq + n->txq_len, out, k);
		n->txq_len += k;
		return;
	}
	sub_modem_from_line(sub_pc_modem(&n->pc), out, k);
}

static void send_cp(struct nas *n, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *d,
		    size_t len)
{
	uint8_t p[128];

	p[0] = code;
	p[1] = id;
	p[2] = 0;
	p[3] = (uint8_t)(len + 4);
	if (len)
		memcpy(p + 4, d, len);
	nas_send(n, proto, p, len + 4);
}

static void mcb_request(struct ev_timer *t, void *arg)
{
	static const uint8_t opt[] = { 0x02, 0x05, 0x00, 0x01, 0x00 };
	struct nas *n = arg;

	(void)t;
	n->mcb_id++;
	if (n->mcb_id == 20)
		n->t_req20 = ev_now(n->loop);
	if (n->mcb_id == 25)
		n->t_req25 = ev_now(n->loop);
	send_cp(n, 0xC029, 1, n->mcb_id, opt, sizeof(opt));
	ev_timer_start(n->loop, &n->mcb_timer, 2 * EV_SEC);
}

static void nas_hangup(struct nas *n)
{
	n->connected = false;
	n->txq_len = n->txq_head = 0;
	ev_timer_stop(n->loop, &n->mcb_timer);
	sub_modem_cleared(sub_pc_modem(&n->pc), 16);
}

static void call_back(struct ev_timer *t, void *arg)
{
	struct nas *n = arg;

	(void)t;
	n->call = 2;
	n->sent_confreq = false;
	assert_int_equal(sub_modem_ring(sub_pc_modem(&n->pc)), 0);
}

static void on_client_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *frame,
			    size_t len)
{
	struct nas *n = ctx;
	uint8_t d[256];			/* our answers re-enter the decoder: copy first */
	uint16_t proto;
	const uint8_t *p;
	size_t i = 0, plen;

	assert_int_equal(ev, HDLC_FRAME_OK);
	assert_true(len <= sizeof(d));
	memcpy(d, frame, len);
	if (d[0] == 0xFF)
		i = 2;
	if (d[i] & 1) {
		proto = d[i];
		i++;
	} else {
		proto = (uint16_t)(d[i] << 8 | d[i + 1]);
		i += 2;
	}
	p = d + i;
	plen = len - i;
	switch (proto) {
	case 0xC021:
		if (p[0] == 1) {		/* CONFREQ: ack, and send ours */
			uint8_t a[64];

			n->client_callback = false;
			for (size_t k = 4; k + 1 < plen && p[k + 1] >= 2; k += p[k + 1])
				if (p[k] == 0x0D)
					n->client_callback = true;

			memcpy(a, p, plen);
			a[0] = 2;
			nas_send(n, 0xC021, a, plen);
			if (!n->sent_confreq) {
				static const uint8_t o[] = { 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00, 0x03,
							     0x05, 0xC2, 0x23, 0x05, 0x05, 0x06,
							     0x60, 0x8D, 0x04, 0xA3, 0x07, 0x02,
							     0x08, 0x02 };

				n->sent_confreq = true;
				send_cp(n, 0xC021, 1, n->call == 1 ? 3 : 5, o, sizeof(o));
			}
		} else if (p[0] == 2) {		/* our CONFREQ acked: challenge */
			uint8_t c[16 + 1 + 7];

			c[0] = 16;
			memset(c + 1, 0x5A, 16);
			memcpy(c + 17, "isdn2-2", 7);
			n->chal_id = n->call == 1 ? 4 : 6;
			send_cp(n, 0xC223, 1, n->chal_id, c, sizeof(c));
		} else if (p[0] == 5) {		/* TERMREQ: the client hangs up for callback */
			send_cp(n, 0xC021, 6, p[1], NULL, 0);
		}
		break;
	case 0xC223: {
		uint8_t want[16], chal[16];
		struct md5_ctx m;

		assert_int_equal(p[0], 2);
		assert_int_equal(p[1], n->chal_id);
		memset(chal, 0x5A, 16);
		md5_init(&m);
		md5_update(&m, 1, &n->chal_id);
		md5_update(&m, 5, (const uint8_t *)"cisco");
		md5_update(&m, 16, chal);
		md5_digest(&m, 16, want);
		assert_memory_equal(p + 5, want, 16);
		send_cp(n, 0xC223, 3, p[1], NULL, 0);
		if (n->client_callback) {
			n->mcb_id = 19;
			mcb_request(&n->mcb_timer, n);
		} else {
			static const uint8_t o[] = { 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x00,
						     0x03, 0x06, 0xAC, 0x10, 0x19, 0x34 };

			send_cp(n, 0x8021, 1, 1, o, sizeof(o));
		}
		break;
	}
	case 0xC029:
		assert_int_equal(p[0], 2);
		if (!n->t_first_response)
			n->t_first_response = ev_now(n->loop);
		if (p[1] != n->mcb_id) {	/* "Resp ignored. ID Expected 24, got id 20" */
			n->ignored_responses++;
			break;
		}
		ev_timer_stop(n->loop, &n->mcb_timer);
		n->ack_responses_id = p[1];
		n->t_resp_acked = ev_now(n->loop);
		{
			uint8_t a[64];

			memcpy(a, p, plen);
			a[0] = 3;
			a[1] = (uint8_t)(p[1] + 1);
			nas_send(n, 0xC029, a, plen);
		}
		break;
	case 0x8021:
		if (p[0] == 1) {
			bool dns = false;
			uint32_t addr = 0;

			for (size_t k = 4; k + 1 < plen; k += p[k + 1]) {
				if (p[k] >= 0x81)
					dns = true;
				if (p[k] == 3)
					addr = (uint32_t)p[k + 2] << 24 | (uint32_t)p[k + 3] << 16 |
					       (uint32_t)p[k + 4] << 8 | p[k + 5];
			}
			if (dns) {
				static const uint8_t r[] = { 0x81, 6, 0, 0, 0, 0, 0x82, 6, 0, 0, 0, 0,
							     0x83, 6, 0, 0, 0, 0, 0x84, 6, 0, 0, 0,
							     0 };
				send_cp(n, 0x8021, 4, p[1], r, sizeof(r));
			} else if (addr == 0) {
				static const uint8_t k[] = { 0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C };
				send_cp(n, 0x8021, 3, p[1], k, sizeof(k));
			} else {
				uint8_t a[64];

				memcpy(a, p, plen);
				a[0] = 2;
				nas_send(n, 0x8021, a, plen);
			}
		}
		break;
	case 0x0021:
		if (p[9] == 1 && p[20] == 8) {	/* echo request: reply */
			uint8_t r[128];

			memcpy(r, p, plen);
			memcpy(r + 12, p + 16, 4);
			memcpy(r + 16, p + 12, 4);
			r[20] = 0;
			/* incremental checksum fix: type 8 -> 0 adds 0x0800 */
			uint32_t c = (uint32_t)(r[22] << 8 | r[23]) + 0x0800;
			c = (c & 0xFFFF) + (c >> 16);
			r[22] = (uint8_t)(c >> 8);
			r[23] = (uint8_t)c;
			nas_send(n, 0x0021, r, plen);
			n->echo_replies++;
		}
		break;
	default:
		break;
	}
}

/* ---- the fake telco ---------------------------------------------------------------- */

static void connect_now(struct ev_timer *t, void *arg)
{
	struct nas *n = arg;

	(void)t;
	n->connected = true;
	hdlc_async_decoder_init(&n->dec, 0, false, on_client_frame, n);
	sub_modem_connected(sub_pc_modem(&n->pc));
}

static int t_dial(void *ctx, const char *digits)
{
	struct nas *n = ctx;

	snprintf(n->dialed, sizeof(n->dialed), "%s", digits);
	n->call = 1;
	ev_timer_start(n->loop, &n->connect_timer, 1100 * EV_MSEC);	/* SETUP..CONNECT */
	return 0;
}

static int t_answer(void *ctx)
{
	struct nas *n = ctx;

	ev_timer_start(n->loop, &n->connect_timer, 0);
	return 0;
}

static int t_hangup(void *ctx)
{
	struct nas *n = ctx;

	n->hangups_by_pc++;
	n->txq_len = n->txq_head = 0;
	if (n->connected && n->call == 1 && sub_pc_state(&n->pc) == SUB_PC_ARMING) {
		n->connected = false;
		ev_timer_stop(n->loop, &n->mcb_timer);
		ev_timer_start(n->loop, &n->callback_timer, 10 * EV_SEC);
	}
	n->connected = false;
	return 0;
}

/* The wire toward the NAS.  Our answers reach the client at once and it answers at
 * once, so decoding re-enters: queue what arrives meanwhile (hdlc_async's decoder
 * must not be re-entered mid-frame). */
static void t_to_line(void *ctx, const uint8_t *d, size_t len)
{
	struct nas *n = ctx;
	uint8_t chunk[sizeof(n->pending)];

	if (!n->connected)
		return;
	if (n->busy) {
		assert_true(n->pending_len + len <= sizeof(n->pending));
		memcpy(n->pending + n->pending_len, d, len);
		n->pending_len += len;
		return;
	}
	n->busy = true;
	hdlc_async_decode(&n->dec, d, len);
	while (n->pending_len) {
		size_t k = n->pending_len;

		memcpy(chunk, n->pending, k);
		n->pending_len = 0;
		if (n->connected)
			hdlc_async_decode(&n->dec, chunk, k);
	}
	n->busy = false;
}

static const struct sub_pc_line_ops line_ops = {
	.dial = t_dial, .answer = t_answer, .hangup = t_hangup, .to_line = t_to_line,
};

static void on_state(void *ctx, enum sub_pc_state s)
{
	struct nas *n = ctx;

	n->states_seen[s]++;
	if (s == SUB_PC_WAIT_CALLBACK)
		n->t_wait_callback = ev_now(n->loop);
	if (s == SUB_PC_ONLINE)
		n->t_online = ev_now(n->loop);
}

static void pump(struct ev_timer *t, void *arg)
{
	struct nas *n = arg;
	uint8_t o;

	if (n->connected && sub_modem_line_pull(sub_pc_modem(&n->pc), &o, 1) == 1) {
		n->pumped_to_nas++;
		t_to_line(n, &o, 1);
	}
	if (n->connected && n->txq_head < n->txq_len) {
		o = n->txq[n->txq_head++];
		if (n->txq_head == n->txq_len)
			n->txq_head = n->txq_len = 0;
		n->pumped_to_pc++;
		sub_modem_from_line(sub_pc_modem(&n->pc), &o, 1);
	}
	ev_timer_start(n->loop, t, 125 * EV_USEC);
}

static struct nas *nas_new_on(enum sub_ppp_variant v, bool paced)
{
	struct nas *n = calloc(1, sizeof(*n));
	struct sub_pc_config cfg;
	struct sub_pc_line_ops ops = line_ops;

	assert_non_null(n);
	n->loop = ev_loop_new_manual(0);
	sub_pc_config_default(&cfg, v);
	n->paced = paced;
	if (paced) {
		ops.to_line = NULL;		/* pull mode */
		ev_timer_init(&n->pump, pump, n);
		ev_timer_start(n->loop, &n->pump, 125 * EV_USEC);
	}
	sub_pc_init(&n->pc, n->loop, &cfg, &ops, n);
	n->pc.on_state = on_state;
	n->pc.on_state_ctx = n;
	ev_timer_init(&n->mcb_timer, mcb_request, n);
	ev_timer_init(&n->connect_timer, connect_now, n);
	ev_timer_init(&n->callback_timer, call_back, n);
	return n;
}

static struct nas *nas_new(enum sub_ppp_variant v)
{
	return nas_new_on(v, false);
}

static void nas_free(struct nas *n)
{
	ev_timer_stop(n->loop, &n->mcb_timer);
	ev_timer_stop(n->loop, &n->connect_timer);
	ev_timer_stop(n->loop, &n->callback_timer);
	if (n->paced)
		ev_timer_stop(n->loop, &n->pump);
	sub_pc_fini(&n->pc);
	ev_loop_free(n->loop);
	free(n);
}

static void run_to(struct nas *n, ev_time_t t)
{
	ev_time_t d;

	while ((d = ev_loop_next_due(n->loop)) <= t)
		ev_loop_step(n->loop, d);
	ev_loop_step(n->loop, t);
}

static void test_seed_callback_through_modem(void **state)
{
	struct nas *n = nas_new(SUB_PPP_WINNT_ASK);
	const struct sub_ppp_stats *st = sub_ppp_stats(sub_pc_ppp(&n->pc));

	(void)state;
	assert_int_equal(sub_pc_start(&n->pc), 0);
	assert_int_equal(sub_pc_start(&n->pc), -EBUSY);
	run_to(n, 1 * EV_SEC);
	assert_string_equal(n->dialed, "4084327528");
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_DIALING);
	run_to(n, 2 * EV_SEC);
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_PPP);
	assert_int_equal(n->pc.ppp.phase, SUB_PPP_CALLBACK);
	/* the user types the number for 9.5 s: Requests 20..24 go unanswered, then the
	 * answer to 20 is ignored and 25 is answered from the cache */
	run_to(n, 30 * EV_SEC);
	assert_int_equal(n->ignored_responses, 1);
	assert_int_equal(n->ack_responses_id, 25);
	assert_int_equal(st->cbcp_requests_rx, 6);
	assert_true(st->callback_acked);
	assert_int_equal(n->states_seen[SUB_PC_WAIT_CALLBACK], 1);
	assert_int_equal(n->hangups_by_pc, 1);
	/* the callback 10 s after the hang-up: auto-answered, PPP to IPCP */
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_ONLINE);
	assert_true(n->t_online >= n->t_wait_callback + 10 * EV_SEC);
	assert_int_equal(st->ip_addr, 0xAC10193C);
	assert_int_equal(st->calls, 2);
	assert_int_equal(st->malformed, 0);
	assert_int_equal(st->bad_fcs, 0);
	/* the data plane through the modem */
	assert_int_equal(sub_ppp_ping(sub_pc_ppp(&n->pc), 0xAC101934, 1, 1, 32), 0);
	assert_int_equal(n->echo_replies, 1);
	assert_int_equal(st->icmp_reply_rx, 1);
	/* the server goes away: NO CARRIER ends the session */
	nas_hangup(n);
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_DONE);
	nas_free(n);
}

static void test_no_callback_goes_online_first_call(void **state)
{
	struct nas *n = nas_new(SUB_PPP_NO_CALLBACK);

	(void)state;
	sub_pc_start(&n->pc);
	run_to(n, 5 * EV_SEC);
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_ONLINE);
	assert_int_equal(n->states_seen[SUB_PC_WAIT_CALLBACK], 0);
	assert_int_equal(sub_ppp_stats(sub_pc_ppp(&n->pc))->ip_addr, 0xAC10193C);
	sub_pc_stop(&n->pc);
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_OFF);
	nas_free(n);
}

static int t_dial_busy(void *ctx, const char *digits)
{
	struct nas *n = ctx;

	(void)digits;
	sub_modem_cleared(sub_pc_modem(&n->pc), 17);
	return 0;
}

static void test_busy_fails(void **state)
{
	struct nas *n = nas_new(SUB_PPP_WINNT_ASK);

	(void)state;
	n->pc.line.dial = t_dial_busy;
	sub_pc_start(&n->pc);
	run_to(n, 1 * EV_SEC);
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_FAILED);
	assert_string_equal(n->pc.fail_reason, "BUSY");
	nas_free(n);
}

/* The same over a paced wire (one octet per 125 us each way, as a B-channel in the
 * co-simulation carries it, the modem in pull mode): same ids, same outcome, and the
 * seed's timing: the answer to id 20 comes 9.5 s after that Request, id 25 is
 * answered within a few milliseconds. */
static void test_seed_paced_wire(void **state)
{
	struct nas *n = nas_new_on(SUB_PPP_WINNT_ASK, true);
	const struct sub_ppp_stats *st = sub_ppp_stats(sub_pc_ppp(&n->pc));

	(void)state;
	sub_pc_start(&n->pc);
	run_to(n, 30 * EV_SEC);
	assert_int_equal(n->ignored_responses, 1);
	assert_int_equal(n->ack_responses_id, 25);
	/* 9.5 s of typing after Request 20 (plus ~3 ms of octets on the wire) */
	assert_true(n->t_first_response >= n->t_req20 + 9500 * EV_MSEC);
	assert_true(n->t_first_response <= n->t_req20 + 9550 * EV_MSEC);
	/* the seed: Request 25 at 30.627, Response at 30.715: well under 100 ms */
	assert_true(n->t_resp_acked > n->t_req25);
	assert_true(n->t_resp_acked < n->t_req25 + 100 * EV_MSEC);
	assert_true(st->callback_acked);
	assert_int_equal(n->states_seen[SUB_PC_WAIT_CALLBACK], 1);
	run_to(n, 50 * EV_SEC);
	assert_int_equal(sub_pc_state(&n->pc), SUB_PC_ONLINE);
	assert_int_equal(st->ip_addr, 0xAC10193C);
	assert_int_equal(st->bad_fcs + st->hdlc_errors + st->malformed, 0);
	assert_true(n->pumped_to_nas > 300 && n->pumped_to_pc > 300);
	assert_int_equal(sub_modem_stats(sub_pc_modem(&n->pc))->txq_overflow, 0);
	assert_int_equal(sub_ppp_ping(sub_pc_ppp(&n->pc), 0xAC101934, 1, 1, 32), 0);
	run_to(n, 51 * EV_SEC);
	assert_int_equal(n->echo_replies, 1);
	assert_int_equal(st->icmp_reply_rx, 1);
	nas_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_callback_through_modem),
		cmocka_unit_test(test_no_callback_goes_online_first_call),
		cmocka_unit_test(test_busy_fails),
		cmocka_unit_test(test_seed_paced_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

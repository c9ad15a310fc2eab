/*
 * test_telco.c - the simulated switch's network side (sim/telco*.c) against a
 * scripted user side written here frame by frame, with the seed's bytes: this
 * checks the telco without the daemon's LAPD/Q.931 code in the loop.
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

#include "evloop.h"
#include "telco.h"

#define MAXF 128

struct fix {
	struct ev_loop *loop;
	struct telco *t;
	struct telco_span *s;
	struct telco_sub *sub;
	/* frames from the network */
	uint8_t f[MAXF][300];
	size_t n[MAXF];
	unsigned nf;
	/* scripted user LAPD */
	unsigned vs, vr;
	bool auto_ack, ack_due;
	/* Q.931 messages from the network, in order */
	uint8_t msg[MAXF][260];
	size_t msg_n[MAXF];
	unsigned nmsg;
	unsigned rings, connects, clears;
	uint8_t cause;
};

static void user_frame(struct fix *f, const uint8_t *b, size_t n);

static int net_tx(void *ctx, const uint8_t *b, size_t n)
{
	struct fix *f = ctx;

	if (f->nf < MAXF) {
		memcpy(f->f[f->nf], b, n);
		f->n[f->nf++] = n;
	}
	/* an I frame: take it in order and acknowledge */
	if (n >= 4 && !(b[2] & 1)) {
		if ((unsigned)(b[2] >> 1) == f->vr) {
			f->vr = (f->vr + 1) & 127;
			if (f->nmsg < MAXF) {
				memcpy(f->msg[f->nmsg], b + 4, n - 4);
				f->msg_n[f->nmsg++] = n - 4;
			}
		}
		/* acknowledged after the send returns: never re-enter the sender */
		f->ack_due = f->auto_ack;
	}
	return 0;
}

static void flush(struct fix *f)
{
	while (f->ack_due) {
		uint8_t rr[4] = { 0x02, 0x01, 0x01, (uint8_t)(f->vr << 1) };

		f->ack_due = false;
		telco_span_input(f->s, rr, 4);
	}
}

static void user_frame(struct fix *f, const uint8_t *b, size_t n)
{
	telco_span_input(f->s, b, n);
	flush(f);
}

static int dial(struct fix *f, struct telco_sub *sub, const char *num)
{
	int rc = telco_dial(sub, num);

	flush(f);
	return rc;
}

static void user_i(struct fix *f, const uint8_t *m, size_t n)
{
	uint8_t b[300];

	b[0] = 0x00;	/* user command: C/R = 0 */
	b[1] = 0x01;
	b[2] = (uint8_t)(f->vs << 1);
	b[3] = (uint8_t)(f->vr << 1);
	memcpy(b + 4, m, n);
	f->vs = (f->vs + 1) & 127;
	user_frame(f, b, n + 4);
}

static void s_ring(void *ctx, struct telco_sub *sub, const char *caller)
{
	(void)sub;
	(void)caller;
	((struct fix *)ctx)->rings++;
}
static void s_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned b)
{
	(void)sub;
	(void)span;
	(void)b;
	((struct fix *)ctx)->connects++;
}
static void s_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	(void)sub;
	((struct fix *)ctx)->clears++;
	((struct fix *)ctx)->cause = cause;
}
static const struct telco_sub_ops sops = { s_ring, NULL, s_connected, s_cleared };

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct telco_sub_config sc;
	static const uint8_t sabme[] = { 0x00, 0x01, 0x7F };

	f->loop = ev_loop_new_manual(0);
	f->t = telco_new(f->loop, NULL);
	f->s = telco_add_span(f->t, "4084327528", net_tx, f);
	telco_sub_config_default(&sc, "5279651");
	f->sub = telco_add_sub(f->t, &sc, &sops, f);
	f->auto_ack = true;
	user_frame(f, sabme, sizeof(sabme));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	telco_free(f->t);
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

static void run_to(struct fix *f, ev_time_t t)
{
	for (ev_time_t now = ev_now(f->loop); now < t;) {
		now += 10 * EV_MSEC;
		ev_loop_step(f->loop, now);
		flush(f);
	}
}

static void test_sabme_ua(void **state)
{
	struct fix *f = *state;
	static const uint8_t ua[] = { 0x00, 0x01, 0x73 };

	assert_int_equal(f->nf, 1);
	assert_int_equal(f->n[0], 3);
	assert_memory_equal(f->f[0], ua, 3);
	assert_true(telco_span_link_up(f->s));
}

static void test_seed_incoming_setup_bytes(void **state)
{
	struct fix *f = *state;
	static const uint8_t seed[] = {
		0x08, 0x02, 0x00, 0x36, 0x05, 0x04, 0x03, 0x90, 0x90, 0xA2,
		0x18, 0x03, 0xA9, 0x83, 0x93,
		0x70, 0x0B, 0xC1, '4', '0', '8', '4', '3', '2', '7', '5', '2', '8',
	};

	telco_span_next_cr(f->s, 0x36);
	telco_span_next_bchan(f->s, 19);
	assert_int_equal(dial(f, f->sub, "4084327528"), 0);
	assert_int_equal(f->nmsg, 1);
	assert_int_equal(f->msg_n[0], sizeof(seed));
	assert_memory_equal(f->msg[0], seed, sizeof(seed));
	/* network command I frame: C/R = 1, N(S) = 0 */
	assert_int_equal(f->f[1][0], 0x02);
	assert_int_equal(f->f[1][2], 0x00);
	assert_ptr_equal(telco_span_bchan_sub(f->s, 19), f->sub);
	assert_int_equal(dial(f, f->sub, "4084327528"), -EBUSY);
}

static void test_answers_seed_outgoing_setup(void **state)
{
	struct fix *f = *state;
	static const uint8_t setup_out[] = {
		0x08, 0x02, 0x00, 0x05, 0x05, 0x04, 0x03, 0x80, 0x90, 0xA2,
		0x18, 0x04, 0xE1, 0x80, 0x83, 0x97,
		0x70, 0x08, 0xA1, '5', '2', '7', '9', '6', '5', '1',
	};
	static const uint8_t call_proc[] = { 0x08, 0x02, 0x80, 0x05, 0x02, 0x18, 0x03, 0xA9, 0x83,
					     0x97 };
	static const uint8_t alerting[] = { 0x08, 0x02, 0x80, 0x05, 0x01, 0x1E, 0x02, 0x83, 0x88 };
	static const uint8_t connect[] = { 0x08, 0x02, 0x80, 0x05, 0x07 };
	static const uint8_t connect_ack[] = { 0x08, 0x02, 0x00, 0x05, 0x0F };
	static const uint8_t disconnect[] = { 0x08, 0x02, 0x00, 0x05, 0x45, 0x08, 0x02, 0x80, 0x90 };
	static const uint8_t release[] = { 0x08, 0x02, 0x80, 0x05, 0x4D };
	static const uint8_t rel_comp[] = { 0x08, 0x02, 0x00, 0x05, 0x5A };

	user_i(f, setup_out, sizeof(setup_out));
	assert_int_equal(f->nmsg, 1);
	assert_int_equal(f->msg_n[0], sizeof(call_proc));
	assert_memory_equal(f->msg[0], call_proc, sizeof(call_proc));
	assert_int_equal(f->rings, 1);
	run_to(f, 690 * EV_MSEC);
	assert_int_equal(f->nmsg, 1);
	run_to(f, 710 * EV_MSEC);
	assert_int_equal(f->nmsg, 2);
	assert_memory_equal(f->msg[1], alerting, sizeof(alerting));
	run_to(f, 3500 * EV_MSEC);
	assert_int_equal(f->nmsg, 3);
	assert_int_equal(f->msg_n[2], sizeof(connect));
	assert_memory_equal(f->msg[2], connect, sizeof(connect));
	assert_int_equal(f->connects, 1);
	assert_true(telco_sub_connected(f->sub));
	user_i(f, connect_ack, sizeof(connect_ack));
	/* the NAS hangs up: RELEASE, then we complete */
	user_i(f, disconnect, sizeof(disconnect));
	assert_int_equal(f->nmsg, 4);
	assert_int_equal(f->msg_n[3], sizeof(release));	/* no cause, as in the seed */
	assert_memory_equal(f->msg[3], release, sizeof(release));
	assert_int_equal(f->clears, 1);
	assert_int_equal(f->cause, 16);
	user_i(f, rel_comp, sizeof(rel_comp));
	assert_false(telco_sub_in_call(f->sub));
	assert_null(telco_span_bchan_sub(f->s, 23));
}

static void test_busy_and_unknown_number(void **state)
{
	struct fix *f = *state;
	static const uint8_t setup_out[] = {
		0x08, 0x02, 0x00, 0x06, 0x05, 0x04, 0x03, 0x80, 0x90, 0xA2,
		0x18, 0x03, 0xA1, 0x83, 0x97,
		0x70, 0x08, 0xA1, '5', '2', '7', '9', '6', '5', '1',
	};
	static const uint8_t busy[] = { 0x08, 0x02, 0x80, 0x06, 0x45, 0x08, 0x02, 0x82, 0x91 };
	uint8_t unknown[sizeof(setup_out)];

	telco_sub_set_busy(f->sub, true);
	user_i(f, setup_out, sizeof(setup_out));
	assert_int_equal(f->nmsg, 2);			/* CALL_PROC, DISCONNECT */
	assert_memory_equal(f->msg[1], busy, sizeof(busy));
	assert_int_equal(f->rings, 0);

	memcpy(unknown, setup_out, sizeof(unknown));
	unknown[3] = 0x07;
	unknown[sizeof(unknown) - 1] = '0';		/* 5279650: nobody */
	user_i(f, unknown, sizeof(unknown));
	assert_int_equal(f->nmsg, 4);
	assert_int_equal(f->msg[3][4], 0x45);
	assert_int_equal(f->msg[3][8], 0x81);		/* cause 1 */
}

static void test_channel_rules(void **state)
{
	struct fix *f = *state;
	/* exclusive channel 5 twice: the second gets RELEASE COMPLETE cause 44 */
	uint8_t s1[] = { 0x08, 0x02, 0x00, 0x10, 0x05, 0x04, 0x03, 0x80, 0x90, 0xA2,
			 0x18, 0x03, 0xA9, 0x83, 0x85, 0x70, 0x02, 0xA1, '9' };
	/* no bearer: cause 96 */
	static const uint8_t s3[] = { 0x08, 0x02, 0x00, 0x12, 0x05, 0x70, 0x02, 0xA1, '9' };

	user_i(f, s1, sizeof(s1));
	assert_int_equal(f->msg[0][4], 0x02);		/* CALL_PROC */
	assert_int_equal(f->msg[0][9], 0x85);
	s1[3] = 0x11;
	user_i(f, s1, sizeof(s1));
	assert_int_equal(f->msg[f->nmsg - 1][4], 0x5A);
	assert_int_equal(f->msg[f->nmsg - 1][8], 0x80 | 44);
	user_i(f, s3, sizeof(s3));
	assert_int_equal(f->msg[f->nmsg - 1][4], 0x5A);
	assert_int_equal(f->msg[f->nmsg - 1][8], 0x80 | 96);
}

static void test_t200_enquiry_and_retransmission(void **state)
{
	struct fix *f = *state;
	unsigned before;
	uint8_t rrf[4];

	f->auto_ack = false;
	assert_int_equal(dial(f, f->sub, "4084327528"), 0);
	before = f->nf;
	run_to(f, 1010 * EV_MSEC);
	/* RR command with P = 1 */
	assert_int_equal(f->nf, before + 1);
	assert_int_equal(f->f[before][0], 0x02);
	assert_int_equal(f->f[before][2], 0x01);
	assert_int_equal(f->f[before][3] & 1, 1);
	/* answer: RR response F = 1, N(R) = 0: the SETUP comes again */
	rrf[0] = 0x02;
	rrf[1] = 0x01;
	rrf[2] = 0x01;
	rrf[3] = 0x01;
	f->vr = 0;
	f->nmsg = 0;
	user_frame(f, rrf, 4);
	assert_int_equal(f->nmsg, 1);
	assert_int_equal(f->msg[0][4], 0x05);
	assert_true(telco_span_link(f->s)->retrans >= 1);
}

static void test_alarms(void **state)
{
	struct fix *f = *state;
	static const uint8_t sabme[] = { 0x00, 0x01, 0x7F };

	assert_int_equal(dial(f, f->sub, "4084327528"), 0);
	telco_span_set_alarm(f->s, TELCO_ALARM_AIS);
	assert_int_equal(telco_span_alarms(f->s), TELCO_ALARM_AIS);
	assert_false(telco_span_link_up(f->s));
	assert_int_equal(f->clears, 1);
	assert_int_equal(f->cause, 38);
	assert_int_equal(dial(f, f->sub, "4084327528"), -ENETDOWN);
	f->nf = 0;
	user_frame(f, sabme, sizeof(sabme));
	assert_int_equal(f->nf, 0);			/* dead line: nothing comes back */
	telco_span_set_alarm(f->s, 0);
	user_frame(f, sabme, sizeof(sabme));
	assert_true(telco_span_link_up(f->s));
	assert_int_equal(dial(f, f->sub, "4084327528"), 0);
	assert_int_equal(dial(f, telco_add_sub(f->t, &(struct telco_sub_config){
		.number = "1234" }, NULL, NULL), "5279651"), -EHOSTUNREACH);
}

static void test_garbage(void **state)
{
	struct fix *f = *state;
	unsigned seed = 99;
	uint8_t b[64];

	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(b));

		for (size_t j = 0; j < n; j++)
			b[j] = (uint8_t)rand_r(&seed);
		if (i & 1) {
			b[0] = 0x00;
			if (n > 1)
				b[1] = 0x01;
		}
		telco_span_input(f->s, b, n);
		if (i % 64 == 0)
			run_to(f, ev_now(f->loop) + 50 * EV_MSEC);
	}
	assert_true(telco_span_link(f->s)->drops > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sabme_ua, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_incoming_setup_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers_seed_outgoing_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_and_unknown_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t200_enquiry_and_retransmission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

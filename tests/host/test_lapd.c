/*
 * test_lapd.c - Q.921 user side (host/lapd.c) against the simulated network side
 * (sim/telco_lapd.c) through an in-memory D-channel on a manual event loop
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

#include "dchan_pipe.h"
#include "evloop.h"
#include "lapd.h"
#include "log.h"
#include "telco_lapd.h"

struct fix {
	struct ev_loop *loop;
	struct dpipe pipe;
	struct lapd user;
	struct tl_link net;
	/* user-side upcalls */
	unsigned up, down, rx;
	uint8_t rx_last[LAPD_N201];
	size_t rx_last_n;
	/* network-side upcalls */
	unsigned net_up, net_down, net_rx;
	uint8_t net_rx_log[64];	/* first octet of each I frame, in order */
	/* drop control */
	int drop_dir;		/* -1 none, 0/1 a direction, 2 both */
	int drop_count;		/* frames still to drop, -1 forever */
	bool drop_i_only;
	char lines[64][200];
	unsigned nlines;
};

static void u_up(void *ctx) { ((struct fix *)ctx)->up++; }
static void u_down(void *ctx) { ((struct fix *)ctx)->down++; }
static void u_rx(void *ctx, const uint8_t *d, size_t n)
{
	struct fix *f = ctx;

	f->rx++;
	memcpy(f->rx_last, d, n);
	f->rx_last_n = n;
}
static int u_send(void *ctx, const uint8_t *d, size_t n)
{
	return dpipe_send_user(&((struct fix *)ctx)->pipe, d, n);
}

static const struct lapd_ops user_ops = {
	.send_frame = u_send, .established = u_up, .released = u_down, .data_ind = u_rx,
};

static int n_tx(void *ctx, const uint8_t *d, size_t n)
{
	return dpipe_send_net(&((struct fix *)ctx)->pipe, d, n);
}
static void n_up(void *ctx) { ((struct fix *)ctx)->net_up++; }
static void n_down(void *ctx) { ((struct fix *)ctx)->net_down++; }
static void n_rx(void *ctx, const uint8_t *d, size_t n)
{
	struct fix *f = ctx;

	if (f->net_rx < sizeof(f->net_rx_log) && n)
		f->net_rx_log[f->net_rx] = d[0];
	f->net_rx++;
}

static const struct tl_hooks net_hooks = { n_tx, n_up, n_down, n_rx };

static void deliver_net(void *ctx, const uint8_t *d, size_t n)
{
	tl_input(&((struct fix *)ctx)->net, d, n);
}
static void deliver_user(void *ctx, const uint8_t *d, size_t n)
{
	lapd_input(&((struct fix *)ctx)->user, d, n);
}

static bool dropper(void *ctx, int dir, const uint8_t *d, size_t n)
{
	struct fix *f = ctx;

	(void)n;
	if (f->drop_count == 0)
		return false;
	if (f->drop_dir != 2 && f->drop_dir != dir)
		return false;
	if (f->drop_i_only && (d[2] & 1))
		return false;
	if (f->drop_count > 0)
		f->drop_count--;
	return true;
}

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	struct fix *f = ctx;

	(void)lvl;
	if (f->nlines < 64)
		snprintf(f->lines[f->nlines++], sizeof(f->lines[0]), "%s", line);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct lapd_config cfg;

	f->loop = ev_loop_new_manual(0);
	dpipe_init(&f->pipe);
	f->pipe.deliver[0] = deliver_net;
	f->pipe.ctx[0] = f;
	f->pipe.deliver[1] = deliver_user;
	f->pipe.ctx[1] = f;
	f->pipe.drop = dropper;
	f->pipe.drop_ctx = f;
	f->drop_dir = -1;
	lapd_config_default(&cfg, "Se0:23");
	lapd_init(&f->user, f->loop, &cfg, &user_ops, f);
	tl_init(&f->net, f->loop, &net_hooks, f);
	log_reset();
	log_set_clock(f->loop, 0, false);
	log_add_sink(sink, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	lapd_stop(&f->user);
	tl_reset(&f->net);
	log_reset();
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

static void settle(struct fix *f, ev_time_t dt)
{
	dpipe_settle(f->loop, &f->pipe, ev_now(f->loop) + dt, 10 * EV_MSEC);
}

static void bring_up(struct fix *f)
{
	lapd_start(&f->user);
	settle(f, 100 * EV_MSEC);
	assert_true(lapd_is_up(&f->user));
	assert_true(f->net.up);
}

static void test_establish(void **state)
{
	struct fix *f = *state;
	static const uint8_t sabme[] = { 0x00, 0x01, 0x7F };

	lapd_start(&f->user);
	/* the first frame on the wire is SABME, P = 1, C/R = 0 (user command) */
	assert_int_equal(f->pipe.last_n[0], 3);
	assert_memory_equal(f->pipe.last[0], sabme, 3);
	assert_int_equal(f->user.state, LAPD_ST_AWAITING_ESTABLISHMENT);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->user.state, LAPD_ST_MULTIPLE_FRAME_ESTABLISHED);
	assert_int_equal(f->up, 1);
	assert_int_equal(f->net_up, 1);
	/* the network's UA: C/R = 0 (network response), F = 1 */
	assert_int_equal(f->pipe.last[1][2], 0x73);
	assert_int_equal(f->pipe.last[1][0], 0x00);
}

static void test_iframes_both_ways(void **state)
{
	struct fix *f = *state;
	uint8_t msg[20];

	bring_up(f);
	for (int i = 0; i < 20; i++) {
		memset(msg, i, sizeof(msg));
		assert_int_equal(lapd_send(&f->user, msg, sizeof(msg)), 0);
		if (i % 3 == 0)
			settle(f, 20 * EV_MSEC);
	}
	settle(f, 500 * EV_MSEC);
	assert_int_equal(f->net_rx, 20);
	for (int i = 0; i < 20; i++)
		assert_int_equal(f->net_rx_log[i], i);
	for (int i = 0; i < 5; i++) {
		memset(msg, 0x40 + i, sizeof(msg));
		assert_int_equal(tl_send(&f->net, msg, 7), 0);
	}
	settle(f, 500 * EV_MSEC);
	assert_int_equal(f->rx, 5);
	assert_int_equal(f->rx_last_n, 7);
	assert_int_equal(f->rx_last[0], 0x44);
	/* everything acknowledged */
	assert_int_equal(f->user.vs, f->user.va);
	assert_int_equal(f->user.q_count, 0);
	assert_int_equal(f->user.vs, 20);
	assert_int_equal(f->user.vr, 5);
	assert_int_equal(f->user.stats.retransmissions, 0);
}

static void test_t200_retransmission(void **state)
{
	struct fix *f = *state;
	uint8_t msg[5] = { 1, 2, 3, 4, 5 };

	bring_up(f);
	f->drop_dir = 0;
	f->drop_count = 1;
	f->drop_i_only = true;
	assert_int_equal(lapd_send(&f->user, msg, sizeof(msg)), 0);
	settle(f, 500 * EV_MSEC);
	assert_int_equal(f->net_rx, 0);		/* lost */
	assert_true(ev_timer_active(&f->user.t200));
	settle(f, 1000 * EV_MSEC);		/* T200 = 1 s */
	assert_int_equal(f->net_rx, 1);		/* retransmitted, delivered once */
	assert_true(f->user.stats.retransmissions >= 1);
	assert_int_equal(f->user.state, LAPD_ST_MULTIPLE_FRAME_ESTABLISHED);
	assert_int_equal(f->user.q_count, 0);
	settle(f, 3 * EV_SEC);
	assert_int_equal(f->net_rx, 1);
	assert_int_equal(f->up, 1);		/* no re-establishment was needed */
}

static void test_lost_ack_timer_recovery(void **state)
{
	struct fix *f = *state;
	uint8_t msg[3] = { 9, 9, 9 };

	bring_up(f);
	/* the network's acknowledgement is lost: enquiry in timer recovery */
	f->drop_dir = 1;
	f->drop_count = 1;
	assert_int_equal(lapd_send(&f->user, msg, sizeof(msg)), 0);
	settle(f, 2 * EV_SEC);
	assert_int_equal(f->net_rx, 1);
	assert_int_equal(f->user.state, LAPD_ST_MULTIPLE_FRAME_ESTABLISHED);
	assert_int_equal(f->user.q_count, 0);
}

static void test_n200_reestablish(void **state)
{
	struct fix *f = *state;
	uint8_t msg[4] = { 7, 7, 7, 7 };

	bring_up(f);
	f->drop_dir = 2;
	f->drop_count = -1;
	assert_int_equal(lapd_send(&f->user, msg, sizeof(msg)), 0);
	/* T200 x (N200 + 1) = 4 s, then SABME */
	settle(f, 5 * EV_SEC);
	assert_true(f->down >= 1);
	assert_true(f->user.stats.reestablishments >= 1);
	assert_false(lapd_is_up(&f->user));
	/* the line comes back: the link recovers on its own */
	f->drop_count = 0;
	settle(f, 20 * EV_SEC);
	assert_true(lapd_is_up(&f->user));
	assert_true(f->up >= 2);
	assert_true(f->net.up);
}

static void test_peer_disc_and_retry(void **state)
{
	struct fix *f = *state;
	static const uint8_t disc[] = { 0x02, 0x01, 0x53 };	/* network DISC, P = 1 */

	bring_up(f);
	lapd_input(&f->user, disc, sizeof(disc));
	assert_int_equal(f->user.state, LAPD_ST_TEI_ASSIGNED);
	assert_int_equal(f->down, 1);
	/* UA F = 1 answered: C/R = 1 (user response) */
	assert_int_equal(f->pipe.last[0][0], 0x02);
	assert_int_equal(f->pipe.last[0][2], 0x73);
	tl_reset(&f->net);
	settle(f, 6 * EV_SEC);			/* retry pause 5 s */
	assert_true(lapd_is_up(&f->user));
	assert_int_equal(f->up, 2);
}

static void test_dm_frmr_reestablish(void **state)
{
	struct fix *f = *state;
	static const uint8_t dm[] = { 0x00, 0x01, 0x0F };	/* DM F = 0: response */
	static const uint8_t frmr[] = { 0x00, 0x01, 0x87, 0x00, 0x00, 0x00 };

	bring_up(f);
	lapd_input(&f->user, dm, sizeof(dm));
	assert_int_equal(f->user.state, LAPD_ST_AWAITING_ESTABLISHMENT);
	settle(f, 100 * EV_MSEC);
	assert_true(lapd_is_up(&f->user));
	lapd_input(&f->user, frmr, sizeof(frmr));
	assert_int_equal(f->user.state, LAPD_ST_AWAITING_ESTABLISHMENT);
	settle(f, 100 * EV_MSEC);
	assert_true(lapd_is_up(&f->user));
	assert_true(f->user.stats.reestablishments >= 2);
}

static void test_out_of_sequence_rej(void **state)
{
	struct fix *f = *state;
	/* network I frame with N(S) = 3 while V(R) = 0 */
	static const uint8_t i3[] = { 0x02, 0x01, 0x06, 0x00, 0xAA };

	bring_up(f);
	lapd_input(&f->user, i3, sizeof(i3));
	assert_int_equal(f->rx, 0);
	assert_int_equal(f->user.stats.rx_out_of_seq, 1);
	/* REJ response, N(R) = 0 */
	assert_int_equal(f->pipe.last[0][2], 0x09);
	assert_int_equal(f->pipe.last[0][3] >> 1, 0);
	assert_int_equal(f->pipe.last[0][0], 0x02);
}

static void test_bad_frames(void **state)
{
	struct fix *f = *state;
	static const uint8_t wrong_sapi[] = { 0x40, 0x01, 0x01, 0x00 };
	static const uint8_t wrong_tei[] = { 0x02, 0x81, 0x01, 0x00 };
	static const uint8_t short1[] = { 0x02 };
	static const uint8_t badaddr[] = { 0x03, 0x01, 0x01, 0x00 };
	uint8_t junk[300];

	bring_up(f);
	lapd_input(&f->user, short1, sizeof(short1));
	lapd_input(&f->user, wrong_sapi, sizeof(wrong_sapi));
	lapd_input(&f->user, wrong_tei, sizeof(wrong_tei));
	lapd_input(&f->user, badaddr, sizeof(badaddr));
	lapd_input(&f->user, NULL, 0);
	assert_int_equal(f->user.stats.rx_bad, 5);
	assert_true(lapd_is_up(&f->user));
	/* an over-long I frame: counted, link re-established, no crash */
	memset(junk, 0, sizeof(junk));
	junk[0] = 0x02;
	junk[1] = 0x01;
	lapd_input(&f->user, junk, sizeof(junk));
	settle(f, 100 * EV_MSEC);
	assert_true(lapd_is_up(&f->user));
	assert_int_equal(lapd_send(&f->user, junk, LAPD_N201 + 1), -EMSGSIZE);
}

static void test_t203_idle_enquiry(void **state)
{
	struct fix *f = *state;
	unsigned before;

	bring_up(f);
	before = f->pipe.sent[0];
	settle(f, 10500 * EV_MSEC);
	/* one RR command P = 1 went out and was answered */
	assert_true(f->pipe.sent[0] > before);
	assert_true(lapd_is_up(&f->user));
	assert_int_equal(f->user.state, LAPD_ST_MULTIPLE_FRAME_ESTABLISHED);
	assert_int_equal(f->up, 1);
}

static void test_window_k(void **state)
{
	struct fix *f = *state;
	uint8_t msg[2] = { 0, 0 };

	bring_up(f);
	f->drop_dir = 2;
	f->drop_count = -1;
	for (int i = 0; i < 10; i++)
		assert_int_equal(lapd_send(&f->user, msg, sizeof(msg)), 0);
	assert_int_equal(f->user.vs, 7);	/* k = 7 outstanding */
	assert_int_equal(f->user.q_count, 10);
	f->drop_count = 0;
	settle(f, 3 * EV_SEC);
	assert_int_equal(f->net_rx, 10);
	assert_int_equal(f->user.q_count, 0);
}

static void test_network_initiated(void **state)
{
	struct fix *f = *state;

	/* the user is started but the network's SABME crosses ours */
	tl_connect(&f->net);
	lapd_start(&f->user);
	settle(f, 500 * EV_MSEC);
	assert_true(lapd_is_up(&f->user));
	assert_true(f->net.up);
}

static void test_describe_and_trace(void **state)
{
	struct fix *f = *state;
	char buf[128];
	static const uint8_t sabme[] = { 0x00, 0x01, 0x7F };
	static const uint8_t rr_resp[] = { 0x00, 0x01, 0x01, 0x0B };	/* from net: response */
	static const uint8_t info[] = { 0x00, 0x01, 0x02, 0x04, 0x08, 0x02 };
	bool found = false;

	lapd_describe(buf, sizeof(buf), sabme, sizeof(sabme), true);
	assert_string_equal(buf, "SABMEp sapi = 0  tei = 0");
	lapd_describe(buf, sizeof(buf), rr_resp, sizeof(rr_resp), false);
	assert_string_equal(buf, "RRf sapi = 0  tei = 0  nr = 5");
	lapd_describe(buf, sizeof(buf), info, sizeof(info), true);
	assert_string_equal(buf, "INFOc sapi = 0  tei = 0  ns = 1  nr = 2  i = 0x0802");
	lapd_describe(buf, sizeof(buf), sabme, 1, true);	/* short: no crash */

	dbg_enable(DBG_ISDN_Q921, true);
	bring_up(f);
	for (unsigned i = 0; i < f->nlines; i++)
		if (strstr(f->lines[i], ": ISDN Se0:23: TX ->  SABMEp sapi = 0  tei = 0"))
			found = true;
	assert_true(found);
}


static void test_release(void **state)
{
	struct fix *f = *state;

	bring_up(f);
	lapd_release(&f->user);
	/* DISC, P = 1, user command */
	assert_int_equal(f->pipe.last[0][0], 0x00);
	assert_int_equal(f->pipe.last[0][2], 0x53);
	assert_int_equal(f->user.state, LAPD_ST_AWAITING_RELEASE);
	assert_int_equal(lapd_send(&f->user, (const uint8_t *)"x", 1), -ENOTCONN);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->user.state, LAPD_ST_TEI_ASSIGNED);
	assert_int_equal(f->down, 1);
	assert_false(f->net.up);
	/* released on purpose: no retry */
	settle(f, 20 * EV_SEC);
	assert_int_equal(f->user.state, LAPD_ST_TEI_ASSIGNED);
	lapd_start(&f->user);
	settle(f, 100 * EV_MSEC);
	assert_true(lapd_is_up(&f->user));
}

static void test_sequence_wraps(void **state)
{
	struct fix *f = *state;
	uint8_t msg[2];

	bring_up(f);
	/* 300 frames each way: N(S)/N(R) wrap modulo 128 more than twice */
	for (int i = 0; i < 300; i++) {
		msg[0] = (uint8_t)i;
		msg[1] = (uint8_t)(i >> 8);
		assert_int_equal(lapd_send(&f->user, msg, 2), 0);
		assert_int_equal(tl_send(&f->net, msg, 2), 0);
		settle(f, 10 * EV_MSEC);
	}
	settle(f, 1 * EV_SEC);
	assert_int_equal(f->net_rx, 300);
	assert_int_equal(f->rx, 300);
	assert_int_equal(f->rx_last[0], (uint8_t)299);
	assert_int_equal(f->user.vs, 300 % 128);
	assert_int_equal(f->user.vr, 300 % 128);
	assert_int_equal(f->user.stats.retransmissions, 0);
	assert_int_equal(f->up, 1);
}


static void test_reject_recovery(void **state)
{
	struct fix *f = *state;
	uint8_t msg[1];

	bring_up(f);
	/* the first of three I frames is lost: the network sees N(S) = 1, REJects */
	f->drop_dir = 0;
	f->drop_count = 1;
	f->drop_i_only = true;
	for (int i = 0; i < 3; i++) {
		msg[0] = (uint8_t)(0x30 + i);
		assert_int_equal(lapd_send(&f->user, msg, 1), 0);
	}
	settle(f, 200 * EV_MSEC);
	assert_int_equal(f->net.rej_tx, 1);
	assert_int_equal(f->net_rx, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(f->net_rx_log[i], 0x30 + i);	/* in order, once each */
	assert_true(f->user.stats.retransmissions >= 1);
	assert_int_equal(f->user.q_count, 0);
	assert_int_equal(f->up, 1);
}

static void test_peer_busy(void **state)
{
	struct fix *f = *state;
	static const uint8_t rnr[] = { 0x02, 0x01, 0x05, 0x00 };	/* RNR command, N(R) 0 */
	static const uint8_t rr[] = { 0x02, 0x01, 0x01, 0x00 };		/* RR command, N(R) 0 */
	uint8_t msg[1] = { 0x77 };

	bring_up(f);
	lapd_input(&f->user, rnr, sizeof(rnr));
	assert_true(f->user.peer_busy);
	assert_int_equal(lapd_send(&f->user, msg, 1), 0);
	assert_int_equal(f->user.vs, 0);		/* held back */
	lapd_input(&f->user, rr, sizeof(rr));
	assert_false(f->user.peer_busy);
	assert_int_equal(f->user.vs, 1);		/* sent */
	settle(f, 200 * EV_MSEC);
	assert_int_equal(f->net_rx, 1);
	assert_int_equal(f->user.q_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_establish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iframes_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t200_retransmission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_ack_timer_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n200_reestablish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_disc_and_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dm_frmr_reestablish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_sequence_rej, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t203_idle_enquiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_network_initiated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe_and_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sequence_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_busy, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

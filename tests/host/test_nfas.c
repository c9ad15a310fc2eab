/*
 * test_nfas.c - NFAS: one D-channel (Serial0:23) signalling for three T1 spans,
 * with a backup D-channel on span 1 (host/isdn.c against sim/telco.c); calls on
 * a span without a D-channel, switchover to the backup when the primary's link
 * dies and back when it returns, losing a member span.
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
#include "isdn.h"
#include "log.h"
#include "telco.h"
#include "log_capture.h"

#define MAXLOG 400

struct line {
	struct isdn_call *call;
	unsigned connected, cleared;
	uint8_t cause;
};

struct subrec {
	unsigned connected, cleared;
	unsigned span, bchan;
};

struct fix {
	struct ev_loop *loop;
	struct dpipe pipe[2];		/* D-channels of span 0 (primary) and 1 (backup) */
	bool cut[2];
	struct isdn_span ds[3];
	struct telco *t;
	struct telco_span *ts[3];
	struct telco_sub *sub[2];
	struct subrec rs[2];
	struct line lines[4];
	struct log_capture log;
};

static bool logged(struct fix *f, const char *s)
{
	return log_capture_has(&f->log, s);
}

static int d_send(void *ctx, struct isdn_span *span, const uint8_t *fr, size_t n)
{
	struct fix *f = ctx;

	if (span == &f->ds[0])
		return dpipe_send_user(&f->pipe[0], fr, n);
	if (span == &f->ds[1])
		return dpipe_send_user(&f->pipe[1], fr, n);
	fail_msg("D-channel frame from a span without one");
	return -1;
}

static int d_incoming(void *ctx, struct isdn_call *call, void **owner)
{
	struct fix *f = ctx;

	for (int i = 0; i < 4; i++) {
		if (!f->lines[i].call) {
			memset(&f->lines[i], 0, sizeof(f->lines[i]));
			f->lines[i].call = call;
			*owner = &f->lines[i];
			return isdn_answer(call) ? Q931_CAUSE_CALL_REJECTED : 0;
		}
	}
	return Q931_CAUSE_NO_CHANNEL;
}

static void d_connected(void *ctx, struct isdn_call *call, void *owner)
{
	(void)ctx;
	(void)call;
	((struct line *)owner)->connected++;
}

static void d_cleared(void *ctx, struct isdn_call *call, void *owner, uint8_t cause)
{
	struct line *l = owner;

	(void)ctx;
	(void)call;
	l->cleared++;
	l->cause = cause;
	l->call = NULL;
}

static const struct isdn_span_ops dops = {
	.send_dchan = d_send, .incoming_voice = d_incoming, .connected = d_connected,
	.cleared = d_cleared,
};

static void s_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan)
{
	struct subrec *r = ctx;

	(void)sub;
	r->connected++;
	r->span = span;
	r->bchan = bchan;
}

static void s_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	(void)sub;
	(void)cause;
	((struct subrec *)ctx)->cleared++;
}

static const struct telco_sub_ops sops = { NULL, NULL, s_connected, s_cleared };

static struct fix *gf;

static void net0(void *ctx, const uint8_t *fr, size_t n) { (void)ctx; telco_span_input(gf->ts[0], fr, n); }
static void net1(void *ctx, const uint8_t *fr, size_t n) { (void)ctx; telco_span_input(gf->ts[1], fr, n); }
static void usr0(void *ctx, const uint8_t *fr, size_t n) { (void)ctx; isdn_span_dchan_input(&gf->ds[0], fr, n); }
static void usr1(void *ctx, const uint8_t *fr, size_t n) { (void)ctx; isdn_span_dchan_input(&gf->ds[1], fr, n); }

static int t_send(void *ctx, const uint8_t *fr, size_t n)
{
	return dpipe_send_net(ctx, fr, n);
}

static bool cutter(void *ctx, int dir, const uint8_t *fr, size_t n)
{
	(void)dir;
	(void)fr;
	(void)n;
	return *(bool *)ctx;
}

static void settle(struct fix *f, ev_time_t dt)
{
	ev_time_t t = ev_now(f->loop), until = t + dt;

	dpipe_run(&f->pipe[0]);
	dpipe_run(&f->pipe[1]);
	while (t < until) {
		t += 10 * EV_MSEC;
		ev_loop_step(f->loop, t);
		for (int k = 0; k < 3; k++) {
			dpipe_run(&f->pipe[0]);
			dpipe_run(&f->pipe[1]);
		}
	}
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct isdn_span_config cfg;
	struct telco_sub_config sc;
	static const char *const nums[2] = { "5279651", "5551000" };

	gf = f;
	f->loop = ev_loop_new_manual(0);
	log_reset();
	log_set_clock(f->loop, 0, false);
	log_capture_start(&f->log, MAXLOG);
	dbg_enable(DBG_ISDN_Q931, true);

	for (int i = 0; i < 2; i++) {
		dpipe_init(&f->pipe[i]);
		f->pipe[i].drop = cutter;
		f->pipe[i].drop_ctx = &f->cut[i];
	}
	f->pipe[0].deliver[0] = net0;
	f->pipe[0].deliver[1] = usr0;
	f->pipe[1].deliver[0] = net1;
	f->pipe[1].deliver[1] = usr1;

	for (unsigned u = 0; u < 3; u++) {
		isdn_span_config_default(&cfg, u);
		cfg.nfas_int_id = (uint8_t)u;
		if (u == 2)
			cfg.bchan_mask = 0x01FFFFFEu;	/* no D-channel: 24 B-channels */
		isdn_span_init(&f->ds[u], f->loop, &cfg, &dops, f);
	}
	assert_int_equal(isdn_nfas_group(&f->ds[0], &f->ds[1],
					 (struct isdn_span *const[]){ &f->ds[2] }, 1), 0);

	f->t = telco_new(f->loop, NULL);
	f->ts[0] = telco_add_span(f->t, "4084327528", t_send, &f->pipe[0]);
	f->ts[1] = telco_add_span(f->t, "", t_send, &f->pipe[1]);
	f->ts[2] = telco_add_span(f->t, "", NULL, NULL);
	for (unsigned u = 0; u < 3; u++)
		telco_span_set_int_id(f->ts[u], u);
	assert_int_equal(telco_nfas_group(f->ts[0], f->ts[1],
					  (struct telco_span *const[]){ f->ts[2] }, 1), 0);
	for (int i = 0; i < 2; i++) {
		telco_sub_config_default(&sc, nums[i]);
		f->sub[i] = telco_add_sub(f->t, &sc, &sops, &f->rs[i]);
	}
	for (unsigned u = 0; u < 3; u++)
		isdn_span_l1(&f->ds[u], true);
	settle(f, 200 * EV_MSEC);
	assert_true(lapd_is_up(&f->ds[0].lapd));
	assert_true(lapd_is_up(&f->ds[1].lapd));
	assert_false(lapd_is_up(&f->ds[2].lapd));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	for (int u = 0; u < 3; u++)
		isdn_span_fini(&f->ds[u]);
	telco_free(f->t);
	log_capture_stop(&f->log);
	log_reset();
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

static void test_group_rules(void **state)
{
	struct fix *f = *state;

	assert_int_equal(isdn_nfas_group(&f->ds[0], &f->ds[0], NULL, 0), -EINVAL);
	assert_int_equal(isdn_nfas_group(NULL, NULL, NULL, 0), -EINVAL);
	assert_ptr_equal(f->ds[2].ctl, &f->ds[0]);
	assert_ptr_equal(f->ds[0].backup, &f->ds[1]);
	assert_int_equal(f->ds[0].nmembers, 3);
}

static void test_call_on_member_span(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;
	char *buf = NULL;
	size_t sz = 0;
	FILE *out;

	/* the switch puts an incoming call on span 2, channel 24 */
	telco_span_next_bchan(f->ts[2], 24);
	assert_int_equal(telco_dial(f->sub[0], "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	c = f->lines[0].call;
	assert_non_null(c);
	assert_ptr_equal(c->span, &f->ds[0]);		/* signalled on the primary */
	assert_ptr_equal(c->bspan, &f->ds[2]);		/* carried on span 2 */
	assert_int_equal(c->bchan, 24);
	assert_ptr_equal(f->ds[2].bchan[24], c);
	assert_true(logged(f, "Channel ID i = 0xE9828398"));	/* exclusive, interface 2 */
	assert_int_equal(f->lines[0].connected, 1);
	assert_int_equal(f->rs[0].connected, 1);
	assert_int_equal(f->rs[0].span, 2);
	assert_int_equal(f->rs[0].bchan, 24);

	out = open_memstream(&buf, &sz);
	isdn_show_active((struct isdn_span *const[]){ &f->ds[0] }, 1, out);
	fclose(out);
	assert_non_null(strstr(buf, "Serial2:23"));
	free(buf);

	/* an outgoing call asked of a member goes through the primary */
	c = isdn_call_out(&f->ds[2], "5551000", ISDN_BEARER_SPEECH, &f->lines[3], NULL);
	assert_non_null(c);
	f->lines[3].call = c;
	assert_ptr_equal(c->span, &f->ds[0]);
	settle(f, 4 * EV_SEC);
	assert_int_equal(f->lines[3].connected, 1);
	assert_int_equal(f->rs[1].connected, 1);
	assert_true(logged(f, "ISDN Se0:23: TX -> SETUP pd = 8 callref = 0x0001"));
}

static void test_backup_dchannel_takes_over(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;

	telco_span_next_bchan(f->ts[2], 5);
	assert_int_equal(telco_dial(f->sub[0], "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	c = f->lines[0].call;
	assert_non_null(c);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);

	/* the primary D-channel dies; both ends notice within T203 + N200 x T200 */
	f->cut[0] = true;
	settle(f, 25 * EV_SEC);
	assert_false(lapd_is_up(&f->ds[0].lapd));
	assert_true(lapd_is_up(&f->ds[1].lapd));
	assert_true(logged(f, "%ISDN-6-LAYER2DOWN: Layer 2 for Interface Se0:23, TEI 0 changed to down"));
	/* the call survived */
	assert_true(c->in_use);
	assert_int_equal(f->lines[0].cleared, 0);
	assert_true(telco_sub_connected(f->sub[0]));

	/* and is cleared through the backup */
	log_capture_clear(&f->log);
	assert_int_equal(telco_hangup(f->sub[0]), 0);
	settle(f, 200 * EV_MSEC);
	assert_true(logged(f, "ISDN Se1:23: RX <- DISCONNECT pd = 8 callref = 0x"));
	assert_int_equal(f->lines[0].cleared, 1);
	assert_false(c->in_use);

	/* new calls use the backup too */
	c = isdn_call_out(&f->ds[0], "5551000", ISDN_BEARER_SPEECH, &f->lines[3], NULL);
	assert_non_null(c);
	f->lines[3].call = c;
	settle(f, 4 * EV_SEC);
	assert_true(logged(f, "ISDN Se1:23: TX -> SETUP pd = 8 callref = 0x"));
	assert_int_equal(f->lines[3].connected, 1);

	/* the primary returns: signalling moves back, the call stays up */
	f->cut[0] = false;
	settle(f, 20 * EV_SEC);
	assert_true(lapd_is_up(&f->ds[0].lapd));
	assert_true(telco_span_link_up(f->ts[0]));
	assert_true(c->in_use);
	log_capture_clear(&f->log);
	assert_int_equal(isdn_hangup(c, 0), 0);
	f->lines[3].call = NULL;
	settle(f, 200 * EV_MSEC);
	assert_true(logged(f, "ISDN Se0:23: TX -> DISCONNECT pd = 8 callref = 0x"));
	assert_false(telco_sub_in_call(f->sub[1]));
	assert_int_equal(isdn_active_calls(&f->ds[0]), 0);
}

static void test_both_dchannels_lost(void **state)
{
	struct fix *f = *state;

	assert_int_equal(telco_dial(f->sub[0], "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_non_null(f->lines[0].call);
	f->cut[0] = f->cut[1] = true;
	settle(f, 25 * EV_SEC);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_int_equal(f->lines[0].cause, Q931_CAUSE_NETWORK_OUT_OF_ORDER);
	assert_int_equal(isdn_active_calls(&f->ds[0]), 0);
	assert_int_equal(f->rs[0].cleared, 1);
}

static void test_member_span_lost(void **state)
{
	struct fix *f = *state;

	telco_span_next_bchan(f->ts[2], 7);
	assert_int_equal(telco_dial(f->sub[0], "4084327528"), 0);
	telco_span_next_bchan(f->ts[0], 3);
	assert_int_equal(telco_dial(f->sub[1], "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(isdn_active_calls(&f->ds[0]), 2);
	/* span 2 loses its signal: only its call goes */
	telco_span_set_alarm(f->ts[2], TELCO_ALARM_LOS);
	isdn_span_l1(&f->ds[2], false);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(isdn_active_calls(&f->ds[0]), 1);
	assert_int_equal(f->rs[0].cleared, 1);
	assert_int_equal(f->rs[1].cleared, 0);
	assert_true(telco_sub_connected(f->sub[1]));
	assert_true(lapd_is_up(&f->ds[0].lapd));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_group_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_on_member_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_dchannel_takes_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_both_dchannels_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_span_lost, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

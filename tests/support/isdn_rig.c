/*
 * isdn_rig.c - a PRI span against the simulated switch (see isdn_rig.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "isdn_rig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

static void to_net(void *ctx, const uint8_t *fr, size_t n)
{
	telco_span_input(((struct isdn_rig *)ctx)->ts, fr, n);
}

static void to_user(void *ctx, const uint8_t *fr, size_t n)
{
	isdn_span_dchan_input(&((struct isdn_rig *)ctx)->span, fr, n);
}

static int t_send(void *ctx, const uint8_t *fr, size_t n)
{
	return dpipe_send_net(&((struct isdn_rig *)ctx)->pipe, fr, n);
}

static bool dropper(void *ctx, int dir, const uint8_t *fr, size_t n)
{
	(void)dir;
	(void)fr;
	(void)n;
	return ((struct isdn_rig *)ctx)->drop_all;
}

void isdn_rig_init(struct isdn_rig *r, const struct isdn_span_ops *ops, void *ctx,
		   time_t clock_base)
{
	struct isdn_span_config cfg;

	memset(r, 0, sizeof(*r));
	r->loop = ev_loop_new_manual(0);
	log_reset();
	log_set_clock(r->loop, clock_base, false);
	log_capture_start(&r->log, ISDN_RIG_MAXLOG);

	dpipe_init(&r->pipe);
	r->pipe.deliver[0] = to_net;
	r->pipe.ctx[0] = r;
	r->pipe.deliver[1] = to_user;
	r->pipe.ctx[1] = r;
	r->pipe.drop = dropper;
	r->pipe.drop_ctx = r;

	isdn_span_config_default(&cfg, 0);
	cfg.first_callref = 5;		/* the seed's callback is callref 0x0005 */
	cfg.first_call_id = 0xA;	/* and its incoming call id 0xA */
	isdn_span_init(&r->span, r->loop, &cfg, ops, ctx);

	r->t = telco_new(r->loop, NULL);
	r->ts = telco_add_span(r->t, ISDN_RIG_NAS_NUMBER, t_send, r);
	telco_span_next_cr(r->ts, 0x36);	/* the seed's incoming SETUP */
}

void isdn_rig_up(struct isdn_rig *r)
{
	isdn_span_l1(&r->span, true);
	isdn_rig_settle(r, 100 * EV_MSEC);
	assert_true(lapd_is_up(&r->span.lapd));
	assert_true(telco_span_link_up(r->ts));
	log_capture_clear(&r->log);
}

void isdn_rig_fini(struct isdn_rig *r)
{
	isdn_span_fini(&r->span);
	telco_free(r->t);
	log_capture_stop(&r->log);
	log_reset();
	ev_loop_free(r->loop);
}

void isdn_rig_settle(struct isdn_rig *r, ev_time_t dt)
{
	dpipe_settle(r->loop, &r->pipe, ev_now(r->loop) + dt, 10 * EV_MSEC);
}

void isdn_rig_dump(const struct isdn_rig *r)
{
	log_capture_dump(&r->log, 0, "  log: ");
}

void isdn_rig_expect_seq(struct isdn_rig *r, const char *const *want)
{
	unsigned at = 0;

	for (unsigned w = 0; want[w]; w++) {
		while (at < r->log.n && strcmp(r->log.line[at], want[w]))
			at++;
		if (at == r->log.n) {
			isdn_rig_dump(r);
			fail_msg("missing (in order): %s", want[w]);
		}
		at++;
	}
}

bool isdn_rig_logged(const struct isdn_rig *r, const char *s)
{
	return log_capture_has(&r->log, s);
}

/*
 * test_isdn.c - PRI call control (host/isdn.c, user side) back to back with the
 * simulated telco switch (sim/telco.c, network side) through an in-memory
 * D-channel on a manual event loop: the seed's incoming call and outgoing
 * callback with their bytes and debug texts, glare, timers, clearing from either
 * side in every state, link loss, malformed messages.
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
#include "isdn_rig.h"
#include "log.h"
#include "telco.h"

#define NLINES 4

struct line {
	struct isdn_call *call;
	unsigned proceeding, alerting, connected, cleared;
	uint8_t cause;
	uint8_t bchan_at_proceeding;
};

struct subrec {
	unsigned ring, alerting, connected, cleared;
	uint8_t cause;
	unsigned bchan;
	char caller[40];
};

struct fix {
	struct isdn_rig rig;
	struct telco_sub *client, *other;
	struct subrec rclient, rother;
	struct line lines[NLINES];
	int reject_cause;		/* incoming_voice: reject with this */
	bool answer_in_offer;		/* incoming_voice: isdn_answer() at once */
	unsigned offers;
};

/* ---- daemon side upcalls ---- */

static int d_send(void *ctx, struct isdn_span *span, const uint8_t *f, size_t n)
{
	(void)span;
	return dpipe_send_user(&((struct fix *)ctx)->rig.pipe, f, n);
}

static int d_incoming(void *ctx, struct isdn_call *call, void **owner)
{
	struct fix *f = ctx;

	f->offers++;
	if (f->reject_cause)
		return f->reject_cause;
	for (int i = 0; i < NLINES; i++) {
		if (!f->lines[i].call) {
			memset(&f->lines[i], 0, sizeof(f->lines[i]));
			f->lines[i].call = call;
			*owner = &f->lines[i];
			if (f->answer_in_offer)
				assert_int_equal(isdn_answer(call), 0);
			return 0;
		}
	}
	return Q931_CAUSE_NO_CHANNEL;
}

static void d_proceeding(void *ctx, struct isdn_call *call, void *owner)
{
	struct line *l = owner;

	(void)ctx;
	assert_ptr_equal(l->call, call);
	l->proceeding++;
	l->bchan_at_proceeding = call->bchan;
}

static void d_alerting(void *ctx, struct isdn_call *call, void *owner)
{
	struct line *l = owner;

	(void)ctx;
	assert_ptr_equal(l->call, call);
	l->alerting++;
}

static void d_connected(void *ctx, struct isdn_call *call, void *owner)
{
	struct line *l = owner;

	(void)ctx;
	assert_ptr_equal(l->call, call);
	l->connected++;
}

static void d_cleared(void *ctx, struct isdn_call *call, void *owner, uint8_t cause)
{
	struct line *l = owner;

	(void)ctx;
	assert_ptr_equal(l->call, call);
	l->cleared++;
	l->cause = cause;
	l->call = NULL;
}

static const struct isdn_span_ops dops = {
	.send_dchan = d_send,
	.incoming_voice = d_incoming,
	.proceeding = d_proceeding,
	.alerting = d_alerting,
	.connected = d_connected,
	.cleared = d_cleared,
};

/* ---- subscriber upcalls ---- */

static void s_ring(void *ctx, struct telco_sub *sub, const char *caller)
{
	struct subrec *r = ctx;

	(void)sub;
	r->ring++;
	snprintf(r->caller, sizeof(r->caller), "%s", caller);
}

static void s_alerting(void *ctx, struct telco_sub *sub)
{
	(void)sub;
	((struct subrec *)ctx)->alerting++;
}

static void s_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan)
{
	struct subrec *r = ctx;

	(void)sub;
	(void)span;
	r->connected++;
	r->bchan = bchan;
}

static void s_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	struct subrec *r = ctx;

	(void)sub;
	r->cleared++;
	r->cause = cause;
}

static const struct telco_sub_ops sops = { s_ring, s_alerting, s_connected, s_cleared };

/* ---- plumbing ---- */


static void settle(struct fix *f, ev_time_t dt)
{
	isdn_rig_settle(&f->rig, dt);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct telco_sub_config sc;

	/* the seed's clock: Mar 1 01:24:48 */
	isdn_rig_init(&f->rig, &dops, f, 59 * 86400 + 1 * 3600 + 24 * 60 + 48);
	dbg_enable(DBG_ISDN_Q931, true);
	telco_sub_config_default(&sc, "5279651");
	f->client = telco_add_sub(f->rig.t, &sc, &sops, &f->rclient);
	telco_sub_config_default(&sc, "5551000");
	f->other = telco_add_sub(f->rig.t, &sc, &sops, &f->rother);
	isdn_rig_up(&f->rig);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	isdn_rig_fini(&f->rig);
	free(f);
	return 0;
}

/* Every expected line appears, in this order (others may come between). */
static void expect_seq(struct fix *f, const char *const *want)
{
	isdn_rig_expect_seq(&f->rig, want);
}

static bool logged(struct fix *f, const char *s)
{
	return isdn_rig_logged(&f->rig, s);
}

static struct isdn_call *incoming_seed_call(struct fix *f)
{
	telco_span_next_bchan(f->rig.ts, 19);
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 50 * EV_MSEC);
	assert_int_equal(f->offers, 1);
	assert_non_null(f->lines[0].call);
	return f->lines[0].call;
}

static struct isdn_call *outgoing_call(struct fix *f, const char *num, struct line **lp)
{
	struct line *l = &f->lines[3];
	uint8_t cause = 0;

	memset(l, 0, sizeof(*l));
	l->call = isdn_call_out(&f->rig.span, num, ISDN_BEARER_SPEECH, l, &cause);
	assert_non_null(l->call);
	*lp = l;
	return l->call;
}

/* ---- tests ---- */

static void test_seed_incoming_call(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;
	static const char *const seq[] = {
		"ISDN Se0:23: RX <- SETUP pd = 8 callref = 0x36",
		"Bearer Capability i = 0x9090A2",
		"Channel ID i = 0xA98393",
		"Called Party Number i = 0xC1, '4084327528'",
		"ISDN Se0:23: Incoming call id = 0xA",
		"ISDN Se0:23: TX -> CALL_PROC pd = 8 callref = 0x8036",
		"Channel ID i = 0xA98393",
		"ISDN Se0:23: TX -> ALERTING pd = 8 callref = 0x8036",
		"ISDN Se0:23: TX -> CONNECT pd = 8 callref = 0x8036",
		"ISDN Se0:23: RX <- CONNECT_ACK pd = 8 callref = 0x36",
		NULL,
	};
	static const char *const hang[] = {
		"ISDN Se0:23: Event: Hangup call to call id 0xA",
		"%ISDN-6-DISCONNECT: Interface Serial0:18 disconnected from unknown , call lasted 41 seconds",
		"ISDN Se0:23: TX -> DISCONNECT pd = 8 callref = 0x8036",
		"Cause i = 0x8090 - Normal call clearing",
		"ISDN Se0:23: RX <- RELEASE pd = 8 callref = 0x36",
		"ISDN Se0:23: TX -> RELEASE_COMP pd = 8 callref = 0x8036",
		NULL,
	};

	c = incoming_seed_call(f);
	assert_int_equal(c->bchan, 19);
	assert_int_equal(c->bearer, ISDN_BEARER_AUDIO);
	assert_string_equal(c->called, "4084327528");
	assert_string_equal(c->calling, "");
	assert_int_equal(c->call_id, 0xA);
	assert_int_equal(c->state, ISDN_U7_CALL_RECEIVED);
	assert_int_equal(f->rclient.alerting, 1);

	/* the modem goes off hook a second later (seed: 48.7 -> 49.7) */
	settle(f, 1 * EV_SEC);
	assert_int_equal(isdn_answer(c), 0);
	settle(f, 50 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	assert_int_equal(f->lines[0].connected, 1);
	assert_int_equal(f->rclient.connected, 1);
	assert_int_equal(f->rclient.bchan, 19);
	expect_seq(f, seq);

	/* 41 s later the NAS hangs up for the callback */
	settle(f, 41 * EV_SEC + 800 * EV_MSEC);
	log_capture_clear(&f->rig.log);
	assert_int_equal(isdn_hangup(c, Q931_CAUSE_NORMAL_CLEARING), 0);
	assert_null(c->owner);
	settle(f, 100 * EV_MSEC);
	expect_seq(f, hang);
	assert_false(c->in_use);
	assert_null(f->rig.span.bchan[19]);
	assert_int_equal(f->lines[0].cleared, 0);	/* the line let go itself */
	assert_int_equal(f->rclient.cleared, 1);
	assert_int_equal(f->rclient.cause, Q931_CAUSE_NORMAL_CLEARING);
	assert_false(telco_sub_in_call(f->client));
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}

static void test_seed_outgoing_callback(void **state)
{
	struct fix *f = *state;
	struct line *l;
	struct isdn_call *c;
	char *buf = NULL;
	size_t sz = 0;
	FILE *out;
	static const char *const seq[] = {
		"ISDN Se0:23: TX -> SETUP pd = 8 callref = 0x0005",
		"Bearer Capability i = 0x8090A2",
		"Channel ID i = 0xE1808397",
		"Called Party Number i = 0xA1, '5279651'",
		"ISDN Se0:23: RX <- CALL_PROC pd = 8 callref = 0x8005",
		"Channel ID i = 0xA98397",
		"ISDN Se0:23: RX <- ALERTING pd = 8 callref = 0x8005",
		"Progress Ind i = 0x8388 - In-band info or appropriate now available",
		"ISDN Se0:23: RX <- CONNECT pd = 8 callref = 0x8005",
		"ISDN Se0:23: TX -> CONNECT_ACK pd = 8 callref = 0x0005",
		NULL,
	};

	c = outgoing_call(f, "5279651", &l);
	assert_int_equal(c->bchan, 23);			/* descending: 0x97 */
	assert_int_equal(c->call_id, 0xA005);
	assert_int_equal(c->state, ISDN_U1_CALL_INITIATED);
	settle(f, 50 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U3_OUTGOING_PROCEEDING);
	assert_int_equal(l->proceeding, 1);
	assert_int_equal(l->bchan_at_proceeding, 23);	/* seed: bchan=0x16, zero-based */
	assert_int_equal(f->rclient.ring, 1);
	assert_string_equal(f->rclient.caller, "4084327528");
	settle(f, 700 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U4_CALL_DELIVERED);
	assert_int_equal(l->alerting, 1);
	settle(f, 2700 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	assert_int_equal(l->connected, 1);
	assert_int_equal(f->rclient.connected, 1);
	assert_int_equal(f->rclient.bchan, 23);
	expect_seq(f, seq);

	/* show isdn active: the callback is an outgoing call */
	out = open_memstream(&buf, &sz);
	isdn_show_active((struct isdn_span *const[]){ &f->rig.span }, 1, out);
	fclose(out);
	assert_non_null(strstr(buf, "ISDN ACTIVE CALLS"));
	assert_non_null(strstr(buf, "Out"));
	assert_non_null(strstr(buf, "5279651"));
	assert_non_null(strstr(buf, "Serial0:22"));
	free(buf);

	out = open_memstream(&buf, &sz);
	isdn_show_status((struct isdn_span *const[]){ &f->rig.span }, 1, out);
	fclose(out);
	assert_non_null(strstr(buf, "primary-5ess"));
	assert_non_null(strstr(buf, "MULTIPLE_FRAME_ESTABLISHED"));
	assert_non_null(strstr(buf, "1 Active Layer 3 Call(s)"));
	assert_non_null(strstr(buf, "ACTIVE"));
	free(buf);

	/* the subscriber hangs up: the network clears, the line hears cause 16 */
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_NORMAL_CLEARING);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_true(logged(f, "%ISDN-6-DISCONNECT: Interface Serial0:22 disconnected from 5279651 , call lasted 0 seconds"));
}

static void test_answer_inside_offer(void **state)
{
	struct fix *f = *state;

	f->answer_in_offer = true;
	incoming_seed_call(f);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->lines[0].connected, 1);
	assert_int_equal(f->rclient.connected, 1);
}

static void test_no_free_line_rejects(void **state)
{
	struct fix *f = *state;

	f->reject_cause = Q931_CAUSE_NO_CHANNEL;
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->offers, 1);
	assert_int_equal(f->rclient.cleared, 1);
	assert_int_equal(f->rclient.cause, Q931_CAUSE_NO_CHANNEL);
	assert_int_equal(telco_span_stats(f->rig.ts)->last_rel_cause, Q931_CAUSE_NO_CHANNEL);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_int_equal(f->rig.span.stats.calls_rejected, 1);
}

static void test_glare(void **state)
{
	struct fix *f = *state;
	struct line *l;
	struct isdn_call *out;

	/* both sides pick channel 23 at the same moment */
	telco_span_next_bchan(f->rig.ts, 23);
	out = outgoing_call(f, "5551000", &l);
	assert_int_equal(out->bchan, 23);
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 50 * EV_MSEC);
	/* the network's exclusive choice wins 23; ours moved to what CALL_PROC gave */
	assert_non_null(f->lines[0].call);
	assert_int_equal(f->lines[0].call->bchan, 23);
	assert_int_equal(l->proceeding, 1);
	assert_true(out->bchan != 23 && out->bchan != 0);
	assert_ptr_equal(f->rig.span.bchan[out->bchan], out);
	assert_ptr_equal(f->rig.span.bchan[23], f->lines[0].call);
	assert_int_equal(isdn_answer(f->lines[0].call), 0);
	settle(f, 4 * EV_SEC);
	assert_int_equal(f->lines[0].connected, 1);
	assert_int_equal(l->connected, 1);
	assert_int_equal(f->rclient.connected, 1);
	assert_int_equal(f->rother.connected, 1);
	assert_int_equal(f->rclient.bchan, 23);
	assert_int_equal(f->rother.bchan, out->bchan);
}

static void test_t303_expiry(void **state)
{
	struct fix *f = *state;
	struct line *l;
	struct isdn_call *c;

	telco_span_mute_setup(f->rig.ts, true);
	c = outgoing_call(f, "5279651", &l);
	settle(f, 4100 * EV_MSEC);
	/* first expiry: SETUP again */
	assert_int_equal(telco_span_stats(f->rig.ts)->setups_rx, 2);
	assert_int_equal(l->cleared, 0);
	settle(f, 4 * EV_SEC);
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_TIMER_EXPIRY);
	assert_false(c->in_use);
	assert_null(f->rig.span.bchan[23]);
	assert_true(logged(f, "TX -> RELEASE_COMP pd = 8 callref = 0x0005"));
}

/* The NAS clears its outgoing call in U1, U3, U4 and U10. */
static void test_user_disconnect_outgoing_states(void **state)
{
	struct fix *f = *state;
	struct telco_sub_config sc;
	struct line *l;
	struct isdn_call *c;
	static const enum isdn_call_state states[] = {
		ISDN_U1_CALL_INITIATED, ISDN_U3_OUTGOING_PROCEEDING, ISDN_U4_CALL_DELIVERED,
		ISDN_U10_ACTIVE,
	};

	(void)sc;
	for (unsigned i = 0; i < 4; i++) {
		telco_span_mute_setup(f->rig.ts, states[i] == ISDN_U1_CALL_INITIATED);
		c = outgoing_call(f, "5279651", &l);
		if (states[i] == ISDN_U1_CALL_INITIATED)
			settle(f, 10 * EV_MSEC);
		else if (states[i] == ISDN_U3_OUTGOING_PROCEEDING)
			settle(f, 100 * EV_MSEC);
		else if (states[i] == ISDN_U4_CALL_DELIVERED)
			settle(f, 1000 * EV_MSEC);
		else
			settle(f, 4 * EV_SEC);
		assert_int_equal(c->state, states[i]);
		assert_int_equal(isdn_hangup(c, 0), 0);
		assert_int_equal(c->state, ISDN_U11_DISCONNECT_REQUEST);
		telco_span_mute_setup(f->rig.ts, false);
		if (states[i] == ISDN_U1_CALL_INITIATED) {
			/* the network never saw the call: it answers DISCONNECT with
			 * RELEASE COMPLETE (cause 81) */
			settle(f, 100 * EV_MSEC);
		} else {
			settle(f, 100 * EV_MSEC);
			assert_int_equal(f->rclient.cleared, i);
		}
		assert_false(c->in_use);
		assert_int_equal(isdn_active_calls(&f->rig.span), 0);
		assert_false(telco_sub_in_call(f->client));
		assert_int_equal(l->cleared, 0);	/* the line hung up itself */
	}
}

/* The network clears the NAS's outgoing call in U3, U4 and U10. */
static void test_network_disconnect_outgoing_states(void **state)
{
	struct fix *f = *state;
	struct line *l;
	struct isdn_call *c;
	static const ev_time_t when[] = { 100 * EV_MSEC, 1000 * EV_MSEC, 4 * EV_SEC };
	static const enum isdn_call_state states[] = {
		ISDN_U3_OUTGOING_PROCEEDING, ISDN_U4_CALL_DELIVERED, ISDN_U10_ACTIVE,
	};

	for (unsigned i = 0; i < 3; i++) {
		c = outgoing_call(f, "5279651", &l);
		settle(f, when[i]);
		assert_int_equal(c->state, states[i]);
		assert_int_equal(telco_hangup(f->client), 0);
		settle(f, 100 * EV_MSEC);
		assert_int_equal(l->cleared, 1);
		assert_false(c->in_use);
		assert_int_equal(isdn_active_calls(&f->rig.span), 0);
		assert_true(logged(f, "TX -> RELEASE pd = 8 callref = 0x"));
	}
}

/* Incoming call cleared by either side while ringing (U7) and active (U10). */
static void test_disconnect_incoming_states(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;

	/* U7, NAS side (the modem gives up before answering) */
	c = incoming_seed_call(f);
	assert_int_equal(c->state, ISDN_U7_CALL_RECEIVED);
	assert_int_equal(isdn_hangup(c, Q931_CAUSE_NORMAL_CLEARING), 0);
	f->lines[0].call = NULL;
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->rclient.cleared, 1);
	assert_false(c->in_use);

	/* U7, network side (the caller gives up while it rings) */
	f->offers = 0;
	c = incoming_seed_call(f);
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_false(c->in_use);

	/* U10, network side */
	f->offers = 0;
	c = incoming_seed_call(f);
	assert_int_equal(isdn_answer(c), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_int_equal(f->lines[0].cause, Q931_CAUSE_NORMAL_CLEARING);
	assert_false(c->in_use);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);

	/* U8: CONNECT sent, CONNECT ACKNOWLEDGE not yet in: the network clears */
	f->offers = 0;
	c = incoming_seed_call(f);
	assert_int_equal(isdn_answer(c), 0);
	assert_int_equal(c->state, ISDN_U8_CONNECT_REQUEST);
	assert_int_equal(telco_hangup(f->client), 0);	/* crosses our CONNECT */
	settle(f, 100 * EV_MSEC);
	assert_false(c->in_use);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}

static void send_raw(struct fix *f, const uint8_t *m, size_t n)
{
	assert_int_equal(telco_span_send_raw(f->rig.ts, m, n), 0);
	settle(f, 50 * EV_MSEC);
}

/* The states the other clearing tests do not reach: a DISCONNECT from the network
 * in U1 (before any answer to our SETUP) and in U19 (our RELEASE outstanding), our
 * own hang-up in U8, and a DISCONNECT without its mandatory Cause. */
static void test_disconnect_remaining_states(void **state)
{
	struct fix *f = *state;
	const struct telco_span_stats *st = telco_span_stats(f->rig.ts);
	struct isdn_call *c;
	struct line *l;
	/* DISCONNECT for our call reference 5 (flag set: the network answers us) */
	static const uint8_t disc_out[] = { 0x08, 0x02, 0x80, 0x05, 0x45, 0x08, 0x02, 0x82, 0x90 };
	/* DISCONNECT without Cause for the network's reference (filled in) */
	uint8_t disc_nocause[] = { 0x08, 0x02, 0x00, 0x36, 0x45 };

	/* U1: the switch has not answered our SETUP yet */
	telco_span_mute_setup(f->rig.ts, true);
	c = outgoing_call(f, "5279651", &l);
	settle(f, 10 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U1_CALL_INITIATED);
	send_raw(f, disc_out, sizeof(disc_out));
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_NORMAL_CLEARING);
	assert_true(logged(f, "TX -> RELEASE pd = 8 callref = 0x0005"));
	settle(f, 200 * EV_MSEC);	/* the switch knows no such call: RELEASE COMPLETE */
	assert_false(c->in_use);
	assert_null(f->rig.span.bchan[23]);
	telco_span_mute_setup(f->rig.ts, false);

	/* U8: CONNECT sent, the switch has not seen it; the line hangs up */
	c = incoming_seed_call(f);
	telco_span_ignore(f->rig.ts, 0x07, true);
	assert_int_equal(isdn_answer(c), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U8_CONNECT_REQUEST);
	assert_int_equal(isdn_hangup(c, Q931_CAUSE_NORMAL_CLEARING), 0);
	f->lines[0].call = NULL;
	settle(f, 200 * EV_MSEC);
	assert_false(c->in_use);
	assert_false(telco_sub_in_call(f->client));
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	telco_span_ignore(f->rig.ts, 0x07, false);

	/* U10, DISCONNECT without a Cause: cleared anyway, our RELEASE says 96 */
	f->offers = 0;
	c = incoming_seed_call(f);
	assert_int_equal(isdn_answer(c), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	log_capture_clear(&f->rig.log);
	disc_nocause[2] = (uint8_t)(c->cr >> 8);
	disc_nocause[3] = (uint8_t)c->cr;
	send_raw(f, disc_nocause, sizeof(disc_nocause));
	assert_int_equal(f->lines[0].cleared, 1);
	assert_true(logged(f, "TX -> RELEASE pd = 8 callref = 0x80"));
	assert_true(logged(f, "Cause i = 0x80E0 - Mandatory information element is missing"));
	settle(f, 5 * EV_SEC);		/* the switch's call is cleared by its own timers */
	assert_false(c->in_use);

	/* U19: our RELEASE is outstanding when another DISCONNECT arrives */
	f->offers = 0;
	f->lines[0].call = NULL;
	telco_span_next_bchan(f->rig.ts, 19);
	c = incoming_seed_call(f);
	assert_int_equal(isdn_answer(c), 0);
	settle(f, 100 * EV_MSEC);
	telco_span_ignore(f->rig.ts, 0x4D, true);
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U19_RELEASE_REQUEST);
	disc_nocause[2] = (uint8_t)(c->cr >> 8);
	disc_nocause[3] = (uint8_t)c->cr;
	send_raw(f, disc_nocause, sizeof(disc_nocause));
	assert_true(c->in_use);			/* still clearing, nothing else */
	assert_int_equal(c->state, ISDN_U19_RELEASE_REQUEST);
	assert_int_equal(st->last_status_cause, Q931_CAUSE_MSG_NOT_COMPATIBLE);
	settle(f, 9 * EV_SEC);			/* T308 twice */
	assert_false(c->in_use);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	telco_span_ignore(f->rig.ts, 0x4D, false);
}

static void test_busy_and_unknown(void **state)
{
	struct fix *f = *state;
	struct line *l;

	telco_sub_set_busy(f->client, true);
	outgoing_call(f, "5279651", &l);
	settle(f, 200 * EV_MSEC);
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_USER_BUSY);
	telco_sub_set_busy(f->client, false);

	outgoing_call(f, "5550000", &l);
	settle(f, 200 * EV_MSEC);
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_UNALLOCATED);

	telco_sub_set_no_answer(f->client, true);
	outgoing_call(f, "5279651", &l);
	settle(f, 31 * EV_SEC);
	assert_int_equal(l->alerting, 1);
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_NO_ANSWER);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}

static void test_link_loss_mid_call(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;
	struct line *l;

	c = incoming_seed_call(f);
	isdn_answer(c);
	outgoing_call(f, "5551000", &l);
	settle(f, 4 * EV_SEC);
	assert_int_equal(isdn_active_calls(&f->rig.span), 2);
	/* the D-channel goes silent: T203, then T200 x N200, then re-establishment */
	f->rig.drop_all = true;
	settle(f, 16 * EV_SEC);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_int_equal(f->lines[0].cause, Q931_CAUSE_NETWORK_OUT_OF_ORDER);
	assert_int_equal(l->cleared, 1);
	assert_true(logged(f, "%ISDN-6-LAYER2DOWN: Layer 2 for Interface Se0:23, TEI 0 changed to down"));
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	/* a dead line: SABME retries every few seconds, but one LAYER2DOWN only */
	settle(f, 30 * EV_SEC);
	{
		unsigned downs = 0;

		for (unsigned i = 0; i < f->rig.log.n; i++)
			downs += strstr(f->rig.log.line[i], "LAYER2DOWN") != NULL;
		assert_int_equal(downs, 1);
		assert_true(f->rig.span.lapd.stats.tx_frames > 20);
	}
	for (unsigned ch = 1; ch <= ISDN_MAX_BCHAN; ch++)
		assert_null(f->rig.span.bchan[ch]);
	/* and recovers */
	f->rig.drop_all = false;
	settle(f, 30 * EV_SEC);
	assert_true(lapd_is_up(&f->rig.span.lapd));
	assert_true(logged(f, "%ISDN-6-LAYER2UP: Layer 2 for Interface Se0:23, TEI 0 changed to up"));
	outgoing_call(f, "5551000", &l);
	settle(f, 4 * EV_SEC);
	assert_int_equal(l->connected, 1);
}

static void test_layer1_loss(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;
	uint8_t cause = 0;

	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	telco_span_set_alarm(f->rig.ts, TELCO_ALARM_LOS);
	assert_int_equal(telco_span_alarms(f->rig.ts), TELCO_ALARM_LOS);
	assert_int_equal(f->rclient.cleared, 1);
	isdn_span_l1(&f->rig.span, false);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_null(isdn_call_out(&f->rig.span, "5279651", ISDN_BEARER_SPEECH, NULL, &cause));
	assert_int_equal(cause, Q931_CAUSE_NETWORK_OUT_OF_ORDER);
	assert_int_equal(telco_dial(f->client, "4084327528"), -ENETDOWN);
	telco_span_set_alarm(f->rig.ts, 0);
	isdn_span_l1(&f->rig.span, true);
	settle(f, 200 * EV_MSEC);
	assert_true(lapd_is_up(&f->rig.span.lapd));
}

static void test_malformed_messages(void **state)
{
	struct fix *f = *state;
	const struct telco_span_stats *st = telco_span_stats(f->rig.ts);
	struct isdn_call *c;
	/* SETUP without Bearer Capability */
	static const uint8_t no_bearer[] = { 0x08, 0x02, 0x00, 0x40, 0x05, 0x18, 0x03, 0xA9, 0x83,
					     0x81 };
	/* SETUP with a slot-map Channel ID */
	static const uint8_t bad_chan[] = { 0x08, 0x02, 0x00, 0x41, 0x05, 0x04, 0x03, 0x90, 0x90,
					    0xA2, 0x18, 0x03, 0xA9, 0x93, 0x01 };
	/* SETUP for channel 24 (the D-channel) */
	static const uint8_t chan24[] = { 0x08, 0x02, 0x00, 0x42, 0x05, 0x04, 0x03, 0x90, 0x90,
					  0xA2, 0x18, 0x03, 0xA9, 0x83, 0x98 };
	/* SETUP with a comprehension-required unknown IE 0x0A */
	static const uint8_t req_ie[] = { 0x08, 0x02, 0x00, 0x43, 0x05, 0x04, 0x03, 0x90, 0x90,
					  0xA2, 0x0A, 0x01, 0x00, 0x18, 0x03, 0xA9, 0x83, 0x81 };
	/* DISCONNECT on a call reference nobody knows */
	static const uint8_t unknown_ref[] = { 0x08, 0x02, 0x00, 0x77, 0x45, 0x08, 0x02, 0x82,
					       0x90 };
	/* STATUS ENQUIRY on an unknown reference */
	static const uint8_t enq[] = { 0x08, 0x02, 0x00, 0x78, 0x75 };
	/* garbage: bad PD, bad callref length, truncated IE, bare header */
	static const uint8_t bad_pd[] = { 0x41, 0x02, 0x00, 0x01, 0x05 };
	static const uint8_t bad_crl[] = { 0x08, 0x05, 0x00, 0x01, 0x05 };
	static const uint8_t trunc[] = { 0x08, 0x02, 0x00, 0x44, 0x05, 0x04, 0x7F, 0x90 };
	static const uint8_t tiny[] = { 0x08 };
	uint8_t msg[16];
	unsigned status_before;

	send_raw(f, no_bearer, sizeof(no_bearer));
	assert_int_equal(st->last_rel_cause, Q931_CAUSE_MANDATORY_IE_MISSING);
	send_raw(f, bad_chan, sizeof(bad_chan));
	assert_int_equal(st->last_rel_cause, Q931_CAUSE_INVALID_IE_CONTENTS);
	send_raw(f, chan24, sizeof(chan24));
	assert_int_equal(st->last_rel_cause, Q931_CAUSE_CHANNEL_NONEXISTENT);
	send_raw(f, req_ie, sizeof(req_ie));
	assert_int_equal(st->last_rel_cause, Q931_CAUSE_MANDATORY_IE_MISSING);
	send_raw(f, unknown_ref, sizeof(unknown_ref));
	assert_int_equal(st->last_rel_cause, Q931_CAUSE_INVALID_CALLREF);
	send_raw(f, enq, sizeof(enq));
	assert_int_equal(st->last_status_cause, Q931_CAUSE_STATUS_ENQUIRY_RESP);
	assert_int_equal(st->last_status_state, 0);
	status_before = st->status_rx;
	send_raw(f, bad_pd, sizeof(bad_pd));
	send_raw(f, bad_crl, sizeof(bad_crl));
	send_raw(f, trunc, sizeof(trunc));
	send_raw(f, tiny, sizeof(tiny));
	assert_int_equal(st->status_rx, status_before);	/* ignored, not answered */
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_true(f->rig.span.stats.rx_bad >= 3);

	/* an active call, then messages that do not fit it */
	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	/* CONNECT in the active state: STATUS 101 */
	memcpy(msg, (const uint8_t[]){ 0x08, 0x02, 0x00, 0x36, 0x07 }, 5);
	send_raw(f, msg, 5);
	assert_int_equal(st->last_status_cause, Q931_CAUSE_MSG_NOT_COMPATIBLE);
	assert_int_equal(st->last_status_state, ISDN_U10_ACTIVE);
	/* unknown message type 0x33: STATUS 97 */
	msg[4] = 0x33;
	send_raw(f, msg, 5);
	assert_int_equal(st->last_status_cause, Q931_CAUSE_MSG_TYPE_NONEXISTENT);
	/* PROGRESS with an unknown optional IE 0x55: STATUS 99 */
	memcpy(msg, (const uint8_t[]){ 0x08, 0x02, 0x00, 0x36, 0x03, 0x1E, 0x02, 0x83, 0x88, 0x55,
				       0x01, 0x00 }, 12);
	send_raw(f, msg, 12);
	assert_int_equal(st->last_status_cause, Q931_CAUSE_IE_NONEXISTENT);
	/* PROGRESS with a one-octet Progress Indicator: acted on, STATUS 100 */
	memcpy(msg, (const uint8_t[]){ 0x08, 0x02, 0x00, 0x36, 0x03, 0x1E, 0x01, 0x83 }, 8);
	send_raw(f, msg, 8);
	assert_int_equal(st->last_status_cause, Q931_CAUSE_INVALID_IE_CONTENTS);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	/* STATUS ENQUIRY: STATUS 30 with U10 */
	memcpy(msg, (const uint8_t[]){ 0x08, 0x02, 0x00, 0x36, 0x75 }, 5);
	send_raw(f, msg, 5);
	assert_int_equal(st->last_status_cause, Q931_CAUSE_STATUS_ENQUIRY_RESP);
	assert_int_equal(st->last_status_state, 10);
	/* DISCONNECT without its mandatory Cause: cleared anyway, RELEASE says 96 */
	memcpy(msg, (const uint8_t[]){ 0x08, 0x02, 0x00, 0x36, 0x45 }, 5);
	send_raw(f, msg, 5);
	assert_false(c->in_use);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_true(logged(f, "Cause i = 0x80E0 - Mandatory information element is missing"));
	assert_true(lapd_is_up(&f->rig.span.lapd));
}

static void test_random_messages_never_crash(void **state)
{
	struct fix *f = *state;
	unsigned seed = 4242;
	uint8_t msg[48];

	dbg_enable(DBG_ISDN_Q931, false);
	for (int i = 0; i < 3000; i++) {
		size_t n = 3 + (size_t)(rand_r(&seed) % 40);

		for (size_t j = 0; j < n; j++)
			msg[j] = (uint8_t)rand_r(&seed);
		msg[0] = 0x08;
		msg[1] = 0x02;
		msg[2] &= 0x80;			/* small call references, both flags */
		msg[3] = (uint8_t)(msg[3] & 0x07);
		if (i % 3 == 0)
			msg[4] = (uint8_t[]){ 0x05, 0x02, 0x01, 0x07, 0x0F, 0x45, 0x4D, 0x5A, 0x7D,
					      0x75, 0x46 }[rand_r(&seed) % 11];
		telco_span_send_raw(f->rig.ts, msg, n);
		if (i % 8 == 0)
			settle(f, 20 * EV_MSEC);
		/* a line that was offered a call answers it sometimes */
		for (int k = 0; k < NLINES; k++)
			if (f->lines[k].call && (rand_r(&seed) & 1))
				isdn_answer(f->lines[k].call);
	}
	settle(f, 60 * EV_SEC);
	assert_true(lapd_is_up(&f->rig.span.lapd));
	/* whatever happened, every channel is consistent with the call table */
	for (unsigned ch = 1; ch <= ISDN_MAX_BCHAN; ch++)
		if (f->rig.span.bchan[ch]) {
			assert_true(f->rig.span.bchan[ch]->in_use);
			assert_int_equal(f->rig.span.bchan[ch]->bchan, ch);
		}
}

static void test_restart(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;

	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(telco_span_restart(f->rig.ts, 19), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(telco_span_stats(f->rig.ts)->restart_ack_rx, 1);
	assert_false(c->in_use);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_int_equal(telco_span_restart(f->rig.ts, 0), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(telco_span_stats(f->rig.ts)->restart_ack_rx, 2);
}

static void test_digital_call_without_handler(void **state)
{
	struct fix *f = *state;
	static const uint8_t setup64k[] = { 0x08, 0x02, 0x00, 0x50, 0x05, 0x04, 0x02, 0x88, 0x90,
					    0x18, 0x03, 0xA9, 0x83, 0x85 };

	assert_int_equal(telco_span_send_raw(f->rig.ts, setup64k, sizeof(setup64k)), 0);
	settle(f, 50 * EV_MSEC);
	assert_int_equal(telco_span_stats(f->rig.ts)->last_rel_cause, Q931_CAUSE_BEARER_NOT_AVAIL);
	assert_int_equal(f->offers, 0);
}

static void test_switch_names(void **state)
{
	enum isdn_switch_type t;

	(void)state;
	assert_int_equal(isdn_switch_parse("primary-ni", &t), 0);
	assert_int_equal(t, ISDN_SWITCH_PRIMARY_NI);
	assert_string_equal(isdn_switch_name(t), "primary-ni");
	assert_int_equal(isdn_switch_parse("primary-5ess", &t), 0);
	assert_int_equal(isdn_switch_parse("basic-dms100", &t), -EINVAL);
	/* pri-group timeslots 1-24: B-channels 1..23, as the default */
	assert_int_equal(isdn_bchan_mask_from_timeslots(0x00FFFFFF, true), 0x00FFFFFE);
	assert_int_equal(isdn_bchan_mask_from_timeslots(0x00FFFFFF, false), 0x01FFFFFE);
	assert_int_equal(isdn_bchan_mask_from_timeslots(0x0000000F, true), 0x0000001E);
}


static void test_clear_collision(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;

	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	/* both ends hang up at once: the DISCONNECTs cross, then the RELEASEs */
	assert_int_equal(isdn_hangup(c, 0), 0);
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 200 * EV_MSEC);
	assert_false(c->in_use);
	assert_false(telco_sub_in_call(f->client));
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	/* and the channel is usable again */
	telco_span_next_bchan(f->rig.ts, 19);
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_non_null(f->lines[1].call);
	assert_int_equal(f->lines[1].call->bchan, 19);
}

static void test_t305_t308(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;

	/* the network ignores our DISCONNECT: T305 (30 s), then RELEASE */
	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	telco_span_ignore(f->rig.ts, 0x45, true);
	assert_int_equal(isdn_hangup(c, 0), 0);
	settle(f, 29 * EV_SEC);
	assert_int_equal(c->state, ISDN_U11_DISCONNECT_REQUEST);
	settle(f, 2 * EV_SEC);
	assert_false(c->in_use);		/* RELEASE answered by RELEASE COMPLETE */
	assert_true(logged(f, "TX -> RELEASE pd = 8 callref = 0x8036"));

	/* ... and ignores RELEASE too: T308 twice, then the reference is freed */
	f->offers = 0;
	f->lines[0].call = NULL;
	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	telco_span_ignore(f->rig.ts, 0x4D, true);
	assert_int_equal(isdn_hangup(c, 0), 0);
	settle(f, 30 * EV_SEC + 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U19_RELEASE_REQUEST);
	settle(f, 4 * EV_SEC);
	assert_true(c->in_use);			/* first T308: RELEASE again */
	assert_int_equal(c->state, ISDN_U19_RELEASE_REQUEST);
	settle(f, 4 * EV_SEC);
	assert_false(c->in_use);
	assert_null(f->rig.span.bchan[19]);
	assert_int_equal(telco_span_stats(f->rig.ts)->ignored_rx, 4);	/* DISC, DISC, REL, REL */
}


static void test_network_link_reset_mid_call(void **state)
{
	struct fix *f = *state;
	struct isdn_call *c;

	c = incoming_seed_call(f);
	isdn_answer(c);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U10_ACTIVE);
	/* the switch restarts its LAPD (and forgets its calls), then SABMEs */
	tl_reset((struct tl_link *)telco_span_link(f->rig.ts));
	telco_span_connect(f->rig.ts);
	settle(f, 200 * EV_MSEC);
	/* the NAS asked STATUS ENQUIRY, heard "null state", cleared the line */
	assert_true(logged(f, "TX -> STATUS_ENQ pd = 8 callref = 0x8036"));
	assert_false(c->in_use);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_true(lapd_is_up(&f->rig.span.lapd));
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}


static void test_primary_ni_setup(void **state)
{
	struct fix *f = *state;
	struct line *l;

	f->rig.span.cfg.switch_type = ISDN_SWITCH_PRIMARY_NI;
	outgoing_call(f, "5279651", &l);
	settle(f, 4 * EV_SEC);
	assert_true(logged(f, "Channel ID i = 0xA98397"));
	assert_false(logged(f, "Channel ID i = 0xE1808397"));
	assert_int_equal(l->connected, 1);
}


static void test_t310_t313(void **state)
{
	struct fix *f = *state;
	struct telco_sub_config sc;
	struct subrec slow = { 0 };
	struct line *l;
	struct isdn_call *c;

	/* T310: CALL PROCEEDING, then nothing for 30 s */
	telco_sub_config_default(&sc, "5553000");
	sc.alert_delay = 100 * EV_SEC;
	assert_non_null(telco_add_sub(f->rig.t, &sc, &sops, &slow));
	c = outgoing_call(f, "5553000", &l);
	settle(f, 29 * EV_SEC);
	assert_int_equal(c->state, ISDN_U3_OUTGOING_PROCEEDING);
	assert_int_equal(l->cleared, 0);
	settle(f, 2 * EV_SEC);
	assert_int_equal(l->cleared, 1);
	assert_int_equal(l->cause, Q931_CAUSE_TIMER_EXPIRY);
	settle(f, 1 * EV_SEC);
	assert_false(c->in_use);
	assert_int_equal(slow.cleared, 1);

	/* T313: our CONNECT is never acknowledged */
	telco_span_ignore(f->rig.ts, 0x07, true);
	c = incoming_seed_call(f);
	assert_int_equal(isdn_answer(c), 0);
	settle(f, 3900 * EV_MSEC);
	assert_int_equal(c->state, ISDN_U8_CONNECT_REQUEST);
	settle(f, 200 * EV_MSEC);
	assert_int_equal(f->lines[0].cleared, 1);
	assert_int_equal(f->lines[0].cause, Q931_CAUSE_TIMER_EXPIRY);
	settle(f, 1 * EV_SEC);
	assert_false(c->in_use);
	assert_false(telco_sub_in_call(f->client));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_incoming_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_outgoing_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_inside_offer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_free_line_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t303_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_disconnect_outgoing_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_network_disconnect_outgoing_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_incoming_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_remaining_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_and_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_loss_mid_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layer1_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_messages_never_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digital_call_without_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_collision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t305_t308, setup, teardown),
		cmocka_unit_test_setup_teardown(test_network_link_reset_mid_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_primary_ni_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t310_t313, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

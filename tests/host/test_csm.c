/*
 * test_csm.c - the Call Switching Module (host/csm.c) between the PRI span
 * (host/isdn.c, against the simulated telco) and modem lines (scripted here):
 * the seed's `debug modem csm` and `debug isdn q931` sequences for the incoming
 * call and the outgoing callback, busy, remote hang-up, no free modem.
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

#include "csm.h"
#include "dchan_pipe.h"
#include "isdn_rig.h"
#include "evloop.h"
#include "isdn.h"
#include "log.h"
#include "modem.h"
#include "telco.h"

struct fline {
	bool refuse;
	unsigned rings, connected, failed, remote;
	enum csm_fail why;
};

struct fix {
	struct isdn_rig rig;
	struct csm csm;
	struct csm_port *port;
	struct fline line;
	struct telco_sub *client;
	unsigned bchan_on, bchan_off, last_bchan;
};

static int l_incoming(void *lctx)
{
	struct fline *l = lctx;

	if (l->refuse)
		return -EBUSY;
	l->rings++;
	return 0;
}
static void l_connected(void *lctx, unsigned speed)
{
	(void)speed;
	((struct fline *)lctx)->connected++;
}
static void l_failed(void *lctx, enum csm_fail why)
{
	((struct fline *)lctx)->failed++;
	((struct fline *)lctx)->why = why;
}
static void l_remote(void *lctx)
{
	((struct fline *)lctx)->remote++;
}
static const struct csm_line_ops lops = { l_incoming, l_connected, l_failed, l_remote };

static int c_send(void *ctx, struct isdn_span *span, const uint8_t *f, size_t n)
{
	(void)span;
	return dpipe_send_user(&((struct fix *)ctx)->rig.pipe, f, n);
}
static void c_bchan(void *ctx, struct csm_port *p, struct isdn_span *span, unsigned b, bool on)
{
	struct fix *f = ctx;

	(void)p;
	(void)span;
	if (on) {
		f->bchan_on++;
		f->last_bchan = b;
	} else {
		f->bchan_off++;
	}
}
static const struct csm_ops cops = { .send_dchan = c_send, .bchan = c_bchan };

static void settle(struct fix *f, ev_time_t dt)
{
	isdn_rig_settle(&f->rig, dt);
}

static void expect_seq(struct fix *f, const char *const *want)
{
	isdn_rig_expect_seq(&f->rig, want);
}

static bool logged(struct fix *f, const char *s)
{
	return isdn_rig_logged(&f->rig, s);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct telco_sub_config sc;

	csm_init(&f->csm, &cops, f);
	isdn_rig_init(&f->rig, &csm_isdn_ops, &f->csm, 0);
	dbg_enable(DBG_ISDN_Q931, true);
	dbg_enable(DBG_MODEM_CSM, true);
	assert_int_equal(csm_add_span(&f->csm, &f->rig.span), 0);
	f->port = csm_add_port(&f->csm, 0, 3, &lops, &f->line);	/* tty4 */
	assert_non_null(f->port);
	telco_sub_config_default(&sc, "5279651");
	f->client = telco_add_sub(f->rig.t, &sc, NULL, NULL);
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

static void test_seed_incoming(void **state)
{
	struct fix *f = *state;
	static const char *const ring[] = {
		"ISDN Se0:23: RX <- SETUP pd = 8 callref = 0x36",
		"ISDN Se0:23: Incoming call id = 0xA",
		"EVENT_FROM_ISDN::dchan_idb=0x7F8EE0, call_id=0xA, ces=0x1 bchan=0x12, event=0x1, cause=0x0",
		"VDEV_ALLOCATE: slot 0 and port 3 is allocated.",
		"EVENT_FROM_ISDN:(000A): DEV_INCALL at slot 0 and port 3",
		"CSM_PROC_IDLE: CSM_EVENT_ISDN_CALL at slot 0, port 3",
		"Fast Ringing On at modem slot 0, port 3",
		"ISDN Se0:23: TX -> CALL_PROC pd = 8 callref = 0x8036",
		"Channel ID i = 0xA98393",
		"ISDN Se0:23: TX -> ALERTING pd = 8 callref = 0x8036",
		NULL,
	};
	static const char *const answer[] = {
		"Fast Ringing Off at modem slot 0, port 3",
		"CSM_PROC_IC1_RING: CSM_EVENT_MODEM_OFFHOOK at slot 0, port 3",
		"ISDN Se0:23: TX -> CONNECT pd = 8 callref = 0x8036",
		"ISDN Se0:23: RX <- CONNECT_ACK pd = 8 callref = 0x36",
		"EVENT_FROM_ISDN::dchan_idb=0x7F8EE0, call_id=0xA, ces=0x1 bchan=0x12, event=0x4, cause=0x0",
		"EVENT_FROM_ISDN:(000A): DEV_CONNECTED at slot 0 and port 3",
		"CSM_PROC_IC4_WAIT_FOR_CARRIER:CSM_EVENT_ISDN_CONNECTED at slot 0, port 3",
		NULL,
	};
	static const char *const hang[] = {
		"CSM_PROC_IC5_OC6_CONNECTED: CSM_EVENT_MODEM_ONHOOK at slot 0, port 3",
		"VDEV_DEALLOCATE: slot 0 and port 3 is deallocated",
		"ISDN Se0:23: Event: Hangup call to call id 0xA",
		"%ISDN-6-DISCONNECT: Interface Serial0:18 disconnected from unknown , call lasted 41 seconds",
		"ISDN Se0:23: TX -> DISCONNECT pd = 8 callref = 0x8036",
		"Cause i = 0x8090 - Normal call clearing",
		"ISDN Se0:23: RX <- RELEASE pd = 8 callref = 0x36",
		"ISDN Se0:23: TX -> RELEASE_COMP pd = 8 callref = 0x8036",
		NULL,
	};

	telco_span_next_bchan(f->rig.ts, 19);
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 50 * EV_MSEC);
	expect_seq(f, ring);
	assert_int_equal(f->line.rings, 1);
	assert_int_equal(f->port->state, CSM_IC1_RING);
	assert_int_equal(f->last_bchan, 19);

	settle(f, 1 * EV_SEC);
	log_capture_clear(&f->rig.log);
	assert_int_equal(csm_port_answer(f->port), 0);
	settle(f, 50 * EV_MSEC);
	expect_seq(f, answer);
	assert_int_equal(f->line.connected, 1);
	assert_int_equal(f->port->state, CSM_IC5_OC6_CONNECTED);

	settle(f, 41 * EV_SEC + 800 * EV_MSEC);
	log_capture_clear(&f->rig.log);
	csm_port_hangup(f->port);
	csm_port_hook(f->port, false);	/* the modem's on-hook after its hang-up */
	settle(f, 100 * EV_MSEC);
	expect_seq(f, hang);
	assert_int_equal(f->port->state, CSM_IDLE);
	assert_null(f->port->call);
	assert_int_equal(f->bchan_off, 1);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_false(telco_sub_in_call(f->client));
}

static void test_seed_outgoing(void **state)
{
	struct fix *f = *state;
	static const char *const offhook[] = {
		"CSM_PROC_IDLE: CSM_EVENT_MODEM_OFFHOOK at slot 0, port 3",
		"CSM_PROC_OC1_REQUEST_DIGIT: CSM_EVENT_MODEM_ONHOOK at slot 0, port 3",
		"VDEV_DEALLOCATE: slot 0 and port 3 is deallocated",
		"CSM_PROC_IDLE: CSM_EVENT_MODEM_OFFHOOK at slot 0, port 3",
		"CSM_PROC_OC1_REQUEST_DIGIT: CSM_EVENT_DIGIT_COLLECT_READY at slot 0, port 3",
		"CSM_PROC_OC1_REQUEST_DIGIT: CSM_EVENT_ADDR_INFO_COLLECTED at slot 0, port 3",
		"CSM_PROC_OC2_COLLECT_1ST_DIGIT: CSM_EVENT_GET_1ST_DIGIT at slot 0, port 3",
		"CSM_PROC_OC3_COLLECT_ALL_DIGIT: CSM_EVENT_GET_ALL_DIGITS at slot 0, port 3",
		"CSM_PROC_OC3_COLLECT_ALL_DIGIT: called party num: (5279651) at slot 0, port 3",
		"process_pri_call making a voice_call.",
		"ISDN Se0:23: TX -> SETUP pd = 8 callref = 0x0005",
		"Bearer Capability i = 0x8090A2",
		"Channel ID i = 0xE1808397",
		"Called Party Number i = 0xA1, '5279651'",
		"ISDN Se0:23: RX <- CALL_PROC pd = 8 callref = 0x8005",
		"Channel ID i = 0xA98397",
		"EVENT_FROM_ISDN::dchan_idb=0x7F8EE0, call_id=0xA005, ces=0x1 bchan=0x16, event=0x3, cause=0x0",
		"EVENT_FROM_ISDN:(A005): DEV_CALL_PROC at slot 0 and port 3",
		"CSM_PROC_OC4_DIALING: CSM_EVENT_ISDN_BCHAN_ASSIGNED at slot 0, port 3",
		"ISDN Se0:23: RX <- ALERTING pd = 8 callref = 0x8005",
		"Progress Ind i = 0x8388 - In-band info or appropriate now available",
		"ISDN Se0:23: RX <- CONNECT pd = 8 callref = 0x8005",
		"EVENT_FROM_ISDN::dchan_idb=0x7F8EE0, call_id=0xA005, ces=0x1 bchan=0x16, event=0x4, cause=0x0",
		"EVENT_FROM_ISDN:(A005): DEV_CONNECTED at slot 0 and port 3",
		"CSM_PROC_OC5_WAIT_FOR_CARRIER: CSM_EVENT_ISDN_CONNECTED at slot 0, port 3",
		"ISDN Se0:23: TX -> CONNECT_ACK pd = 8 callref = 0x0005",
		NULL,
	};

	/* chat script offhook: ATH1; callback: ATZ, then ATDT */
	csm_port_hook(f->port, true);
	csm_port_hook(f->port, false);
	csm_port_hook(f->port, true);
	assert_int_equal(csm_port_dial(f->port, "T527-9651"), 0);
	/* digit collection (4.1 s), ALERTING after 0.7 s, CONNECT 2.7 s later */
	settle(f, 9 * EV_SEC);
	expect_seq(f, offhook);
	assert_int_equal(f->line.connected, 1);
	assert_int_equal(f->last_bchan, 23);
	assert_int_equal(f->port->state, CSM_IC5_OC6_CONNECTED);

	/* the subscriber hangs up: NO CARRIER on the modem, then its on-hook */
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->line.remote, 1);
	csm_port_hook(f->port, false);
	assert_int_equal(f->port->state, CSM_IDLE);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}

/* The seed's digit collection: ready 132 ms after the dial, the first digit a
 * second later, all digits three seconds after that, then SETUP at once. */
static void test_digit_collection_timing(void **state)
{
	struct fix *f = *state;

	csm_port_hook(f->port, true);
	assert_int_equal(csm_port_dial(f->port, "527-9651"), 0);
	assert_int_equal(f->port->state, CSM_OC1_REQUEST_DIGIT);
	/* a second dial while collecting is refused */
	assert_int_equal(csm_port_dial(f->port, "5279651"), -EBUSY);
	settle(f, 120 * EV_MSEC);
	assert_false(logged(f, "CSM_EVENT_DIGIT_COLLECT_READY"));
	settle(f, 20 * EV_MSEC);		/* 140 ms */
	assert_true(logged(f, "CSM_PROC_OC1_REQUEST_DIGIT: CSM_EVENT_ADDR_INFO_COLLECTED"));
	assert_int_equal(f->port->state, CSM_OC2_COLLECT_1ST_DIGIT);
	settle(f, 980 * EV_MSEC);		/* 1.12 s */
	assert_false(logged(f, "CSM_EVENT_GET_1ST_DIGIT"));
	settle(f, 20 * EV_MSEC);		/* 1.14 s */
	assert_true(logged(f, "CSM_PROC_OC2_COLLECT_1ST_DIGIT: CSM_EVENT_GET_1ST_DIGIT"));
	assert_int_equal(f->port->state, CSM_OC3_COLLECT_ALL_DIGIT);
	settle(f, 2980 * EV_MSEC);		/* 4.12 s */
	assert_false(logged(f, "TX -> SETUP"));
	settle(f, 20 * EV_MSEC);		/* 4.14 s */
	assert_true(logged(f, "called party num: (5279651) at slot 0, port 3"));
	assert_true(logged(f, "ISDN Se0:23: TX -> SETUP pd = 8 callref = 0x0005"));
	assert_non_null(f->port->call);		/* CALL PROCEEDING already back */
	csm_port_hook(f->port, false);
	settle(f, 200 * EV_MSEC);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}

/* On hook while the digits are being collected: no call goes out. */
static void test_onhook_during_digit_collection(void **state)
{
	struct fix *f = *state;

	csm_port_hook(f->port, true);
	assert_int_equal(csm_port_dial(f->port, "5279651"), 0);
	settle(f, 1500 * EV_MSEC);
	csm_port_hook(f->port, false);
	assert_int_equal(f->port->state, CSM_IDLE);
	settle(f, 5 * EV_SEC);
	assert_false(logged(f, "TX -> SETUP"));
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_int_equal(f->line.failed, 0);
}

static void test_busy(void **state)
{
	struct fix *f = *state;

	telco_sub_set_busy(f->client, true);
	csm_port_hook(f->port, true);
	assert_int_equal(csm_port_dial(f->port, "5279651"), 0);
	settle(f, 4500 * EV_MSEC);
	assert_int_equal(f->line.failed, 1);
	assert_int_equal(f->line.why, CSM_FAIL_BUSY);
	csm_port_hook(f->port, false);
	assert_int_equal(f->port->state, CSM_IDLE);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
}

static void test_no_free_modem(void **state)
{
	struct fix *f = *state;

	f->line.refuse = true;
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->csm.no_modem, 1);
	assert_int_equal(telco_span_stats(f->rig.ts)->last_rel_cause, Q931_CAUSE_NO_CHANNEL);
	assert_false(telco_sub_in_call(f->client));
	/* busyout refuses too */
	f->line.refuse = false;
	csm_port_busyout(f->port, true);
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->csm.no_modem, 2);
	assert_int_equal(f->line.rings, 0);
}

static void test_caller_gives_up_while_ringing(void **state)
{
	struct fix *f = *state;

	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->port->state, CSM_IC1_RING);
	assert_int_equal(telco_hangup(f->client), 0);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(f->line.remote, 1);
	assert_int_equal(f->port->state, CSM_IDLE);
	assert_null(f->port->call);
	assert_int_equal(csm_port_answer(f->port), -EINVAL);
}

static void test_dial_with_link_down(void **state)
{
	struct fix *f = *state;

	isdn_span_l1(&f->rig.span, false);
	csm_port_hook(f->port, true);
	assert_true(csm_port_dial(f->port, "5279651") < 0);
	csm_port_hook(f->port, false);
	assert_int_equal(f->port->state, CSM_IDLE);
}


/* ---- with the real modem (host/modem.c) bound through csm_modem_line_ops ---- */

struct rline {
	struct modem m;
	struct csm_port *port;
	char dte[2048];
	size_t dte_n;
};

static void r_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	struct rline *r = ctx;

	if (r->dte_n + n < sizeof(r->dte)) {
		memcpy(r->dte + r->dte_n, d, n);
		r->dte_n += n;
		r->dte[r->dte_n] = '\0';
	}
}
static int r_dial(void *ctx, const char *digits)
{
	return csm_port_dial(((struct rline *)ctx)->port, digits);
}
static int r_answer(void *ctx)
{
	return csm_port_answer(((struct rline *)ctx)->port);
}
static void r_hangup(void *ctx)
{
	csm_port_hangup(((struct rline *)ctx)->port);
}
static void r_hook(void *ctx, bool off)
{
	csm_port_hook(((struct rline *)ctx)->port, off);
}
static const struct modem_ops rops = {
	.to_dte = r_to_dte, .dial = r_dial, .answer = r_answer, .hangup = r_hangup, .hook = r_hook,
};

static void dte(struct fix *f, struct rline *r, const char *s)
{
	modem_dte_input(&r->m, (const uint8_t *)s, strlen(s));
	settle(f, 10 * EV_MSEC);
}

static void test_real_modem_seed_flow(void **state)
{
	struct fix *f = *state;
	struct rline *r = calloc(1, sizeof(*r));
	struct modem_cfg mc;
	static const char *const out_seq[] = {
		"CSM_PROC_IDLE: CSM_EVENT_MODEM_OFFHOOK at slot 0, port 0",
		"CSM_PROC_OC1_REQUEST_DIGIT: CSM_EVENT_MODEM_ONHOOK at slot 0, port 0",
		"VDEV_DEALLOCATE: slot 0 and port 0 is deallocated",
		"CSM_PROC_IDLE: CSM_EVENT_MODEM_OFFHOOK at slot 0, port 0",
		"CSM_PROC_OC3_COLLECT_ALL_DIGIT: called party num: (5279651) at slot 0, port 0",
		"process_pri_call making a voice_call.",
		"ISDN Se0:23: TX -> SETUP pd = 8 callref = 0x0005",
		"CSM_PROC_OC4_DIALING: CSM_EVENT_ISDN_BCHAN_ASSIGNED at slot 0, port 0",
		"CSM_PROC_OC5_WAIT_FOR_CARRIER: CSM_EVENT_ISDN_CONNECTED at slot 0, port 0",
		"ISDN Se0:23: TX -> CONNECT_ACK pd = 8 callref = 0x0005",
		NULL,
	};

	/* a second CSM whose only port is a real modem (tty1: slot 0, port 0) */
	memset(&mc, 0, sizeof(mc));
	mc.answer_rings = 1;
	mc.ring_period = 1 * EV_SEC;
	modem_init(&r->m, f->rig.loop, 1, &mc, &rops, r);
	f->csm.nports = 0;
	r->port = csm_add_port(&f->csm, 0, 0, &csm_modem_line_ops, &r->m);
	modem_set_dtr(&r->m, true);

	/* incoming: RING, auto-answer on the first ring, CONNECT */
	assert_int_equal(telco_dial(f->client, "4084327528"), 0);
	settle(f, 2 * EV_SEC);
	assert_non_null(strstr(r->dte, "RING"));
	assert_non_null(strstr(r->dte, "CONNECT"));
	assert_int_equal(r->port->state, CSM_IC5_OC6_CONNECTED);
	assert_true(modem_online(&r->m));

	/* the NAS drops DTR for the callback: the call is cleared */
	modem_set_dtr(&r->m, false);
	settle(f, 100 * EV_MSEC);
	assert_int_equal(r->port->state, CSM_IDLE);
	assert_int_equal(isdn_active_calls(&f->rig.span), 0);
	assert_false(telco_sub_in_call(f->client));

	/* the chat scripts: ATH1 / ATZ / ATDT 527-9651 */
	modem_set_dtr(&r->m, true);
	log_capture_clear(&f->rig.log);
	r->dte_n = 0;
	dte(f, r, "ATH1\r");
	dte(f, r, "ATZ\r");
	dte(f, r, "ATDT 527-9651\r");
	settle(f, 9 * EV_SEC);
	expect_seq(f, out_seq);
	assert_non_null(strstr(r->dte, "CONNECT"));
	assert_true(modem_online(&r->m));
	assert_true(telco_sub_connected(f->client));

	/* the subscriber hangs up: NO CARRIER */
	telco_hangup(f->client);
	settle(f, 100 * EV_MSEC);
	assert_non_null(strstr(r->dte, "NO CARRIER"));
	assert_int_equal(r->port->state, CSM_IDLE);

	/* busy: BUSY */
	telco_sub_set_busy(f->client, true);
	r->dte_n = 0;
	dte(f, r, "ATDT5279651\r");
	settle(f, 4500 * EV_MSEC);
	assert_non_null(strstr(r->dte, "BUSY"));
	assert_int_equal(r->port->state, CSM_IDLE);
	modem_fini(&r->m);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_incoming, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_outgoing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digit_collection_timing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onhook_during_digit_collection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_free_modem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_gives_up_while_ringing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dial_with_link_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_modem_seed_flow, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

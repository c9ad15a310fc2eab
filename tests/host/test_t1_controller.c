/*
 * test_t1_controller.c - `show controllers t1` from the card's span status: the NAS
 * built from the seed's configuration on a scripted card (tests/support/card_stub.c)
 * that reports alarms and error counters as the card does (SPAN_STATUS, also in
 * answer to the NAS's once-a-second SPAN_QUERY); and the interval arithmetic of
 * host/t1_controller.c on its own
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

#include "card_stub.h"
#include "config.h"
#include "ctl.h"
#include "log.h"
#include "nas.h"
#include "t1_controller.h"

struct fix {
	struct ev_loop *loop;
	struct nas *nas;
	struct ctl *ctl;
	struct card_stub card;
};

static void pump(struct fix *f)
{
	card_stub_pump(&f->card);
}

static void advance(struct fix *f, ev_time_t dt, ev_time_t step)
{
	ev_time_t until = ev_now(f->loop) + dt, t = ev_now(f->loop);

	pump(f);
	while (t < until) {
		t = t + step > until ? until : t + step;
		ev_loop_step(f->loop, t);
		pump(f);
	}
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct nas_config *cfg = NULL;
	FILE *diag = fopen("/dev/null", "w");

	assert_int_equal(config_load_file("examples/seed.cfg", &cfg, diag), 0);
	fclose(diag);
	f->loop = ev_loop_new_manual(0);
	log_reset();
	f->nas = nas_new(f->loop, cfg, NULL);
	assert_non_null(f->nas);
	f->ctl = ctl_new();
	nas_register_commands(f->nas, f->ctl);
	card_stub_init(&f->card);
	assert_int_equal(nas_attach_card(f->nas, &card_sim_ops, f->card.sim), 0);
	f->card.host = f->nas->card;
	advance(f, 100 * EV_MSEC, 10 * EV_MSEC);
	assert_true(f->nas->card_ready);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	ctl_free(f->ctl);
	nas_free(f->nas);
	card_stub_fini(&f->card);
	log_reset();
	ev_loop_free(f->loop);
	free(f);
	return 0;
}

static char *show(struct fix *f, const char *cmd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_int_equal(ctl_execute(f->ctl, cmd, out), 0);
	fclose(out);
	return buf;
}

static void expect_has(const char *text, const char *want)
{
	if (!strstr(text, want)) {
		fprintf(stderr, "%s", text);
		fail_msg("missing: \"%s\"", want);
	}
}

static void test_clean_span(void **state)
{
	struct fix *f = *state;
	char *o;

	/* the card was configured from the seed: ESF, B8ZS, line secondary, T1 1 shut */
	assert_int_equal(f->card.span_cfg[0].framing, CARD_FRAMING_ESF);
	assert_int_equal(f->card.span_cfg[0].clock_source, CARD_CLK_LINE_SECONDARY);
	assert_int_equal(f->card.span_cfg[1].flags & CARD_SPAN_ENABLE, 0);
	advance(f, 10 * EV_SEC, 100 * EV_MSEC);
	/* the NAS keeps asking for the counters once a second */
	assert_true(f->card.span_queries >= 10);
	o = show(f, "show controllers t1");
	expect_has(o, "T1 0 is up.\n"
		      "  Applique type is Channelized T1\n"
		      "  No alarms detected.\n"
		      "  Framing is ESF, Line Code is B8ZS, Clock Source is Line Secondary.\n"
		      "  Data in current interval (10 seconds elapsed):\n"
		      "     0 Line Code Violations, 0 Path Code Violations\n"
		      "     0 Slip Secs, 0 Fr Loss Secs, 0 Line Err Secs, 0 Degraded Mins\n"
		      "     0 Errored Secs, 0 Bursty Err Secs, 0 Severely Err Secs, 0 Unavail Secs\n");
	expect_has(o, "T1 1 is administratively down.\n");
	assert_null(strstr(o, "Total Data"));
	free(o);
	/* one controller only */
	o = show(f, "show controllers t1 1");
	assert_null(strstr(o, "T1 0"));
	expect_has(o, "T1 1 is administratively down.");
	free(o);
}

static void test_errors_and_alarms(void **state)
{
	struct fix *f = *state;
	struct card_span_status st = { .in_frame = 1 };
	char *o;

	advance(f, 5 * EV_SEC, 100 * EV_MSEC);
	/* the card counted line and path errors and a slip in the last second */
	st.bpv = 5;
	st.excess_zeros = 2;
	st.crc6_errors = 3;
	st.slips = 1;
	card_stub_span_status(&f->card, 0, &st);
	advance(f, 3 * EV_SEC, 100 * EV_MSEC);
	o = show(f, "show controllers t1 0");
	expect_has(o, "T1 0 is up.\n");
	expect_has(o, "     7 Line Code Violations, 3 Path Code Violations\n"
		      "     1 Slip Secs, 0 Fr Loss Secs, 1 Line Err Secs, 0 Degraded Mins\n"
		      "     1 Errored Secs, 1 Bursty Err Secs, 0 Severely Err Secs, 0 Unavail Secs\n");
	free(o);

	/* loss of signal: the span goes down, yellow goes out */
	st.alarms = CARD_ALARM_LOS;
	st.in_frame = 0;
	st.lof_count = 1;
	card_stub_span_status(&f->card, 0, &st);
	advance(f, 5 * EV_SEC, 100 * EV_MSEC);
	o = show(f, "show controllers t1 0");
	expect_has(o, "T1 0 is down.\n"
		      "  Applique type is Channelized T1\n"
		      "  Transmitter is sending remote alarm.\n"
		      "  Receiver has loss of signal.\n");
	/* five seconds in alarm */
	expect_has(o, "     1 Slip Secs, 5 Fr Loss Secs, 1 Line Err Secs, 0 Degraded Mins\n"
		      "     6 Errored Secs, 1 Bursty Err Secs, 5 Severely Err Secs, 5 Unavail Secs\n");
	assert_false(f->nas->spans[0].l1_up);
	free(o);

	/* AIS instead */
	st.alarms = CARD_ALARM_AIS;
	card_stub_span_status(&f->card, 0, &st);
	o = show(f, "show controllers t1 0");
	if (getenv("TEST_DUMP_LOG"))
		fprintf(stderr, "%s", o);
	expect_has(o, "  Receiver is getting AIS.\n");
	assert_null(strstr(o, "loss of signal"));
	free(o);

	/* clear again; the interval ends: its data moves to the totals */
	st.alarms = 0;
	st.in_frame = 1;
	card_stub_span_status(&f->card, 0, &st);
	advance(f, 900 * EV_SEC, 1 * EV_SEC);
	o = show(f, "show controllers t1 0");
	expect_has(o, "T1 0 is up.\n");
	expect_has(o, "  No alarms detected.\n");
	expect_has(o, "  Total Data (last 1 15 minute intervals):\n"
		      "     7 Line Code Violations, 3 Path Code Violations,\n");
	expect_has(o, "  Data in current interval (");
	expect_has(o, "seconds elapsed):\n     0 Line Code Violations, 0 Path Code Violations\n");
	free(o);
}

static void test_perf_arithmetic(void **state)
{
	struct t1_perf p;
	struct card_span_status st = { .in_frame = 1 };
	struct t1_counts tot;

	(void)state;
	t1_perf_init(&p, 0, true);
	t1_perf_update(&p, 0, &st);		/* baseline */
	st.crc6_errors = 400;			/* one severely errored second */
	t1_perf_update(&p, EV_SEC, &st);
	assert_int_equal(p.cur.pcv, 400);
	assert_int_equal(p.cur.severe_secs, 1);
	assert_int_equal(p.cur.bursty_secs, 0);
	st.crc6_errors = 401;			/* one error: errored, not bursty */
	t1_perf_update(&p, 2 * EV_SEC, &st);
	assert_int_equal(p.cur.errored_secs, 2);
	assert_int_equal(p.cur.bursty_secs, 0);
	/* counters wrap around 2^32 */
	p.last.bpv = 0xFFFFFFFEu;
	st.bpv = 1;
	t1_perf_update(&p, 3 * EV_SEC, &st);
	assert_int_equal(p.cur.lcv, 3);
	/* SF: path violations are F-bit errors */
	t1_perf_init(&p, 0, false);
	memset(&st, 0, sizeof(st));
	st.in_frame = 1;
	t1_perf_update(&p, 0, &st);
	st.fbit_errors = 4;
	st.crc6_errors = 99;
	t1_perf_update(&p, EV_SEC, &st);
	assert_int_equal(p.cur.pcv, 4);
	/* a day and more of intervals: only the last 96 are kept */
	t1_perf_update(&p, 30 * 3600 * EV_SEC, &st);
	assert_int_equal(p.nhist, T1_INTERVALS_24H);
	t1_perf_total(&p, &tot);
	assert_int_equal(tot.pcv, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_and_alarms, setup, teardown),
		cmocka_unit_test(test_perf_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

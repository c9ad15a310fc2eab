/*
 * test_subscriber_modem.c - the subscriber's Hayes modem against a fake telco: AT
 * commands and result codes, dialling (CONNECT, BUSY, NO ANSWER, NO DIALTONE, dial
 * timeout), incoming calls (RING cadence, ATA, ATS0=n auto-answer), data mode both
 * ways, +++ with guard times, ATO/ATH, DTR drop, the far end hanging up, garbage.
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
#include "subscriber_modem.h"

struct fake {
	struct ev_loop *loop;
	struct sub_modem m;
	char pc[4096];			/* what the PC received */
	size_t pc_len;
	uint8_t line[256];		/* what went toward the B-channel */
	size_t line_len;
	char dialed[64];
	unsigned dials, answers, hangups;
	int dial_rc;
	bool connect_on_answer;		/* telco connects inside answer() */
};

static int f_dial(void *ctx, const char *digits)
{
	struct fake *f = ctx;

	f->dials++;
	snprintf(f->dialed, sizeof(f->dialed), "%s", digits);
	return f->dial_rc;
}

static int f_answer(void *ctx)
{
	struct fake *f = ctx;

	f->answers++;
	if (f->connect_on_answer)
		sub_modem_connected(&f->m);
	return 0;
}

static int f_hangup(void *ctx)
{
	struct fake *f = ctx;

	f->hangups++;
	sub_modem_cleared(&f->m, 16);	/* the telco reports our own clearing */
	return 0;
}

static void f_to_line(void *ctx, const uint8_t *d, size_t n)
{
	struct fake *f = ctx;

	if (f->line_len + n <= sizeof(f->line)) {
		memcpy(f->line + f->line_len, d, n);
		f->line_len += n;
	}
}

static void f_to_pc(void *ctx, const uint8_t *d, size_t n)
{
	struct fake *f = ctx;

	if (f->pc_len + n < sizeof(f->pc)) {
		memcpy(f->pc + f->pc_len, d, n);
		f->pc_len += n;
		f->pc[f->pc_len] = 0;
	}
}

static const struct sub_modem_ops fops = {
	.dial = f_dial, .answer = f_answer, .hangup = f_hangup, .to_line = f_to_line,
	.to_pc = f_to_pc,
};

static struct fake *fake_new(ev_time_t train)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sub_modem_config cfg;

	assert_non_null(f);
	f->loop = ev_loop_new_manual(0);
	sub_modem_config_default(&cfg);
	cfg.train_time = train;
	sub_modem_init(&f->m, f->loop, &cfg, &fops, f);
	return f;
}

static void fake_free(struct fake *f)
{
	sub_modem_fini(&f->m);
	ev_loop_free(f->loop);
	free(f);
}

static void run_to(struct fake *f, ev_time_t t)
{
	ev_time_t d;

	while ((d = ev_loop_next_due(f->loop)) <= t)
		ev_loop_step(f->loop, d);
	ev_loop_step(f->loop, t);
}

/* The PC output since the last check must be exactly `want`. */
static void expect_pc(struct fake *f, const char *want)
{
	if (strcmp(f->pc, want) != 0)
		fail_msg("PC got [%s], want [%s]", f->pc, want);
	f->pc_len = 0;
	f->pc[0] = 0;
}

static void pc_send(struct fake *f, const char *s)
{
	sub_modem_from_pc(&f->m, (const uint8_t *)s, strlen(s));
}

static void test_commands(void **state)
{
	struct fake *f = fake_new(0);

	(void)state;
	pc_send(f, "AT\r");
	expect_pc(f, "AT\r\r\nOK\r\n");		/* echo on by default */
	pc_send(f, "ATE0\r");
	expect_pc(f, "ATE0\r\r\nOK\r\n");
	pc_send(f, "at\r");
	expect_pc(f, "\r\nOK\r\n");
	pc_send(f, "ATJ\r");
	expect_pc(f, "\r\nERROR\r\n");
	pc_send(f, "ATS0=1S7=60\r");
	expect_pc(f, "\r\nOK\r\n");
	assert_int_equal(f->m.s[0], 1);
	assert_int_equal(f->m.s[7], 60);
	pc_send(f, "ATS0?\r");
	expect_pc(f, "\r\n001\r\n\r\nOK\r\n");
	pc_send(f, "ATS99=1\r");
	expect_pc(f, "\r\nERROR\r\n");
	pc_send(f, "ATS3=1000\r");
	expect_pc(f, "\r\nERROR\r\n");
	pc_send(f, "AT&F&C1&D2L1M1X4\r");	/* &F: echo back on */
	expect_pc(f, "\r\nOK\r\n");
	pc_send(f, "ATE0V0\r");
	expect_pc(f, "ATE0V0\r0\r");		/* numeric codes */
	pc_send(f, "ATX\r");			/* X with no digit is fine too */
	expect_pc(f, "0\r");
	pc_send(f, "ATV1Q1\r");
	expect_pc(f, "");			/* quiet */
	pc_send(f, "ATQ0I\r");
	expect_pc(f, "\r\ndialback subscriber modem\r\n\r\nOK\r\n");
	pc_send(f, "xyzAT\r");			/* junk before AT is skipped */
	expect_pc(f, "\r\nOK\r\n");
	pc_send(f, "ATE1X\b\r");		/* backspace; typed with echo off */
	expect_pc(f, "\r\nOK\r\n");
	pc_send(f, "A/");			/* repeat */
	expect_pc(f, "A/\r\nOK\r\n");
	pc_send(f, "ATZ\r");
	expect_pc(f, "ATZ\r\r\nOK\r\n");
	assert_int_equal(f->m.st.errors, 3);
	fake_free(f);
}

static void test_dial_connect_data_hangup(void **state)
{
	struct fake *f = fake_new(0);

	(void)state;
	pc_send(f, "ATE0\r");
	expect_pc(f, "ATE0\r\r\nOK\r\n");
	pc_send(f, "ATDT 408-432-7528\r");
	assert_int_equal(f->dials, 1);
	assert_string_equal(f->dialed, "4084327528");
	assert_string_equal(f->m.st.last_dialed, "4084327528");
	expect_pc(f, "");
	assert_int_equal(f->m.state, SUB_MODEM_DIALING);
	sub_modem_alerting(&f->m);
	run_to(f, 3 * EV_SEC);
	sub_modem_connected(&f->m);
	expect_pc(f, "\r\nCONNECT 64000\r\n");
	assert_true(sub_modem_online(&f->m));
	/* data both ways, transparently (AT in data mode is data) */
	pc_send(f, "\x7e\xff\x7d\x23" "ATH\r");
	assert_int_equal(f->line_len, 8);
	assert_memory_equal(f->line, "\x7e\xff\x7d\x23" "ATH\r", 8);
	sub_modem_from_line(&f->m, (const uint8_t *)"\x7e\x01\x7e", 3);
	expect_pc(f, "\x7e\x01\x7e");
	assert_int_equal(f->hangups, 0);
	/* the far end hangs up */
	sub_modem_cleared(&f->m, 16);
	expect_pc(f, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->m.state, SUB_MODEM_IDLE);
	sub_modem_from_line(&f->m, (const uint8_t *)"x", 1);
	expect_pc(f, "");
	assert_int_equal(f->m.st.line_dropped, 1);
	fake_free(f);
}

static void test_dial_failures(void **state)
{
	struct fake *f = fake_new(0);

	(void)state;
	pc_send(f, "ATE0\r");
	expect_pc(f, "ATE0\r\r\nOK\r\n");
	pc_send(f, "ATDT5279651\r");
	sub_modem_cleared(&f->m, 17);
	expect_pc(f, "\r\nBUSY\r\n");
	pc_send(f, "ATDT5279651\r");
	sub_modem_cleared(&f->m, 19);
	expect_pc(f, "\r\nNO ANSWER\r\n");
	f->dial_rc = -EBUSY;
	pc_send(f, "ATDT5279651\r");
	expect_pc(f, "\r\nNO DIALTONE\r\n");
	f->dial_rc = 0;
	pc_send(f, "ATDT\r");
	expect_pc(f, "\r\nERROR\r\n");
	/* nobody answers: S7 = 50 s, then NO CARRIER and on hook */
	pc_send(f, "ATDT5279651\r");
	run_to(f, 49 * EV_SEC);
	expect_pc(f, "");
	run_to(f, 51 * EV_SEC);
	expect_pc(f, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->hangups, 1);
	/* a key while dialling aborts the call */
	pc_send(f, "ATDT5279651\r");
	pc_send(f, "x");
	expect_pc(f, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->hangups, 2);
	assert_int_equal(f->m.state, SUB_MODEM_IDLE);
	fake_free(f);
}

static void test_incoming_ring_answer(void **state)
{
	struct fake *f = fake_new(0);

	(void)state;
	pc_send(f, "ATE0\r");
	expect_pc(f, "ATE0\r\r\nOK\r\n");
	assert_int_equal(sub_modem_ring(&f->m), 0);
	expect_pc(f, "\r\nRING\r\n");
	assert_int_equal(sub_modem_ring(&f->m), -EBUSY);
	run_to(f, 6 * EV_SEC);
	expect_pc(f, "\r\nRING\r\n");
	run_to(f, 8 * EV_SEC);
	expect_pc(f, "");
	pc_send(f, "ATA\r");
	assert_int_equal(f->answers, 1);
	expect_pc(f, "");
	sub_modem_connected(&f->m);
	expect_pc(f, "\r\nCONNECT 64000\r\n");
	assert_int_equal(f->m.st.rings, 2);
	fake_free(f);

	/* ATA with no call */
	f = fake_new(0);
	pc_send(f, "ATE0\r");
	pc_send(f, "ATA\r");
	expect_pc(f, "ATE0\r\r\nOK\r\n\r\nNO CARRIER\r\n");
	fake_free(f);
}

/* ATS0=2: answered on the second ring; carrier training delays CONNECT. */
static void test_auto_answer_and_training(void **state)
{
	struct fake *f = fake_new(2 * EV_SEC);

	(void)state;
	pc_send(f, "ATE0S0=2\r");
	expect_pc(f, "ATE0S0=2\r\r\nOK\r\n");
	f->connect_on_answer = true;
	sub_modem_ring(&f->m);
	expect_pc(f, "\r\nRING\r\n");
	assert_int_equal(f->answers, 0);
	run_to(f, 6 * EV_SEC);
	expect_pc(f, "\r\nRING\r\n");
	assert_int_equal(f->answers, 1);
	assert_int_equal(f->m.state, SUB_MODEM_TRAINING);
	run_to(f, 7999 * EV_MSEC);
	expect_pc(f, "");
	run_to(f, 8 * EV_SEC);
	expect_pc(f, "\r\nCONNECT 64000\r\n");
	fake_free(f);

	/* the caller gives up while it rings: rings stop, nothing printed */
	f = fake_new(0);
	pc_send(f, "ATE0\r");
	sub_modem_ring(&f->m);
	sub_modem_cleared(&f->m, 16);
	expect_pc(f, "ATE0\r\r\nOK\r\n\r\nRING\r\n");
	run_to(f, 30 * EV_SEC);
	expect_pc(f, "");
	assert_int_equal(f->m.state, SUB_MODEM_IDLE);
	fake_free(f);
}

static void test_escape_and_dtr(void **state)
{
	struct fake *f = fake_new(0);

	(void)state;
	pc_send(f, "ATE0\r");
	pc_send(f, "ATDT4084327528\r");
	sub_modem_connected(&f->m);
	expect_pc(f, "ATE0\r\r\nOK\r\n\r\nCONNECT 64000\r\n");
	/* +++ inside data (no guard time before): just data */
	run_to(f, 100 * EV_MSEC);
	pc_send(f, "a+++");
	run_to(f, 3 * EV_SEC);
	expect_pc(f, "");
	assert_int_equal(f->m.state, SUB_MODEM_ONLINE);
	/* 1 s silence, +++, 1 s silence: online command mode */
	run_to(f, 5 * EV_SEC);
	pc_send(f, "+++");
	run_to(f, 5900 * EV_MSEC);
	expect_pc(f, "");
	run_to(f, 6 * EV_SEC);
	expect_pc(f, "\r\nOK\r\n");
	assert_int_equal(f->m.state, SUB_MODEM_ONLINE_CMD);
	assert_int_equal(f->m.st.escapes, 1);
	sub_modem_from_line(&f->m, (const uint8_t *)"zz", 2);	/* dropped meanwhile */
	expect_pc(f, "");
	pc_send(f, "ATO\r");
	expect_pc(f, "\r\nCONNECT 64000\r\n");
	assert_true(sub_modem_online(&f->m));
	/* +++ followed by data within the guard time: no escape */
	run_to(f, 8 * EV_SEC);
	pc_send(f, "+++");
	run_to(f, 8500 * EV_MSEC);
	pc_send(f, "b");
	run_to(f, 12 * EV_SEC);
	expect_pc(f, "");
	assert_int_equal(f->m.st.escapes, 1);
	/* escape again, then ATH hangs up */
	run_to(f, 14 * EV_SEC);
	pc_send(f, "+++");
	run_to(f, 15 * EV_SEC);
	pc_send(f, "ATH\r");
	expect_pc(f, "\r\nOK\r\n\r\nOK\r\n");
	assert_int_equal(f->hangups, 1);
	assert_int_equal(f->m.state, SUB_MODEM_IDLE);
	/* DTR drop in data mode: hang up, NO CARRIER; input ignored while DTR is low */
	pc_send(f, "ATDT4084327528\r");
	sub_modem_connected(&f->m);
	expect_pc(f, "\r\nCONNECT 64000\r\n");
	sub_modem_set_dtr(&f->m, false);
	expect_pc(f, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->hangups, 2);
	pc_send(f, "AT\r");
	expect_pc(f, "");
	sub_modem_set_dtr(&f->m, true);
	pc_send(f, "AT\r");
	expect_pc(f, "\r\nOK\r\n");
	fake_free(f);
}

static void test_garbage(void **state)
{
	struct fake *f = fake_new(0);
	uint32_t s = 99;
	uint8_t buf[200];

	(void)state;
	for (unsigned round = 0; round < 2000; round++) {
		size_t n = 1 + (s >> 8) % sizeof(buf);

		for (size_t i = 0; i < n; i++) {
			s = s * 1664525u + 1013904223u;
			buf[i] = (uint8_t)(s >> 24);
			if ((s & 0x300) == 0)
				buf[i] = "ATDHSE0=?+\r"[(s >> 12) % 11];
		}
		sub_modem_from_pc(&f->m, buf, n);
		switch ((s >> 16) % 8) {
		case 0: sub_modem_ring(&f->m); break;
		case 1: sub_modem_connected(&f->m); break;
		case 2: sub_modem_cleared(&f->m, (uint8_t)s); break;
		case 3: sub_modem_from_line(&f->m, buf, n); break;
		case 4: sub_modem_set_dtr(&f->m, (s & 1) != 0); break;
		default: break;
		}
		run_to(f, ev_now(f->loop) + (s & 0xFFFF) * EV_MSEC / 16);
		f->pc_len = 0;
		f->line_len = 0;
	}
	/* still a working modem once the call is gone */
	sub_modem_cleared(&f->m, 16);
	sub_modem_set_dtr(&f->m, true);
	pc_send(f, "\rATZ\r");
	f->pc_len = 0;
	pc_send(f, "ATE0\r");
	f->pc_len = 0;
	f->pc[0] = 0;
	pc_send(f, "AT\r");
	expect_pc(f, "\r\nOK\r\n");
	fake_free(f);
}

/* Pull mode (no to_line): the line takes queued octets at its own pace. */
static void test_pull_mode(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sub_modem_ops ops = fops;
	uint8_t out[8], big[SUB_MODEM_TXQ + 10];

	(void)state;
	assert_non_null(f);
	ops.to_line = NULL;
	f->loop = ev_loop_new_manual(0);
	sub_modem_init(&f->m, f->loop, NULL, &ops, f);
	pc_send(f, "ATE0\r");
	pc_send(f, "ATDT1\r");
	sub_modem_connected(&f->m);
	pc_send(f, "hello");
	assert_int_equal(sub_modem_line_pending(&f->m), 5);
	assert_int_equal(sub_modem_line_pull(&f->m, out, 2), 2);
	assert_memory_equal(out, "he", 2);
	assert_int_equal(sub_modem_line_pull(&f->m, out, sizeof(out)), 3);
	assert_memory_equal(out, "llo", 3);
	assert_int_equal(sub_modem_line_pull(&f->m, out, sizeof(out)), 0);
	memset(big, 'x', sizeof(big));
	sub_modem_from_pc(&f->m, big, sizeof(big));
	assert_int_equal(sub_modem_line_pending(&f->m), SUB_MODEM_TXQ);
	assert_int_equal(f->m.st.txq_overflow, 10);
	sub_modem_cleared(&f->m, 16);			/* the call ends: queue emptied */
	assert_int_equal(sub_modem_line_pending(&f->m), 0);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_dial_connect_data_hangup),
		cmocka_unit_test(test_dial_failures),
		cmocka_unit_test(test_incoming_ring_answer),
		cmocka_unit_test(test_auto_answer_and_training),
		cmocka_unit_test(test_escape_and_dtr),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_pull_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

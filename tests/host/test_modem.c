/*
 * test_modem.c - the line's Hayes modem: AT commands, echo, verbose and numeric
 * result codes, dialling, ringing and auto-answer, data mode, hangups, busyout,
 * garbage and over-long command lines.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "evloop.h"
#include "log.h"
#include "modem.h"

struct fake {
	struct ev_loop *loop;
	struct modem m;
	char dte[4096];
	size_t dte_len;
	char tx[256];
	size_t tx_len;
	char digits[64];
	int dials, answers, hangups, hook_on, hook_off, carrier_up, carrier_down;
	int dsr_up, dsr_down;
	int dial_rc;
	char dbg[16][96];
	int ndbg;
};

static void f_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	struct fake *f = ctx;

	assert_true(f->dte_len + n < sizeof(f->dte));
	memcpy(f->dte + f->dte_len, d, n);
	f->dte_len += n;
	f->dte[f->dte_len] = '\0';
}

static int f_dial(void *ctx, const char *digits)
{
	struct fake *f = ctx;

	f->dials++;
	snprintf(f->digits, sizeof(f->digits), "%s", digits);
	return f->dial_rc;
}

static int f_answer(void *ctx) { ((struct fake *)ctx)->answers++; return 0; }
static void f_hangup(void *ctx) { ((struct fake *)ctx)->hangups++; }

static void f_hook(void *ctx, bool off)
{
	struct fake *f = ctx;

	if (off)
		f->hook_off++;
	else
		f->hook_on++;
}

static void f_carrier(void *ctx, bool up)
{
	struct fake *f = ctx;

	if (up)
		f->carrier_up++;
	else
		f->carrier_down++;
}

static void f_dsr(void *ctx, bool up)
{
	struct fake *f = ctx;

	if (up)
		f->dsr_up++;
	else
		f->dsr_down++;
}

static void f_tx(void *ctx, const uint8_t *d, size_t n)
{
	struct fake *f = ctx;

	assert_true(f->tx_len + n < sizeof(f->tx));
	memcpy(f->tx + f->tx_len, d, n);
	f->tx_len += n;
}

static const struct modem_ops ops = {
	.to_dte = f_to_dte, .dial = f_dial, .answer = f_answer, .hangup = f_hangup,
	.hook = f_hook, .carrier = f_carrier, .dsr = f_dsr, .line_tx = f_tx,
};

static struct fake *cur;

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	struct fake *f = ctx;
	const char *p = strstr(line, ": ");

	(void)lvl;
	if (f->ndbg < 16)
		snprintf(f->dbg[f->ndbg++], sizeof(f->dbg[0]), "%s", p ? p + 2 : line);
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct modem_cfg cfg = { .answer_rings = 1 };

	assert_non_null(f);
	log_reset();
	f->loop = ev_loop_new_manual(0);
	log_set_clock(f->loop, 0, false);
	log_add_sink(sink, f);
	dbg_enable(DBG_MODEM, true);
	modem_init(&f->m, f->loop, 4, &cfg, &ops, f);
	modem_set_dtr(&f->m, true);
	cur = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	modem_fini(&f->m);
	ev_loop_free(f->loop);
	log_reset();
	free(f);
	return 0;
}

static void type(struct fake *f, const char *s)
{
	modem_dte_input(&f->m, (const uint8_t *)s, strlen(s));
}

/* Type a command and check the whole answer, then forget it. */
static void cmd_expect(struct fake *f, const char *in, const char *want)
{
	f->dte_len = 0;
	f->dte[0] = '\0';
	type(f, in);
	if (strcmp(f->dte, want)) {
		char a[256], b[256];
		size_t j = 0;

		for (size_t i = 0; f->dte[i] && j < sizeof(a) - 5; i++)
			j += (size_t)snprintf(a + j, sizeof(a) - j, f->dte[i] < 32 ? "<%d>" : "%c",
					      f->dte[i]);
		j = 0;
		for (size_t i = 0; want[i] && j < sizeof(b) - 5; i++)
			j += (size_t)snprintf(b + j, sizeof(b) - j, want[i] < 32 ? "<%d>" : "%c",
					      want[i]);
		fail_msg("'%s': got '%s' want '%s'", in, a, b);
	}
	f->dte_len = 0;
	f->dte[0] = '\0';
}

static void test_at_echo_and_results(void **state)
{
	struct fake *f = *state;

	cmd_expect(f, "AT\r", "AT\r\r\nOK\r\n");
	cmd_expect(f, "at\r", "at\r\r\nOK\r\n");
	cmd_expect(f, "ATE0\r", "ATE0\r\r\nOK\r\n");
	cmd_expect(f, "AT\r", "\r\nOK\r\n");
	cmd_expect(f, "ATV0\r", "0\r");
	cmd_expect(f, "ATJ\r", "4\r");
	cmd_expect(f, "ATV1\r", "\r\nOK\r\n");
	cmd_expect(f, "ATQ1\r", "");
	cmd_expect(f, "ATFOO\r", "");		/* quiet: not even ERROR */
	cmd_expect(f, "ATQ0E1\r", "\r\nOK\r\n");	/* echo was off while typing */
	cmd_expect(f, "ATE2\r", "ATE2\r\r\nERROR\r\n");
	cmd_expect(f, "xyzAT\r", "xyzAT\r\r\nOK\r\n");	/* junk before AT is skipped */
	cmd_expect(f, "ATE\bI1\r", "ATE\bI1\r\r\ndialback\r\nOK\r\n");	/* backspace */
}

static void test_commands(void **state)
{
	struct fake *f = *state;

	cmd_expect(f, "ATH1\r", "ATH1\r\r\nOK\r\n");
	assert_int_equal(f->m.state, MODEM_OFFHOOK);
	assert_int_equal(f->hook_off, 1);
	cmd_expect(f, "ATH0\r", "ATH0\r\r\nOK\r\n");
	assert_int_equal(f->m.state, MODEM_ONHOOK);
	assert_int_equal(f->hook_on, 1);
	cmd_expect(f, "ATH\r", "ATH\r\r\nOK\r\n");
	cmd_expect(f, "ATH2\r", "ATH2\r\r\nERROR\r\n");
	cmd_expect(f, "ATI3\r", "ATI3\r\r\ndialback digital modem (line 4)\r\nOK\r\n");
	cmd_expect(f, "ATI0\r", "ATI0\r\r\n64000\r\nOK\r\n");
	cmd_expect(f, "ATI10\r", "ATI10\r\r\nERROR\r\n");
	cmd_expect(f, "ATS0?\r", "ATS0?\r\r\n001\r\nOK\r\n");	/* NAS profile: S0=1 */
	cmd_expect(f, "ATS0=3S7=30\r", "ATS0=3S7=30\r\r\nOK\r\n");
	cmd_expect(f, "ATS0?S7?\r", "ATS0?S7?\r\r\n003\r\n030\r\nOK\r\n");
	cmd_expect(f, "ATS1=9S1?\r", "ATS1=9S1?\r\r\n000\r\nOK\r\n");	/* read-only */
	cmd_expect(f, "ATS99=1\r", "ATS99=1\r\r\nERROR\r\n");
	cmd_expect(f, "ATS0=256\r", "ATS0=256\r\r\nERROR\r\n");
	cmd_expect(f, "ATS0\r", "ATS0\r\r\nERROR\r\n");
	cmd_expect(f, "ATS\r", "ATS\r\r\nERROR\r\n");
	cmd_expect(f, "AT&W\r", "AT&W\r\r\nOK\r\n");		/* store S0=3 */
	cmd_expect(f, "AT&F\r", "AT&F\r\r\nOK\r\n");		/* factory: S0=0 */
	cmd_expect(f, "ATS0?\r", "ATS0?\r\r\n000\r\nOK\r\n");
	cmd_expect(f, "ATZ\r", "ATZ\r\r\nOK\r\n");		/* stored: S0=3 */
	cmd_expect(f, "ATS0?\r", "ATS0?\r\r\n003\r\nOK\r\n");
	cmd_expect(f, "ATL1M0X3&C1&D2&K3\r", "ATL1M0X3&C1&D2&K3\r\r\nOK\r\n");
	cmd_expect(f, "ATX5\r", "ATX5\r\r\nERROR\r\n");
	cmd_expect(f, "AT&Z\r", "AT&Z\r\r\nERROR\r\n");
	cmd_expect(f, "AT&\r", "AT&\r\r\nERROR\r\n");
	cmd_expect(f, "ATO\r", "ATO\r\r\nNO CARRIER\r\n");
	cmd_expect(f, "ATA\r", "ATA\r\r\nNO CARRIER\r\n");	/* nothing ringing */
	cmd_expect(f, "A/", "A/\r\nNO CARRIER\r\n");		/* repeat last */
	assert_int_equal(f->dials, 0);
	assert_int_equal(f->answers, 0);
}

static void test_dial_connect_data_hangup(void **state)
{
	struct fake *f = *state;

	cmd_expect(f, "ATDT 527-9651\r", "ATDT 527-9651\r");
	assert_int_equal(f->dials, 1);
	assert_string_equal(f->digits, "5279651");
	assert_int_equal(f->m.state, MODEM_DIALING);
	assert_int_equal(f->hook_off, 1);
	modem_call_connected(&f->m, 0);
	assert_string_equal(f->dte, "\r\nCONNECT 64000\r\n");
	assert_int_equal(f->carrier_up, 1);
	assert_true(modem_online(&f->m));
	assert_int_equal(f->dsr_up, 0);		/* deferred */
	ev_loop_step(f->loop, 0);
	assert_int_equal(f->dsr_up, 1);
	assert_int_equal(f->ndbg, 2);
	assert_string_equal(f->dbg[0], "TTY4: DSR came up");
	assert_string_equal(f->dbg[1], "tty4: Modem: IDLE->READY");
	/* data mode both ways, no echo, no AT parsing */
	f->dte_len = 0;
	type(f, "AT\r~\x7d");
	assert_int_equal(f->tx_len, 5);
	assert_memory_equal(f->tx, "AT\r~\x7d", 5);
	assert_int_equal(f->dte_len, 0);
	modem_line_input(&f->m, (const uint8_t *)"xyz", 3);
	assert_int_equal(f->dte_len, 3);
	/* remote hangup */
	f->dte_len = 0;
	modem_remote_hangup(&f->m);
	assert_string_equal(f->dte, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->carrier_down, 1);
	assert_int_equal(f->dsr_down, 1);
	assert_int_equal(f->hangups, 0);	/* the far end released it */
	assert_int_equal(f->m.state, MODEM_ONHOOK);
	cmd_expect(f, "AT\r", "AT\r\r\nOK\r\n");
}

static void test_dial_failures(void **state)
{
	struct fake *f = *state;

	type(f, "ATD5551212\r");
	f->dte_len = 0;
	modem_call_failed(&f->m, MODEM_FAIL_BUSY);
	assert_string_equal(f->dte, "\r\nBUSY\r\n");
	type(f, "ATD5551212\r");
	f->dte_len = 0;
	modem_call_failed(&f->m, MODEM_FAIL_NO_ANSWER);
	assert_string_equal(f->dte, "\r\nNO ANSWER\r\n");
	f->dial_rc = -1;
	cmd_expect(f, "ATD5551212\r", "ATD5551212\r\r\nNO DIALTONE\r\n");
	f->dial_rc = 0;
	/* X0: BUSY is reported as NO CARRIER, CONNECT without speed */
	cmd_expect(f, "ATX0\r", "ATX0\r\r\nOK\r\n");
	type(f, "ATD1\r");
	f->dte_len = 0;
	modem_call_failed(&f->m, MODEM_FAIL_BUSY);
	assert_string_equal(f->dte, "\r\nNO CARRIER\r\n");
	type(f, "ATD1\r");
	f->dte_len = 0;
	modem_call_connected(&f->m, 33600);
	assert_string_equal(f->dte, "\r\nCONNECT\r\n");
	modem_set_dtr(&f->m, false);
	modem_set_dtr(&f->m, true);
	cmd_expect(f, "ATX4\r", "ATX4\r\r\nOK\r\n");
	/* S7: no carrier within 50 s */
	type(f, "ATD1\r");
	f->dte_len = 0;
	ev_loop_step(f->loop, 49 * EV_SEC);
	assert_int_equal(f->dte_len, 0);
	ev_loop_step(f->loop, 50 * EV_SEC);
	assert_string_equal(f->dte, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->hangups, 2);	/* DTR drop + S7 */
	/* a key pressed while dialling aborts */
	type(f, "ATD1\r");
	f->dte_len = 0;
	type(f, "x");
	assert_string_equal(f->dte, "\r\nNO CARRIER\r\n");
	assert_int_equal(f->hangups, 3);
	/* bad dial strings */
	cmd_expect(f, "ATD\r", "ATD\r\r\nERROR\r\n");
	cmd_expect(f, "ATD12X\r", "ATD12X\r\r\nERROR\r\n");
	cmd_expect(f, "ATD1234567890123456789012345678901234567890123\r",
		   "ATD1234567890123456789012345678901234567890123\r\r\nERROR\r\n");
}

static void test_numeric_results(void **state)
{
	struct fake *f = *state;

	cmd_expect(f, "ATV0E0\r", "ATV0E0\r0\r");
	type(f, "ATD1\r");
	modem_call_failed(&f->m, MODEM_FAIL_BUSY);
	assert_string_equal(f->dte, "7\r");
	f->dte_len = 0;
	type(f, "ATD1\r");
	modem_call_failed(&f->m, MODEM_FAIL_NO_ANSWER);
	assert_string_equal(f->dte, "8\r");
	f->dte_len = 0;
	f->dial_rc = -1;
	cmd_expect(f, "ATD1\r", "6\r");
	f->dial_rc = 0;
	assert_int_equal(modem_incoming_call(&f->m), 0);
	assert_string_equal(f->dte, "2\r");
	f->dte_len = 0;
	ev_loop_step(f->loop, 1 * EV_SEC);	/* S0=1: answered */
	modem_call_connected(&f->m, 0);
	assert_string_equal(f->dte, "1\r");
	f->dte_len = 0;
	modem_remote_hangup(&f->m);
	assert_string_equal(f->dte, "3\r");
}

static void test_incoming_auto_answer_and_ata(void **state)
{
	struct fake *f = *state;

	/* S0=1 (NAS default): RING, then answered one ring period later */
	assert_int_equal(modem_incoming_call(&f->m), 0);
	assert_string_equal(f->dte, "\r\nRING\r\n");
	assert_int_equal(modem_incoming_call(&f->m), -EBUSY);	/* already ringing */
	ev_loop_step(f->loop, 999 * EV_MSEC);
	assert_int_equal(f->answers, 0);
	ev_loop_step(f->loop, 1 * EV_SEC);
	assert_int_equal(f->answers, 1);
	assert_int_equal(f->m.state, MODEM_ANSWERING);
	modem_call_connected(&f->m, 0);
	assert_true(modem_online(&f->m));
	modem_set_dtr(&f->m, false);		/* DTR drop hangs up */
	assert_int_equal(f->hangups, 1);
	assert_int_equal(f->carrier_down, 1);
	assert_int_equal(f->m.state, MODEM_ONHOOK);
	assert_int_equal(modem_incoming_call(&f->m), -EBUSY);	/* DTR down */
	modem_set_dtr(&f->m, true);

	/* S0=0: rings until ATA */
	cmd_expect(f, "ATS0=0\r", "ATS0=0\r\r\nOK\r\n");
	assert_int_equal(modem_incoming_call(&f->m), 0);
	ev_loop_step(f->loop, 2 * EV_SEC);
	ev_loop_step(f->loop, 3 * EV_SEC);
	assert_string_equal(f->dte, "\r\nRING\r\n\r\nRING\r\n\r\nRING\r\n");
	cmd_expect(f, "ATS1?\r", "ATS1?\r\r\n003\r\nOK\r\n");
	assert_int_equal(f->answers, 1);
	cmd_expect(f, "ATA\r", "ATA\r");
	assert_int_equal(f->answers, 2);
	modem_call_connected(&f->m, 0);
	assert_string_equal(f->dte, "\r\nCONNECT 64000\r\n");
	modem_remote_hangup(&f->m);

	/* S0=2, and a caller who gives up while ringing */
	cmd_expect(f, "ATS0=2\r", "ATS0=2\r\r\nOK\r\n");
	assert_int_equal(modem_incoming_call(&f->m), 0);
	ev_loop_step(f->loop, 4 * EV_SEC);
	assert_int_equal(f->answers, 2);
	f->dte_len = 0;
	modem_remote_hangup(&f->m);
	assert_int_equal(f->dte_len, 0);
	assert_int_equal(f->m.state, MODEM_ONHOOK);
	assert_int_equal(modem_incoming_call(&f->m), 0);
	ev_loop_step(f->loop, 5 * EV_SEC);
	ev_loop_step(f->loop, 6 * EV_SEC);
	assert_int_equal(f->answers, 3);
}

static void test_busyout(void **state)
{
	struct fake *f = *state;

	modem_set_busyout(&f->m, true);
	assert_int_equal(modem_incoming_call(&f->m), -EBUSY);
	cmd_expect(f, "ATD5551212\r", "ATD5551212\r\r\nNO DIALTONE\r\n");
	assert_int_equal(f->dials, 0);
	modem_set_busyout(&f->m, false);
	assert_int_equal(modem_incoming_call(&f->m), 0);
}

static void test_async_reset_and_training(void **state)
{
	struct fake *f = *state;
	struct modem_cfg cfg = { .answer_rings = 1, .train_time = 20 * EV_SEC,
				 .dsr_delay = 2 * EV_SEC, .speed = 56000 };

	modem_fini(&f->m);
	modem_init(&f->m, f->loop, 4, &cfg, &ops, f);
	modem_set_dtr(&f->m, true);
	type(f, "ATE0D1\r");
	f->dte_len = 0;
	modem_call_connected(&f->m, 0);
	assert_int_equal(f->dte_len, 0);
	ev_loop_step(f->loop, 20 * EV_SEC);
	assert_string_equal(f->dte, "\r\nCONNECT 56000\r\n");
	assert_int_equal(f->dsr_up, 0);
	ev_loop_step(f->loop, 22 * EV_SEC);
	assert_int_equal(f->dsr_up, 1);
	f->ndbg = 0;
	modem_async_reset(&f->m);
	assert_int_equal(f->ndbg, 1);	/* as in the seed: nothing else at the hang-up */
	assert_string_equal(f->dbg[0], "TTY4: Async Int reset: Dropping DTR");
	assert_int_equal(f->hangups, 1);
	assert_int_equal(f->dsr_down, 1);
	modem_set_dtr(&f->m, true);
	assert_int_equal(f->ndbg, 1);
	/* the next call: "DSR came up" and IDLE->READY again */
	type(f, "ATD1\r");
	modem_call_connected(&f->m, 0);
	ev_loop_step(f->loop, 44 * EV_SEC);
	ev_loop_step(f->loop, 46 * EV_SEC);
	assert_int_equal(f->ndbg, 3);
	assert_string_equal(f->dbg[1], "TTY4: DSR came up");
	assert_string_equal(f->dbg[2], "tty4: Modem: IDLE->READY");
}

static void test_garbage_and_long_lines(void **state)
{
	struct fake *f = *state;
	char line[300];
	uint32_t x = 12345;

	/* an over-long command line gives ERROR, not an overflow */
	memset(line, 'E', sizeof(line));
	memcpy(line, "AT", 2);
	line[sizeof(line) - 2] = '\r';
	line[sizeof(line) - 1] = '\0';
	f->dte_len = 0;
	type(f, line);
	assert_non_null(strstr(f->dte, "\r\nERROR\r\n"));
	cmd_expect(f, "AT\r", "AT\r\r\nOK\r\n");
	/* random bytes: never a crash, the modem still works afterwards */
	for (int i = 0; i < 20000; i++) {
		uint8_t b;

		x = x * 1103515245u + 12345u;
		b = (uint8_t)(x >> 16);
		modem_dte_input(&f->m, &b, 1);
		if (f->dte_len > 3000)
			f->dte_len = 0;
		if (f->m.state != MODEM_ONHOOK && f->m.state != MODEM_OFFHOOK)
			modem_remote_hangup(&f->m);
	}
	modem_set_dtr(&f->m, false);
	modem_set_dtr(&f->m, true);
	cmd_expect(f, "\rATE1V1Q0\r", "\rATE1V1Q0\r\r\nOK\r\n");
	assert_true(f->m.errors > 0);
}

/* --- the seed's callback leg: the real chat engine driving this modem ------------ */

struct seed_line {
	struct ev_loop *loop;
	struct modem m;
	struct chat_run chat;
	struct chat_registry reg;
	char digits[32];
	int dials, scripts_done, last_status, hooks_on, hooks_off;
	char dbg[40][96];
	int ndbg;
};

static void sl_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	struct seed_line *l = ctx;

	if (chat_run_active(&l->chat))
		chat_input(&l->chat, d, n);
}

static int sl_dial(void *ctx, const char *digits)
{
	struct seed_line *l = ctx;

	l->dials++;
	snprintf(l->digits, sizeof(l->digits), "%s", digits);
	return 0;
}

static void sl_hook(void *ctx, bool off)
{
	struct seed_line *l = ctx;

	if (off)
		l->hooks_off++;
	else
		l->hooks_on++;
}

static int sl_write(void *ctx, const uint8_t *d, size_t n)
{
	modem_dte_input(&((struct seed_line *)ctx)->m, d, n);
	return 0;
}

static void sl_dtr(void *ctx, bool on)
{
	modem_set_dtr(&((struct seed_line *)ctx)->m, on);
}

static void sl_done(void *ctx, int status, const char *abort_str)
{
	struct seed_line *l = ctx;

	(void)abort_str;
	l->scripts_done++;
	l->last_status = status;
	if (l->scripts_done == 1 && status == 0)
		assert_int_equal(chat_run_start_match(&l->chat, &l->reg, "callback", "527-9651"), 0);
}

static void sl_sink(void *ctx, enum log_level lvl, const char *line)
{
	struct seed_line *l = ctx;
	const char *p = strstr(line, ": ");

	(void)lvl;
	if (l->ndbg < 40)
		snprintf(l->dbg[l->ndbg++], sizeof(l->dbg[0]), "%s", p ? p + 2 : line);
}

static void test_seed_callback_leg_with_chat(void **state)
{
	static const struct modem_ops mops = { .to_dte = sl_to_dte, .dial = sl_dial,
					       .hook = sl_hook };
	static const struct chat_ops cops = { .write = sl_write, .set_dtr = sl_dtr,
					      .done = sl_done };
	static const char *const want[] = {
		"TTY4: Async Int reset: Dropping DTR",
		"CHAT4: Matched chat script offhook to string offhook",
		"CHAT4: Asserting DTR",
		"CHAT4: Chat script offhook started",
		"CHAT4: Sending string: ATH1",
		"CHAT4: Expecting string: OK",
		"CHAT4: Completed match for expect: OK",
		"CHAT4: Chat script offhook finished, status = Success",
		"CHAT4: Matched chat script callback to string callback",
		"CHAT4: Asserting DTR",
		"CHAT4: Chat script callback started",
		"CHAT4: Sending string: ATZ",
		"CHAT4: Expecting string: OK",
		"CHAT4: Completed match for expect: OK",
		"CHAT4: Sending string: ATDT \\T<527-9651>",
		"CHAT4: Expecting string: CONNECT",
		"CHAT4: Completed match for expect: CONNECT",
		"CHAT4: Sending string: \\c",
		"CHAT4: Chat script callback finished, status = Success",
		"TTY4: DSR came up",
		"tty4: Modem: IDLE->READY",
	};
	struct modem_cfg cfg = { .answer_rings = 1, .dsr_delay = 2 * EV_SEC };
	struct seed_line *l = calloc(1, sizeof(*l));

	(void)state;
	assert_non_null(l);
	l->loop = ev_loop_new_manual(0);
	log_reset();
	log_set_clock(l->loop, 0, false);
	log_add_sink(sl_sink, l);
	dbg_enable(DBG_MODEM, true);
	dbg_enable(DBG_CHAT, true);
	assert_int_equal(chat_registry_init(&l->reg), 0);
	modem_init(&l->m, l->loop, 4, &cfg, &mops, l);
	chat_run_init(&l->chat, l->loop, 4, &cops, l);
	modem_set_dtr(&l->m, true);
	modem_async_reset(&l->m);	/* the first call's line reset */

	ev_loop_step(l->loop, 9 * EV_SEC);
	assert_int_equal(chat_run_start_match(&l->chat, &l->reg, "offhook", NULL), 0);
	assert_int_equal(l->scripts_done, 1);
	assert_int_equal(l->hooks_off, 2);		/* ATH1, then ATD */
	assert_int_equal(l->hooks_on, 1);		/* ATZ */
	assert_int_equal(l->dials, 1);
	assert_string_equal(l->digits, "5279651");	/* "called party num: (5279651)" */
	assert_int_equal(l->m.state, MODEM_DIALING);
	ev_loop_step(l->loop, 40 * EV_SEC);		/* ISDN call set up within TIMEOUT 60 */
	modem_call_connected(&l->m, 0);
	assert_int_equal(l->scripts_done, 2);
	assert_int_equal(l->last_status, 0);
	assert_true(modem_online(&l->m));
	ev_loop_step(l->loop, 42 * EV_SEC);
	assert_int_equal(l->ndbg, (int)(sizeof(want) / sizeof(want[0])));
	for (int i = 0; i < l->ndbg; i++)
		assert_string_equal(l->dbg[i], want[i]);

	chat_run_cancel(&l->chat);
	modem_fini(&l->m);
	chat_registry_clear(&l->reg);
	ev_loop_free(l->loop);
	log_reset();
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_at_echo_and_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dial_connect_data_hangup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dial_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numeric_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incoming_auto_answer_and_ata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busyout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_reset_and_training, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_and_long_lines, setup, teardown),
		cmocka_unit_test(test_seed_callback_leg_with_chat),
	};

	(void)cur;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

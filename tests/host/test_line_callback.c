/*
 * test_line_callback.c - the whole callback sequence of a tty line (host/line.c)
 * against the telco model and a Windows client (tests/support/nas_harness: the real
 * NAS on an ideal card, no Verilator): success, and each failure - BUSY, NO CARRIER,
 * chat TIMEOUT, NO DIALTONE, the wrong user on the callback leg - logged with the
 * reason in `debug callback`, retried as `dialer redial` says, and leaving the line
 * free (show line / show users).
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

#include "line.h"
#include "log.h"
#include "nas.h"
#include "nas_harness.h"

/* The seed's configuration, trimmed to what a callback uses; REDIAL and the callback
 * script's ABORT list vary per test. */
static const char cfg_head[] =
	"hostname isdn2-2\n"
	"aaa new-model\n"
	"aaa authentication login use-local local\n"
	"aaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n"
	"username intruder password 0 letmein\n"
	"username fixed callback-dialstring 5550000 password 0 cisco\n"
	"isdn switch-type primary-5ess\n"
	"chat-script offhook \"\" \"ATH1\" OK\n";
static const char cfg_tail[] =
	"controller T1 0\n"
	" framing esf\n linecode b8zs\n pri-group timeslots 1-24\n"
	"interface Ethernet0\n ip address 172.16.25.52 255.255.255.240\n"
	"interface Serial0:23\n isdn incoming-voice modem\n"
	"interface Group-Async1\n"
	" ip unnumbered Ethernet0\n encapsulation ppp\n async mode interactive\n"
	" peer default ip address pool default\n ppp callback accept\n"
	" ppp authentication chap\n group-range 1 6\n%s"
	"ip local pool default 172.16.25.59 172.16.25.62\n"
	"line 1 6\n autoselect during-login\n autoselect ppp\n"
	" script modem-off-hook offhook\n script callback callback\n"
	" login authentication use-local\n modem InOut\n transport input all\n"
	"%s"
	"end\n";

#define SEED_SCRIPT "chat-script callback ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c\n"
#define ABORTING_SCRIPT "chat-script callback ABORT ERROR ABORT BUSY ABORT \"NO CARRIER\" ABORT \"NO DIALTONE\" \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c\n"

static struct nh *make(const char *script, const char *redial, const char *line_extra)
{
	char text[4096];
	int n = snprintf(text, sizeof(text), "%s%s", cfg_head, script);
	struct nas_tuning t;
	struct nh *h;

	snprintf(text + n, sizeof(text) - (size_t)n, cfg_tail, redial, line_extra);
	nas_tuning_default(&t);
	h = nh_new(text, &t);
	assert_non_null(h);
	dbg_enable(DBG_CALLBACK, true);
	dbg_enable(DBG_CHAT, true);
	return h;
}

static bool pc_settled(struct nh *h, void *arg)
{
	struct nh_pc *pc = arg;
	enum sub_pc_state st = sub_pc_state(&pc->pc);

	(void)h;
	return st == SUB_PC_ONLINE || st == SUB_PC_DONE || st == SUB_PC_FAILED;
}

static bool line_settled(struct nh *h, void *arg)
{
	unsigned tty = (unsigned)(uintptr_t)arg;

	return h->nas->lines[tty - 1].phase == LINE_IDLE &&
	       h->nas->lines[tty - 1].modem.state == MODEM_ONHOOK;
}

/* The tty the client's call landed on (the one that has or had a callback). */
static struct line *busy_line(struct nh *h)
{
	for (unsigned i = 0; i < h->nas->nlines; i++)
		if (h->nas->lines[i].phase != LINE_IDLE)
			return &h->nas->lines[i];
	return NULL;
}

static void wait_for_callback_wait(struct nh *h, struct line **lp)
{
	struct line *l = NULL;

	for (unsigned k = 0; k < 20000 && !l; k++) {
		nh_run_for(h, 10 * EV_MSEC);
		l = busy_line(h);
		if (l && l->phase != LINE_CB_WAIT)
			l = NULL;
	}
	assert_non_null(l);
	*lp = l;
}

/* After a failed callback: the line is free and nobody is on it. */
static void assert_line_free(struct nh *h, unsigned tty)
{
	char *o;
	char needle[32];
	int rc;

	if (!nh_run_while_not(h, line_settled, (void *)(uintptr_t)tty,
			      ev_now(h->loop) + 400 * EV_SEC)) {
		nh_log_dump(h, 0);
		fail_msg("line %u is still %s, modem %s", tty,
			 line_phase_name(h->nas->lines[tty - 1].phase),
			 modem_state_name(h->nas->lines[tty - 1].modem.state));
	}
	assert_true(line_free(&h->nas->lines[tty - 1]));
	/* ready for the next call: DTR up again, or the modem would refuse to ring */
	assert_true(h->nas->lines[tty - 1].modem.dtr);
	o = nh_cmd(h, "show users", &rc);
	assert_int_equal(rc, 0);
	snprintf(needle, sizeof(needle), "tty %u ", tty);
	assert_null(strstr(o, needle));
	assert_null(strstr(o, "callmeback"));
	free(o);
	o = nh_cmd(h, "show line", &rc);
	snprintf(needle, sizeof(needle), "*%5u TTY", tty);
	assert_null(strstr(o, needle));		/* not marked in use */
	free(o);
}

static void test_callback_success(void **state)
{
	struct nh *h = make(SEED_SCRIPT, "", "");
	struct nh_pc *pc = nh_add_pc(h, "5279651");
	struct line *l;
	char *o;
	int rc;

	(void)state;
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	wait_for_callback_wait(h, &l);
	assert_true(nh_run_while_not(h, pc_settled, pc, ev_now(h->loop) + 200 * EV_SEC));
	if (sub_pc_state(&pc->pc) != SUB_PC_ONLINE)
		nh_log_dump(h, 0);
	assert_int_equal(sub_pc_state(&pc->pc), SUB_PC_ONLINE);
	assert_true(pc->called_back);
	assert_int_equal(l->phase, LINE_PPP);
	assert_string_equal(l->user, "callmeback");
	assert_int_equal(h->nas->stats.callbacks_ok, 1);
	assert_int_equal(h->nas->stats.callbacks_failed, 0);
	assert_true(nh_log_find(h, 0, "Callback process initiated, user: callmeback dialstring 527-9651") >= 0);
	assert_true(nh_log_find(h, 0, "Chat script callback finished, status = Success") >= 0);
	assert_true(nh_log_find(h, 0, "Callback to 527-9651 for callmeback connected") >= 0);
	o = nh_cmd(h, "show users", &rc);
	assert_non_null(strstr(o, "callmeback"));
	free(o);
	nh_free(h);
}

/* One failed attempt, then the retry: `dialer redial interval 5 attempts 1`. */
static void run_failure(const char *script, const char *redial, void (*arm)(struct nh *, struct nh_pc *),
			const char *reason, unsigned expect_attempts)
{
	struct nh *h = make(script, redial, "");
	struct nh_pc *pc = nh_add_pc(h, "5279651");
	struct line *l;
	unsigned tty, attempts = 0;
	int at = 0;

	assert_int_equal(sub_pc_start(&pc->pc), 0);
	wait_for_callback_wait(h, &l);
	tty = l->tty;
	arm(h, pc);
	assert_line_free(h, tty);
	/* the whole retry budget is used up before the line is given back */
	while ((at = nh_log_find(h, (unsigned)at, "Callback to 527-9651 failed")) >= 0) {
		attempts++;
		if (!strstr(h->log.line[at], reason)) {
			nh_log_dump(h, 0);
			fail_msg("'%s' does not give the reason '%s'", h->log.line[at], reason);
		}
		at++;
	}
	if (attempts != expect_attempts)
		nh_log_dump(h, 0);
	assert_int_equal(attempts, expect_attempts);
	assert_true(nh_log_find(h, 0, "Callback to 527-9651 for callmeback abandoned") >= 0);
	if (expect_attempts > 1) {
		char want[64];

		snprintf(want, sizeof(want), ": retry 1 of %u in 5 seconds", expect_attempts - 1);
		assert_true(nh_log_find(h, 0, want) >= 0);
		snprintf(want, sizeof(want), ": attempt %u of %u", expect_attempts, expect_attempts);
		assert_true(nh_log_find(h, 0, want) >= 0);
	} else {
		assert_int_equal(nh_log_find(h, 0, ": retry "), -1);
	}
	assert_int_equal(h->nas->lines[tty - 1].cb_failures, expect_attempts);
	assert_int_equal(h->nas->stats.callbacks_failed, 1);
	assert_int_equal(h->nas->stats.callbacks_ok, 0);
	nh_free(h);
}

static void arm_busy(struct nh *h, struct nh_pc *pc)
{
	(void)h;
	telco_sub_set_busy(pc->sub, true);
}

static void test_callback_busy(void **state)
{
	(void)state;
	run_failure(SEED_SCRIPT, " dialer redial interval 5 attempts 2\n", arm_busy,
		    "chat script callback aborted on BUSY", 3);
}

static void test_callback_no_carrier(void **state)
{
	(void)state;
	/* a number nobody has: `username fixed` calls back 5550000 */
	struct nh *h = make(ABORTING_SCRIPT, " dialer redial interval 5 attempts 1\n", "");
	struct nh_pc *pc = nh_add_pc(h, "5279651");
	struct line *l;
	int at;

	pc->pc.cfg.ppp.user = "fixed";
	pc->pc.ppp.cfg.user = "fixed";
	pc->pc.ppp.cfg.secret = "cisco";
	pc->pc.cfg.ppp.secret = "cisco";
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	wait_for_callback_wait(h, &l);
	assert_line_free(h, l->tty);
	at = nh_log_find(h, 0, "Callback to 5550000 failed");
	if (at < 0)
		nh_log_dump(h, 0);
	assert_true(at >= 0);
	assert_non_null(strstr(h->log.line[at], "aborted on NO CARRIER"));
	assert_true(nh_log_find(h, (unsigned)at + 1, "Callback to 5550000 failed") >= 0);
	assert_true(nh_log_find(h, 0, "Callback to 5550000 for fixed abandoned") >= 0);
	assert_int_equal(h->nas->stats.callbacks_failed, 1);
	nh_free(h);
}

static void arm_silent_network(struct nh *h, struct nh_pc *pc)
{
	(void)pc;
	telco_span_mute_setup(h->tspan, true);
}

static void test_callback_timeout(void **state)
{
	(void)state;
	/* the network swallows the SETUP: nothing the script aborts on comes back in
	 * time, and the chat's TIMEOUT 60 ends the attempt */
	run_failure(SEED_SCRIPT, " dialer redial interval 5 attempts 1\n", arm_silent_network,
		    "chat script callback timed out", 2);
}

static void arm_los(struct nh *h, struct nh_pc *pc)
{
	(void)pc;
	nh_set_los(h, true);
}

static void test_callback_no_dialtone(void **state)
{
	(void)state;
	run_failure(ABORTING_SCRIPT, " dialer redial interval 5 attempts 1\n", arm_los,
		    "chat script callback aborted on NO DIALTONE", 2);
}

static void arm_intruder(struct nh *h, struct nh_pc *pc)
{
	(void)h;
	pc->callback_user = "intruder";
	pc->callback_secret = "letmein";
	/* already waiting: switch now */
	pc->pc.ppp.cfg.user = "intruder";
	pc->pc.ppp.cfg.secret = "letmein";
	pc->pc.cfg.ppp.user = "intruder";
	pc->pc.cfg.ppp.secret = "letmein";
}

static void test_callback_wrong_user(void **state)
{
	(void)state;
	/* the wrong user is a security failure: hung up at once, never retried */
	run_failure(SEED_SCRIPT, " dialer redial interval 5 attempts 3\n", arm_intruder,
		    "wrong user on callback: 'intruder', expected 'callmeback'", 1);
}

/* Default: no `dialer redial`: one attempt only, as IOS does without redial. */
static void test_callback_default_no_retry(void **state)
{
	(void)state;
	run_failure(SEED_SCRIPT, "", arm_busy, "aborted on BUSY", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_success),
		cmocka_unit_test(test_callback_busy),
		cmocka_unit_test(test_callback_no_carrier),
		cmocka_unit_test(test_callback_timeout),
		cmocka_unit_test(test_callback_no_dialtone),
		cmocka_unit_test(test_callback_wrong_user),
		cmocka_unit_test(test_callback_default_no_retry),
	};
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

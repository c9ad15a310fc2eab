/*
 * test_autoselect.c - PPP start vs. a person at the login prompt: the seed's sample
 * lines, input split across reads, login success/failure/timeout, pending checks.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoselect.h"
#include "evloop.h"
#include "log.h"
#include "modem.h"

struct fake {
	struct ev_loop *loop;
	struct autoselect as;
	char dte[2048];
	size_t dte_len;
	uint8_t sample[16];
	size_t sample_len;
	int ppp_calls, login_calls, fail_calls, checks;
	int fail_why;
	char user[80], pass[80], logged[80];
	int check_rc;
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

static int f_check(void *ctx, const char *user, const char *pass)
{
	struct fake *f = ctx;

	f->checks++;
	snprintf(f->user, sizeof(f->user), "%s", user);
	snprintf(f->pass, sizeof(f->pass), "%s", pass);
	if (f->check_rc == 1)
		return 1;
	return strcmp(user, "callmeback") || strcmp(pass, "cisco") ? -1 : 0;
}

static void f_ppp(void *ctx, const uint8_t *s, size_t n)
{
	struct fake *f = ctx;

	f->ppp_calls++;
	assert_true(n <= sizeof(f->sample));
	memcpy(f->sample, s, n);
	f->sample_len = n;
}

static void f_login(void *ctx, const char *user)
{
	struct fake *f = ctx;

	f->login_calls++;
	snprintf(f->logged, sizeof(f->logged), "%s", user);
}

static void f_fail(void *ctx, enum autoselect_fail why)
{
	struct fake *f = ctx;

	f->fail_calls++;
	f->fail_why = (int)why;
}

static const struct autoselect_ops ops = {
	.to_dte = f_to_dte, .check = f_check, .ppp = f_ppp, .login = f_login, .fail = f_fail,
};

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	struct fake *f = ctx;
	const char *p = strstr(line, ": ");

	(void)lvl;
	if (f->ndbg < 16)
		snprintf(f->dbg[f->ndbg++], sizeof(f->dbg[0]), "%s", p ? p + 2 : line);
}

static struct fake *make(const struct autoselect_cfg *cfg)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	log_reset();
	f->loop = ev_loop_new_manual(0);
	log_set_clock(f->loop, 0, false);
	log_add_sink(sink, f);
	dbg_enable(DBG_MODEM, true);
	autoselect_init(&f->as, f->loop, 4, cfg, &ops, f);
	return f;
}

static void destroy(struct fake *f)
{
	autoselect_stop(&f->as);
	ev_loop_free(f->loop);
	log_reset();
	free(f);
}

static size_t in(struct fake *f, const char *s, size_t n)
{
	return autoselect_input(&f->as, (const uint8_t *)s, n);
}

static const struct autoselect_cfg seed_cfg = { .during_login = true, .ppp = true };

static void test_seed_ppp_split_reads(void **state)
{
	struct fake *f = make(&seed_cfg);
	static const char *const want[] = {
		"TTY4: EXEC creation",
		"TTY4: Autoselect(2) sample 7E",
		"TTY4: Autoselect(2) sample 7EFF",
		"TTY4: Autoselect(2) sample 7EFF7D",
		"TTY4: Autoselect(2) sample 7EFF7D23",
		"TTY4 Autoselect cmd: ppp negotiate",
	};

	(void)state;
	autoselect_start(&f->as);
	assert_string_equal(f->dte, "\r\n\r\nUser Access Verification\r\n\r\nUsername: ");
	assert_true(autoselect_active(&f->as));
	assert_int_equal(in(f, "\x7e", 1), 1);
	assert_int_equal(in(f, "\xff\x7d", 2), 2);
	assert_int_equal(f->ppp_calls, 0);
	/* the rest of the frame after 0x23 is not autoselect's */
	assert_int_equal(in(f, "\x23\xc0\x21\x01", 4), 1);
	assert_int_equal(f->ppp_calls, 1);
	assert_int_equal(f->sample_len, 4);
	assert_memory_equal(f->sample, "\x7e\xff\x7d\x23", 4);
	assert_int_equal(f->as.state, AUTOSELECT_PPP);
	assert_int_equal(in(f, "\x7e", 1), 0);
	assert_int_equal(f->ndbg, 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(f->dbg[i], want[i]);
	assert_int_equal(f->checks, 0);
	assert_int_equal(ev_loop_timer_count(f->loop), 0);
	destroy(f);
}

static void test_ppp_unescaped_control_and_double_flag(void **state)
{
	struct fake *f = make(&seed_cfg);

	(void)state;
	autoselect_start(&f->as);
	assert_int_equal(in(f, "\x7e\x7e\xff\x03\xc0\x21", 6), 4);
	assert_int_equal(f->ppp_calls, 1);
	assert_memory_equal(f->sample, "\x7e\xff\x03", 3);
	destroy(f);
}

static void test_callback_leg_flag_only(void **state)
{
	struct autoselect_cfg cfg = seed_cfg;
	struct fake *f;

	(void)state;
	cfg.ppp_on_flag = true;
	f = make(&cfg);
	autoselect_start(&f->as);
	assert_int_equal(in(f, "\x7e\xff\x7d\x23", 4), 1);
	assert_int_equal(f->ppp_calls, 1);
	assert_int_equal(f->ndbg, 3);
	assert_string_equal(f->dbg[1], "TTY4: Autoselect(2) sample 7E");
	assert_string_equal(f->dbg[2], "TTY4 Autoselect cmd: ppp negotiate");
	destroy(f);
}

static void test_human_login_success(void **state)
{
	struct fake *f = make(&seed_cfg);
	const char *typed = "callmebakk\b\bck\r\ncisco\r";

	(void)state;
	autoselect_start(&f->as);
	f->dte_len = 0;
	/* one octet per read, as a person types */
	for (size_t i = 0; typed[i]; i++)
		assert_int_equal(in(f, typed + i, 1), 1);
	assert_int_equal(f->checks, 1);
	assert_string_equal(f->user, "callmeback");
	assert_string_equal(f->pass, "cisco");
	assert_int_equal(f->login_calls, 1);
	assert_string_equal(f->logged, "callmeback");
	assert_int_equal(f->ppp_calls, 0);
	/* echo of the username only, never of the password */
	assert_string_equal(f->dte, "callmebakk\b \b\b \bck\r\nPassword: \r\n");
	assert_int_equal(f->as.state, AUTOSELECT_LOGGED_IN);
	assert_int_equal(ev_loop_timer_count(f->loop), 0);
	destroy(f);
}

static void test_tilde_typed_is_not_ppp(void **state)
{
	struct fake *f = make(&seed_cfg);

	(void)state;
	autoselect_start(&f->as);
	f->dte_len = 0;
	assert_int_equal(in(f, "~x\r", 3), 3);
	assert_int_equal(f->ppp_calls, 0);
	assert_string_equal(f->dte, "~x\r\nPassword: ");
	assert_int_equal(f->as.state, AUTOSELECT_PASS);
	assert_string_equal(f->dbg[1], "TTY4: Autoselect(2) sample 7E");
	assert_string_equal(f->dbg[2], "TTY4: Autoselect(2) sample 7E78");
	destroy(f);
}

static void test_login_failure_three_times(void **state)
{
	struct fake *f = make(&seed_cfg);
	static const char bad[] = "callmeback\rwrong\r";

	(void)state;
	autoselect_start(&f->as);
	in(f, bad, sizeof(bad) - 1);
	assert_int_equal(f->checks, 1);
	assert_non_null(strstr(f->dte, "\r\n% Login invalid\r\n\r\nUsername: "));
	assert_int_equal(f->fail_calls, 0);
	in(f, "\r", 1);				/* empty username: asked again */
	in(f, bad, sizeof(bad) - 1);
	assert_int_equal(f->fail_calls, 0);
	assert_int_equal(in(f, "x\ry\rtrailing", 12), 4);
	assert_int_equal(f->checks, 3);
	assert_int_equal(f->fail_calls, 1);
	assert_int_equal(f->fail_why, AUTOSELECT_FAIL_AUTH);
	assert_int_equal(f->login_calls, 0);
	assert_false(autoselect_active(&f->as));
	destroy(f);
}

static void test_login_timeout(void **state)
{
	struct fake *f = make(&seed_cfg);

	(void)state;
	autoselect_start(&f->as);
	ev_loop_step(f->loop, 20 * EV_SEC);
	in(f, "bob\r", 4);			/* the Password prompt restarts the timer */
	ev_loop_step(f->loop, 49 * EV_SEC);
	assert_int_equal(f->fail_calls, 0);
	ev_loop_step(f->loop, 50 * EV_SEC);
	assert_int_equal(f->fail_calls, 1);
	assert_int_equal(f->fail_why, AUTOSELECT_FAIL_TIMEOUT);
	assert_non_null(strstr(f->dte, "% Password:  timeout expired!"));
	destroy(f);
}

static void test_without_during_login(void **state)
{
	struct autoselect_cfg cfg = { .ppp = true };
	struct fake *f = make(&cfg);

	(void)state;
	autoselect_start(&f->as);
	assert_int_equal(f->dte_len, 0);	/* nothing until Return */
	in(f, "abc", 3);
	assert_int_equal(f->dte_len, 0);
	in(f, "\r", 1);
	assert_string_equal(f->dte, "\r\n\r\nUser Access Verification\r\n\r\nUsername: ");
	destroy(f);

	f = make(&cfg);
	autoselect_start(&f->as);
	assert_int_equal(in(f, "\x7e\xff\x7d\x23", 4), 4);
	assert_int_equal(f->ppp_calls, 1);
	destroy(f);
}

static void test_ppp_off_and_pending_check(void **state)
{
	struct autoselect_cfg cfg = { .during_login = true, .ppp = false };
	struct fake *f = make(&cfg);

	(void)state;
	autoselect_start(&f->as);
	in(f, "\x7e\xff\x7d\x23", 4);
	assert_int_equal(f->ppp_calls, 0);	/* autoselect ppp is off */
	assert_int_equal(f->as.user_len, 3);	/* "~}#" typed, 0xFF ignored */
	destroy(f);

	f = make(&seed_cfg);
	f->check_rc = 1;
	autoselect_start(&f->as);
	in(f, "callmeback\rcisco\r", 17);
	assert_int_equal(f->as.state, AUTOSELECT_CHECKING);
	assert_int_equal(in(f, "zz", 2), 2);	/* typed while checking: dropped */
	autoselect_check_result(&f->as, true);
	assert_int_equal(f->login_calls, 1);
	autoselect_check_result(&f->as, false);	/* stale answer: ignored */
	assert_int_equal(f->fail_calls, 0);
	destroy(f);
}

/* --- the seed's first leg: incoming call, modem, autoselect ------------------------ */

struct leg {
	struct fake *f;
	struct modem m;
	char tx[256];
	size_t tx_len;
	int answered;
};

static void leg_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	struct leg *l = ctx;

	if (autoselect_active(&l->f->as))
		autoselect_input(&l->f->as, d, n);
}

static int leg_answer(void *ctx) { ((struct leg *)ctx)->answered++; return 0; }

static void leg_dsr(void *ctx, bool up)
{
	struct leg *l = ctx;

	if (up)
		autoselect_start(&l->f->as);
}

static void leg_tx(void *ctx, const uint8_t *d, size_t n)
{
	struct leg *l = ctx;

	assert_true(l->tx_len + n <= sizeof(l->tx));
	memcpy(l->tx + l->tx_len, d, n);
	l->tx_len += n;
}

static struct leg *the_leg;

/* autoselect's output goes back through the modem (DTE side -> B-channel) */
static void leg_as_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	(void)ctx;
	modem_dte_input(&the_leg->m, d, n);
}

static void test_seed_first_leg_through_modem(void **state)
{
	static const struct modem_ops mops = { .to_dte = leg_to_dte, .answer = leg_answer,
					       .dsr = leg_dsr, .line_tx = leg_tx };
	static const struct autoselect_ops aops = { .to_dte = leg_as_to_dte, .check = f_check,
						    .ppp = f_ppp, .login = f_login,
						    .fail = f_fail };
	static const char *const want[] = {
		"TTY4: DSR came up",
		"tty4: Modem: IDLE->READY",
		"TTY4: EXEC creation",
		"TTY4: Autoselect(2) sample 7E",
		"TTY4: Autoselect(2) sample 7EFF",
		"TTY4: Autoselect(2) sample 7EFF7D",
		"TTY4: Autoselect(2) sample 7EFF7D23",
		"TTY4 Autoselect cmd: ppp negotiate",
	};
	struct modem_cfg mcfg = { .answer_rings = 1, .train_time = 21 * EV_SEC };
	struct fake *f = make(&seed_cfg);
	struct leg *l = calloc(1, sizeof(*l));
	static const char prompt[] = "\r\n\r\nUser Access Verification\r\n\r\nUsername: ";

	(void)state;
	assert_non_null(l);
	the_leg = l;
	l->f = f;
	autoselect_init(&f->as, f->loop, 4, &seed_cfg, &aops, f);
	modem_init(&l->m, f->loop, 4, &mcfg, &mops, l);
	modem_set_dtr(&l->m, true);
	assert_int_equal(modem_incoming_call(&l->m), 0);
	ev_loop_step(f->loop, 1 * EV_SEC);		/* "Fast Ringing Off": answered */
	assert_int_equal(l->answered, 1);
	modem_call_connected(&l->m, 0);			/* ISDN CONNECT_ACK */
	ev_loop_step(f->loop, 22 * EV_SEC);		/* carrier trained, DSR */
	assert_true(modem_online(&l->m));
	assert_int_equal(l->tx_len, sizeof(prompt) - 1);
	assert_memory_equal(l->tx, prompt, sizeof(prompt) - 1);
	modem_line_input(&l->m, (const uint8_t *)"\x7e\xff", 2);
	modem_line_input(&l->m, (const uint8_t *)"\x7d\x23\xc0\x21", 4);
	assert_int_equal(f->ppp_calls, 1);
	assert_int_equal(f->ndbg, (int)(sizeof(want) / sizeof(want[0])));
	for (int i = 0; i < f->ndbg; i++)
		assert_string_equal(f->dbg[i], want[i]);
	modem_fini(&l->m);
	free(l);
	destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_ppp_split_reads),
		cmocka_unit_test(test_ppp_unescaped_control_and_double_flag),
		cmocka_unit_test(test_callback_leg_flag_only),
		cmocka_unit_test(test_human_login_success),
		cmocka_unit_test(test_tilde_typed_is_not_ppp),
		cmocka_unit_test(test_login_failure_three_times),
		cmocka_unit_test(test_login_timeout),
		cmocka_unit_test(test_without_during_login),
		cmocka_unit_test(test_ppp_off_and_pending_check),
		cmocka_unit_test(test_seed_first_leg_through_modem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_line_login.c - a line's configuration keywords at work, through whole calls
 * (tests/support/nas_harness): a terminal user's Username:/Password: against the local
 * user table by `login authentication LIST` (with the seed's AAA debug lines), `none`
 * lists, three failures hang up; `async mode dedicated` (PPP at once, no EXEC);
 * `modem busyout` lines take no calls; lines without `modem InOut` take none either;
 * and SIGTERM's nas_shutdown() hangs up a live session cleanly.
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

#define HEAD \
	"hostname isdn2-2\n" \
	"aaa new-model\n" \
	"aaa authentication login default none\n" \
	"aaa authentication login use-local local\n" \
	"aaa authentication login by-line line\n" \
	"aaa authentication ppp default local\n" \
	"aaa authorization network local\n" \
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n" \
	"username plain password 0 secret1\n" \
	"isdn switch-type primary-5ess\n" \
	"chat-script offhook \"\" \"ATH1\" OK\n" \
	"chat-script callback ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c\n" \
	"controller T1 0\n framing esf\n linecode b8zs\n pri-group timeslots 1-24\n" \
	"interface Ethernet0\n ip address 172.16.25.52 255.255.255.240\n" \
	"interface Serial0:23\n isdn incoming-voice modem\n" \
	"interface Group-Async1\n ip unnumbered Ethernet0\n encapsulation ppp\n" \
	" peer default ip address pool default\n ppp callback accept\n" \
	" ppp authentication chap\n group-range 1 4\n" \
	"ip local pool default 172.16.25.59 172.16.25.62\n"

static struct nh *make(const char *mode, const char *lines)
{
	char text[4096];
	struct nh *h;

	snprintf(text, sizeof(text), "%s async mode %s\n%send\n", HEAD, mode, lines);
	h = nh_new(text, NULL);
	assert_non_null(h);
	dbg_enable(DBG_MODEM, true);
	dbg_enable(DBG_AAA_AUTHENTICATION, true);
	return h;
}

struct want { struct nh_pc *pc; const char *s; };

static bool rx_has(struct nh *h, void *arg)
{
	struct want *w = arg;

	(void)h;
	return strstr(w->pc->rx, w->s) != NULL;
}

static void wait_rx(struct nh *h, struct nh_pc *pc, const char *s)
{
	struct want w = { pc, s };

	if (!nh_run_while_not(h, rx_has, &w, ev_now(h->loop) + 60 * EV_SEC)) {
		nh_log_dump(h, 0);
		fail_msg("'%s' never came; the line sent: '%s'", s, pc->rx);
	}
}

static bool tty_free(struct nh *h, void *arg)
{
	struct line *l = &h->nas->lines[(uintptr_t)arg - 1];

	return line_free(l);
}

static struct line *line_of_call(struct nh *h)
{
	for (unsigned i = 0; i < h->nas->nlines; i++)
		if (h->nas->lines[i].phase == LINE_LOGIN || h->nas->lines[i].phase == LINE_PPP)
			return &h->nas->lines[i];
	return NULL;
}

static void login(struct nh *h, struct nh_pc *pc, const char *user, const char *pass)
{
	wait_rx(h, pc, "Username: ");
	pc->rxlen = 0;
	pc->rx[0] = '\0';
	nh_type(pc, user);
	nh_type(pc, "\r");
	wait_rx(h, pc, "Password: ");
	pc->rxlen = 0;
	pc->rx[0] = '\0';
	nh_type(pc, pass);
	nh_type(pc, "\r");
	nh_run_for(h, 500 * EV_MSEC);
}

static void test_terminal_user_local_table(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " login authentication use-local\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5551000");
	struct line *l;

	(void)state;
	assert_int_equal(nh_dial_raw(h, pc), 0);
	wait_rx(h, pc, "User Access Verification");
	l = line_of_call(h);
	assert_non_null(l);
	assert_int_equal(l->phase, LINE_LOGIN);
	/* the seed's EXEC login with the line's list */
	assert_true(nh_log_find(h, 0, "EXEC creation") >= 0);
	assert_true(nh_log_find(h, 0, "list='use-local' action=LOGIN service=LOGIN") >= 0);
	assert_true(nh_log_find(h, 0, "found list use-local") >= 0);
	assert_true(nh_log_find(h, 0, "status = GETUSER") >= 0);
	/* a wrong password, then the right one (type 7 in the configuration) */
	login(h, pc, "callmeback", "wrong");
	assert_non_null(strstr(pc->rx, "% Login invalid"));
	assert_int_equal(l->phase, LINE_LOGIN);
	login(h, pc, "callmeback", "cisco");
	assert_non_null(strstr(pc->rx, "This access server offers PPP only"));
	assert_true(nh_run_while_not(h, tty_free, (void *)(uintptr_t)l->tty,
				     ev_now(h->loop) + 10 * EV_SEC));
	nh_free(h);
}

static void test_three_failures_hang_up(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " login authentication use-local\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5551000");
	struct line *l;

	(void)state;
	assert_int_equal(nh_dial_raw(h, pc), 0);
	wait_rx(h, pc, "Username: ");
	l = line_of_call(h);
	assert_non_null(l);
	login(h, pc, "nobody", "x");
	login(h, pc, "plain", "secret2");
	login(h, pc, "callmeback", "letmein");
	assert_true(nh_run_while_not(h, tty_free, (void *)(uintptr_t)l->tty,
				     ev_now(h->loop) + 10 * EV_SEC));
	assert_true(nh_log_find(h, 0, "login failed") >= 0);
	assert_int_equal(pc->chan, -1);			/* the call is gone */
	nh_free(h);
}

/* `login authentication` missing: the default list, which says none: anyone. */
static void test_default_list_none(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5551000");

	(void)state;
	assert_int_equal(nh_dial_raw(h, pc), 0);
	login(h, pc, "whoever", "whatever");
	assert_non_null(strstr(pc->rx, "This access server offers PPP only"));
	assert_null(strstr(pc->rx, "% Login invalid"));
	assert_true(nh_log_find(h, 0, "list='' action=LOGIN") >= 0);
	nh_free(h);
}

/* `login authentication by-line` (method line): the line's own password. */
static void test_line_password_list(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " login authentication by-line\n password 0 linepw\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5551000");

	(void)state;
	assert_int_equal(nh_dial_raw(h, pc), 0);
	login(h, pc, "plain", "secret1");		/* the user table does not count */
	assert_non_null(strstr(pc->rx, "% Login invalid"));
	login(h, pc, "anyone", "linepw");
	assert_non_null(strstr(pc->rx, "This access server offers PPP only"));
	nh_free(h);
}

/* The seed's first leg: EXEC creation, the login's AAA request with the line's list,
 * autoselect finds PPP, the request is aborted "because Autoselected.", EXEC again. */
static void test_seed_login_sequence(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " login authentication use-local\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5279651");
	static const char *const seq[] = {
		"TTY1: DSR came up", "TTY1: EXEC creation", "AAA/AUTHEN: create_user (0x",
		"port='tty1' list='use-local' action=LOGIN service=LOGIN", "found list use-local",
		"): Method=LOCAL", "): status = GETUSER", "TTY1: Autoselect(2) sample 7E",
		"TTY1 Autoselect cmd: ppp negotiate", ") because Autoselected.",
		"AAA/AUTHEN: free_user (0x", "TTY1: EXEC creation",
		"As1 PPP: Treating connection as a dedicated line",
	};
	int at = 0;

	(void)state;
	dbg_enable(DBG_PPP_NEGOTIATION, true);
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	nh_run_for(h, 20 * EV_SEC);
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		at = nh_log_find(h, (unsigned)at, seq[i]);
		if (at < 0) {
			nh_log_dump(h, 0);
			fail_msg("'%s' missing or out of order", seq[i]);
		}
		at++;
	}
	nh_free(h);
}

/* `async mode dedicated`: no EXEC, no autoselect; PPP at once. */
static void test_async_mode_dedicated(void **state)
{
	struct nh *h = make("dedicated", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				   " login authentication use-local\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5279651");
	bool ppp_seen = false;

	(void)state;
	dbg_enable(DBG_PPP_NEGOTIATION, true);
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	for (unsigned k = 0; k < 6000 && !ppp_seen; k++) {
		nh_run_for(h, 10 * EV_MSEC);
		ppp_seen = line_of_call(h) && line_of_call(h)->phase == LINE_PPP;
	}
	assert_true(ppp_seen);
	assert_int_equal(nh_log_find(h, 0, "EXEC creation"), -1);
	assert_int_equal(nh_log_find(h, 0, "Autoselect"), -1);
	assert_true(nh_log_find(h, 0, "Treating connection as a dedicated line") >= 0);
	nh_free(h);
}

/* `modem busyout` and lines without `modem InOut` take no calls: the call lands on
 * the one line that may take it. */
static void test_busyout_takes_no_calls(void **state)
{
	struct nh *h = make("interactive",
			    "line 1 2\n modem InOut\n modem busyout\n"
			    "line 3 3\n autoselect ppp\n"
			    "line 4 4\n autoselect during-login\n autoselect ppp\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5551000");
	struct line *l;
	char *o;

	(void)state;
	assert_int_equal(h->nas->lines[0].phase, LINE_BUSYOUT);
	assert_int_equal(h->nas->lines[1].phase, LINE_BUSYOUT);
	assert_int_equal(h->nas->lines[2].phase, LINE_UNUSED);
	assert_int_equal(nh_dial_raw(h, pc), 0);
	wait_rx(h, pc, "Username: ");
	l = line_of_call(h);
	assert_non_null(l);
	assert_int_equal(l->tty, 4);
	assert_int_equal(h->nas->lines[0].modem.calls_in, 0);
	assert_int_equal(h->nas->lines[1].modem.calls_in, 0);
	o = nh_cmd(h, "show line", NULL);
	assert_non_null(strstr(o, "     1 TTY 115200/115200 - busy "));
	assert_non_null(strstr(o, "*    4 TTY 115200/115200 A inout "));
	free(o);
	nh_free(h);
}

/* `exec-timeout 0 20`: a silent caller in login state goes after 20 s (before the
 * login prompt's own 30 s); show caller timeouts shows the limit and what is left. */
static void test_exec_timeout(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " login authentication use-local\n modem InOut\n exec-timeout 0 20\n");
	struct nh_pc *pc = nh_add_pc(h, "5551000");
	struct line *l;
	ev_time_t t0;
	char *o;

	(void)state;
	assert_int_equal(nh_dial_raw(h, pc), 0);
	wait_rx(h, pc, "Username: ");
	l = line_of_call(h);
	assert_non_null(l);
	t0 = ev_now(h->loop);
	nh_run_for(h, 5 * EV_SEC);
	o = nh_cmd(h, "show caller timeouts", NULL);
	if (!strstr(o, "  tty 1          -             -           00:00:20    00:00:15\n"))
		fail_msg("show caller timeouts:\n%s", o);
	free(o);
	nh_type(pc, "x");				/* input restarts the wait */
	nh_run_for(h, 18 * EV_SEC);
	assert_int_equal(l->phase, LINE_LOGIN);
	assert_true(nh_run_while_not(h, tty_free, (void *)(uintptr_t)l->tty, t0 + 60 * EV_SEC));
	assert_true(ev_now(h->loop) - t0 < 30 * EV_SEC);
	assert_true(nh_log_find(h, 0, "TTY1: exec-timeout expired") >= 0);
	assert_null(strstr(pc->rx, "timeout expired!"));	/* not the prompt's timeout */
	nh_free(h);
}

static bool pc_online(struct nh *h, void *arg)
{
	(void)h;
	return sub_pc_state(&((struct nh_pc *)arg)->pc) == SUB_PC_ONLINE;
}

/* SIGTERM: every live call is hung up, the lines are free, the client sees it go. */
static void test_shutdown_hangs_up(void **state)
{
	struct nh *h = make("interactive", "line 1 4\n autoselect during-login\n autoselect ppp\n"
				     " login authentication use-local\n modem InOut\n");
	struct nh_pc *pc = nh_add_pc(h, "5279651");
	struct line *l;

	(void)state;
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	assert_true(nh_run_while_not(h, pc_online, pc, 200 * EV_SEC));
	l = line_of_call(h);
	assert_non_null(l);
	assert_int_equal(l->phase, LINE_PPP);
	nas_shutdown(h->nas);
	nh_run_for(h, 5 * EV_SEC);
	assert_true(line_free(l));
	assert_false(l->ppp_running);
	assert_int_equal(l->chan, -1);
	assert_int_equal(pc->chan, -1);			/* the network cleared the call */
	assert_true(sub_pc_state(&pc->pc) != SUB_PC_ONLINE);
	assert_true(nh_log_find(h, 0, "cleared (shutting down)") >= 0);
	nh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terminal_user_local_table),
		cmocka_unit_test(test_three_failures_hang_up),
		cmocka_unit_test(test_default_list_none),
		cmocka_unit_test(test_line_password_list),
		cmocka_unit_test(test_seed_login_sequence),
		cmocka_unit_test(test_async_mode_dedicated),
		cmocka_unit_test(test_busyout_takes_no_calls),
		cmocka_unit_test(test_shutdown_hangs_up),
		cmocka_unit_test(test_exec_timeout),
	};
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_line_cli.c - the operator's line commands laid out like IOS's (host/line_cli.c)
 * and `show running-config` (host/config_write.c): the seed's configuration written
 * back parses to the same configuration; secrets shown as IOS shows them; show users,
 * show line, show caller [line N] [timeouts], show dialer with a live callback session
 * (tests/support/nas_harness) and while a callback waits.
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

#include "config.h"
#include "line.h"
#include "log.h"
#include "nas.h"
#include "nas_harness.h"

static char *write_cfg(const struct nas_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(config_write(cfg, f), 0);
	fclose(f);
	return buf;
}

/* The configuration text after the "Current configuration" header. */
static const char *body_of(const char *text)
{
	const char *b = strstr(text, "bytes\n");

	assert_non_null(b);
	return b + 6;
}

static struct nas_config *reparse(const char *text)
{
	struct nas_config *cfg = NULL;
	const char *b = body_of(text);

	if (config_parse(b, strlen(b), "running-config", &cfg, stderr) != 0)
		fail_msg("running-config does not parse:\n%s", text);
	return cfg;
}

static void assert_same(const struct nas_config *a, const struct nas_config *b)
{
	assert_string_equal(a->hostname, b->hostname);
	assert_string_equal(a->version, b->version);
	assert_int_equal(a->password_encryption, b->password_encryption);
	assert_string_equal(a->enable_secret, b->enable_secret);
	assert_int_equal(a->nusers, b->nusers);
	for (unsigned i = 0; i < a->nusers; i++) {
		assert_string_equal(a->users[i].name, b->users[i].name);
		assert_string_equal(a->users[i].password, b->users[i].password);
		assert_int_equal(a->users[i].has_callback, b->users[i].has_callback);
		assert_string_equal(a->users[i].callback_dialstring, b->users[i].callback_dialstring);
	}
	assert_int_equal(a->nchat, b->nchat);
	for (unsigned i = 0; i < a->nchat; i++)
		assert_string_equal(a->chat[i].text, b->chat[i].text);
	assert_int_equal(a->router_eigrp, b->router_eigrp);
	assert_int_equal(a->eigrp_as, b->eigrp_as);
	assert_int_equal(a->nrouter_cmds, b->nrouter_cmds);
	for (unsigned i = 0; i < a->nrouter_cmds; i++)
		assert_string_equal(a->router_cmds[i], b->router_cmds[i]);
	assert_int_equal(a->nt1, b->nt1);
	for (unsigned i = 0; i < a->nt1; i++) {
		assert_int_equal(a->t1[i].pri_timeslots, b->t1[i].pri_timeslots);
		assert_int_equal(a->t1[i].clock, b->t1[i].clock);
		assert_int_equal(a->t1[i].shutdown, b->t1[i].shutdown);
	}
	assert_int_equal(a->nifs, b->nifs);		/* group-range clones come back too */
	for (unsigned i = 0; i < a->nifs; i++) {
		const struct cfg_interface *x = &a->ifs[i], *y = &b->ifs[i];

		assert_string_equal(x->name, y->name);
		assert_int_equal(x->ip, y->ip);
		assert_string_equal(x->unnumbered, y->unnumbered);
		assert_string_equal(x->peer_pool, y->peer_pool);
		assert_int_equal(x->vj, y->vj);
		assert_int_equal(x->callback_accept, y->callback_accept);
		assert_int_equal(x->nauth, y->nauth);
		assert_int_equal(x->max_bad_auth, y->max_bad_auth);
		assert_int_equal(x->cdp, y->cdp);
		assert_int_equal(x->async_interactive, y->async_interactive);
		assert_int_equal(x->group_first, y->group_first);
		assert_int_equal(x->group_last, y->group_last);
		assert_int_equal(x->has_redial, y->has_redial);
		assert_int_equal(x->redial_attempts, y->redial_attempts);
		assert_int_equal(x->isdn_voice_modem, y->isdn_voice_modem);
	}
	assert_int_equal(a->nlines, b->nlines);
	for (unsigned i = 0; i < a->nlines; i++) {
		const struct cfg_line *x = &a->lines[i], *y = &b->lines[i];

		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->first, y->first);
		assert_int_equal(x->last, y->last);
		assert_int_equal(x->modem_inout, y->modem_inout);
		assert_int_equal(x->modem_busyout, y->modem_busyout);
		assert_int_equal(x->autoselect_during_login, y->autoselect_during_login);
		assert_int_equal(x->autoselect_ppp, y->autoselect_ppp);
		assert_string_equal(x->script_offhook, y->script_offhook);
		assert_string_equal(x->script_callback, y->script_callback);
		assert_string_equal(x->login_auth, y->login_auth);
		assert_string_equal(x->transport_input, y->transport_input);
		assert_string_equal(x->password, y->password);
		assert_int_equal(x->has_exec_timeout, y->has_exec_timeout);
		assert_int_equal(x->has_forced_wait, y->has_forced_wait);
		assert_int_equal(x->callback_forced_wait, y->callback_forced_wait);
	}
	assert_int_equal(a->npools, b->npools);
	for (unsigned i = 0; i < a->npools; i++) {
		assert_int_equal(a->pools[i].ranges[0].lo, b->pools[i].ranges[0].lo);
		assert_int_equal(a->pools[i].ranges[0].hi, b->pools[i].ranges[0].hi);
	}
	assert_int_equal(a->tz_offset_min, b->tz_offset_min);
	assert_int_equal(a->default_gateway, b->default_gateway);
	assert_int_equal(a->aaa.nlists, b->aaa.nlists);
	assert_int_equal(a->aaa.author_nmethods, b->aaa.author_nmethods);
}

static void test_running_config_round_trip(void **state)
{
	struct nas_config *cfg = NULL, *again;
	FILE *diag = fopen("/dev/null", "w");
	char *text, *text2;
	size_t claimed;

	(void)state;
	assert_int_equal(config_load_file("examples/seed.cfg", &cfg, diag), 0);
	fclose(diag);
	text = write_cfg(cfg);
	/* IOS's header, and the size it announces is the body's */
	assert_int_equal(sscanf(text, "Building configuration...\n\nCurrent configuration : %zu bytes",
				&claimed), 1);
	assert_int_equal(claimed, strlen(body_of(text)));
	/* the seed's secrets, as the seed shows them (service password-encryption) */
	assert_non_null(strstr(text, "\nusername callmeback callback-dialstring \"\" password 7 02050D480809\n"));
	assert_non_null(strstr(text, "\nenable secret 5 $1$dBk7$5g1vfvZAp46Ikklz02ZOg0\n"));
	assert_non_null(strstr(text, "\nline vty 0 4\n password 7 0822455D0A16\n"));
	assert_non_null(strstr(text, "\nchat-script callback ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c\n"));
	assert_non_null(strstr(text, "\ninterface Group-Async1\n ip unnumbered Ethernet0\n ip tcp header-compression passive\n encapsulation ppp\n peer default ip address pool default\n async mode interactive\n no cdp enable\n ppp max-bad-auth 3\n ppp callback accept\n ppp authentication chap\n group-range 1 12\n!\n"));
	assert_non_null(strstr(text, "\ncontroller T1 0\n framing esf\n clock source line secondary\n linecode b8zs\n pri-group timeslots 1-24\n!\n"));
	assert_non_null(strstr(text, "\nline 7 12\n autoselect during-login\n autoselect ppp\n login authentication use-local\n modem InOut\n modem busyout\n transport input all\n"));
	assert_non_null(strstr(text, "\nline aux 0\n exec-timeout 0 0\n"));
	assert_non_null(strstr(text, "\nclock timezone PST -8\n"));
	assert_non_null(strstr(text, "\nip local pool default 172.16.25.59 172.16.25.62\n"));
	assert_non_null(strstr(text, "\nrouter eigrp 202\n network 172.16.0.0\n distance 90 172.16.25.49 0.0.0.0\n no auto-summary\n!\n"));
	assert_null(strstr(text, "interface Async4"));	/* clones are not written */
	assert_non_null(strstr(text, "\nend\n"));
	again = reparse(text);
	assert_same(cfg, again);
	text2 = write_cfg(again);
	assert_string_equal(text, text2);		/* a fixed point */
	free(text);
	free(text2);
	config_free(again);
	config_free(cfg);
}

static void test_running_config_secrets(void **state)
{
	static const char plain[] =
		"hostname r\n"
		"username alice password 0 wonder\n"
		"username bob password 7 02050D480809\n"
		"username carol password land\n"
		"interface Group-Async1\n dialer redial interval 7 attempts 2 re-enable 30\n group-range 1 2\n"
		"line 1 2\n modem InOut\n callback forced-wait 4\n exec-timeout 5 30\n password 0 linepw\n";
	struct nas_config *cfg = NULL, *again;
	char *text;

	(void)state;
	assert_int_equal(config_parse(plain, sizeof(plain) - 1, "t", &cfg, stderr), 0);
	text = write_cfg(cfg);
	/* without service password-encryption: as configured */
	assert_non_null(strstr(text, "\nno service password-encryption\n"));
	assert_non_null(strstr(text, "\nusername alice password 0 wonder\n"));
	assert_non_null(strstr(text, "\nusername bob password 7 02050D480809\n"));
	assert_non_null(strstr(text, "\nusername carol password 0 land\n"));
	assert_non_null(strstr(text, " dialer redial interval 7 attempts 2 re-enable 30\n"));
	assert_non_null(strstr(text, "\nline 1 2\n exec-timeout 5 30\n password 0 linepw\n callback forced-wait 4\n modem InOut\n"));
	again = reparse(text);
	assert_int_equal(again->warnings, 0);		/* nothing written is unknown */
	assert_same(cfg, again);
	config_free(again);
	free(text);
	/* with it: every password type 7, and they decode back */
	cfg->password_encryption = true;
	text = write_cfg(cfg);
	assert_null(strstr(text, "password 0"));
	assert_null(strstr(text, "wonder"));
	assert_non_null(strstr(text, "\nusername alice password 7 "));
	again = reparse(text);
	assert_string_equal(again->users[0].password, "wonder");
	assert_string_equal(again->lines[0].password, "linepw");
	assert_int_equal(again->ifs[0].redial_interval, 7);
	assert_int_equal(again->lines[0].callback_forced_wait, 4);
	config_free(again);
	free(text);
	config_free(cfg);
}

static void test_bad_line_keywords_and_scripts(void **state)
{
	static const char *const bad[] = {
		"interface Group-Async1\n dialer redial interval 0 attempts 2\n",
		"interface Group-Async1\n dialer redial interval 5\n",
		"interface Group-Async1\n dialer redial interval 5 attempts x\n",
		"interface Group-Async1\n dialer redial interval 5 attempts 2 re-enable\n",
		"line 1 2\n callback forced-wait\n",
		"line 1 2\n callback forced-wait 99999\n",
		"line 1 2\n callback sometimes\n",
		"hostname r\nchat-script dial \"\" ATZ OK \\z\n",
		"hostname r\nchat-script dial TIMEOUT abc\n",
	};
	static const unsigned lineno[] = { 2, 2, 2, 2, 2, 2, 2, 2, 2 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nas_config *cfg = NULL;
		char *diag = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&diag, &len);
		char want[32];

		assert_int_equal(config_parse(bad[i], strlen(bad[i]), "bad.cfg", &cfg, f), -1);
		fclose(f);
		assert_null(cfg);
		snprintf(want, sizeof(want), "bad.cfg:%u:", lineno[i]);
		if (!strstr(diag, want) || !strstr(diag, "error"))
			fail_msg("no line-numbered error for case %zu: %s", i, diag);
		/* a chat script's error points at its column in the line */
		if (i == 7 && !strstr(diag, "bad.cfg:2:28: error: chat-script dial: unknown escape"))
			fail_msg("chat-script column: %s", diag);
		if (i == 8 && !strstr(diag, "bad.cfg:2:26: error: chat-script dial: TIMEOUT"))
			fail_msg("chat-script column: %s", diag);
		free(diag);
	}
}

/* --- with calls ----------------------------------------------------------------------------- */

static const char live_cfg[] =
	"hostname isdn2-2\n"
	"aaa new-model\n"
	"aaa authentication login use-local local\n"
	"aaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n"
	"isdn switch-type primary-5ess\n"
	"chat-script offhook \"\" \"ATH1\" OK\n"
	"chat-script callback ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c\n"
	"controller T1 0\n framing esf\n linecode b8zs\n pri-group timeslots 1-24\n"
	"interface Ethernet0\n ip address 172.16.25.52 255.255.255.240\n"
	"interface Serial0:23\n isdn incoming-voice modem\n"
	"interface Group-Async1\n ip unnumbered Ethernet0\n encapsulation ppp\n"
	" async mode interactive\n peer default ip address pool default\n ppp callback accept\n"
	" ppp authentication chap\n dialer redial interval 5 attempts 1\n group-range 1 2\n"
	"ip local pool default 172.16.25.59 172.16.25.62\n"
	"line 1 2\n autoselect during-login\n autoselect ppp\n script modem-off-hook offhook\n"
	" script callback callback\n login authentication use-local\n modem InOut\n"
	" exec-timeout 0 0\n transport input all\n"
	"end\n";

static bool pc_online(struct nh *h, void *arg)
{
	(void)h;
	return sub_pc_state(&((struct nh_pc *)arg)->pc) == SUB_PC_ONLINE;
}

static bool waiting(struct nh *h, void *arg)
{
	(void)arg;
	return h->nas->lines[0].phase == LINE_CB_WAIT && !h->nas->lines[0].cb_hangup_pending;
}

static void assert_has(char *o, const char *s)
{
	if (!strstr(o, s))
		fail_msg("'%s' not in:\n%s", s, o);
}

static void test_show_commands_live(void **state)
{
	struct nh *h = nh_new(live_cfg, NULL);
	struct nh_pc *pc;
	char *o;
	int rc;

	(void)state;
	assert_non_null(h);
	pc = nh_add_pc(h, "5279651");
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	assert_true(nh_run_while_not(h, waiting, NULL, 120 * EV_SEC));

	/* waiting to call back */
	o = nh_cmd(h, "show dialer", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "Async1 - dialer type = IN-BAND ASYNC NO-PARITY\n"
		      "Redial interval (5 secs), attempts 1\n"
		      "Wait for carrier (30 secs), Re-enable (15 secs)\n"
		      "Dialer state is waiting to call back\n"
		      "Dial reason: Callback return call\n"
		      "Callback to 527-9651 (callmeback), attempt 1\n");
	assert_has(o, "\nAsync2 - dialer type = IN-BAND ASYNC NO-PARITY\n");
	free(o);
	o = nh_cmd(h, "show line", &rc);
	assert_has(o, "*    1 TTY 115200/115200 A inout ");
	assert_has(o, "callback-wait");
	assert_has(o, "     2 TTY 115200/115200 A inout ");
	free(o);

	assert_true(nh_run_while_not(h, pc_online, pc, ev_now(h->loop) + 200 * EV_SEC));
	nh_run_for(h, 3 * EV_SEC);

	o = nh_cmd(h, "show users", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "    Line       User       Host(s)              Idle       Location\n"
		      "*  0 con 0                idle                 00:00:00\n"
		      "    1 tty 1     callmeback Async interface      00:00:0");
	assert_has(o, "async/5279651\n");	/* the seed: rem_addr='async/5279651' */
	assert_has(o, "  Interface  User        Mode                     Idle     Peer Address\n"
		      "  As1        callmeback  Async PPP                00:00:0");
	assert_has(o, " 172.16.25.59\n");
	free(o);

	o = nh_cmd(h, "show caller", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "  Line           User               Service    Time      Time\n"
		      "  con 0          -                  TTY        00:00:00  00:00:00\n"
		      "  tty 1          callmeback         TTY        00:00:");
	assert_has(o, "\n  As1            callmeback         PPP        00:00:");
	free(o);

	o = nh_cmd(h, "show caller line 1", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "  User: callmeback, line tty 1, service Async\n        Active time 00:00:");
	assert_has(o, "      Limits:          -         -         -\n");	/* exec-timeout 0 0 */
	assert_has(o, "  TTY: Line 1, running PPP on As1\n");
	assert_has(o, "  User: callmeback, line As1, service PPP\n");
	assert_has(o, "  IP: Local 172.16.25.52, remote 172.16.25.59\n");
	free(o);

	o = nh_cmd(h, "show caller timeouts", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "  Line           User          Timeout     Timeout     User in\n"
		      "  con 0          -             -           -           -\n"
		      "  tty 1          callmeback    -           -           -\n"
		      "  As1            callmeback    -           -           -\n");
	free(o);
	o = nh_cmd(h, "sh cal li 1 timers", &rc);		/* abbreviations, both options */
	assert_int_equal(rc, 0);
	assert_has(o, "  tty 1          callmeback    -           -           -\n");
	assert_null(strstr(o, "con 0"));
	free(o);
	o = nh_cmd(h, "show caller line 2", &rc);
	assert_has(o, "Line 2 is not in use");
	free(o);
	o = nh_cmd(h, "show caller line 99", &rc);
	assert_int_equal(rc, -1);
	assert_has(o, "% Invalid line number");
	free(o);
	o = nh_cmd(h, "show caller bogus", &rc);
	assert_int_equal(rc, -1);
	free(o);

	o = nh_cmd(h, "show dialer", &rc);
	assert_has(o, "Async1 - dialer type = IN-BAND ASYNC NO-PARITY\n");
	assert_has(o, "Dialer state is data link layer up\n");
	assert_has(o, "Connected to 5279651 (callmeback)\n");
	assert_has(o, "Dial String      Successes   Failures    Last called   Last status\n"
		      " 527-9651                 1          0    00:00:");
	assert_has(o, "success\n");
	free(o);

	o = nh_cmd(h, "show running-config", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "Building configuration...\n\nCurrent configuration : ");
	assert_has(o, "\nhostname isdn2-2\n");
	free(o);

	/* clear line: the session goes, the line is free */
	o = nh_cmd(h, "clear line 1", &rc);
	assert_int_equal(rc, 0);
	assert_has(o, "[OK]");
	free(o);
	nh_run_for(h, 2 * EV_SEC);
	assert_true(line_free(&h->nas->lines[0]));
	o = nh_cmd(h, "show users", &rc);
	assert_null(strstr(o, "callmeback"));
	free(o);
	nh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running_config_round_trip),
		cmocka_unit_test(test_running_config_secrets),
		cmocka_unit_test(test_bad_line_keywords_and_scripts),
		cmocka_unit_test(test_show_commands_live),
	};
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

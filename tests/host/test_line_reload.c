/*
 * test_line_reload.c - SIGHUP's reload (host/nas_reload.c) with a live session: the
 * new users, pools, scripts and line settings take effect, the session stays up with
 * its address and what it negotiated, and a configuration that does not load is
 * rejected with line-numbered errors while the old one stays in force.
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
#include <unistd.h>
#include <cmocka.h>

#include "aaa.h"
#include "config.h"
#include "line.h"
#include "log.h"
#include "nas.h"
#include "nas_harness.h"

#define BASE \
	"hostname isdn2-2\n" \
	"aaa new-model\n" \
	"aaa authentication login use-local local\n" \
	"aaa authentication ppp default local\n" \
	"aaa authorization network local\n" \
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n" \
	"isdn switch-type primary-5ess\n" \
	"chat-script offhook \"\" \"ATH1\" OK\n" \
	"controller T1 0\n framing esf\n linecode b8zs\n pri-group timeslots 1-24\n" \
	"interface Ethernet0\n ip address 172.16.25.52 255.255.255.240\n" \
	"interface Serial0:23\n isdn incoming-voice modem\n" \
	"interface Group-Async1\n ip unnumbered Ethernet0\n encapsulation ppp\n" \
	" async mode interactive\n peer default ip address pool default\n ppp callback accept\n" \
	" ppp authentication chap\n group-range 1 3\n"

static const char cfg_old[] = BASE
	"chat-script callback ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c\n"
	"ip local pool default 172.16.25.59 172.16.25.62\n"
	"line 1 3\n autoselect during-login\n autoselect ppp\n script modem-off-hook offhook\n"
	" script callback callback\n login authentication use-local\n modem InOut\n"
	"end\n";

/* new user, bigger pool (still holding the session's address), new callback script,
 * line 2 busied out, line 3 without a modem */
static const char cfg_new[] = BASE
	"username newbie password 0 fresh\n"
	"chat-script callback ABORT ERROR ABORT BUSY ABORT \"NO CARRIER\" \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 45 CONNECT \\c\n"
	"ip local pool default 172.16.25.50 172.16.25.62\n"
	"ip local pool spare 10.0.0.1 10.0.0.9\n"
	"line 1 1\n autoselect during-login\n autoselect ppp\n script modem-off-hook offhook\n"
	" script callback callback\n login authentication use-local\n modem InOut\n"
	" callback forced-wait 3\n"
	"line 2 2\n modem InOut\n modem busyout\n"
	"line 3 3\n autoselect ppp\n"
	"end\n";

static bool pc_online(struct nh *h, void *arg)
{
	(void)h;
	return sub_pc_state(&((struct nh_pc *)arg)->pc) == SUB_PC_ONLINE;
}

static char *tmpfile_with(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/dialback-reload-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void assert_has(char *o, const char *s)
{
	if (!strstr(o, s))
		fail_msg("'%s' not in:\n%s", s, o);
}

static void test_reload_keeps_live_session(void **state)
{
	struct nh *h = nh_new(cfg_old, NULL);
	struct nh_pc *pc;
	struct line *l;
	uint32_t addr;
	char *o, *path;
	int rc;

	(void)state;
	assert_non_null(h);
	pc = nh_add_pc(h, "5279651");
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	assert_true(nh_run_while_not(h, pc_online, pc, 200 * EV_SEC));
	l = &h->nas->lines[0];
	assert_int_equal(l->phase, LINE_PPP);
	addr = l->peer_addr;
	assert_int_equal(addr, 0xAC10193B);		/* 172.16.25.59 */
	assert_null(aaa_user_secret(&h->nas->aaa, "newbie"));

	path = tmpfile_with(cfg_new);
	assert_int_equal(nas_reload_file(h->nas, path), 0);
	unlink(path);

	/* the session is untouched */
	assert_int_equal(l->phase, LINE_PPP);
	assert_true(l->ppp_running);
	assert_int_equal(l->peer_addr, addr);
	assert_true(l->cfg_pending);			/* its new line settings wait */
	nh_run_for(h, 30 * EV_SEC);			/* keepalives, nothing renegotiated */
	assert_int_equal(sub_pc_state(&pc->pc), SUB_PC_ONLINE);
	assert_int_equal(l->phase, LINE_PPP);
	assert_int_equal(l->peer_addr, addr);
	assert_int_equal(nh_log_find(h, 0, "As1 LCP: State is Closed"), -1);

	/* the new configuration is in force */
	assert_non_null(aaa_user_secret(&h->nas->aaa, "newbie"));
	assert_string_equal(aaa_user_secret(&h->nas->aaa, "newbie"), "fresh");
	assert_int_equal(h->nas->lines[1].phase, LINE_BUSYOUT);
	assert_int_equal(h->nas->lines[2].phase, LINE_UNUSED);
	assert_true(h->nas->lines[1].modem.cfg.busyout);
	o = nh_cmd(h, "show ip local pool", &rc);
	/* the session's address is reserved in the new pool of the same name */
	assert_has(o, " default                  172.16.25.50    172.16.25.62       12       1\n");
	assert_has(o, " spare                    10.0.0.1        10.0.0.9            9       0\n");
	free(o);
	o = nh_cmd(h, "show running-config", &rc);
	assert_has(o, "\nusername newbie password 0 fresh\n");
	assert_has(o, "TIMEOUT 45");
	free(o);

	/* the session ends: its address goes back to the new pool, the line takes its
	 * new settings */
	o = nh_cmd(h, "clear line 1", &rc);
	free(o);
	nh_run_for(h, 2 * EV_SEC);
	assert_false(h->nas->lines[0].cfg_pending);
	assert_true(h->nas->lines[0].cfg->has_forced_wait);
	assert_int_equal(h->nas->lines[0].phase, LINE_IDLE);
	o = nh_cmd(h, "show ip local pool", &rc);
	assert_has(o, " default                  172.16.25.50    172.16.25.62       13       0\n");
	free(o);
	assert_null(h->nas->retired);			/* nothing uses the old one now */
	nh_free(h);
}

static void test_reload_rejects_broken_config(void **state)
{
	static const char broken[] = BASE
		"ip local pool default 172.16.25.59 172.16.25.62\n"
		"line 1 3\n modem InOut\n exec-timeout ten\n"
		"interface Group-Async1\n dialer redial interval 5 attempts 0\n"
		"end\n";
	struct nh *h = nh_new(cfg_old, NULL);
	const struct nas_config *before;
	unsigned from;
	char *path;
	int at;

	(void)state;
	assert_non_null(h);
	before = h->nas->cfg;
	from = h->log.n;
	path = tmpfile_with(broken);
	assert_int_equal(nas_reload_file(h->nas, path), -EINVAL);
	/* both errors, each with its line and column */
	at = nh_log_find(h, from, ":28:");
	if (at < 0)
		nh_log_dump(h, from);
	assert_true(at >= 0);
	assert_non_null(strstr(h->log.line[at], "error"));
	assert_true(nh_log_find(h, from, ":30:") >= 0);
	assert_true(nh_log_find(h, from, "keeping the running configuration") >= 0);
	assert_ptr_equal(h->nas->cfg, before);
	assert_null(h->nas->retired);
	/* a missing file too */
	unlink(path);
	assert_int_equal(nas_reload_file(h->nas, path), -EINVAL);
	assert_ptr_equal(h->nas->cfg, before);
	assert_int_equal(h->nas->lines[1].phase, LINE_IDLE);
	nh_free(h);
}

/* Reload twice while the session lives: generations chain, and all go at the end. */
static void test_reload_twice_live(void **state)
{
	struct nh *h = nh_new(cfg_old, NULL);
	struct nh_pc *pc;
	char *path;

	(void)state;
	assert_non_null(h);
	pc = nh_add_pc(h, "5279651");
	assert_int_equal(sub_pc_start(&pc->pc), 0);
	assert_true(nh_run_while_not(h, pc_online, pc, 200 * EV_SEC));
	path = tmpfile_with(cfg_new);
	assert_int_equal(nas_reload_file(h->nas, path), 0);
	unlink(path);
	path = tmpfile_with(cfg_old);			/* the pool shrinks back: 59-62 */
	assert_int_equal(nas_reload_file(h->nas, path), 0);
	unlink(path);
	assert_non_null(h->nas->retired);
	nh_run_for(h, 10 * EV_SEC);
	assert_int_equal(sub_pc_state(&pc->pc), SUB_PC_ONLINE);
	assert_int_equal(h->nas->lines[0].peer_addr, 0xAC10193B);
	nh_free(h);					/* ASan: nothing leaks, nothing dangles */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_keeps_live_session),
		cmocka_unit_test(test_reload_rejects_broken_config),
		cmocka_unit_test(test_reload_twice_live),
	};
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_config.c - the IOS config parser: the seed's configuration loads with every
 * value in place, type-7 vectors, warnings and errors with line and column
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

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const char *seed_path(void)
{
	const char *p = getenv("SEED_CFG");
	return p ? p : "examples/seed.cfg";
}

/* Parse text, capturing diagnostics into buf. */
static int parse(const char *text, struct nas_config **cfg, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	int rc;

	assert_non_null(f);
	rc = config_parse(text, strlen(text), "t.cfg", cfg, f);
	fclose(f);
	return rc;
}

static void test_seed_loads(void **state)
{
	struct nas_config *c = NULL;
	char diag[8192] = "";
	FILE *f = fmemopen(diag, sizeof(diag) - 1, "w");
	const struct cfg_interface *e0, *ga, *as4, *se;
	const struct cfg_user *u;
	const struct cfg_line *l;

	(void)state;
	assert_int_equal(config_load_file(seed_path(), &c, f), 0);
	fclose(f);
	assert_non_null(c);
	assert_int_equal(c->errors, 0);
	assert_null(strstr(diag, "error"));
	assert_string_equal(c->version, "11.3");
	assert_string_equal(c->hostname, "isdn2-2");
	assert_true(c->ts_debug_datetime && c->ts_debug_msec);
	assert_true(c->password_encryption);
	assert_true(c->aaa.new_model);
	assert_true(c->aaa.author_network);
	assert_int_equal(c->aaa.nlists, 3);
	assert_string_equal(c->aaa.lists[1].name, "use-local");
	assert_int_equal(c->aaa.lists[1].methods[0], AAA_M_LOCAL);
	assert_true(c->aaa.lists[2].ppp);
	assert_int_equal(strncmp(c->enable_secret, "$1$", 3), 0);
	u = config_find_user(c, "callmeback");
	assert_non_null(u);
	assert_string_equal(u->password, "cisco");
	assert_true(u->has_callback);
	assert_string_equal(u->callback_dialstring, "");
	assert_string_equal(c->domain_name, "cisco.com");
	assert_string_equal(c->isdn_switch_type, "primary-5ess");
	assert_int_equal(c->nchat, 2);
	assert_non_null(config_find_chat(c, "offhook"));
	assert_string_equal(config_find_chat(c, "offhook")->text, "\"\" \"ATH1\" OK");
	assert_string_equal(config_find_chat(c, "callback")->text,
			    "ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c");
	assert_true(config_find_chat(c, "callback")->line > 0);
	assert_string_equal(c->tz_name, "PST");
	assert_int_equal(c->tz_offset_min, -480);
	assert_string_equal(c->summer_name, "PDT");
	assert_int_equal(c->nt1, 2);
	assert_int_equal(c->t1[0].framing, CFG_FRAMING_ESF);
	assert_int_equal(c->t1[0].clock, CFG_CLK_LINE_SECONDARY);
	assert_int_equal(c->t1[0].linecode, CFG_LINECODE_B8ZS);
	assert_true(c->t1[0].pri_group);
	assert_int_equal(c->t1[0].pri_timeslots, 0xFFFFFF);
	assert_false(c->t1[0].shutdown);
	assert_true(c->t1[1].shutdown);
	e0 = config_find_interface(c, "Ethernet0");
	assert_non_null(e0);
	assert_int_equal(e0->ip, IP(172, 16, 25, 52));
	assert_int_equal(e0->mask, IP(255, 255, 255, 240));
	se = config_find_interface(c, "Serial0:23");
	assert_non_null(se);
	assert_true(se->isdn_voice_modem);
	assert_int_equal(se->dialer_group, 1);
	assert_string_equal(se->peer_pool, "default");	/* the column-0 line belongs here */
	assert_true(config_find_interface(c, "Serial0")->shutdown);
	ga = config_find_interface(c, "Group-Async1");
	assert_non_null(ga);
	assert_int_equal(ga->vj, CFG_VJ_PASSIVE);
	assert_true(ga->callback_accept);
	assert_int_equal(ga->max_bad_auth, 3);
	assert_int_equal(ga->nauth, 1);
	assert_int_equal(ga->auth[0], CFG_AUTH_CHAP);
	assert_false(ga->cdp);
	assert_int_equal(ga->group_first, 1);
	assert_int_equal(ga->group_last, 12);
	as4 = config_find_interface(c, "Async4");
	assert_non_null(as4);
	assert_int_equal(as4->kind, CFG_IF_ASYNC);
	assert_true(as4->callback_accept);
	assert_string_equal(as4->peer_pool, "default");
	assert_int_equal(config_interface_address(c, as4), IP(172, 16, 25, 52));
	assert_non_null(config_find_interface(c, "Async12"));
	assert_null(config_find_interface(c, "Async13"));
	assert_true(c->router_eigrp);
	assert_int_equal(c->eigrp_as, 202);
	assert_non_null(config_find_pool(c, "default"));
	assert_int_equal(config_find_pool(c, "default")->ranges[0].lo, IP(172, 16, 25, 59));
	assert_int_equal(config_find_pool(c, "default")->ranges[0].hi, IP(172, 16, 25, 62));
	assert_int_equal(c->default_gateway, IP(172, 16, 25, 49));
	assert_true(c->ip_classless);
	assert_int_equal(c->ndialer_lists, 1);
	l = config_find_tty_line(c, 4);
	assert_non_null(l);
	assert_true(l->autoselect_ppp && l->autoselect_during_login);
	assert_string_equal(l->script_offhook, "offhook");
	assert_string_equal(l->script_callback, "callback");
	assert_string_equal(l->login_auth, "use-local");
	assert_true(l->modem_inout);
	assert_false(l->modem_busyout);
	assert_string_equal(l->transport_input, "all");
	assert_true(config_find_tty_line(c, 9)->modem_busyout);
	/* line aux 0 then an indented `line vty 0 4` that opens its own block */
	{
		bool aux = false, vty = false;
		for (unsigned i = 0; i < c->nlines; i++) {
			if (c->lines[i].kind == CFG_LINE_AUX) {
				aux = c->lines[i].has_exec_timeout && c->lines[i].exec_timeout_min == 0;
				assert_string_equal(c->lines[i].password, "");
			}
			if (c->lines[i].kind == CFG_LINE_VTY) {
				vty = c->lines[i].first == 0 && c->lines[i].last == 4;
				assert_string_equal(c->lines[i].password, "cisco");
			}
		}
		assert_true(aux && vty);
	}
	config_free(c);
}

static void test_type7(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(config_type7_decode("02050D480809", out, sizeof(out)), 5);
	assert_string_equal(out, "cisco");
	assert_int_equal(config_type7_decode("0822455D0A16", out, sizeof(out)), 5);
	assert_string_equal(out, "cisco");
	assert_int_equal(config_type7_encode("cisco", 2, out, sizeof(out)), 0);
	assert_string_equal(out, "02050D480809");
	for (unsigned salt = 0; salt < 16; salt++) {
		char enc[64], dec[64];
		assert_int_equal(config_type7_encode("S3cret-pass!", salt, enc, sizeof(enc)), 0);
		assert_int_equal(config_type7_decode(enc, dec, sizeof(dec)), 12);
		assert_string_equal(dec, "S3cret-pass!");
	}
	assert_int_equal(config_type7_decode("0", out, sizeof(out)), -1);
	assert_int_equal(config_type7_decode("02050D48080", out, sizeof(out)), -1);
	assert_int_equal(config_type7_decode("9905", out, sizeof(out)), -1);
	assert_int_equal(config_type7_decode("02ZZ", out, sizeof(out)), -1);
	assert_int_equal(config_type7_decode("02050D480809", out, 3), -1);
}

static void test_unknown_is_warning(void **state)
{
	struct nas_config *c = NULL;
	char diag[1024] = "";

	(void)state;
	assert_int_equal(parse("hostname a\nfrobnicate the widget\nhostname b\n", &c, diag,
			       sizeof(diag) - 1), 0);
	assert_non_null(c);
	assert_string_equal(c->hostname, "b");
	assert_int_equal(c->warnings, 1);
	assert_non_null(strstr(diag, "t.cfg:2: warning: unknown command 'frobnicate the widget'"));
	config_free(c);
}

static void test_error_line_col(void **state)
{
	struct nas_config *c = (struct nas_config *)1;
	char diag[1024] = "";

	(void)state;
	assert_int_equal(parse("!\ninterface Ethernet0\n ip address 172.16.25.999 255.255.255.0\n",
			       &c, diag, sizeof(diag) - 1), -1);
	assert_null(c);
	assert_non_null(strstr(diag, "t.cfg:3:13: error: invalid IP address '172.16.25.999'"));

	memset(diag, 0, sizeof(diag));
	assert_int_equal(parse("ip local pool default 10.0.0.1 x\n", &c, diag, sizeof(diag) - 1), -1);
	assert_non_null(strstr(diag, "t.cfg:1:32: error: invalid high address 'x'"));

	memset(diag, 0, sizeof(diag));
	assert_int_equal(parse("controller T1 0\n framing esx\n", &c, diag, sizeof(diag) - 1), -1);
	assert_non_null(strstr(diag, "t.cfg:2:10: error:"));

	memset(diag, 0, sizeof(diag));
	assert_int_equal(parse("username bob password 7 XYZ\n", &c, diag, sizeof(diag) - 1), -1);
	assert_non_null(strstr(diag, "t.cfg:1:25: error: invalid type 7 password"));

	memset(diag, 0, sizeof(diag));
	assert_int_equal(parse("hostname\n", &c, diag, sizeof(diag) - 1), -1);
	assert_non_null(strstr(diag, "t.cfg:1:10: error: missing host name"));

	memset(diag, 0, sizeof(diag));
	assert_int_equal(parse("chat-script x \"unterminated\n", &c, diag, sizeof(diag) - 1), -1);
	assert_non_null(strstr(diag, "t.cfg:1:15: error: unterminated quoted string"));
}

static void test_ipcp_dns_syntax(void **state)
{
	struct nas_config *c = NULL;
	char diag[1024] = "";

	(void)state;
	assert_int_equal(parse("async-bootp dns-server 10.1.1.1 10.1.1.2\n"
			       "interface Group-Async1\n ppp ipcp dns 10.9.9.9\n ppp ipcp wins 10.8.8.8\n"
			       " ppp authentication chap pap dialin\n"
			       " ip address 10.0.0.1 255.255.255.0\n ip address 10.0.1.1 255.255.255.0 secondary\n"
			       " group-range 1 2\n", &c, diag, sizeof(diag) - 1), 0);
	assert_int_equal(config_find_interface(c, "Async1")->nauth, 2);
	assert_int_equal(config_find_interface(c, "Async1")->auth[1], CFG_AUTH_PAP);
	assert_string_equal(config_find_interface(c, "Async1")->auth_list, "dialin");
	assert_int_equal(config_find_interface(c, "Async1")->ip, IP(10, 0, 0, 1));
	assert_int_equal(c->bootp_dns[1], IP(10, 1, 1, 2));
	assert_int_equal(config_find_interface(c, "Async2")->dns[0], IP(10, 9, 9, 9));
	assert_int_equal(config_find_interface(c, "Async2")->wins[0], IP(10, 8, 8, 8));
	config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_loads),
		cmocka_unit_test(test_type7),
		cmocka_unit_test(test_unknown_is_warning),
		cmocka_unit_test(test_error_line_col),
		cmocka_unit_test(test_ipcp_dns_syntax),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

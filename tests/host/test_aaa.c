/*
 * test_aaa.c - local AAA: CHAP/PAP verification against the user database, method
 * lists, callback authorization types, and the seed's tty login debug lines
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <nettle/md5.h>

#include "aaa.h"
#include "config.h"
#include "log.h"

static char lines[64][320];
static unsigned nlines;

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	const char *b = strstr(line, ": ");
	(void)ctx;
	(void)lvl;
	if (nlines < 64)
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", b ? b + 2 : line);
}

static const char cfg_text[] =
	"aaa new-model\naaa authentication login default none\n"
	"aaa authentication login use-local local\naaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"aaa authentication ppp anyone none\n"
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n"
	"username adm callback-dialstring 5551212 password 0 a\n"
	"username lst callback-dialstring \"1,2\" password 0 b\n"
	"username plain password 0 c\n";

static void md5_resp(uint8_t id, const char *secret, const uint8_t *ch, size_t cl, uint8_t *out)
{
	struct md5_ctx m;
	md5_init(&m);
	md5_update(&m, 1, &id);
	md5_update(&m, strlen(secret), (const uint8_t *)secret);
	md5_update(&m, cl, ch);
	md5_digest(&m, 16, out);
}

static void test_chap_pap_and_author(void **state)
{
	struct nas_config *cfg;
	struct aaa a;
	struct aaa_port port = { "As4", "Async4", "async/4084327528", NULL };
	struct aaa_port nolist = { "As4", "Async4", "async/4084327528", "missing" };
	struct aaa_port anylist = { "As4", "Async4", "async/4084327528", "anyone" };
	uint8_t ch[16], r[16];
	struct aaa_callback cb;

	(void)state;
	log_reset();
	assert_int_equal(config_parse(cfg_text, sizeof(cfg_text) - 1, "t", &cfg, NULL), 0);
	aaa_init(&a, cfg, 5);
	for (int i = 0; i < 16; i++)
		ch[i] = (uint8_t)(i * 7);
	md5_resp(4, "cisco", ch, 16, r);
	assert_int_equal(aaa_authen_chap(&a, &port, "callmeback", 4, ch, 16, r, 16), AAA_PASS);
	assert_int_equal(aaa_authen_chap(&a, &port, "callmeback", 5, ch, 16, r, 16), AAA_FAIL);
	assert_int_equal(aaa_authen_chap(&a, &port, "nobody", 4, ch, 16, r, 16), AAA_FAIL);
	assert_int_equal(aaa_authen_chap(&a, &port, "callmeback", 4, ch, 16, r, 15), AAA_FAIL);
	assert_int_equal(aaa_authen_pap(&a, &port, "plain", "c", 1), AAA_PASS);
	assert_int_equal(aaa_authen_pap(&a, &port, "plain", "cc", 2), AAA_FAIL);
	/* a named list: unknown -> fail; `none` -> pass */
	assert_int_equal(aaa_authen_pap(&a, &nolist, "plain", "c", 1), AAA_FAIL);
	assert_int_equal(aaa_authen_pap(&a, &anylist, "plain", "zz", 2), AAA_PASS);
	assert_int_equal(aaa_author_lcp(&a, &port, "callmeback", &cb), AAA_PASS);
	assert_int_equal(cb.type, AAA_CB_CLIENT);
	assert_int_equal(aaa_author_lcp(&a, &port, "adm", &cb), AAA_PASS);
	assert_int_equal(cb.type, AAA_CB_ADMIN);
	assert_string_equal(cb.dialstring, "5551212");
	assert_int_equal(aaa_author_lcp(&a, &port, "lst", &cb), AAA_PASS);
	assert_int_equal(cb.type, AAA_CB_LIST);
	assert_int_equal(aaa_author_lcp(&a, &port, "plain", &cb), AAA_PASS);
	assert_int_equal(cb.type, AAA_CB_NONE);
	assert_string_equal(aaa_user_secret(&a, "callmeback"), "cisco");
	config_free(cfg);
}

static void test_login_lines(void **state)
{
	struct nas_config *cfg;
	struct aaa a;
	uint32_t h, id;
	char want[320];

	(void)state;
	log_reset();
	nlines = 0;
	log_add_sink(sink, NULL);
	dbg_enable(DBG_AAA_AUTHENTICATION, true);
	assert_int_equal(config_parse(cfg_text, sizeof(cfg_text) - 1, "t", &cfg, NULL), 0);
	aaa_init(&a, cfg, 9);
	id = aaa_login_start(&a, 4, "async/4084327528", "use-local", &h);
	aaa_login_abort(&a, id, h, 4, "async/4084327528", "Autoselected");
	assert_int_equal(nlines, 7);
	snprintf(want, sizeof(want), "AAA/AUTHEN: create_user (0x%X) user='' ruser='' port='tty4' "
		 "rem_addr='async/4084327528' authen_type=ASCII service=LOGIN priv=1", h);
	assert_string_equal(lines[0], want);
	snprintf(want, sizeof(want), "AAA/AUTHEN/START (%u): port='tty4' list='use-local' "
		 "action=LOGIN service=LOGIN", id);
	assert_string_equal(lines[1], want);
	snprintf(want, sizeof(want), "AAA/AUTHEN/START (%u): found list use-local", id);
	assert_string_equal(lines[2], want);
	snprintf(want, sizeof(want), "AAA/AUTHEN/START (%u): Method=LOCAL", id);
	assert_string_equal(lines[3], want);
	snprintf(want, sizeof(want), "AAA/AUTHEN (%u): status = GETUSER", id);
	assert_string_equal(lines[4], want);
	snprintf(want, sizeof(want), "AAA/AUTHEN/ABORT: (%u) because Autoselected.", id);
	assert_string_equal(lines[5], want);
	assert_non_null(strstr(lines[6], "AAA/AUTHEN: free_user (0x"));
	config_free(cfg);
	log_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chap_pap_and_author),
		cmocka_unit_test(test_login_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

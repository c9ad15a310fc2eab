/*
 * test_q931.c - Q.931 message/IE coding and the `debug isdn q931` printer
 * (host/q931.c), with the seed's messages as golden vectors
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

#include "evloop.h"
#include "log.h"
#include "q931.h"

/* The seed's incoming SETUP: callref 0x0036, Bearer 0x9090A2, Channel ID 0xA98393,
 * Called Party Number 0xC1 '4084327528'. */
static const uint8_t seed_setup_in[] = {
	0x08, 0x02, 0x00, 0x36, 0x05,
	0x04, 0x03, 0x90, 0x90, 0xA2,
	0x18, 0x03, 0xA9, 0x83, 0x93,
	0x70, 0x0B, 0xC1, '4', '0', '8', '4', '3', '2', '7', '5', '2', '8',
};

/* The seed's outgoing callback SETUP: callref 0x0005, Bearer 0x8090A2,
 * Channel ID 0xE1808397, Called Party Number 0xA1 '5279651'. */
static const uint8_t seed_setup_out[] = {
	0x08, 0x02, 0x00, 0x05, 0x05,
	0x04, 0x03, 0x80, 0x90, 0xA2,
	0x18, 0x04, 0xE1, 0x80, 0x83, 0x97,
	0x70, 0x08, 0xA1, '5', '2', '7', '9', '6', '5', '1',
};

#define MAXL 64
static char lines[MAXL][256];
static unsigned nlines;

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	(void)ctx;
	(void)lvl;
	if (nlines < MAXL)
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
}

/* The text after the timestamp ("*Mar 1 01:24:48.643: "). */
static const char *body(unsigned i)
{
	const char *p = strstr(lines[i], ": ");

	return p ? p + 2 : lines[i];
}

static struct ev_loop *loop;

static int setup(void **state)
{
	(void)state;
	loop = ev_loop_new_manual(0);
	log_reset();
	/* Mar 1 01:24:48 (1970): the seed's clock on a router that has not been set */
	log_set_clock(loop, 59 * 86400 + 1 * 3600 + 24 * 60 + 48, false);
	log_add_sink(sink, NULL);
	dbg_enable(DBG_ISDN_Q931, true);
	nlines = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_reset();
	ev_loop_free(loop);
	return 0;
}

static void test_parse_seed_setup(void **state)
{
	struct q931_msg m;
	const uint8_t *d;
	uint8_t len;
	struct q931_bearer bc;
	struct q931_chanid ci;
	struct q931_number num;

	(void)state;
	assert_int_equal(q931_parse(seed_setup_in, sizeof(seed_setup_in), &m), 0);
	assert_int_equal(m.pd, 8);
	assert_int_equal(m.cr_len, 2);
	assert_int_equal(m.cr, 0x36);
	assert_false(m.cr_flag);
	assert_int_equal(m.type, Q931_SETUP);
	assert_int_equal(m.n_ie, 3);
	assert_false(m.truncated);

	d = q931_find_ie(&m, Q931_IE_BEARER, &len);
	assert_non_null(d);
	assert_int_equal(q931_get_bearer(d, len, &bc), 0);
	assert_int_equal(bc.itc, Q931_ITC_AUDIO_3K1);
	assert_int_equal(bc.mode_rate, 0x10);
	assert_int_equal(bc.l1, 2);		/* G.711 mu-law */

	d = q931_find_ie(&m, Q931_IE_CHANNEL_ID, &len);
	assert_int_equal(q931_get_chanid(d, len, &ci), 0);
	assert_true(ci.exclusive);
	assert_true(ci.pri);
	assert_false(ci.int_id_present);
	assert_int_equal(ci.bchan, 19);

	d = q931_find_ie(&m, Q931_IE_CALLED, &len);
	assert_int_equal(q931_get_number(d, len, &num), 0);
	assert_int_equal(num.type_plan, 0x41);
	assert_string_equal(num.digits, "4084327528");

	assert_null(q931_find_ie(&m, Q931_IE_CALLING, &len));
}

static void test_encode_seed_setup_out(void **state)
{
	struct q931_enc e;
	struct q931_msg m;
	struct q931_chanid ci;
	const uint8_t *d;
	uint8_t len;

	(void)state;
	q931_enc_begin(&e, 2, 5, false, Q931_SETUP);
	q931_enc_bearer(&e, Q931_ITC_SPEECH);
	q931_enc_chanid(&e, false, true, 23);
	q931_enc_number(&e, Q931_IE_CALLED, 0x21, "5279651");
	assert_false(e.overflow);
	assert_int_equal(e.len, sizeof(seed_setup_out));
	assert_memory_equal(e.buf, seed_setup_out, sizeof(seed_setup_out));

	/* and back: preferred channel 23 on interface 0 */
	assert_int_equal(q931_parse(e.buf, e.len, &m), 0);
	d = q931_find_ie(&m, Q931_IE_CHANNEL_ID, &len);
	assert_int_equal(q931_get_chanid(d, len, &ci), 0);
	assert_false(ci.exclusive);
	assert_true(ci.int_id_present);
	assert_int_equal(ci.int_id, 0);
	assert_int_equal(ci.bchan, 23);
}

static void test_encode_answers(void **state)
{
	struct q931_enc e;
	static const uint8_t call_proc[] = { 0x08, 0x02, 0x80, 0x36, 0x02, 0x18, 0x03, 0xA9, 0x83,
					     0x93 };
	static const uint8_t disc[] = { 0x08, 0x02, 0x80, 0x36, 0x45, 0x08, 0x02, 0x80, 0x90 };
	static const uint8_t alert[] = { 0x08, 0x02, 0x80, 0x05, 0x01, 0x1E, 0x02, 0x83, 0x88 };

	(void)state;
	q931_enc_begin(&e, 2, 0x36, true, Q931_CALL_PROCEEDING);
	q931_enc_chanid(&e, true, false, 19);
	assert_int_equal(e.len, sizeof(call_proc));
	assert_memory_equal(e.buf, call_proc, sizeof(call_proc));

	q931_enc_begin(&e, 2, 0x36, true, Q931_DISCONNECT);
	q931_enc_cause(&e, 0, Q931_CAUSE_NORMAL_CLEARING, NULL, 0);
	assert_memory_equal(e.buf, disc, sizeof(disc));

	q931_enc_begin(&e, 2, 5, true, Q931_ALERTING);
	q931_enc_progress(&e, 3, 8);
	assert_memory_equal(e.buf, alert, sizeof(alert));
}

static void test_trace_seed_lines(void **state)
{
	struct q931_enc e;

	(void)state;
	ev_loop_step(loop, 643 * EV_MSEC);
	q931_trace("Se0:23", false, seed_setup_in, sizeof(seed_setup_in));
	assert_int_equal(nlines, 4);
	/* the whole line, timestamp included, as the seed shows it */
	assert_string_equal(lines[0], "*Mar 1 01:24:48.643: ISDN Se0:23: RX <- SETUP pd = 8 callref = 0x36");
	assert_string_equal(body(1), "Bearer Capability i = 0x9090A2");
	assert_string_equal(body(2), "Channel ID i = 0xA98393");
	assert_string_equal(body(3), "Called Party Number i = 0xC1, '4084327528'");

	nlines = 0;
	q931_enc_begin(&e, 2, 0x36, true, Q931_CALL_PROCEEDING);
	q931_enc_chanid(&e, true, false, 19);
	q931_trace("Se0:23", true, e.buf, e.len);
	assert_string_equal(body(0), "ISDN Se0:23: TX -> CALL_PROC pd = 8 callref = 0x8036");
	assert_string_equal(body(1), "Channel ID i = 0xA98393");

	nlines = 0;
	q931_enc_begin(&e, 2, 0x36, true, Q931_DISCONNECT);
	q931_enc_cause(&e, 0, Q931_CAUSE_NORMAL_CLEARING, NULL, 0);
	q931_trace("Se0:23", true, e.buf, e.len);
	assert_string_equal(body(0), "ISDN Se0:23: TX -> DISCONNECT pd = 8 callref = 0x8036");
	assert_string_equal(body(1), "Cause i = 0x8090 - Normal call clearing");

	nlines = 0;
	q931_trace("Se0:23", true, seed_setup_out, sizeof(seed_setup_out));
	assert_string_equal(body(0), "ISDN Se0:23: TX -> SETUP pd = 8 callref = 0x0005");
	assert_string_equal(body(1), "Bearer Capability i = 0x8090A2");
	assert_string_equal(body(2), "Channel ID i = 0xE1808397");
	assert_string_equal(body(3), "Called Party Number i = 0xA1, '5279651'");

	nlines = 0;
	q931_enc_begin(&e, 2, 5, true, Q931_ALERTING);
	q931_enc_progress(&e, 3, 8);
	q931_trace("Se0:23", false, e.buf, e.len);
	assert_string_equal(body(0), "ISDN Se0:23: RX <- ALERTING pd = 8 callref = 0x8005");
	assert_string_equal(body(1),
			    "Progress Ind i = 0x8388 - In-band info or appropriate now available");

	nlines = 0;
	q931_enc_begin(&e, 2, 5, false, Q931_CONNECT_ACK);
	q931_trace("Se0:23", true, e.buf, e.len);
	assert_string_equal(body(0), "ISDN Se0:23: TX -> CONNECT_ACK pd = 8 callref = 0x0005");
	nlines = 0;
	q931_enc_begin(&e, 2, 0x36, false, Q931_RELEASE);
	q931_trace("Se0:23", false, e.buf, e.len);
	assert_string_equal(body(0), "ISDN Se0:23: RX <- RELEASE pd = 8 callref = 0x36");
	nlines = 0;
	q931_enc_begin(&e, 2, 0x36, true, Q931_RELEASE_COMPLETE);
	q931_trace("Se0:23", true, e.buf, e.len);
	assert_string_equal(body(0), "ISDN Se0:23: TX -> RELEASE_COMP pd = 8 callref = 0x8036");
}

static void test_trace_off_prints_nothing(void **state)
{
	(void)state;
	dbg_enable(DBG_ISDN_Q931, false);
	q931_trace("Se0:23", false, seed_setup_in, sizeof(seed_setup_in));
	assert_int_equal(nlines, 0);
}

static void test_malformed(void **state)
{
	struct q931_msg m;
	static const uint8_t bad_pd[] = { 0x09, 0x02, 0x00, 0x01, 0x05 };
	static const uint8_t bad_crlen[] = { 0x08, 0x03, 0x00, 0x01, 0x00, 0x05 };
	static const uint8_t short_cr[] = { 0x08, 0x02, 0x00 };
	static const uint8_t trunc_ie[] = { 0x08, 0x02, 0x00, 0x01, 0x05, 0x04, 0x09, 0x80 };
	static const uint8_t half_ie[] = { 0x08, 0x02, 0x00, 0x01, 0x05, 0x04 };
	static const uint8_t shifted[] = { 0x08, 0x02, 0x00, 0x01, 0x05, 0x96, 0x04, 0x01, 0x00,
					   0x9E, 0x08, 0x02, 0x80, 0x90 };
	static const uint8_t slotmap[] = { 0xA9, 0x93, 0x01 };
	static const uint8_t d_chan[] = { 0xA9, 0x83 };
	static const uint8_t num_bad[] = { 0xC1, '1', 'x' };
	static const uint8_t cause3a[] = { 0x00, 0x80, 0x91 };
	static const uint8_t cause_short[] = { 0x80 };
	struct q931_chanid ci;
	struct q931_number num;
	struct q931_cause_ie cz;
	struct q931_bearer bc;
	uint8_t k;

	(void)state;
	assert_int_equal(q931_parse(bad_pd, sizeof(bad_pd), &m), -Q931_ERR_PD);
	assert_int_equal(q931_parse(bad_crlen, sizeof(bad_crlen), &m), -Q931_ERR_CALLREF);
	assert_int_equal(q931_parse(short_cr, sizeof(short_cr), &m), -Q931_ERR_SHORT);
	assert_int_equal(q931_parse(NULL, 0, &m), -Q931_ERR_SHORT);
	assert_int_equal(q931_parse(trunc_ie, sizeof(trunc_ie), &m), 0);
	assert_true(m.truncated);
	assert_null(q931_find_ie(&m, Q931_IE_BEARER, NULL));
	assert_int_equal(q931_parse(half_ie, sizeof(half_ie), &m), 0);
	assert_true(m.truncated);

	/* locking shift to codeset 6: its 0x04 is not the Bearer Capability; a
	 * non-locking shift (0x9E) puts only the next IE in codeset 6 */
	assert_int_equal(q931_parse(shifted, sizeof(shifted), &m), 0);
	assert_null(q931_find_ie(&m, Q931_IE_BEARER, NULL));
	assert_null(q931_find_ie(&m, Q931_IE_CAUSE, NULL));

	assert_int_equal(q931_get_chanid(slotmap, sizeof(slotmap), &ci), -1);
	assert_int_equal(q931_get_chanid(d_chan, sizeof(d_chan), &ci), -1);
	assert_int_equal(q931_get_chanid(slotmap, 0, &ci), -1);
	assert_int_equal(q931_get_number(num_bad, sizeof(num_bad), &num), -1);
	assert_int_equal(q931_get_number(num_bad, 0, &num), -1);
	assert_int_equal(q931_get_cause(cause3a, sizeof(cause3a), &cz), 0);
	assert_int_equal(cz.value, 17);
	assert_int_equal(q931_get_cause(cause_short, sizeof(cause_short), &cz), -1);
	assert_int_equal(q931_get_bearer(cause_short, 1, &bc), -1);
	assert_int_equal(q931_get_restart_ind((const uint8_t *)"\x83", 1, &k), -1);
	assert_int_equal(q931_get_restart_ind((const uint8_t *)"\x87", 1, &k), 0);
	assert_int_equal(k, 7);

	/* the printer copes with all of them */
	q931_trace("Se0:23", false, bad_pd, sizeof(bad_pd));
	q931_trace("Se0:23", false, trunc_ie, sizeof(trunc_ie));
	q931_trace("Se0:23", false, shifted, sizeof(shifted));
	assert_true(nlines >= 3);
}

static void test_random_never_crashes(void **state)
{
	uint8_t buf[64];
	struct q931_msg m;
	unsigned seed = 12345;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(buf));

		for (size_t j = 0; j < n; j++)
			buf[j] = (uint8_t)rand_r(&seed);
		if (n > 2) {
			buf[0] = 0x08;
			buf[1] = 0x02;
		}
		if (q931_parse(buf, n, &m) == 0) {
			for (unsigned k = 0; k < m.n_ie; k++)
				assert_true(m.ie[k].off + m.ie[k].len <= n);
		}
		nlines = 0;
		q931_trace("Se0:23", (i & 1) != 0, buf, n);
	}
}

static void test_overflow(void **state)
{
	struct q931_enc e;
	uint8_t big[255];

	(void)state;
	memset(big, 0x55, sizeof(big));
	q931_enc_begin(&e, 2, 1, false, Q931_SETUP);
	q931_enc_ie(&e, 0x7E, big, sizeof(big));
	assert_true(e.overflow);
	assert_true(e.len <= Q931_MAX_MSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_seed_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encode_seed_setup_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encode_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_seed_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_off_prints_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_never_crashes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

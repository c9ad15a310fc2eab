/*
 * test_chat.c - chat script compiler and engine: escapes, keywords, quoting, error
 * columns; success, TIMEOUT, ABORT, delays in simulated time, the seed's offhook +
 * callback sequence with its exact `debug chat` lines.
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

/* --- captured debug lines -------------------------------------------------------- */

#define MAX_LINES 64
struct capture {
	char lines[MAX_LINES][160];
	int n;
};

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	struct capture *c = ctx;
	const char *p = strstr(line, ": ");	/* strip the timestamp */

	(void)lvl;
	if (c->n < MAX_LINES)
		snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s", p ? p + 2 : line);
}

/* --- a scripted modem ------------------------------------------------------------ */

struct rule {
	const char *when;	/* substring of a written chunk */
	const char *reply;
};

struct fake {
	struct ev_loop *loop;
	struct chat_run run;
	struct chat_registry reg;
	uint8_t out[2048];
	size_t out_len;
	ev_time_t write_t[32];
	size_t write_at[32];
	int writes;
	int breaks;
	int dtr_on;
	int done_calls;
	int status;
	char abort[64];
	const struct rule *rules;
	bool sync;		/* reply from inside write (re-entrant) */
	char deferred[256];	/* reply for the test to deliver */
	int fail_write;
	const char *next_script;	/* started from done, as the seed does */
	const char *number;
};

static int f_write(void *ctx, const uint8_t *d, size_t n)
{
	struct fake *f = ctx;
	char chunk[512];

	if (f->fail_write)
		return -EIO;
	if (f->writes < 32) {
		f->write_t[f->writes] = ev_now(f->loop);
		f->write_at[f->writes] = f->out_len;
	}
	f->writes++;
	assert_true(f->out_len + n <= sizeof(f->out));
	memcpy(f->out + f->out_len, d, n);
	f->out_len += n;
	snprintf(chunk, sizeof(chunk), "%.*s", (int)n, (const char *)d);
	for (const struct rule *r = f->rules; r && r->when; r++) {
		if (strstr(chunk, r->when)) {
			if (f->sync)
				chat_input(&f->run, (const uint8_t *)r->reply, strlen(r->reply));
			else
				snprintf(f->deferred, sizeof(f->deferred), "%s", r->reply);
			break;
		}
	}
	return 0;
}

static void f_dtr(void *ctx, bool on)
{
	struct fake *f = ctx;

	if (on)
		f->dtr_on++;
}

static void f_break(void *ctx)
{
	((struct fake *)ctx)->breaks++;
}

static void f_done(void *ctx, int status, const char *abort_str)
{
	struct fake *f = ctx;

	f->done_calls++;
	f->status = status;
	snprintf(f->abort, sizeof(f->abort), "%s", abort_str ? abort_str : "");
	if (status == 0 && f->next_script) {
		const char *n = f->next_script;

		f->next_script = NULL;
		assert_int_equal(chat_run_start_match(&f->run, &f->reg, n, f->number), 0);
	}
}

static const struct chat_ops fake_ops = {
	.write = f_write, .set_dtr = f_dtr, .send_break = f_break, .done = f_done,
};

static struct capture cap;
static int sink_handle;

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	log_reset();
	memset(&cap, 0, sizeof(cap));
	f->loop = ev_loop_new_manual(0);
	assert_non_null(f->loop);
	log_set_clock(f->loop, 0, false);
	sink_handle = log_add_sink(sink, &cap);
	dbg_enable(DBG_CHAT, true);
	assert_int_equal(chat_registry_init(&f->reg), 0);
	chat_run_init(&f->run, f->loop, 4, &fake_ops, f);
	f->status = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	chat_run_cancel(&f->run);
	chat_registry_clear(&f->reg);
	ev_loop_free(f->loop);
	log_reset();
	free(f);
	return 0;
}

static struct chat_script *compile_ok(const char *text)
{
	struct chat_script *s = NULL;
	char err[128];
	int col;
	int rc = chat_script_compile("t", text, &s, err, sizeof(err), &col);

	if (rc)
		fail_msg("compile of '%s' failed: %s at %d", text, err, col);
	assert_non_null(s);
	return s;
}

static void expect_error(const char *text, int want_col, const char *want_msg)
{
	struct chat_script *s = (void *)1;
	char err[128];
	int col = -2;
	int rc = chat_script_compile("t", text, &s, err, sizeof(err), &col);

	assert_int_equal(rc, -EINVAL);
	assert_null(s);
	if (col != want_col)
		fail_msg("'%s': column %d, want %d (%s)", text, col, want_col, err);
	if (!strstr(err, want_msg))
		fail_msg("'%s': message '%s' lacks '%s'", text, err, want_msg);
}

static void step_to(struct fake *f, ev_time_t t)
{
	ev_loop_step(f->loop, t);
}

static void deliver(struct fake *f, const char *s)
{
	chat_input(&f->run, (const uint8_t *)s, strlen(s));
}

static void deliver_deferred(struct fake *f)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", f->deferred);
	f->deferred[0] = '\0';
	deliver(f, buf);
}

/* --- parser ---------------------------------------------------------------------- */

static void test_every_send_escape(void **state)
{
	struct fake *f = *state;
	struct chat_script *s =
		compile_ok("\"\" \"a\\r\\n\\s\\t\\\\\\\"b^Ac\\N\\K\\-x\" \"\" \"\\T-9\\c\"");
	static const uint8_t want1[] = { 'a', '\r', '\n', ' ', '\t', '\\', '"', 'b', 0x01, 'c',
					 0x00, '-', 'x', '\r' };

	assert_int_equal(chat_run_start(&f->run, s, "555"), 0);
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, CHAT_EXIT_OK);
	assert_int_equal(f->breaks, 1);
	assert_int_equal(f->dtr_on, 1);
	assert_true(f->out_len == sizeof(want1) + 5);
	assert_memory_equal(f->out, want1, sizeof(want1));
	assert_memory_equal(f->out + sizeof(want1), "555-9", 5);	/* \T, '-', \c: no CR */
	chat_script_free(s);
}

static void test_delay_and_pause_in_simulated_time(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" A\\dB\\pC\\q\\qD");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(f->out_len, 1);
	assert_memory_equal(f->out, "A", 1);
	step_to(f, 2 * EV_SEC - 1);
	assert_int_equal(f->out_len, 1);
	step_to(f, 2 * EV_SEC);
	assert_int_equal(f->out_len, 2);
	assert_int_equal(f->out[1], 'B');
	step_to(f, 2 * EV_SEC + 249 * EV_MSEC);
	assert_int_equal(f->out_len, 2);
	assert_int_equal(f->done_calls, 0);
	step_to(f, 2 * EV_SEC + 250 * EV_MSEC);
	assert_int_equal(f->out_len, 5);
	assert_memory_equal(f->out + 2, "CD\r", 3);
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, 0);
	chat_script_free(s);
}

static void test_keywords_and_quoting(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("ABORT \"NO CARRIER\" ABORT BUSY TIMEOUT 7 "
					   "\"\" \"AT Z\" \"O K\" EOT");

	assert_int_equal(chat_script_abort_count(s), 2);
	assert_string_equal(chat_script_abort_string(s, 0), "NO CARRIER");
	assert_string_equal(chat_script_abort_string(s, 1), "BUSY");
	assert_null(chat_script_abort_string(s, 2));
	assert_string_equal(chat_script_name(s), "t");
	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(f->out_len, 5);
	assert_memory_equal(f->out, "AT Z\r", 5);
	/* TIMEOUT 7 applies: still waiting at 6.9 s */
	step_to(f, 6900 * EV_MSEC);
	assert_int_equal(f->done_calls, 0);
	deliver(f, "xxO K");
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, 0);
	assert_int_equal(f->out_len, 6);
	assert_int_equal(f->out[5], 0x04);	/* EOT, no CR */
	chat_script_free(s);
}

static void test_compile_errors_with_columns(void **state)
{
	(void)state;
	expect_error("\"\" \"ATZ", 3, "unterminated");
	expect_error("OK \\z", 3, "unknown escape");
	expect_error("OK\\c ATZ", 2, "only valid in a send");
	expect_error("\"\" AT\\cZ", 5, "must be the last");
	expect_error("TIMEOUT abc", 8, "TIMEOUT");
	expect_error("TIMEOUT 0", 8, "TIMEOUT");
	expect_error("TIMEOUT 99999999999999999999", 8, "TIMEOUT");
	expect_error("\"\" AT TIMEOUT", 6, "needs a number");
	expect_error("ABORT", 0, "ABORT needs");
	expect_error("ABORT \"\"", 6, "empty ABORT");
	expect_error("ABORT B\\TX", 7, "\\T is not allowed");
	expect_error("ABORT B^@", 7, "NUL is not allowed");
	expect_error("\"OK\"X AT", 4, "closing quote");
	expect_error("OK AT^", 5, "^ needs");
	expect_error("OK AT\\", 5, "backslash at the end");
	expect_error("A-B-C-D-E-F-G-H-I", 0, "too many");

	struct chat_script *s = (void *)1;
	char err[64];
	int col;

	assert_int_equal(chat_script_compile("bad.name", "OK", &s, err, sizeof(err), &col),
			 -EINVAL);
	assert_non_null(strstr(err, "illegal character: ."));
	assert_int_equal(chat_script_compile("", "OK", &s, err, sizeof(err), &col), -EINVAL);
	/* empty script is valid: nothing to do */
	assert_int_equal(chat_script_compile("e", "", &s, err, sizeof(err), &col), 0);
	chat_script_free(s);
}

/* --- engine ---------------------------------------------------------------------- */

static const struct rule at_ok[] = { { "AT", "AT\r\r\nOK\r\n" }, { NULL, NULL } };

static void test_success_and_leftover(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" ATD1 CONNECT \\c");
	static const char in[] = "\r\nCONNECT 64000\r\n~\xff}#";
	size_t used;

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(f->done_calls, 0);
	used = chat_input(&f->run, (const uint8_t *)in, sizeof(in) - 1);
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, 0);
	assert_int_equal(used, 9);	/* up to and including "CONNECT" */
	assert_int_equal(chat_input(&f->run, (const uint8_t *)"x", 1), 0);	/* idle */
	chat_script_free(s);
}

static void test_timeout(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("TIMEOUT 3 \"\" AT OK");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	step_to(f, 3 * EV_SEC - 1);
	assert_int_equal(f->done_calls, 0);
	step_to(f, 3 * EV_SEC);
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, CHAT_EXIT_TIMEOUT);
	assert_string_equal(cap.lines[cap.n - 2], "CHAT4: Timeout expecting: OK");
	assert_string_equal(cap.lines[cap.n - 1], "CHAT4: Chat script t finished, status = "
			    "Connection timed out; remote host not responding");
	assert_int_equal(ev_loop_timer_count(f->loop), 0);
	chat_script_free(s);
}

static void test_default_timeout_is_5s(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" AT OK");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	step_to(f, 4999 * EV_MSEC);
	assert_int_equal(f->done_calls, 0);
	step_to(f, 5 * EV_SEC);
	assert_int_equal(f->status, CHAT_EXIT_TIMEOUT);
	chat_script_free(s);
}

static void test_abort_busy_and_error(void **state)
{
	struct fake *f = *state;
	static const struct rule busy[] = { { "ATZ", "\r\nOK\r\n" },
					    { "ATDT", "\r\nBUSY\r\n" }, { NULL, NULL } };
	static const struct rule error[] = { { "ATZ", "\r\nERROR\r\n" }, { NULL, NULL } };

	f->rules = busy;
	f->sync = true;
	assert_int_equal(chat_run_start_match(&f->run, &f->reg, "callback", "5551212"), 0);
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, CHAT_EXIT_ABORT_BASE + 1);
	assert_string_equal(f->abort, "BUSY");
	assert_string_equal(cap.lines[cap.n - 2],
			    "CHAT4: Found abort string BUSY expecting CONNECT");
	assert_string_equal(cap.lines[cap.n - 1],
			    "CHAT4: Chat script callback finished, status = Aborted");

	f->rules = error;
	f->out_len = 0;
	assert_int_equal(chat_run_start_match(&f->run, &f->reg, "callback", "5551212"), 0);
	assert_int_equal(f->done_calls, 2);
	assert_int_equal(f->status, CHAT_EXIT_ABORT_BASE + 0);
	assert_string_equal(f->abort, "ERROR");
	assert_int_equal(f->out_len, 4);	/* only ATZ\r was sent */
}

static void test_abort_only_after_declared(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" AT OK AT ABORT BUSY OK ATD");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	deliver(f, "BUSY\r\nOK");	/* BUSY before its ABORT is declared: ignored */
	assert_int_equal(f->done_calls, 0);
	deliver(f, "BUSY");
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, CHAT_EXIT_ABORT_BASE);
	chat_script_free(s);
}

static void test_expect_send_expect(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("TIMEOUT 2 \"\" AT OK-ATZ-OK ATI");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	step_to(f, 2 * EV_SEC);
	assert_int_equal(f->done_calls, 0);
	assert_int_equal(f->out_len, 3 + 4);
	assert_memory_equal(f->out + 3, "ATZ\r", 4);
	deliver(f, "OK");
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, 0);
	assert_memory_equal(f->out + 7, "ATI\r", 4);
	chat_script_free(s);
}

static void test_split_input_and_overlap(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" AT OOK");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	deliver(f, "OO");
	deliver(f, "O");
	assert_int_equal(f->done_calls, 0);
	deliver(f, "K");	/* "OOOK" ends in "OOK" */
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, 0);
	chat_script_free(s);
}

static void test_reentrant_modem(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" AT OK AT OK");

	f->rules = at_ok;
	f->sync = true;
	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(f->done_calls, 1);
	assert_int_equal(f->status, 0);
	assert_int_equal(f->out_len, 6);
	chat_script_free(s);
}

static void test_carrier_drop_and_write_error(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" AT OK");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(chat_run_start(&f->run, s, NULL), -EBUSY);
	chat_carrier_drop(&f->run);
	assert_int_equal(f->status, CHAT_EXIT_ERROR);
	assert_string_equal(cap.lines[cap.n - 2], "CHAT4: Carrier drop expecting OK");
	assert_int_equal(ev_loop_timer_count(f->loop), 0);

	f->fail_write = 1;
	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(f->done_calls, 2);
	assert_int_equal(f->status, CHAT_EXIT_ERROR);
	chat_script_free(s);
}

static void test_registry_lookup(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" ATH1 OK");
	struct chat_script *mine = NULL;
	char err[64];
	int col;

	/* built-ins when nothing is configured */
	assert_string_equal(chat_script_name(chat_registry_match(&f->reg, "offhook")), "offhook");
	assert_string_equal(chat_script_name(chat_registry_match(&f->reg, "call.*")), "callback");
	assert_null(chat_registry_match(&f->reg, "nothing"));
	assert_null(chat_registry_match(&f->reg, "(unbalanced"));
	/* a configured script wins over the built-in of the same name */
	assert_int_equal(chat_script_compile("offhook", "\"\" ATH1 \"OK\"", &mine, err,
					     sizeof(err), &col), 0);
	assert_int_equal(chat_registry_add(&f->reg, mine), 0);
	assert_ptr_equal(chat_registry_match(&f->reg, "offhook"), mine);
	assert_ptr_equal(chat_registry_next(&f->reg, NULL), mine);
	assert_null(chat_registry_next(&f->reg, mine));
	assert_int_equal(chat_registry_remove(&f->reg, "offhook"), 0);
	assert_int_equal(chat_registry_remove(&f->reg, "offhook"), -ENOENT);
	assert_ptr_not_equal(chat_registry_match(&f->reg, "offhook"), NULL);

	assert_int_equal(chat_run_start_match(&f->run, &f->reg, "zzz", NULL), -ENOENT);
	assert_string_equal(cap.lines[cap.n - 1], "CHAT4: No matching chat script found for zzz");
	chat_script_free(s);
}

/* The seed's trace, 01:25:40.863 - 01:26:13.491, through the built-in scripts. */
static void test_seed_offhook_then_callback(void **state)
{
	struct fake *f = *state;
	static const struct rule modem[] = {
		{ "ATH1", "ATH1\r\r\nOK\r\n" },
		{ "ATZ", "ATZ\r\r\nOK\r\n" },
		{ NULL, NULL },
	};
	static const char *const want[] = {
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
	};

	f->rules = modem;
	f->next_script = "callback";
	f->number = "527-9651";
	step_to(f, 100 * EV_SEC);
	assert_int_equal(chat_run_start_match(&f->run, &f->reg, "offhook", NULL), 0);
	/* deferred replies: the modem answers 100 ms later each time */
	step_to(f, 100 * EV_SEC + 100 * EV_MSEC);
	deliver_deferred(f);		/* OK to ATH1 */
	assert_int_equal(f->done_calls, 1);
	step_to(f, 100 * EV_SEC + 200 * EV_MSEC);
	deliver_deferred(f);		/* OK to ATZ */
	/* CONNECT comes 31 s later, within TIMEOUT 60 */
	step_to(f, 131 * EV_SEC);
	assert_int_equal(f->done_calls, 1);
	deliver(f, "ATDT 527-9651\r\r\nCONNECT 64000\r\n");
	assert_int_equal(f->done_calls, 2);
	assert_int_equal(f->status, 0);
	assert_int_equal(f->dtr_on, 2);
	assert_memory_equal(f->out, "ATH1\rATZ\rATDT 527-9651\r", 23);
	assert_int_equal(f->out_len, 23);	/* \c: nothing after CONNECT */

	assert_int_equal(cap.n, (int)(sizeof(want) / sizeof(want[0])));
	for (int i = 0; i < cap.n; i++)
		assert_string_equal(cap.lines[i], want[i]);
	assert_int_equal(ev_loop_timer_count(f->loop), 0);
}

static void test_callback_timeout_60(void **state)
{
	struct fake *f = *state;
	static const struct rule modem[] = { { "ATZ", "OK\r\n" }, { NULL, NULL } };

	f->rules = modem;
	f->sync = true;
	assert_int_equal(chat_run_start_match(&f->run, &f->reg, "callback", "5551212"), 0);
	step_to(f, 59 * EV_SEC);
	assert_int_equal(f->done_calls, 0);
	step_to(f, 60 * EV_SEC);
	assert_int_equal(f->status, CHAT_EXIT_TIMEOUT);
	assert_string_equal(cap.lines[cap.n - 2], "CHAT4: Timeout expecting: CONNECT");
}

static void test_debug_off_is_silent(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" AT");

	dbg_enable(DBG_CHAT, false);
	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	assert_int_equal(f->status, 0);
	assert_int_equal(cap.n, 0);
	assert_string_equal(chat_status_string(CHAT_EXIT_ABORT_BASE + 3), "Aborted");
	chat_script_free(s);
}

static void test_debug_rendering(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("\"\" \"user\\qsecret\\qx\" \\r\\nOK \\T");

	assert_int_equal(chat_run_start(&f->run, s, "12"), 0);
	assert_memory_equal(f->out, "usersecretx\r", 12);
	assert_string_equal(cap.lines[2], "CHAT4: Sending string: user??????x");
	assert_string_equal(cap.lines[3], "CHAT4: Expecting string: \\015\\012OK");
	deliver(f, "\r\nOK");
	assert_string_equal(cap.lines[5], "CHAT4: Sending string: \\T<12>");
	assert_int_equal(f->status, 0);
	assert_string_equal(chat_script_text(s), "\"\" \"user\\qsecret\\qx\" \\r\\nOK \\T");
	chat_script_free(s);
}

static void test_sub_send_escapes(void **state)
{
	struct fake *f = *state;
	struct chat_script *s = compile_ok("TIMEOUT 1 \"\" AT OK-\\d+++\\d\\c-OK ATH");

	assert_int_equal(chat_run_start(&f->run, s, NULL), 0);
	step_to(f, 1 * EV_SEC);			/* OK timed out: \d starts */
	assert_int_equal(f->out_len, 3);
	step_to(f, 3 * EV_SEC);			/* +++ after 2 s */
	assert_int_equal(f->out_len, 6);
	assert_memory_equal(f->out + 3, "+++", 3);
	step_to(f, 5 * EV_SEC);			/* second \d over, \c: no CR */
	assert_int_equal(f->out_len, 6);
	assert_int_equal(f->done_calls, 0);
	deliver(f, "OK");
	assert_int_equal(f->status, 0);
	assert_memory_equal(f->out + 6, "ATH\r", 4);
	chat_script_free(s);
	expect_error("OK-A\\cB-OK", 4, "must be the last");
	expect_error("OK\\d-AT-OK", 2, "only valid in a send");
	expect_error("OK-AT-O\\pK", 7, "only valid in a send");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_send_escape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delay_and_pause_in_simulated_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keywords_and_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compile_errors_with_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_success_and_leftover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_timeout_is_5s, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_busy_and_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_only_after_declared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expect_send_expect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_input_and_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reentrant_modem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_carrier_drop_and_write_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_offhook_then_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_timeout_60, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_off_is_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_rendering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sub_send_escapes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

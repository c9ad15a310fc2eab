/*
 * autoselect.c - PPP start vs. a person at the login prompt (see autoselect.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "autoselect.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

#define AS_DEFAULT_ATTEMPTS	3
#define AS_DEFAULT_TIMEOUT	(30 * EV_SEC)

/* Starts of an async PPP frame (RFC 1662): flag, address, control (escaped or not). */
static const uint8_t ppp_start_escaped[] = { 0x7e, 0xff, 0x7d, 0x23 };
static const uint8_t ppp_start_plain[] = { 0x7e, 0xff, 0x03 };

static void say(struct autoselect *as, const char *s)
{
	as->ops->to_dte(as->ctx, (const uint8_t *)s, strlen(s));
}

static void arm(struct autoselect *as)
{
	ev_timer_start(as->loop, &as->timer, as->cfg.timeout);
}

static void prompt_user(struct autoselect *as, bool banner)
{
	as->state = AUTOSELECT_USER;
	as->user_len = 0;
	as->sampling = false;
	as->sample_len = 0;
	say(as, banner ? "\r\n\r\nUser Access Verification\r\n\r\nUsername: " : "\r\nUsername: ");
	arm(as);
}

static void timeout_cb(struct ev_timer *t, void *arg)
{
	struct autoselect *as = arg;

	(void)t;
	if (!autoselect_active(as) || as->state == AUTOSELECT_CHECKING)
		return;
	say(as, as->state == AUTOSELECT_PASS ? "\r\n% Password:  timeout expired!\r\n"
					     : "\r\n% Username:  timeout expired!\r\n");
	as->state = AUTOSELECT_FAILED;
	memset(as->pass, 0, sizeof(as->pass));
	as->ops->fail(as->ctx, AUTOSELECT_FAIL_TIMEOUT);
}

void autoselect_init(struct autoselect *as, struct ev_loop *loop, unsigned line,
		     const struct autoselect_cfg *cfg, const struct autoselect_ops *ops,
		     void *ctx)
{
	memset(as, 0, sizeof(*as));
	as->loop = loop;
	as->line = line;
	as->ops = ops;
	as->ctx = ctx;
	if (cfg)
		as->cfg = *cfg;
	if (!as->cfg.max_attempts)
		as->cfg.max_attempts = AS_DEFAULT_ATTEMPTS;
	if (!as->cfg.timeout)
		as->cfg.timeout = AS_DEFAULT_TIMEOUT;
	ev_timer_init(&as->timer, timeout_cb, as);
}

void autoselect_start(struct autoselect *as)
{
	ev_timer_stop(as->loop, &as->timer);
	as->attempts = 0;
	as->pass_len = 0;
	dbg(DBG_MODEM, "TTY%u: EXEC creation", as->line);
	if (as->cfg.during_login) {
		prompt_user(as, true);
	} else {
		as->state = AUTOSELECT_WAIT_CR;
		as->user_len = 0;
		as->sampling = false;
		as->sample_len = 0;
	}
}

void autoselect_stop(struct autoselect *as)
{
	ev_timer_stop(as->loop, &as->timer);
	memset(as->pass, 0, sizeof(as->pass));
	as->pass_len = 0;
	as->state = AUTOSELECT_IDLE;
}

void autoselect_check_result(struct autoselect *as, bool ok)
{
	if (as->state != AUTOSELECT_CHECKING)
		return;
	memset(as->pass, 0, sizeof(as->pass));
	as->pass_len = 0;
	if (ok) {
		ev_timer_stop(as->loop, &as->timer);
		as->state = AUTOSELECT_LOGGED_IN;
		say(as, "\r\n");
		as->ops->login(as->ctx, as->user);
		return;
	}
	as->attempts++;
	say(as, "\r\n% Login invalid\r\n");
	if (as->attempts >= as->cfg.max_attempts) {
		ev_timer_stop(as->loop, &as->timer);
		as->state = AUTOSELECT_FAILED;
		as->ops->fail(as->ctx, AUTOSELECT_FAIL_AUTH);
		return;
	}
	prompt_user(as, false);
}

static void do_check(struct autoselect *as)
{
	int rc;

	as->user[as->user_len] = '\0';
	as->pass[as->pass_len] = '\0';
	as->state = AUTOSELECT_CHECKING;
	ev_timer_stop(as->loop, &as->timer);
	rc = as->ops->check(as->ctx, as->user, as->pass);
	if (rc == 1)
		return;	/* pending: autoselect_check_result() comes later */
	autoselect_check_result(as, rc == 0);
}

/* A character typed by a person. */
static void text_char(struct autoselect *as, uint8_t ch)
{
	switch (as->state) {
	case AUTOSELECT_WAIT_CR:
		if (ch == '\r')
			prompt_user(as, true);
		return;
	case AUTOSELECT_USER:
		if (ch == '\r') {
			if (!as->user_len) {
				prompt_user(as, false);
				return;
			}
			as->user[as->user_len] = '\0';
			as->state = AUTOSELECT_PASS;
			as->pass_len = 0;
			say(as, "\r\nPassword: ");
			arm(as);
		} else if (ch == 0x08 || ch == 0x7f) {
			if (as->user_len) {
				as->user_len--;
				say(as, "\b \b");
			}
		} else if (ch >= 0x20 && ch < 0x7f && as->user_len < AUTOSELECT_FIELD_MAX) {
			as->user[as->user_len++] = (char)ch;
			as->ops->to_dte(as->ctx, &ch, 1);
		}
		return;
	case AUTOSELECT_PASS:
		if (ch == '\r')
			do_check(as);
		else if (ch == 0x08 || ch == 0x7f) {
			if (as->pass_len)
				as->pass_len--;
		} else if (ch >= 0x20 && ch < 0x7f && as->pass_len < AUTOSELECT_FIELD_MAX)
			as->pass[as->pass_len++] = (char)ch;	/* not echoed */
		return;
	default:
		return;
	}
}

static bool starts_with(const uint8_t *s, unsigned n, const uint8_t *pat, unsigned plen)
{
	return n <= plen && !memcmp(s, pat, n);
}

static void log_sample(const struct autoselect *as)
{
	char hex[2 * AUTOSELECT_SAMPLE_MAX + 1];

	for (unsigned i = 0; i < as->sample_len; i++)
		snprintf(hex + 2 * i, 3, "%02X", as->sample[i]);
	hex[2 * as->sample_len] = '\0';
	dbg(DBG_MODEM, "TTY%u: Autoselect(2) sample %s", as->line, hex);
}

static void select_ppp(struct autoselect *as)
{
	uint8_t sample[AUTOSELECT_SAMPLE_MAX];
	unsigned n = as->sample_len;

	dbg(DBG_MODEM, "TTY%u Autoselect cmd: ppp negotiate", as->line);
	ev_timer_stop(as->loop, &as->timer);
	as->state = AUTOSELECT_PPP;
	as->sampling = false;
	memcpy(sample, as->sample, n);
	as->ops->ppp(as->ctx, sample, n);
}

/* One octet at the Username prompt (or before it). */
static void sample_char(struct autoselect *as, uint8_t ch)
{
	if (!as->sampling) {
		if (ch == 0x7e && as->cfg.ppp && as->user_len == 0 &&
		    (as->state == AUTOSELECT_USER || as->state == AUTOSELECT_WAIT_CR)) {
			as->sampling = true;
			as->sample[0] = ch;
			as->sample_len = 1;
			log_sample(as);
			if (as->cfg.ppp_on_flag)
				select_ppp(as);
			return;
		}
		text_char(as, ch);
		return;
	}
	if (ch == 0x7e && as->sample_len == 1)
		return;		/* back-to-back flags */
	as->sample[as->sample_len++] = ch;
	log_sample(as);
	if ((as->sample_len == sizeof(ppp_start_escaped) &&
	     !memcmp(as->sample, ppp_start_escaped, sizeof(ppp_start_escaped))) ||
	    (as->sample_len == sizeof(ppp_start_plain) &&
	     !memcmp(as->sample, ppp_start_plain, sizeof(ppp_start_plain)))) {
		select_ppp(as);
		return;
	}
	if (starts_with(as->sample, as->sample_len, ppp_start_escaped,
			sizeof(ppp_start_escaped)) ||
	    starts_with(as->sample, as->sample_len, ppp_start_plain, sizeof(ppp_start_plain)))
		return;
	/* Not PPP: what was sampled was typed. */
	{
		uint8_t typed[AUTOSELECT_SAMPLE_MAX];
		unsigned n = as->sample_len;

		memcpy(typed, as->sample, n);
		as->sampling = false;
		as->sample_len = 0;
		for (unsigned i = 0; i < n && autoselect_active(as); i++)
			text_char(as, typed[i]);
	}
}

size_t autoselect_input(struct autoselect *as, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!autoselect_active(as))
			return i;
		if (as->state == AUTOSELECT_CHECKING)
			continue;	/* typed while the check runs: dropped */
		sample_char(as, data[i]);
		if (!autoselect_active(as))
			return i + 1;
	}
	return len;
}

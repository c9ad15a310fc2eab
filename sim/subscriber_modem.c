/*
 * subscriber_modem.c - the subscriber's Hayes modem (see subscriber_modem.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "subscriber_modem.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

enum result { R_OK, R_CONNECT, R_RING, R_NO_CARRIER, R_ERROR, R_NO_DIALTONE = 6, R_BUSY,
	      R_NO_ANSWER, R_NONE = 99 };

static const char *const result_text[] = {
	[R_OK] = "OK", [R_CONNECT] = "CONNECT", [R_RING] = "RING",
	[R_NO_CARRIER] = "NO CARRIER", [R_ERROR] = "ERROR", [5] = "CONNECT",
	[R_NO_DIALTONE] = "NO DIALTONE", [R_BUSY] = "BUSY", [R_NO_ANSWER] = "NO ANSWER",
};

#define CR	13
#define LF	10
#define BS	8

static void to_pc(struct sub_modem *m, const void *d, size_t n)
{
	if (m->ops.to_pc && n)
		m->ops.to_pc(m->ctx, d, n);
}

static void result(struct sub_modem *m, enum result r)
{
	char buf[48];
	int n;

	if (m->quiet || r == R_NONE)
		return;
	if (m->verbose) {
		if (r == R_CONNECT)
			n = snprintf(buf, sizeof(buf), "\r\nCONNECT %u\r\n", m->cfg.connect_rate);
		else
			n = snprintf(buf, sizeof(buf), "\r\n%s\r\n", result_text[r]);
	} else {
		n = snprintf(buf, sizeof(buf), "%d\r", (int)r);
	}
	to_pc(m, buf, (size_t)n);
}

static void stop_timers(struct sub_modem *m)
{
	ev_timer_stop(m->loop, &m->ring_timer);
	ev_timer_stop(m->loop, &m->dial_timer);
	ev_timer_stop(m->loop, &m->train_timer);
	ev_timer_stop(m->loop, &m->guard_timer);
}

static bool in_call(const struct sub_modem *m)
{
	return m->state == SUB_MODEM_DIALING || m->state == SUB_MODEM_ANSWERING ||
	       m->state == SUB_MODEM_TRAINING || m->state == SUB_MODEM_ONLINE ||
	       m->state == SUB_MODEM_ONLINE_CMD;
}

/* Go on hook; the telco's `cleared` that may follow is ours, so it prints nothing. */
static void hang_up(struct sub_modem *m)
{
	bool call = in_call(m) || m->state == SUB_MODEM_OFFHOOK ||
		    m->state == SUB_MODEM_RINGING;

	stop_timers(m);
	m->state = SUB_MODEM_IDLE;
	m->plus_count = 0;
	m->txq_head = m->txq_len = 0;
	if (call && m->ops.hangup) {
		m->hanging_up = true;
		m->ops.hangup(m->ctx);
		m->hanging_up = false;
	}
}

static void reset_settings(struct sub_modem *m)
{
	m->echo = true;
	m->verbose = true;
	m->quiet = false;
	m->dtr_mode = 2;
	memset(m->s, 0, sizeof(m->s));
	m->s[2] = '+';
	m->s[3] = CR;
	m->s[4] = LF;
	m->s[5] = BS;
	m->s[7] = 50;
	m->s[12] = 50;
}

/* CONNECT goes out while still in command state (text, then carrier/DCD), so a PC
 * that reads text until the modem is online sees it. */
static void go_online(struct sub_modem *m)
{
	stop_timers(m);
	m->st.connects++;
	result(m, R_CONNECT);
	m->state = SUB_MODEM_ONLINE;
	m->last_pc_octet = ev_now(m->loop);
	m->plus_count = 0;
}

static void answer(struct sub_modem *m)
{
	ev_timer_stop(m->loop, &m->ring_timer);
	m->state = SUB_MODEM_ANSWERING;
	m->st.answers++;
	if (!m->ops.answer || m->ops.answer(m->ctx) < 0) {
		m->state = SUB_MODEM_IDLE;
		m->st.no_carrier++;
		result(m, R_NO_CARRIER);
		return;
	}
	if (m->state == SUB_MODEM_ANSWERING)	/* S7: wait for the carrier */
		ev_timer_start(m->loop, &m->dial_timer, (ev_time_t)(m->s[7] ? m->s[7] : 50) *
			       EV_SEC);
}

/* ---- timers ------------------------------------------------------------------------ */

static void ring_tick(struct ev_timer *t, void *arg)
{
	struct sub_modem *m = arg;

	(void)t;
	if (m->state != SUB_MODEM_RINGING)
		return;
	m->ring_count++;
	m->st.rings++;
	result(m, R_RING);
	if (m->s[0] && m->ring_count >= m->s[0]) {
		answer(m);
		return;
	}
	ev_timer_start(m->loop, &m->ring_timer, m->cfg.ring_period);
}

static void dial_expired(struct ev_timer *t, void *arg)
{
	struct sub_modem *m = arg;

	(void)t;
	if (m->state != SUB_MODEM_DIALING && m->state != SUB_MODEM_ANSWERING)
		return;
	hang_up(m);
	m->st.no_carrier++;
	result(m, R_NO_CARRIER);
}

static void trained(struct ev_timer *t, void *arg)
{
	struct sub_modem *m = arg;

	(void)t;
	if (m->state == SUB_MODEM_TRAINING)
		go_online(m);
}

static void guard_after(struct ev_timer *t, void *arg)
{
	struct sub_modem *m = arg;

	(void)t;
	if (m->state == SUB_MODEM_ONLINE && m->plus_count == 3) {
		m->state = SUB_MODEM_ONLINE_CMD;
		m->plus_count = 0;
		m->cmd_len = 0;
		m->st.escapes++;
		result(m, R_OK);
	}
}

/* ---- commands ---------------------------------------------------------------------- */

static unsigned number_at(const char *s, size_t *i)
{
	unsigned v = 0;

	while (isdigit((unsigned char)s[*i]) && v < 1000)
		v = v * 10 + (unsigned)(s[(*i)++] - '0');
	return v;
}

/* D<string>: the rest of the line.  Returns the result to print. */
static enum result cmd_dial(struct sub_modem *m, const char *s)
{
	char digits[SUB_MODEM_NUMBER_MAX + 1];
	size_t k = 0;

	if (in_call(m) || m->state == SUB_MODEM_RINGING)
		return R_ERROR;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];

		if ((isdigit((unsigned char)c) || c == '*' || c == '#') &&
		    k < SUB_MODEM_NUMBER_MAX)
			digits[k++] = c;
		/* T P W , @ ! - ( ) space and ';' are dial modifiers or separators */
	}
	digits[k] = 0;
	if (k == 0)
		return R_ERROR;
	snprintf(m->st.last_dialed, sizeof(m->st.last_dialed), "%s", digits);
	m->st.dials++;
	m->state = SUB_MODEM_DIALING;
	if (!m->ops.dial || m->ops.dial(m->ctx, digits) < 0) {
		m->state = SUB_MODEM_IDLE;
		return R_NO_DIALTONE;
	}
	if (m->state == SUB_MODEM_DIALING)	/* the telco may have answered at once */
		ev_timer_start(m->loop, &m->dial_timer,
			       m->s[7] ? (ev_time_t)m->s[7] * EV_SEC : m->cfg.dial_timeout);
	return R_NONE;
}

static void run_command_line(struct sub_modem *m, const char *line)
{
	size_t i = 2;				/* after "AT" */
	enum result r = R_OK;

	m->st.commands++;
	while (line[i] && r == R_OK) {
		char c = (char)toupper((unsigned char)line[i++]);
		unsigned v;

		switch (c) {
		case ' ':
			break;
		case 'E':
			m->echo = number_at(line, &i) != 0;
			break;
		case 'V':
			m->verbose = number_at(line, &i) != 0;
			break;
		case 'Q':
			m->quiet = number_at(line, &i) != 0;
			break;
		case 'Z':
			hang_up(m);
			reset_settings(m);
			number_at(line, &i);
			result(m, R_OK);
			return;
		case '&':
			c = (char)toupper((unsigned char)line[i]);
			if (!c) {
				r = R_ERROR;
				break;
			}
			i++;
			v = number_at(line, &i);
			if (c == 'F')
				reset_settings(m);
			else if (c == 'D')
				m->dtr_mode = (uint8_t)(v > 3 ? 2 : v);
			else if (!strchr("CKSWVY", c))
				r = R_ERROR;
			break;
		case 'S': {
			unsigned reg = number_at(line, &i);

			if (reg >= SUB_MODEM_SREGS) {
				r = R_ERROR;
			} else if (line[i] == '=') {
				i++;
				v = number_at(line, &i);
				if (v > 255)
					r = R_ERROR;
				else
					m->s[reg] = (uint8_t)v;
			} else if (line[i] == '?') {
				char buf[16];
				int n = snprintf(buf, sizeof(buf), "\r\n%03u\r\n", m->s[reg]);

				i++;
				to_pc(m, buf, (size_t)n);
			} else {
				r = R_ERROR;
			}
			break;
		}
		case 'D':
			r = cmd_dial(m, line + i);
			result(m, r);
			return;
		case 'A':
			if (m->state != SUB_MODEM_RINGING) {
				r = R_NO_CARRIER;
				break;
			}
			answer(m);
			return;			/* CONNECT or NO CARRIER follows */
		case 'H':
			v = number_at(line, &i);
			if (v == 1) {
				if (in_call(m))
					hang_up(m);
				m->state = SUB_MODEM_OFFHOOK;
			} else {
				hang_up(m);
			}
			break;
		case 'O':
			number_at(line, &i);
			if (m->state != SUB_MODEM_ONLINE_CMD) {
				r = R_NO_CARRIER;
				break;
			}
			result(m, R_CONNECT);
			m->state = SUB_MODEM_ONLINE;
			m->last_pc_octet = ev_now(m->loop);
			return;
		case 'I': {
			static const char id[] = "\r\ndialback subscriber modem\r\n";

			number_at(line, &i);
			to_pc(m, id, sizeof(id) - 1);
			break;
		}
		case 'L': case 'M': case 'X': case 'B': case 'N': case 'W':
			number_at(line, &i);
			break;
		default:
			r = R_ERROR;
			break;
		}
	}
	if (r == R_ERROR)
		m->st.errors++;
	result(m, r);
}

static void command_char(struct sub_modem *m, uint8_t c)
{
	if (m->echo)
		to_pc(m, &c, 1);
	if (c == m->s[3]) {			/* CR: end of line */
		m->cmd[m->cmd_len] = 0;
		m->cmd_len = 0;
		m->cmd_a_seen = false;
		if ((m->cmd[0] == 'A' || m->cmd[0] == 'a') &&
		    (m->cmd[1] == 'T' || m->cmd[1] == 't')) {
			snprintf(m->last_cmd, sizeof(m->last_cmd), "%s", m->cmd);
			run_command_line(m, m->cmd);
		}
		return;
	}
	if (c == m->s[5] || c == 127) {		/* backspace */
		if (m->cmd_len)
			m->cmd_len--;
		return;
	}
	if (c == LF || c == 0)
		return;
	if (m->cmd_len == 0 && c != 'A' && c != 'a')
		return;				/* junk before "AT" */
	if (m->cmd_len == 1 && c == '/') {	/* A/: repeat the last command */
		m->cmd_len = 0;
		if (m->last_cmd[0])
			run_command_line(m, m->last_cmd);
		return;
	}
	if (m->cmd_len == 1 && c != 'T' && c != 't') {
		m->cmd_len = (c == 'A' || c == 'a') ? 1 : 0;
		return;
	}
	if (m->cmd_len < SUB_MODEM_CMD_MAX)
		m->cmd[m->cmd_len++] = (char)c;
	else
		m->cmd_len = 0;			/* overlong: dropped */
}

/* ---- the PC's side ----------------------------------------------------------------- */

static void data_from_pc(struct sub_modem *m, const uint8_t *d, size_t n)
{
	ev_time_t now = ev_now(m->loop);
	ev_time_t guard = m->s[12] ? (ev_time_t)m->s[12] * 20 * EV_MSEC : m->cfg.guard_time;

	for (size_t i = 0; i < n; i++) {
		if (d[i] == m->s[2] && m->s[2] < 128 &&
		    (m->plus_count > 0 || now - m->last_pc_octet >= guard)) {
			if (m->plus_count < 3 && ++m->plus_count == 3)
				ev_timer_start(m->loop, &m->guard_timer, guard);
			else if (m->plus_count >= 3)
				m->plus_count = 4;	/* a fourth '+': not an escape */
		} else {
			m->plus_count = 0;
		}
		if (m->plus_count == 0 || m->plus_count == 4)
			ev_timer_stop(m->loop, &m->guard_timer);
		m->last_pc_octet = now;
	}
	m->st.to_line += n;
	if (m->ops.to_line) {
		m->ops.to_line(m->ctx, d, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {		/* pull mode */
		if (m->txq_len == sizeof(m->txq)) {
			m->st.txq_overflow += n - i;
			break;
		}
		m->txq[(m->txq_head + m->txq_len++) % sizeof(m->txq)] = d[i];
	}
}

size_t sub_modem_line_pull(struct sub_modem *m, uint8_t *out, size_t max)
{
	size_t k = 0;

	while (k < max && m->txq_len) {
		out[k++] = m->txq[m->txq_head];
		m->txq_head = (m->txq_head + 1) % sizeof(m->txq);
		m->txq_len--;
	}
	return k;
}

size_t sub_modem_line_pending(const struct sub_modem *m)
{
	return m->txq_len;
}

void sub_modem_from_pc(struct sub_modem *m, const uint8_t *d, size_t n)
{
	if (!m->dtr && m->dtr_mode != 0)
		return;
	if (m->state == SUB_MODEM_ONLINE) {
		data_from_pc(m, d, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (m->state == SUB_MODEM_DIALING || m->state == SUB_MODEM_ANSWERING) {
			hang_up(m);		/* a key pressed while dialing aborts */
			m->st.no_carrier++;
			result(m, R_NO_CARRIER);
			continue;
		}
		if (m->state == SUB_MODEM_TRAINING || m->state == SUB_MODEM_ONLINE)
			continue;
		command_char(m, d[i]);
		if (m->state == SUB_MODEM_ONLINE && i + 1 < n) {	/* ATO, then data */
			data_from_pc(m, d + i + 1, n - i - 1);
			return;
		}
	}
}

void sub_modem_command(struct sub_modem *m, const char *line)
{
	sub_modem_from_pc(m, (const uint8_t *)line, strlen(line));
	sub_modem_from_pc(m, &m->s[3], 1);
}

void sub_modem_set_dtr(struct sub_modem *m, bool on)
{
	bool was = m->dtr;

	m->dtr = on;
	if (on || !was || m->dtr_mode == 0)
		return;
	if (m->dtr_mode == 1) {			/* &D1: to online command mode */
		if (m->state == SUB_MODEM_ONLINE) {
			m->state = SUB_MODEM_ONLINE_CMD;
			result(m, R_OK);
		}
		return;
	}
	if (in_call(m) || m->state == SUB_MODEM_OFFHOOK) {
		bool had_carrier = m->state == SUB_MODEM_ONLINE ||
				   m->state == SUB_MODEM_ONLINE_CMD;

		hang_up(m);
		if (had_carrier) {
			m->st.no_carrier++;
			result(m, R_NO_CARRIER);
		}
	}
	if (m->dtr_mode == 3)
		reset_settings(m);
}

/* ---- the telco's side -------------------------------------------------------------- */

int sub_modem_ring(struct sub_modem *m)
{
	if (m->state != SUB_MODEM_IDLE)
		return -EBUSY;
	m->state = SUB_MODEM_RINGING;
	m->ring_count = 0;
	ring_tick(&m->ring_timer, m);
	return 0;
}

void sub_modem_alerting(struct sub_modem *m)
{
	(void)m;			/* ringback tone: nothing to report with X0..X4 */
}

void sub_modem_connected(struct sub_modem *m)
{
	if (m->state != SUB_MODEM_DIALING && m->state != SUB_MODEM_ANSWERING)
		return;
	ev_timer_stop(m->loop, &m->dial_timer);
	m->state = SUB_MODEM_TRAINING;
	if (m->cfg.train_time)
		ev_timer_start(m->loop, &m->train_timer, m->cfg.train_time);
	else
		go_online(m);
}

void sub_modem_cleared(struct sub_modem *m, uint8_t cause)
{
	enum sub_modem_state was = m->state;

	if (m->hanging_up || was == SUB_MODEM_IDLE || was == SUB_MODEM_OFFHOOK)
		return;
	stop_timers(m);
	m->state = SUB_MODEM_IDLE;
	m->plus_count = 0;
	m->txq_head = m->txq_len = 0;
	if (was == SUB_MODEM_RINGING)
		return;				/* the caller gave up: the rings stop */
	if (was == SUB_MODEM_DIALING && cause == 17) {
		m->st.busy++;
		result(m, R_BUSY);
	} else if (was == SUB_MODEM_DIALING && (cause == 18 || cause == 19)) {
		m->st.no_answer++;
		result(m, R_NO_ANSWER);
	} else {
		m->st.no_carrier++;
		result(m, R_NO_CARRIER);
	}
}

void sub_modem_from_line(struct sub_modem *m, const uint8_t *d, size_t n)
{
	if (m->state != SUB_MODEM_ONLINE) {
		m->st.line_dropped += n;
		return;
	}
	m->st.to_pc_data += n;
	to_pc(m, d, n);
}

/* ---- life cycle -------------------------------------------------------------------- */

void sub_modem_config_default(struct sub_modem_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->train_time = 0;
	cfg->ring_period = 6 * EV_SEC;
	cfg->guard_time = EV_SEC;
	cfg->dial_timeout = 50 * EV_SEC;
	cfg->connect_rate = 64000;
}

void sub_modem_init(struct sub_modem *m, struct ev_loop *loop, const struct sub_modem_config *cfg,
		    const struct sub_modem_ops *ops, void *ctx)
{
	memset(m, 0, sizeof(*m));
	if (cfg)
		m->cfg = *cfg;
	else
		sub_modem_config_default(&m->cfg);
	if (!m->cfg.ring_period)
		m->cfg.ring_period = 6 * EV_SEC;
	if (!m->cfg.connect_rate)
		m->cfg.connect_rate = 64000;
	if (ops)
		m->ops = *ops;
	m->ctx = ctx;
	m->loop = loop;
	m->dtr = true;
	m->state = SUB_MODEM_IDLE;
	reset_settings(m);
	m->s[7] = (uint8_t)(m->cfg.dial_timeout ? (m->cfg.dial_timeout / EV_SEC > 255 ? 255 :
						    m->cfg.dial_timeout / EV_SEC) : 50);
	m->s[12] = (uint8_t)(m->cfg.guard_time ? (m->cfg.guard_time / (20 * EV_MSEC) > 255 ?
						   255 : m->cfg.guard_time / (20 * EV_MSEC)) : 50);
	ev_timer_init(&m->ring_timer, ring_tick, m);
	ev_timer_init(&m->dial_timer, dial_expired, m);
	ev_timer_init(&m->train_timer, trained, m);
	ev_timer_init(&m->guard_timer, guard_after, m);
}

void sub_modem_fini(struct sub_modem *m)
{
	stop_timers(m);
}

bool sub_modem_online(const struct sub_modem *m)
{
	return m->state == SUB_MODEM_ONLINE;
}

const struct sub_modem_stats *sub_modem_stats(const struct sub_modem *m)
{
	return &m->st;
}

const char *sub_modem_state_name(enum sub_modem_state s)
{
	static const char *const names[] = {
		[SUB_MODEM_IDLE] = "idle", [SUB_MODEM_OFFHOOK] = "offhook",
		[SUB_MODEM_DIALING] = "dialing", [SUB_MODEM_RINGING] = "ringing",
		[SUB_MODEM_ANSWERING] = "answering", [SUB_MODEM_TRAINING] = "training",
		[SUB_MODEM_ONLINE] = "online", [SUB_MODEM_ONLINE_CMD] = "online-command",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

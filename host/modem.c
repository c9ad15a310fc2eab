/*
 * modem.c - the NAS-side Hayes modem of one line (see modem.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "modem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

#define MODEM_DEFAULT_SPEED	64000u
#define MODEM_RING_PERIOD	(1 * EV_SEC)

/* --- profiles and results -------------------------------------------------------- */

static void factory_profile(struct modem_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->echo = true;
	p->verbose = true;
	p->quiet = false;
	p->x_level = 4;
	p->s[0] = 0;	/* no auto-answer */
	p->s[2] = 43;	/* escape character '+' */
	p->s[3] = 13;	/* CR */
	p->s[4] = 10;	/* LF */
	p->s[5] = 8;	/* BS */
	p->s[6] = 2;	/* wait for dial tone, s */
	p->s[7] = 50;	/* wait for carrier, s */
	p->s[8] = 2;	/* comma pause, s */
	p->s[9] = 6;	/* carrier detect, 1/10 s */
	p->s[10] = 14;	/* carrier loss, 1/10 s */
	p->s[11] = 95;	/* DTMF duration, ms */
	p->s[12] = 50;	/* escape guard, 1/50 s */
}

static const char *result_text(enum modem_result r)
{
	switch (r) {
	case MODEM_RES_OK:		return "OK";
	case MODEM_RES_CONNECT:		return "CONNECT";
	case MODEM_RES_RING:		return "RING";
	case MODEM_RES_NO_CARRIER:	return "NO CARRIER";
	case MODEM_RES_ERROR:		return "ERROR";
	case MODEM_RES_NO_DIALTONE:	return "NO DIALTONE";
	case MODEM_RES_BUSY:		return "BUSY";
	case MODEM_RES_NO_ANSWER:	return "NO ANSWER";
	}
	return "ERROR";
}

static void out(struct modem *m, const char *s, size_t n)
{
	if (n)
		m->ops->to_dte(m->ctx, (const uint8_t *)s, n);
}

static void result(struct modem *m, enum modem_result r)
{
	char buf[48];
	int n;

	if (m->cur.quiet)
		return;
	/* The X level decides which codes a Hayes modem reports. */
	if ((r == MODEM_RES_NO_DIALTONE && (m->cur.x_level < 2 || m->cur.x_level == 3)) ||
	    (r == MODEM_RES_BUSY && m->cur.x_level < 3))
		r = MODEM_RES_NO_CARRIER;
	if (r == MODEM_RES_CONNECT && m->cur.verbose && m->cur.x_level > 0 && m->speed)
		n = snprintf(buf, sizeof(buf), "\r\nCONNECT %u\r\n", m->speed);
	else if (m->cur.verbose)
		n = snprintf(buf, sizeof(buf), "\r\n%s\r\n", result_text(r));
	else
		n = snprintf(buf, sizeof(buf), "%d\r", (int)r);
	out(m, buf, (size_t)n);
}

const char *modem_state_name(enum modem_state s)
{
	static const char *const names[] = {
		[MODEM_ONHOOK] = "on-hook", [MODEM_OFFHOOK] = "off-hook",
		[MODEM_DIALING] = "dialing", [MODEM_RINGING] = "ringing",
		[MODEM_ANSWERING] = "answering", [MODEM_TRAINING] = "training",
		[MODEM_ONLINE] = "online",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *const tty_names[] = { "IDLE", "READY", "HANGUP" };

/* The tty's view of the modem.  Only IDLE->READY is printed: the seed, taken with
 * `debug modem` on, shows that line at carrier-up and nothing at the hang-up (which
 * IOS itself started with "Async Int reset: Dropping DTR"). */
static void tty_state(struct modem *m, int to)
{
	if ((int)m->tty_state == to)
		return;
	if (m->tty_state == MODEM_TTY_IDLE && to == MODEM_TTY_READY)
		dbg(DBG_MODEM, "tty%u: Modem: %s->%s", m->line, tty_names[m->tty_state],
		    tty_names[to]);
	m->tty_state = to;
}

static void set_hook(struct modem *m, bool off)
{
	if (m->ops->hook)
		m->ops->hook(m->ctx, off);
}

/* Leave any call and return to on-hook command mode.  `release`: tell call control. */
static void go_onhook(struct modem *m, bool release)
{
	enum modem_state was = m->state;

	ev_timer_stop(m->loop, &m->ring_timer);
	ev_timer_stop(m->loop, &m->call_timer);
	m->state = MODEM_ONHOOK;
	m->rings = 0;
	m->cur.s[1] = 0;
	if (release && m->in_call && m->ops->hangup)
		m->ops->hangup(m->ctx);
	m->in_call = false;
	if (was == MODEM_ONLINE && m->ops->carrier)
		m->ops->carrier(m->ctx, false);
	if (m->dsr || ev_timer_active(&m->dsr_timer)) {
		ev_timer_stop(m->loop, &m->dsr_timer);
		if (m->dsr) {
			m->dsr = false;
			tty_state(m, MODEM_TTY_HANGUP);
			if (m->ops->dsr)
				m->ops->dsr(m->ctx, false);
		}
	}
	if (was != MODEM_ONHOOK && was != MODEM_RINGING)
		set_hook(m, false);
}

/* --- timers ---------------------------------------------------------------------- */

static void answer_call(struct modem *m)
{
	ev_timer_stop(m->loop, &m->ring_timer);
	if (m->ops->answer && m->ops->answer(m->ctx) < 0) {
		go_onhook(m, true);
		result(m, MODEM_RES_NO_CARRIER);
		return;
	}
	m->state = MODEM_ANSWERING;
	set_hook(m, true);
	ev_timer_start(m->loop, &m->call_timer, (ev_time_t)m->cur.s[7] * EV_SEC);
}

static void ring_cb(struct ev_timer *t, void *arg)
{
	struct modem *m = arg;

	(void)t;
	if (m->state != MODEM_RINGING)
		return;
	if (m->cur.s[0] && m->rings >= m->cur.s[0]) {
		answer_call(m);
		return;
	}
	m->rings++;
	m->cur.s[1] = (uint8_t)(m->rings > 255 ? 255 : m->rings);
	result(m, MODEM_RES_RING);
	ev_timer_start(m->loop, &m->ring_timer, m->cfg.ring_period);
}

static void go_online(struct modem *m)
{
	m->state = MODEM_ONLINE;
	result(m, MODEM_RES_CONNECT);
	if (m->state != MODEM_ONLINE)	/* the DTE hung up on the CONNECT */
		return;
	if (m->ops->carrier)
		m->ops->carrier(m->ctx, true);
	if (m->state == MODEM_ONLINE)
		ev_timer_start(m->loop, &m->dsr_timer, m->cfg.dsr_delay);
}

static void call_cb(struct ev_timer *t, void *arg)
{
	struct modem *m = arg;

	(void)t;
	switch (m->state) {
	case MODEM_TRAINING:
		go_online(m);
		break;
	case MODEM_DIALING:
	case MODEM_ANSWERING:
		/* S7 expired without carrier. */
		m->calls_failed++;
		go_onhook(m, true);
		result(m, MODEM_RES_NO_CARRIER);
		break;
	default:
		break;
	}
}

static void dsr_cb(struct ev_timer *t, void *arg)
{
	struct modem *m = arg;

	(void)t;
	if (m->state != MODEM_ONLINE || m->dsr)
		return;
	m->dsr = true;
	dbg(DBG_MODEM, "TTY%u: DSR came up", m->line);
	if (m->tty_state == MODEM_TTY_HANGUP)
		tty_state(m, MODEM_TTY_IDLE);
	tty_state(m, MODEM_TTY_READY);
	if (m->ops->dsr)
		m->ops->dsr(m->ctx, true);
}

/* --- setup ----------------------------------------------------------------------- */

void modem_init(struct modem *m, struct ev_loop *loop, unsigned line,
		const struct modem_cfg *cfg, const struct modem_ops *ops, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->loop = loop;
	m->line = line;
	m->ops = ops;
	m->ctx = ctx;
	if (cfg)
		m->cfg = *cfg;
	else
		m->cfg.answer_rings = 1;
	if (!m->cfg.speed)
		m->cfg.speed = MODEM_DEFAULT_SPEED;
	if (!m->cfg.ring_period)
		m->cfg.ring_period = MODEM_RING_PERIOD;
	factory_profile(&m->cur);
	m->cur.s[0] = m->cfg.answer_rings;
	m->stored = m->cur;
	m->state = MODEM_ONHOOK;
	ev_timer_init(&m->ring_timer, ring_cb, m);
	ev_timer_init(&m->call_timer, call_cb, m);
	ev_timer_init(&m->dsr_timer, dsr_cb, m);
}

void modem_fini(struct modem *m)
{
	ev_timer_stop(m->loop, &m->ring_timer);
	ev_timer_stop(m->loop, &m->call_timer);
	ev_timer_stop(m->loop, &m->dsr_timer);
}

void modem_set_busyout(struct modem *m, bool on)
{
	m->cfg.busyout = on;
}

/* --- AT interpreter -------------------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char up(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c; }

/* Optional decimal after a command letter; *present tells whether there was one. */
static unsigned number(const char *cmd, unsigned *i, bool *present)
{
	unsigned v = 0;

	*present = false;
	while (is_digit(cmd[*i])) {
		*present = true;
		if (v < 100000)
			v = v * 10 + (unsigned)(cmd[*i] - '0');
		(*i)++;
	}
	return v;
}

enum exec_res { EXEC_OK, EXEC_ERROR, EXEC_NONE };

static enum exec_res do_dial(struct modem *m, const char *s)
{
	char digits[MODEM_DIAL_MAX + 1];
	unsigned n = 0;

	for (; *s; s++) {
		char c = up(*s);

		if (is_digit(c) || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) {
			if (n >= MODEM_DIAL_MAX)
				return EXEC_ERROR;
			digits[n++] = c;
		} else if (!strchr("TPW,;!@-(). ", c)) {
			return EXEC_ERROR;
		}
	}
	digits[n] = '\0';
	if (!n)
		return EXEC_ERROR;
	if (m->state != MODEM_ONHOOK && m->state != MODEM_OFFHOOK)
		return EXEC_ERROR;
	snprintf(m->dialled, sizeof(m->dialled), "%s", digits);
	if (m->cfg.busyout || !m->ops->dial) {
		result(m, MODEM_RES_NO_DIALTONE);
		return EXEC_NONE;
	}
	m->calls_out++;
	m->state = MODEM_DIALING;
	m->in_call = true;
	set_hook(m, true);
	if (m->ops->dial(m->ctx, digits) < 0) {
		m->in_call = false;
		m->calls_failed++;
		go_onhook(m, false);
		result(m, MODEM_RES_NO_DIALTONE);
		return EXEC_NONE;
	}
	if (m->state == MODEM_DIALING)
		ev_timer_start(m->loop, &m->call_timer, (ev_time_t)m->cur.s[7] * EV_SEC);
	return EXEC_NONE;
}

static void info(struct modem *m, unsigned n)
{
	char buf[96];
	int len;

	switch (n) {
	case 0: len = snprintf(buf, sizeof(buf), "\r\n%u", m->speed ? m->speed : m->cfg.speed); break;
	case 3: len = snprintf(buf, sizeof(buf), "\r\ndialback digital modem (line %u)", m->line); break;
	default: len = snprintf(buf, sizeof(buf), "\r\ndialback"); break;
	}
	if (m->cur.verbose)
		out(m, buf, (size_t)len);
}

static enum exec_res exec_line(struct modem *m, const char *cmd)
{
	unsigned i = 0, v;
	bool has;

	while (cmd[i]) {
		char c = up(cmd[i++]);

		switch (c) {
		case ' ':
			break;
		case 'A':
			if (m->state != MODEM_RINGING) {
				result(m, MODEM_RES_NO_CARRIER);
				return EXEC_NONE;
			}
			answer_call(m);
			return EXEC_NONE;
		case 'D':
			return do_dial(m, cmd + i);
		case 'E':
		case 'Q':
		case 'V':
			v = number(cmd, &i, &has);
			if (v > 1)
				return EXEC_ERROR;
			if (c == 'E')
				m->cur.echo = v;
			else if (c == 'Q')
				m->cur.quiet = v;
			else
				m->cur.verbose = v;
			break;
		case 'H':
			v = number(cmd, &i, &has);
			if (v > 1)
				return EXEC_ERROR;
			if (v == 0) {
				go_onhook(m, true);
			} else if (m->state == MODEM_ONHOOK) {
				m->state = MODEM_OFFHOOK;
				set_hook(m, true);
			} else if (m->state != MODEM_OFFHOOK) {
				return EXEC_ERROR;
			}
			break;
		case 'I':
			v = number(cmd, &i, &has);
			if (v > 9)
				return EXEC_ERROR;
			info(m, v);
			break;
		case 'L':
		case 'M':
			if (number(cmd, &i, &has) > 3)
				return EXEC_ERROR;
			break;
		case 'X':
			v = number(cmd, &i, &has);
			if (v > 4)
				return EXEC_ERROR;
			m->cur.x_level = (uint8_t)v;
			break;
		case 'O':
			(void)number(cmd, &i, &has);
			result(m, MODEM_RES_NO_CARRIER);	/* no call to return to */
			return EXEC_NONE;
		case 'Z':
			(void)number(cmd, &i, &has);
			go_onhook(m, true);
			m->cur = m->stored;
			return EXEC_OK;	/* the rest of the line is ignored, as on a Hayes */
		case 'S': {
			unsigned reg = number(cmd, &i, &has);

			if (!has || reg >= MODEM_NSREG)
				return EXEC_ERROR;
			if (cmd[i] == '=') {
				i++;
				v = number(cmd, &i, &has);
				if (v > 255)
					return EXEC_ERROR;
				if (reg != 1)	/* S1 (ring count) is read-only */
					m->cur.s[reg] = (uint8_t)v;
			} else if (cmd[i] == '?') {
				char buf[16];
				int n;

				i++;
				n = snprintf(buf, sizeof(buf), "\r\n%03u", m->cur.s[reg]);
				out(m, buf, (size_t)n);
			} else {
				return EXEC_ERROR;
			}
			break;
		}
		case '&': {
			char a = up(cmd[i]);

			if (!a)
				return EXEC_ERROR;
			i++;
			v = number(cmd, &i, &has);
			if (a == 'F') {
				factory_profile(&m->cur);
			} else if (a == 'W') {
				m->stored = m->cur;
			} else if (!strchr("CDKSVYQ", a) || v > 9) {
				return EXEC_ERROR;
			}
			break;
		}
		default:
			return EXEC_ERROR;
		}
	}
	return EXEC_OK;
}

static void run_command(struct modem *m, const char *cmd)
{
	char line[MODEM_CMD_MAX + 1];
	enum exec_res r;

	/* A DTE that answers from inside to_dte (a chat script) may type the next
	 * command while this one runs: work on a copy. */
	snprintf(line, sizeof(line), "%s", cmd);
	r = exec_line(m, line);

	if (r == EXEC_OK) {
		result(m, MODEM_RES_OK);
	} else if (r == EXEC_ERROR) {
		m->errors++;
		result(m, MODEM_RES_ERROR);
	}
}

static void command_char(struct modem *m, uint8_t ch)
{
	if (m->cur.echo)
		out(m, (const char *)&ch, 1);
	if (!m->collecting) {
		char c = up((char)ch);

		if (m->seen_a && c == 'T') {
			m->collecting = true;
			m->cmd_len = 0;
			m->cmd_overflow = false;
			m->seen_a = false;
		} else if (m->seen_a && ch == '/') {
			m->seen_a = false;
			run_command(m, m->last_cmd);
		} else {
			m->seen_a = c == 'A';
		}
		return;
	}
	if (ch == m->cur.s[3]) {
		m->collecting = false;
		m->cmd[m->cmd_len] = '\0';
		if (m->cmd_overflow) {
			m->errors++;
			result(m, MODEM_RES_ERROR);
			return;
		}
		memcpy(m->last_cmd, m->cmd, m->cmd_len + 1);
		run_command(m, m->cmd);
		return;
	}
	if (ch == m->cur.s[5] || ch == 0x7f) {
		if (m->cmd_len)
			m->cmd_len--;
		return;
	}
	if (ch < 0x20 || ch >= 0x7f)
		return;		/* LF and other control / 8-bit characters are ignored */
	if (m->cmd_len >= MODEM_CMD_MAX) {
		m->cmd_overflow = true;
		return;
	}
	m->cmd[m->cmd_len++] = (char)ch;
}

void modem_dte_input(struct modem *m, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (m->state) {
		case MODEM_ONLINE:
			if (m->ops->line_tx)
				m->ops->line_tx(m->ctx, data + i, len - i);
			return;
		case MODEM_DIALING:
		case MODEM_ANSWERING:
		case MODEM_TRAINING:
			/* Any key aborts a call in progress. */
			m->calls_failed++;
			go_onhook(m, true);
			result(m, MODEM_RES_NO_CARRIER);
			break;
		default:
			command_char(m, data[i]);
			break;
		}
	}
}

void modem_set_dtr(struct modem *m, bool on)
{
	if (on == m->dtr)
		return;
	m->dtr = on;
	if (on) {
		if (m->tty_state == MODEM_TTY_HANGUP)
			tty_state(m, MODEM_TTY_IDLE);
		return;
	}
	/* AT&D2: DTR drop hangs up and returns to command mode. */
	m->collecting = false;
	m->seen_a = false;
	if (m->state != MODEM_ONHOOK)
		go_onhook(m, true);
}

void modem_async_reset(struct modem *m)
{
	dbg(DBG_MODEM, "TTY%u: Async Int reset: Dropping DTR", m->line);
	modem_set_dtr(m, false);
}

/* --- call side ------------------------------------------------------------------- */

int modem_incoming_call(struct modem *m)
{
	if (m->cfg.busyout || m->state != MODEM_ONHOOK || !m->dtr)
		return -EBUSY;
	m->calls_in++;
	m->state = MODEM_RINGING;
	m->in_call = true;
	m->rings = 1;
	m->cur.s[1] = 1;
	m->speed = 0;
	result(m, MODEM_RES_RING);
	if (m->state == MODEM_RINGING)
		ev_timer_start(m->loop, &m->ring_timer, m->cfg.ring_period);
	return 0;
}

void modem_call_connected(struct modem *m, unsigned speed)
{
	if (m->state != MODEM_DIALING && m->state != MODEM_ANSWERING)
		return;
	ev_timer_stop(m->loop, &m->call_timer);
	m->speed = speed ? speed : m->cfg.speed;
	m->state = MODEM_TRAINING;
	if (m->cfg.train_time)
		ev_timer_start(m->loop, &m->call_timer, m->cfg.train_time);
	else
		go_online(m);
}

void modem_call_failed(struct modem *m, enum modem_fail why)
{
	static const enum modem_result map[] = {
		[MODEM_FAIL_BUSY] = MODEM_RES_BUSY, [MODEM_FAIL_NO_ANSWER] = MODEM_RES_NO_ANSWER,
		[MODEM_FAIL_NO_DIALTONE] = MODEM_RES_NO_DIALTONE,
		[MODEM_FAIL_NO_CARRIER] = MODEM_RES_NO_CARRIER,
	};

	if (m->state != MODEM_DIALING && m->state != MODEM_ANSWERING &&
	    m->state != MODEM_TRAINING)
		return;
	m->calls_failed++;
	m->in_call = false;	/* call control already released it */
	go_onhook(m, false);
	result(m, (unsigned)why < 4 ? map[why] : MODEM_RES_NO_CARRIER);
}

void modem_remote_hangup(struct modem *m)
{
	enum modem_state was = m->state;

	if (was == MODEM_ONHOOK || was == MODEM_OFFHOOK)
		return;
	m->in_call = false;
	go_onhook(m, false);
	if (was != MODEM_RINGING)	/* a caller who gives up while ringing: silence */
		result(m, MODEM_RES_NO_CARRIER);
}

void modem_line_input(struct modem *m, const uint8_t *data, size_t len)
{
	if (m->state == MODEM_ONLINE && len)
		m->ops->to_dte(m->ctx, data, len);
}

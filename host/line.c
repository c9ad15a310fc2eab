/*
 * line.c - a tty line: modem, autoselect, chat, PPP and the callback sequence
 * (see line.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "line.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "nas.h"

static const char *const phase_names[] = {
	[LINE_IDLE] = "idle", [LINE_CALL] = "call", [LINE_LOGIN] = "login", [LINE_PPP] = "ppp",
	[LINE_CB_WAIT] = "callback-wait", [LINE_CB_DIAL] = "callback-dial",
	[LINE_BUSYOUT] = "busyout", [LINE_UNUSED] = "unused",
};

const char *line_phase_name(enum line_phase p)
{
	return (unsigned)p < sizeof(phase_names) / sizeof(phase_names[0]) ? phase_names[p] : "?";
}

bool line_free(const struct line *l)
{
	return l->phase == LINE_IDLE && l->modem.state == MODEM_ONHOOK;
}

/* --- the card channel --------------------------------------------------------------- */

static void channel_mode(struct line *l, enum card_chan_mode mode)
{
	struct card_chan_cfg cc = {
		.mode = mode, .rx_accm = 0, .tx_accm = 0xFFFFFFFF, .mru = 1600,
	};

	if (l->chan < 0 || !l->nas->card)
		return;
	/* Until LCP has negotiated maps, the card escapes every control character and
	 * drops none it receives; ppp_set_link() then updates the maps in place. */
	card_chan_config(l->nas->card, (unsigned)l->chan, &cc);
	l->raw_mode = mode == CARD_MODE_RAW;
}

static void unbind(struct line *l)
{
	if (l->chan >= 0) {
		channel_mode(l, CARD_MODE_OFF);
		nas_unbind_channel(l->nas, l, (unsigned)l->chan);
		l->chan = -1;
		l->raw_mode = false;
	}
}

/* --- ending a call ------------------------------------------------------------------- */

static void stop_ppp(struct line *l)
{
	if (l->ppp_running) {
		l->ppp_running = false;
		ppp_lower_down(&l->ppp);
		ppp_session_fini(&l->ppp);
	}
}

/* Drop everything on the line: PPP, login, the call, the channel.  keep_callback
 * leaves a pending callback (timer, number) in place. */
static void line_reset(struct line *l, bool keep_callback)
{
	stop_ppp(l);
	autoselect_stop(&l->as);
	ev_timer_stop(l->nas->loop, &l->exec_timer);
	l->login_open = false;
	if (!keep_callback && chat_run_active(&l->chat))
		chat_run_cancel(&l->chat);
	modem_async_reset(&l->modem);	/* "Async Int reset: Dropping DTR", on hook: the
					 * modem's hangup reaches the CSM, which clears the call */
	if (l->port && l->port->call)
		csm_port_hangup(l->port);
	unbind(l);
	l->user[0] = '\0';
	l->peer_addr = 0;
	ip_session_down(&l->ip);
	if (!keep_callback) {
		ev_timer_stop(l->nas->loop, &l->cb_timer);
		l->cb_hangup_pending = false;
		l->callback_leg = false;
		l->cb_user[0] = '\0';
		l->cb_number[0] = '\0';
		l->cb_fail_why[0] = '\0';
		l->chat_stage = NULL;
	}
	l->phase = !l->cfg || !l->cfg->modem_inout || !l->port ? LINE_UNUSED :
		   l->cfg->modem_busyout ? LINE_BUSYOUT : LINE_IDLE;
	/* Back to idle, the line raises DTR again so its modem takes the next call (a
	 * pending callback raises it in its chat script, "CHAT4: Asserting DTR"). */
	if (!keep_callback && l->port)
		modem_set_dtr(&l->modem, true);
	if (!keep_callback && l->cfg_pending)
		line_apply_config(l, l->next_cfg);
	if (!keep_callback && l->nas->retired)
		nas_reload_collect_later(l->nas);	/* host/nas_reload.c */
}

void line_clear(struct line *l, const char *why)
{
	log_notice("%s: cleared (%s)", l->tty_name, why);
	line_reset(l, false);
}

/* --- callback ------------------------------------------------------------------------ */

/* The line's Async interface (its group-range clone, else the Group-Async). */
static const struct cfg_interface *async_if(const struct line *l)
{
	const struct cfg_interface *ifc = l->nas->cfg ? config_find_interface(l->nas->cfg, l->lname)
						       : NULL;

	return ifc ? ifc : l->nas->async_if;
}

/* Further attempts after a failed callback, and the wait between attempts:
 * `dialer redial interval SECONDS attempts N` on the Async interface; without it,
 * the tuning's (the daemon: none, as IOS without redial). */
static unsigned cb_retries(const struct line *l)
{
	const struct cfg_interface *ifc = async_if(l);

	return ifc && ifc->has_redial ? ifc->redial_attempts : l->nas->tune.callback_retries;
}

static ev_time_t cb_retry_wait(const struct line *l)
{
	const struct cfg_interface *ifc = async_if(l);

	return ifc && ifc->has_redial ? (ev_time_t)ifc->redial_interval * EV_SEC
				      : l->nas->tune.callback_retry_wait;
}

/* The wait from the caller's TERMREQ to the dial-back: `callback forced-wait` on
 * the line, else the tuning's (the seed's 10 s). */
static ev_time_t cb_delay(const struct line *l)
{
	if (l->cfg && l->cfg->has_forced_wait)
		return (ev_time_t)l->cfg->callback_forced_wait * EV_SEC;
	return l->nas->tune.callback_delay;
}

static void callback_failed(struct line *l, const char *why, bool may_retry);

static void cb_timer_fired(struct ev_timer *t, void *arg)
{
	struct line *l = arg;
	int rc;

	(void)t;
	if (l->cb_fail_why[0]) {
		char why[sizeof(l->cb_fail_why)];

		memcpy(why, l->cb_fail_why, sizeof(why));
		l->cb_fail_why[0] = '\0';
		callback_failed(l, why, l->cb_fail_retry);
		return;
	}
	if (l->phase != LINE_CB_WAIT)
		return;
	if (l->cb_hangup_pending) {
		ev_time_t delay = cb_delay(l);
		ev_time_t rest = delay > l->nas->tune.callback_hangup
				 ? delay - l->nas->tune.callback_hangup : 0;

		/* the TERMACK is out: hang up the caller's call, dial back later */
		l->cb_hangup_pending = false;
		line_reset(l, true);
		l->phase = LINE_CB_WAIT;
		ev_timer_start(l->nas->loop, &l->cb_timer, rest);
		return;
	}
	l->phase = LINE_CB_DIAL;
	l->callback_leg = true;
	l->chat_stage = "offhook";
	l->cb_attempt++;
	snprintf(l->rem_addr, sizeof(l->rem_addr), "async/%s", l->cb_number);
	if (l->cb_attempt > 1)
		dbg(DBG_CALLBACK, "%s Callback to %s: attempt %u of %u", l->tty_name, l->cb_number,
		    l->cb_attempt, cb_retries(l) + 1);
	rc = chat_run_start_match(&l->chat, &l->nas->chats,
				  l->cfg && l->cfg->script_offhook[0] ? l->cfg->script_offhook
								      : "offhook",
				  l->cb_number);
	if (rc < 0)
		callback_failed(l, "no offhook chat script", false);
}

static void start_callback(struct line *l, const char *user, const char *number)
{
	snprintf(l->cb_user, sizeof(l->cb_user), "%s", user);
	snprintf(l->cb_number, sizeof(l->cb_number), "%s", number);
	l->cb_attempt = 0;
	l->nas->stats.callbacks_started++;
	dbg(DBG_CALLBACK, "%s Callback process initiated, user: %s dialstring %s", l->tty_name,
	    user, number);
	dbg(DBG_CALLBACK, "%s Callback forced wait = %u seconds", l->tty_name,
	    (unsigned)(cb_delay(l) / EV_SEC));
	/* the session is over; the call stays up until our TERMACK has left, then the
	 * line hangs up and dials back after the callback delay */
	stop_ppp(l);
	l->phase = LINE_CB_WAIT;
	l->cb_hangup_pending = true;
	ev_timer_start(l->nas->loop, &l->cb_timer, l->nas->tune.callback_hangup);
}

/* A callback attempt failed: log why, hang up, and either wait for the next attempt
 * or give the line back.  The wrong user on the callback leg is never retried. */
static void callback_failed(struct line *l, const char *why, bool may_retry)
{
	unsigned retries = cb_retries(l);

	log_notice("%s: callback to %s for %s failed: %s", l->tty_name, l->cb_number, l->cb_user,
		   why);
	dbg(DBG_CALLBACK, "%s Callback to %s failed: %s", l->tty_name, l->cb_number, why);
	l->cb_failures++;
	snprintf(l->cb_last_number, sizeof(l->cb_last_number), "%s", l->cb_number);
	snprintf(l->cb_last_status, sizeof(l->cb_last_status), "%s", why);
	l->cb_last_time = ev_now(l->nas->loop);
	if (may_retry && l->cb_attempt <= retries) {
		ev_time_t wait = cb_retry_wait(l);

		dbg(DBG_CALLBACK, "%s Callback to %s: retry %u of %u in %u seconds", l->tty_name,
		    l->cb_number, l->cb_attempt, retries, (unsigned)(wait / EV_SEC));
		line_reset(l, true);
		l->phase = LINE_CB_WAIT;
		ev_timer_start(l->nas->loop, &l->cb_timer, wait);
		return;
	}
	dbg(DBG_CALLBACK, "%s Callback to %s for %s abandoned after %u attempt%s", l->tty_name,
	    l->cb_number, l->cb_user, l->cb_attempt, l->cb_attempt == 1 ? "" : "s");
	l->nas->stats.callbacks_failed++;
	line_reset(l, false);
}

/* From inside a PPP callback: the failure is handled on the next loop step. */
static void callback_failed_later(struct line *l, const char *why, bool may_retry)
{
	if (l->cb_fail_why[0])
		return;			/* the first reason is the one */
	snprintf(l->cb_fail_why, sizeof(l->cb_fail_why), "%s", why);
	l->cb_fail_retry = may_retry;
	ev_timer_start(l->nas->loop, &l->cb_timer, 0);
}

/* --- chat ---------------------------------------------------------------------------- */

static int chat_write(void *ctx, const uint8_t *data, size_t len)
{
	struct line *l = ctx;

	modem_dte_input(&l->modem, data, len);
	return 0;
}

static void chat_dtr(void *ctx, bool on)
{
	struct line *l = ctx;

	modem_set_dtr(&l->modem, on);
}

static void chat_done(void *ctx, int status, const char *abort_str)
{
	struct line *l = ctx;
	char why[96];

	if (l->phase != LINE_CB_DIAL)
		return;
	if (status != CHAT_EXIT_OK) {
		if (status >= CHAT_EXIT_ABORT_BASE)
			snprintf(why, sizeof(why), "chat script %s aborted on %s", l->chat_stage,
				 abort_str ? abort_str : "?");
		else if (status == CHAT_EXIT_TIMEOUT)
			snprintf(why, sizeof(why), "chat script %s timed out", l->chat_stage);
		else
			snprintf(why, sizeof(why), "chat script %s: %s", l->chat_stage,
				 chat_status_string(status));
		callback_failed(l, why, true);
		return;
	}
	if (l->chat_stage && strcmp(l->chat_stage, "offhook") == 0) {
		l->chat_stage = "callback";
		if (chat_run_start_match(&l->chat, &l->nas->chats,
					 l->cfg && l->cfg->script_callback[0] ? l->cfg->script_callback
									      : "callback",
					 l->cb_number) < 0)
			callback_failed(l, "no callback chat script", false);
		return;
	}
	/* `callback` matched CONNECT: the modem is on line; DSR starts the session */
	l->chat_stage = NULL;
	if (!modem_online(&l->modem))
		callback_failed(l, "no carrier after CONNECT", true);
}

static const struct chat_ops chat_ops = {
	.write = chat_write, .set_dtr = chat_dtr, .done = chat_done,
};

/* --- PPP ----------------------------------------------------------------------------- */

static int ppp_send_frame(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	struct line *l = ctx;

	if (l->chan < 0 || !l->nas->card)
		return -1;
	return card_send_frame(l->nas->card, (unsigned)l->chan, frame, len, flags);
}

/* LCP opened or closed: the negotiated maps go to the card in place (no flush), so
 * they apply from the next frame; LCP's own frames are sent with the full map. */
static void ppp_set_link(void *ctx, uint32_t tx_accm, uint32_t rx_accm, bool pfc, bool acfc,
			 uint16_t mru)
{
	struct line *l = ctx;
	struct card_chan_cfg cc = {
		.mode = CARD_MODE_ASYNC_HDLC, .tx_accm = tx_accm, .rx_accm = rx_accm,
		.mru = mru > 1600 ? mru : 1600,
	};

	(void)pfc;	/* address/control and protocol compression are the frame's own */
	(void)acfc;
	if (l->chan >= 0 && l->nas->card && !l->raw_mode)
		card_chan_update(l->nas->card, (unsigned)l->chan, &cc);
}

static void ppp_phase_cb(void *ctx, enum ppp_phase ph)
{
	struct line *l = ctx;

	if (ph == PPP_PHASE_NETWORK) {
		snprintf(l->user, sizeof(l->user), "%s", l->ppp.user);
		if (l->callback_leg && strcmp(l->ppp.user, l->cb_user) != 0) {
			char why[200];

			snprintf(why, sizeof(why), "wrong user on callback: '%s', expected '%s'",
				 l->ppp.user, l->cb_user);
			ppp_close(&l->ppp, "wrong user on callback");
			callback_failed_later(l, why, false);
			return;
		}
		if (l->callback_leg) {
			dbg(DBG_CALLBACK, "%s Callback to %s for %s connected", l->tty_name,
			    l->cb_number, l->cb_user);
			l->cb_successes++;
			snprintf(l->cb_last_number, sizeof(l->cb_last_number), "%s", l->cb_number);
			snprintf(l->cb_last_status, sizeof(l->cb_last_status), "success");
			l->cb_last_time = ev_now(l->nas->loop);
			l->nas->stats.callbacks_ok++;
			l->callback_leg = false;
			l->cb_user[0] = '\0';
		}
	}
}

static void ppp_callback_needed(void *ctx, const char *user, const char *number)
{
	struct line *l = ctx;

	start_callback(l, user, number);
}

static void ppp_down_cb(void *ctx, const char *reason)
{
	struct line *l = ctx;

	if (l->phase == LINE_CB_WAIT)
		return;			/* the session ended for the callback */
	log_info("%s: PPP down (%s)", l->tty_name, reason ? reason : "");
	if (l->callback_leg && l->phase == LINE_PPP) {
		callback_failed_later(l, reason ? reason : "PPP failed on the callback", true);
		return;
	}
	line_reset(l, false);
}

static void ppp_ip_up(void *ctx, uint32_t addr)
{
	((struct line *)ctx)->peer_addr = addr;
	ip_session_up(&((struct line *)ctx)->ip, addr);		/* host/ip_session.c */
}

static void ppp_ip_down(void *ctx, uint32_t addr)
{
	(void)addr;
	((struct line *)ctx)->peer_addr = 0;
	ip_session_down(&((struct line *)ctx)->ip);
}

static void ppp_ip_input(void *ctx, uint16_t proto, const uint8_t *data, size_t len)
{
	ip_session_input(&((struct line *)ctx)->ip, proto, data, len);
}

static void ppp_random(void *ctx, void *buf, size_t len)
{
	struct line *l = ctx;

	l->nas->random(l->nas->random_ctx, buf, len);
}

static const struct ppp_lower_ops ppp_ops = {
	.send = ppp_send_frame, .set_link = ppp_set_link, .phase = ppp_phase_cb, .callback_needed = ppp_callback_needed,
	.down = ppp_down_cb, .ip_up = ppp_ip_up, .ip_down = ppp_ip_down, .ip_input = ppp_ip_input,
};

static const struct ppp_lower_ops ppp_ops_random = {
	.send = ppp_send_frame, .set_link = ppp_set_link, .phase = ppp_phase_cb, .callback_needed = ppp_callback_needed,
	.down = ppp_down_cb, .ip_up = ppp_ip_up, .ip_down = ppp_ip_down, .ip_input = ppp_ip_input,
	.random = ppp_random,
};

static void start_ppp(struct line *l)
{
	stop_ppp(l);
	channel_mode(l, CARD_MODE_ASYNC_HDLC);
	ppp_session_init(&l->ppp, l->nas->loop, &l->nas->async_prof,
			 l->nas->random ? &ppp_ops_random : &ppp_ops, l, l->sname, l->lname);
	ppp_set_remote(&l->ppp, l->rem_addr);
	l->ppp_running = true;
	l->phase = LINE_PPP;
	l->nas->stats.ppp_sessions++;
	ppp_open_active(&l->ppp);
}

/* --- autoselect ---------------------------------------------------------------------- */

static void as_to_dte(void *ctx, const uint8_t *data, size_t len)
{
	struct line *l = ctx;

	modem_dte_input(&l->modem, data, len);
}

/* A terminal user's Username:/Password:, by the line's `login authentication LIST`
 * (default: the `default` list): local = the username table, line = the line's
 * password, none = anyone; no list (or no aaa new-model): the username table. */
static int as_check(void *ctx, const char *user, const char *pass)
{
	struct line *l = ctx;
	const struct nas_config *cfg = l->nas->cfg;
	const char *name = l->cfg && l->cfg->login_auth[0] ? l->cfg->login_auth : "default";
	const struct cfg_aaa_list *list = NULL;
	const char *secret;

	for (unsigned i = 0; cfg && cfg->aaa.new_model && i < cfg->aaa.nlists; i++)
		if (!cfg->aaa.lists[i].ppp && strcmp(cfg->aaa.lists[i].name, name) == 0)
			list = &cfg->aaa.lists[i];
	for (unsigned m = 0; list && m < list->nmethods; m++) {
		switch (list->methods[m]) {
		case AAA_M_NONE:
			return 0;
		case AAA_M_LINE:
			return l->cfg && l->cfg->password[0] && strcmp(l->cfg->password, pass) == 0
			       ? 0 : -1;
		case AAA_M_LOCAL:
			secret = aaa_user_secret(&l->nas->aaa, user);
			return secret && strcmp(secret, pass) == 0 ? 0 : -1;
		default:
			break;		/* tacacs+/radius/enable: not here, try the next */
		}
	}
	secret = aaa_user_secret(&l->nas->aaa, user);
	return secret && strcmp(secret, pass) == 0 ? 0 : -1;
}

static void login_end(struct line *l, const char *why)
{
	if (!l->login_open)
		return;
	l->login_open = false;
	if (why)
		aaa_login_abort(&l->nas->aaa, l->login_id, l->login_handle, l->tty, l->rem_addr, why);
}

static void as_ppp(void *ctx, const uint8_t *sample, size_t len)
{
	struct line *l = ctx;

	(void)sample;	/* the card's deframer starts at the next flag; the peer resends */
	(void)len;
	/* the seed: the first leg's login is aborted and the EXEC created again for
	 * PPP; the callback leg's login just ends */
	if (l->callback_leg) {
		login_end(l, NULL);
	} else {
		login_end(l, "Autoselected");
		dbg(DBG_MODEM, "%s: EXEC creation", l->tty_name);
	}
	start_ppp(l);
}

static void as_login(void *ctx, const char *user)
{
	static const char msg[] = "\r\n% This access server offers PPP only.\r\n";
	struct line *l = ctx;

	snprintf(l->user, sizeof(l->user), "%s", user);
	modem_dte_input(&l->modem, (const uint8_t *)msg, sizeof(msg) - 1);
	line_reset(l, false);
}

static void as_fail(void *ctx, enum autoselect_fail why)
{
	struct line *l = ctx;

	log_info("%s: login %s", l->tty_name, why == AUTOSELECT_FAIL_AUTH ? "failed" : "timed out");
	line_reset(l, false);
}

static const struct autoselect_ops as_ops = {
	.to_dte = as_to_dte, .check = as_check, .ppp = as_ppp, .login = as_login, .fail = as_fail,
};

/* --- exec-timeout ------------------------------------------------------------------- */

/* `exec-timeout MIN [SEC]` (IOS's default 10 minutes; 0 0 = never): a line idle that
 * long in login state is hung up. */
static ev_time_t exec_timeout(const struct line *l)
{
	if (l->cfg && l->cfg->has_exec_timeout)
		return ((ev_time_t)l->cfg->exec_timeout_min * 60 + l->cfg->exec_timeout_sec) * EV_SEC;
	return 10 * 60 * EV_SEC;
}

static void exec_timer_fired(struct ev_timer *t, void *arg)
{
	struct line *l = arg;

	(void)t;
	if (l->phase != LINE_LOGIN)
		return;
	log_info("%s: exec-timeout expired", l->tty_name);
	login_end(l, NULL);
	line_reset(l, false);
}

static void exec_timer_kick(struct line *l)
{
	ev_time_t t = exec_timeout(l);

	if (l->phase == LINE_LOGIN && t)
		ev_timer_start(l->nas->loop, &l->exec_timer, t);
}

/* --- modem --------------------------------------------------------------------------- */

static void modem_to_dte(void *ctx, const uint8_t *data, size_t len)
{
	struct line *l = ctx;

	if (chat_run_active(&l->chat))
		chat_input(&l->chat, data, len);
	else if (autoselect_active(&l->as))
		autoselect_input(&l->as, data, len);
}

static int modem_dial(void *ctx, const char *digits)
{
	struct line *l = ctx;

	l->call_start = ev_now(l->nas->loop);
	l->nas->stats.calls_out++;
	return csm_port_dial(l->port, digits);
}

static int modem_answer(void *ctx)
{
	struct line *l = ctx;

	return csm_port_answer(l->port);
}

static void modem_hangup(void *ctx)
{
	struct line *l = ctx;

	csm_port_hangup(l->port);
	unbind(l);
}

static void modem_hook(void *ctx, bool off_hook)
{
	struct line *l = ctx;

	csm_port_hook(l->port, off_hook);
}

static void modem_carrier(void *ctx, bool up)
{
	struct line *l = ctx;

	if (up) {
		channel_mode(l, CARD_MODE_RAW);
		return;
	}
	stop_ppp(l);
	autoselect_stop(&l->as);
	if (chat_run_active(&l->chat))
		chat_carrier_drop(&l->chat);
}

static void modem_dsr(void *ctx, bool up)
{
	struct line *l = ctx;

	if (!up)
		return;
	if (async_if(l) && async_if(l)->async_dedicated) {
		start_ppp(l);		/* async mode dedicated: no EXEC, PPP at once */
		return;
	}
	l->phase = LINE_LOGIN;
	l->as.cfg.ppp_on_flag = l->callback_leg;
	autoselect_start(&l->as);	/* "TTY4: EXEC creation" */
	exec_timer_kick(l);
	if (autoselect_active(&l->as)) {
		l->login_id = aaa_login_start(&l->nas->aaa, l->tty, l->rem_addr,
					      l->cfg ? l->cfg->login_auth : NULL, &l->login_handle);
		l->login_open = true;
	}
}

static void modem_line_tx(void *ctx, const uint8_t *data, size_t len)
{
	struct line *l = ctx;

	if (l->chan >= 0 && l->raw_mode && l->nas->card)
		card_send_raw(l->nas->card, (unsigned)l->chan, data, len);
}

static const struct modem_ops modem_ops = {
	.to_dte = modem_to_dte, .dial = modem_dial, .answer = modem_answer,
	.hangup = modem_hangup, .hook = modem_hook, .carrier = modem_carrier, .dsr = modem_dsr,
	.line_tx = modem_line_tx,
};

/* --- the B-channel -------------------------------------------------------------------- */

void line_bchan(struct line *l, unsigned chan, bool on)
{
	if (!on) {
		unbind(l);
		return;
	}
	if (l->phase == LINE_IDLE) {		/* an incoming call reached our modem */
		l->phase = LINE_CALL;
		l->callback_leg = false;
		l->call_start = ev_now(l->nas->loop);
	}
	if (l->port && l->port->call)
		snprintf(l->rem_addr, sizeof(l->rem_addr), "async/%s",
			 l->port->call->outgoing ? l->port->call->called : l->port->call->called);
	unbind(l);
	if (nas_bind_channel(l->nas, l, chan) == 0) {
		l->chan = (int)chan;
		channel_mode(l, CARD_MODE_RAW);
	}
}

void line_rx_raw(struct line *l, const uint8_t *data, size_t len)
{
	l->last_input = ev_now(l->nas->loop);
	exec_timer_kick(l);
	modem_line_input(&l->modem, data, len);
}

void line_rx_frame(struct line *l, const uint8_t *data, size_t len)
{
	l->last_input = ev_now(l->nas->loop);
	if (l->ppp_running)
		ppp_input(&l->ppp, data, len);
}

/* --- life cycle ---------------------------------------------------------------------- */

void line_init(struct line *l, struct nas *n, unsigned tty, const struct cfg_line *cfg)
{
	struct modem_cfg mc = {
		.answer_rings = 1, .speed = 64000, .ring_period = EV_SEC,
		.train_time = n->tune.modem_train_time, .dsr_delay = n->tune.modem_dsr_delay,
		.busyout = cfg && cfg->modem_busyout,
	};
	struct autoselect_cfg ac = {
		.during_login = cfg && cfg->autoselect_during_login,
		.ppp = cfg && cfg->autoselect_ppp,
	};

	memset(l, 0, sizeof(*l));
	l->nas = n;
	l->tty = tty;
	l->cfg = cfg;
	l->chan = -1;
	snprintf(l->tty_name, sizeof(l->tty_name), "TTY%u", tty);
	snprintf(l->sname, sizeof(l->sname), "As%u", tty);
	snprintf(l->lname, sizeof(l->lname), "Async%u", tty);
	modem_init(&l->modem, n->loop, tty, &mc, &modem_ops, l);
	autoselect_init(&l->as, n->loop, tty, &ac, &as_ops, l);
	chat_run_init(&l->chat, n->loop, tty, &chat_ops, l);
	ev_timer_init(&l->cb_timer, cb_timer_fired, l);
	ev_timer_init(&l->exec_timer, exec_timer_fired, l);
	ip_session_init(&l->ip, &n->tun, &l->ppp, l->sname,
			n->async_if && n->async_if->vj == CFG_VJ_PASSIVE);
	if (!cfg || !cfg->modem_inout) {
		l->phase = LINE_UNUSED;
		return;
	}
	/* tty N is the modem at slot 0, port N-1 */
	l->port = csm_add_port(&n->csm, 0, tty - 1, &csm_modem_line_ops, &l->modem);
	modem_set_dtr(&l->modem, true);
	if (cfg->modem_busyout) {
		modem_set_busyout(&l->modem, true);
		if (l->port)
			csm_port_busyout(l->port, true);
		l->phase = LINE_BUSYOUT;
	} else {
		l->phase = LINE_IDLE;
	}
}

void line_apply_config(struct line *l, const struct cfg_line *cfg)
{
	bool inout = cfg && cfg->modem_inout, busy = cfg && cfg->modem_busyout;

	if (l->phase != LINE_IDLE && l->phase != LINE_BUSYOUT && l->phase != LINE_UNUSED) {
		l->next_cfg = cfg;		/* in use: when the call ends */
		l->cfg_pending = true;
		return;
	}
	l->cfg_pending = false;
	l->next_cfg = NULL;
	l->cfg = cfg;
	l->as.cfg.during_login = cfg && cfg->autoselect_during_login;
	l->as.cfg.ppp = cfg && cfg->autoselect_ppp;
	if (inout && !l->port) {
		l->port = csm_add_port(&l->nas->csm, 0, l->tty - 1, &csm_modem_line_ops, &l->modem);
		modem_set_dtr(&l->modem, true);
	}
	/* a line without `modem InOut` takes no calls: its port is busied out */
	modem_set_busyout(&l->modem, busy || !inout);
	if (l->port)
		csm_port_busyout(l->port, busy || !inout);
	l->phase = !inout || !l->port ? LINE_UNUSED : busy ? LINE_BUSYOUT : LINE_IDLE;
}

void line_fini(struct line *l)
{
	stop_ppp(l);
	ip_session_down(&l->ip);
	autoselect_stop(&l->as);
	if (chat_run_active(&l->chat))
		chat_run_cancel(&l->chat);
	ev_timer_stop(l->nas->loop, &l->cb_timer);
	ev_timer_stop(l->nas->loop, &l->exec_timer);
	modem_fini(&l->modem);
}

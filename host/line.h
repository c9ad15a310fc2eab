/*
 * line.h - one tty line of the access server (the seed's TTY4 / Async4): its modem,
 * autoselect, chat scripts, PPP session, and the callback sequence
 *
 * A call's life on a line:
 *   incoming:  ISDN SETUP -> CSM -> modem RING -> answer -> CONNECT -> DSR -> autoselect
 *              (card channel raw) -> PPP start seen -> card channel async HDLC ->
 *              PPP (LCP, CHAP, MCB) -> ...
 *   callback:  MCB done + peer's TERMREQ -> hang up the call and drop DTR -> wait the
 *              callback delay -> chat `offhook` -> chat `callback` (ATZ, ATDT \T) ->
 *              ISDN SETUP out -> CONNECT -> PPP as a dedicated line (active open),
 *              authenticate again, must be the same user -> IPCP -> up
 *   failures (BUSY, NO CARRIER, TIMEOUT, wrong user) are logged with the reason,
 *   retried per nas_tuning, and leave the line free.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_LINE_H
#define DIALBACK_LINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "autoselect.h"
#include "chat.h"
#include "config.h"
#include "csm.h"
#include "modem.h"
#include "ip_session.h"
#include "ppp.h"

struct nas;

enum line_phase {
	LINE_IDLE,		/*!< on hook, free */
	LINE_CALL,		/*!< a call is ringing/connecting/training */
	LINE_LOGIN,		/*!< carrier up: autoselect / login */
	LINE_PPP,		/*!< PPP on the card channel */
	LINE_CB_WAIT,		/*!< callback: waiting the callback delay */
	LINE_CB_DIAL,		/*!< callback: chat scripts running, call going out */
	LINE_BUSYOUT,		/*!< modem busyout: takes no calls */
	LINE_UNUSED,		/*!< no modem on this line */
};

struct line {
	struct nas *nas;
	unsigned tty;			/*!< 1-based */
	const struct cfg_line *cfg;
	char tty_name[12];		/*!< "TTY4" */
	char sname[12];			/*!< "As4" */
	char lname[16];			/*!< "Async4" */
	char rem_addr[64];		/*!< "async/4084327528" */
	enum line_phase phase;
	struct modem modem;
	struct autoselect as;
	struct chat_run chat;
	struct ppp_session ppp;
	bool ppp_running;
	struct csm_port *port;		/*!< the line's modem on the CSM ("slot 0, port 3") */
	int chan;			/*!< bound card channel, -1 none */
	bool raw_mode;			/*!< channel in raw (character) mode */
	ev_time_t call_start;
	char user[64];			/*!< user on the line (show users) */
	/* callback */
	bool callback_leg;		/*!< this call is our dial-back */
	char cb_user[64];
	char cb_number[48];
	unsigned cb_attempt;
	bool cb_hangup_pending;		/*!< the caller's call is still up (TERMACK draining) */
	struct ev_timer cb_timer;
	const char *chat_stage;		/*!< "offhook", "callback" */
	char cb_fail_why[200];		/*!< a failure seen inside PPP, handled from cb_timer
					 *   (never tear PPP down from its own callback) */
	bool cb_fail_retry;
	/* `show dialer`: the line's dial-out record */
	unsigned cb_successes, cb_failures;
	char cb_last_number[48];
	char cb_last_status[48];
	ev_time_t cb_last_time;
	ev_time_t last_input;		/*!< idle time (show users / show caller) */
	struct ev_timer exec_timer;	/*!< exec-timeout while in login state */
	/* the EXEC login's AAA request (login authentication LIST) */
	uint32_t login_id, login_handle;
	bool login_open;
	/* reload: a line in use keeps its settings until its call ends */
	const struct cfg_line *next_cfg;
	bool cfg_pending;
	uint32_t peer_addr;
	struct ip_session ip;		/*!< the session's IP data plane */
};

void line_init(struct line *l, struct nas *n, unsigned tty, const struct cfg_line *cfg);
void line_fini(struct line *l);
bool line_free(const struct line *l);
const char *line_phase_name(enum line_phase p);

/* From the CSM: the line's modem is switched to (on) or away from a B-channel's card
 * channel. */
void line_bchan(struct line *l, unsigned chan, bool on);
/* From the card, for the line's bound channel. */
void line_rx_raw(struct line *l, const uint8_t *data, size_t len);
void line_rx_frame(struct line *l, const uint8_t *data, size_t len);
/* Reload (SIGHUP): the line's new settings; a free line takes them at once, a line
 * in use when its call ends (the session keeps what it negotiated). */
void line_apply_config(struct line *l, const struct cfg_line *cfg);

/* Operator: `clear line N`. */
void line_clear(struct line *l, const char *why);

/* The operator's line commands: show users, show line, show caller [line N]
 * [timeouts], show dialer, show running-config, clear line (host/line_cli.c). */
struct ctl;
void line_cli_register(struct nas *n, struct ctl *c);

#endif /* DIALBACK_LINE_H */

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
	uint32_t peer_addr;
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
/* Operator: `clear line N`. */
void line_clear(struct line *l, const char *why);

#endif /* DIALBACK_LINE_H */

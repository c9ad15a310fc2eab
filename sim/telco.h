/*
 * telco.h - the simulated telephone switch: network side of ISDN PRI spans and
 * analogue/ISDN subscribers
 *
 * Each span is the switch end of one T1 PRI toward the NAS: Q.921 (telco_lapd.c)
 * and Q.931 network side (telco_q931.c) on its D-channel, B-channels 1..23.
 * Subscribers are numbers ("5279651") with a model behind them (a PC with a
 * modem in the co-simulation).  The switch routes:
 *  - subscriber dials the NAS's number ("4084327528"): SETUP toward the NAS on
 *    a span with that number (Bearer 0x9090A2, Channel ID 0xA983xx exclusive,
 *    Called Party Number 0xC1 '4084327528'), as in the seed;
 *  - NAS dials a subscriber: CALL PROCEEDING (Channel ID 0xA983xx), ALERTING
 *    with Progress Indicator 0x8388 after alert_delay, CONNECT when the
 *    subscriber answers (auto after answer_delay, or telco_answer()); BUSY
 *    (cause 17) / NO ANSWER (cause 19) when configured; unknown number cause 1.
 * Alarms (LOS, AIS) are flags the co-simulation reads to drive the line; while a
 * span is in alarm its D-channel is dead and its calls are cleared.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_TELCO_H
#define DIALBACK_SIM_TELCO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"
#include "telco_lapd.h"

#define TELCO_MAX_SPANS		28	/*!< a 28-span card (CARD_MAX_SPANS) */
#define TELCO_MAX_SUBS		672	/*!< one per channel of 28 spans */
#define TELCO_MAX_CALLS		(TELCO_MAX_SPANS * TELCO_MAX_BCHAN + 16)
#define TELCO_BCHANS		23	/*!< B-channels of a span with a D-channel */
#define TELCO_MAX_BCHAN		24	/*!< NFAS members without one use all 24 */

#define TELCO_ALARM_LOS		0x01
#define TELCO_ALARM_AIS		0x04

enum telco_bearer { TELCO_BEARER_AUDIO, TELCO_BEARER_SPEECH, TELCO_BEARER_DIGITAL };

struct telco;
struct telco_span;
struct telco_sub;
struct telco_call;

/* Toward a subscriber model (ctx = the subscriber's ctx). */
struct telco_sub_ops {
	/* incoming call to the subscriber from `caller` (the NAS's number) */
	void (*ring)(void *ctx, struct telco_sub *sub, const char *caller);
	/* the far end (the NAS) is ringing, for a call the subscriber dialled */
	void (*alerting)(void *ctx, struct telco_sub *sub);
	/* through-connected on span `span` (index), B-channel `bchan` (1..23) */
	void (*connected)(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan);
	/* the call is gone */
	void (*cleared)(void *ctx, struct telco_sub *sub, uint8_t cause);
};

struct telco_sub_config {
	const char *number;
	enum telco_bearer bearer;	/*!< what this subscriber's calls carry */
	bool busy;			/*!< always busy (cause 17) */
	bool no_answer;			/*!< rings, never answers (cause 19 after no_answer_time) */
	bool auto_answer;		/*!< answer after answer_delay without telco_answer() */
	bool send_calling;		/*!< present the calling number in SETUP */
	ev_time_t alert_delay;		/*!< SETUP from the NAS -> ALERTING (700 ms) */
	ev_time_t answer_delay;		/*!< ALERTING -> CONNECT when auto answering (2.7 s) */
	ev_time_t no_answer_time;	/*!< ringing -> cause 19 (30 s) */
};

/* Counters and last events per span, for tests. */
struct telco_span_stats {
	unsigned setups_rx, setups_tx;
	unsigned status_rx;		/*!< STATUS messages from the NAS */
	uint8_t  last_status_cause;
	uint8_t  last_status_state;
	uint8_t  last_rel_cause;	/*!< cause in the last RELEASE/RELEASE_COMP/DISCONNECT rx */
	unsigned rel_comp_rx;
	unsigned restart_ack_rx;
	unsigned unknown_rx;		/*!< undecodable messages */
	unsigned ignored_rx;		/*!< swallowed by telco_span_ignore() */
};

struct telco_config {
	ev_time_t t303;			/*!< SETUP toward the NAS unanswered (4 s) */
	ev_time_t t305, t308;
	/* optional trace of every D-channel message, one line each */
	void (*trace)(void *ctx, const char *line);
	void *trace_ctx;
};

struct telco *telco_new(struct ev_loop *loop, const struct telco_config *cfg);
void telco_free(struct telco *t);

/* A span toward the NAS; `number` is the NAS's number on it (hunt group). */
struct telco_span *telco_add_span(struct telco *t, const char *number,
				  int (*send_frame)(void *ctx, const uint8_t *f, size_t n), void *ctx);
/* A D-channel frame from the NAS (FCS already checked). */
void telco_span_input(struct telco_span *s, const uint8_t *f, size_t n);
/* The network brings the link up itself (normally the NAS does). */
void telco_span_connect(struct telco_span *s);
bool telco_span_link_up(const struct telco_span *s);
unsigned telco_span_index(const struct telco_span *s);
/* Channel the next SETUP toward the NAS will use, 0 = lowest free. */
void telco_span_next_bchan(struct telco_span *s, unsigned bchan);
/* First call reference the switch allocates for its SETUPs. */
void telco_span_next_cr(struct telco_span *s, uint16_t cr);
/* Alarms: TELCO_ALARM_* flags; any alarm kills the D-channel and the calls. */
void telco_span_set_alarm(struct telco_span *s, unsigned alarms);
unsigned telco_span_alarms(const struct telco_span *s);
/* Tests: swallow SETUPs from the NAS without any answer (T303 expiry). */
void telco_span_mute_setup(struct telco_span *s, bool mute);
/* Tests: swallow every Q.931 message of this type from the NAS (T305, T308...). */
void telco_span_ignore(struct telco_span *s, uint8_t msg_type, bool ignore);
/* Send raw Q.931 (tests: malformed messages). */
int telco_span_send_raw(struct telco_span *s, const uint8_t *msg, size_t n);
/* RESTART: one B-channel, or all (bchan 0). */
int telco_span_restart(struct telco_span *s, unsigned bchan);
const struct telco_span_stats *telco_span_stats(const struct telco_span *s);
const struct tl_link *telco_span_link(const struct telco_span *s);
/* NFAS: `primary`'s D-channel signals for `others` (24 B-channels each) and
 * `backup` (may be NULL) takes over while the primary's link is down; Channel
 * IDs carry interface identifiers (telco_span_set_int_id, default = index).
 * Numbers are routed on the primary.  0 or -EINVAL. */
void telco_span_set_int_id(struct telco_span *s, unsigned int_id);
int telco_nfas_group(struct telco_span *primary, struct telco_span *backup,
		     struct telco_span *const *others, size_t n);
/* Which subscriber holds a B-channel (NULL if idle). */
struct telco_sub *telco_span_bchan_sub(const struct telco_span *s, unsigned bchan);

struct telco_sub *telco_add_sub(struct telco *t, const struct telco_sub_config *cfg,
				const struct telco_sub_ops *ops, void *ctx);
void telco_sub_config_default(struct telco_sub_config *cfg, const char *number);
/* Update busy / no-answer behaviour at run time. */
void telco_sub_set_busy(struct telco_sub *sub, bool busy);
void telco_sub_set_no_answer(struct telco_sub *sub, bool no_answer);
const char *telco_sub_number(const struct telco_sub *sub);
/* The ctx given to telco_add_sub(). */
void *telco_sub_ctx(const struct telco_sub *sub);

/* Subscriber actions.  0 or -errno: -EBUSY already in a call; dial: -ENOENT
 * unknown number, -EHOSTUNREACH another subscriber (not routed), -ENETDOWN the
 * NAS's spans are down, -EAGAIN all their B-channels are busy. */
int telco_dial(struct telco_sub *sub, const char *number);
int telco_answer(struct telco_sub *sub);
int telco_hangup(struct telco_sub *sub);
bool telco_sub_in_call(const struct telco_sub *sub);
bool telco_sub_connected(const struct telco_sub *sub);

#endif /* DIALBACK_SIM_TELCO_H */

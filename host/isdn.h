/*
 * isdn.h - ISDN PRI call control (Q.931 user side) for one T1 span
 *
 * One struct isdn_span per `controller T1 n` with a pri-group: its D-channel
 * (Serial<n>:23) runs LAPD (lapd.h) and Q.931 call control; B-channels 1..23
 * (Serial<n>:0 .. Serial<n>:22) are allocated to calls.  Calls live in a fixed
 * table inside the span; a struct isdn_call pointer is the call handle.
 *
 * Toward the lines (modems through the CSM, sync-PPP channels):
 *  - incoming calls are offered through ops->incoming_voice (speech / 3.1 kHz
 *    audio, with `isdn incoming-voice modem`) or ops->incoming_data (64k
 *    unrestricted); the callback accepts by returning 0 and setting *owner, or
 *    rejects with a Q.850 cause (no free line: Q931_CAUSE_NO_CHANNEL ...).
 *    On acceptance the span sends CALL PROCEEDING and ALERTING; the line answers
 *    with isdn_answer() (may be called from inside the callback).
 *  - outgoing calls: isdn_call_out() picks the highest free B-channel (IOS's
 *    descending order) and sends SETUP.
 *  - events: proceeding (B-channel known), alerting, connected, cleared.  After
 *    `cleared` or after the line's own isdn_hangup(), the span makes no more
 *    callbacks for that call and the line must forget the handle.
 *
 * Timers T303, T305, T308, T310, T313 run on the event loop, one per call.
 *
 * NFAS (isdn_nfas_group): one span's D-channel signals for several, with an
 * optional backup D-channel; calls then live in the primary span, and
 * call->bspan tells which span carries the B-channel.  See docs/isdn.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_ISDN_H
#define DIALBACK_ISDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "evloop.h"
#include "lapd.h"
#include "q931.h"

#define ISDN_MAX_BCHAN		24	/*!< channel numbers 1..24 on a T1 */
#define ISDN_MAX_CALLS		32	/*!< call records per span */
#define ISDN_MAX_NUMBER		Q931_MAX_DIGITS
#define ISDN_NFAS_MAX		8	/*!< spans under one D-channel (NFAS group) */

enum isdn_switch_type {
	ISDN_SWITCH_PRIMARY_5ESS,	/*!< `isdn switch-type primary-5ess` (AT&T 5ESS) */
	ISDN_SWITCH_PRIMARY_NI,		/*!< `isdn switch-type primary-ni` (National ISDN) */
};

enum isdn_bearer {
	ISDN_BEARER_SPEECH,	/*!< 0x8090A2: what a modem dials out with */
	ISDN_BEARER_AUDIO,	/*!< 0x9090A2: 3.1 kHz audio (modem calls from the PSTN) */
	ISDN_BEARER_DIGITAL,	/*!< 0x8890: 64 kbit/s unrestricted (sync PPP) */
};

/* Q.931 user-side call states (Q.931 2.1.1). */
enum isdn_call_state {
	ISDN_U0_NULL			= 0,
	ISDN_U1_CALL_INITIATED		= 1,
	ISDN_U3_OUTGOING_PROCEEDING	= 3,
	ISDN_U4_CALL_DELIVERED		= 4,
	ISDN_U6_CALL_PRESENT		= 6,
	ISDN_U7_CALL_RECEIVED		= 7,
	ISDN_U8_CONNECT_REQUEST		= 8,
	ISDN_U9_INCOMING_PROCEEDING	= 9,
	ISDN_U10_ACTIVE			= 10,
	ISDN_U11_DISCONNECT_REQUEST	= 11,
	ISDN_U12_DISCONNECT_INDICATION	= 12,
	ISDN_U19_RELEASE_REQUEST	= 19,
};

enum isdn_timer_id { ISDN_T_NONE, ISDN_T303, ISDN_T305, ISDN_T308, ISDN_T310, ISDN_T313 };

struct isdn_span;

struct isdn_call {
	struct isdn_span *span;
	bool     in_use;
	bool     outgoing;
	enum isdn_call_state state;
	enum isdn_bearer bearer;
	uint16_t cr;			/*!< call reference value (without flag) */
	uint16_t call_id;		/*!< IOS call id (debug, show) */
	uint8_t  bchan;			/*!< 1..24, 0 while none is held */
	struct isdn_span *bspan;	/*!< span of that B-channel (NFAS: any member) */
	char     called[ISDN_MAX_NUMBER + 1];
	char     calling[ISDN_MAX_NUMBER + 1];
	void    *owner;			/*!< the line; NULL once detached */
	bool     answer_pending;	/*!< isdn_answer() before ALERTING went out */
	uint8_t  cause;			/*!< cause we cleared with / were cleared with */
	ev_time_t setup_time, connect_time;	/*!< connect_time 0: never connected */
	struct ev_timer timer;
	enum isdn_timer_id timer_id;
	uint8_t  timer_count;		/*!< expiries of the running timer so far */
};

/* Callbacks to the lines; ctx is the span's ctx, owner what the line gave. */
struct isdn_span_ops {
	/* D-channel frame out (LAPD address .. info; the card adds the FCS). */
	int  (*send_dchan)(void *ctx, struct isdn_span *span, const uint8_t *frame, size_t len);
	/* Incoming calls: return 0 and set *owner to accept, or a cause (> 0). */
	int  (*incoming_voice)(void *ctx, struct isdn_call *call, void **owner);
	int  (*incoming_data)(void *ctx, struct isdn_call *call, void **owner);
	void (*proceeding)(void *ctx, struct isdn_call *call, void *owner);
	void (*alerting)(void *ctx, struct isdn_call *call, void *owner);
	void (*connected)(void *ctx, struct isdn_call *call, void *owner);
	void (*cleared)(void *ctx, struct isdn_call *call, void *owner, uint8_t cause);
	/* D-channel link up / down (optional; for status and CSM). */
	void (*link_state)(void *ctx, struct isdn_span *span, bool up);
};

struct isdn_span_config {
	unsigned unit;			/*!< controller T1 n: D-channel Serial<n>:23 */
	enum isdn_switch_type switch_type;
	uint32_t bchan_mask;		/*!< usable B-channels, bit n = channel n */
	bool     incoming_voice_modem;	/*!< `isdn incoming-voice modem` */
	uint16_t first_callref;		/*!< first outgoing call reference (1..0x7FFF) */
	uint16_t first_call_id;		/*!< first incoming call id */
	uint8_t  nfas_int_id;		/*!< `isdn nfas-interface`: interface id in an NFAS group */
	ev_time_t t303, t305, t308, t310, t313;
};

struct isdn_stats {
	uint32_t rx_msgs, tx_msgs;
	uint32_t rx_bad;		/*!< not parsable: ignored */
	uint32_t rx_status_sent;	/*!< STATUS sent for an error */
	uint32_t calls_in, calls_out, calls_rejected;
	uint32_t link_losses;
};

struct isdn_span {
	struct ev_loop *loop;
	struct isdn_span_config cfg;
	const struct isdn_span_ops *ops;
	void *ctx;
	char dname[24];			/*!< "Se0:23" */
	char ifname[24];		/*!< "Serial0:23" */
	bool l1_up;
	struct lapd lapd;
	uint16_t next_cr;
	uint16_t next_call_id;
	struct isdn_call *bchan[ISDN_MAX_BCHAN + 1];
	struct isdn_call calls[ISDN_MAX_CALLS];
	/* NFAS: the span whose D-channel signals for this one (itself when alone),
	 * and on that span its backup D-channel and every member (itself first) */
	struct isdn_span *ctl;
	struct isdn_span *backup;
	struct isdn_span *members[ISDN_NFAS_MAX];
	size_t nmembers;
	bool nfas;
	struct isdn_stats stats;
};

void isdn_span_config_default(struct isdn_span_config *cfg, unsigned unit);
/* cfg.bchan_mask from `pri-group timeslots` (bit n-1 = timeslot n, as config.h keeps
 * it): timeslot 24 is the D-channel unless the span has none (NFAS member). */
static inline uint32_t isdn_bchan_mask_from_timeslots(uint32_t timeslots, bool has_dchan)
{
	uint32_t m = (timeslots & 0x00FFFFFFu) << 1;

	return has_dchan ? m & ~(1u << 24) : m;
}
void isdn_span_init(struct isdn_span *s, struct ev_loop *loop, const struct isdn_span_config *cfg,
		    const struct isdn_span_ops *ops, void *ctx);
/* Stop timers, clear calls without callbacks. */
void isdn_span_fini(struct isdn_span *s);

/* NFAS: `primary` signals for `others` (B-channels 1..24 each, no D-channel of
 * their own) and for `backup` (may be NULL), whose D-channel takes over while the
 * primary's is down.  Channel IDs then carry interface identifiers
 * (cfg.nfas_int_id).  Calls live in the primary; every span still gets its own
 * isdn_span_l1() and (primary, backup) isdn_span_dchan_input().  0 or -EINVAL. */
int isdn_nfas_group(struct isdn_span *primary, struct isdn_span *backup,
		    struct isdn_span *const *others, size_t n);

/* Layer 1 (span framer) up / down: starts or stops LAPD; down clears all calls. */
void isdn_span_l1(struct isdn_span *s, bool up);
/* A D-channel frame received with good FCS. */
void isdn_span_dchan_input(struct isdn_span *s, const uint8_t *frame, size_t len);

/* Place a call.  Returns the call, or NULL with *cause set (no channel, link down). */
struct isdn_call *isdn_call_out(struct isdn_span *s, const char *number, enum isdn_bearer bearer,
				void *owner, uint8_t *cause);
/* The same over a group of spans (a dialer pool / NFAS group): first that takes it. */
struct isdn_call *isdn_call_out_group(struct isdn_span *const *spans, size_t n, const char *number,
				      enum isdn_bearer bearer, void *owner, uint8_t *cause);
/* Answer an offered call (CONNECT).  0 or -EINVAL if the call is not ringing. */
int isdn_answer(struct isdn_call *c);
/* Clear from the line's side (DISCONNECT, or reject).  The owner is detached. */
int isdn_hangup(struct isdn_call *c, uint8_t cause);

const char *isdn_switch_name(enum isdn_switch_type t);	/* "primary-5ess" */
int isdn_switch_parse(const char *name, enum isdn_switch_type *t);
const char *isdn_state_name(enum isdn_call_state st);
unsigned isdn_active_calls(const struct isdn_span *s);
/* "Serial0:18" for a B-channel (bchan 1..24). */
void isdn_bchan_ifname(const struct isdn_span *s, uint8_t bchan, char *buf, size_t size);

/* `show isdn status` and `show isdn active` over the given spans. */
void isdn_show_status(struct isdn_span *const *spans, size_t n, FILE *out);
void isdn_show_active(struct isdn_span *const *spans, size_t n, FILE *out);

#endif /* DIALBACK_ISDN_H */

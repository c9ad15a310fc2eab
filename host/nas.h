/*
 * nas.h - the access server: the object tree that ties the configuration, the line
 * card, the PRI spans and the tty lines together
 *
 *   struct nas ── struct card (drivers/card.h: one card, reached through a transport)
 *             ├─ struct nas_span[]  one per `controller T1 n`: its ISDN D-channel
 *             │                     (timeslot 24, sync HDLC on the card) and call control
 *             └─ struct line[]      one per tty 1..N: modem emulation, autoselect, chat,
 *                                   PPP session, callback orchestration (host/line.h)
 *
 * The NAS owns no time of its own: everything runs on the event loop it is given, so
 * the same code runs in dialbackd (monotonic clock) and in the co-simulation
 * (simulated clock).  Card channels: channel = span * 24 + timeslot - 1.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_NAS_H
#define DIALBACK_NAS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "aaa.h"
#include "card.h"
#include "chat.h"
#include "config.h"
#include "csm.h"
#include "evloop.h"
#include "ippool.h"
#include "isdn.h"
#include "isdn_ppp.h"
#include "ppp.h"
#include "t1_controller.h"
#include "tun.h"

struct line;
struct ctl;
struct nas_generation;

#define NAS_MAX_SPANS	CARD_MAX_SPANS
#define NAS_DCHAN_TS	24		/*!< pri-group: the D-channel is timeslot 24 */

struct nas_span {
	struct nas *nas;
	unsigned unit;			/*!< controller T1 <unit> = card span <unit> */
	bool     configured;		/*!< a `controller T1` block exists */
	bool     pri;			/*!< pri-group timeslots: ISDN runs here */
	bool     shutdown;
	struct isdn_span isdn;
	bool     isdn_ready;		/*!< isdn initialised */
	struct card_span_status status;	/*!< last SPAN_STATUS from the card */
	bool     l1_up;
	struct t1_perf perf;		/*!< alarms and error counters (t1_controller.h) */
	struct ev_timer perf_poll;	/*!< SPAN_QUERY every tune.span_poll */
};

/* Timing and policy the configuration does not give (settable by tests/sim). */
struct nas_tuning {
	ev_time_t callback_delay;	/*!< peer's TERMREQ to dial-back (the seed: ~10 s) */
	ev_time_t callback_hangup;	/*!< peer's TERMREQ to our hang-up: the TERMACK must
					 *   reach the client first (the seed: ~0.7 s) */
	unsigned  callback_retries;	/*!< further attempts after a failed callback */
	ev_time_t callback_retry_wait;
	ev_time_t modem_train_time;	/*!< B-channel connect -> CONNECT */
	ev_time_t modem_dsr_delay;	/*!< CONNECT -> "DSR came up" */
	uint32_t  random_seed;		/*!< AAA/PPP ids in debug output */
	ev_time_t span_poll;		/*!< SPAN_QUERY period for the T1 counters, 0 off */
};

struct nas_stats {
	uint64_t calls_in, calls_in_rejected, calls_out, callbacks_started, callbacks_ok,
		 callbacks_failed, ppp_sessions, frames_unrouted;
};

struct nas {
	struct ev_loop    *loop;
	struct nas_config *cfg;
	struct nas_tuning  tune;
	struct aaa         aaa;
	struct ip_pools    pools;
	struct chat_registry chats;
	struct ppp_profile async_prof;	/*!< the Group-Async interface's settings */
	const struct cfg_interface *async_if;
	struct card       *card;
	bool               card_ready;	/*!< VERSION seen, spans configured */
	struct card_version card_version;
	struct csm         csm;		/*!< joins ISDN calls and modem lines */
	unsigned           nspans;
	struct nas_span    spans[NAS_MAX_SPANS];
	unsigned           nlines;
	struct line       *lines;	/*!< tty 1..nlines at lines[0..] */
	struct line      **chan_line;	/*!< card channel -> line bound to it */
	unsigned           nchans;
	struct nas_stats   stats;
	struct isdn_ppp_pool isdn_ppp;	/*!< digital calls: PPP on B-channels (isdn_ppp.h) */
	struct tun         tun;		/*!< the sessions' IP interface (ip_session.h) */
	struct nas_generation *retired;	/*!< configurations live sessions still use */
	struct ev_timer    retired_gc;	/*!< frees them once the lines are free */
	bool               retired_gc_ready;
	/* random bytes for PPP (magic numbers, challenges); NULL = getrandom() */
	void (*random)(void *ctx, void *buf, size_t len);
	void *random_ctx;
};

/* Build the NAS from a loaded configuration (the NAS keeps cfg and frees it). */
struct nas *nas_new(struct ev_loop *loop, struct nas_config *cfg, const struct nas_tuning *tune);
void nas_free(struct nas *n);
void nas_tuning_default(struct nas_tuning *t);

/* Attach the line card behind a transport; the NAS asks for its VERSION, then
 * configures spans, D-channels and the timeslot map. */
int  nas_attach_card(struct nas *n, const struct card_transport_ops *ops, void *tp);
/* The card went away (unplug): clear every call, free every line. */
void nas_detach_card(struct nas *n);

/* Operator commands (show users, show line, show caller, show isdn ..., clear line). */
void nas_register_commands(struct nas *n, struct ctl *c);

/* SIGHUP (host/nas_reload.c): put a new, already checked configuration in force
 * (the NAS takes it over); live sessions keep theirs.  0 or -ENOMEM (the old one
 * stays, cfg is not taken). */
int  nas_reload(struct nas *n, struct nas_config *cfg);
/* Load `path` and reload it; its diagnostics (FILE:LINE:COL) go to the log.  A file
 * that does not load changes nothing: -EINVAL. */
int  nas_reload_file(struct nas *n, const char *path);
/* Free retired configurations nothing uses any more (all of them with force). */
void nas_reload_collect(struct nas *n, bool force);
/* A line became free: check on the next loop step (never from inside a callback). */
void nas_reload_collect_later(struct nas *n);

/* Hang up every line cleanly (SIGTERM). */
void nas_shutdown(struct nas *n);

/* --- for host/line.c --- */
int  nas_bind_channel(struct nas *n, struct line *l, unsigned chan);
void nas_unbind_channel(struct nas *n, struct line *l, unsigned chan);

#endif /* DIALBACK_NAS_H */

/*
 * log.h - IOS-style debug and console messages, and the daemon's own log
 *
 * Debug lines are switched per category (`debug ppp negotiation`, `debug isdn q931`, ...)
 * and carry the timestamp that `service timestamps debug datetime msec` gives in IOS,
 * in the seed's form:  "*Mar 1 01:24:48.643: As4 LCP: O CONFREQ [Closed] id 3 len 25".
 * The time is the event loop's clock (simulated time in the co-simulation) plus a
 * wall-clock base; '*' marks a clock not set by NTP, as on a router that booted.
 *
 * Console messages ("%LINK-3-UPDOWN: ...") are printed without a timestamp, as the
 * seed shows them (no `service timestamps log`).
 *
 * Output goes to every registered sink: stderr, syslog, control-socket monitors
 * (`terminal monitor`), the simulator's trace.  Debug flags are per process, as
 * on a router; all per-line state lives with the line.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_LOG_H
#define DIALBACK_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "evloop.h"

enum dbg_cat {
	DBG_PPP_NEGOTIATION,	/*!< debug ppp negotiation */
	DBG_PPP_AUTHENTICATION,	/*!< debug ppp authentication */
	DBG_PPP_PACKET,		/*!< debug ppp packet */
	DBG_PPP_ERROR,		/*!< debug ppp error */
	DBG_PPP_CBCP,		/*!< debug ppp cbcp (MCB) */
	DBG_AAA_AUTHENTICATION,	/*!< debug aaa authentication */
	DBG_AAA_AUTHORIZATION,	/*!< debug aaa authorization */
	DBG_CALLBACK,		/*!< debug callback */
	DBG_CHAT,		/*!< debug chat */
	DBG_MODEM,		/*!< debug modem */
	DBG_MODEM_CSM,		/*!< debug modem csm */
	DBG_ISDN_Q921,		/*!< debug isdn q921 */
	DBG_ISDN_Q931,		/*!< debug isdn q931 */
	DBG_ISDN_EVENTS,	/*!< debug isdn events */
	DBG_CARD,		/*!< debug card (ours: card protocol and driver) */
	DBG_COUNT
};

/* Daemon log levels (syslog's). */
enum log_level { LOG_LVL_ERR = 3, LOG_LVL_WARNING = 4, LOG_LVL_NOTICE = 5, LOG_LVL_INFO = 6,
		 LOG_LVL_DEBUG = 7 };

/* A sink receives every finished line (without a trailing newline). */
typedef void (*log_sink_fn)(void *ctx, enum log_level lvl, const char *line);

/* Timestamps: loop time plus `base` seconds of wall time at loop time 0. */
void log_set_clock(const struct ev_loop *loop, time_t base, bool authoritative);
/* Format the current debug timestamp, e.g. "*Mar 1 01:24:48.643" (no colon). */
void log_timestamp(char *buf, unsigned size);

int  log_add_sink(log_sink_fn fn, void *ctx);	/* returns a handle >= 0 or -ENOSPC */
void log_remove_sink(int handle);
void log_reset(void);				/* drop sinks, clear debug flags (tests) */

void dbg_enable(enum dbg_cat cat, bool on);
bool dbg_enabled(enum dbg_cat cat);
void dbg_all_off(void);			/* undebug all */
const char *dbg_cat_name(enum dbg_cat cat);	/* "PPP protocol negotiation" ... */

/* A timestamped debug line, if the category is on. */
void dbg(enum dbg_cat cat, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A console message as IOS prints it ("%LINK-3-UPDOWN: ..."), always shown. */
void log_console(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The daemon's own operational log (errors, warnings, notices). */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);

#define log_err(...)	log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)

#endif /* DIALBACK_LOG_H */

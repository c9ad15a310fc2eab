/*
 * t1_controller.h - a T1 controller's alarms and performance data from the card's
 * span status, and `show controllers t1` in the IOS layout
 *
 * The card reports cumulative counters (bipolar violations, excess zeros, CRC-6
 * errors, F-bit errors, slips, frame losses) and its alarms in SPAN_STATUS, on any
 * alarm change and when asked (SPAN_QUERY, which the NAS sends once a second while
 * a span is configured).  t1_perf_update() turns two successive reports into the
 * ANSI T1.403-style figures IOS shows, for 15-minute intervals and the last 24 hours:
 *
 *   Line Code Violations   BPVs + excess zeros
 *   Path Code Violations   CRC-6 errors (ESF) or F-bit errors (SF)
 *   Slip Secs / Fr Loss Secs / Line Err Secs / Errored Secs / Bursty Err Secs /
 *   Severely Err Secs (>= 320 CRC errors in the second, or frame lost) / Unavail Secs
 *   (seconds in LOS/LOF/AIS).  A report covering several seconds counts one second
 *   for an error event, every second for an alarm.  Degraded Mins are not computed (0).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_T1_CONTROLLER_H
#define DIALBACK_T1_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "card_proto.h"
#include "evloop.h"

#define T1_INTERVAL		(900 * EV_SEC)	/*!< 15 minutes */
#define T1_INTERVALS_24H	96

struct t1_counts {
	uint32_t lcv, pcv;		/*!< line / path code violations */
	uint32_t slip_secs, fr_loss_secs, line_err_secs, degraded_mins;
	uint32_t errored_secs, bursty_secs, severe_secs, unavail_secs;
};

struct t1_perf {
	ev_time_t interval_start;	/*!< start of the current 15-minute interval */
	ev_time_t last_time;		/*!< time of the last report */
	bool have_last;
	bool esf;			/*!< path violations from CRC-6 (else F-bit errors) */
	struct card_span_status last;	/*!< the last report */
	ev_time_t alarm_carry;		/*!< alarm time not yet a whole second */
	struct t1_counts cur;		/*!< current interval */
	struct t1_counts hist[T1_INTERVALS_24H];	/*!< finished intervals, a ring */
	unsigned nhist, hist_head;
};

/* The facts `show controllers t1` prints besides the counters. */
struct t1_show_info {
	unsigned unit;
	bool shutdown, up;
	enum card_framing framing;
	enum card_linecode linecode;
	enum card_clocksrc clock;
	uint8_t alarms;			/*!< enum card_span_alarms */
};

void t1_perf_init(struct t1_perf *p, ev_time_t now, bool esf);
/* A SPAN_STATUS from the card at time now. */
void t1_perf_update(struct t1_perf *p, ev_time_t now, const struct card_span_status *st);
/* Sum of the finished intervals of the last 24 hours. */
void t1_perf_total(const struct t1_perf *p, struct t1_counts *out);

/* One controller's `show controllers t1` text. */
void t1_show_controller(FILE *out, const struct t1_show_info *info, const struct t1_perf *p,
			ev_time_t now);

#endif /* DIALBACK_T1_CONTROLLER_H */

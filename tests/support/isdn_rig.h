/*
 * isdn_rig.h - one PRI span of the daemon (host/isdn.c, user side) back to back
 * with the simulated switch (sim/telco.c, network side) through an in-memory
 * D-channel (dchan_pipe.h) on a manual event loop, with the debug lines captured:
 * the common rig of the ISDN call control and CSM tests
 *
 * The span is set up as the seed's Serial0:23 (primary-5ess, B-channels 1..23,
 * first outgoing call reference 5, first incoming call id 0xA); the switch numbers
 * its first SETUP 0x36 and answers as 4084327528.  The test adds its subscribers
 * to rig->t, then calls isdn_rig_up() to bring layers 1 and 2 up.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TEST_ISDN_RIG_H
#define DIALBACK_TEST_ISDN_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dchan_pipe.h"
#include "evloop.h"
#include "isdn.h"
#include "log_capture.h"
#include "telco.h"

#define ISDN_RIG_MAXLOG		400
#define ISDN_RIG_NAS_NUMBER	"4084327528"

struct isdn_rig {
	struct ev_loop *loop;
	struct dpipe pipe;
	struct isdn_span span;
	struct telco *t;
	struct telco_span *ts;
	bool drop_all;			/*!< lose every D-channel frame, both ways */
	struct log_capture log;		/*!< debug lines, text after the timestamp */
};

/* Loop (log clock base `clock_base` seconds), pipe, span with `ops`/`ctx`,
 * switch.  Debug categories are the test's to enable. */
void isdn_rig_init(struct isdn_rig *r, const struct isdn_span_ops *ops, void *ctx,
		   time_t clock_base);
/* Layer 1 up, LAPD established on both ends (asserted), the log emptied. */
void isdn_rig_up(struct isdn_rig *r);
void isdn_rig_fini(struct isdn_rig *r);

/* Run the clock dt further in 10 ms steps, moving frames. */
void isdn_rig_settle(struct isdn_rig *r, ev_time_t dt);
/* Every line of want (NULL-terminated) appears in this order, others between. */
void isdn_rig_expect_seq(struct isdn_rig *r, const char *const *want);
/* Some captured line contains s. */
bool isdn_rig_logged(const struct isdn_rig *r, const char *s);
void isdn_rig_dump(const struct isdn_rig *r);

#endif /* DIALBACK_TEST_ISDN_RIG_H */

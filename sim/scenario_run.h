/*
 * scenario_run.h - the co-simulation's one run engine, which the scenarios configure
 *
 *   subscriber lines (scripted PCs: sim/subscriber_pc, or outside programs on the
 *   modem's serial port: sim/subscriber_attach) -- DS0 characters -- telco (one PRI
 *   span per card span in use, one hunt-group number) -- T1 -- card RTL -- FT232H --
 *   card layer -- struct nas (the daemon's code)
 *
 * A scenario (seed, attach, storm, mixed) fills in a struct run_setup: the daemon's
 * configuration, the spans, timing, and one struct run_client per subscriber line.
 * The engine brings the D-channels up, starts each PC at its start time, runs until
 * every line is finished or the time limit, prints `show` output and one result line
 * per client (for the tests), writes pcaps, and ends with a one-line summary:
 *   "NAME: PASS: 48 of 48 callbacks completed, 0 failed, 61.2 s simulated, ..."
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_SCENARIO_RUN_H
#define DIALBACK_SIM_SCENARIO_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "evloop.h"
#include "scenarios.h"
#include "subscriber_ppp.h"

/* What a client should end in for the run to pass. */
enum run_expect {
	RUN_EXPECT_CALLBACK,	/*!< called back, online (IPCP) on the callback leg */
	RUN_EXPECT_ONLINE,	/*!< online on its own call, no callback */
	RUN_EXPECT_EXTERNAL,	/*!< an attached program: it connected and went away */
};

struct run_client {
	char number[24];		/*!< the subscriber's number ("5279651") */
	enum sub_ppp_variant variant;
	char user[32];			/*!< CHAP name ("" = the variant's default) */
	char secret[32];
	char callback_number[24];	/*!< what it answers in CBCP ("" = default) */
	const char *attach;		/*!< NULL, or an attach SPEC (subscriber_attach.h) */
	ev_time_t start;		/*!< when it dials, after the D-channels are up */
	bool think_set;			/*!< think_time given, else the variant's default */
	ev_time_t think_time;		/*!< the user's CBCP dialog (9.5 s in the seed) */
	ev_time_t online_time;		/*!< hang up this long after going online (0: stay) */
	unsigned redials;		/*!< dial attempts after BUSY / no channel */
	ev_time_t redial_wait;
	enum run_expect expect;
};

struct run_setup {
	const char *name;		/*!< "seed": the summary line's first word */
	const char *what;		/*!< "callbacks" / "sessions" in the summary */
	const char *config_path;	/*!< daemon configuration file, or: */
	const char *config_text;	/*!< ... the configuration itself */
	unsigned spans;			/*!< telco spans (PRI) to bring up */
	ev_time_t train_time;		/*!< modem training, both sides */
	ev_time_t ppp_start_delay;	/*!< CONNECT -> the PC's first PPP octet */
	ev_time_t callback_delay;	/*!< the NAS's */
	unsigned callback_retries;	/*!< the NAS's further attempts (no free channel) */
	ev_time_t callback_retry_wait;
	ev_time_t limit;		/*!< simulated time after the start; 0: until done */
	bool seed_first_call;		/*!< call reference 0x36, B-channel 19, tty4 */
	bool trace;			/*!< print the daemon's debug trace */
	bool show;			/*!< show users / caller / isdn active at the end */
	bool realtime;
	bool stats;			/*!< print CPU / memory figures (bench) */
	const char *pcap_dir;
	const char *progress;		/*!< non-NULL: a progress bar on stderr */
	unsigned nclients;
	struct run_client *clients;
};

/* Returns 0 when every client ended as expected, 1 when not, 2 on setup errors. */
int scenario_run(const struct sim_options *opt, const struct run_setup *setup);

/* Apply --attach NUMBER=SPEC options to a client list: a client with that number gets
 * the SPEC; unknown numbers are added (up to max).  -1 on a malformed option. */
int scenario_apply_attach(const struct sim_options *opt, struct run_client *clients,
			  unsigned *n, unsigned max);

#endif /* DIALBACK_SIM_SCENARIO_RUN_H */

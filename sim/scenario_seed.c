/*
 * scenario_seed.c - `dialback-sim --scenario seed`: the reference document's callback,
 * end to end, with the real card RTL, the real daemon code, the telco and a Windows PC
 *
 *   PC (sim/subscriber_ppp + subscriber_modem) --DS0 characters-- telco (sim/telco*)
 *     --T1 span 0 (B-channels + D-channel, sync HDLC on timeslot 24)-- card RTL --
 *     FT232H -- card layer -- struct nas (host/nas.c: ISDN, modems, chat, PPP)
 *
 * The PC dials 4084327528, autoselect finds PPP, LCP/CHAP/MCB run with the seed's slow
 * user, the PC hangs up, the NAS calls back 527-9651 through its chat scripts and a
 * Q.931 SETUP, the PC answers, PPP runs again up to IPCP.  The daemon's IOS debug trace
 * goes to stdout with simulated timestamps; then `show users`, `show caller` and
 * `show isdn active`, and a one-line summary.
 *
 * SPDX-License-Identifier: MIT
 */
#include "scenarios.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_run.h"
#include "telco.h"

#define SEED_TRAIN_TIME	(21300 * EV_MSEC)	/* 01:24:49.8 CONNECT_ACK -> 01:25:11.1 DSR */
#define SEED_PPP_START	(2800 * EV_MSEC)	/* DSR -> the client's first PPP octet */

/* "5279651" -> "527-9651", as the seed's user types it */
static void dashed(char *out, size_t size, const char *digits)
{
	size_t n = strlen(digits), k = 0;

	for (size_t i = 0; i < n && k + 1 < size; i++) {
		if (n == 7 && i == 3 && k + 2 < size)
			out[k++] = '-';
		out[k++] = digits[i];
	}
	out[k] = 0;
}

int scenario_seed(const struct sim_options *opt)
{
	static struct run_client clients[TELCO_MAX_SUBS];
	unsigned n = opt->clients ? opt->clients : 1;
	struct run_setup set = {
		.name = "seed", .what = "callbacks", .config_path = opt->config,
		.spans = 1, .train_time = SEED_TRAIN_TIME, .ppp_start_delay = SEED_PPP_START,
		.callback_delay = (ev_time_t)((opt->callback_delay >= 0 ? opt->callback_delay : 10.0) *
					      (double)EV_SEC),
		.limit = (ev_time_t)(opt->duration > 0 ? opt->duration * (double)EV_SEC : 0),
		.seed_first_call = true, .trace = true, .show = true, .realtime = opt->realtime,
		.pcap_dir = opt->pcap_dir, .clients = clients,
	};

	if (n > TELCO_MAX_SUBS)
		n = TELCO_MAX_SUBS;
	memset(clients, 0, sizeof(clients));
	for (unsigned i = 0; i < n; i++) {
		struct run_client *c = &clients[i];

		char digits[sizeof(c->number)];

		snprintf(digits, sizeof(digits), "%u", 5279651 + i);
		memcpy(c->number, digits, sizeof(digits));
		dashed(c->callback_number, sizeof(c->callback_number), digits);
		c->variant = SUB_PPP_WINNT_ASK;
		c->expect = RUN_EXPECT_CALLBACK;
	}
	/* --attach 5279651=...: the seed's PC replaced by an outside program */
	if (scenario_apply_attach(opt, clients, &n, TELCO_MAX_SUBS) < 0)
		return 2;
	set.nclients = n;
	return scenario_run(opt, &set);
}

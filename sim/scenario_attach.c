/*
 * scenario_attach.c - `dialback-sim --scenario attach --attach NUMBER=SPEC ...`: the NAS
 * (seed configuration unless --config) on span 0 with outside programs as the
 * subscribers: each --attach line is a subscriber number whose modem's serial port is a
 * Unix socket or a pty (sim/subscriber_attach.h).  A real pppd with chat dials
 * ATDT4084327528, gets CONNECT, runs PPP; when the NAS calls back, the modem prints
 * RING and answers on ATA (or by itself with ATS0=1).
 *
 * The run ends when every attached program has come and gone (socket closed, or the
 * pty slave closed for 5 s of wall time), at --duration simulated seconds (default
 * 600), or on SIGINT/SIGTERM.  Modems train for 1 s, the NAS calls back 2 s after the
 * client's TERMREQ unless --callback-delay says otherwise.  The daemon's debug trace
 * goes to stdout.
 *
 * SPDX-License-Identifier: MIT
 */
#include "scenarios.h"

#include <stdio.h>
#include <string.h>

#include "scenario_run.h"
#include "telco.h"

int scenario_attach(const struct sim_options *opt)
{
	static struct run_client clients[SIM_MAX_ATTACH];
	unsigned n = 0;
	struct run_setup set = {
		.name = "attach", .what = "attached lines", .config_path = opt->config,
		.spans = opt->config ? opt->spans : 1, .train_time = 1 * EV_SEC,
		.ppp_start_delay = 0,
		.callback_delay = (ev_time_t)((opt->callback_delay >= 0 ? opt->callback_delay : 2.0) *
					      (double)EV_SEC),
		.limit = (ev_time_t)((opt->duration > 0 ? opt->duration : 600.0) * (double)EV_SEC),
		.trace = true, .show = true, .realtime = opt->realtime, .pcap_dir = opt->pcap_dir,
		.clients = clients,
	};

	if (opt->nattach == 0) {
		fprintf(stderr, "dialback-sim: --scenario attach needs --attach NUMBER=SPEC\n");
		return 2;
	}
	memset(clients, 0, sizeof(clients));
	if (scenario_apply_attach(opt, clients, &n, SIM_MAX_ATTACH) < 0)
		return 2;
	set.nclients = n;
	return scenario_run(opt, &set);
}

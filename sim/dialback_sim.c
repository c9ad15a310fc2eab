/*
 * dialback_sim.c - `build/dialback-sim`: the co-simulation's command line
 *
 * The card's RTL (Verilated), the daemon's code (libdialback, unchanged) and the
 * telco and subscriber models run in one process on one simulated clock.
 *
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cosim_usb.h"
#include "scenarios.h"
#include "vcard.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dialback-sim [options]\n"
		"  --config FILE          daemon configuration (IOS syntax)\n"
		"  --scenario NAME        seed, storm, mixed, attach, first-frame\n"
		"  --spans N              T1 spans to use, 1..%u: up to %u the %u-span card model\n"
		"                         (3.088 MHz), more the %u-span one (24.704 MHz, ~40x slower)\n"
		"  --clients N            subscriber PCs\n"
		"  --seed S               random seed (runs are deterministic per seed)\n"
		"  --callback-delay S     seconds before calling back\n"
		"  --wave FILE            write an FST waveform of the card\n"
		"  --pcap DIR             one pcap per line\n"
		"  --transport inproc|usb how the daemon reaches the card\n"
		"  --realtime             pace simulated time to the wall clock\n"
		"  --attach NUMBER=SPEC   subscriber line NUMBER's modem serial port to an outside\n"
		"                         program: unix:PATH (listen), unix-connect:PATH, pty[:LINK]\n"
		"  --duration S           stop after S simulated seconds\n",
		vcard_max_spans(), vcard_narrow_spans(), vcard_narrow_spans(), vcard_max_spans());
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "scenario", required_argument, NULL, 's' },
		{ "spans", required_argument, NULL, 'n' },
		{ "clients", required_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, 'S' },
		{ "callback-delay", required_argument, NULL, 'd' },
		{ "wave", required_argument, NULL, 'w' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "transport", required_argument, NULL, 't' },
		{ "realtime", no_argument, NULL, 'r' },
		{ "attach", required_argument, NULL, 'a' },
		{ "duration", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim_options opt = {
		.argc = argc, .argv = argv, .scenario = "first-frame", .transport = "inproc",
		.spans = vcard_narrow_spans(), .clients = 0, .seed = 1, .callback_delay = -1.0,
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt.config = optarg; break;
		case 's': opt.scenario = optarg; break;
		case 'n': opt.spans = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'k': opt.clients = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'S': opt.seed = strtoul(optarg, NULL, 0); break;
		case 'd': opt.callback_delay = strtod(optarg, NULL); break;
		case 'w': opt.wave = optarg; break;
		case 'p': opt.pcap_dir = optarg; break;
		case 't': opt.transport = optarg; break;
		case 'r': opt.realtime = true; break;
		case 'a':
			if (opt.nattach >= SIM_MAX_ATTACH) {
				fprintf(stderr, "dialback-sim: at most %d --attach\n", SIM_MAX_ATTACH);
				return 2;
			}
			opt.attach[opt.nattach++] = optarg;
			break;
		case 'D': opt.duration = strtod(optarg, NULL); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (opt.spans == 0 || opt.spans > vcard_max_spans()) {
		fprintf(stderr, "dialback-sim: --spans must be 1..%u for this build\n", vcard_max_spans());
		return 2;
	}
	if (strcmp(opt.transport, "inproc") != 0 && strcmp(opt.transport, "usb") != 0) {
		fprintf(stderr, "dialback-sim: --transport %s: inproc or usb\n", opt.transport);
		return 2;
	}
	if (strcmp(opt.transport, "usb") == 0)
		cosim_usb_wrap(argc, argv);	/* under umockdev-wrapper, or it says why not */
	if (opt.nattach)	/* an outside program's side watches the trace as it happens */
		setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(opt.scenario, "first-frame") == 0)
		return scenario_first_frame(&opt);
	if (strcmp(opt.scenario, "seed") == 0)
		return scenario_seed(&opt);
	if (strcmp(opt.scenario, "attach") == 0)
		return scenario_attach(&opt);
	if (strcmp(opt.scenario, "storm") == 0)
		return scenario_storm(&opt);
	if (strcmp(opt.scenario, "mixed") == 0)
		return scenario_mixed(&opt);
	fprintf(stderr, "dialback-sim: scenario '%s' is not implemented yet (have: first-frame, seed, attach, storm, mixed)\n",
		opt.scenario);
	return 2;
}

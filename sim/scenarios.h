/*
 * scenarios.h - what `dialback-sim --scenario NAME` can run
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_SCENARIOS_H
#define DIALBACK_SIM_SCENARIOS_H

#include <stdbool.h>

#define SIM_MAX_ATTACH	8

struct sim_options {
	int         argc;
	char      **argv;
	const char *config;		/*!< --config FILE */
	const char *scenario;		/*!< --scenario NAME */
	const char *wave;		/*!< --wave FILE (FST of the card) */
	const char *pcap_dir;		/*!< --pcap DIR */
	const char *transport;		/*!< --transport inproc|usb */
	unsigned    spans, clients;
	unsigned long seed;
	double      callback_delay;	/*!< seconds (< 0: the scenario's own) */
	bool        realtime;
	double      duration;		/*!< --duration S: simulated seconds (0: scenario's) */
	unsigned    nattach;		/*!< --attach NUMBER=SPEC, in order given */
	const char *attach[SIM_MAX_ATTACH];
};

int scenario_first_frame(const struct sim_options *opt);
int scenario_seed(const struct sim_options *opt);
int scenario_attach(const struct sim_options *opt);
int scenario_storm(const struct sim_options *opt);
int scenario_mixed(const struct sim_options *opt);

#endif /* DIALBACK_SIM_SCENARIOS_H */

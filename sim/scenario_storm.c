/*
 * scenario_storm.c - `dialback-sim --scenario storm|mixed`: many subscribers calling at
 * once, on every PRI span the card has (--spans N)
 *
 *   storm  every client is the seed's Windows NT "ask me" client without the user's
 *          think time: LCP with Callback, CHAP, CBCP with its own number, TERMREQ,
 *          callback, CHAP again, IPCP.  The default --clients is one per B-channel
 *          (23 per span), all dialling at the same instant.
 *   mixed  the clients cycle through every client variant (sim/subscriber_ppp.h):
 *          win9x (no client config, the server offers), winnt-always ("always call me
 *          back at"), winnt-ask ("ask me", 0.5 s dialog), no callback, a user whose
 *          callback number the administrator configured, and Linux pppd.
 * Both: callback delay 1 s (--callback-delay), modems train 0.5 s, the NAS retries a
 * callback that finds no free B-channel (up to 3 times, 2 s apart), and a PC whose
 * call finds every channel busy redials (3 times, 2 s apart, like Windows' "redial
 * attempts").  The clients' start times are spread by --seed over the first 50 ms
 * (frame-level jitter), so a seed fixes the whole run.
 *
 * The daemon's configuration is made here, not read from a file (unless --config): one
 * controller T1 per span with `pri-group timeslots 1-24` and `isdn incoming-voice
 * modem` on its D-channel (28 spans: 28 D-channels, 644 B-channels; no NFAS), one
 * modem line per client (at least one per B-channel, as the AS5200's 48 modems), an
 * address pool 10.1.1.1-250 (to 10.1.3.250 beyond 240 lines), and one user per client:
 *   u01 .. uNN with password pNN; callback-dialstring "" (the client says the number)
 *   or the client's own number (preconfigured), none for the no-callback variant.
 * Subscriber i has number 5280001 + i.
 *
 * SPDX-License-Identifier: MIT
 */
#include "scenarios.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_run.h"
#include "telco.h"
#include "vcard.h"

#define STORM_FIRST_NUMBER	5280001u
#define STORM_CONFIG_MAX	(16384 + TELCO_MAX_SUBS * 96)

static const enum sub_ppp_variant mixed_cycle[] = {
	SUB_PPP_WIN9X, SUB_PPP_WINNT_ALWAYS, SUB_PPP_WINNT_ASK, SUB_PPP_NO_CALLBACK,
	SUB_PPP_PRECONFIGURED, SUB_PPP_PPPD,
};

static size_t appendf(char *buf, size_t size, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t appendf(char *buf, size_t size, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= size)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, size - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

/* The daemon's configuration for `spans` PRI spans, `lines` modems and the clients. */
static char *storm_config(unsigned spans, unsigned lines, const struct run_client *c, unsigned n)
{
	char *b = malloc(STORM_CONFIG_MAX);
	size_t k = 0, sz = STORM_CONFIG_MAX;

	if (!b)
		return NULL;
	k = appendf(b, sz, k,
		    "! dialback-sim --scenario storm/mixed (sim/scenario_storm.c)\n"
		    "version 11.3\n"
		    "service timestamps debug datetime msec\n"
		    "hostname as5200\n"
		    "aaa new-model\n"
		    "aaa authentication login default none\n"
		    "aaa authentication ppp default local\n"
		    "aaa authorization network local\n");
	for (unsigned i = 0; i < n; i++) {
		if (c[i].variant == SUB_PPP_NO_CALLBACK)
			k = appendf(b, sz, k, "username %s password 0 %s\n", c[i].user, c[i].secret);
		else if (c[i].variant == SUB_PPP_PRECONFIGURED)
			k = appendf(b, sz, k, "username %s callback-dialstring %s password 0 %s\n",
				    c[i].user, c[i].number, c[i].secret);
		else
			k = appendf(b, sz, k, "username %s callback-dialstring \"\" password 0 %s\n",
				    c[i].user, c[i].secret);
	}
	k = appendf(b, sz, k,
		    "isdn switch-type primary-5ess\n"
		    "chat-script offhook \"\" \"ATH1\" OK\n"
		    "chat-script callback ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" "
		    "TIMEOUT 15 CONNECT \\c\n");
	for (unsigned s = 0; s < spans; s++)
		k = appendf(b, sz, k, "controller T1 %u\n framing esf\n clock source line %s\n"
			    " linecode b8zs\n pri-group timeslots 1-24\n", s,
			    s == 0 ? "primary" : "secondary");
	k = appendf(b, sz, k, "interface Ethernet0\n ip address 10.1.0.1 255.255.255.0\n");
	for (unsigned s = 0; s < spans; s++)
		k = appendf(b, sz, k, "interface Serial%u:23\n ip unnumbered Ethernet0\n"
			    " encapsulation ppp\n isdn incoming-voice modem\n", s);
	k = appendf(b, sz, k,
		    "interface Group-Async1\n"
		    " ip unnumbered Ethernet0\n"
		    " encapsulation ppp\n"
		    " async mode interactive\n"
		    " peer default ip address pool default\n"
		    " ppp callback accept\n"
		    " ppp authentication chap\n"
		    " group-range 1 %u\n"
		    "ip local pool default 10.1.1.1 %s\n"
		    "line 1 %u\n"
		    " autoselect during-login\n"
		    " autoselect ppp\n"
		    " script modem-off-hook offhook\n"
		    " script callback callback\n"
		    " modem InOut\n"
		    " transport input all\n"
		    "end\n", lines, lines > 240 ? "10.1.3.250" : "10.1.1.250", lines);
	if (k >= sz) {
		free(b);
		return NULL;
	}
	return b;
}

static int storm(const struct sim_options *opt, bool mixed)
{
	static struct run_client clients[TELCO_MAX_SUBS];
	unsigned spans = opt->spans, n, lines;
	uint32_t rng = (uint32_t)opt->seed * 2654435761u + 1;
	char *text = NULL;
	int rc;
	struct run_setup set = {
		.name = mixed ? "mixed" : "storm", .what = "sessions", .config_path = opt->config,
		.train_time = 500 * EV_MSEC, .ppp_start_delay = 200 * EV_MSEC,
		.callback_delay = (ev_time_t)((opt->callback_delay >= 0 ? opt->callback_delay : 1.0) *
					      (double)EV_SEC),
		.callback_retries = 3, .callback_retry_wait = 2 * EV_SEC,
		.limit = (ev_time_t)((opt->duration > 0 ? opt->duration : 120.0) * (double)EV_SEC),
		.trace = getenv("DIALBACK_QUIET") == NULL, .show = false,
		.realtime = opt->realtime, .pcap_dir = opt->pcap_dir,
		.progress = getenv("DIALBACK_PROGRESS"), .stats = getenv("DIALBACK_STATS") != NULL,
		.clients = clients,
	};

	if (spans > vcard_max_spans())
		spans = vcard_max_spans();
	n = opt->clients ? opt->clients : spans * TELCO_BCHANS;
	if (n > TELCO_MAX_SUBS) {
		fprintf(stderr, "dialback-sim: at most %d clients (the telco's subscribers)\n",
			(int)TELCO_MAX_SUBS);
		return 2;
	}
	memset(clients, 0, sizeof(clients));
	for (unsigned i = 0; i < n; i++) {
		struct run_client *c = &clients[i];

		snprintf(c->number, sizeof(c->number), "%u", STORM_FIRST_NUMBER + i);
		c->variant = mixed ? mixed_cycle[i % (sizeof(mixed_cycle) / sizeof(mixed_cycle[0]))]
				   : SUB_PPP_WINNT_ASK;
		snprintf(c->user, sizeof(c->user), "u%02u", i + 1);
		snprintf(c->secret, sizeof(c->secret), "p%02u", i + 1);
		memcpy(c->callback_number, c->number, sizeof(c->callback_number));
		c->think_set = true;
		c->think_time = mixed && c->variant == SUB_PPP_WINNT_ASK ? 500 * EV_MSEC : 0;
		c->online_time = 1 * EV_SEC;
		c->redials = 3;
		c->redial_wait = 2 * EV_SEC;
		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		c->start = (ev_time_t)(rng % 400) * 125 * EV_USEC;	/* 0 .. 50 ms, in frames */
		c->expect = c->variant == SUB_PPP_NO_CALLBACK ? RUN_EXPECT_ONLINE
							      : RUN_EXPECT_CALLBACK;
	}
	if (scenario_apply_attach(opt, clients, &n, TELCO_MAX_SUBS) < 0)
		return 2;
	lines = n > spans * TELCO_BCHANS ? n : spans * TELCO_BCHANS;
	if (!opt->config) {
		text = storm_config(spans, lines, clients, n);
		if (!text)
			return 2;
		set.config_text = text;
	}
	set.spans = spans;
	set.nclients = n;
	rc = scenario_run(opt, &set);
	free(text);
	return rc;
}

int scenario_storm(const struct sim_options *opt)
{
	return storm(opt, false);
}

int scenario_mixed(const struct sim_options *opt)
{
	return storm(opt, true);
}

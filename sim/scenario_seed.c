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

#include "card_sim.h"
#include "config.h"
#include "cosim.h"
#include "ctl.h"
#include "ds0_chars.h"
#include "hdlc_sync.h"
#include "log.h"
#include "nas.h"
#include "subscriber_pc.h"
#include "telco.h"

#define NAS_NUMBER	"4084327528"
#define SEED_TRAIN_TIME	(21300 * EV_MSEC)	/* 01:24:49.8 CONNECT_ACK -> 01:25:11.1 DSR */
#define SEED_PPP_START	(2800 * EV_MSEC)	/* DSR -> the client's first PPP octet */
#define MAX_PCS		TELCO_MAX_SUBS

struct seed_run;

/* A subscriber PC (sim/subscriber_pc: dialler + modem + PPP client) on a telco line. */
struct pc {
	struct seed_run *run;
	unsigned idx;
	char number[24];
	struct sub_pc pc;
	struct telco_sub *sub;
	struct ds0_tx dtx;
	struct ds0_rx drx;
	bool called_back;
};

struct seed_run {
	struct cosim cs;
	struct ev_loop *loop;
	struct card_sim *tp;
	struct nas *nas;
	struct ctl *ctl;
	struct telco *telco;
	struct telco_span *tspan[COSIM_MAX_SPANS];
	struct hdlc_sync_tx dtx[COSIM_MAX_SPANS];
	struct hdlc_sync_rx drx[COSIM_MAX_SPANS];
	struct pc pc[MAX_PCS];
	unsigned npc;
	unsigned lines_printed;
	uint64_t rng;			/* the daemon's random bytes */
};

/* --- trace --------------------------------------------------------------------------- */

static void trace_sink(void *ctx, enum log_level lvl, const char *line)
{
	struct seed_run *r = ctx;

	(void)lvl;
	r->lines_printed++;
	printf("%s\n", line);
}

/* The daemon's random bytes (magic numbers, CHAP challenges) from a generator seeded
 * with --seed, so that a run is the same every time for a seed. */
static void seeded_random(void *ctx, void *buf, size_t len)
{
	uint64_t *state = ctx;
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		*state ^= *state << 13;		/* xorshift64 */
		*state ^= *state >> 7;
		*state ^= *state << 17;
		p[i] = (uint8_t)(*state >> 32);
	}
}

static void telco_trace(void *ctx, const char *line)
{
	(void)ctx;
	printf("telco: %s\n", line);
}

/* --- D-channel and B-channels on the telco side --------------------------------------- */

static int telco_send_dchan(void *ctx, const uint8_t *f, size_t n)
{
	struct hdlc_sync_tx *tx = ctx;

	return hdlc_sync_tx_frame(tx, f, n) ? 0 : -1;
}

static void telco_dchan_rx(void *ctx, const uint8_t *f, size_t n)
{
	telco_span_input(ctx, f, n);
}

static void line_frame(void *ctx, unsigned span, const uint8_t *from_nas, uint8_t *to_nas)
{
	struct seed_run *r = ctx;

	memset(to_nas, 0xFF, T1_TIMESLOTS);
	if (!r->tspan[span])
		return;
	hdlc_sync_rx_octet(&r->drx[span], from_nas[NAS_DCHAN_TS - 1]);
	to_nas[NAS_DCHAN_TS - 1] = hdlc_sync_tx_octet(&r->dtx[span]);
	for (unsigned b = 1; b < NAS_DCHAN_TS; b++) {
		struct telco_sub *sub = telco_span_bchan_sub(r->tspan[span], b);
		uint8_t c;

		if (!sub)
			continue;
		for (unsigned i = 0; i < r->npc; i++) {
			struct pc *pc = &r->pc[i];

			if (pc->sub != sub)
				continue;
			if (ds0_rx_octet(&pc->drx, from_nas[b - 1], &c))
				sub_modem_from_line(sub_pc_modem(&pc->pc), &c, 1);
			to_nas[b - 1] = ds0_tx_octet(&pc->dtx);
		}
	}
}

/* --- a subscriber PC ------------------------------------------------------------------- */

static int pc_dial(void *ctx, const char *digits) { return telco_dial(((struct pc *)ctx)->sub, digits); }
static int pc_answer(void *ctx) { return telco_answer(((struct pc *)ctx)->sub); }
static int pc_hangup(void *ctx) { return telco_hangup(((struct pc *)ctx)->sub); }

static void pc_to_line(void *ctx, const uint8_t *d, size_t n)
{
	ds0_tx_write(&((struct pc *)ctx)->dtx, d, n);
}

static const struct sub_pc_line_ops pc_line_ops = {
	.dial = pc_dial, .answer = pc_answer, .hangup = pc_hangup, .to_line = pc_to_line,
};

static void pc_state(void *ctx, enum sub_pc_state st)
{
	struct pc *pc = ctx;

	if (st == SUB_PC_CALLBACK_PPP)
		pc->called_back = true;
}

static void pc_ring(void *ctx, struct telco_sub *sub, const char *caller)
{
	(void)sub;
	(void)caller;
	sub_modem_ring(sub_pc_modem(&((struct pc *)ctx)->pc));
}

static void pc_alerting(void *ctx, struct telco_sub *sub)
{
	(void)sub;
	sub_modem_alerting(sub_pc_modem(&((struct pc *)ctx)->pc));
}

static void pc_connected(void *ctx, struct telco_sub *sub, unsigned span, unsigned bchan)
{
	struct pc *pc = ctx;

	(void)sub;
	(void)span;
	(void)bchan;
	ds0_tx_init(&pc->dtx);
	ds0_rx_init(&pc->drx);
	sub_modem_connected(sub_pc_modem(&pc->pc));
}

static void pc_cleared(void *ctx, struct telco_sub *sub, uint8_t cause)
{
	(void)sub;
	sub_modem_cleared(sub_pc_modem(&((struct pc *)ctx)->pc), cause);
}

static const struct telco_sub_ops pc_telco_ops = {
	.ring = pc_ring, .alerting = pc_alerting, .connected = pc_connected, .cleared = pc_cleared,
};

static void pc_init(struct seed_run *r, struct pc *pc, unsigned idx, const char *number,
		    enum sub_ppp_variant v)
{
	struct sub_pc_config cfg;
	struct telco_sub_config tcfg;

	memset(pc, 0, sizeof(*pc));
	pc->run = r;
	pc->idx = idx;
	snprintf(pc->number, sizeof(pc->number), "%s", number);
	sub_pc_config_default(&cfg, v);
	cfg.dial_number = NAS_NUMBER;
	cfg.modem.train_time = SEED_TRAIN_TIME;
	cfg.ppp_start_delay = SEED_PPP_START;
	cfg.ppp.magic_seed = 1000 + idx;
	sub_pc_init(&pc->pc, r->loop, &cfg, &pc_line_ops, pc);
	pc->pc.on_state = pc_state;
	pc->pc.on_state_ctx = pc;
	telco_sub_config_default(&tcfg, number);
	pc->sub = telco_add_sub(r->telco, &tcfg, &pc_telco_ops, pc);
	ds0_tx_init(&pc->dtx);
	ds0_rx_init(&pc->drx);
}

static bool pc_finished(const struct pc *pc)
{
	enum sub_pc_state st = sub_pc_state(&pc->pc);

	return st == SUB_PC_ONLINE || st == SUB_PC_DONE || st == SUB_PC_FAILED;
}

/* --- the run --------------------------------------------------------------------------- */

static bool all_done(void *ctx)
{
	struct seed_run *r = ctx;

	for (unsigned i = 0; i < r->npc; i++)
		if (!pc_finished(&r->pc[i]))
			return false;
	return true;
}

static bool dchan_up(void *ctx)
{
	struct seed_run *r = ctx;

	return r->tspan[0] && telco_span_link_up(r->tspan[0]);
}

static void show(struct seed_run *r, const char *cmd)
{
	char prompt[96];

	snprintf(prompt, sizeof(prompt), "%s#%s", r->nas->cfg->hostname, cmd);
	printf("\n%s\n", prompt);
	fflush(stdout);
	ctl_execute(r->ctl, cmd, stdout);
}

int scenario_seed(const struct sim_options *opt)
{
	struct seed_run *r = calloc(1, sizeof(*r));
	struct nas_config *cfg = NULL;
	struct nas_tuning tune;
	static const enum dbg_cat cats[] = {
		DBG_MODEM, DBG_AAA_AUTHENTICATION, DBG_AAA_AUTHORIZATION, DBG_PPP_NEGOTIATION,
		DBG_PPP_AUTHENTICATION, DBG_PPP_CBCP, DBG_ISDN_Q931, DBG_CHAT, DBG_MODEM_CSM,
		DBG_CALLBACK,
	};
	unsigned up = 0, failed = 0;
	int rc = 0;

	if (!r)
		return 2;
	if (config_load_file(opt->config ? opt->config : "examples/seed.cfg", &cfg, stderr) < 0) {
		fprintf(stderr, "seed: the configuration does not load\n");
		free(r);
		return 2;
	}
	if (cosim_init(&r->cs, opt->argc, opt->argv, opt->wave, T1_ESF, T1_B8ZS) < 0) {
		config_free(cfg);
		free(r);
		return 2;
	}
	r->loop = ev_loop_new_manual(0);
	r->tp = card_sim_new();
	/* IOS without a clock set counts from Mar 1 1993 00:00 (the '*' in the stamps) */
	log_set_clock(r->loop, (time_t)730944000 + 1 * 3600 + 24 * 60 + 46, false);
	log_add_sink(trace_sink, r);
	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		dbg_enable(cats[i], true);
	if (getenv("DIALBACK_DEBUG_ALL"))
		for (int c = 0; c < DBG_COUNT; c++)
			dbg_enable((enum dbg_cat)c, true);

	nas_tuning_default(&tune);
	/* the seed's modems train for about 21 s between the ISDN CONNECT and DSR */
	tune.modem_train_time = SEED_TRAIN_TIME;
	tune.callback_delay = (ev_time_t)(opt->callback_delay * (double)EV_SEC);
	tune.random_seed = (uint32_t)opt->seed;
	r->nas = nas_new(r->loop, cfg, &tune);
	r->ctl = ctl_new();
	if (!r->nas || !r->ctl) {
		rc = 2;
		goto out;
	}
	ctl_register_debug(r->ctl);
	nas_register_commands(r->nas, r->ctl);
	r->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)opt->seed;
	r->nas->random = seeded_random;
	r->nas->random_ctx = &r->rng;
	r->cs.loop = r->loop;
	r->cs.transport = r->tp;
	nas_attach_card(r->nas, &card_sim_ops, r->tp);
	r->cs.host_card = r->nas->card;

	{
		struct telco_config tc = { 0 };

		tc.trace = getenv("DIALBACK_TELCO_TRACE") ? telco_trace : NULL;
		tc.trace_ctx = r;
		r->telco = telco_new(r->loop, getenv("DIALBACK_TELCO_TRACE") ? &tc : NULL);
	}
	for (unsigned s = 0; s < 1 && s < r->cs.spans; s++) {
		hdlc_sync_tx_init(&r->dtx[s]);
		r->tspan[s] = telco_add_span(r->telco, NAS_NUMBER, telco_send_dchan, &r->dtx[s]);
		hdlc_sync_rx_init(&r->drx[s], telco_dchan_rx, r->tspan[s]);
	}
	r->cs.frame_fn = line_frame;
	r->cs.frame_ctx = r;
	r->npc = opt->clients ? opt->clients : 1;
	if (r->npc > MAX_PCS)
		r->npc = MAX_PCS;
	for (unsigned i = 0; i < r->npc; i++) {
		char num[16];

		snprintf(num, sizeof(num), "%u", 5279651 + i);
		pc_init(r, &r->pc[i], i, num, SUB_PPP_WINNT_ASK);
	}

	/* the spans align and the D-channel comes up before anyone calls */
	if (!cosim_run_while_not(&r->cs, dchan_up, r, 5 * EV_SEC)) {
		printf("seed: FAIL the PRI D-channel did not come up\n");
		rc = 1;
		goto out;
	}
	cosim_run_until(&r->cs, 2 * EV_SEC);
	/* the seed's first call: call reference 0x36 on B-channel 19, answered by the
	 * modem at slot 0, port 3 (tty4): earlier calls had used ports 0-2 */
	telco_span_next_cr(r->tspan[0], 0x36);
	telco_span_next_bchan(r->tspan[0], 19);
	r->nas->csm.next_port = 3;
	for (unsigned i = 0; i < r->npc; i++)
		sub_pc_start(&r->pc[i].pc);
	cosim_run_while_not(&r->cs, all_done, r, cosim_now(&r->cs) + 240 * EV_SEC);

	show(r, "show users");
	show(r, "show caller");
	show(r, "show isdn active");
	for (unsigned i = 0; i < r->npc; i++) {
		if (sub_pc_state(&r->pc[i].pc) == SUB_PC_ONLINE && r->pc[i].called_back) {
			up++;
			continue;
		}
		failed++;
		printf("seed: PC %s ended in state %s%s%s\n", r->pc[i].number,
		       sub_pc_state_name(sub_pc_state(&r->pc[i].pc)),
		       r->pc[i].pc.fail_reason[0] ? ": " : "", r->pc[i].pc.fail_reason);
	}
	printf("\nseed: %s: %u of %u callbacks completed, %u failed, %.1f s simulated, "
	       "%llu card cycles\n", failed ? "FAIL" : "PASS", up, r->npc, failed,
	       (double)cosim_now(&r->cs) / 1e9, (unsigned long long)r->cs.cycle);
	if (failed && r->nas->card) {
		const struct card_chan_stats *d = card_get_chan_stats(r->nas->card, NAS_DCHAN_TS - 1);
		const struct card_stats *cst = card_get_stats(r->nas->card);

		printf("seed: D-channel at the card: rx %llu frames, %llu bad FCS, %llu aborts, "
		       "%llu overruns, %llu too long, %llu runts; tx %llu frames; telco rx %llu frames, "
		       "%llu bad FCS, %llu aborts; card parser: %llu msgs, %llu CRC errors, "
		       "%llu unexpected\n",
		       (unsigned long long)d->rx_frames, (unsigned long long)d->rx_bad_fcs,
		       (unsigned long long)d->rx_aborts, (unsigned long long)d->rx_overruns,
		       (unsigned long long)d->rx_too_long, (unsigned long long)d->rx_runts,
		       (unsigned long long)d->tx_frames, (unsigned long long)r->drx[0].frames,
		       (unsigned long long)r->drx[0].bad_fcs, (unsigned long long)r->drx[0].aborts,
		       (unsigned long long)cst->parser.messages,
		       (unsigned long long)cst->parser.crc_errors,
		       (unsigned long long)cst->rx_unexpected);
	}
	rc = failed ? 1 : 0;
out:
	log_reset();
	for (unsigned i = 0; i < r->npc; i++)
		sub_pc_fini(&r->pc[i].pc);
	if (r->telco)
		telco_free(r->telco);
	ctl_free(r->ctl);
	nas_free(r->nas);
	card_sim_free(r->tp);
	cosim_fini(&r->cs);
	ev_loop_free(r->loop);
	free(r);
	return rc;
}

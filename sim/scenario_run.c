/*
 * scenario_run.c - the co-simulation's run engine (see scenario_run.h)
 *
 *   PC (sim/subscriber_ppp + subscriber_modem) or an outside program on the modem
 *     --DS0 characters-- telco (sim/telco*) --T1 spans (B-channels + D-channel, sync
 *     HDLC on timeslot 24)-- card RTL -- FT232H -- card layer -- struct nas
 *
 * Everything runs on the daemon's event loop in simulated time (sim/cosim.c); the
 * wall clock is read only to pace --realtime runs and for the bench figures.
 *
 * SPDX-License-Identifier: MIT
 */
#include "scenario_run.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "card_sim.h"
#include "cosim_usb.h"
#include "config.h"
#include "cosim.h"
#include "ctl.h"
#include "ds0_chars.h"
#include "hdlc_sync.h"
#include "line.h"
#include "log.h"
#include "ip_endpoint.h"
#include "ip_session.h"
#include "nas.h"
#include "pcap_writer.h"
#include "subscriber_attach.h"
#include "subscriber_pc.h"
#include "telco.h"

#define NAS_NUMBER	"4084327528"
#define MAX_PCS		TELCO_MAX_SUBS
#define POLL_FRAMES	8			/* outside I/O every 1 ms simulated */
/* IOS without a clock set counts from Mar 1 1993 00:00 (the '*' in the stamps); the
 * seed's first line is at 01:24:46 */
#define LOG_EPOCH	((time_t)730944000 + 1 * 3600 + 24 * 60 + 46)

struct run;

/* One subscriber line: a scripted PC, or the modem alone with an outside program. */
struct pc {
	struct run *run;
	unsigned idx;
	const struct run_client *cl;
	struct sub_pc pc;		/* attached: only pc.modem is used */
	bool attached;
	bool model_ready;		/* sub_pc (or the attached modem) initialised */
	struct sub_attach att;
	struct telco_sub *sub;
	struct ds0_tx dtx;
	struct ds0_rx drx;
	struct pcap_writer *pcap;
	bool started, called_back;
	bool online_reached;		/* IPCP opened (on the leg that counts) */
	bool hung_up;			/* ... and the session ended after online_time */
	uint32_t online_ip;
	unsigned redials_left;
	struct ev_timer redial_timer, start_timer, online_timer;
	unsigned calls_out, calls_in;	/* calls the line made / took */
};

struct run {
	const struct run_setup *set;
	struct cosim cs;
	struct ev_loop *loop;
	struct card_sim *tp;
	struct cosim_usb *usb;		/* --transport usb */
	struct nas *nas;
	struct ip_endpoint ipep;	/* the host's IP stack: answers pings to the NAS */
	struct ctl *ctl;
	struct telco *telco;
	struct telco_span *tspan[COSIM_MAX_SPANS];
	struct hdlc_sync_tx dtx[COSIM_MAX_SPANS];
	struct hdlc_sync_rx drx[COSIM_MAX_SPANS];
	struct pc pc[MAX_PCS];
	unsigned npc;
	uint64_t rng;			/* the daemon's random bytes */
	uint64_t frames;
	/* --realtime */
	double wall0;
	ev_time_t sim0;
	ev_time_t started_at;
	/* progress bar */
	ev_time_t next_progress;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- trace --------------------------------------------------------------------------- */

static void trace_sink(void *ctx, enum log_level lvl, const char *line)
{
	(void)ctx;
	(void)lvl;
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

static void outside_io(struct run *r);

static void line_frame(void *ctx, unsigned span, const uint8_t *from_nas, uint8_t *to_nas)
{
	struct run *r = ctx;

	memset(to_nas, 0xFF, T1_TIMESLOTS);
	if (span == 0 && ++r->frames % POLL_FRAMES == 0)
		outside_io(r);
	if (!r->tspan[span])
		return;
	hdlc_sync_rx_octet(&r->drx[span], from_nas[NAS_DCHAN_TS - 1]);
	to_nas[NAS_DCHAN_TS - 1] = hdlc_sync_tx_octet(&r->dtx[span]);
	for (unsigned b = 1; b < NAS_DCHAN_TS; b++) {
		struct telco_sub *sub = telco_span_bchan_sub(r->tspan[span], b);
		struct pc *pc;
		uint8_t c;

		if (!sub)
			continue;
		pc = telco_sub_ctx(sub);	/* every subscriber is a struct pc */
		if (ds0_rx_octet(&pc->drx, from_nas[b - 1], &c)) {
			if (pc->pcap)
				pcap_writer_octets(pc->pcap, cosim_now(&r->cs),
						   PCAP_DIR_FROM_NAS, &c, 1);
			sub_modem_from_line(sub_pc_modem(&pc->pc), &c, 1);
		}
		to_nas[b - 1] = ds0_tx_octet(&pc->dtx);
	}
}

/* --- a subscriber line ----------------------------------------------------------------- */

static int pc_dial(void *ctx, const char *digits)
{
	struct pc *pc = ctx;

	pc->calls_out++;
	return telco_dial(pc->sub, digits);
}

static int pc_answer(void *ctx) { return telco_answer(((struct pc *)ctx)->sub); }
static int pc_hangup(void *ctx) { return telco_hangup(((struct pc *)ctx)->sub); }

static void pc_to_line(void *ctx, const uint8_t *d, size_t n)
{
	struct pc *pc = ctx;

	ds0_tx_write(&pc->dtx, d, n);
	if (pc->pcap)
		pcap_writer_octets(pc->pcap, cosim_now(&pc->run->cs), PCAP_DIR_TO_NAS, d, n);
}

static void att_to_pc(void *ctx, const uint8_t *d, size_t n)
{
	sub_attach_write(&((struct pc *)ctx)->att, d, n);
}

static const struct sub_pc_line_ops pc_line_ops = {
	.dial = pc_dial, .answer = pc_answer, .hangup = pc_hangup, .to_line = pc_to_line,
};

static void redial(struct ev_timer *t, void *arg)
{
	struct pc *pc = arg;

	(void)t;
	sub_pc_start(&pc->pc);
}

static void online_over(struct ev_timer *t, void *arg)
{
	struct pc *pc = arg;

	(void)t;
	pc->hung_up = true;
	sub_pc_stop(&pc->pc);
}

static void pc_state(void *ctx, enum sub_pc_state st)
{
	struct pc *pc = ctx;
	const char *why = pc->pc.fail_reason;

	if (st == SUB_PC_CALLBACK_PPP)
		pc->called_back = true;
	if (st == SUB_PC_ONLINE && !pc->online_reached &&
	    (pc->cl->expect != RUN_EXPECT_CALLBACK || pc->called_back)) {
		pc->online_reached = true;
		pc->online_ip = sub_ppp_stats(&pc->pc.ppp)->ip_addr;
		/* the user reads the mail and hangs up: the channel is free again */
		if (pc->cl->online_time)
			ev_timer_start(pc->run->loop, &pc->online_timer, pc->cl->online_time);
	}
	/* Windows' "redial attempts": a busy line or no free channel on the first call */
	if (st == SUB_PC_FAILED && pc->redials_left && !pc->called_back &&
	    (strcmp(why, "BUSY") == 0 || strcmp(why, "NO DIALTONE") == 0 ||
	     strcmp(why, "NO CARRIER") == 0 || strcmp(why, "NO ANSWER") == 0)) {
		pc->redials_left--;
		ev_timer_start(pc->run->loop, &pc->redial_timer, pc->cl->redial_wait);
	}
}

static void pc_ring(void *ctx, struct telco_sub *sub, const char *caller)
{
	struct pc *pc = ctx;

	(void)sub;
	(void)caller;
	pc->calls_in++;
	sub_modem_ring(sub_pc_modem(&pc->pc));
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

static void pc_start(struct ev_timer *t, void *arg)
{
	struct pc *pc = arg;

	(void)t;
	pc->started = true;
	if (!pc->attached)
		sub_pc_start(&pc->pc);
}

static int pc_init(struct run *r, struct pc *pc, unsigned idx, const struct run_client *cl)
{
	const struct run_setup *set = r->set;
	struct telco_sub_config tcfg;
	char err[160];

	memset(pc, 0, sizeof(*pc));
	pc->run = r;
	pc->idx = idx;
	pc->cl = cl;
	pc->redials_left = cl->redials;
	ev_timer_init(&pc->redial_timer, redial, pc);
	ev_timer_init(&pc->start_timer, pc_start, pc);
	ev_timer_init(&pc->online_timer, online_over, pc);
	if (cl->attach) {
		struct sub_modem_config mc;
		const struct sub_modem_ops mops = {
			.dial = pc_dial, .answer = pc_answer, .hangup = pc_hangup,
			.to_line = pc_to_line, .to_pc = att_to_pc,
		};

		if (sub_attach_open(&pc->att, cl->attach, err, sizeof(err)) < 0) {
			fprintf(stderr, "dialback-sim: --attach %s=%s: %s\n", cl->number, cl->attach,
				err);
			return -1;
		}
		pc->attached = true;
		sub_modem_config_default(&mc);
		mc.train_time = set->train_time;
		sub_modem_init(sub_pc_modem(&pc->pc), r->loop, &mc, &mops, pc);
		pc->model_ready = true;
	} else {
		struct sub_pc_config cfg;

		sub_pc_config_default(&cfg, cl->variant);
		cfg.dial_number = NAS_NUMBER;
		cfg.modem.train_time = set->train_time;
		cfg.ppp_start_delay = set->ppp_start_delay;
		cfg.ppp.magic_seed = 1000 + idx;
		if (cl->user[0])
			cfg.ppp.user = cl->user;
		if (cl->secret[0])
			cfg.ppp.secret = cl->secret;
		if (cl->callback_number[0])
			cfg.ppp.callback_number = cl->callback_number;
		if (cl->think_set)
			cfg.ppp.think_time = cl->think_time;
		sub_pc_init(&pc->pc, r->loop, &cfg, &pc_line_ops, pc);
		pc->model_ready = true;
		pc->pc.on_state = pc_state;
		pc->pc.on_state_ctx = pc;
	}
	telco_sub_config_default(&tcfg, cl->number);
	pc->sub = telco_add_sub(r->telco, &tcfg, &pc_telco_ops, pc);
	if (!pc->sub) {
		fprintf(stderr, "dialback-sim: the telco takes no more subscribers\n");
		return -1;
	}
	ds0_tx_init(&pc->dtx);
	ds0_rx_init(&pc->drx);
	if (set->pcap_dir) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s.pcap", set->pcap_dir, cl->number);
		pc->pcap = pcap_writer_open(path, LOG_EPOCH);
		if (!pc->pcap) {
			fprintf(stderr, "dialback-sim: %s: %s\n", path, pcap_writer_last_error());
			return -1;
		}
	}
	return 0;
}

static void pc_fini(struct pc *pc)
{
	if (!pc->run)
		return;
	ev_timer_stop(pc->run->loop, &pc->redial_timer);
	ev_timer_stop(pc->run->loop, &pc->start_timer);
	ev_timer_stop(pc->run->loop, &pc->online_timer);
	if (pc->attached) {
		sub_modem_fini(sub_pc_modem(&pc->pc));
		sub_attach_close(&pc->att);
	} else if (pc->model_ready) {
		sub_pc_fini(&pc->pc);
	}
	pcap_writer_close(pc->pcap);
	pc->pcap = NULL;
}

static bool pc_finished(const struct pc *pc)
{
	if (pc->attached) {
		if (pc->att.kind == SUB_ATTACH_PTY)
			return pc->att.ever_connected && !pc->att.connected &&
			       wall_now() - pc->att.closed_since > 5.0;
		return pc->att.ended || (pc->att.ever_connected && !pc->att.connected);
	}
	if (!pc->started || ev_timer_active(&pc->redial_timer))
		return false;
	if (pc->online_reached)
		return !pc->cl->online_time || pc->hung_up;
	switch (sub_pc_state(&pc->pc)) {
	case SUB_PC_DONE:
	case SUB_PC_FAILED:
	case SUB_PC_OFF:
		return true;
	default:
		return false;
	}
}

static bool pc_passed(const struct pc *pc)
{
	switch (pc->cl->expect) {
	case RUN_EXPECT_CALLBACK:
		return pc->online_reached && pc->called_back;
	case RUN_EXPECT_ONLINE:
		return pc->online_reached && !pc->called_back;
	case RUN_EXPECT_EXTERNAL:
		return pc->att.ever_connected;
	}
	return false;
}

/* --- outside programs and wall-clock pacing ---------------------------------------------- */

static void outside_io(struct run *r)
{
	struct pollfd pfd[MAX_PCS];
	nfds_t nfd = 0;

	for (unsigned i = 0; i < r->npc; i++) {
		struct pc *pc = &r->pc[i];
		struct sub_modem *m = sub_pc_modem(&pc->pc);
		uint8_t buf[256];
		size_t room, n;
		int ev;

		if (!pc->attached)
			continue;
		ev = sub_attach_poll(&pc->att);
		if (ev > 0) {
			char d[200];

			printf("attach: %s: connected on %s\n", pc->cl->number,
			       sub_attach_describe(&pc->att, d, sizeof(d)));
			fflush(stdout);
			sub_modem_set_dtr(m, true);
		} else if (ev < 0) {
			printf("attach: %s: disconnected (DTR drop)\n", pc->cl->number);
			fflush(stdout);
			sub_modem_set_dtr(m, false);
			sub_modem_set_dtr(m, true);
		}
		/* no more than the B-channel can take: 64 kbit/s */
		room = DS0_TXQ - pc->dtx.len;
		room = room > 2 * sizeof(buf) ? sizeof(buf) : room / 2;
		n = sub_attach_read(&pc->att, buf, room);
		if (n)
			sub_modem_from_pc(m, buf, n);
		if (r->set->realtime && sub_attach_wait_fd(&pc->att) >= 0) {
			pfd[nfd].fd = sub_attach_wait_fd(&pc->att);
			pfd[nfd].events = POLLIN;
			pfd[nfd++].revents = 0;
		}
	}
	if (r->set->realtime) {
		double ahead = (double)(cosim_now(&r->cs) - r->sim0) / 1e9 - (wall_now() - r->wall0);

		/* ahead of the wall clock: wait, but wake for the outside program's input */
		if (ahead > 0.002)
			poll(pfd, nfd, (int)(ahead * 1000));
	}
}

static void progress(struct run *r)
{
	unsigned done = 0, ok = 0;
	const unsigned width = 40;
	char bar[64];

	if (!r->set->progress || cosim_now(&r->cs) < r->next_progress)
		return;
	r->next_progress = cosim_now(&r->cs) + EV_SEC;
	for (unsigned i = 0; i < r->npc; i++) {
		if (pc_finished(&r->pc[i])) {
			done++;
			ok += pc_passed(&r->pc[i]);
		}
	}
	for (unsigned k = 0; k < width; k++)
		bar[k] = k < done * width / (r->npc ? r->npc : 1) ? '#' : '.';
	bar[width] = 0;
	fprintf(stderr, "\r%s [%s] %u/%u done (%u ok) %6.1f s sim %6.1f s wall ", r->set->progress,
		bar, done, r->npc, ok, (double)(cosim_now(&r->cs) - r->started_at) / 1e9,
		wall_now() - r->wall0);
}

/* --- the run --------------------------------------------------------------------------- */

static bool all_done(void *ctx)
{
	struct run *r = ctx;

	progress(r);
	if (stop_requested)
		return true;
	for (unsigned i = 0; i < r->npc; i++)
		if (!pc_finished(&r->pc[i]))
			return false;
	return true;
}

static bool dchans_up(void *ctx)
{
	struct run *r = ctx;

	for (unsigned s = 0; s < r->set->spans; s++)
		if (!r->tspan[s] || !telco_span_link_up(r->tspan[s]))
			return false;
	return true;
}

static void show(struct run *r, const char *cmd)
{
	char prompt[96];

	snprintf(prompt, sizeof(prompt), "%s#%s", r->nas->cfg->hostname, cmd);
	printf("\n%s\n", prompt);
	fflush(stdout);
	ctl_execute(r->ctl, cmd, stdout);
}

static const char *ipstr(uint32_t a, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

static void report_client(struct run *r, struct pc *pc, bool passed)
{
	const struct sub_modem_stats *ms = sub_modem_stats(sub_pc_modem(&pc->pc));
	char ip[20];

	(void)r;
	if (pc->attached) {
		char d[200];

		printf("client %s attach: %s %s; %u connection(s), %llu octets in, %llu out, "
		       "%llu dropped; dialled %s; %u call(s) out, %u in\n", pc->cl->number,
		       passed ? "PASS" : "FAIL", sub_attach_describe(&pc->att, d, sizeof(d)),
		       pc->att.connections, (unsigned long long)pc->att.rx,
		       (unsigned long long)pc->att.tx, (unsigned long long)pc->att.dropped,
		       ms->last_dialed[0] ? ms->last_dialed : "-", pc->calls_out, pc->calls_in);
		return;
	}
	printf("client %s %s user %s: %s %s%s%s%s; dialled %s; %u call(s) out, %u in; ip %s\n",
	       pc->cl->number, sub_ppp_variant_name(pc->cl->variant), pc->pc.cfg.ppp.user,
	       passed ? "PASS" : "FAIL",
	       pc->online_reached ? "online" : sub_pc_state_name(sub_pc_state(&pc->pc)),
	       pc->called_back ? " after callback" : " without callback",
	       pc->pc.fail_reason[0] && !pc->online_reached ? ": " : "",
	       pc->online_reached ? "" : pc->pc.fail_reason,
	       ms->last_dialed[0] ? ms->last_dialed : "-", pc->calls_out, pc->calls_in,
	       ipstr(pc->online_reached ? pc->online_ip : 0, ip, sizeof(ip)));
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int scenario_run(const struct sim_options *opt, const struct run_setup *set)
{
	struct run *r = calloc(1, sizeof(*r));
	struct nas_config *cfg = NULL;
	struct nas_tuning tune;
	static const enum dbg_cat cats[] = {
		DBG_MODEM, DBG_AAA_AUTHENTICATION, DBG_AAA_AUTHORIZATION, DBG_PPP_NEGOTIATION,
		DBG_PPP_AUTHENTICATION, DBG_PPP_CBCP, DBG_ISDN_Q931, DBG_CHAT, DBG_MODEM_CSM,
		DBG_CALLBACK,
	};
	unsigned up = 0, failed = 0;
	size_t heap0 = 0, nas_heap = 0;
	double wall_start, cpu_start;
	int rc = 0;

	if (!r)
		return 2;
	r->set = set;
	wall_start = wall_now();
	cpu_start = cpu_seconds();
	if (set->config_text ? config_parse(set->config_text, strlen(set->config_text),
					    set->name, &cfg, stderr) < 0
			     : config_load_file(set->config_path ? set->config_path
								 : "examples/seed.cfg",
						&cfg, stderr) < 0) {
		fprintf(stderr, "%s: the configuration does not load\n", set->name);
		free(r);
		return 2;
	}
	if (set->pcap_dir && mkdir(set->pcap_dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "dialback-sim: --pcap %s: %s\n", set->pcap_dir, strerror(errno));
		config_free(cfg);
		free(r);
		return 2;
	}
	if (cosim_init(&r->cs, set->spans, opt->argc, opt->argv, opt->wave, T1_ESF, T1_B8ZS) < 0) {
		config_free(cfg);
		free(r);
		return 2;
	}
	r->cs.measure_host = set->stats;
	r->loop = ev_loop_new_manual(0);
	r->tp = card_sim_new();
	log_set_clock(r->loop, LOG_EPOCH, false);
	if (set->trace) {
		log_add_sink(trace_sink, r);
		for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
			dbg_enable(cats[i], true);
		if (getenv("DIALBACK_DEBUG_ALL"))
			for (int c = 0; c < DBG_COUNT; c++)
				dbg_enable((enum dbg_cat)c, true);
	}

	nas_tuning_default(&tune);
	tune.modem_train_time = set->train_time;
	tune.callback_delay = set->callback_delay;
	if (set->callback_retries) {
		tune.callback_retries = set->callback_retries;
		tune.callback_retry_wait = set->callback_retry_wait;
	}
	tune.random_seed = (uint32_t)opt->seed;
	heap0 = mallinfo2().uordblks;
	r->nas = nas_new(r->loop, cfg, &tune);
	cfg = NULL;			/* the NAS owns it */
	r->ctl = ctl_new();
	if (!r->nas || !r->ctl) {
		rc = 2;
		goto out;
	}
	ctl_register_debug(r->ctl);
	nas_register_commands(r->nas, r->ctl);
	/* the sessions' IP data plane: the in-process endpoint (no root needed), or with
	 * DIALBACK_SIM_TUN=NAME the kernel's TUN device as dialbackd uses it (root) */
	if (getenv("DIALBACK_SIM_TUN") && *getenv("DIALBACK_SIM_TUN")) {
		if (ip_plane_open_kernel(r->nas, getenv("DIALBACK_SIM_TUN")) < 0) {
			rc = 2;
			goto out;
		}
	} else {
		ip_endpoint_attach_nas(&r->ipep, r->nas);
	}
	r->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)opt->seed;
	r->nas->random = seeded_random;
	r->nas->random_ctx = &r->rng;
	r->cs.loop = r->loop;
	if (opt->transport && strcmp(opt->transport, "usb") == 0) {
		/* the daemon's libusb driver, an emulated FT232H, the same card RTL */
		r->usb = cosim_usb_new(&r->cs, r->loop, r->nas);
		if (!r->usb) {
			rc = 2;
			goto out;
		}
	} else {
		r->cs.transport = r->tp;
		nas_attach_card(r->nas, &card_sim_ops, r->tp);
		r->cs.host_card = r->nas->card;
	}

	{
		struct telco_config tc = { 0 };

		tc.trace = getenv("DIALBACK_TELCO_TRACE") ? telco_trace : NULL;
		tc.trace_ctx = r;
		r->telco = telco_new(r->loop, getenv("DIALBACK_TELCO_TRACE") ? &tc : NULL);
	}
	for (unsigned s = 0; s < set->spans && s < r->cs.spans; s++) {
		hdlc_sync_tx_init(&r->dtx[s]);
		r->tspan[s] = telco_add_span(r->telco, NAS_NUMBER, telco_send_dchan, &r->dtx[s]);
		hdlc_sync_rx_init(&r->drx[s], telco_dchan_rx, r->tspan[s]);
	}
	r->cs.frame_fn = line_frame;
	r->cs.frame_ctx = r;
	r->npc = set->nclients > MAX_PCS ? MAX_PCS : set->nclients;
	for (unsigned i = 0; i < r->npc; i++) {
		if (pc_init(r, &r->pc[i], i, &set->clients[i]) < 0) {
			r->npc = i + 1;
			rc = 2;
			goto out;
		}
		if (r->pc[i].attached) {
			char d[200];

			/* the outside program's side reads this line to find the endpoint */
			printf("attach: %s: %s\n", set->clients[i].number,
			       sub_attach_describe(&r->pc[i].att, d, sizeof(d)));
		}
	}
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	r->wall0 = wall_now();
	r->sim0 = cosim_now(&r->cs);
	/* the spans align and the D-channels come up before anyone calls */
	if (!cosim_run_while_not(&r->cs, dchans_up, r, 5 * EV_SEC)) {
		printf("%s: FAIL the PRI D-channel did not come up\n", set->name);
		rc = 1;
		goto out;
	}
	cosim_run_until(&r->cs, 2 * EV_SEC);
	if (set->seed_first_call && r->tspan[0]) {
		/* the seed's first call: call reference 0x36 on B-channel 19, answered by
		 * the modem at slot 0, port 3 (tty4): earlier calls had used ports 0-2 */
		telco_span_next_cr(r->tspan[0], 0x36);
		telco_span_next_bchan(r->tspan[0], 19);
		r->nas->csm.next_port = 3;
	}
	r->started_at = cosim_now(&r->cs);
	for (unsigned i = 0; i < r->npc; i++) {
		struct pc *pc = &r->pc[i];

		if (set->clients[i].start > 0)
			ev_timer_start(r->loop, &pc->start_timer, set->clients[i].start);
		else
			pc_start(&pc->start_timer, pc);
	}
	cosim_run_while_not(&r->cs, all_done, r,
			    r->started_at + (set->limit ? set->limit : 240 * EV_SEC));
	if (set->progress) {
		r->next_progress = 0;
		progress(r);
		fprintf(stderr, "\n");
	}
	if (stop_requested)
		printf("\n%s: stopped by a signal\n", set->name);

	if (set->show) {
		show(r, "show users");
		show(r, "show caller");
		show(r, "show isdn active");
		/* the IP data plane: the lines that had an IP session, the sim's endpoint */
		for (unsigned i = 0; i < r->nas->nlines; i++) {
			char cmd[48];

			if (!r->nas->lines[i].ip.cnt.sessions)
				continue;
			snprintf(cmd, sizeof(cmd), "show interfaces async %u", i + 1);
			show(r, cmd);
		}
		if (r->ipep.tun) {
			printf("\nip endpoint: %llu datagrams from sessions, %llu echo requests, "
			       "%llu echo replies, %llu ignored, %llu routes added, %llu removed\n",
			       (unsigned long long)r->ipep.stats.received,
			       (unsigned long long)r->ipep.stats.echo_requests,
			       (unsigned long long)r->ipep.stats.echo_replies,
			       (unsigned long long)r->ipep.stats.ignored,
			       (unsigned long long)r->ipep.stats.routes_added,
			       (unsigned long long)r->ipep.stats.routes_removed);
		} else {
			char cmd[48];

			snprintf(cmd, sizeof(cmd), "show interfaces %s", r->nas->tun.name);
			show(r, cmd);
		}
	}
	printf("\n");
	for (unsigned i = 0; i < r->npc; i++) {
		bool ok = pc_passed(&r->pc[i]);

		if (ok)
			up++;
		else
			failed++;
		if (r->npc > 1 || r->pc[i].attached || !ok)
			report_client(r, &r->pc[i], ok);
	}
	if (set->realtime) {
		double sim = (double)(cosim_now(&r->cs) - r->sim0) / 1e9, wall = wall_now() - r->wall0;

		printf("%s: realtime: %.1f s simulated in %.1f s wall (%.2fx)%s\n", set->name, sim,
		       wall, wall > 0 ? sim / wall : 0.0,
		       sim < wall * 0.95 ? ": the simulation is slower than real time, it ran "
					   "as fast as it could" : "");
	}
	nas_heap = mallinfo2().uordblks;
	if (set->stats) {
		double wall = wall_now() - wall_start, sim = (double)cosim_now(&r->cs) / 1e9;
		double cpu = cpu_seconds() - cpu_start;
		unsigned lines = r->nas->nlines ? r->nas->nlines : 1;

		printf("%s: stats: spans %u clients %u completed %u failed %u wall_s %.2f "
		       "sim_s %.2f ratio %.3f cpu_s %.2f host_cpu_s %.3f host_cpu_ms_per_line %.3f "
		       "nas_heap_bytes_per_line %zu line_struct_bytes %zu peak_rss_kb %ld\n",
		       set->name, set->spans, r->npc, up, failed, wall, sim,
		       wall > 0 ? sim / wall : 0.0, cpu, (double)r->cs.host_cpu_ns / 1e9,
		       (double)r->cs.host_cpu_ns / 1e6 / lines,
		       (nas_heap > heap0 ? nas_heap - heap0 : 0) / lines, sizeof(struct line),
		       rss_kb());
	}
	printf("\n%s: %s: %u of %u %s completed, %u failed, %.1f s simulated, "
	       "%llu card cycles\n", set->name, failed ? "FAIL" : "PASS", up, r->npc,
	       set->what ? set->what : "callbacks", failed, (double)cosim_now(&r->cs) / 1e9,
	       (unsigned long long)r->cs.cycle);
	if (failed && r->nas->card) {
		const struct card_chan_stats *d = card_get_chan_stats(r->nas->card, NAS_DCHAN_TS - 1);
		const struct card_stats *cst = card_get_stats(r->nas->card);

		printf("%s: D-channel at the card: rx %llu frames, %llu bad FCS, %llu aborts, "
		       "%llu overruns, %llu too long, %llu runts; tx %llu frames; telco rx %llu frames, "
		       "%llu bad FCS, %llu aborts; card parser: %llu msgs, %llu CRC errors, "
		       "%llu unexpected\n", set->name,
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
	fflush(stdout);
	log_reset();
	for (unsigned i = 0; i < r->npc; i++)
		pc_fini(&r->pc[i]);
	if (r->telco)
		telco_free(r->telco);
	ctl_free(r->ctl);
	ip_endpoint_detach(&r->ipep);
	nas_free(r->nas);
	cosim_usb_free(r->usb);
	config_free(cfg);
	card_sim_free(r->tp);
	cosim_fini(&r->cs);
	ev_loop_free(r->loop);
	free(r);
	return rc;
}

int scenario_apply_attach(const struct sim_options *opt, struct run_client *clients,
			  unsigned *n, unsigned max)
{
	for (unsigned a = 0; a < opt->nattach; a++) {
		const char *eq = strchr(opt->attach[a], '=');
		size_t len = eq ? (size_t)(eq - opt->attach[a]) : 0;
		unsigned i;

		if (!eq || len == 0 || len >= sizeof(clients[0].number)) {
			fprintf(stderr, "dialback-sim: --attach %s: expected NUMBER=SPEC\n",
				opt->attach[a]);
			return -1;
		}
		for (i = 0; i < *n; i++)
			if (strlen(clients[i].number) == len &&
			    strncmp(clients[i].number, opt->attach[a], len) == 0)
				break;
		if (i == *n) {
			if (*n >= max)
				return -1;
			memset(&clients[i], 0, sizeof(clients[i]));
			memcpy(clients[i].number, opt->attach[a], len);
			(*n)++;
		}
		clients[i].attach = eq + 1;
		clients[i].expect = RUN_EXPECT_EXTERNAL;
	}
	return 0;
}

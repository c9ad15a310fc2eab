/*
 * nas.c - the access server's object tree and its wiring (see nas.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "nas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ctl.h"
#include "ip_session.h"
#include "line.h"
#include "log.h"

#define Q931_CAUSE_USER_BUSY		17
#define Q931_CAUSE_NO_CIRCUIT		34
#define Q931_CAUSE_INCOMPATIBLE_DEST	88

void nas_tuning_default(struct nas_tuning *t)
{
	memset(t, 0, sizeof(*t));
	t->callback_delay = 10 * EV_SEC;
	t->callback_hangup = 700 * EV_MSEC;
	t->callback_retries = 0;	/* IOS without `dialer redial`: one attempt */
	t->callback_retry_wait = 15 * EV_SEC;
	t->modem_train_time = 0;
	t->modem_dsr_delay = 0;
	t->span_poll = EV_SEC;
}

static void default_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	if (getrandom(buf, len, 0) != (ssize_t)len)
		memset(buf, 0x5A, len);
}

/* --- channels ------------------------------------------------------------------------ */

int nas_bind_channel(struct nas *n, struct line *l, unsigned chan)
{
	if (chan >= n->nchans)
		return -EINVAL;
	if (n->chan_line[chan] && n->chan_line[chan] != l)
		return -EBUSY;
	n->chan_line[chan] = l;
	return 0;
}

void nas_unbind_channel(struct nas *n, struct line *l, unsigned chan)
{
	if (chan < n->nchans && n->chan_line[chan] == l)
		n->chan_line[chan] = NULL;
}

static unsigned dchan_of(const struct nas_span *s)
{
	return s->unit * CARD_CHANS_PER_SPAN + NAS_DCHAN_TS - 1u;
}

/* --- the CSM's requests ----------------------------------------------------------------- */

static int csm_send_dchan(void *ctx, struct isdn_span *span, const uint8_t *frame, size_t len)
{
	struct nas *n = ctx;
	unsigned chan = span->cfg.unit * CARD_CHANS_PER_SPAN + NAS_DCHAN_TS - 1u;

	if (!n->card || !n->card_ready)
		return -ENODEV;
	return card_send_frame(n->card, chan, frame, len, 0);
}

static void csm_bchan(void *ctx, struct csm_port *p, struct isdn_span *span, unsigned bchan,
		      bool on)
{
	struct nas *n = ctx;
	unsigned tty = p->port + 1;

	if (tty < 1 || tty > n->nlines)
		return;
	line_bchan(&n->lines[tty - 1], span->cfg.unit * CARD_CHANS_PER_SPAN + bchan - 1u, on);
}

static int csm_incoming_data(void *ctx, struct isdn_call *call, void **owner)
{
	return isdn_ppp_incoming(&((struct nas *)ctx)->isdn_ppp, call, owner);
}

static void csm_data_connected(void *ctx, struct isdn_call *call, void *owner)
{
	isdn_ppp_connected(&((struct nas *)ctx)->isdn_ppp, call, owner);
}

static void csm_data_cleared(void *ctx, struct isdn_call *call, void *owner, uint8_t cause)
{
	isdn_ppp_cleared(&((struct nas *)ctx)->isdn_ppp, call, owner, cause);
}

static const struct csm_ops nas_csm_ops = {
	.send_dchan = csm_send_dchan, .bchan = csm_bchan,
	.incoming_data = csm_incoming_data, .data_connected = csm_data_connected,
	.data_cleared = csm_data_cleared,
};

/* --- the card ------------------------------------------------------------------------ */

/* The card's settings for a span, from its `controller T1` block. */
static void span_card_config(const struct nas *n, unsigned unit, struct card_span_config *sc)
{
	const struct cfg_controller_t1 *t1 = NULL;

	sc->framing = CARD_FRAMING_ESF;
	sc->linecode = CARD_LINECODE_B8ZS;
	sc->clock_source = CARD_CLK_LINE_PRIMARY;
	sc->flags = CARD_SPAN_ENABLE;
	for (unsigned k = 0; k < n->cfg->nt1; k++)
		if (n->cfg->t1[k].unit == unit)
			t1 = &n->cfg->t1[k];
	if (!t1)
		return;
	sc->framing = t1->framing == CFG_FRAMING_SF ? CARD_FRAMING_SF : CARD_FRAMING_ESF;
	sc->linecode = t1->linecode == CFG_LINECODE_AMI ? CARD_LINECODE_AMI : CARD_LINECODE_B8ZS;
	sc->clock_source = t1->clock == CFG_CLK_INTERNAL ? CARD_CLK_INTERNAL :
			   t1->clock == CFG_CLK_LINE_SECONDARY ? CARD_CLK_LINE_SECONDARY
							       : CARD_CLK_LINE_PRIMARY;
	if (t1->shutdown)
		sc->flags = 0;
}

/* The T1 counters: ask the card for its span status every tune.span_poll. */
static void span_poll_fired(struct ev_timer *t, void *arg)
{
	struct nas_span *s = arg;
	struct nas *n = s->nas;

	(void)t;
	if (!n->card || !n->card_ready || !n->tune.span_poll)
		return;
	if (!s->shutdown)
		card_span_query(n->card, s->unit);
	ev_timer_start(n->loop, &s->perf_poll, n->tune.span_poll);
}

static void configure_card(struct nas *n)
{
	for (unsigned i = 0; i < n->nspans; i++) {
		struct nas_span *s = &n->spans[i];
		struct card_span_config sc;

		span_card_config(n, s->unit, &sc);
		t1_perf_init(&s->perf, ev_now(n->loop), sc.framing == CARD_FRAMING_ESF);
		if (n->tune.span_poll && s->configured)
			ev_timer_start(n->loop, &s->perf_poll, n->tune.span_poll);
		card_span_config(n->card, s->unit, &sc);
		if (s->pri) {
			struct card_chan_cfg d = { .mode = CARD_MODE_SYNC_HDLC, .mru = 260 };

			card_chan_config(n->card, dchan_of(s), &d);
		}
		card_span_query(n->card, s->unit);
	}
	n->card_ready = true;
}

static void card_rx_frame(void *ctx, unsigned chan, const uint8_t *data, size_t len,
			  enum card_rx_status st)
{
	struct nas *n = ctx;

	if (st != CARD_RX_OK)
		return;			/* counted by the card layer */
	if (chan % CARD_CHANS_PER_SPAN == NAS_DCHAN_TS - 1) {
		unsigned span = chan / CARD_CHANS_PER_SPAN;

		if (span < n->nspans && n->spans[span].pri && n->spans[span].isdn_ready) {
			isdn_span_dchan_input(&n->spans[span].isdn, data, len);
			return;
		}
	}
	if (chan < n->nchans && n->chan_line[chan]) {
		line_rx_frame(n->chan_line[chan], data, len);
		return;
	}
	if (isdn_ppp_rx_frame(&n->isdn_ppp, chan, data, len))
		return;		/* a digital call's sync PPP */
	n->stats.frames_unrouted++;
}

static void card_rx_raw(void *ctx, unsigned chan, const uint8_t *data, size_t len)
{
	struct nas *n = ctx;

	if (chan < n->nchans && n->chan_line[chan])
		line_rx_raw(n->chan_line[chan], data, len);
	else
		n->stats.frames_unrouted++;
}

static void card_span_status(void *ctx, unsigned span, const struct card_span_status *st)
{
	struct nas *n = ctx;
	struct nas_span *s;
	bool up;

	if (span >= n->nspans)
		return;
	s = &n->spans[span];
	s->status = *st;
	t1_perf_update(&s->perf, ev_now(n->loop), st);
	up = st->in_frame && !(st->alarms & (CARD_ALARM_LOS | CARD_ALARM_LOF | CARD_ALARM_AIS));
	if (up != s->l1_up) {
		s->l1_up = up;
		log_console("%%CONTROLLER-5-UPDOWN: Controller T1 %u, changed state to %s", s->unit,
			    up ? "up" : "down");
		if (s->pri && s->isdn_ready)
			isdn_span_l1(&s->isdn, up);
	}
}

static void card_version(void *ctx, const struct card_version *v)
{
	struct nas *n = ctx;

	n->card_version = *v;
	card_set_tx_buffer(n->card, v->tx_buffer);
	if (v->proto_version != CARD_PROTO_VERSION)
		log_warn("card speaks protocol %u, we speak %u", v->proto_version, CARD_PROTO_VERSION);
	if (!n->card_ready)
		configure_card(n);
}

static const struct card_events card_events = {
	.rx_frame = card_rx_frame, .rx_raw = card_rx_raw, .span_status = card_span_status,
	.version = card_version,
};

int nas_attach_card(struct nas *n, const struct card_transport_ops *ops, void *tp)
{
	n->card = card_new(n->nchans, 1, ops, tp, &card_events, n);
	if (!n->card)
		return -ENOMEM;
	n->card_ready = false;
	return card_get_version(n->card);
}

void nas_detach_card(struct nas *n)
{
	for (unsigned i = 0; i < n->nlines; i++)
		line_clear(&n->lines[i], "line card gone");
	isdn_ppp_clear_all(&n->isdn_ppp, "line card gone");
	for (unsigned i = 0; i < n->nspans; i++)
		ev_timer_stop(n->loop, &n->spans[i].perf_poll);
	for (unsigned i = 0; i < n->nspans; i++) {
		if (n->spans[i].pri && n->spans[i].isdn_ready)
			isdn_span_l1(&n->spans[i].isdn, false);
		/* a card that comes back reports its spans anew: layer 1 restarts then */
		n->spans[i].l1_up = false;
	}
	card_free(n->card);
	n->card = NULL;
	n->card_ready = false;
}

/* --- construction -------------------------------------------------------------------- */

static int load_chat_scripts(struct nas *n)
{
	if (chat_registry_init(&n->chats) < 0)
		return -ENOMEM;
	for (unsigned i = 0; i < n->cfg->nchat; i++) {
		struct chat_script *s;
		char err[128];
		int col = 0;

		if (chat_script_compile(n->cfg->chat[i].name, n->cfg->chat[i].text, &s, err,
					sizeof(err), &col) < 0) {
			log_err("chat-script %s (line %u): %s", n->cfg->chat[i].name,
				n->cfg->chat[i].line, err);
			continue;
		}
		chat_registry_add(&n->chats, s);
	}
	return 0;
}

struct nas *nas_new(struct ev_loop *loop, struct nas_config *cfg, const struct nas_tuning *tune)
{
	struct nas *n = calloc(1, sizeof(*n));
	unsigned maxtty;

	if (!n)
		return NULL;
	n->loop = loop;
	n->cfg = cfg;
	if (tune)
		n->tune = *tune;
	else
		nas_tuning_default(&n->tune);
	n->random = default_random;
	tun_init(&n->tun);
	csm_init(&n->csm, &nas_csm_ops, n);
	aaa_init(&n->aaa, cfg, n->tune.random_seed);
	if (ippool_init(&n->pools, cfg) < 0 || load_chat_scripts(n) < 0)
		goto fail;
	n->async_if = config_async_interface(cfg);
	if (n->async_if)
		ppp_profile_from_config(&n->async_prof, cfg, n->async_if, &n->aaa, &n->pools);

	/* spans: one per controller T1, numbered by unit */
	for (unsigned i = 0; i < cfg->nt1; i++)
		if (cfg->t1[i].unit + 1 > n->nspans && cfg->t1[i].unit < NAS_MAX_SPANS)
			n->nspans = cfg->t1[i].unit + 1;
	for (unsigned u = 0; u < n->nspans; u++) {
		struct nas_span *s = &n->spans[u];

		s->nas = n;
		s->unit = u;
		ev_timer_init(&s->perf_poll, span_poll_fired, s);
		t1_perf_init(&s->perf, ev_now(loop), true);
		for (unsigned i = 0; i < cfg->nt1; i++) {
			const struct cfg_controller_t1 *t1 = &cfg->t1[i];

			if (t1->unit != u)
				continue;
			s->configured = true;
			s->pri = t1->pri_group;
			s->shutdown = t1->shutdown;
		}
		if (s->pri) {
			struct isdn_span_config ic;
			char dname[CFG_NAME_MAX];
			const struct cfg_interface *dif;

			isdn_span_config_default(&ic, u);
			for (unsigned i = 0; i < cfg->nt1; i++)
				if (cfg->t1[i].unit == u)
					ic.bchan_mask = isdn_bchan_mask_from_timeslots(
						cfg->t1[i].pri_timeslots, true);
			/* the seed's first outgoing call reference and incoming call id */
			ic.first_callref = 5;
			ic.first_call_id = 0xA;
			if (isdn_switch_parse(cfg->isdn_switch_type, &ic.switch_type) < 0)
				ic.switch_type = ISDN_SWITCH_PRIMARY_5ESS;
			snprintf(dname, sizeof(dname), "Serial%u:23", u);
			dif = config_find_interface(cfg, dname);
			ic.incoming_voice_modem = dif ? dif->isdn_voice_modem : false;
			isdn_span_init(&s->isdn, loop, &ic, &csm_isdn_ops, &n->csm);
			csm_add_span(&n->csm, &s->isdn);
			s->isdn_ready = true;
		}
	}
	n->nchans = (n->nspans ? n->nspans : 1) * CARD_CHANS_PER_SPAN;
	n->chan_line = calloc(n->nchans, sizeof(*n->chan_line));

	/* tty lines: as many as `line N M` blocks name */
	maxtty = config_max_tty(cfg);
	n->nlines = maxtty;
	n->lines = calloc(maxtty ? maxtty : 1, sizeof(*n->lines));
	if (!n->chan_line || !n->lines)
		goto fail;
	for (unsigned t = 1; t <= maxtty; t++)
		line_init(&n->lines[t - 1], n, t, config_find_tty_line(cfg, t));
	/* digital calls: one PPP session per B-channel at most */
	if (isdn_ppp_pool_init(&n->isdn_ppp, n, n->nspans * CARD_CHANS_PER_SPAN) < 0)
		goto fail;
	return n;
fail:
	nas_free(n);
	return NULL;
}

void nas_shutdown(struct nas *n)
{
	for (unsigned i = 0; i < n->nlines; i++)
		if (n->lines[i].phase != LINE_IDLE && n->lines[i].phase != LINE_BUSYOUT &&
		    n->lines[i].phase != LINE_UNUSED)
			line_clear(&n->lines[i], "shutting down");
	isdn_ppp_clear_all(&n->isdn_ppp, "shutting down");
}

void nas_free(struct nas *n)
{
	if (!n)
		return;
	if (n->lines)
		for (unsigned i = 0; i < n->nlines; i++)
			line_fini(&n->lines[i]);
	if (n->isdn_ppp.nas)
		isdn_ppp_pool_fini(&n->isdn_ppp);
	for (unsigned i = 0; i < n->nspans; i++)
		ev_timer_stop(n->loop, &n->spans[i].perf_poll);
	tun_fini(&n->tun);
	for (unsigned i = 0; i < n->nspans; i++)
		if (n->spans[i].isdn_ready)
			isdn_span_fini(&n->spans[i].isdn);
	card_free(n->card);
	chat_registry_clear(&n->chats);
	ippool_free(&n->pools);
	nas_reload_collect(n, true);		/* host/nas_reload.c */
	free(n->lines);
	free(n->chan_line);
	config_free(n->cfg);
	free(n);
}

/* --- operator commands --------------------------------------------------------------- */

/* show users, show line, show caller, show dialer, show running-config and clear line
 * are the lines' own: host/line_cli.c. */

static int cmd_show_isdn(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	struct isdn_span *spans[NAS_MAX_SPANS];
	size_t k = 0;

	for (unsigned i = 0; i < n->nspans; i++)
		if (n->spans[i].isdn_ready)
			spans[k++] = &n->spans[i].isdn;
	if (strcmp(argv[argc - 1], "active") == 0)
		isdn_show_active(spans, k, out);
	else
		isdn_show_status(spans, k, out);
	return 0;
}

static int cmd_show_controllers(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	const char *arg = NULL;

	for (int i = 0; i < argc; i++)	/* "show controllers t1 [N]" */
		if (argv[i][0] >= '0' && argv[i][0] <= '9')
			arg = argv[i];
	for (unsigned i = 0; i < n->nspans; i++) {
		const struct nas_span *s = &n->spans[i];
		struct card_span_config sc;
		struct t1_show_info info = { .unit = s->unit, .shutdown = s->shutdown,
					     .up = s->l1_up, .alarms = s->status.alarms };

		if (!s->configured || (arg && strtoul(arg, NULL, 10) != s->unit))
			continue;
		span_card_config(n, s->unit, &sc);
		info.framing = (enum card_framing)sc.framing;
		info.linecode = (enum card_linecode)sc.linecode;
		info.clock = (enum card_clocksrc)sc.clock_source;
		t1_show_controller(out, &info, &s->perf, ev_now(n->loop));
	}
	return 0;
}

static void fmt_ip(char *buf, size_t size, uint32_t a)
{
	snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static int cmd_show_ip_local_pool(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;

	(void)argc;
	(void)argv;
	fprintf(out, " Pool                     Begin           End             Free  In use\n");
	for (unsigned i = 0; i < n->pools.n; i++) {
		const struct ip_pool *p = &n->pools.pool[i];

		for (unsigned r = 0; r < p->nranges; r++) {
			char lo[16], hi[16];

			fmt_ip(lo, sizeof(lo), p->ranges[r].lo);
			fmt_ip(hi, sizeof(hi), p->ranges[r].hi);
			if (r == 0)
				fprintf(out, " %-24s %-15s %-15s %5u %7u\n", p->name, lo, hi,
					p->size - p->used, p->used);
			else
				fprintf(out, " %-24s %-15s %-15s\n", "", lo, hi);
		}
	}
	return 0;
}

void nas_register_commands(struct nas *n, struct ctl *c)
{
	line_cli_register(n, c);
	ctl_register(c, "show isdn status", 0, 0, cmd_show_isdn, n, "ISDN layer status");
	ctl_register(c, "show isdn active", 0, 0, cmd_show_isdn, n, "ISDN calls");
	ctl_register(c, "show controllers t1", 0, 1, cmd_show_controllers, n, "T1 spans");
	isdn_ppp_register_commands(&n->isdn_ppp, c);
	ctl_register(c, "show ip local pool", 0, 1, cmd_show_ip_local_pool, n, "address pools");
	ip_session_register_commands(n, c);
}

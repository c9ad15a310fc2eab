/*
 * line_cli.c - the operator's view of the tty lines, laid out like IOS's:
 *   show users, show line, show caller [line N] [timeouts|timers], show dialer,
 *   show running-config, clear line N
 *
 * Times come from the event loop (ev_now), so the same output appears in the daemon,
 * the co-simulation and the tests.
 *
 * SPDX-License-Identifier: MIT
 */
#include "line.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"
#include "nas.h"

static void fmt_duration(char *buf, size_t size, ev_time_t d)
{
	unsigned s = (unsigned)(d / EV_SEC);

	snprintf(buf, size, "%02u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
}

static void fmt_ip(char *buf, size_t size, uint32_t a)
{
	snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static bool in_use(const struct line *l)
{
	return l->phase == LINE_LOGIN || l->phase == LINE_PPP;
}

/* Somebody is on the line or a call is being set up on it. */
static bool active(const struct line *l)
{
	return l->phase != LINE_IDLE && l->phase != LINE_BUSYOUT && l->phase != LINE_UNUSED;
}

static ev_time_t idle_of(const struct nas *n, const struct line *l)
{
	ev_time_t now = ev_now(n->loop), since = l->last_input > l->call_start ? l->last_input
									    : l->call_start;

	return now > since ? now - since : 0;
}

/* --- show users --------------------------------------------------------------------- */

static int cmd_show_users(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;

	(void)argc;
	(void)argv;
	fprintf(out, "    Line       User       Host(s)              Idle       Location\n");
	fprintf(out, "*  0 con 0                idle                 00:00:00\n");
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		char idle[16], name[16];

		if (!in_use(l))
			continue;
		fmt_duration(idle, sizeof(idle), idle_of(n, l));
		snprintf(name, sizeof(name), "tty %u", l->tty);
		fprintf(out, "  %3u %-9s %-10s %-20s %-10s %s\n", l->tty, name,
			l->user[0] ? l->user : "", l->phase == LINE_PPP ? "Async interface" : "idle",
			idle, l->rem_addr);
	}
	fprintf(out, "\n  Interface  User        Mode                     Idle     Peer Address\n");
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		char idle[16], peer[16];

		if (l->phase != LINE_PPP || !l->ppp_running)
			continue;
		fmt_duration(idle, sizeof(idle), idle_of(n, l));
		fmt_ip(peer, sizeof(peer), l->peer_addr);
		fprintf(out, "  %-10s %-11s %-24s %-8s %s\n", l->sname, l->user, "Async PPP", idle,
			l->peer_addr ? peer : "");
	}
	isdn_ppp_show_users(&n->isdn_ppp, out);	/* digital calls: "Se0:22 ... Sync PPP" */
	return 0;
}

/* --- show line ------------------------------------------------------------------------ */

static int cmd_show_line(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;

	(void)argc;
	(void)argv;
	fprintf(out, "   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns   Int\n");
	fprintf(out, "*    0 CTY              -    -      -    -    -      0       0     0/0       -\n");
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		const char *modem = !l->cfg ? "-" : l->cfg->modem_busyout ? "busy" :
				    l->cfg->modem_inout ? "inout" : "-";

		fprintf(out, "%s%5u TTY 115200/115200 %s %-6s   -    -    -  %5u       0     0/0       -  %s\n",
			active(l) ? "*" : " ", l->tty,
			l->cfg && l->cfg->autoselect_ppp ? "A" : "-", modem,
			l->modem.calls_in + l->modem.calls_out, line_phase_name(l->phase));
	}
	return 0;
}

/* --- show caller ---------------------------------------------------------------------- */

/* exec-timeout: "00:10:00" (IOS's default), "-" for 0 0 */
static void fmt_exec_timeout(char *buf, size_t size, const struct cfg_line *c)
{
	unsigned m = 10, s = 0;

	if (c && c->has_exec_timeout) {
		m = c->exec_timeout_min;
		s = c->exec_timeout_sec;
	}
	if (!m && !s)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%02u:%02u:%02u", m / 60, m % 60, s);
}

static void caller_detail(struct nas *n, struct line *l, FILE *out)
{
	char active_t[16], idle[16], tmo[16], desc[256];

	fmt_duration(active_t, sizeof(active_t), ev_now(n->loop) - l->call_start);
	fmt_duration(idle, sizeof(idle), idle_of(n, l));
	fmt_exec_timeout(tmo, sizeof(tmo), l->cfg);
	fprintf(out, "  User: %s, line tty %u, service Async\n", l->user[0] ? l->user : "-", l->tty);
	fprintf(out, "        Active time %s, Idle time %s\n", active_t, idle);
	fprintf(out, "  Timeouts:            Absolute  Idle      Idle\n");
	fprintf(out, "                                 Session   Exec\n");
	fprintf(out, "      Limits:          -         -         %s\n", tmo);
	fprintf(out, "      Disconnect in:   -         -         -\n");
	if (l->phase == LINE_PPP)
		fprintf(out, "  TTY: Line %u, running PPP on %s\n", l->tty, l->sname);
	else
		fprintf(out, "  TTY: Line %u, autoselect / login\n", l->tty);
	if (l->chan >= 0)
		fprintf(out, "  DS0: (slot/unit/channel)=0/%u/%u\n", (unsigned)l->chan / CARD_CHANS_PER_SPAN,
			(unsigned)l->chan % CARD_CHANS_PER_SPAN);
	fprintf(out, "  Status: Ready, Active, Modem Detected%s\n",
		l->callback_leg || l->cb_successes ? ", Callback" : "");
	fprintf(out, "  Modem State: %s, Remote %s\n", modem_state_name(l->modem.state), l->rem_addr);
	if (l->phase != LINE_PPP || !l->ppp_running)
		return;
	fprintf(out, "\n  User: %s, line %s, service PPP\n", l->user[0] ? l->user : "-", l->sname);
	fprintf(out, "        Active time %s, Idle time %s\n", active_t, idle);
	fprintf(out, "  Timeouts:            Absolute  Idle\n");
	fprintf(out, "      Limits:          -         -\n");
	fprintf(out, "      Disconnect in:   -         -\n");
	ppp_describe(&l->ppp, desc, sizeof(desc));
	fprintf(out, "  PPP: %s\n", desc);
	if (l->peer_addr) {
		char peer[16], local[16];

		fmt_ip(peer, sizeof(peer), l->peer_addr);
		fmt_ip(local, sizeof(local), config_interface_address(n->cfg, n->async_if));
		fprintf(out, "  IP: Local %s, remote %s\n", local, peer);
	}
	fprintf(out, "  Counts: %u packets input, %u packets output\n", l->ppp.stats.rx_frames,
		l->ppp.stats.tx_frames);
}

static int cmd_show_caller(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	bool timeouts = false;
	int tty = -1;

	for (int i = 2; i < argc; i++) {
		if (strncasecmp(argv[i], "line", strlen(argv[i])) == 0 && i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[i + 1], &end, 10);

			if (*end || v < 1 || v > n->nlines) {
				fprintf(out, "%% Invalid line number\n");
				return -1;
			}
			tty = (int)v;
			i++;
		} else if (strncasecmp(argv[i], "timeouts", strlen(argv[i])) == 0 ||
			   strncasecmp(argv[i], "timers", strlen(argv[i])) == 0) {
			timeouts = true;
		} else {
			fprintf(out, "%% Invalid input detected\n");
			return -1;
		}
	}
	if (tty > 0 && !timeouts) {
		struct line *l = &n->lines[tty - 1];

		if (!in_use(l)) {
			fprintf(out, "  Line %u is not in use\n", l->tty);
			return 0;
		}
		caller_detail(n, l, out);
		return 0;
	}
	if (timeouts) {
		fprintf(out, "                               Session     Idle        Disconnect\n");
		fprintf(out, "  Line           User          Timeout     Timeout     User in\n");
		if (tty < 0)
			fprintf(out, "  con 0          -             -           -           -\n");
	} else {
		fprintf(out, "                                        Active    Idle\n");
		fprintf(out, "  Line           User               Service    Time      Time\n");
		fprintf(out, "  con 0          -                  TTY        00:00:00  00:00:00\n");
	}
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		char name[16], active_t[16], idle[16], tmo[16];

		if (!in_use(l) || (tty > 0 && (int)l->tty != tty))
			continue;
		snprintf(name, sizeof(name), "tty %u", l->tty);
		if (timeouts) {
			ev_time_t limit = 0;

			fmt_exec_timeout(tmo, sizeof(tmo), l->cfg);
			if (l->phase == LINE_LOGIN && ev_timer_active(&l->exec_timer) &&
			    l->exec_timer.due > ev_now(n->loop))
				limit = l->exec_timer.due - ev_now(n->loop);
			fmt_duration(idle, sizeof(idle), limit);
			fprintf(out, "  %-14s %-13s %-11s %-11s %s\n", name, l->user[0] ? l->user : "-",
				"-", tmo, limit ? idle : "-");
			if (l->phase == LINE_PPP)
				fprintf(out, "  %-14s %-13s %-11s %-11s %s\n", l->sname,
					l->user[0] ? l->user : "-", "-", "-", "-");
			continue;
		}
		fmt_duration(active_t, sizeof(active_t), ev_now(n->loop) - l->call_start);
		fmt_duration(idle, sizeof(idle), idle_of(n, l));
		fprintf(out, "  %-14s %-18s %-10s %s  %s\n", name, l->user[0] ? l->user : "-", "TTY",
			active_t, idle);
		if (l->phase == LINE_PPP)
			fprintf(out, "  %-14s %-18s %-10s %s  %s\n", l->sname,
				l->user[0] ? l->user : "-", "PPP", active_t, idle);
	}
	return 0;
}

/* --- show dialer ------------------------------------------------------------------------ */

static const char *dialer_state(const struct line *l)
{
	switch (l->phase) {
	case LINE_CB_WAIT:	return "waiting to call back";
	case LINE_CB_DIAL:	return "dialing";
	case LINE_PPP:		return l->ppp.phase == PPP_PHASE_NETWORK ? "data link layer up"
									 : "physical layer up";
	case LINE_LOGIN:
	case LINE_CALL:		return "physical layer up";
	case LINE_BUSYOUT:	return "busied out";
	default:		return "idle";
	}
}

/* `show dialer` entries of the B-channels with a digital call or callback under way */
static void show_dialer_isdn(const struct isdn_ppp_pool *p, ev_time_t now, bool *first, FILE *out)
{
	static const char *const state[] = {
		[ISDN_PPP_FREE] = "idle", [ISDN_PPP_CALL] = "physical layer up",
		[ISDN_PPP_UP] = "data link layer up", [ISDN_PPP_CB_WAIT] = "waiting for callback",
		[ISDN_PPP_CB_DIAL] = "dialing",
	};

	for (unsigned i = 0; p->slot && i < p->nslots; i++) {
		const struct isdn_ppp *s = &p->slot[i];

		if (s->state == ISDN_PPP_FREE)
			continue;
		fprintf(out, "%s%s - dialer type = ISDN\n", *first ? "" : "\n", s->lname);
		*first = false;
		fprintf(out, "Wait for carrier (30 secs), Re-enable (15 secs)\n");
		fprintf(out, "Dialer state is %s\n", state[s->state]);
		if (s->state == ISDN_PPP_CB_WAIT || s->state == ISDN_PPP_CB_DIAL || s->callback_leg) {
			fprintf(out, "Dial reason: Callback return call\n");
			fprintf(out, "Callback to %s (%s), attempt %u\n", s->cb_number, s->cb_user,
				s->cb_attempt ? s->cb_attempt : 1);
		}
		if (s->state == ISDN_PPP_UP) {
			char t[16];

			fmt_duration(t, sizeof(t), now - s->call_start);
			fprintf(out, "Current call connected %s\n", t);
			fprintf(out, "Connected to %s (%s)\n", s->remote[0] ? s->remote : "unknown",
				s->user[0] ? s->user : "unknown");
		}
	}
}

static int cmd_show_dialer(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	bool first = true;

	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		const struct cfg_interface *ifc = config_find_interface(n->cfg, l->lname);
		unsigned wait = 30, reenable = 15;

		if (l->phase == LINE_UNUSED)
			continue;
		if (!ifc)
			ifc = n->async_if;
		if (ifc && ifc->has_redial && ifc->redial_reenable)
			reenable = ifc->redial_reenable;
		fprintf(out, "%s%s - dialer type = IN-BAND ASYNC NO-PARITY\n", first ? "" : "\n",
			l->lname);
		first = false;
		if (ifc && ifc->has_redial)
			fprintf(out, "Redial interval (%u secs), attempts %u\n", ifc->redial_interval,
				ifc->redial_attempts);
		fprintf(out, "Wait for carrier (%u secs), Re-enable (%u secs)\n", wait, reenable);
		fprintf(out, "Dialer state is %s\n", dialer_state(l));
		if (l->phase == LINE_CB_WAIT || l->phase == LINE_CB_DIAL) {
			fprintf(out, "Dial reason: Callback return call\n");
			fprintf(out, "Callback to %s (%s), attempt %u\n", l->cb_number, l->cb_user,
				l->cb_attempt ? l->cb_attempt : 1);
		} else if (l->phase == LINE_PPP) {
			char t[16];

			fmt_duration(t, sizeof(t), ev_now(n->loop) - l->call_start);
			fprintf(out, "Current call connected %s\n", t);
			fprintf(out, "Connected to %s (%s)\n", l->rem_addr + (strncmp(l->rem_addr, "async/", 6) == 0 ? 6 : 0),
				l->user[0] ? l->user : "unknown");
		}
		if (l->cb_successes || l->cb_failures) {
			char ago[16];

			fmt_duration(ago, sizeof(ago), ev_now(n->loop) - l->cb_last_time);
			fprintf(out, "\nDial String      Successes   Failures    Last called   Last status\n");
			fprintf(out, " %-16s %9u %10u    %-13s %s\n", l->cb_last_number, l->cb_successes,
				l->cb_failures, ago, l->cb_last_status);
		}
	}
	show_dialer_isdn(&n->isdn_ppp, ev_now(n->loop), &first, out);
	return 0;
}

/* --- show running-config, clear line ------------------------------------------------------ */

static int cmd_show_running(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;

	(void)argc;
	(void)argv;
	return config_write(n->cfg, out);
}

static int cmd_clear_line(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	char *end;
	unsigned long tty = strtoul(argv[argc - 1], &end, 10);

	if (*end || tty < 1 || tty > n->nlines) {
		fprintf(out, "%% Invalid line number\n");
		return -1;
	}
	line_clear(&n->lines[tty - 1], "clear line");
	fprintf(out, "[OK]\n");
	return 0;
}

void line_cli_register(struct nas *n, struct ctl *c)
{
	ctl_register(c, "show users", 0, 0, cmd_show_users, n, "lines in use");
	ctl_register(c, "show line", 0, 0, cmd_show_line, n, "tty lines");
	ctl_register(c, "show caller", 0, 3, cmd_show_caller, n,
		     "callers: [line N] [timeouts|timers]");
	ctl_register(c, "show dialer", 0, 0, cmd_show_dialer, n, "dial-out (callback) state");
	ctl_register(c, "show running-config", 0, 0, cmd_show_running, n,
		     "the configuration in force");
	ctl_register(c, "clear line", 1, 1, cmd_clear_line, n, "hang up a line");
}

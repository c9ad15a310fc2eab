/*
 * subscriber_pc.c - a subscriber PC: dialler + PPP client + modem (see subscriber_pc.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "subscriber_pc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void set_state(struct sub_pc *pc, enum sub_pc_state s)
{
	if (pc->state == s)
		return;
	pc->state = s;
	if (s != SUB_PC_INIT && s != SUB_PC_ARMING)
		ev_timer_stop(pc->loop, &pc->cmd_timer);
	if (pc->on_state)
		pc->on_state(pc->on_state_ctx, s);
}

static void fail(struct sub_pc *pc, const char *why)
{
	snprintf(pc->fail_reason, sizeof(pc->fail_reason), "%s", why);
	set_state(pc, SUB_PC_FAILED);
}

static void command(struct sub_pc *pc, const char *cmd)
{
	ev_timer_start(pc->loop, &pc->cmd_timer, pc->cfg.command_timeout);
	sub_modem_command(&pc->modem, cmd);
}

static void ppp_down(struct sub_pc *pc)
{
	if (pc->ppp_up) {
		pc->ppp_up = false;
		sub_ppp_lower_down(&pc->ppp);
	}
	ev_timer_stop(pc->loop, &pc->ppp_timer);
}

/* Hang up the way Windows does: drop DTR, raise it again. */
static void hang_up(struct sub_pc *pc)
{
	ppp_down(pc);
	sub_modem_set_dtr(&pc->modem, false);
	sub_modem_set_dtr(&pc->modem, true);
}

/* ---- the PPP client's side --------------------------------------------------------- */

static void ppp_tx(void *ctx, const uint8_t *o, size_t n)
{
	struct sub_pc *pc = ctx;

	sub_modem_from_pc(&pc->modem, o, n);
}

static void ppp_event(void *ctx, enum sub_ppp_event ev)
{
	struct sub_pc *pc = ctx;

	switch (ev) {
	case SUB_PPP_EV_WAIT_CALLBACK:
		/* "waiting for callback": hang up, let the modem answer the next call */
		set_state(pc, SUB_PC_ARMING);
		hang_up(pc);
		command(pc, "ATS0=1");
		break;
	case SUB_PPP_EV_IPCP_OPEN:
		set_state(pc, SUB_PC_ONLINE);
		break;
	case SUB_PPP_EV_TERMINATED:
		hang_up(pc);
		if (pc->ppp.st.auth_failed)
			fail(pc, "authentication");
		else
			set_state(pc, SUB_PC_DONE);
		break;
	case SUB_PPP_EV_FAILED:
		hang_up(pc);
		fail(pc, "ppp negotiation");
		break;
	default:
		break;
	}
}

static void ppp_start(struct ev_timer *t, void *arg)
{
	struct sub_pc *pc = arg;

	(void)t;
	if (!sub_modem_online(&pc->modem))
		return;
	pc->ppp_up = true;
	sub_ppp_lower_up(&pc->ppp, pc->state == SUB_PC_CALLBACK_PPP);
}

/* ---- the modem's side -------------------------------------------------------------- */

static void modem_line(struct sub_pc *pc, const char *l)
{
	switch (pc->state) {
	case SUB_PC_INIT:
		if (strcmp(l, "OK") == 0) {
			/* ATZ, then the init string, then dial */
			if (pc->init_step++ == 0) {
				command(pc, pc->cfg.init_string);
			} else {
				char cmd[64];

				snprintf(cmd, sizeof(cmd), "ATDT%s", pc->cfg.dial_number);
				set_state(pc, SUB_PC_DIALING);
				sub_modem_command(&pc->modem, cmd);
			}
		} else if (strcmp(l, "ERROR") == 0) {
			fail(pc, l);
		}
		break;
	case SUB_PC_DIALING:
		if (strncmp(l, "CONNECT", 7) == 0) {
			set_state(pc, SUB_PC_PPP);
			ev_timer_start(pc->loop, &pc->ppp_timer, pc->cfg.ppp_start_delay);
		} else if (strcmp(l, "BUSY") == 0 || strcmp(l, "NO ANSWER") == 0 ||
			   strcmp(l, "NO CARRIER") == 0 || strcmp(l, "NO DIALTONE") == 0 ||
			   strcmp(l, "ERROR") == 0) {
			fail(pc, l);
		}
		break;
	case SUB_PC_ARMING:
		if (strcmp(l, "OK") == 0) {
			set_state(pc, SUB_PC_WAIT_CALLBACK);
		} else if (strcmp(l, "ERROR") == 0) {
			fail(pc, l);
		}
		break;
	case SUB_PC_WAIT_CALLBACK:
		if (strncmp(l, "CONNECT", 7) == 0) {
			set_state(pc, SUB_PC_CALLBACK_PPP);
			ev_timer_start(pc->loop, &pc->ppp_timer, pc->cfg.ppp_start_delay);
		}
		break;			/* RING: the modem answers by itself (S0=1) */
	case SUB_PC_PPP:
	case SUB_PC_CALLBACK_PPP:
	case SUB_PC_ONLINE:
		if (strcmp(l, "NO CARRIER") == 0) {
			bool was_online = pc->state != SUB_PC_PPP;

			ppp_down(pc);
			if (pc->ppp.phase == SUB_PPP_WAIT_CALLBACK)
				break;		/* handled by the PPP event */
			if (was_online)
				set_state(pc, SUB_PC_DONE);
			else
				fail(pc, l);
		}
		break;
	default:
		break;
	}
}

static void modem_to_pc(void *ctx, const uint8_t *d, size_t n)
{
	struct sub_pc *pc = ctx;

	if (sub_modem_online(&pc->modem)) {	/* carrier (DCD): data for PPP */
		if (pc->ppp_up)
			sub_ppp_input(&pc->ppp, d, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (d[i] == '\r' || d[i] == '\n') {
			if (pc->text_len) {
				pc->text[pc->text_len] = 0;
				pc->text_len = 0;
				modem_line(pc, pc->text);
			}
		} else if (pc->text_len + 1 < sizeof(pc->text)) {
			pc->text[pc->text_len++] = (char)d[i];
		}
	}
}

static int line_dial(void *ctx, const char *digits)
{
	struct sub_pc *pc = ctx;

	return pc->line.dial ? pc->line.dial(pc->line_ctx, digits) : -ENOSYS;
}

static int line_answer(void *ctx)
{
	struct sub_pc *pc = ctx;

	return pc->line.answer ? pc->line.answer(pc->line_ctx) : -ENOSYS;
}

static int line_hangup(void *ctx)
{
	struct sub_pc *pc = ctx;

	return pc->line.hangup ? pc->line.hangup(pc->line_ctx) : 0;
}

static void line_tx(void *ctx, const uint8_t *d, size_t n)
{
	struct sub_pc *pc = ctx;

	if (pc->line.to_line)
		pc->line.to_line(pc->line_ctx, d, n);
}

static void cmd_timeout(struct ev_timer *t, void *arg)
{
	struct sub_pc *pc = arg;

	(void)t;
	if (pc->state == SUB_PC_INIT || pc->state == SUB_PC_ARMING)
		fail(pc, "command timeout");
}

/* ---- life cycle -------------------------------------------------------------------- */

void sub_pc_config_default(struct sub_pc_config *cfg, enum sub_ppp_variant v)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dial_number = "4084327528";
	cfg->init_string = "ATE0V1S0=0";
	cfg->command_timeout = 5 * EV_SEC;
	cfg->ppp_start_delay = 0;
	sub_ppp_config_default(&cfg->ppp, v);
	sub_modem_config_default(&cfg->modem);
}

void sub_pc_init(struct sub_pc *pc, struct ev_loop *loop, const struct sub_pc_config *cfg,
		 const struct sub_pc_line_ops *line, void *line_ctx)
{
	const struct sub_ppp_ops pops = { .tx = ppp_tx, .event = ppp_event };
	struct sub_modem_ops mops = {
		.dial = line_dial, .answer = line_answer, .hangup = line_hangup,
		.to_line = line_tx, .to_pc = modem_to_pc,
	};

	memset(pc, 0, sizeof(*pc));
	if (!line || !line->to_line)
		mops.to_line = NULL;		/* pull mode: sub_modem_line_pull() */
	pc->cfg = *cfg;
	if (!pc->cfg.dial_number)
		pc->cfg.dial_number = "4084327528";
	if (!pc->cfg.init_string)
		pc->cfg.init_string = "AT";
	if (!pc->cfg.command_timeout)
		pc->cfg.command_timeout = 5 * EV_SEC;
	if (line)
		pc->line = *line;
	pc->line_ctx = line_ctx;
	pc->loop = loop;
	pc->state = SUB_PC_OFF;
	sub_modem_init(&pc->modem, loop, &pc->cfg.modem, &mops, pc);
	sub_ppp_init(&pc->ppp, loop, &pc->cfg.ppp, &pops, pc);
	ev_timer_init(&pc->cmd_timer, cmd_timeout, pc);
	ev_timer_init(&pc->ppp_timer, ppp_start, pc);
}

void sub_pc_fini(struct sub_pc *pc)
{
	ev_timer_stop(pc->loop, &pc->cmd_timer);
	ev_timer_stop(pc->loop, &pc->ppp_timer);
	sub_ppp_fini(&pc->ppp);
	sub_modem_fini(&pc->modem);
}

int sub_pc_start(struct sub_pc *pc)
{
	if (pc->state != SUB_PC_OFF && pc->state != SUB_PC_DONE && pc->state != SUB_PC_FAILED)
		return -EBUSY;
	pc->fail_reason[0] = 0;
	pc->text_len = 0;
	pc->init_step = 0;		/* the first OK is ATZ's */
	set_state(pc, SUB_PC_INIT);
	command(pc, "ATZ");
	return 0;
}

void sub_pc_stop(struct sub_pc *pc)
{
	hang_up(pc);
	ev_timer_stop(pc->loop, &pc->cmd_timer);
	set_state(pc, SUB_PC_OFF);
}

const char *sub_pc_state_name(enum sub_pc_state s)
{
	static const char *const names[] = {
		[SUB_PC_OFF] = "off", [SUB_PC_INIT] = "init", [SUB_PC_DIALING] = "dialing",
		[SUB_PC_PPP] = "ppp", [SUB_PC_ARMING] = "arming",
		[SUB_PC_WAIT_CALLBACK] = "waiting for callback",
		[SUB_PC_CALLBACK_PPP] = "callback ppp", [SUB_PC_ONLINE] = "online",
		[SUB_PC_DONE] = "done", [SUB_PC_FAILED] = "failed",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/*
 * nas_harness.h - a whole access server for unit tests, without Verilator: the real
 * NAS (host/nas.c: ISDN, CSM, modems, chat, PPP, callback) on an ideal line card
 * written here in C (the card protocol answered message by message; async HDLC with
 * the sim's reference codec), the telco model (sim/telco.c) on span 0's D-channel and
 * subscriber PCs (sim/subscriber_pc.c) on its B-channels.  Everything runs on one
 * manual event loop; nh_run() steps it and moves the queued octets between the parts
 * (never from inside a callback, so no part re-enters another).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TEST_NAS_HARNESS_H
#define DIALBACK_TEST_NAS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card_msg.h"
#include "card_sim.h"
#include "ctl.h"
#include "evloop.h"
#include "hdlc_async.h"
#include "nas.h"
#include "subscriber_pc.h"
#include "telco.h"
#include "log_capture.h"

#define NH_NAS_NUMBER	"4084327528"
#define NH_CHANS	(2 * CARD_CHANS_PER_SPAN)
#define NH_MAX_PCS	4
#define NH_QMAX		8192
#define NH_LOG_MAX	2000

struct nh;

struct nh_pc {
	struct nh *h;
	char number[24];
	struct sub_pc pc;
	struct telco_sub *sub;
	int chan;			/*!< card channel of its call, -1 none */
	bool called_back;		/*!< reached SUB_PC_CALLBACK_PPP */
	const char *callback_user;	/*!< authenticate as this user on the callback leg */
	const char *callback_secret;
	uint8_t q[NH_QMAX];		/*!< octets toward the NAS, not yet delivered */
	size_t qlen;
	/* raw: a terminal user typing on the line, no modem or PPP client model */
	bool raw;
	char rx[NH_QMAX];		/*!< what the NAS sent (raw), NUL-terminated */
	size_t rxlen;
};

struct nh_chan {
	uint8_t mode;			/*!< enum card_chan_mode */
	uint32_t rx_accm, tx_accm;
	bool fcs32;
	uint8_t tx[4096];
	size_t txlen;
	bool tx_full_accm;
	uint16_t consumed;
	struct hdlc_async_decoder dec;
};

struct nh {
	struct ev_loop *loop;
	struct card_sim *tp;
	struct nas *nas;
	struct ctl *ctl;
	struct telco *telco;
	struct telco_span *tspan;
	struct card_parser parser;
	struct nh_chan chan[NH_CHANS];
	bool los;			/*!< span 0 reports loss of signal */
	uint8_t dq[NH_QMAX];		/*!< D-channel frames from the telco: len16 + bytes */
	size_t dqlen;
	struct nh_pc pcs[NH_MAX_PCS];
	unsigned npc;
	struct log_capture log;		/*!< every log line, timestamp stripped */
};

/* Build from configuration text (must load), with tuning (NULL = defaults). */
struct nh *nh_new(const char *config_text, const struct nas_tuning *tune);
void nh_free(struct nh *h);
/* A subscriber PC with telephone number `number` (Windows NT, asks for callback). */
struct nh_pc *nh_add_pc(struct nh *h, const char *number);
/* A terminal user: the subscriber dials the NAS without a modem model; what the
 * NAS sends collects in pc->rx, nh_type() sends keystrokes. */
int nh_dial_raw(struct nh *h, struct nh_pc *pc);
void nh_type(struct nh_pc *pc, const char *text);
/* Run the simulation until absolute simulated time t. */
void nh_run_until(struct nh *h, ev_time_t t);
void nh_run_for(struct nh *h, ev_time_t dt);
/* Run until pred() or t; returns pred()'s last value. */
bool nh_run_while_not(struct nh *h, bool (*pred)(struct nh *h, void *arg), void *arg,
		      ev_time_t t);
/* Span 0 loses / regains signal (SPAN_STATUS to the NAS). */
void nh_set_los(struct nh *h, bool los);
/* Run one operator command; the output (malloc'd, caller frees). */
char *nh_cmd(struct nh *h, const char *cmd, int *rc);
/* Index of the first log line at or after `from` containing s, or -1. */
int nh_log_find(const struct nh *h, unsigned from, const char *s);
void nh_log_dump(const struct nh *h, unsigned from);

#endif /* DIALBACK_TEST_NAS_HARNESS_H */

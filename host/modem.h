/*
 * modem.h - the NAS-side modem of one line: an idealised digital modem on a
 * B-channel with a Hayes AT command interpreter toward the DTE (the line: chat
 * scripts, autoselect, PPP).
 *
 * Two sides:
 *   DTE  (host):  modem_dte_input() bytes from the line, ops->to_dte() bytes to it
 *                 (echo, result codes, data); modem_set_dtr().
 *   call (ISDN):  ops->dial() on ATD, ops->answer() on ATA / auto-answer,
 *                 ops->hangup(); modem_incoming_call(), modem_call_connected(),
 *                 modem_call_failed(), modem_remote_hangup(), modem_line_input().
 *
 * Command mode accepts "AT" command lines ended by S3 (CR); data mode starts with
 * "CONNECT <speed>" and ends when the call ends ("NO CARRIER") or DTR drops (AT&D2:
 * hang up, command mode).  There is no "+++" escape: on a NAS the DTE ends a call
 * with DTR.  Commands:
 *   A  D<str>  E0/1  H0/1  I0-9  L0-3  M0-3  O  Q0/1  Sn=v  Sn?  V0/1  X0-4  Z  A/
 *   &F (factory profile)  &W (store profile)  &C &D &K &S &V... (accepted)
 * ATZ loads the stored profile, whose S0 (rings before auto-answer) comes from the
 * line configuration (a NAS modem answers on the first ring by default).
 * Dial strings: digits, * # and A-D are dialled; T P W , ; ! @ - ( ) . and spaces
 * are ignored as modems do.
 * Result codes (verbose / numeric, ATV1 / ATV0):  OK 0, CONNECT 1 (CONNECT <speed>
 * also 1), RING 2, NO CARRIER 3, ERROR 4, NO DIALTONE 6, BUSY 7, NO ANSWER 8; X0..X4
 * select which of them are reported, as on a Hayes modem.
 * `modem busyout` lines refuse incoming calls and answer ATD with NO DIALTONE.
 *
 * `debug modem` (DBG_MODEM) texts, the ones the seed shows: "TTY4: DSR came up",
 * "tty4: Modem: IDLE->READY", "TTY4: Async Int reset: Dropping DTR" (the hang-up
 * transitions are tracked but not printed: the seed has none).  The DSR report is
 * deferred by a timer
 * (cfg.dsr_delay, 0 = next loop step) so that a chat script that waits for CONNECT
 * finishes first, as in the seed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_MODEM_H
#define DIALBACK_MODEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define MODEM_CMD_MAX	64	/*!< longest AT command line (after "AT") */
#define MODEM_NSREG	32	/*!< S0..S31 */
#define MODEM_DIAL_MAX	40	/*!< dialled digits */

enum modem_result {
	MODEM_RES_OK = 0, MODEM_RES_CONNECT = 1, MODEM_RES_RING = 2,
	MODEM_RES_NO_CARRIER = 3, MODEM_RES_ERROR = 4, MODEM_RES_NO_DIALTONE = 6,
	MODEM_RES_BUSY = 7, MODEM_RES_NO_ANSWER = 8,
};

/* Why an outgoing call failed (from call control). */
enum modem_fail { MODEM_FAIL_BUSY, MODEM_FAIL_NO_ANSWER, MODEM_FAIL_NO_DIALTONE,
		  MODEM_FAIL_NO_CARRIER };

enum modem_state {
	MODEM_ONHOOK,		/*!< idle, command mode */
	MODEM_OFFHOOK,		/*!< ATH1, command mode */
	MODEM_DIALING,		/*!< ATD sent to call control, waiting (S7) */
	MODEM_RINGING,		/*!< incoming call, RING every ring_period */
	MODEM_ANSWERING,	/*!< answered, waiting for the B-channel */
	MODEM_TRAINING,		/*!< B-channel up, carrier training (cfg.train_time) */
	MODEM_ONLINE,		/*!< data mode */
};

/* Callbacks; ctx is the line.  Only to_dte is required. */
struct modem_ops {
	void (*to_dte)(void *ctx, const uint8_t *data, size_t len);
	/* ATD: request an outgoing call; 0 = requested (result comes later through
	 * modem_call_connected/failed), <0 = NO DIALTONE. */
	int  (*dial)(void *ctx, const char *digits);
	/* ATA or auto-answer: accept the ringing call; 0 or <0 (NO CARRIER). */
	int  (*answer)(void *ctx);
	/* Release the current call (ATH0, ATZ, DTR drop, S7 timeout, key abort). */
	void (*hangup)(void *ctx);
	/* Hook state changed (for the CSM's OFFHOOK/ONHOOK events). */
	void (*hook)(void *ctx, bool off_hook);
	/* Data mode entered (after CONNECT) or left: switch the card channel. */
	void (*carrier)(void *ctx, bool up);
	/* DSR reported up/down (deferred, see above): start EXEC/autoselect, reset. */
	void (*dsr)(void *ctx, bool up);
	/* Data mode: bytes from the DTE toward the B-channel. */
	void (*line_tx)(void *ctx, const uint8_t *data, size_t len);
};

struct modem_cfg {
	uint8_t   answer_rings;	/*!< S0 of the stored profile: 0 = no auto-answer;
				 *   a NAS line uses 1 (what a NULL cfg gives) */
	unsigned  speed;	/*!< CONNECT <speed> when call control gives 0 (64000) */
	ev_time_t ring_period;	/*!< RING interval ("fast ringing": 1 s) */
	ev_time_t train_time;	/*!< B-channel connect -> CONNECT (0) */
	ev_time_t dsr_delay;	/*!< CONNECT -> "DSR came up" (0 = next step) */
	bool      busyout;	/*!< modem busyout */
};

/* The settings a profile holds. */
struct modem_profile {
	bool    echo, verbose, quiet;
	uint8_t x_level;
	uint8_t s[MODEM_NSREG];
};

struct modem {
	struct ev_loop *loop;
	const struct modem_ops *ops;
	void *ctx;
	unsigned line;			/*!< tty number for debug lines */
	struct modem_cfg cfg;
	enum modem_state state;
	struct modem_profile cur, stored;
	bool dtr, dsr;
	enum { MODEM_TTY_IDLE, MODEM_TTY_READY, MODEM_TTY_HANGUP } tty_state;
	/* command parser */
	char cmd[MODEM_CMD_MAX + 1];
	unsigned cmd_len;
	bool cmd_overflow, seen_a, collecting;
	char last_cmd[MODEM_CMD_MAX + 1];
	char dialled[MODEM_DIAL_MAX + 1];
	unsigned rings;
	unsigned speed;
	bool in_call;			/*!< a call exists toward call control */
	struct ev_timer ring_timer, call_timer, dsr_timer;
	/* counters for `show modem` */
	unsigned calls_in, calls_out, calls_failed, errors;
};

void modem_init(struct modem *m, struct ev_loop *loop, unsigned line,
		const struct modem_cfg *cfg, const struct modem_ops *ops, void *ctx);
void modem_fini(struct modem *m);	/* stops timers */
void modem_set_busyout(struct modem *m, bool on);

/* DTE side. */
void modem_dte_input(struct modem *m, const uint8_t *data, size_t len);
void modem_set_dtr(struct modem *m, bool on);
/* "TTY4: Async Int reset: Dropping DTR" and DTR off. */
void modem_async_reset(struct modem *m);

/* Call side. */
/* An incoming call: 0 = ringing, -EBUSY = busyout / line in use / DTR down. */
int  modem_incoming_call(struct modem *m);
/* The B-channel of the dialled/answered call is connected. speed 0 = cfg.speed. */
void modem_call_connected(struct modem *m, unsigned speed);
void modem_call_failed(struct modem *m, enum modem_fail why);
/* The far end released the call (or the caller gave up while ringing). */
void modem_remote_hangup(struct modem *m);
/* Data mode: bytes from the B-channel. */
void modem_line_input(struct modem *m, const uint8_t *data, size_t len);

const char *modem_state_name(enum modem_state s);
static inline bool modem_online(const struct modem *m) { return m->state == MODEM_ONLINE; }

#endif /* DIALBACK_MODEM_H */

/*
 * autoselect.h - a line in login state: `autoselect ppp` / `autoselect during-login`
 *
 * When the modem reports DSR, the line starts autoselect.  With during-login the
 * login prompt is shown at once ("User Access Verification", "Username: "), and the
 * octets that arrive at the empty Username prompt are sampled: the start of an async
 * PPP frame (0x7E flag, 0xFF address, 0x7D 0x23 = escaped 0x03 control; also an
 * unescaped 0x03) selects PPP, as in the seed:
 *
 *   TTY4: Autoselect(2) sample 7E
 *   TTY4: Autoselect(2) sample 7EFF
 *   TTY4: Autoselect(2) sample 7EFF7D
 *   TTY4: Autoselect(2) sample 7EFF7D23
 *   TTY4 Autoselect cmd: ppp negotiate
 *
 * (DBG_MODEM; "(2)" is the autoselect mode IOS prints while sampling during login).
 * Anything else is a person typing: the sampled octets and what follows are the
 * username (echoed), then "Password: " (not echoed), checked through ops->check
 * (the AAA user table belongs to AAA).  Three failures or the login timeout (30 s
 * per prompt, IOS's `timeout login response`) end the session through ops->fail.
 * Without during-login nothing is shown until the user presses Return; PPP is still
 * detected.  After a callback the line may set cfg.ppp_on_flag: the client starts
 * PPP right away, so one flag octet selects PPP (the seed prints only "sample 7E"
 * on the callback leg).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_AUTOSELECT_H
#define DIALBACK_AUTOSELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define AUTOSELECT_FIELD_MAX	64
#define AUTOSELECT_SAMPLE_MAX	8

enum autoselect_fail { AUTOSELECT_FAIL_AUTH, AUTOSELECT_FAIL_TIMEOUT };

/* Callbacks; ctx is the line.  to_dte, check, ppp, login and fail are required. */
struct autoselect_ops {
	/* Prompts and echo toward the user (through the modem). */
	void (*to_dte)(void *ctx, const uint8_t *data, size_t len);
	/* 0 = accepted, <0 = rejected, 1 = pending: answer later with
	 * autoselect_check_result(). */
	int  (*check)(void *ctx, const char *user, const char *pass);
	/* PPP selected; `sample` are the octets already taken (the frame's start):
	 * feed them to the PPP deframer before the rest of the input. */
	void (*ppp)(void *ctx, const uint8_t *sample, size_t len);
	/* A terminal user logged in. */
	void (*login)(void *ctx, const char *user);
	/* Login failed for good or timed out: the line hangs up. */
	void (*fail)(void *ctx, enum autoselect_fail why);
};

struct autoselect_cfg {
	bool      during_login;	/*!< autoselect during-login */
	bool      ppp;		/*!< autoselect ppp */
	bool      ppp_on_flag;	/*!< one 0x7E is enough (callback leg) */
	unsigned  max_attempts;	/*!< login attempts (0 = 3) */
	ev_time_t timeout;	/*!< per prompt (0 = 30 s) */
};

enum autoselect_state {
	AUTOSELECT_IDLE,
	AUTOSELECT_WAIT_CR,	/*!< no during-login: waiting for Return */
	AUTOSELECT_USER,	/*!< at "Username: " */
	AUTOSELECT_PASS,	/*!< at "Password: " */
	AUTOSELECT_CHECKING,	/*!< ops->check pending */
	AUTOSELECT_PPP,		/*!< done: PPP selected */
	AUTOSELECT_LOGGED_IN,	/*!< done: terminal user */
	AUTOSELECT_FAILED,	/*!< done: failed */
};

struct autoselect {
	struct ev_loop *loop;
	const struct autoselect_ops *ops;
	void *ctx;
	unsigned line;
	struct autoselect_cfg cfg;
	enum autoselect_state state;
	uint8_t sample[AUTOSELECT_SAMPLE_MAX];
	unsigned sample_len;
	bool sampling;
	char user[AUTOSELECT_FIELD_MAX + 1];
	unsigned user_len;
	char pass[AUTOSELECT_FIELD_MAX + 1];
	unsigned pass_len;
	unsigned attempts;
	struct ev_timer timer;
};

void autoselect_init(struct autoselect *as, struct ev_loop *loop, unsigned line,
		     const struct autoselect_cfg *cfg, const struct autoselect_ops *ops,
		     void *ctx);
/* DSR came up: "TTY4: EXEC creation", prompt (during-login). */
void autoselect_start(struct autoselect *as);
/* Carrier gone / line reset: stop silently. */
void autoselect_stop(struct autoselect *as);
/* Octets from the user/modem.  Returns how many were used; after PPP is selected or
 * a user logged in, the rest belongs to PPP / the EXEC. */
size_t autoselect_input(struct autoselect *as, const uint8_t *data, size_t len);
/* The answer to a pending ops->check (returned 1). */
void autoselect_check_result(struct autoselect *as, bool ok);
static inline bool autoselect_active(const struct autoselect *as)
{
	return as->state >= AUTOSELECT_WAIT_CR && as->state <= AUTOSELECT_CHECKING;
}

#endif /* DIALBACK_AUTOSELECT_H */

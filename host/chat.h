/*
 * chat.h - Cisco IOS chat scripts: compiler, per-registry lookup and a non-blocking
 * per-line engine.
 *
 * Syntax (the text after `chat-script NAME` on the config line, as IOS takes it):
 *
 *     expect send [expect send ...] [expect]
 *
 * Tokens are separated by spaces or tabs; a token that starts with `"` runs to the
 * next unescaped `"` and may contain spaces; `""` is the empty string (expect nothing,
 * or send just the CR).  Keywords, in an expect position:
 *
 *     ABORT string   abort the script when `string` arrives (from here on)
 *     TIMEOUT n      wait at most n seconds (1-3600) for each following expect;
 *                    the default is 5 s, as in IOS
 *
 * and in a send position EOT (send ^D, no CR) and BREAK (send a break, like \K).
 * An expect may carry IOS/chat(8) sub-sequences `expect-send-expect[-send-expect...]`:
 * when `expect` times out, `send` is sent and the next expect is awaited.  `\-` is a
 * literal hyphen.  A sub-send may use the send escapes: "OK-\d+++\d\c-OK".
 *
 * Escapes (send and expect):  \r CR, \n LF, \s space, \t tab, \\ backslash, \" quote,
 *   \- hyphen, ^X control character X & 0x1f, \T the phone number given at start.
 * Escapes valid only in a send (a compile error in an expect, with its column):
 *   \c  no CR at the end of the send; must be the last item of the send string
 *   \d  delay 2 s          \p  pause 0.25 s          \K  break
 *   \N  a NUL byte         \q  toggle quiet: what follows is shown as ?????? in
 *                              `debug chat` (IOS accepts \q and does nothing with it)
 * \c in an expect: IOS keeps any escape it does not translate (\c, \d, \p, ...) and
 * its matcher skips the backslash, so an expect "\c" would wait for a literal 'c'
 * (and an expect "CONNECT\c" for "CONNECTc"); chat(8) documents \c for sends only.
 * We reject send-only and unknown escapes in an expect with a compile error and its
 * column, so a typo is reported rather than waiting for a character that never
 * comes.  Every send string ends with a CR unless it ends in \c (or is EOT/BREAK).
 * `chat-script NAME` names follow IOS: none of ^$_.|?+*()[]{}/,\'`~%" or spaces.
 *
 * Exit status: chat(8)'s documented codes are the numeric status of a run:
 *   0 success, 1 invalid (no such script), 2 error during execution (write failed,
 *   carrier dropped, stopped), 3 timeout, 4 + i the i-th ABORT string (0-based,
 *   in the order the script declares them).
 *
 * Engine: struct chat_run is embedded in the line; one run executes one script at a
 * time.  Output goes through ops->write, modem input comes in through chat_input(),
 * delays and timeouts are ev_timers on the line's loop.  Completion calls ops->done
 * exactly once; the callback may restart the same run (the seed runs `offhook` and
 * then `callback` back to back) or free it.  Re-entrancy: the modem may answer
 * synchronously from inside ops->write; such input is queued and consumed once the
 * engine reaches its next expect.
 *
 * `debug chat` lines (DBG_CHAT) use IOS's texts:
 *   CHAT4: Matched chat script offhook to string offhook
 *   CHAT4: Asserting DTR
 *   CHAT4: Chat script offhook started
 *   CHAT4: Sending string: ATDT \T<527-9651>
 *   CHAT4: Expecting string: OK
 *   CHAT4: Completed match for expect: OK
 *   CHAT4: Timeout expecting: CONNECT
 *   CHAT4: Found abort string BUSY expecting CONNECT
 *   CHAT4: Carrier drop expecting CONNECT
 *   CHAT4: Chat script callback finished, status = Success
 *                       (or "Connection timed out; remote host not responding",
 *                        "Aborted", "Carrier dropped", "Error")
 *   CHAT4: No matching chat script found for foo
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CHAT_H
#define DIALBACK_CHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

/* chat(8) exit codes, used as the numeric status of a run. */
enum {
	CHAT_EXIT_OK         = 0,
	CHAT_EXIT_INVALID    = 1,	/*!< no such script / bad call */
	CHAT_EXIT_ERROR      = 2,	/*!< write failed, carrier dropped, stopped */
	CHAT_EXIT_TIMEOUT    = 3,
	CHAT_EXIT_ABORT_BASE = 4,	/*!< + index of the ABORT string */
};

#define CHAT_DEFAULT_TIMEOUT_S	5	/*!< IOS default per expect */
#define CHAT_MAX_TIMEOUT_S	3600
#define CHAT_STR_MAX		128	/*!< longest decoded string (items) */
#define CHAT_MAX_ABORTS		16
#define CHAT_MAX_ALTS		4	/*!< expect-send-expect: up to 4 expects */
#define CHAT_NAME_MAX		32
#define CHAT_NUMBER_MAX		48	/*!< \T phone number */
#define CHAT_PENDING_MAX	512	/*!< queued modem input */

struct chat_script;			/* opaque, compiled */
struct chat_sref;			/* opaque: a string of a compiled script */

/* Compile `text` (everything after the name).  Returns 0 and *out, or -EINVAL with a
 * message in err and the 0-based column in text where the problem is (-ENOMEM
 * without column).  The name must be a valid IOS script name (no regexp special
 * characters). */
int  chat_script_compile(const char *name, const char *text, struct chat_script **out,
			 char *err, size_t errlen, int *err_col);
void chat_script_free(struct chat_script *s);
const char *chat_script_name(const struct chat_script *s);
/* The source text as configured (for `show running-config`). */
const char *chat_script_text(const struct chat_script *s);
/* Number of ABORT strings and the i-th of them (decoded, for status texts). */
unsigned    chat_script_abort_count(const struct chat_script *s);
const char *chat_script_abort_string(const struct chat_script *s, unsigned i);

/* The configured scripts of one daemon (owned by the config, not global), plus the
 * two IOS creates automatically, which are found only when no configured script
 * matches:  offhook = "" "ATH1" OK
 *           callback = ABORT ERROR ABORT BUSY "" "ATZ" OK "ATDT \T" TIMEOUT 60 CONNECT \c */
struct chat_registry {
	struct chat_script *head;	/*!< configured, in configuration order */
	struct chat_script *builtin[2];	/*!< offhook, callback */
};

int  chat_registry_init(struct chat_registry *reg);	/* 0 or -ENOMEM */
void chat_registry_clear(struct chat_registry *reg);	/* frees everything */
/* Add (takes ownership); a script of the same name is replaced.  Returns 1 if it
 * replaced one, 0 if new. */
int  chat_registry_add(struct chat_registry *reg, struct chat_script *s);
/* `no chat-script NAME`: 0, or -ENOENT. */
int  chat_registry_remove(struct chat_registry *reg, const char *name);
/* IOS lookup for `script callback <regexp>`: the first configured script whose name
 * the (unanchored, POSIX extended) regexp matches, else the first built-in one.
 * NULL when none matches or the regexp does not compile. */
const struct chat_script *chat_registry_match(const struct chat_registry *reg,
					      const char *pattern);
/* Iterate the configured scripts (NULL starts, NULL ends). */
const struct chat_script *chat_registry_next(const struct chat_registry *reg,
					     const struct chat_script *prev);

/* Callbacks of one run; ctx is the line. */
struct chat_ops {
	/* Bytes to the modem; returns 0 or -errno (which ends the run with status 2). */
	int  (*write)(void *ctx, const uint8_t *data, size_t len);
	/* DTR control (required). */
	void (*set_dtr)(void *ctx, bool on);
	/* Send a break (\K, BREAK); may be NULL. */
	void (*send_break)(void *ctx);
	/* The run finished: status as above; abort_str is the matched ABORT string for
	 * statuses >= 4, else NULL.  Called exactly once per started run. */
	void (*done)(void *ctx, int status, const char *abort_str);
};

enum chat_state {
	CHAT_IDLE = 0,
	CHAT_STEP,	/*!< between steps (transient) */
	CHAT_SENDING,	/*!< in a send, waiting out \d or \p */
	CHAT_EXPECT,	/*!< waiting for input or the timeout */
};

/* One line's chat engine.  Zero it or call chat_run_init() once. */
struct chat_run {
	struct ev_loop *loop;
	const struct chat_ops *ops;
	void *ctx;
	unsigned line;				/*!< tty number for "CHAT%u:" */
	const struct chat_script *script;
	char number[CHAT_NUMBER_MAX];		/*!< \T */
	enum chat_state state;
	struct ev_timer timer;
	/* program counter */
	unsigned step;				/*!< index in the script's steps */
	unsigned alt;				/*!< expect alternative (sub-sequence) */
	unsigned send_pos;			/*!< resume point in a send after \d/\p */
	const struct chat_sref *cur_send;	/*!< the send being executed */
	bool send_is_alt;
	unsigned timeout_s;
	uint32_t aborts_active;			/*!< bit i: ABORT i declared so far */
	/* input */
	uint8_t window[CHAT_STR_MAX + CHAT_NUMBER_MAX];	/*!< last bytes seen in an expect */
	unsigned window_len;
	uint8_t pending[CHAT_PENDING_MAX];
	unsigned pending_len;
	bool busy;				/*!< inside the engine (re-entrancy guard) */
	unsigned gen;				/*!< bumped on every start/stop */
	/* statistics */
	unsigned runs, successes, failures;
};

void chat_run_init(struct chat_run *run, struct ev_loop *loop, unsigned line,
		   const struct chat_ops *ops, void *ctx);
/* Start `script` with phone number `number` (may be NULL): asserts DTR ("Asserting
 * DTR"), then "Chat script X started".  Returns 0, or -EBUSY when a run is active,
 * -EINVAL on bad arguments.  ops->done may be called before this returns (a script
 * that only sends finishes at once). */
int  chat_run_start(struct chat_run *run, const struct chat_script *script,
		    const char *number);
/* As IOS does for `script callback callback`: look the script up by name/regexp
 * ("Matched chat script callback to string callback" or "No matching chat script
 * found for X"), then chat_run_start().  Returns -ENOENT when nothing matches (no
 * done callback then). */
int  chat_run_start_match(struct chat_run *run, const struct chat_registry *reg,
			  const char *pattern, const char *number);
/* Bytes from the modem.  Returns how many of them the script consumed: all of them
 * while a run is active (queued if the engine is not expecting), fewer when the run
 * finished on a match inside this buffer (the rest belongs to whoever comes next, e.g.
 * PPP after CONNECT), 0 when idle. */
size_t chat_input(struct chat_run *run, const uint8_t *data, size_t len);
/* Carrier dropped / line reset: ends an active run with status 2. */
void chat_carrier_drop(struct chat_run *run);
/* Stop without calling done (line teardown). */
void chat_run_cancel(struct chat_run *run);
static inline bool chat_run_active(const struct chat_run *run) { return run->state != CHAT_IDLE; }

/* "Success", "Connection timed out; remote host not responding", "Aborted", ... */
const char *chat_status_string(int status);

#endif /* DIALBACK_CHAT_H */

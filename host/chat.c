/*
 * chat.c - Cisco IOS chat scripts: compiler, registry and non-blocking engine
 * (see chat.h for the syntax, the exit codes and the debug texts).
 *
 * A compiled script is a list of steps (ABORT, TIMEOUT, expect[-send-expect...] +
 * send) whose strings are decoded into "items": a byte 0..255, or an escape that acts
 * at run time (\T, \d, \p, \K, \N, \q, \c).  The engine walks the steps; an expect
 * keeps a window of the last bytes received and compares its tail with the active
 * ABORT strings and the expected string after every byte.
 *
 * SPDX-License-Identifier: MIT
 */
#include "chat.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Items above the byte range. */
enum {
	IT_T = 0x100,	/* \T phone number */
	IT_D,		/* \d 2 s delay */
	IT_P,		/* \p 0.25 s pause */
	IT_K,		/* \K break */
	IT_N,		/* \N NUL byte */
	IT_Q,		/* \q quiet toggle */
	IT_C,		/* \c no CR */
	IT_HYPHEN,	/* unescaped '-' (sub-sequence separator in an expect) */
};

#define CHAT_DELAY_D	(2 * EV_SEC)
#define CHAT_DELAY_P	(250 * EV_MSEC)

struct chat_sref {
	uint16_t off, len;	/* items in the script's pool */
};

enum step_kind { ST_ABORT, ST_TIMEOUT, ST_EXPECT };

struct chat_step {
	uint8_t  kind;
	uint8_t  n_exp;				/* ST_EXPECT: expects (>= 1) */
	bool     has_send;
	uint16_t value;				/* TIMEOUT seconds / ABORT index */
	struct chat_sref exp[CHAT_MAX_ALTS];
	struct chat_sref alt_send[CHAT_MAX_ALTS - 1];
	struct chat_sref send;
};

struct chat_script {
	struct chat_script *next;
	char     name[CHAT_NAME_MAX];
	char    *text;
	struct chat_step *steps;
	unsigned n_steps;
	uint16_t *pool;
	unsigned pool_len, pool_cap;
	unsigned n_aborts;
	char    *abort_str[CHAT_MAX_ABORTS];	/* decoded, NUL-terminated */
};

/* --- compiler -------------------------------------------------------------------- */

struct tok {
	unsigned start, end;	/* raw span in text (content only, without quotes) */
	unsigned col;		/* column of the token's first character */
	bool quoted;
};

struct compiler {
	const char *text;
	unsigned pos, len;
	struct chat_script *s;
	char *err;
	size_t errlen;
	int col;
};

static int cerr(struct compiler *c, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int cerr(struct compiler *c, unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	c->col = (int)col;
	return -EINVAL;
}

static bool is_sep(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

/* Next raw token; 1 = got one, 0 = end, <0 = error. */
static int next_token(struct compiler *c, struct tok *t)
{
	const char *p = c->text;

	while (c->pos < c->len && is_sep(p[c->pos]))
		c->pos++;
	if (c->pos >= c->len)
		return 0;
	t->col = c->pos;
	if (p[c->pos] == '"') {
		unsigned i = c->pos + 1;

		t->quoted = true;
		t->start = i;
		while (i < c->len && p[i] != '"') {
			if (p[i] == '\\' && i + 1 < c->len)
				i++;
			i++;
		}
		if (i >= c->len)
			return cerr(c, t->col, "unterminated quoted string");
		t->end = i;
		i++;
		if (i < c->len && !is_sep(p[i]))
			return cerr(c, i, "expected a space after the closing quote");
		c->pos = i;
		return 1;
	}
	t->quoted = false;
	t->start = c->pos;
	while (c->pos < c->len && !is_sep(p[c->pos])) {
		if (p[c->pos] == '\\' && c->pos + 1 < c->len && !is_sep(p[c->pos + 1]))
			c->pos++;
		c->pos++;
	}
	t->end = c->pos;
	return 1;
}

enum dmode { DM_SEND, DM_EXPECT, DM_ABORT };

static int pool_push(struct compiler *c, uint16_t it)
{
	struct chat_script *s = c->s;

	if (s->pool_len == s->pool_cap) {
		unsigned cap = s->pool_cap ? s->pool_cap * 2 : 64;
		uint16_t *np = realloc(s->pool, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		s->pool = np;
		s->pool_cap = cap;
	}
	s->pool[s->pool_len++] = it;
	return 0;
}

/* Decode a token into the pool; the new items start at *off. */
static int decode(struct compiler *c, const struct tok *t, enum dmode mode, uint16_t *off,
		  uint16_t *len)
{
	const char *p = c->text;
	unsigned start = c->s->pool_len;
	bool seen_c = false;
	unsigned c_col = 0;
	unsigned seg = 0;	/* DM_EXPECT: odd segments are expect-send-expect sends */
	int rc;

	for (unsigned i = t->start; i < t->end; i++) {
		unsigned col = i;
		unsigned ch = (unsigned char)p[i];
		bool in_send = mode == DM_SEND || (mode == DM_EXPECT && seg % 2 == 1);
		uint16_t it;

		if (ch == '^') {
			if (i + 1 >= t->end)
				return cerr(c, col, "^ needs a character after it");
			it = (uint16_t)((unsigned char)p[++i] & 0x1f);
		} else if (ch == '\\') {
			if (i + 1 >= t->end)
				return cerr(c, col, "backslash at the end of a string");
			ch = (unsigned char)p[++i];
			switch (ch) {
			case 'r': it = '\r'; break;
			case 'n': it = '\n'; break;
			case 's': it = ' '; break;
			case 't': it = '\t'; break;
			case '\\': it = '\\'; break;
			case '"': it = '"'; break;
			case '-': it = '-'; break;
			case '^': it = '^'; break;
			case 'T':
				if (mode == DM_ABORT)
					return cerr(c, col, "\\T is not allowed in an ABORT string");
				it = IT_T;
				break;
			case 'c': case 'd': case 'p': case 'K': case 'N': case 'q':
				if (!in_send)
					return cerr(c, col, "\\%c is only valid in a send string",
						    (char)ch);
				it = ch == 'c' ? IT_C : ch == 'd' ? IT_D : ch == 'p' ? IT_P :
				     ch == 'K' ? IT_K : ch == 'N' ? IT_N : IT_Q;
				if (it == IT_C) {
					seen_c = true;
					c_col = col;
				}
				break;
			default:
				return cerr(c, col, "unknown escape \\%c", ch >= 0x20 && ch < 0x7f ?
					    (char)ch : '?');
			}
		} else if (ch == '-' && mode == DM_EXPECT) {
			it = IT_HYPHEN;
			seg++;
		} else {
			it = (uint16_t)ch;
		}
		if (it == 0 && mode == DM_ABORT)
			return cerr(c, col, "NUL is not allowed in an ABORT string");
		if (seen_c && it != IT_C) {
			if (it != IT_HYPHEN)
				return cerr(c, c_col, "\\c must be the last item of a send string");
			seen_c = false;		/* it ended a sub-send */
		}
		if (c->s->pool_len - start >= CHAT_STR_MAX)
			return cerr(c, t->col, "string longer than %d characters", CHAT_STR_MAX);
		rc = pool_push(c, it);
		if (rc)
			return rc;
	}
	*off = (uint16_t)start;
	*len = (uint16_t)(c->s->pool_len - start);
	return 0;
}

static bool raw_equal(const struct compiler *c, const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	return !t->quoted && t->end - t->start == n && !memcmp(c->text + t->start, word, n);
}

static struct chat_step *new_step(struct compiler *c, unsigned *cap)
{
	struct chat_script *s = c->s;

	if (s->n_steps == *cap) {
		unsigned ncap = *cap ? *cap * 2 : 8;
		struct chat_step *ns = realloc(s->steps, ncap * sizeof(*ns));

		if (!ns)
			return NULL;
		s->steps = ns;
		*cap = ncap;
	}
	memset(&s->steps[s->n_steps], 0, sizeof(s->steps[0]));
	return &s->steps[s->n_steps++];
}

/* Split an expect token at IT_HYPHEN into expect/send/expect... */
static int split_expect(struct compiler *c, const struct tok *t, struct chat_step *st,
			uint16_t off, uint16_t len)
{
	unsigned part = 0;
	uint16_t seg = off;

	for (uint16_t i = off; i <= off + len; i++) {
		if (i < off + len && c->s->pool[i] != IT_HYPHEN)
			continue;
		struct chat_sref r = { seg, (uint16_t)(i - seg) };

		if (part / 2 >= CHAT_MAX_ALTS || (part % 2 == 1 && part / 2 >= CHAT_MAX_ALTS - 1))
			return cerr(c, t->col, "too many expect-send-expect alternatives (max %d)",
				    CHAT_MAX_ALTS);
		if (part % 2 == 0) {
			st->exp[part / 2] = r;
			st->n_exp = (uint8_t)(part / 2 + 1);
		} else {
			/* decode() allowed send escapes (\\d, \\c ...) in this segment only */
			st->alt_send[part / 2] = r;
		}
		part++;
		seg = (uint16_t)(i + 1);
	}
	if (part % 2 == 0)	/* ended on a send: "OK-ATZ" waits for nothing after */
		st->exp[st->n_exp++] = (struct chat_sref){ seg, 0 };
	return 0;
}

static char *items_to_cstr(const struct chat_script *s, struct chat_sref r)
{
	char *out = malloc((size_t)r.len + 1);

	if (!out)
		return NULL;
	for (unsigned i = 0; i < r.len; i++)
		out[i] = (char)(s->pool[r.off + i] & 0xff);
	out[r.len] = '\0';
	return out;
}

static bool name_ok(const char *name, char *bad)
{
	static const char illegal[] = "^$_.|?+*/{}[](),\\'`~%\" \t";

	for (const char *p = name; *p; p++) {
		if (strchr(illegal, *p) || (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
			*bad = *p;
			return false;
		}
	}
	return true;
}

void chat_script_free(struct chat_script *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n_aborts; i++)
		free(s->abort_str[i]);
	free(s->steps);
	free(s->pool);
	free(s->text);
	free(s);
}

int chat_script_compile(const char *name, const char *text, struct chat_script **out,
			char *err, size_t errlen, int *err_col)
{
	struct compiler c = { .text = text, .err = err, .errlen = errlen, .col = -1 };
	unsigned steps_cap = 0;
	struct tok t, a;
	char bad = 0;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (err_col)
		*err_col = -1;
	if (out)
		*out = NULL;
	if (!name || !text || !out)
		return -EINVAL;
	if (!name[0] || strlen(name) >= CHAT_NAME_MAX) {
		rc = cerr(&c, 0, "chat script name must be 1-%d characters", CHAT_NAME_MAX - 1);
		goto fail_nos;
	}
	if (!name_ok(name, &bad)) {
		rc = cerr(&c, 0, "chat script name has illegal character: %c", bad);
		goto fail_nos;
	}
	c.len = (unsigned)strnlen(text, 4096);
	if (text[c.len] != '\0') {
		rc = cerr(&c, 4096, "script longer than 4096 characters");
		goto fail_nos;
	}
	c.s = calloc(1, sizeof(*c.s));
	if (!c.s)
		return -ENOMEM;
	snprintf(c.s->name, sizeof(c.s->name), "%s", name);
	c.s->text = strdup(text);
	/* the string pool always exists, so pool + off is defined even for a script
	 * made only of "" strings */
	c.s->pool = malloc(64 * sizeof(*c.s->pool));
	c.s->pool_cap = c.s->pool ? 64 : 0;
	if (!c.s->text || !c.s->pool) {
		rc = -ENOMEM;
		goto fail;
	}

	for (;;) {
		struct chat_step *st;
		uint16_t off, len;

		rc = next_token(&c, &t);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			break;
		/* Keywords are compared after decoding, as IOS does (quoted or not). */
		if (raw_equal(&c, &t, "ABORT") || (t.quoted && t.end - t.start == 5 &&
						   !memcmp(text + t.start, "ABORT", 5))) {
			rc = next_token(&c, &a);
			if (rc < 0)
				goto fail;
			if (rc == 0) {
				rc = cerr(&c, t.col, "ABORT needs a string");
				goto fail;
			}
			if (c.s->n_aborts >= CHAT_MAX_ABORTS) {
				rc = cerr(&c, t.col, "too many ABORT strings (max %d)",
					  CHAT_MAX_ABORTS);
				goto fail;
			}
			rc = decode(&c, &a, DM_ABORT, &off, &len);
			if (rc)
				goto fail;
			if (len == 0) {
				rc = cerr(&c, a.col, "empty ABORT string");
				goto fail;
			}
			st = new_step(&c, &steps_cap);
			if (!st) {
				rc = -ENOMEM;
				goto fail;
			}
			st->kind = ST_ABORT;
			st->value = (uint16_t)c.s->n_aborts;
			st->exp[0] = (struct chat_sref){ off, len };
			c.s->abort_str[c.s->n_aborts] = items_to_cstr(c.s, st->exp[0]);
			if (!c.s->abort_str[c.s->n_aborts]) {
				rc = -ENOMEM;
				goto fail;
			}
			c.s->n_aborts++;
			continue;
		}
		if (raw_equal(&c, &t, "TIMEOUT") || (t.quoted && t.end - t.start == 7 &&
						     !memcmp(text + t.start, "TIMEOUT", 7))) {
			unsigned long v = 0;
			unsigned i;

			rc = next_token(&c, &a);
			if (rc < 0)
				goto fail;
			if (rc == 0) {
				rc = cerr(&c, t.col, "TIMEOUT needs a number of seconds");
				goto fail;
			}
			for (i = a.start; i < a.end && text[i] >= '0' && text[i] <= '9' &&
			     v <= CHAT_MAX_TIMEOUT_S; i++)
				v = v * 10 + (unsigned long)(text[i] - '0');
			if (i != a.end || a.end == a.start || v < 1 || v > CHAT_MAX_TIMEOUT_S) {
				rc = cerr(&c, a.col, "TIMEOUT needs a number of seconds 1-%d",
					  CHAT_MAX_TIMEOUT_S);
				goto fail;
			}
			st = new_step(&c, &steps_cap);
			if (!st) {
				rc = -ENOMEM;
				goto fail;
			}
			st->kind = ST_TIMEOUT;
			st->value = (uint16_t)v;
			continue;
		}
		/* An expect, then (optionally) its send. */
		rc = decode(&c, &t, DM_EXPECT, &off, &len);
		if (rc)
			goto fail;
		st = new_step(&c, &steps_cap);
		if (!st) {
			rc = -ENOMEM;
			goto fail;
		}
		st->kind = ST_EXPECT;
		rc = split_expect(&c, &t, st, off, len);
		if (rc)
			goto fail;
		rc = next_token(&c, &a);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			break;
		st = &c.s->steps[c.s->n_steps - 1];	/* pool_push does not move steps */
		st->has_send = true;
		if (raw_equal(&c, &a, "EOT")) {
			off = (uint16_t)c.s->pool_len;
			if ((rc = pool_push(&c, 0x04)) || (rc = pool_push(&c, IT_C)))
				goto fail;
			st->send = (struct chat_sref){ off, 2 };
		} else if (raw_equal(&c, &a, "BREAK")) {
			off = (uint16_t)c.s->pool_len;
			if ((rc = pool_push(&c, IT_K)) || (rc = pool_push(&c, IT_C)))
				goto fail;
			st->send = (struct chat_sref){ off, 2 };
		} else {
			rc = decode(&c, &a, DM_SEND, &off, &len);
			if (rc)
				goto fail;
			st->send = (struct chat_sref){ off, len };
		}
	}
	*out = c.s;
	return 0;

fail:
	chat_script_free(c.s);
fail_nos:
	if (err_col)
		*err_col = rc == -ENOMEM ? -1 : c.col;
	if (rc == -ENOMEM && err && errlen)
		snprintf(err, errlen, "out of memory");
	return rc;
}

const char *chat_script_name(const struct chat_script *s) { return s->name; }
const char *chat_script_text(const struct chat_script *s) { return s->text; }
unsigned chat_script_abort_count(const struct chat_script *s) { return s->n_aborts; }
const char *chat_script_abort_string(const struct chat_script *s, unsigned i)
{
	return i < s->n_aborts ? s->abort_str[i] : NULL;
}

/* --- registry -------------------------------------------------------------------- */

static const char *const builtin_src[2][2] = {
	{ "offhook", "\"\" \"ATH1\" OK" },
	{ "callback", "ABORT ERROR ABORT BUSY \"\" \"ATZ\" OK \"ATDT \\T\" TIMEOUT 60 CONNECT \\c" },
};

int chat_registry_init(struct chat_registry *reg)
{
	memset(reg, 0, sizeof(*reg));
	for (int i = 0; i < 2; i++) {
		int rc = chat_script_compile(builtin_src[i][0], builtin_src[i][1],
					     &reg->builtin[i], NULL, 0, NULL);
		if (rc) {
			chat_registry_clear(reg);
			return rc;
		}
	}
	return 0;
}

void chat_registry_clear(struct chat_registry *reg)
{
	struct chat_script *s = reg->head, *n;

	for (; s; s = n) {
		n = s->next;
		chat_script_free(s);
	}
	reg->head = NULL;
	for (int i = 0; i < 2; i++) {
		chat_script_free(reg->builtin[i]);
		reg->builtin[i] = NULL;
	}
}

int chat_registry_add(struct chat_registry *reg, struct chat_script *s)
{
	struct chat_script **pp;

	for (pp = &reg->head; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->name, s->name)) {
			s->next = (*pp)->next;
			chat_script_free(*pp);
			*pp = s;
			return 1;
		}
	}
	s->next = NULL;
	*pp = s;
	return 0;
}

int chat_registry_remove(struct chat_registry *reg, const char *name)
{
	for (struct chat_script **pp = &reg->head; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->name, name)) {
			struct chat_script *s = *pp;

			*pp = s->next;
			chat_script_free(s);
			return 0;
		}
	}
	return -ENOENT;
}

const struct chat_script *chat_registry_match(const struct chat_registry *reg,
					      const char *pattern)
{
	const struct chat_script *found = NULL;
	regex_t re;

	if (!pattern || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return NULL;
	for (const struct chat_script *s = reg->head; s && !found; s = s->next)
		if (!regexec(&re, s->name, 0, NULL, 0))
			found = s;
	for (int i = 0; i < 2 && !found; i++)
		if (reg->builtin[i] && !regexec(&re, reg->builtin[i]->name, 0, NULL, 0))
			found = reg->builtin[i];
	regfree(&re);
	return found;
}

const struct chat_script *chat_registry_next(const struct chat_registry *reg,
					     const struct chat_script *prev)
{
	return prev ? prev->next : reg->head;
}

/* --- engine ---------------------------------------------------------------------- */

const char *chat_status_string(int status)
{
	switch (status) {
	case CHAT_EXIT_OK:	return "Success";
	case CHAT_EXIT_INVALID:	return "Invalid script";
	case CHAT_EXIT_ERROR:	return "Error";
	case CHAT_EXIT_TIMEOUT:	return "Connection timed out; remote host not responding";
	default:		return status >= CHAT_EXIT_ABORT_BASE ? "Aborted" : "Error";
	}
}

/* Render items as IOS's `debug chat` shows a string: printable characters as they
 * are, others as \ooo, escapes as \x, \T as \T<number>. */
static void render(const struct chat_run *run, struct chat_sref r, char *buf, size_t size)
{
	const uint16_t *it = run->script->pool + r.off;
	size_t n = 0;
	bool quiet = false, quiet_shown = false;

#define PUT(...) do { \
		int w_ = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__); \
		if (w_ > 0) n += (size_t)w_; \
	} while (0)
	if (size)
		buf[0] = '\0';
	for (unsigned i = 0; i < r.len; i++) {
		uint16_t x = it[i];

		if (x == IT_Q) {
			quiet = !quiet;
			quiet_shown = false;
			continue;
		}
		if (quiet) {
			if (!quiet_shown)
				PUT("??????");
			quiet_shown = true;
			continue;
		}
		switch (x) {
		case IT_T: PUT("\\T<%s>", run->number); break;
		case IT_D: PUT("\\d"); break;
		case IT_P: PUT("\\p"); break;
		case IT_K: PUT("\\K"); break;
		case IT_N: PUT("\\N"); break;
		case IT_C: PUT("\\c"); break;
		case IT_HYPHEN: PUT("-"); break;
		default:
			if (x >= 0x20 && x < 0x7f)
				PUT("%c", (char)x);
			else
				PUT("\\%03o", (unsigned)x);
		}
	}
#undef PUT
	if (n >= size && size)
		buf[size - 1] = '\0';
}

static const struct chat_step *cur_step(const struct chat_run *run)
{
	return &run->script->steps[run->step];
}

static void finish(struct chat_run *run, int status, const char *abort_str)
{
	const struct chat_ops *ops = run->ops;
	void *ctx = run->ctx;

	ev_timer_stop(run->loop, &run->timer);
	dbg(DBG_CHAT, "CHAT%u: Chat script %s finished, status = %s", run->line,
	    run->script->name, chat_status_string(status));
	if (status == CHAT_EXIT_OK)
		run->successes++;
	else
		run->failures++;
	run->state = CHAT_IDLE;
	run->busy = false;
	run->gen++;
	run->pending_len = 0;
	run->cur_send = NULL;
	ops->done(ctx, status, abort_str);
}

static void start_expect(struct chat_run *run);

/* Where the program goes after a send completes. */
static void after_send(struct chat_run *run)
{
	if (run->send_is_alt) {
		run->alt++;
		run->cur_send = NULL;
		start_expect(run);
	} else {
		run->step++;
		run->alt = 0;
		run->cur_send = NULL;
		run->state = CHAT_STEP;
	}
}

/* Execute (or resume) the current send.  Returns false if the run finished or was
 * restarted from a callback. */
static bool do_send(struct chat_run *run)
{
	const struct chat_sref *r = run->cur_send;
	const uint16_t *it = run->script->pool + r->off;
	uint8_t out[CHAT_STR_MAX + CHAT_NUMBER_MAX + 2];
	size_t n = 0;
	bool cr = true;
	unsigned gen = run->gen;

#define FLUSH() do { \
		if (n) { \
			int rc_ = run->ops->write(run->ctx, out, n); \
			n = 0; \
			if (run->gen != gen) \
				return false; \
			if (rc_ < 0) { \
				finish(run, CHAT_EXIT_ERROR, NULL); \
				return false; \
			} \
		} \
	} while (0)

	if (run->send_pos == 0) {
		char disp[512];

		render(run, *r, disp, sizeof(disp));
		dbg(DBG_CHAT, "CHAT%u: Sending string: %s", run->line, disp);
	}
	while (run->send_pos < r->len) {
		uint16_t x = it[run->send_pos++];

		if (n + CHAT_NUMBER_MAX + 2 > sizeof(out))
			FLUSH();	/* several \T in one string */

		switch (x) {
		case IT_T: {
			size_t l = strlen(run->number);

			memcpy(out + n, run->number, l);
			n += l;
			break;
		}
		case IT_D:
		case IT_P:
			FLUSH();
			run->state = CHAT_SENDING;
			ev_timer_start(run->loop, &run->timer, x == IT_D ? CHAT_DELAY_D : CHAT_DELAY_P);
			return true;
		case IT_K:
			FLUSH();
			if (run->ops->send_break) {
				run->ops->send_break(run->ctx);
				if (run->gen != gen)
					return false;
			}
			break;
		case IT_N: out[n++] = 0; break;
		case IT_Q: break;
		case IT_C: cr = false; break;
		case IT_HYPHEN: out[n++] = '-'; break;
		default: out[n++] = (uint8_t)x; break;
		}
	}
	/* \c is always last, so `cr` is final here; a resumed send after a delay has
	 * already seen any \c only if it came before the delay, which the compiler
	 * forbids. */
	if (cr)
		out[n++] = '\r';
	FLUSH();
#undef FLUSH
	run->send_pos = 0;
	after_send(run);
	return true;
}

static void begin_send(struct chat_run *run, const struct chat_sref *r, bool is_alt)
{
	run->cur_send = r;
	run->send_is_alt = is_alt;
	run->send_pos = 0;
	run->state = CHAT_SENDING;	/* do_send runs from the engine loop */
}

/* Build the expected byte pattern of the current alternative into window-compatible
 * form; returns its length (0 = expect nothing). */
static unsigned expect_pattern(const struct chat_run *run, uint8_t *pat, size_t cap)
{
	const struct chat_sref *r = &cur_step(run)->exp[run->alt];
	/* an empty expect ("") may have no pool at all */
	const uint16_t *it = run->script->pool + r->off;
	unsigned n = 0;

	for (unsigned i = 0; i < r->len; i++) {
		if (it[i] == IT_T) {
			for (const char *p = run->number; *p && n < cap; p++)
				pat[n++] = (uint8_t)*p;
		} else if (n < cap) {
			pat[n++] = (uint8_t)(it[i] & 0xff);
		}
	}
	return n;
}

static void start_expect(struct chat_run *run)
{
	const struct chat_step *st = cur_step(run);
	uint8_t pat[sizeof(run->window)];
	char disp[512];

	if (expect_pattern(run, pat, sizeof(pat)) == 0) {
		/* "" expects nothing: go straight to the send. */
		if (st->has_send)
			begin_send(run, &st->send, false);
		else {
			run->step++;
			run->alt = 0;
			run->state = CHAT_STEP;
		}
		return;
	}
	render(run, st->exp[run->alt], disp, sizeof(disp));
	dbg(DBG_CHAT, "CHAT%u: Expecting string: %s", run->line, disp);
	run->window_len = 0;
	run->state = CHAT_EXPECT;
	ev_timer_start(run->loop, &run->timer, (ev_time_t)run->timeout_s * EV_SEC);
}

/* One program step from CHAT_STEP. */
static void step_once(struct chat_run *run)
{
	const struct chat_step *st;

	if (run->step >= run->script->n_steps) {
		finish(run, CHAT_EXIT_OK, NULL);
		return;
	}
	st = cur_step(run);
	switch (st->kind) {
	case ST_ABORT:
		run->aborts_active |= 1u << st->value;
		run->step++;
		break;
	case ST_TIMEOUT:
		run->timeout_s = st->value;
		run->step++;
		break;
	default:
		run->alt = 0;
		start_expect(run);
		break;
	}
}

static bool tail_is(const struct chat_run *run, const uint8_t *pat, unsigned len)
{
	return len && run->window_len >= len &&
	       !memcmp(run->window + run->window_len - len, pat, len);
}

/* Feed one byte to an expect.  May finish the run. */
static void feed(struct chat_run *run, uint8_t b)
{
	const struct chat_step *st = cur_step(run);
	uint8_t pat[sizeof(run->window)];
	unsigned plen;

	if (run->window_len == sizeof(run->window)) {
		memmove(run->window, run->window + 1, sizeof(run->window) - 1);
		run->window_len--;
	}
	run->window[run->window_len++] = b;

	for (unsigned i = 0; i < run->script->n_aborts; i++) {
		const char *a = run->script->abort_str[i];

		if (!(run->aborts_active & (1u << i)))
			continue;
		if (tail_is(run, (const uint8_t *)a, (unsigned)strlen(a))) {
			char disp[512];

			render(run, st->exp[run->alt], disp, sizeof(disp));
			dbg(DBG_CHAT, "CHAT%u: Found abort string %s expecting %s", run->line, a,
			    disp);
			finish(run, CHAT_EXIT_ABORT_BASE + (int)i, a);
			return;
		}
	}
	plen = expect_pattern(run, pat, sizeof(pat));
	if (tail_is(run, pat, plen)) {
		char disp[512];

		render(run, st->exp[run->alt], disp, sizeof(disp));
		dbg(DBG_CHAT, "CHAT%u: Completed match for expect: %s", run->line, disp);
		ev_timer_stop(run->loop, &run->timer);
		run->window_len = 0;
		if (st->has_send) {
			begin_send(run, &st->send, false);
		} else {
			run->step++;
			run->alt = 0;
			run->state = CHAT_STEP;
		}
	}
}

/* Run the program until it has to wait.  Must be entered with busy == false.
 * Returns the number of queued input bytes consumed. */
static unsigned engine(struct chat_run *run)
{
	unsigned gen = run->gen;
	unsigned consumed = 0, off = 0;

	run->busy = true;
	for (;;) {
		if (run->state == CHAT_STEP) {
			step_once(run);
		} else if (run->state == CHAT_SENDING && run->cur_send &&
			   !ev_timer_active(&run->timer)) {
			if (!do_send(run))
				return consumed;
		} else if (run->state == CHAT_EXPECT && off < run->pending_len) {
			consumed++;
			feed(run, run->pending[off++]);
		} else {
			break;
		}
		if (run->gen != gen)
			return consumed;
	}
	/* Drop what was consumed, keep the rest for the next expect. */
	if (off) {
		memmove(run->pending, run->pending + off, run->pending_len - off);
		run->pending_len -= off;
	}
	run->busy = false;
	return consumed;
}

static void timer_cb(struct ev_timer *t, void *arg)
{
	struct chat_run *run = arg;

	(void)t;
	if (run->busy)
		return;	/* cannot happen: timers fire only from the loop */
	if (run->state == CHAT_EXPECT) {
		const struct chat_step *st = cur_step(run);
		char disp[512];

		render(run, st->exp[run->alt], disp, sizeof(disp));
		dbg(DBG_CHAT, "CHAT%u: Timeout expecting: %s", run->line, disp);
		if (run->alt + 1u < st->n_exp) {
			begin_send(run, &st->alt_send[run->alt], true);
		} else {
			finish(run, CHAT_EXIT_TIMEOUT, NULL);
			return;
		}
	} else if (run->state != CHAT_SENDING) {
		return;
	}
	engine(run);
}

void chat_run_init(struct chat_run *run, struct ev_loop *loop, unsigned line,
		   const struct chat_ops *ops, void *ctx)
{
	memset(run, 0, sizeof(*run));
	run->loop = loop;
	run->line = line;
	run->ops = ops;
	run->ctx = ctx;
	ev_timer_init(&run->timer, timer_cb, run);
}

int chat_run_start(struct chat_run *run, const struct chat_script *script,
		   const char *number)
{
	if (!run || !script || !run->ops || !run->ops->write || !run->ops->set_dtr ||
	    !run->ops->done)
		return -EINVAL;
	if (run->state != CHAT_IDLE || run->busy)
		return -EBUSY;
	run->script = script;
	snprintf(run->number, sizeof(run->number), "%s", number ? number : "");
	run->step = 0;
	run->alt = 0;
	run->send_pos = 0;
	run->cur_send = NULL;
	run->timeout_s = CHAT_DEFAULT_TIMEOUT_S;
	run->aborts_active = 0;
	run->window_len = 0;
	run->pending_len = 0;
	run->gen++;
	run->runs++;
	run->state = CHAT_STEP;
	dbg(DBG_CHAT, "CHAT%u: Asserting DTR", run->line);
	{
		unsigned gen = run->gen;

		run->busy = true;
		run->ops->set_dtr(run->ctx, true);
		run->busy = false;
		if (run->gen != gen)
			return 0;	/* cancelled from the DTR callback */
	}
	dbg(DBG_CHAT, "CHAT%u: Chat script %s started", run->line, script->name);
	engine(run);
	return 0;
}

int chat_run_start_match(struct chat_run *run, const struct chat_registry *reg,
			 const char *pattern, const char *number)
{
	const struct chat_script *s;

	if (!run || !reg || !pattern)
		return -EINVAL;
	s = chat_registry_match(reg, pattern);
	if (!s) {
		dbg(DBG_CHAT, "CHAT%u: No matching chat script found for %s", run->line, pattern);
		return -ENOENT;
	}
	dbg(DBG_CHAT, "CHAT%u: Matched chat script %s to string %s", run->line, s->name,
	    pattern);
	return chat_run_start(run, s, number);
}

size_t chat_input(struct chat_run *run, const uint8_t *data, size_t len)
{
	unsigned before, room, take, consumed;
	unsigned gen;

	if (!run || run->state == CHAT_IDLE || !data || !len)
		return 0;
	before = run->pending_len;
	room = CHAT_PENDING_MAX - run->pending_len;
	take = len < room ? (unsigned)len : room;	/* the excess is dropped */
	memcpy(run->pending + run->pending_len, data, take);
	run->pending_len += take;
	if (run->busy)
		return len;
	gen = run->gen;
	consumed = engine(run);
	if (run->gen == gen)
		return len;
	/* Finished inside this buffer: report how much of *this* buffer was used. */
	return consumed > before ? consumed - before : 0;
}

void chat_carrier_drop(struct chat_run *run)
{
	if (!run || run->state == CHAT_IDLE)
		return;
	if (run->state == CHAT_EXPECT) {
		char disp[512];

		render(run, cur_step(run)->exp[run->alt], disp, sizeof(disp));
		dbg(DBG_CHAT, "CHAT%u: Carrier drop expecting %s", run->line, disp);
	}
	finish(run, CHAT_EXIT_ERROR, NULL);
}

void chat_run_cancel(struct chat_run *run)
{
	if (!run)
		return;
	if (run->loop)
		ev_timer_stop(run->loop, &run->timer);
	run->state = CHAT_IDLE;
	run->busy = false;
	run->gen++;
	run->pending_len = 0;
	run->cur_send = NULL;
}

/*
 * config.c - IOS-syntax running-config parser (see config.h for the rules)
 *
 * A line is split into tokens (a double-quoted string is one token; each token
 * remembers its column for error messages), then dispatched by mode: the current
 * sub-mode's table first, then the global one.  Known commands check every argument;
 * a bad one is an error at its column.  Unknown commands are warnings.
 *
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chat.h"

#define MAX_TOKENS 48
#define LINE_MAX_LEN 1024

struct tok {
	const char *s;		/*!< NUL-terminated copy (in the line buffer) */
	unsigned col;		/*!< 1-based column in the source line */
	bool quoted;
};

enum mode { M_GLOBAL, M_INTERFACE, M_CONTROLLER, M_LINE, M_ROUTER };

struct parser {
	struct nas_config *cfg;
	const char *file;
	FILE *diag;
	unsigned lineno;
	enum mode mode;
	int cur;		/*!< index of the current interface/controller/line block */
	const char *raw;	/*!< the current source line (for chat-script text) */
	bool eigrp_noted;
};

enum res { R_OK, R_NOT_MINE, R_ERROR };

/* --- diagnostics ----------------------------------------------------------------- */

static enum res err_at(struct parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum res err_at(struct parser *p, unsigned col, const char *fmt, ...)
{
	va_list ap;

	p->cfg->errors++;
	if (p->diag) {
		fprintf(p->diag, "%s:%u:%u: error: ", p->file, p->lineno, col);
		va_start(ap, fmt);
		vfprintf(p->diag, fmt, ap);
		va_end(ap);
		fputc('\n', p->diag);
	}
	return R_ERROR;
}

static void warn(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	p->cfg->warnings++;
	if (p->diag) {
		fprintf(p->diag, "%s:%u: warning: ", p->file, p->lineno);
		va_start(ap, fmt);
		vfprintf(p->diag, fmt, ap);
		va_end(ap);
		fputc('\n', p->diag);
	}
}

/* Column just past the last token (for "missing argument"). */
static unsigned end_col(const struct tok *t, int n)
{
	return n > 0 ? t[n - 1].col + (unsigned)strlen(t[n - 1].s) + (t[n - 1].quoted ? 2 : 0) + 1
		     : 1;
}

static enum res missing(struct parser *p, const struct tok *t, int n, const char *what)
{
	return err_at(p, end_col(t, n), "missing %s", what);
}

/* --- helpers ----------------------------------------------------------------------- */

static void *grow(void **arr, unsigned *n, size_t el)
{
	void *na;

	if (*n >= 4096)
		return NULL;
	na = realloc(*arr, (*n + 1) * el);
	if (!na)
		return NULL;
	*arr = na;
	memset((char *)na + *n * el, 0, el);
	return (char *)na + (*n)++ * el;
}

static bool eq(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

static bool parse_uint(const char *s, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool parse_ip(const char *s, uint32_t *out)
{
	unsigned b[4];
	int n = 0;
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (*p >= '0' && *p <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*p - '0');
			p++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return false;
		b[n++] = v;
		if (i < 3) {
			if (*p != '.')
				return false;
			p++;
		}
	}
	if (*p)
		return false;
	*out = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return true;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static enum res want_ip(struct parser *p, const struct tok *t, int n, int i, uint32_t *out,
			const char *what)
{
	if (i >= n)
		return missing(p, t, n, what);
	if (!parse_ip(t[i].s, out))
		return err_at(p, t[i].col, "invalid %s '%s'", what, t[i].s);
	return R_OK;
}

static enum res want_uint(struct parser *p, const struct tok *t, int n, int i,
			  unsigned long max, unsigned *out, const char *what)
{
	if (i >= n)
		return missing(p, t, n, what);
	if (!parse_uint(t[i].s, max, out))
		return err_at(p, t[i].col, "invalid %s '%s'", what, t[i].s);
	return R_OK;
}

static enum res want_name(struct parser *p, const struct tok *t, int n, int i, char *dst,
			  size_t size, const char *what)
{
	if (i >= n)
		return missing(p, t, n, what);
	if (strlen(t[i].s) >= size)
		return err_at(p, t[i].col, "%s too long", what);
	copy(dst, size, t[i].s);
	return R_OK;
}

static enum res too_many(struct parser *p, const struct tok *t, int n, int used)
{
	if (n > used)
		return err_at(p, t[used].col, "unexpected '%s'", t[used].s);
	return R_OK;
}

/* --- Cisco type 7 ------------------------------------------------------------------ */

/* The published type-7 key (a 53-character XOR string indexed from the salt). */
static const char type7_key[] = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";
#define TYPE7_KEYLEN (sizeof(type7_key) - 1)

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int config_type7_decode(const char *enc, char *out, size_t outsize)
{
	size_t len = strlen(enc), n;
	unsigned salt;

	if (len < 2 || (len % 2) != 0 || enc[0] < '0' || enc[0] > '9' || enc[1] < '0' ||
	    enc[1] > '9')
		return -1;
	salt = (unsigned)(enc[0] - '0') * 10 + (unsigned)(enc[1] - '0');
	if (salt >= TYPE7_KEYLEN)
		return -1;
	n = (len - 2) / 2;
	if (n + 1 > outsize)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(enc[2 + 2 * i]), lo = hexval(enc[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (char)((hi << 4 | lo) ^ type7_key[(salt + i) % TYPE7_KEYLEN]);
		if (out[i] == 0)
			return -1;
	}
	out[n] = 0;
	return (int)n;
}

int config_type7_encode(const char *plain, unsigned salt, char *out, size_t outsize)
{
	size_t n = strlen(plain);

	if (salt > 15 || outsize < 2 * n + 3)
		return -1;
	snprintf(out, outsize, "%02u", salt);
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 + 2 * i, 3, "%02X",
			 (unsigned)((uint8_t)plain[i] ^ (uint8_t)type7_key[(salt + i) % TYPE7_KEYLEN]));
	return 0;
}

/* password [0|7] TEXT starting at token i. */
static enum res parse_password(struct parser *p, const struct tok *t, int n, int i, char *dst,
			       size_t size, bool *encrypted, uint8_t *salt)
{
	*encrypted = false;
	if (i >= n)
		return missing(p, t, n, "password");
	if (i + 1 < n && (strcmp(t[i].s, "7") == 0 || strcmp(t[i].s, "0") == 0)) {
		if (t[i].s[0] == '7') {
			*encrypted = true;
			if (config_type7_decode(t[i + 1].s, dst, size) < 0)
				return err_at(p, t[i + 1].col, "invalid type 7 password");
			/* decoded: the first two characters are the salt's digits */
			*salt = (uint8_t)((t[i + 1].s[0] - '0') * 10 + (t[i + 1].s[1] - '0'));
		} else {
			if (strlen(t[i + 1].s) >= size)
				return err_at(p, t[i + 1].col, "password too long");
			copy(dst, size, t[i + 1].s);
		}
		return too_many(p, t, n, i + 2);
	}
	if (strlen(t[i].s) >= size)
		return err_at(p, t[i].col, "password too long");
	copy(dst, size, t[i].s);
	return too_many(p, t, n, i + 1);
}

/* --- global commands ----------------------------------------------------------------- */

static bool method_of(const char *s, enum aaa_method *m)
{
	static const struct { const char *n; enum aaa_method m; } tab[] = {
		{ "none", AAA_M_NONE }, { "local", AAA_M_LOCAL }, { "line", AAA_M_LINE },
		{ "enable", AAA_M_ENABLE }, { "if-needed", AAA_M_IF_NEEDED },
		{ "tacacs+", AAA_M_TACACS }, { "radius", AAA_M_RADIUS },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (eq(s, tab[i].n)) {
			*m = tab[i].m;
			return true;
		}
	return false;
}

static enum res cmd_aaa(struct parser *p, const struct tok *t, int n)
{
	struct cfg_aaa *a = &p->cfg->aaa;

	if (n < 2)
		return missing(p, t, n, "aaa keyword");
	if (eq(t[1].s, "new-model")) {
		a->new_model = true;
		return too_many(p, t, n, 2);
	}
	if (eq(t[1].s, "authentication")) {
		struct cfg_aaa_list *l;
		int i;

		if (n < 3)
			return missing(p, t, n, "'login' or 'ppp'");
		if (!eq(t[2].s, "login") && !eq(t[2].s, "ppp"))
			return err_at(p, t[2].col, "expected 'login' or 'ppp', got '%s'", t[2].s);
		if (n < 4)
			return missing(p, t, n, "list name");
		if (n < 5)
			return missing(p, t, n, "method");
		l = grow((void **)&a->lists, &a->nlists, sizeof(*l));
		if (!l)
			return err_at(p, t[0].col, "out of memory");
		l->ppp = eq(t[2].s, "ppp");
		if (strlen(t[3].s) >= sizeof(l->name))
			return err_at(p, t[3].col, "list name too long");
		copy(l->name, sizeof(l->name), t[3].s);
		for (i = 4; i < n; i++) {
			if (l->nmethods >= CFG_AAA_METHODS_MAX)
				return err_at(p, t[i].col, "too many methods");
			if (!method_of(t[i].s, &l->methods[l->nmethods]))
				return err_at(p, t[i].col, "unknown method '%s'", t[i].s);
			l->nmethods++;
		}
		return R_OK;
	}
	if (eq(t[1].s, "authorization")) {
		int i = 3;
		enum aaa_method m;

		if (n < 3)
			return missing(p, t, n, "authorization type");
		if (n < 4)
			return missing(p, t, n, "method");
		if (!method_of(t[3].s, &m))
			i = 4;	/* a list name comes first */
		if (i >= n)
			return missing(p, t, n, "method");
		for (; i < n; i++) {
			if (!method_of(t[i].s, &m))
				return err_at(p, t[i].col, "unknown method '%s'", t[i].s);
			if (eq(t[2].s, "network") && a->author_nmethods < CFG_AAA_METHODS_MAX)
				a->author_methods[a->author_nmethods++] = m;
		}
		if (eq(t[2].s, "network"))
			a->author_network = true;
		return R_OK;
	}
	warn(p, "unsupported aaa command '%s' (ignored)", t[1].s);
	return R_OK;
}

static enum res cmd_username(struct parser *p, const struct tok *t, int n)
{
	struct cfg_user u;
	struct cfg_user *dst;
	int i;

	memset(&u, 0, sizeof(u));
	u.line = p->lineno;
	if (want_name(p, t, n, 1, u.name, sizeof(u.name), "user name") != R_OK)
		return R_ERROR;
	for (i = 2; i < n; i++) {
		if (eq(t[i].s, "callback-dialstring")) {
			if (i + 1 >= n)
				return missing(p, t, n, "dial string");
			if (strlen(t[i + 1].s) >= sizeof(u.callback_dialstring))
				return err_at(p, t[i + 1].col, "dial string too long");
			u.has_callback = true;
			copy(u.callback_dialstring, sizeof(u.callback_dialstring), t[i + 1].s);
			i++;
		} else if (eq(t[i].s, "callback-rotary") || eq(t[i].s, "callback-line") ||
			   eq(t[i].s, "privilege")) {
			i++;
		} else if (eq(t[i].s, "nocallback-verify") || eq(t[i].s, "nopassword")) {
			/* accepted */
		} else if (eq(t[i].s, "password")) {
			if (parse_password(p, t, n, i + 1, u.password, sizeof(u.password),
					   &u.password_encrypted, &u.password_salt) != R_OK)
				return R_ERROR;
			break;
		} else if (eq(t[i].s, "secret")) {
			if (i + 1 >= n)
				return missing(p, t, n, "secret");
			/* a hashed secret cannot answer CHAP; keep it for PAP-less users */
			copy(u.password, sizeof(u.password), t[n - 1].s);
			u.secret = true;
			warn(p, "username %s: 'secret' cannot be used for CHAP", u.name);
			break;
		} else {
			return err_at(p, t[i].col, "unexpected '%s'", t[i].s);
		}
	}
	for (unsigned k = 0; k < p->cfg->nusers; k++) {
		if (strcmp(p->cfg->users[k].name, u.name) == 0) {
			p->cfg->users[k] = u;	/* a later definition replaces */
			return R_OK;
		}
	}
	dst = grow((void **)&p->cfg->users, &p->cfg->nusers, sizeof(*dst));
	if (!dst)
		return err_at(p, t[0].col, "out of memory");
	*dst = u;
	return R_OK;
}

static enum res cmd_chat(struct parser *p, const struct tok *t, int n)
{
	struct cfg_chat_script *c;
	const char *text;

	if (n < 2)
		return missing(p, t, n, "script name");
	if (n < 3)
		return missing(p, t, n, "script text");
	c = grow((void **)&p->cfg->chat, &p->cfg->nchat, sizeof(*c));
	if (!c)
		return err_at(p, t[0].col, "out of memory");
	copy(c->name, sizeof(c->name), t[1].s);
	c->line = p->lineno;
	text = p->raw + t[2].col - 1;	/* raw: quotes and escapes kept for chat.c */
	c->text = strdup(text);
	if (!c->text)
		return err_at(p, t[0].col, "out of memory");
	{
		/* a script that does not compile is an error here, with its column, as
		 * IOS refuses it when it is typed */
		struct chat_script *cs = NULL;
		char err[128];
		int col = 0;

		if (chat_script_compile(c->name, c->text, &cs, err, sizeof(err), &col) == -EINVAL)
			return err_at(p, t[2].col + (unsigned)(col > 0 ? col : 0),
				      "chat-script %s: %s", c->name, err);
		chat_script_free(cs);
	}
	return R_OK;
}

static bool canon_ifname(const struct tok *t, int n, int i, char *out, size_t size,
			 enum cfg_if_kind *kind, unsigned *unit)
{
	static const struct { const char *pfx; const char *canon; enum cfg_if_kind k; } tab[] = {
		{ "group-async", "Group-Async", CFG_IF_GROUP_ASYNC },
		{ "async", "Async", CFG_IF_ASYNC },
		{ "ethernet", "Ethernet", CFG_IF_ETHERNET },
		{ "serial", "Serial", CFG_IF_SERIAL },
		{ "loopback", "Loopback", CFG_IF_OTHER },
		{ "dialer", "Dialer", CFG_IF_OTHER },
		{ "virtual-template", "Virtual-Template", CFG_IF_OTHER },
	};
	char joined[CFG_NAME_MAX];
	const char *num;

	if (i >= n)
		return false;
	snprintf(joined, sizeof(joined), "%s%s", t[i].s, i + 1 < n ? t[i + 1].s : "");
	for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++) {
		size_t pl = strlen(tab[k].pfx);
		if (strncasecmp(joined, tab[k].pfx, pl) != 0)
			continue;
		num = joined + pl;
		if (!*num || !(num[0] >= '0' && num[0] <= '9'))
			return false;
		for (const char *c = num; *c; c++)
			if (!((*c >= '0' && *c <= '9') || *c == ':' || *c == '/' || *c == '.'))
				return false;
		snprintf(out, size, "%s%s", tab[k].canon, num);
		*kind = tab[k].k;
		*unit = (unsigned)strtoul(num, NULL, 10);
		return true;
	}
	return false;
}

static int find_if_idx(const struct nas_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->nifs; i++)
		if (strcasecmp(cfg->ifs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void if_defaults(struct cfg_interface *ifc)
{
	ifc->dialer_group = -1;
	ifc->cdp = true;
	ifc->max_bad_auth = 0;
	ifc->group_parent = -1;
}

static enum res cmd_interface(struct parser *p, const struct tok *t, int n)
{
	char name[CFG_NAME_MAX];
	enum cfg_if_kind kind;
	unsigned unit;
	int idx;

	if (n < 2)
		return missing(p, t, n, "interface name");
	if (!canon_ifname(t, n, 1, name, sizeof(name), &kind, &unit))
		return err_at(p, t[1].col, "invalid interface name '%s'", t[1].s);
	idx = find_if_idx(p->cfg, name);
	if (idx < 0) {
		struct cfg_interface *ifc = grow((void **)&p->cfg->ifs, &p->cfg->nifs, sizeof(*ifc));
		if (!ifc)
			return err_at(p, t[0].col, "out of memory");
		if_defaults(ifc);
		copy(ifc->name, sizeof(ifc->name), name);
		ifc->kind = kind;
		ifc->unit = unit;
		ifc->line = p->lineno;
		idx = (int)p->cfg->nifs - 1;
	}
	p->mode = M_INTERFACE;
	p->cur = idx;
	return R_OK;
}

static enum res cmd_controller(struct parser *p, const struct tok *t, int n)
{
	struct cfg_controller_t1 *c;
	unsigned unit;

	if (n < 2)
		return missing(p, t, n, "controller type");
	if (!eq(t[1].s, "T1"))
		return err_at(p, t[1].col, "unsupported controller type '%s'", t[1].s);
	if (want_uint(p, t, n, 2, 63, &unit, "controller number") != R_OK)
		return R_ERROR;
	for (unsigned i = 0; i < p->cfg->nt1; i++)
		if (p->cfg->t1[i].unit == unit) {
			p->mode = M_CONTROLLER;
			p->cur = (int)i;
			return R_OK;
		}
	c = grow((void **)&p->cfg->t1, &p->cfg->nt1, sizeof(*c));
	if (!c)
		return err_at(p, t[0].col, "out of memory");
	c->unit = unit;
	p->mode = M_CONTROLLER;
	p->cur = (int)p->cfg->nt1 - 1;
	return R_OK;
}

static enum res cmd_line(struct parser *p, const struct tok *t, int n)
{
	struct cfg_line *l;
	enum cfg_line_kind kind = CFG_LINE_TTY;
	unsigned first, last;
	int i = 1;

	if (n < 2)
		return missing(p, t, n, "line number");
	if (eq(t[1].s, "con") || eq(t[1].s, "console")) { kind = CFG_LINE_CON; i = 2; }
	else if (eq(t[1].s, "aux")) { kind = CFG_LINE_AUX; i = 2; }
	else if (eq(t[1].s, "vty")) { kind = CFG_LINE_VTY; i = 2; }
	else if (eq(t[1].s, "tty")) { i = 2; }
	if (want_uint(p, t, n, i, 2047, &first, "line number") != R_OK)
		return R_ERROR;
	last = first;
	if (i + 1 < n && want_uint(p, t, n, i + 1, 2047, &last, "last line number") != R_OK)
		return R_ERROR;
	if (last < first)
		return err_at(p, t[i + 1].col, "last line %u before first %u", last, first);
	if (too_many(p, t, n, i + 2) != R_OK)
		return R_ERROR;
	l = grow((void **)&p->cfg->lines, &p->cfg->nlines, sizeof(*l));
	if (!l)
		return err_at(p, t[0].col, "out of memory");
	l->kind = kind;
	l->first = first;
	l->last = last;
	l->line = p->lineno;
	p->mode = M_LINE;
	p->cur = (int)p->cfg->nlines - 1;
	return R_OK;
}

static enum res cmd_ip(struct parser *p, const struct tok *t, int n, bool no)
{
	struct nas_config *c = p->cfg;

	if (n < 2)
		return missing(p, t, n, "ip keyword");
	if (eq(t[1].s, "domain-name") || (eq(t[1].s, "domain") && n > 2 && eq(t[2].s, "name"))) {
		int i = eq(t[1].s, "domain") ? 3 : 2;
		if (no) { c->domain_name[0] = 0; return R_OK; }
		if (want_name(p, t, n, i, c->domain_name, sizeof(c->domain_name), "domain name") != R_OK)
			return R_ERROR;
		return too_many(p, t, n, i + 1);
	}
	if (eq(t[1].s, "classless")) {
		c->ip_classless = !no;
		return too_many(p, t, n, 2);
	}
	if (eq(t[1].s, "default-gateway")) {
		if (no) { c->default_gateway = 0; return R_OK; }
		if (want_ip(p, t, n, 2, &c->default_gateway, "gateway address") != R_OK)
			return R_ERROR;
		return too_many(p, t, n, 3);
	}
	if (eq(t[1].s, "local") && n > 2 && eq(t[2].s, "pool")) {
		struct cfg_ip_pool *pool = NULL;
		char name[CFG_NAME_MAX];
		uint32_t lo, hi;

		if (want_name(p, t, n, 3, name, sizeof(name), "pool name") != R_OK)
			return R_ERROR;
		if (want_ip(p, t, n, 4, &lo, "low address") != R_OK)
			return R_ERROR;
		hi = lo;
		if (n > 5 && want_ip(p, t, n, 5, &hi, "high address") != R_OK)
			return R_ERROR;
		if (hi < lo)
			return err_at(p, t[5].col, "high address below low address");
		if (hi - lo >= 65536)
			return err_at(p, t[5].col, "pool range too large (max 65536 addresses)");
		if (too_many(p, t, n, 6) != R_OK)
			return R_ERROR;
		for (unsigned i = 0; i < c->npools; i++)
			if (strcmp(c->pools[i].name, name) == 0)
				pool = &c->pools[i];
		if (!pool) {
			pool = grow((void **)&c->pools, &c->npools, sizeof(*pool));
			if (!pool)
				return err_at(p, t[0].col, "out of memory");
			copy(pool->name, sizeof(pool->name), name);
		}
		if (pool->nranges >= 4)
			return err_at(p, t[4].col, "too many ranges in pool %s", name);
		pool->ranges[pool->nranges].lo = lo;
		pool->ranges[pool->nranges].hi = hi;
		pool->nranges++;
		return R_OK;
	}
	return R_NOT_MINE;
}

static enum res cmd_clock(struct parser *p, const struct tok *t, int n)
{
	struct nas_config *c = p->cfg;

	if (n < 2)
		return missing(p, t, n, "clock keyword");
	if (eq(t[1].s, "timezone")) {
		int hours;
		unsigned mins = 0;
		char *end;

		if (want_name(p, t, n, 2, c->tz_name, sizeof(c->tz_name), "zone name") != R_OK)
			return R_ERROR;
		if (n < 4)
			return missing(p, t, n, "hours offset");
		hours = (int)strtol(t[3].s, &end, 10);
		if (*end || hours < -23 || hours > 23 || !t[3].s[0])
			return err_at(p, t[3].col, "invalid hours offset '%s'", t[3].s);
		if (n > 4 && want_uint(p, t, n, 4, 59, &mins, "minutes offset") != R_OK)
			return R_ERROR;
		c->tz_offset_min = hours * 60 + (hours < 0 ? -(int)mins : (int)mins);
		return too_many(p, t, n, 5);
	}
	if (eq(t[1].s, "summer-time")) {
		if (want_name(p, t, n, 2, c->summer_name, sizeof(c->summer_name), "zone name") != R_OK)
			return R_ERROR;
		if (n < 4)
			return missing(p, t, n, "'recurring' or 'date'");
		if (!eq(t[3].s, "recurring") && !eq(t[3].s, "date"))
			return err_at(p, t[3].col, "expected 'recurring' or 'date'");
		c->summer_recurring = eq(t[3].s, "recurring");
		return R_OK;
	}
	return R_NOT_MINE;
}

static enum res cmd_service(struct parser *p, const struct tok *t, int n, bool no)
{
	struct nas_config *c = p->cfg;

	if (n < 2)
		return missing(p, t, n, "service name");
	if (eq(t[1].s, "timestamps")) {
		bool debug;
		if (n < 3)
			return missing(p, t, n, "'debug' or 'log'");
		if (!eq(t[2].s, "debug") && !eq(t[2].s, "log"))
			return err_at(p, t[2].col, "expected 'debug' or 'log', got '%s'", t[2].s);
		debug = eq(t[2].s, "debug");
		for (int i = 3; i < n; i++) {
			if (eq(t[i].s, "datetime")) {
				if (debug) c->ts_debug_datetime = !no; else c->ts_log_datetime = !no;
			} else if (eq(t[i].s, "msec")) {
				if (debug) c->ts_debug_msec = !no;
			} else if (!eq(t[i].s, "uptime") && !eq(t[i].s, "localtime") &&
				   !eq(t[i].s, "show-timezone") && !eq(t[i].s, "year")) {
				return err_at(p, t[i].col, "unexpected '%s'", t[i].s);
			}
		}
		return R_OK;
	}
	if (eq(t[1].s, "password-encryption")) {
		c->password_encryption = !no;
		return too_many(p, t, n, 2);
	}
	return R_OK;	/* udp-small-servers, tcp-small-servers, ...: nothing to do */
}

static enum res global(struct parser *p, const struct tok *t, int n)
{
	struct nas_config *c = p->cfg;
	bool no = eq(t[0].s, "no");
	const struct tok *a = no ? t + 1 : t;
	int an = no ? n - 1 : n;

	if (no && an < 1)
		return missing(p, t, n, "command after 'no'");
	if (eq(a[0].s, "version")) {
		return want_name(p, a, an, 1, c->version, sizeof(c->version), "version");
	} else if (eq(a[0].s, "service")) {
		return cmd_service(p, a, an, no);
	} else if (eq(a[0].s, "hostname")) {
		if (want_name(p, a, an, 1, c->hostname, sizeof(c->hostname), "host name") != R_OK)
			return R_ERROR;
		return too_many(p, a, an, 2);
	} else if (eq(a[0].s, "aaa") && !no) {
		return cmd_aaa(p, a, an);
	} else if (eq(a[0].s, "enable")) {
		if (an < 2)
			return missing(p, a, an, "'secret' or 'password'");
		if (eq(a[1].s, "secret")) {
			int i = 2;
			if (an > 3 && (eq(a[2].s, "5") || eq(a[2].s, "0")))
				i = 3;
			if (i >= an)
				return missing(p, a, an, "secret");
			if (i == 3 && a[2].s[0] == '5' && strncmp(a[3].s, "$1$", 3) != 0)
				return err_at(p, a[3].col, "type 5 secret must be an MD5-crypt hash ($1$...)");
			return want_name(p, a, an, i, c->enable_secret, sizeof(c->enable_secret),
					 "secret");
		}
		if (eq(a[1].s, "password"))
			return R_OK;	/* superseded by enable secret */
		return err_at(p, a[1].col, "expected 'secret' or 'password'");
	} else if (eq(a[0].s, "username") && !no) {
		return cmd_username(p, a, an);
	} else if (eq(a[0].s, "ip")) {
		return cmd_ip(p, a, an, no);
	} else if (eq(a[0].s, "isdn") && an > 1 && eq(a[1].s, "switch-type")) {
		return want_name(p, a, an, 2, c->isdn_switch_type, sizeof(c->isdn_switch_type),
				 "switch type");
	} else if (eq(a[0].s, "chat-script") && !no) {
		return cmd_chat(p, a, an);
	} else if (eq(a[0].s, "clock")) {
		return cmd_clock(p, a, an);
	} else if (eq(a[0].s, "controller") && !no) {
		return cmd_controller(p, a, an);
	} else if (eq(a[0].s, "interface") && !no) {
		return cmd_interface(p, a, an);
	} else if (eq(a[0].s, "router") && !no) {
		if (an < 2)
			return missing(p, a, an, "routing protocol");
		if (eq(a[1].s, "eigrp")) {
			if (want_uint(p, a, an, 2, 65535, &c->eigrp_as, "AS number") != R_OK)
				return R_ERROR;
			c->router_eigrp = true;
		}
		if (!p->eigrp_noted) {
			warn(p, "note: 'router %s' accepted and ignored (dialbackd does no dynamic routing)",
			     a[1].s);
			p->eigrp_noted = true;
		}
		p->mode = M_ROUTER;
		return R_OK;
	} else if (eq(a[0].s, "dialer-list") && !no) {
		struct cfg_dialer_list *d;
		unsigned num;

		if (want_uint(p, a, an, 1, 255, &num, "dialer-list number") != R_OK)
			return R_ERROR;
		if (an < 5 || !eq(a[2].s, "protocol"))
			return an < 3 ? missing(p, a, an, "'protocol'")
				      : (an < 5 ? missing(p, a, an, "protocol and permit|deny")
						: err_at(p, a[2].col, "expected 'protocol'"));
		if (!eq(a[4].s, "permit") && !eq(a[4].s, "deny"))
			return err_at(p, a[4].col, "expected 'permit' or 'deny'");
		d = grow((void **)&c->dialer_lists, &c->ndialer_lists, sizeof(*d));
		if (!d)
			return err_at(p, a[0].col, "out of memory");
		d->num = num;
		copy(d->proto, sizeof(d->proto), a[3].s);
		d->permit = eq(a[4].s, "permit");
		return R_OK;
	} else if (eq(a[0].s, "async-bootp") && !no) {
		uint32_t *dst;
		if (an < 2)
			return missing(p, a, an, "async-bootp keyword");
		if (eq(a[1].s, "dns-server")) dst = c->bootp_dns;
		else if (eq(a[1].s, "nbns-server")) dst = c->bootp_nbns;
		else return R_OK;
		if (want_ip(p, a, an, 2, &dst[0], "server address") != R_OK)
			return R_ERROR;
		if (an > 3 && want_ip(p, a, an, 3, &dst[1], "server address") != R_OK)
			return R_ERROR;
		return too_many(p, a, an, 4);
	} else if (eq(a[0].s, "line") && !no) {
		return cmd_line(p, a, an);
	} else if (eq(a[0].s, "exit")) {
		p->mode = M_GLOBAL;
		return R_OK;
	}
	return R_NOT_MINE;
}

/* --- interface mode --------------------------------------------------------------------- */

static enum res iface(struct parser *p, const struct tok *t, int n)
{
	struct cfg_interface *ifc = &p->cfg->ifs[p->cur];
	bool no = eq(t[0].s, "no");
	const struct tok *a = no ? t + 1 : t;
	int an = no ? n - 1 : n;

	if (an < 1)
		return R_NOT_MINE;
	if (eq(a[0].s, "ip") && an > 1) {
		if (eq(a[1].s, "address")) {
			uint32_t ip, mask;
			if (no) { ifc->has_ip = false; return R_OK; }
			if (want_ip(p, a, an, 2, &ip, "IP address") != R_OK ||
			    want_ip(p, a, an, 3, &mask, "subnet mask") != R_OK)
				return R_ERROR;
			if (an > 4 && eq(a[4].s, "secondary"))
				return too_many(p, a, an, 5);	/* secondaries: not used here */
			ifc->ip = ip;
			ifc->mask = mask;
			ifc->has_ip = true;
			return too_many(p, a, an, 4);
		}
		if (eq(a[1].s, "unnumbered")) {
			char name[CFG_NAME_MAX];
			enum cfg_if_kind k;
			unsigned u;
			if (no) { ifc->unnumbered[0] = 0; return R_OK; }
			if (an < 3)
				return missing(p, a, an, "interface name");
			if (!canon_ifname(a, an, 2, name, sizeof(name), &k, &u))
				return err_at(p, a[2].col, "invalid interface name '%s'", a[2].s);
			copy(ifc->unnumbered, sizeof(ifc->unnumbered), name);
			return R_OK;
		}
		if (eq(a[1].s, "tcp") && an > 2 && eq(a[2].s, "header-compression")) {
			if (no) { ifc->vj = CFG_VJ_OFF; return R_OK; }
			if (an > 3 && !eq(a[3].s, "passive"))
				return err_at(p, a[3].col, "expected 'passive', got '%s'", a[3].s);
			ifc->vj = an > 3 ? CFG_VJ_PASSIVE : CFG_VJ_ON;
			return too_many(p, a, an, 4);
		}
		return R_NOT_MINE;
	}
	if (eq(a[0].s, "encapsulation")) {
		if (an < 2)
			return missing(p, a, an, "encapsulation type");
		ifc->encap_ppp = eq(a[1].s, "ppp");
		return R_OK;
	}
	if (eq(a[0].s, "shutdown")) {
		ifc->shutdown = !no;
		return R_OK;
	}
	if (eq(a[0].s, "description"))
		return R_OK;
	if (eq(a[0].s, "dialer-group")) {
		unsigned g;
		if (no) { ifc->dialer_group = -1; return R_OK; }
		if (want_uint(p, a, an, 1, 255, &g, "dialer group") != R_OK)
			return R_ERROR;
		ifc->dialer_group = (int)g;
		return R_OK;
	}
	if (eq(a[0].s, "isdn")) {
		if (an > 2 && eq(a[1].s, "incoming-voice")) {
			ifc->isdn_voice_modem = !no && eq(a[2].s, "modem");
			return R_OK;
		}
		return R_OK;
	}
	if (eq(a[0].s, "peer") && an > 1 && eq(a[1].s, "default")) {
		if (an < 4 || !eq(a[2].s, "ip") || !eq(a[3].s, "address"))
			return an < 4 ? missing(p, a, an, "'ip address'")
				      : err_at(p, a[2].col, "expected 'ip address'");
		if (no) { ifc->peer_pool[0] = 0; return R_OK; }
		if (an > 4 && eq(a[4].s, "pool")) {
			if (an < 6)
				copy(ifc->peer_pool, sizeof(ifc->peer_pool), "default");
			else if (want_name(p, a, an, 5, ifc->peer_pool, sizeof(ifc->peer_pool),
					   "pool name") != R_OK)
				return R_ERROR;
			return R_OK;
		}
		return missing(p, a, an, "'pool NAME'");
	}
	if (eq(a[0].s, "async") && an > 1 && eq(a[1].s, "mode")) {
		if (an < 3)
			return missing(p, a, an, "'interactive' or 'dedicated'");
		if (!eq(a[2].s, "interactive") && !eq(a[2].s, "dedicated"))
			return err_at(p, a[2].col, "expected 'interactive' or 'dedicated'");
		ifc->async_interactive = !no && eq(a[2].s, "interactive");
		ifc->async_dedicated = !no && eq(a[2].s, "dedicated");
		return R_OK;
	}
	if (eq(a[0].s, "cdp")) {
		ifc->cdp = !no;
		return R_OK;
	}
	if (eq(a[0].s, "keepalive")) {
		unsigned k = 10;
		if (no) { ifc->keepalive = 0; return R_OK; }
		if (an > 1 && want_uint(p, a, an, 1, 32767, &k, "keepalive period") != R_OK)
			return R_ERROR;
		ifc->keepalive = k;
		return R_OK;
	}
	if (eq(a[0].s, "dialer") && an > 1 && eq(a[1].s, "redial")) {
		/* dialer redial interval SECONDS attempts N [re-enable SECONDS]: how often a
		 * failed callback is tried again, and how long apart */
		if (no) { ifc->has_redial = false; return R_OK; }
		if (an < 3 || !eq(a[2].s, "interval"))
			return an < 3 ? missing(p, a, an, "'interval'")
				      : err_at(p, a[2].col, "expected 'interval', got '%s'", a[2].s);
		if (want_uint(p, a, an, 3, 2147483, &ifc->redial_interval, "interval") != R_OK)
			return R_ERROR;
		if (ifc->redial_interval < 1)
			return err_at(p, a[3].col, "interval must be at least 1 second");
		if (an < 5 || !eq(a[4].s, "attempts"))
			return an < 5 ? missing(p, a, an, "'attempts'")
				      : err_at(p, a[4].col, "expected 'attempts', got '%s'", a[4].s);
		if (want_uint(p, a, an, 5, 2147483, &ifc->redial_attempts, "attempts") != R_OK)
			return R_ERROR;
		if (ifc->redial_attempts < 1)
			return err_at(p, a[5].col, "attempts must be at least 1");
		ifc->redial_reenable = 0;
		if (an > 6) {
			if (!eq(a[6].s, "re-enable"))
				return err_at(p, a[6].col, "expected 're-enable', got '%s'", a[6].s);
			if (want_uint(p, a, an, 7, 2147483, &ifc->redial_reenable, "re-enable time") != R_OK)
				return R_ERROR;
		}
		ifc->has_redial = true;
		return too_many(p, a, an, 8);
	}
	if (eq(a[0].s, "group-range")) {
		if (want_uint(p, a, an, 1, 2047, &ifc->group_first, "first line") != R_OK ||
		    want_uint(p, a, an, 2, 2047, &ifc->group_last, "last line") != R_OK)
			return R_ERROR;
		if (ifc->group_last < ifc->group_first)
			return err_at(p, a[2].col, "last line before first");
		return too_many(p, a, an, 3);
	}
	if (eq(a[0].s, "ppp")) {
		if (an < 2)
			return missing(p, a, an, "ppp keyword");
		if (eq(a[1].s, "max-bad-auth")) {
			if (no) { ifc->max_bad_auth = 0; return R_OK; }
			if (want_uint(p, a, an, 2, 255, &ifc->max_bad_auth, "count") != R_OK)
				return R_ERROR;
			return too_many(p, a, an, 3);
		}
		if (eq(a[1].s, "callback")) {
			if (an < 3)
				return missing(p, a, an, "'accept'");
			if (eq(a[2].s, "accept"))
				ifc->callback_accept = !no;
			else if (!eq(a[2].s, "request") && !eq(a[2].s, "initiate"))
				return err_at(p, a[2].col, "expected 'accept', got '%s'", a[2].s);
			return R_OK;
		}
		if (eq(a[1].s, "authentication")) {
			ifc->nauth = 0;
			ifc->auth_list[0] = 0;
			if (no) return R_OK;
			if (an < 3)
				return missing(p, a, an, "'chap' or 'pap'");
			for (int i = 2; i < an; i++) {
				if (eq(a[i].s, "chap") || eq(a[i].s, "pap")) {
					if (ifc->nauth >= 2)
						return err_at(p, a[i].col, "too many methods");
					ifc->auth[ifc->nauth++] = eq(a[i].s, "chap") ? CFG_AUTH_CHAP
										      : CFG_AUTH_PAP;
				} else if (i == 2) {
					return err_at(p, a[i].col, "expected 'chap' or 'pap', got '%s'",
						      a[i].s);
				} else if (!eq(a[i].s, "callin") && !eq(a[i].s, "default")) {
					if (strlen(a[i].s) >= sizeof(ifc->auth_list))
						return err_at(p, a[i].col, "list name too long");
					copy(ifc->auth_list, sizeof(ifc->auth_list), a[i].s);
				}
			}
			return R_OK;
		}
		if (eq(a[1].s, "ipcp") && an > 2 && (eq(a[2].s, "dns") || eq(a[2].s, "wins"))) {
			uint32_t *dst = eq(a[2].s, "dns") ? ifc->dns : ifc->wins;
			if (no) { dst[0] = dst[1] = 0; return R_OK; }
			if (want_ip(p, a, an, 3, &dst[0], "server address") != R_OK)
				return R_ERROR;
			if (an > 4 && want_ip(p, a, an, 4, &dst[1], "server address") != R_OK)
				return R_ERROR;
			return too_many(p, a, an, 5);
		}
		return R_NOT_MINE;
	}
	return R_NOT_MINE;
}

/* --- controller mode -------------------------------------------------------------------- */

static bool parse_timeslots(const char *s, uint32_t *mask)
{
	*mask = 0;
	while (*s) {
		unsigned a, b;
		char *end;
		a = (unsigned)strtoul(s, &end, 10);
		if (end == s || a < 1 || a > 24)
			return false;
		b = a;
		s = end;
		if (*s == '-') {
			s++;
			b = (unsigned)strtoul(s, &end, 10);
			if (end == s || b < a || b > 24)
				return false;
			s = end;
		}
		for (unsigned i = a; i <= b; i++)
			*mask |= 1u << (i - 1);
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	return *mask != 0;
}

static enum res controller(struct parser *p, const struct tok *t, int n)
{
	struct cfg_controller_t1 *c = &p->cfg->t1[p->cur];
	bool no = eq(t[0].s, "no");
	const struct tok *a = no ? t + 1 : t;
	int an = no ? n - 1 : n;

	if (an < 1)
		return R_NOT_MINE;
	if (eq(a[0].s, "framing")) {
		if (an < 2)
			return missing(p, a, an, "framing");
		if (eq(a[1].s, "esf")) c->framing = CFG_FRAMING_ESF;
		else if (eq(a[1].s, "sf")) c->framing = CFG_FRAMING_SF;
		else return err_at(p, a[1].col, "expected 'esf' or 'sf', got '%s'", a[1].s);
		return too_many(p, a, an, 2);
	}
	if (eq(a[0].s, "linecode")) {
		if (an < 2)
			return missing(p, a, an, "line code");
		if (eq(a[1].s, "b8zs")) c->linecode = CFG_LINECODE_B8ZS;
		else if (eq(a[1].s, "ami")) c->linecode = CFG_LINECODE_AMI;
		else return err_at(p, a[1].col, "expected 'b8zs' or 'ami', got '%s'", a[1].s);
		return too_many(p, a, an, 2);
	}
	if (eq(a[0].s, "clock") && an > 1 && eq(a[1].s, "source")) {
		if (an < 3)
			return missing(p, a, an, "clock source");
		if (eq(a[2].s, "internal")) {
			c->clock = CFG_CLK_INTERNAL;
		} else if (eq(a[2].s, "line")) {
			c->clock = CFG_CLK_LINE_PRIMARY;
			if (an > 3) {
				if (eq(a[3].s, "secondary")) c->clock = CFG_CLK_LINE_SECONDARY;
				else if (!eq(a[3].s, "primary"))
					return err_at(p, a[3].col, "expected 'primary' or 'secondary'");
			}
		} else {
			return err_at(p, a[2].col, "expected 'line' or 'internal', got '%s'", a[2].s);
		}
		return R_OK;
	}
	if (eq(a[0].s, "pri-group")) {
		if (no) { c->pri_group = false; return R_OK; }
		if (an < 3 || !eq(a[1].s, "timeslots"))
			return an < 2 ? missing(p, a, an, "'timeslots'")
				      : (an < 3 ? missing(p, a, an, "timeslot range")
						: err_at(p, a[1].col, "expected 'timeslots'"));
		if (!parse_timeslots(a[2].s, &c->pri_timeslots))
			return err_at(p, a[2].col, "invalid timeslot range '%s'", a[2].s);
		c->pri_group = true;
		return too_many(p, a, an, 3);
	}
	if (eq(a[0].s, "shutdown")) {
		c->shutdown = !no;
		return R_OK;
	}
	if (eq(a[0].s, "description") || eq(a[0].s, "cablelength"))
		return R_OK;
	return R_NOT_MINE;
}

/* --- line mode ------------------------------------------------------------------------ */

static enum res linecmd(struct parser *p, const struct tok *t, int n)
{
	struct cfg_line *l = &p->cfg->lines[p->cur];
	bool no = eq(t[0].s, "no");
	const struct tok *a = no ? t + 1 : t;
	int an = no ? n - 1 : n;

	if (an < 1)
		return R_NOT_MINE;
	if (eq(a[0].s, "autoselect")) {
		if (an < 2)
			return missing(p, a, an, "autoselect keyword");
		if (eq(a[1].s, "during-login")) l->autoselect_during_login = !no;
		else if (eq(a[1].s, "ppp")) l->autoselect_ppp = !no;
		else if (!eq(a[1].s, "arap") && !eq(a[1].s, "slip"))
			return err_at(p, a[1].col, "unexpected '%s'", a[1].s);
		return R_OK;
	}
	if (eq(a[0].s, "script")) {
		char *dst;
		if (an < 2)
			return missing(p, a, an, "script kind");
		if (eq(a[1].s, "modem-off-hook")) dst = l->script_offhook;
		else if (eq(a[1].s, "callback")) dst = l->script_callback;
		else if (eq(a[1].s, "startup") || eq(a[1].s, "reset") || eq(a[1].s, "dialer") ||
			 eq(a[1].s, "connection") || eq(a[1].s, "activation"))
			return R_OK;
		else return err_at(p, a[1].col, "unknown script kind '%s'", a[1].s);
		if (no) { dst[0] = 0; return R_OK; }
		if (want_name(p, a, an, 2, dst, CFG_NAME_MAX, "script name") != R_OK)
			return R_ERROR;
		return too_many(p, a, an, 3);
	}
	if (eq(a[0].s, "login")) {
		if (an > 1 && eq(a[1].s, "authentication")) {
			if (no) { l->login_auth[0] = 0; return R_OK; }
			return want_name(p, a, an, 2, l->login_auth, sizeof(l->login_auth), "list name");
		}
		return R_OK;
	}
	if (eq(a[0].s, "modem")) {
		if (an < 2)
			return missing(p, a, an, "modem keyword");
		if (eq(a[1].s, "InOut")) l->modem_inout = !no;
		else if (eq(a[1].s, "busyout")) l->modem_busyout = !no;
		else if (!eq(a[1].s, "Dialin") && !eq(a[1].s, "autoconfigure") && !eq(a[1].s, "host") &&
			 !eq(a[1].s, "cts-required") && !eq(a[1].s, "ri-is-cd"))
			return err_at(p, a[1].col, "unknown modem keyword '%s'", a[1].s);
		return R_OK;
	}
	if (eq(a[0].s, "transport")) {
		if (an < 3 || !eq(a[1].s, "input")) {
			if (an > 1 && (eq(a[1].s, "output") || eq(a[1].s, "preferred")))
				return R_OK;
			return an < 3 ? missing(p, a, an, "'input PROTOCOL'")
				      : err_at(p, a[1].col, "expected 'input'");
		}
		copy(l->transport_input, sizeof(l->transport_input), a[2].s);
		return R_OK;
	}
	if (eq(a[0].s, "exec-timeout")) {
		if (want_uint(p, a, an, 1, 35791, &l->exec_timeout_min, "minutes") != R_OK)
			return R_ERROR;
		if (an > 2 && want_uint(p, a, an, 2, 2147483, &l->exec_timeout_sec, "seconds") != R_OK)
			return R_ERROR;
		l->has_exec_timeout = true;
		return too_many(p, a, an, 3);
	}
	if (eq(a[0].s, "password")) {
		if (no) { l->password[0] = 0; return R_OK; }
		return parse_password(p, a, an, 1, l->password, sizeof(l->password),
				      &l->password_encrypted, &l->password_salt);
	}
	if (eq(a[0].s, "callback")) {
		/* callback forced-wait SECONDS: the wait before dialling back */
		if (an < 2)
			return missing(p, a, an, "'forced-wait'");
		if (eq(a[1].s, "forced-wait")) {
			if (no) { l->has_forced_wait = false; return R_OK; }
			if (want_uint(p, a, an, 2, 3600, &l->callback_forced_wait, "seconds") != R_OK)
				return R_ERROR;
			l->has_forced_wait = true;
			return too_many(p, a, an, 3);
		}
		if (eq(a[1].s, "nodsr-wait"))
			return R_OK;
		return err_at(p, a[1].col, "unknown callback keyword '%s'", a[1].s);
	}
	if (eq(a[0].s, "speed") || eq(a[0].s, "flowcontrol") || eq(a[0].s, "exec") ||
	    eq(a[0].s, "stopbits") || eq(a[0].s, "rxspeed") || eq(a[0].s, "txspeed") ||
	    eq(a[0].s, "privilege") || eq(a[0].s, "session-timeout"))
		return R_OK;
	return R_NOT_MINE;
}

static enum res router(struct parser *p, const struct tok *t, int n)
{
	bool no = eq(t[0].s, "no");
	const struct tok *a = no ? t + 1 : t;
	int an = no ? n - 1 : n;

	if (an < 1)
		return R_NOT_MINE;
	if (eq(a[0].s, "network") || eq(a[0].s, "distance") || eq(a[0].s, "auto-summary") ||
	    eq(a[0].s, "passive-interface") || eq(a[0].s, "redistribute") ||
	    eq(a[0].s, "default-metric")) {
		char (*cmd)[CFG_ROUTER_CMD_MAX];
		size_t len = 0;

		if (!p->cfg->router_eigrp)
			return R_OK;	/* another protocol's: ignored, as noted */
		cmd = grow((void **)&p->cfg->router_cmds, &p->cfg->nrouter_cmds, sizeof(*cmd));
		if (!cmd)
			return err_at(p, t[0].col, "out of memory");
		for (int i = 0; i < n; i++) {
			/* as written: a quoted word stays quoted, so the line parses back the same */
			int w = snprintf(*cmd + len, sizeof(*cmd) - len, t[i].quoted ? "%s\"%s\"" : "%s%s",
					 i ? " " : "", t[i].s);
			if (w < 0 || (size_t)w >= sizeof(*cmd) - len) {
				p->cfg->nrouter_cmds--;
				return err_at(p, t[i].col, "router command too long");
			}
			len += (size_t)w;
		}
		return R_OK;
	}
	return R_NOT_MINE;
}

/* --- tokenizer and driver -------------------------------------------------------------- */

/* Split `line` (modified in place) into tokens; returns the count or -1 (+ error). */
static int tokenize(struct parser *p, char *line, struct tok *t)
{
	int n = 0;
	char *s = line;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n >= MAX_TOKENS) {
			err_at(p, (unsigned)(s - line) + 1, "too many words on the line");
			return -1;
		}
		t[n].col = (unsigned)(s - line) + 1;
		if (*s == '"') {
			char *start = ++s;
			while (*s && *s != '"')
				s++;
			if (!*s) {
				err_at(p, t[n].col, "unterminated quoted string");
				return -1;
			}
			*s++ = 0;
			t[n].s = start;
			t[n].quoted = true;
			if (*s && *s != ' ' && *s != '\t') {
				/* text glued to a closing quote: keep parsing as a new token */
			}
		} else {
			t[n].s = s;
			t[n].quoted = false;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			if (*s)
				*s++ = 0;
		}
		n++;
	}
	return n;
}

static void clone_groups(struct nas_config *cfg)
{
	unsigned nifs = cfg->nifs;

	for (unsigned g = 0; g < nifs; g++) {
		if (cfg->ifs[g].kind != CFG_IF_GROUP_ASYNC || cfg->ifs[g].group_first == 0)
			continue;
		for (unsigned u = cfg->ifs[g].group_first; u <= cfg->ifs[g].group_last; u++) {
			char name[CFG_NAME_MAX];
			struct cfg_interface *ifc;
			int idx;

			snprintf(name, sizeof(name), "Async%u", u);
			idx = find_if_idx(cfg, name);
			if (idx < 0) {
				ifc = grow((void **)&cfg->ifs, &cfg->nifs, sizeof(*ifc));
				if (!ifc)
					return;
			} else {
				ifc = &cfg->ifs[idx];
			}
			*ifc = cfg->ifs[g];
			copy(ifc->name, sizeof(ifc->name), name);
			ifc->kind = CFG_IF_ASYNC;
			ifc->unit = u;
			ifc->group_first = ifc->group_last = 0;
			ifc->group_parent = (int)g;
		}
	}
}

static void check_refs(struct parser *p)
{
	struct nas_config *c = p->cfg;

	p->lineno = 0;
	for (unsigned i = 0; i < c->nifs; i++) {
		const struct cfg_interface *ifc = &c->ifs[i];
		p->lineno = ifc->line;
		if (ifc->unnumbered[0] && find_if_idx(c, ifc->unnumbered) < 0)
			warn(p, "interface %s: ip unnumbered %s: no such interface", ifc->name,
			     ifc->unnumbered);
		if (ifc->peer_pool[0] && ifc->group_parent < 0 && !config_find_pool(c, ifc->peer_pool))
			warn(p, "interface %s: pool '%s' is not defined", ifc->name, ifc->peer_pool);
	}
	for (unsigned i = 0; i < c->nlines; i++) {
		const struct cfg_line *l = &c->lines[i];
		p->lineno = l->line;
		if (l->script_offhook[0] && !config_find_chat(c, l->script_offhook))
			warn(p, "line %u: chat script '%s' is not defined", l->first, l->script_offhook);
		if (l->script_callback[0] && !config_find_chat(c, l->script_callback))
			warn(p, "line %u: chat script '%s' is not defined", l->first, l->script_callback);
	}
}

int config_parse(const char *text, size_t len, const char *filename,
		 struct nas_config **out, FILE *diag)
{
	struct parser p = { 0 };
	size_t pos = 0;

	*out = NULL;
	p.cfg = calloc(1, sizeof(*p.cfg));
	if (!p.cfg)
		return -1;
	p.file = filename ? filename : "<config>";
	p.diag = diag;
	p.mode = M_GLOBAL;
	copy(p.cfg->hostname, sizeof(p.cfg->hostname), "Router");

	while (pos < len) {
		char line[LINE_MAX_LEN], raw[LINE_MAX_LEN];
		struct tok t[MAX_TOKENS];
		size_t e = pos, l;
		int n;
		enum res r = R_NOT_MINE;

		while (e < len && text[e] != '\n')
			e++;
		l = e - pos;
		p.lineno++;
		if (l >= sizeof(line)) {
			err_at(&p, 1, "line longer than %d characters", LINE_MAX_LEN - 1);
			pos = e + 1;
			continue;
		}
		memcpy(line, text + pos, l);
		line[l] = 0;
		pos = e + 1;
		if (l && line[l - 1] == '\r')
			line[--l] = 0;
		if (memchr(line, 0, l)) {
			err_at(&p, (unsigned)strlen(line) + 1, "NUL character in line");
			continue;
		}
		memcpy(raw, line, l + 1);
		p.raw = raw;
		{
			const char *s = line;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == 0 || *s == '!')
				continue;
		}
		n = tokenize(&p, line, t);
		if (n <= 0)
			continue;
		if (eq(t[0].s, "end") && n == 1)
			break;
		switch (p.mode) {
		case M_INTERFACE: r = iface(&p, t, n); break;
		case M_CONTROLLER: r = controller(&p, t, n); break;
		case M_LINE: r = linecmd(&p, t, n); break;
		case M_ROUTER: r = router(&p, t, n); break;
		default: break;
		}
		if (r == R_NOT_MINE) {
			enum mode before = p.mode;
			r = global(&p, t, n);
			if (r == R_NOT_MINE) {
				warn(&p, "unknown command '%s' (ignored)", raw + t[0].col - 1);
				p.mode = before;
			}
		}
	}
	clone_groups(p.cfg);
	check_refs(&p);
	if (p.cfg->errors) {
		config_free(p.cfg);
		return -1;
	}
	*out = p.cfg;
	return 0;
}

int config_load_file(const char *path, struct nas_config **out, FILE *diag)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	if (!f) {
		if (diag)
			fprintf(diag, "%s: error: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;
		if (len + 4096 > cap) {
			char *nb;
			if (cap > (16u << 20)) {
				if (diag)
					fprintf(diag, "%s: error: file too large\n", path);
				free(buf);
				fclose(f);
				return -1;
			}
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	rc = config_parse(buf ? buf : "", len, path, out, diag);
	free(buf);
	return rc;
}

void config_free(struct nas_config *cfg)
{
	if (!cfg)
		return;
	for (unsigned i = 0; i < cfg->nchat; i++)
		free(cfg->chat[i].text);
	free(cfg->chat);
	free(cfg->aaa.lists);
	free(cfg->users);
	free(cfg->t1);
	free(cfg->ifs);
	free(cfg->lines);
	free(cfg->pools);
	free(cfg->dialer_lists);
	free(cfg->router_cmds);
	free(cfg);
}

const struct cfg_interface *config_find_interface(const struct nas_config *cfg,
						  const char *name)
{
	int i = find_if_idx(cfg, name);
	return i < 0 ? NULL : &cfg->ifs[i];
}

const struct cfg_user *config_find_user(const struct nas_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->nusers; i++)
		if (strcmp(cfg->users[i].name, name) == 0)
			return &cfg->users[i];
	return NULL;
}

const struct cfg_ip_pool *config_find_pool(const struct nas_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->npools; i++)
		if (strcmp(cfg->pools[i].name, name) == 0)
			return &cfg->pools[i];
	return NULL;
}

const struct cfg_chat_script *config_find_chat(const struct nas_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->nchat; i++)
		if (strcmp(cfg->chat[i].name, name) == 0)
			return &cfg->chat[i];
	return NULL;
}

const struct cfg_line *config_find_tty_line(const struct nas_config *cfg, unsigned n)
{
	const struct cfg_line *found = NULL;

	for (unsigned i = 0; i < cfg->nlines; i++)
		if (cfg->lines[i].kind == CFG_LINE_TTY && n >= cfg->lines[i].first &&
		    n <= cfg->lines[i].last)
			found = &cfg->lines[i];
	return found;
}

unsigned config_max_tty(const struct nas_config *cfg)
{
	unsigned m = 0;

	for (unsigned i = 0; i < cfg->nlines; i++)
		if (cfg->lines[i].kind == CFG_LINE_TTY && cfg->lines[i].last > m)
			m = cfg->lines[i].last;
	return m;
}

const struct cfg_interface *config_async_interface(const struct nas_config *cfg)
{
	for (unsigned i = 0; i < cfg->nifs; i++)
		if (cfg->ifs[i].kind == CFG_IF_GROUP_ASYNC)
			return &cfg->ifs[i];
	for (unsigned i = 0; i < cfg->nifs; i++)
		if (cfg->ifs[i].kind == CFG_IF_ASYNC)
			return &cfg->ifs[i];
	return NULL;
}

uint32_t config_interface_address(const struct nas_config *cfg, const struct cfg_interface *ifc)
{
	if (!ifc)
		return 0;
	if (ifc->has_ip)
		return ifc->ip;
	if (ifc->unnumbered[0]) {
		const struct cfg_interface *src = config_find_interface(cfg, ifc->unnumbered);
		if (src && src->has_ip)
			return src->ip;
	}
	return 0;
}

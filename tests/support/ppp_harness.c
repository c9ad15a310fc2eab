/*
 * ppp_harness.c - see ppp_harness.h
 *
 * SPDX-License-Identifier: MIT
 */
#include "ppp_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <nettle/md5.h>

#include "log.h"

char ph_lines[PH_MAX_LINES][320];
unsigned ph_nlines;

/* The seed's configuration (secrets filled in as in examples/seed.cfg), trimmed of
 * the document's comments. */
const char ph_seed_config[] =
	"version 11.3\n"
	"service timestamps debug datetime msec\n"
	"service password-encryption\n"
	"hostname isdn2-2\n"
	"aaa new-model\n"
	"aaa authentication login default none\n"
	"aaa authentication login use-local local\n"
	"aaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"enable secret 5 $1$dBk7$5g1vfvZAp46Ikklz02ZOg0\n"
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n"
	"username fixed callback-dialstring 5551212 password 0 fixedpw\n"
	"username listed callback-dialstring \"5550001,5550002\" password 0 listpw\n"
	"username nocb password 0 nocbpw\n"
	"interface Ethernet0\n"
	" ip address 172.16.25.52 255.255.255.240\n"
	"interface Group-Async1\n"
	" ip unnumbered Ethernet0\n"
	" ip tcp header-compression passive\n"
	" encapsulation ppp\n"
	" async mode interactive\n"
	" peer default ip address pool default\n"
	" no cdp enable\n"
	" ppp max-bad-auth 3\n"
	" ppp callback accept\n"
	" ppp authentication chap\n"
	" group-range 1 12\n"
	"ip local pool default 172.16.25.59 172.16.25.62\n"
	"end\n";

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	const char *body = line;
	(void)ctx;
	(void)lvl;
	/* strip "*Jan 1 00:00:00.000: " */
	if (line[0] == '*') {
		const char *c = strstr(line, ": ");
		if (c)
			body = c + 2;
	}
	if (ph_nlines < PH_MAX_LINES)
		snprintf(ph_lines[ph_nlines++], sizeof(ph_lines[0]), "%s", body);
}

static int ops_send(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	struct ph *h = ctx;
	struct ph_frame *f;

	assert_true(len <= sizeof(h->out[0].data));
	if (h->nout >= PH_MAX_FRAMES) {	/* drop the oldest read ones */
		memmove(h->out, h->out + h->rd, (h->nout - h->rd) * sizeof(h->out[0]));
		h->nout -= h->rd;
		h->rd = 0;
		if (h->nout >= PH_MAX_FRAMES)
			return -1;
	}
	f = &h->out[h->nout++];
	memcpy(f->data, frame, len);
	f->len = len;
	f->flags = flags;
	return 0;
}

static void ops_set_link(void *ctx, uint32_t tx, uint32_t rx, bool pfc, bool acfc, uint16_t mru)
{
	struct ph *h = ctx;
	(void)mru;
	h->set_links++;
	h->link_tx_accm = tx;
	h->link_rx_accm = rx;
	h->link_pfc = pfc;
	h->link_acfc = acfc;
}

static void ops_phase(void *ctx, enum ppp_phase ph) { ((struct ph *)ctx)->last_phase = ph; }

static void ops_callback(void *ctx, const char *user, const char *number)
{
	struct ph *h = ctx;
	h->callbacks++;
	snprintf(h->cb_user, sizeof(h->cb_user), "%s", user);
	snprintf(h->cb_number, sizeof(h->cb_number), "%s", number);
}

static void ops_down(void *ctx, const char *reason) { (void)reason; ((struct ph *)ctx)->downs++; }
static void ops_ip_up(void *ctx, uint32_t a) { struct ph *h = ctx; h->ip_ups++; h->ip_addr = a; }
static void ops_ip_down(void *ctx, uint32_t a) { (void)a; ((struct ph *)ctx)->ip_downs++; }

static void ops_random(void *ctx, void *buf, size_t len)
{
	struct ph *h = ctx;
	uint8_t *b = buf;

	if (len == 4 && h->nmagics) {
		uint32_t m = h->magics[0];
		memmove(h->magics, h->magics + 1, sizeof(h->magics) - sizeof(h->magics[0]));
		h->nmagics--;
		memcpy(buf, &m, 4);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		h->rnd = h->rnd * 1664525u + 1013904223u;
		b[i] = (uint8_t)(h->rnd >> 24);
	}
}

const struct ppp_lower_ops ph_ops = {
	.send = ops_send,
	.set_link = ops_set_link,
	.phase = ops_phase,
	.callback_needed = ops_callback,
	.down = ops_down,
	.ip_up = ops_ip_up,
	.ip_down = ops_ip_down,
	.random = ops_random,
};

void ph_setup(struct ph *h, const char *cfg_text, const char *ifname)
{
	const char *t = cfg_text ? cfg_text : ph_seed_config;
	char name[16];

	memset(h, 0, sizeof(*h));
	log_reset();
	ph_clear_lines();
	h->sink = log_add_sink(sink, NULL);
	for (int c = 0; c < DBG_COUNT; c++)
		dbg_enable((enum dbg_cat)c, true);
	dbg_enable(DBG_PPP_CBCP, false);	/* the seed shows MCB under negotiation */
	h->loop = ev_loop_new_manual(0);
	assert_non_null(h->loop);
	log_set_clock(h->loop, 0, false);
	assert_int_equal(config_parse(t, strlen(t), "seed", &h->cfg, stderr), 0);
	aaa_init(&h->aaa, h->cfg, 1);
	assert_int_equal(ippool_init(&h->pools, h->cfg), 0);
	ppp_profile_from_config(&h->prof, h->cfg,
				config_find_interface(h->cfg, ifname ? ifname : "Async4"), &h->aaa,
				&h->pools);
	h->rnd = 12345;
	snprintf(name, sizeof(name), "%s", "As4");
	ppp_session_init(&h->s, h->loop, &h->prof, &ph_ops, h, name, "Async4");
	ppp_set_remote(&h->s, "async/4084327528");
}

void ph_teardown(struct ph *h)
{
	ppp_session_fini(&h->s);
	ippool_free(&h->pools);
	config_free(h->cfg);
	ev_loop_free(h->loop);
	log_reset();
}

void ph_step(struct ph *h, ev_time_t t)
{
	ev_loop_step(h->loop, t);
}

struct ph_frame *ph_next(struct ph *h)
{
	return h->rd < h->nout ? &h->out[h->rd++] : NULL;
}

uint16_t ph_proto(const struct ph_frame *f, const uint8_t **payload, size_t *plen)
{
	const uint8_t *p = f->data;
	size_t n = f->len;
	uint16_t proto;

	if (n >= 2 && p[0] == 0xFF && p[1] == 0x03) {
		p += 2;
		n -= 2;
	}
	if (n >= 1 && (p[0] & 1)) {
		proto = p[0];
		p++;
		n--;
	} else if (n >= 2) {
		proto = (uint16_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	} else {
		proto = 0;
	}
	*payload = p;
	*plen = n;
	return proto;
}

struct ph_frame *ph_next_proto(struct ph *h, uint16_t proto)
{
	struct ph_frame *f;

	while ((f = ph_next(h))) {
		const uint8_t *p;
		size_t n;
		if (ph_proto(f, &p, &n) == proto)
			return f;
	}
	return NULL;
}

void ph_inject_raw(struct ph *h, const uint8_t *frame, size_t len)
{
	ppp_input(&h->s, frame, len);
}

void ph_inject(struct ph *h, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t buf[1700];

	assert_true(len + 4 <= sizeof(buf));
	buf[0] = 0xFF;
	buf[1] = 0x03;
	buf[2] = (uint8_t)(proto >> 8);
	buf[3] = (uint8_t)proto;
	memcpy(buf + 4, pkt, len);
	ppp_input(&h->s, buf, len + 4);
}

void ph_expect(struct ph *h, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct ph_frame *f = ph_next_proto(h, proto);
	const uint8_t *p;
	size_t n;

	assert_non_null(f);
	ph_proto(f, &p, &n);
	if (n != len || memcmp(p, pkt, len) != 0) {
		fprintf(stderr, "frame mismatch for proto 0x%04X: got", proto);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %02X", p[i]);
		fprintf(stderr, "\n");
	}
	assert_int_equal(n, len);
	assert_memory_equal(p, pkt, len);
}

size_t ph_chap_response(const uint8_t *c, size_t clen, const char *user, const char *secret,
			uint8_t *out)
{
	struct md5_ctx md5;
	size_t ul = strlen(user);

	assert_true(clen >= 5 && c[0] == 1 && (size_t)c[4] + 5 <= clen);
	md5_init(&md5);
	md5_update(&md5, 1, &c[1]);
	md5_update(&md5, strlen(secret), (const uint8_t *)secret);
	md5_update(&md5, c[4], c + 5);
	out[0] = 2;
	out[1] = c[1];
	out[2] = 0;
	out[3] = (uint8_t)(5 + 16 + ul);
	out[4] = 16;
	md5_digest(&md5, 16, out + 5);
	memcpy(out + 21, user, ul);
	return 21 + ul;
}

int ph_find_line(unsigned from, const char *body)
{
	for (unsigned i = from; i < ph_nlines; i++)
		if (strcmp(ph_lines[i], body) == 0)
			return (int)i;
	return -1;
}

void ph_dump_lines(void)
{
	for (unsigned i = 0; i < ph_nlines; i++)
		fprintf(stderr, "  [%u] %s\n", i, ph_lines[i]);
}

void ph_expect_lines(const char *const *bodies, size_t n)
{
	unsigned from = 0;

	for (size_t i = 0; i < n; i++) {
		int at = ph_find_line(from, bodies[i]);
		if (at < 0) {
			fprintf(stderr, "missing (in order) debug line: \"%s\"\n", bodies[i]);
			ph_dump_lines();
		}
		assert_true(at >= 0);
		from = (unsigned)at + 1;
	}
}

void ph_clear_lines(void)
{
	ph_nlines = 0;
}

int ph_find_substr(const char *sub)
{
	for (unsigned i = 0; i < ph_nlines; i++)
		if (strstr(ph_lines[i], sub))
			return (int)i;
	return -1;
}

/*
 * bench_ppp.c - the PPP engine alone: full seed-style callback sessions on N lines
 *
 * Each line runs the NAS engine against a scripted client (the engine's test-only
 * client role, which answers like pppd: Callback 6, CHAP, CBCP Response, TERMREQ)
 * over a null lower layer (an in-memory frame queue).  One "negotiation" is the
 * seed's whole sequence: call 1 = LCP + CHAP + MCB + TERM (callback needed), then
 * call 2 = LCP + CHAP + IPCP (address from the pool).  Debug output is off.
 * Printed: negotiations per CPU-second (both ends included, so the NAS alone is
 * faster), sizeof(struct ppp_session) and resident memory per line.  No assertions.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aaa.h"
#include "config.h"
#include "evloop.h"
#include "ippool.h"
#include "log.h"
#include "ppp.h"

static const char bench_cfg[] =
	"hostname isdn2-2\naaa new-model\naaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n"
	"interface Ethernet0\n ip address 172.16.0.1 255.255.0.0\n"
	"interface Group-Async1\n ip unnumbered Ethernet0\n ip tcp header-compression passive\n"
	" peer default ip address pool default\n ppp callback accept\n"
	" ppp authentication chap\n group-range 1 2\n"
	"ip local pool default 172.16.1.0 172.16.255.255\n";

struct bline {
	struct ppp_session nas, pc;
	unsigned callbacks, ip_up;
	uint32_t rnd;
};

struct qent {
	struct bline *l;
	bool to_pc;
	uint8_t len;
	uint8_t data[78];
};

static struct qent *ring;
static size_t ring_cap, ring_head, ring_tail;
static unsigned long frames;

static void q_push(struct bline *l, bool to_pc, const uint8_t *f, size_t len)
{
	struct qent *e;

	if (len > sizeof(e->data) || ring_tail - ring_head >= ring_cap)
		return;		/* not in this scenario */
	e = &ring[ring_tail++ % ring_cap];
	e->l = l;
	e->to_pc = to_pc;
	e->len = (uint8_t)len;
	memcpy(e->data, f, len);
}

static int nas_send(void *ctx, const uint8_t *f, size_t len, unsigned flags)
{
	(void)flags;
	q_push(ctx, true, f, len);
	return 0;
}

static int pc_send(void *ctx, const uint8_t *f, size_t len, unsigned flags)
{
	(void)flags;
	q_push(ctx, false, f, len);
	return 0;
}

static void nas_cb(void *ctx, const char *u, const char *n) { (void)u; (void)n; ((struct bline *)ctx)->callbacks++; }
static void nas_ip_up(void *ctx, uint32_t a) { (void)a; ((struct bline *)ctx)->ip_up++; }

static void rnd(void *ctx, void *buf, size_t len)
{
	struct bline *l = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		l->rnd ^= l->rnd << 13; l->rnd ^= l->rnd >> 17; l->rnd ^= l->rnd << 5;
		b[i] = (uint8_t)l->rnd;
	}
}

static const struct ppp_lower_ops nas_ops = {
	.send = nas_send, .callback_needed = nas_cb, .ip_up = nas_ip_up, .random = rnd,
};
static const struct ppp_lower_ops pc_ops = { .send = pc_send, .random = rnd };

static void pump(void)
{
	while (ring_head != ring_tail) {
		struct qent e = ring[ring_head++ % ring_cap];
		frames++;
		ppp_input(e.to_pc ? &e.l->pc : &e.l->nas, e.data, e.len);
	}
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void run(unsigned n, const struct nas_config *cfg)
{
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct aaa aaa;
	struct ip_pools pools;
	struct ppp_profile prof, pcprof_cb, pcprof;
	struct bline *lines;
	long rss0, rss1;
	double t0, t1;
	unsigned ok1 = 0, ok2 = 0;

	aaa_init(&aaa, cfg, 1);
	ippool_init(&pools, cfg);
	ppp_profile_from_config(&prof, cfg, config_find_interface(cfg, "Async1"), &aaa, &pools);
	memset(&pcprof, 0, sizeof(pcprof));
	pcprof.hostname = "pc";
	pcprof.restart = 2 * EV_SEC;
	pcprof.client = true;
	pcprof.vj = true;
	pcprof.client_user = "callmeback";
	pcprof.client_secret = "cisco";
	pcprof_cb = pcprof;
	pcprof_cb.client_callback = "5279651";

	ring_cap = (size_t)n * 8;
	ring = malloc(ring_cap * sizeof(*ring));
	rss0 = rss_kib();
	lines = calloc(n, sizeof(*lines));
	for (unsigned i = 0; i < n; i++) {
		char sn[16], ln[16];
		snprintf(sn, sizeof(sn), "As%u", i + 1);
		snprintf(ln, sizeof(ln), "Async%u", i + 1);
		lines[i].rnd = 0x9E3779B9u ^ (i * 2654435761u);
		ppp_session_init(&lines[i].nas, loop, &prof, &nas_ops, &lines[i], sn, ln);
		ppp_session_init(&lines[i].pc, loop, &pcprof_cb, &pc_ops, &lines[i], "pc", "pc");
	}
	rss1 = rss_kib();

	t0 = cpu_now();
	/* call 1: LCP + CHAP + MCB + TERM */
	for (unsigned i = 0; i < n; i++) {
		ppp_open_passive(&lines[i].pc);
		ppp_open_active(&lines[i].nas);
		if (ring_tail - ring_head > ring_cap / 2)
			pump();
	}
	pump();
	for (unsigned i = 0; i < n; i++) {
		ok1 += lines[i].callbacks == 1;
		ppp_lower_down(&lines[i].nas);
		ppp_lower_down(&lines[i].pc);
		lines[i].pc.prof = &pcprof;	/* the callback leg: no callback option */
	}
	/* call 2 (the callback): LCP + CHAP + IPCP */
	for (unsigned i = 0; i < n; i++) {
		ppp_open_passive(&lines[i].pc);
		ppp_open_active(&lines[i].nas);
		if (ring_tail - ring_head > ring_cap / 2)
			pump();
	}
	pump();
	for (unsigned i = 0; i < n; i++) {
		ok2 += lines[i].ip_up == 1;
		ppp_lower_down(&lines[i].nas);
		ppp_lower_down(&lines[i].pc);
	}
	t1 = cpu_now();

	printf("%8u  %8u/%-8u  %10.3f  %12.0f  %10zu  %12.0f  %8.1f\n", n, ok1, ok2, t1 - t0,
	       (t1 - t0) > 0 ? n / (t1 - t0) : 0.0, sizeof(struct ppp_session),
	       (double)(rss1 - rss0) * 1024.0 / n, (double)frames / n);
	for (unsigned i = 0; i < n; i++) {
		ppp_session_fini(&lines[i].nas);
		ppp_session_fini(&lines[i].pc);
	}
	free(lines);
	free(ring);
	frames = 0;
	ring_head = ring_tail = 0;
	ippool_free(&pools);
	ev_loop_free(loop);
}

int main(int argc, char **argv)
{
	struct nas_config *cfg = NULL;
	unsigned sizes[] = { 1000, 20000 };

	(void)argc;
	(void)argv;
	log_reset();	/* debug off */
	if (config_parse(bench_cfg, sizeof(bench_cfg) - 1, "bench", &cfg, stderr) != 0)
		return 1;
	printf("PPP engine: full callback sessions (call 1 LCP+CHAP+MCB+TERM, call 2 LCP+CHAP+IPCP)\n");
	printf("(each negotiation runs the NAS engine AND the scripted client engine on one core)\n");
	printf("%8s  %17s  %10s  %12s  %10s  %12s  %8s\n", "lines", "callback/ip ok", "cpu s",
	       "negot./cpu-s", "B/session", "RSS B/line*", "frames");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run(sizes[i], cfg);
	printf("* RSS growth per line for the NAS session plus the client session (two sessions)\n");
	config_free(cfg);
	return 0;
}

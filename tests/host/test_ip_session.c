/*
 * test_ip_session.c - the IP data plane of a PPP session: a NAS session and a client
 * session back to back negotiate IPCP (with and without VJ); the NAS side is bound to
 * the IP interface (host/tun.h) through a stub backend, as the co-simulation's
 * endpoint and dialbackd's kernel TUN are.  IP both ways, the route installed and
 * removed, MTU/MRU drops counted, malformed VJ counted (never a crash), and the
 * `show interfaces async N` text of a line of the seed's NAS.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "ctl.h"
#include "ip_session.h"
#include "ippkt.h"
#include "line.h"
#include "log.h"
#include "nas.h"
#include "ppp_harness.h"

#define NAS_ADDR	0xAC101934u	/* 172.16.25.52 */
#define PEER_ADDR	0xAC10193Bu	/* 172.16.25.59: first in the seed's pool */
#define QMAX		64
#define PKTMAX		1700

/* --- the stub backend: what "the host" received ----------------------------------- */

struct stub_host {
	uint8_t pkt[QMAX][PKTMAX];
	size_t len[QMAX];
	unsigned n;
	uint32_t routes[8];
	unsigned nroutes, route_adds, route_dels;
	int fail_output;
};

static int stub_output(void *ctx, const uint8_t *pkt, size_t len)
{
	struct stub_host *h = ctx;

	if (h->fail_output)
		return -EAGAIN;
	assert_true(h->n < QMAX && len <= PKTMAX);
	memcpy(h->pkt[h->n], pkt, len);
	h->len[h->n++] = len;
	return 0;
}

static int stub_route_add(void *ctx, uint32_t addr)
{
	struct stub_host *h = ctx;

	h->route_adds++;
	h->routes[h->nroutes++] = addr;
	return 0;
}

static int stub_route_del(void *ctx, uint32_t addr)
{
	struct stub_host *h = ctx;

	h->route_dels++;
	for (unsigned i = 0; i < h->nroutes; i++)
		if (h->routes[i] == addr) {
			h->routes[i] = h->routes[--h->nroutes];
			return 0;
		}
	return -ESRCH;
}

static const struct tun_backend stub_backend = {
	.name = "stub0", .output = stub_output, .route_add = stub_route_add,
	.route_del = stub_route_del,
};

/* --- two sessions back to back ------------------------------------------------------ */

struct queue {
	uint8_t f[QMAX][PKTMAX];
	size_t len[QMAX];
	unsigned n;
};

struct rig {
	struct ph h;			/* loop, config, AAA, pools, the NAS's profile */
	struct ppp_session nas;		/* the NAS session, bound to `ip` */
	struct ip_session ip;
	struct tun tun;
	struct stub_host host;
	struct queue to_client, to_nas;
	/* the client (a dial-up PC) */
	struct ppp_profile cprof;
	struct ppp_session cli;
	struct vj_comp ccomp;
	struct vj_decomp cdecomp;
	uint8_t rx[QMAX][PKTMAX];	/* datagrams the client got, decompressed */
	size_t rxlen[QMAX];
	uint16_t rxproto[QMAX];
	unsigned nrx, rx_bad;
	uint32_t rnd;
};

static int q_push(struct queue *q, const uint8_t *f, size_t len)
{
	if (q->n >= QMAX || len > PKTMAX)
		return -1;
	memcpy(q->f[q->n], f, len);
	q->len[q->n++] = len;
	return 0;
}

static int nas_send(void *ctx, const uint8_t *f, size_t len, unsigned flags)
{
	(void)flags;
	return q_push(&((struct rig *)ctx)->to_client, f, len);
}

static int cli_send(void *ctx, const uint8_t *f, size_t len, unsigned flags)
{
	(void)flags;
	return q_push(&((struct rig *)ctx)->to_nas, f, len);
}

static void nas_ip_up(void *ctx, uint32_t a) { struct rig *r = ctx; ip_session_up(&r->ip, a); }
static void nas_ip_down(void *ctx, uint32_t a) { (void)a; ip_session_down(&((struct rig *)ctx)->ip); }
static void nas_ip_input(void *ctx, uint16_t proto, const uint8_t *d, size_t len)
{
	ip_session_input(&((struct rig *)ctx)->ip, proto, d, len);
}

static void rnd(void *ctx, void *buf, size_t len)
{
	struct rig *r = ctx;
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		r->rnd = r->rnd * 1103515245u + 12345u;
		b[i] = (uint8_t)(r->rnd >> 16);
	}
}

static void cli_ip_input(void *ctx, uint16_t proto, const uint8_t *d, size_t len)
{
	struct rig *r = ctx;
	size_t n = 0;

	assert_true(r->nrx < QMAX);
	if (vj_decompress(&r->cdecomp, proto, d, len, r->rx[r->nrx], PKTMAX, &n) < 0) {
		r->rx_bad++;
		return;
	}
	r->rxproto[r->nrx] = proto;
	r->rxlen[r->nrx++] = n;
}

static const struct ppp_lower_ops nas_ops = {
	.send = nas_send, .ip_up = nas_ip_up, .ip_down = nas_ip_down, .ip_input = nas_ip_input,
	.random = rnd,
};
static const struct ppp_lower_ops cli_ops = {
	.send = cli_send, .ip_input = cli_ip_input, .random = rnd,
};

static void pump(struct rig *r)
{
	static uint8_t tmp[PKTMAX];

	for (int guard = 0; guard < 1000; guard++) {
		bool moved = false;

		for (unsigned i = 0; i < r->to_client.n; i++) {
			/* frames queued while delivering go after these */
			size_t n = r->to_client.len[i];

			memcpy(tmp, r->to_client.f[i], n);
			ppp_input(&r->cli, tmp, n);
			moved = true;
		}
		if (moved) {
			r->to_client.n = 0;
		}
		if (r->to_nas.n) {
			unsigned n = r->to_nas.n;

			for (unsigned i = 0; i < n; i++) {
				size_t l = r->to_nas.len[i];

				memcpy(tmp, r->to_nas.f[i], l);
				ppp_input(&r->nas, tmp, l);
			}
			memmove(r->to_nas.f, r->to_nas.f[n], (r->to_nas.n - n) * PKTMAX);
			r->to_nas.n -= n;
			moved = true;
		}
		if (!moved)
			return;
	}
	fail_msg("pump did not settle");
}

static void rig_run(struct rig *r, ev_time_t from, ev_time_t until)
{
	for (ev_time_t t = from; t <= until; t += 100 * EV_MSEC) {
		ph_step(&r->h, t);
		pump(r);
	}
}

/* Bring both up to IPCP Open; client_vj: the client asks for (and accepts) VJ. */
static struct rig *rig_new(bool client_vj, bool passive)
{
	struct rig *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	ph_setup(&r->h, NULL, "Async4");
	dbg_all_off();
	r->rnd = 7;
	ppp_session_fini(&r->h.s);		/* the harness's own session is not used */
	tun_init(&r->tun);
	tun_set_backend(&r->tun, &stub_backend, &r->host);
	assert_int_equal(tun_set_addr(&r->tun, NAS_ADDR), 0);
	ppp_session_init(&r->nas, r->h.loop, &r->h.prof, &nas_ops, r, "As4", "Async4");
	ip_session_init(&r->ip, &r->tun, &r->nas, "As4", passive);

	r->cprof.hostname = "pc";
	r->cprof.restart = 2 * EV_SEC;
	r->cprof.client = true;
	r->cprof.vj = client_vj;
	r->cprof.client_user = "callmeback";
	r->cprof.client_secret = "cisco";
	ppp_session_init(&r->cli, r->h.loop, &r->cprof, &cli_ops, r, "pc0", "pc0");

	ppp_open_passive(&r->cli);
	ppp_open_active(&r->nas);
	rig_run(r, 0, 3 * EV_SEC);
	assert_int_equal(r->nas.ipcp.fsm.state, FSM_OPENED);
	assert_int_equal(r->cli.ipcp.fsm.state, FSM_OPENED);
	/* the client compresses for what the NAS asked: 15 slots, slot id always sent */
	vj_comp_init(&r->ccomp, 15, false);
	vj_decomp_init(&r->cdecomp, 15);
	return r;
}

static void rig_free(struct rig *r)
{
	ppp_session_fini(&r->cli);
	ppp_lower_down(&r->nas);
	ppp_session_fini(&r->nas);
	ip_session_down(&r->ip);
	tun_fini(&r->tun);
	ippool_free(&r->h.pools);
	config_free(r->h.cfg);
	ev_loop_free(r->h.loop);
	log_reset();
	free(r);
}

/* The client sends a datagram, VJ-compressed when `vj`. */
static void client_sends(struct rig *r, const uint8_t *pkt, size_t len, bool vj)
{
	uint8_t out[PKTMAX];
	size_t n = len;
	int proto = PPP_PROTO_IP;

	if (vj) {
		proto = vj_compress(&r->ccomp, pkt, len, out, sizeof(out), &n);
		assert_true(proto > 0);
	} else {
		memcpy(out, pkt, len);
	}
	assert_true(ppp_send(&r->cli, (uint16_t)proto, out, n) >= 0);
	pump(r);
}

static size_t tcp_seg(uint8_t *buf, uint32_t src, uint32_t dst, uint32_t seq, uint32_t ack,
		      uint16_t id, size_t datalen)
{
	struct pk_tcp s = {
		.src = src, .dst = dst, .sport = 1025, .dport = 23, .seq = seq, .ack = ack,
		.flags = PK_ACK | PK_PSH, .win = 8192, .id = id, .datalen = datalen,
		.data_seed = (uint8_t)seq,
	};

	return pk_tcp_build(buf, &s);
}

/* --- tests -------------------------------------------------------------------------- */

static void test_up_route_and_ping_without_vj(void **state)
{
	struct rig *r = rig_new(false, false);
	uint8_t pkt[PKTMAX];
	size_t len;

	(void)state;
	/* IPCP up: the peer is in the table, its route installed; no VJ negotiated */
	assert_true(r->ip.up);
	assert_false(r->ip.vj_tx);
	assert_false(r->ip.vj_rx);
	assert_int_equal(r->ip.peer_addr, PEER_ADDR);
	assert_ptr_equal(tun_peer_find(&r->tun, PEER_ADDR), &r->ip.peer);
	assert_int_equal(r->host.nroutes, 1);
	assert_int_equal(r->host.routes[0], PEER_ADDR);

	/* the client pings the NAS: the datagram reaches the host unchanged */
	len = pk_icmp_echo(pkt, 8, PEER_ADDR, NAS_ADDR, 0x77, 1, 56);
	client_sends(r, pkt, len, false);
	assert_int_equal(r->host.n, 1);
	assert_int_equal(r->host.len[0], len);
	assert_memory_equal(r->host.pkt[0], pkt, len);

	/* the host's reply goes out through the session as plain IP */
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, PEER_ADDR, 0x77, 1, 56);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), 0);
	pump(r);
	assert_int_equal(r->nrx, 1);
	assert_int_equal(r->rxproto[0], PPP_PROTO_IP);
	assert_memory_equal(r->rx[0], pkt, len);

	/* a destination with no session is dropped and counted */
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, PEER_ADDR + 1, 0x77, 2, 8);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), -EHOSTUNREACH);
	assert_int_equal(r->tun.drops.no_session, 1);

	/* VJ the NAS did not get acked is dropped by PPP, never decompressed */
	uint8_t junk[] = { 0x40, 0x00, 0x12, 0x34 };
	assert_true(ppp_send(&r->cli, PPP_PROTO_VJC, junk, sizeof(junk)) >= 0);
	pump(r);
	assert_int_equal(r->host.n, 1);

	/* counters: per line and per interface */
	struct tun_counters c;
	ip_session_totals(&r->ip, &c, NULL, NULL);
	assert_int_equal(c.in_packets, 1);
	assert_int_equal(c.in_bytes, 84);
	assert_int_equal(c.out_packets, 1);
	assert_int_equal(c.out_bytes, 84);
	assert_int_equal(r->tun.stats.in_packets, 1);
	assert_int_equal(r->tun.stats.out_packets, 1);
	assert_int_equal(r->tun.stats.out_drops, 1);

	/* hang-up: route and table entry gone, the line keeps its counters */
	ppp_close(&r->nas, "admin");
	rig_run(r, 4 * EV_SEC, 12 * EV_SEC);
	assert_false(r->ip.up);
	assert_int_equal(r->host.nroutes, 0);
	assert_int_equal(r->host.route_dels, 1);
	assert_null(tun_peer_find(&r->tun, PEER_ADDR));
	ip_session_totals(&r->ip, &c, NULL, NULL);
	assert_int_equal(c.in_packets, 1);
	assert_int_equal(c.out_packets, 1);
	/* datagrams after the session are not forwarded */
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, PEER_ADDR, 0x77, 3, 8);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), -EHOSTUNREACH);
	ip_session_input(&r->ip, PPP_PROTO_IP, pkt, len);
	assert_int_equal(r->ip.cnt.not_up, 1);
	rig_free(r);
}

static void test_tcp_both_ways_with_vj_passive(void **state)
{
	struct rig *r = rig_new(true, true);
	uint8_t pkt[PKTMAX];
	size_t len;
	uint32_t cseq = 1000, nseq = 5000;
	unsigned i;

	(void)state;
	assert_true(r->ip.vj_tx);
	assert_true(r->ip.vj_rx);
	assert_int_equal(r->ip.comp.nslots, 16);	/* the client's "15 slots" */

	/* passive: before the client compresses, the NAS sends TCP as plain IP */
	len = tcp_seg(pkt, NAS_ADDR, PEER_ADDR, nseq, cseq, 1, 10);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), 0);
	pump(r);
	assert_int_equal(r->nrx, 1);
	assert_int_equal(r->rxproto[0], PPP_PROTO_IP);
	nseq += 10;

	/* the client sends a TCP conversation VJ-compressed; the host gets the originals */
	for (i = 0; i < 6; i++) {
		len = tcp_seg(pkt, PEER_ADDR, NAS_ADDR, cseq, nseq, (uint16_t)(100 + i), 20);
		client_sends(r, pkt, len, true);
		assert_int_equal(r->host.n, i + 1);
		assert_int_equal(r->host.len[i], len);
		assert_memory_equal(r->host.pkt[i], pkt, len);
		cseq += 20;
	}
	assert_int_equal(r->ip.decomp.stats.uncompressed, 1);
	assert_int_equal(r->ip.decomp.stats.compressed, 5);

	/* now the NAS compresses too: the client decompresses exactly what the host sent */
	for (i = 0; i < 6; i++) {
		len = tcp_seg(pkt, NAS_ADDR, PEER_ADDR, nseq, cseq, (uint16_t)(2 + i), 30);
		assert_int_equal(tun_dispatch(&r->tun, pkt, len), 0);
		pump(r);
		assert_int_equal(r->nrx, 2 + i);
		assert_int_equal(r->rxlen[1 + i], len);
		assert_memory_equal(r->rx[1 + i], pkt, len);
		nseq += 30;
	}
	assert_int_equal(r->rxproto[1], PPP_PROTO_VJUC);
	assert_int_equal(r->rxproto[6], PPP_PROTO_VJC);
	assert_int_equal(r->rx_bad, 0);
	struct vj_comp_stats cs;
	struct vj_decomp_stats ds;
	ip_session_totals(&r->ip, NULL, &cs, &ds);
	assert_int_equal(cs.compressed, 5);
	assert_int_equal(ds.compressed, 5);

	/* ICMP is never compressed */
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, PEER_ADDR, 1, 1, 16);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), 0);
	pump(r);
	assert_int_equal(r->rxproto[7], PPP_PROTO_IP);
	rig_free(r);
}

static void test_mtu_and_mru(void **state)
{
	struct rig *r = rig_new(false, false);
	uint8_t pkt[PKTMAX];
	size_t len;
	struct tun_counters c;

	(void)state;
	assert_int_equal(r->ip.mtu, 1500);
	assert_int_equal(r->ip.mru, 1500);
	/* to the peer: 1500 goes, 1501 is dropped and counted (interface and line) */
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, PEER_ADDR, 1, 1, 1500 - 28);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), 0);
	pump(r);
	assert_int_equal(r->nrx, 1);
	assert_int_equal(r->rxlen[0], 1500);
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, PEER_ADDR, 1, 2, 1501 - 28);
	assert_int_equal(tun_dispatch(&r->tun, pkt, len), -EMSGSIZE);
	pump(r);
	assert_int_equal(r->nrx, 1);
	assert_int_equal(r->tun.drops.too_big, 1);
	ip_session_totals(&r->ip, &c, NULL, NULL);
	assert_int_equal(c.out_drops, 1);

	/* from the peer: beyond our MRU is a giant, not forwarded */
	len = pk_icmp_echo(pkt, 8, PEER_ADDR, NAS_ADDR, 1, 3, 1501 - 28);
	client_sends(r, pkt, len, false);
	assert_int_equal(r->host.n, 0);
	assert_int_equal(r->ip.cnt.giants, 1);
	len = pk_icmp_echo(pkt, 8, PEER_ADDR, NAS_ADDR, 1, 4, 1500 - 28);
	client_sends(r, pkt, len, false);
	assert_int_equal(r->host.n, 1);

	/* the host refusing a datagram is an input drop, counted */
	r->host.fail_output = 1;
	client_sends(r, pkt, len, false);
	ip_session_totals(&r->ip, &c, NULL, NULL);
	assert_int_equal(c.in_drops, 1);
	assert_int_equal(c.in_errors, 1);	/* the giant */
	rig_free(r);
}

static void test_malformed_vj_counted(void **state)
{
	struct rig *r = rig_new(true, false);
	uint8_t pkt[PKTMAX], bad[64];
	size_t len;

	(void)state;
	/* compressed before any uncompressed packet: tossed; garbage: errors */
	static const uint8_t vjc_noslot[] = { 0x0f, 0x12, 0x34 };
	static const uint8_t vjc_badslot[] = { 0x40, 0x63, 0x12, 0x34 };
	static const uint8_t vjc_short[] = { 0x40 };
	ip_session_input(&r->ip, PPP_PROTO_VJC, vjc_noslot, sizeof(vjc_noslot));
	ip_session_input(&r->ip, PPP_PROTO_VJC, vjc_badslot, sizeof(vjc_badslot));
	ip_session_input(&r->ip, PPP_PROTO_VJC, vjc_short, sizeof(vjc_short));
	ip_session_input(&r->ip, PPP_PROTO_VJC, NULL, 0);
	ip_session_input(&r->ip, PPP_PROTO_VJUC, vjc_short, sizeof(vjc_short));
	/* an uncompressed-TCP with a slot id beyond ours */
	len = tcp_seg(pkt, PEER_ADDR, NAS_ADDR, 1, 1, 1, 4);
	pkt[9] = 200;
	ip_session_input(&r->ip, PPP_PROTO_VJUC, pkt, len);
	/* random bytes, every length */
	for (size_t n = 0; n < sizeof(bad); n++) {
		for (size_t k = 0; k < n; k++)
			bad[k] = (uint8_t)(k * 37 + n * 11);
		ip_session_input(&r->ip, PPP_PROTO_VJC, bad, n);
		ip_session_input(&r->ip, PPP_PROTO_VJUC, bad, n);
	}
	assert_int_equal(r->host.n, 0);
	assert_true(r->ip.cnt.bad_vj >= 6);
	assert_true(r->ip.decomp.stats.errors >= 3);
	assert_true(r->ip.decomp.stats.tossed >= 1);
	/* and a good flow resynchronises */
	len = tcp_seg(pkt, PEER_ADDR, NAS_ADDR, 1, 1, 1, 4);
	client_sends(r, pkt, len, true);
	len = tcp_seg(pkt, PEER_ADDR, NAS_ADDR, 5, 1, 2, 4);
	client_sends(r, pkt, len, true);
	assert_int_equal(r->host.n, 2);
	assert_memory_equal(r->host.pkt[1], pkt, len);
	rig_free(r);
}

static void test_no_interface_no_crash(void **state)
{
	struct ip_session is;
	struct ppp_session s;
	uint8_t pkt[128];
	size_t len;

	(void)state;
	/* a line without any IP interface behind it: up fails cleanly, input counted */
	memset(&s, 0, sizeof(s));
	ip_session_init(&is, NULL, &s, "As1", false);
	assert_int_equal(ip_session_up(&is, PEER_ADDR), -ENODEV);
	len = pk_icmp_echo(pkt, 8, PEER_ADDR, NAS_ADDR, 1, 1, 8);
	ip_session_input(&is, PPP_PROTO_IP, pkt, len);
	assert_int_equal(is.cnt.not_up, 1);
	ip_session_down(&is);

	/* an interface not opened (no TUN, no backend): the session comes up, no route,
	 * and what the peer sends is counted as dropped */
	struct tun t;
	tun_init(&t);
	ip_session_init(&is, &t, &s, "As1", false);
	s.peer_mru = 1500;
	assert_int_equal(ip_session_up(&is, PEER_ADDR), 0);
	assert_false(is.route);
	ip_session_input(&is, PPP_PROTO_IP, pkt, len);
	assert_int_equal(is.peer.stats.in_drops, 1);
	assert_int_equal(t.stats.in_drops, 1);
	ip_session_down(&is);
	assert_int_equal(t.npeers, 0);
	tun_fini(&t);
}

/* --- show interfaces async N on the seed's NAS -------------------------------------- */

static int dummy_send(void *ctx, const uint8_t *f, size_t len, unsigned flags)
{
	unsigned *n = ctx;

	(void)f;
	(void)len;
	(void)flags;
	(*n)++;
	return 0;
}

static const struct ppp_lower_ops dummy_ops = { .send = dummy_send };

static char *run(struct ctl *c, const char *cmd, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	*rc = ctl_execute(c, cmd, out);
	fclose(out);
	return buf;
}

static void test_show_interfaces_async(void **state)
{
	struct nas_config *cfg = NULL;
	FILE *diag = fopen("/dev/null", "w");
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct stub_host *host = calloc(1, sizeof(*host));
	unsigned sent = 0;
	uint8_t pkt[256];
	size_t len;
	int rc;
	char *o;

	(void)state;
	assert_int_equal(config_load_file("examples/seed.cfg", &cfg, diag), 0);
	fclose(diag);
	struct nas *n = nas_new(loop, cfg, NULL);
	assert_non_null(n);
	struct ctl *c = ctl_new();
	nas_register_commands(n, c);
	tun_set_backend(&n->tun, &stub_backend, host);
	tun_set_addr(&n->tun, n->async_prof.our_addr);

	/* idle line */
	o = run(c, "show interfaces async 4", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "Async4 is down, line protocol is down\n"));
	assert_non_null(strstr(o, "  Hardware is Async Serial\n"));
	assert_non_null(strstr(o, "  Interface is unnumbered. Using address of Ethernet0 (172.16.25.52)\n"));
	assert_non_null(strstr(o, "     0 packets input, 0 bytes, 0 no buffer\n"));
	free(o);

	/* line 4 with a session up (states set by hand; the wire is not this test's) */
	struct line *l = &n->lines[3];
	ppp_session_init(&l->ppp, loop, &n->async_prof, &dummy_ops, &sent, "As4", "Async4");
	l->ppp_running = true;
	l->phase = LINE_PPP;
	l->ppp.lcp.fsm.state = FSM_OPENED;
	l->ppp.ipcp.fsm.state = FSM_OPENED;
	l->ppp.ipcp.his_vj = true;
	l->ppp.ipcp.his_vj_slots = 15;
	l->ppp.ipcp.his_vj_cslot = true;
	l->ppp.ipcp.want_vj = true;
	assert_int_equal(ip_session_up(&l->ip, 0xAC10193Cu), 0);
	assert_true(l->ip.passive);			/* ip tcp header-compression passive */
	assert_int_equal(host->nroutes, 1);
	len = pk_icmp_echo(pkt, 8, 0xAC10193Cu, NAS_ADDR, 9, 1, 56);
	ip_session_input(&l->ip, PPP_PROTO_IP, pkt, len);
	ip_session_input(&l->ip, PPP_PROTO_IP, pkt, len);
	len = pk_icmp_echo(pkt, 0, NAS_ADDR, 0xAC10193Cu, 9, 1, 56);
	assert_int_equal(tun_dispatch(&n->tun, pkt, len), 0);
	assert_int_equal(sent, 1);

	o = run(c, "sh int async 4", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "Async4 is up, line protocol is up\n"));
	assert_non_null(strstr(o, "  MTU 1500 bytes"));
	assert_non_null(strstr(o, "  Encapsulation PPP, LCP Open"));
	assert_non_null(strstr(o, "  Open: IPCP\n"));
	assert_non_null(strstr(o, "  Peer address 172.16.25.60"));
	assert_non_null(strstr(o, "16 tx slots (slot id compressed), 16 rx slots, passive"));
	/* the ICMP reply went through the (passive) compressor as plain IP */
	assert_non_null(strstr(o, "  VJ: rcvd 0 compressed, 0 uncompressed, 0 errors; "
			       "sent 0 compressed, 0 uncompressed of 1\n"));
	assert_non_null(strstr(o, "  5 minute input rate "));
	assert_non_null(strstr(o, "     2 packets input, 168 bytes, 0 no buffer\n"));
	assert_non_null(strstr(o, "     1 packets output, 84 bytes, 0 underruns\n"));
	free(o);
	o = run(c, "show interfaces Async4", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "Async4 is up, line protocol is up\n"));
	free(o);
	o = run(c, "show interfaces stub0", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "stub0 is up, line protocol is up\n"));
	assert_non_null(strstr(o, "1 dial-in sessions"));
	free(o);
	o = run(c, "show ip tcp header-compression", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "  Interface Async4:\n"));
	assert_non_null(strstr(o, "Connect: 16 rx slots, 16 tx slots"));
	free(o);
	o = run(c, "show interfaces async 99", &rc);
	assert_int_equal(rc, -1);
	free(o);
	o = run(c, "show interfaces async x4", &rc);
	assert_int_equal(rc, -1);
	free(o);

	/* `clear line 4` hangs up: the route goes, counters stay */
	o = run(c, "clear line 4", &rc);
	free(o);
	assert_false(l->ip.up);
	assert_int_equal(host->nroutes, 0);
	o = run(c, "show interfaces async 4", &rc);
	assert_non_null(strstr(o, "Async4 is down, line protocol is down\n"));
	assert_non_null(strstr(o, "     2 packets input, 168 bytes, 0 no buffer\n"));
	free(o);

	ctl_free(c);
	nas_free(n);
	ev_loop_free(loop);
	free(host);
	log_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_route_and_ping_without_vj),
		cmocka_unit_test(test_tcp_both_ways_with_vj_passive),
		cmocka_unit_test(test_mtu_and_mru),
		cmocka_unit_test(test_malformed_vj_counted),
		cmocka_unit_test(test_no_interface_no_crash),
		cmocka_unit_test(test_show_interfaces_async),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

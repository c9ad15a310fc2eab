/*
 * ip_session.c - the IP data plane of a PPP session (see ip_session.h): VJ in both
 * directions, MRU/MTU, the peer's entry and route on the IP interface, per-line
 * counters, and the `show interfaces async N` / `show ip tcp header-compression` views
 *
 * SPDX-License-Identifier: MIT
 */
#include "ip_session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "ctl.h"
#include "fsm.h"
#include "lcp.h"
#include "line.h"
#include "log.h"
#include "nas.h"
#include "ppp.h"

#define VJ_OUR_MAX_SLOT	(VJ_SLOTS - 1)	/* what IPCP asks for: "VJ 15 slots" */

static const char *ipstr(uint32_t a, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

void ip_session_init(struct ip_session *is, struct tun *tun, struct ppp_session *ppp,
		     const char *sname, bool passive)
{
	memset(is, 0, sizeof(*is));
	is->tun = tun;
	is->ppp = ppp;
	is->sname = sname ? sname : "?";
	is->passive = passive;
	is->mru = LCP_DEFAULT_MRU;
	is->mtu = LCP_DEFAULT_MRU;
}

/* --- to the peer -------------------------------------------------------------------- */

/* tun_send_fn: a datagram from the host for this session's peer. */
static int session_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct ip_session *is = ctx;
	uint8_t out[IP_SESSION_BUF];
	size_t n = len;
	int proto = PPP_PROTO_IP, rc;

	if (!is->up || !is->ppp)
		return -ENOTCONN;
	if (len > is->mtu || len > sizeof(out))
		return -EMSGSIZE;		/* tun checks the MTU first; belt and braces */
	if (is->vj_tx) {
		proto = vj_compress(&is->comp, pkt, len, out, sizeof(out), &n);
		if (proto < 0)
			return proto;
		pkt = out;
	}
	rc = ppp_send(is->ppp, (uint16_t)proto, pkt, n);
	return rc < 0 ? -EIO : 0;
}

/* --- from the peer ------------------------------------------------------------------ */

void ip_session_input(struct ip_session *is, uint16_t proto, const uint8_t *data, size_t len)
{
	uint8_t buf[IP_SESSION_BUF];
	size_t n = 0;
	int rc;

	if (!is->up) {
		is->cnt.not_up++;
		return;
	}
	if (len + VJ_DECOMP_EXTRA > sizeof(buf) || (proto == PPP_PROTO_IP && len > is->mru)) {
		is->cnt.giants++;
		is->peer.stats.in_errors++;
		if (is->tun)
			is->tun->stats.in_errors++;
		return;
	}
	if (proto != PPP_PROTO_IP && !is->vj_rx) {
		is->cnt.bad_vj++;
		is->peer.stats.in_errors++;
		return;
	}
	rc = vj_decompress(&is->decomp, proto, data, len, buf, sizeof(buf), &n);
	if (rc < 0) {
		is->cnt.bad_vj++;
		is->peer.stats.in_errors++;
		if (is->tun)
			is->tun->stats.in_errors++;
		if (dbg_enabled(DBG_PPP_ERROR))
			dbg(DBG_PPP_ERROR, "%s VJ: bad %s packet, %zu bytes: %s", is->sname,
			    proto == PPP_PROTO_VJC ? "compressed" : "uncompressed", len,
			    rc == -ENOENT ? "tossed until resynchronised" : strerror(-rc));
		return;
	}
	if (proto != PPP_PROTO_IP)
		vj_comp_peer_seen(&is->comp);
	if (n > is->mru) {
		is->cnt.giants++;
		is->peer.stats.in_errors++;
		if (is->tun)
			is->tun->stats.in_errors++;
		return;
	}
	tun_write(is->tun, &is->peer, buf, n);	/* counted there */
}

/* --- up / down ---------------------------------------------------------------------- */

int ip_session_up(struct ip_session *is, uint32_t addr)
{
	const struct ppp_session *s = is->ppp;
	char a[16];
	uint16_t mtu;
	int rc;

	if (is->up)
		ip_session_down(is);
	if (!is->tun || !s)
		return -ENODEV;
	is->vj_tx = s->ipcp.his_vj;
	is->vj_rx = s->ipcp.want_vj;
	if (is->vj_tx) {
		vj_comp_init(&is->comp, s->ipcp.his_vj_slots, s->ipcp.his_vj_cslot);
		vj_comp_set_passive(&is->comp, is->passive);
	} else {
		memset(&is->comp, 0, sizeof(is->comp));
	}
	if (is->vj_rx)
		vj_decomp_init(&is->decomp, VJ_OUR_MAX_SLOT);
	else
		memset(&is->decomp, 0, sizeof(is->decomp));
	is->mru = s->lcp.want.neg_mru && s->lcp.want.mru ? s->lcp.want.mru : LCP_DEFAULT_MRU;
	/* ppp_send's frame holds LCP_DEFAULT_MRU octets of information */
	mtu = s->peer_mru && s->peer_mru < LCP_DEFAULT_MRU ? s->peer_mru : LCP_DEFAULT_MRU;
	is->mtu = mtu;
	rc = tun_peer_add(is->tun, &is->peer, addr, mtu, session_send, is);
	if (rc < 0) {
		log_err("%s: IP session for %s not started: %s", is->sname,
			ipstr(addr, a, sizeof(a)),
			rc == -EEXIST ? "another session has that address" : strerror(-rc));
		return rc;
	}
	is->peer_addr = addr;
	is->up = true;
	is->cnt.sessions++;
	if (tun_ready(is->tun)) {
		rc = tun_route_add(is->tun, addr);
		is->route = rc == 0;
		if (rc < 0)
			is->cnt.route_failures++;
	}
	return 0;
}

static void add_counters(struct tun_counters *to, const struct tun_counters *c)
{
	to->in_packets += c->in_packets;
	to->in_bytes += c->in_bytes;
	to->out_packets += c->out_packets;
	to->out_bytes += c->out_bytes;
	to->in_errors += c->in_errors;
	to->in_drops += c->in_drops;
	to->out_drops += c->out_drops;
}

static void add_comp(struct vj_comp_stats *to, const struct vj_comp_stats *c)
{
	to->packets += c->packets;
	to->tcp += c->tcp;
	to->compressed += c->compressed;
	to->uncompressed += c->uncompressed;
	to->searches += c->searches;
	to->misses += c->misses;
}

static void add_decomp(struct vj_decomp_stats *to, const struct vj_decomp_stats *d)
{
	to->compressed += d->compressed;
	to->uncompressed += d->uncompressed;
	to->errors += d->errors;
	to->tossed += d->tossed;
}

void ip_session_down(struct ip_session *is)
{
	if (!is->up)
		return;
	if (is->route && tun_ready(is->tun)) {
		tun_route_del(is->tun, is->peer_addr);
		is->route = false;
	}
	tun_peer_del(is->tun, &is->peer);
	add_counters(&is->past, &is->peer.stats);
	memset(&is->peer.stats, 0, sizeof(is->peer.stats));
	add_comp(&is->comp_past, &is->comp.stats);
	add_decomp(&is->decomp_past, &is->decomp.stats);
	memset(&is->comp.stats, 0, sizeof(is->comp.stats));
	memset(&is->decomp.stats, 0, sizeof(is->decomp.stats));
	is->up = false;
	is->vj_tx = is->vj_rx = false;
	is->peer_addr = 0;
}

void ip_session_totals(const struct ip_session *is, struct tun_counters *io,
		       struct vj_comp_stats *comp, struct vj_decomp_stats *decomp)
{
	if (io) {
		memset(io, 0, sizeof(*io));
		add_counters(io, &is->past);
		add_counters(io, &is->peer.stats);	/* zero when no call is up */
	}
	if (comp) {
		*comp = is->comp_past;
		add_comp(comp, &is->comp.stats);
	}
	if (decomp) {
		*decomp = is->decomp_past;
		add_decomp(decomp, &is->decomp.stats);
	}
}

/* --- dialbackd's kernel device ---------------------------------------------------------- */

int ip_plane_open_kernel(struct nas *n, const char *name)
{
	uint32_t addr = n->async_prof.our_addr;
	char a[16];
	int rc;

	rc = tun_open(&n->tun, n->loop, name);
	if (rc < 0) {
		log_err("IP data plane off: cannot open TUN device %s (%s); PPP sessions come up "
			"but their IP datagrams are dropped", name ? name : TUN_DEFAULT_NAME,
			strerror(-rc));
		return rc;
	}
	if (addr) {
		rc = tun_set_addr(&n->tun, addr);
		if (rc < 0)
			log_err("IP data plane: %s has no address %s: %s", n->tun.name,
				ipstr(addr, a, sizeof(a)), strerror(-rc));
	} else {
		log_warn("IP data plane: no interface address (ip unnumbered / ip address) for %s",
			 n->tun.name);
	}
	tun_set_mtu(&n->tun, LCP_DEFAULT_MRU);
	log_notice("IP data plane on %s, address %s", n->tun.name, ipstr(addr, a, sizeof(a)));
	return 0;
}

/* --- show ---------------------------------------------------------------------------- */

static const struct cfg_interface *source_if(const struct nas *n)
{
	const struct cfg_interface *ifc = n->async_if;

	if (ifc && ifc->unnumbered[0])
		return config_find_interface(n->cfg, ifc->unnumbered);
	return NULL;
}

static void show_counters(struct ip_session *is, ev_time_t now, FILE *out)
{
	struct tun_counters c;
	char buf[1024];

	ip_session_totals(is, &c, NULL, NULL);
	/* rates: sample the totals into the rate keeper */
	is->rate.in_packets = c.in_packets;
	is->rate.in_bytes = c.in_bytes;
	is->rate.out_packets = c.out_packets;
	is->rate.out_bytes = c.out_bytes;
	tun_counters_sample(&is->rate, now);
	c.in_bps = is->rate.in_bps;
	c.in_pps = is->rate.in_pps;
	c.out_bps = is->rate.out_bps;
	c.out_pps = is->rate.out_pps;
	tun_format_counters(&c, buf, sizeof(buf));
	/* "0 giants": ours counts datagrams beyond our MRU */
	char *g = strstr(buf, " 0 giants");
	if (g && is->cnt.giants) {
		char tail[1024];

		snprintf(tail, sizeof(tail), "%s", g + 9);
		snprintf(g, sizeof(buf) - (size_t)(g - buf), " %llu giants%s",
			 (unsigned long long)is->cnt.giants, tail);
	}
	fputs(buf, out);
}

int ip_session_show_interface(struct nas *n, unsigned tty, FILE *out)
{
	struct line *l;
	const struct ppp_session *s;
	const struct cfg_interface *src;
	bool link, proto;
	char a[16];

	if (tty < 1 || tty > n->nlines)
		return -1;
	l = &n->lines[tty - 1];
	s = &l->ppp;
	link = l->ppp_running && s->lcp.fsm.state != FSM_INITIAL;
	proto = l->ppp_running && s->lcp.fsm.state == FSM_OPENED;
	fprintf(out, "%s is %s, line protocol is %s\n", l->lname, link ? "up" : "down",
		proto ? "up" : "down");
	fprintf(out, "  Hardware is Async Serial\n");
	src = source_if(n);
	if (src)
		fprintf(out, "  Interface is unnumbered. Using address of %s (%s)\n", src->name,
			ipstr(config_interface_address(n->cfg, src), a, sizeof(a)));
	else if (n->async_prof.our_addr)
		fprintf(out, "  Internet address is %s/32\n",
			ipstr(n->async_prof.our_addr, a, sizeof(a)));
	fprintf(out, "  MTU %u bytes, BW 64 Kbit, DLY 100000 usec,\n", (unsigned)LCP_DEFAULT_MRU);
	fprintf(out, "     reliability 255/255, txload 1/255, rxload 1/255\n");
	fprintf(out, "  Encapsulation PPP, LCP %s, loopback not set\n",
		l->ppp_running ? fsm_state_name(s->lcp.fsm.state) : "Closed");
	fprintf(out, "  Keepalive not set\n");
	fprintf(out, "  DTR is pulsed for 5 seconds on reset\n");
	if (l->ppp_running && s->ipcp.fsm.state == FSM_OPENED)
		fprintf(out, "  Open: IPCP\n");
	else if (l->ppp_running && s->ipcp.fsm.state != FSM_INITIAL)
		fprintf(out, "  IPCP %s\n", fsm_state_name(s->ipcp.fsm.state));
	if (l->ip.up) {
		fprintf(out, "  Peer address %s, MRU %u, peer MRU %u\n",
			ipstr(l->ip.peer_addr, a, sizeof(a)), l->ip.mru, l->ip.mtu);
		if (l->ip.vj_tx || l->ip.vj_rx)
			fprintf(out, "  TCP/IP header compression: VJ, %u tx slots%s, %u rx slots%s\n",
				l->ip.vj_tx ? (unsigned)l->ip.comp.nslots : 0u,
				l->ip.vj_tx && l->ip.comp.compress_cid ? " (slot id compressed)" : "",
				l->ip.vj_rx ? (unsigned)l->ip.decomp.nslots : 0u,
				l->ip.passive ? ", passive" : "");
	}
	{
		struct vj_comp_stats c;
		struct vj_decomp_stats d;

		ip_session_totals(&l->ip, NULL, &c, &d);
		if (c.packets || d.compressed || d.uncompressed || d.errors)
			fprintf(out, "  VJ: rcvd %llu compressed, %llu uncompressed, %llu errors; "
				"sent %llu compressed, %llu uncompressed of %llu\n",
				(unsigned long long)d.compressed, (unsigned long long)d.uncompressed,
				(unsigned long long)d.errors, (unsigned long long)c.compressed,
				(unsigned long long)c.uncompressed, (unsigned long long)c.packets);
	}
	fprintf(out, "  Last clearing of \"show interface\" counters never\n");
	show_counters(&l->ip, ev_now(n->loop), out);
	return 0;
}

static int cmd_show_interfaces_async(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	char *end = NULL;
	unsigned long tty = strtoul(argv[argc - 1], &end, 10);

	if (!end || *end || ip_session_show_interface(n, (unsigned)tty, out) < 0) {
		fprintf(out, "%% Invalid input detected\n");
		return -1;
	}
	return 0;
}

static int show_interface_tun(struct nas *n, FILE *out)
{
	struct tun *t = &n->tun;
	char buf[1024], a[16];

	fprintf(out, "%s is %s, line protocol is %s\n", t->name, tun_ready(t) ? "up" : "down",
		tun_ready(t) ? "up" : "down");
	fprintf(out, "  Hardware is %s\n", t->be ? t->be->name : t->fd >= 0 ? "Tunnel (TUN)"
									  : "not open");
	if (t->addr)
		fprintf(out, "  Internet address is %s/32\n", ipstr(t->addr, a, sizeof(a)));
	fprintf(out, "  MTU %u bytes, %zu dial-in sessions\n", t->mtu ? t->mtu : 1500u, t->npeers);
	tun_counters_sample(&t->stats, ev_now(n->loop));
	tun_format_counters(&t->stats, buf, sizeof(buf));
	fputs(buf, out);
	fprintf(out, "  Drops toward sessions: %llu not IPv4, %llu bad header, %llu no session, "
		"%llu too big, %llu send failed\n",
		(unsigned long long)t->drops.not_ipv4, (unsigned long long)t->drops.bad_header,
		(unsigned long long)t->drops.no_session, (unsigned long long)t->drops.too_big,
		(unsigned long long)t->drops.send_failed);
	return 0;
}

/* `show interfaces Async4` (one word, as IOS also takes it) or `show interfaces dialback0` */
static int cmd_show_interfaces(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;
	const char *w = argv[argc - 1];
	char *end = NULL;

	if (strncasecmp(w, "async", 5) == 0 && w[5] >= '0' && w[5] <= '9') {
		unsigned long tty = strtoul(w + 5, &end, 10);

		if (*end == '\0' && ip_session_show_interface(n, (unsigned)tty, out) == 0)
			return 0;
	} else if (strcmp(w, n->tun.name) == 0) {
		return show_interface_tun(n, out);
	}
	fprintf(out, "%% Invalid input detected\n");
	return -1;
}

static int cmd_show_ip_tcp_hc(void *ctx, int argc, char **argv, FILE *out)
{
	struct nas *n = ctx;

	(void)argc;
	(void)argv;
	fprintf(out, "TCP/IP header compression statistics:\n");
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		struct vj_comp_stats c;
		struct vj_decomp_stats d;

		if (l->phase == LINE_UNUSED)
			continue;
		ip_session_totals(&l->ip, NULL, &c, &d);
		fprintf(out, "  Interface %s:%s\n", l->lname,
			l->ip.up && (l->ip.vj_tx || l->ip.vj_rx) ? "" : " (compression off)");
		fprintf(out, "    Rcvd:    %llu total, %llu compressed, %llu errors\n",
			(unsigned long long)(d.compressed + d.uncompressed + d.errors),
			(unsigned long long)d.compressed, (unsigned long long)d.errors);
		fprintf(out, "             %llu dropped, 0 buffer copies, 0 buffer failures\n",
			(unsigned long long)d.tossed);
		fprintf(out, "    Sent:    %llu total, %llu compressed\n",
			(unsigned long long)c.packets, (unsigned long long)c.compressed);
		fprintf(out, "    Connect: %u rx slots, %u tx slots, %llu long searches, %llu misses\n",
			l->ip.up && l->ip.vj_rx ? (unsigned)l->ip.decomp.nslots : 0u,
			l->ip.up && l->ip.vj_tx ? (unsigned)l->ip.comp.nslots : 0u,
			(unsigned long long)c.searches, (unsigned long long)c.misses);
	}
	return 0;
}

void ip_session_register_commands(struct nas *n, struct ctl *c)
{
	ctl_register(c, "show interfaces async", 1, 1, cmd_show_interfaces_async, n,
		     "an async interface: state, PPP, IP counters");
	ctl_register(c, "show interfaces", 1, 1, cmd_show_interfaces, n,
		     "AsyncN, or the dial-in sessions' IP interface (dialback0)");
	ctl_register(c, "show ip tcp header-compression", 0, 0, cmd_show_ip_tcp_hc, n,
		     "VJ header compression per async interface");
}

/*
 * ipcp.c - PPP IP Control Protocol (RFC 1332, RFC 1877 name servers) on fsm.c
 *
 * Reproduces the seed's exchange: we ask for VJ (15 slots) and our unnumbered
 * address; the client's request for address 0.0.0.0 plus DNS/WINS is answered with a
 * Configure-Reject of the name-server options we have no value for (Nak with the
 * value when configured), then a Nak with the pool address, then an Ack.
 *
 * SPDX-License-Identifier: MIT
 */
#include "ipcp.h"

#include <stdio.h>
#include <string.h>

#include "aaa.h"
#include "ippool.h"
#include "log.h"
#include "ppp.h"

#define VJ_MAX_SLOT_ID	15

static inline struct ipcp *ipcp_of(struct fsm *f) { return (struct ipcp *)f; }

static const char *ipstr(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

static const char *ns_name(uint8_t t)
{
	switch (t) {
	case IPCP_OPT_DNS1: return "PrimaryDNS";
	case IPCP_OPT_WINS1: return "PrimaryWINS";
	case IPCP_OPT_DNS2: return "SecondaryDNS";
	case IPCP_OPT_WINS2: return "SecondaryWINS";
	default: return "?";
	}
}

static void ipcp_print_opts(struct fsm *f, const uint8_t *p, size_t len)
{
	const char *sn = f->sess->sname;
	char hex[2 * 64 + 8], a[16];

	while (len > 0) {
		size_t ol = len >= 2 ? p[1] : 0;

		if (len < 2 || ol < 2 || ol > len) {
			ppp_hex(hex, sizeof(hex), p, len);
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Malformed option (%s)", sn, hex);
			return;
		}
		ppp_hex(hex, sizeof(hex), p, ol);
		if (p[0] == IPCP_OPT_COMP && ol == 6 && ppp_get16(p + 2) == PPP_PROTO_VJC) {
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: CompressType VJ %u slots%s (%s)", sn, p[4],
			    p[5] ? " CompressSlotID" : "", hex);
		} else if (p[0] == IPCP_OPT_COMP && ol >= 4) {
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: CompressType 0x%04X (%s)", sn,
			    ppp_get16(p + 2), hex);
		} else if (p[0] == IPCP_OPT_ADDR && ol == 6) {
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Address %s (%s)", sn,
			    ipstr(ppp_get32(p + 2), a), hex);
		} else if (p[0] >= IPCP_OPT_DNS1 && p[0] <= IPCP_OPT_WINS2 && ol == 6) {
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: %s %s (%s)", sn, ns_name(p[0]),
			    ipstr(ppp_get32(p + 2), a), hex);
		} else {
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Option %u (%s)", sn, p[0], hex);
		}
		p += ol;
		len -= ol;
	}
}

static void ipcp_resetci(struct fsm *f)
{
	struct ipcp *ip = ipcp_of(f);
	const struct ppp_profile *pr = f->sess->prof;

	ip->want_vj = pr->vj;
	if (pr->client) {
		ip->want_addr_neg = true;
		ip->want_addr = 0;
		ip->want_dns_neg[0] = ip->want_dns_neg[1] = true;
		ip->want_dns[0] = ip->want_dns[1] = 0;
	} else {
		ip->want_addr = pr->our_addr;
		ip->want_addr_neg = pr->our_addr != 0;
		ip->want_dns_neg[0] = ip->want_dns_neg[1] = false;
	}
}

static size_t ipcp_addci(struct fsm *f, uint8_t *b, size_t room)
{
	struct ipcp *ip = ipcp_of(f);
	size_t n = 0;

	if (room < 32)
		return 0;
	if (ip->want_vj) {
		b[n] = IPCP_OPT_COMP; b[n + 1] = 6; ppp_put16(b + n + 2, PPP_PROTO_VJC);
		b[n + 4] = VJ_MAX_SLOT_ID; b[n + 5] = f->sess->prof->client ? 1 : 0;
		n += 6;
	}
	if (ip->want_addr_neg) {
		b[n] = IPCP_OPT_ADDR; b[n + 1] = 6; ppp_put32(b + n + 2, ip->want_addr); n += 6;
	}
	for (int i = 0; i < 2; i++) {
		if (ip->want_dns_neg[i]) {
			b[n] = i ? IPCP_OPT_DNS2 : IPCP_OPT_DNS1; b[n + 1] = 6;
			ppp_put32(b + n + 2, ip->want_dns[i]);
			n += 6;
		}
	}
	return n;
}

static int ipcp_ackci(struct fsm *f, const uint8_t *p, size_t len)
{
	uint8_t buf[64];
	size_t n = ipcp_addci(f, buf, sizeof(buf));

	return n == len && memcmp(buf, p, n) == 0;
}

static int ipcp_nakci(struct fsm *f, const uint8_t *p, size_t len, bool treat_as_reject)
{
	struct ipcp *ip = ipcp_of(f);
	bool client = f->sess->prof->client;

	while (len > 0) {
		size_t ol;

		if (len < 2 || p[1] < 2 || p[1] > len)
			return 0;
		ol = p[1];
		switch (p[0]) {
		case IPCP_OPT_COMP:
			if (ip->want_vj && (treat_as_reject || ol != 6 ||
					    ppp_get16(p + 2) != PPP_PROTO_VJC))
				ip->want_vj = false;
			break;
		case IPCP_OPT_ADDR:
			if (ol != 6)
				return 0;
			if (ip->want_addr_neg) {
				if (treat_as_reject)
					ip->want_addr_neg = false;
				else if (client)
					ip->want_addr = ppp_get32(p + 2);
			}
			break;
		case IPCP_OPT_DNS1: case IPCP_OPT_DNS2: {
			int i = p[0] == IPCP_OPT_DNS2;
			if (ol != 6)
				return 0;
			if (ip->want_dns_neg[i]) {
				if (treat_as_reject)
					ip->want_dns_neg[i] = false;
				else
					ip->want_dns[i] = ppp_get32(p + 2);
			}
			break;
		}
		default:
			break;
		}
		p += ol;
		len -= ol;
	}
	return 1;
}

static int ipcp_rejci(struct fsm *f, const uint8_t *p, size_t len)
{
	struct ipcp *ip = ipcp_of(f);
	struct ipcp w = *ip;

	while (len > 0) {
		size_t ol;

		if (len < 2 || p[1] < 2 || p[1] > len)
			return 0;
		ol = p[1];
		switch (p[0]) {
		case IPCP_OPT_COMP: if (!w.want_vj) return 0; w.want_vj = false; break;
		case IPCP_OPT_ADDR: if (!w.want_addr_neg) return 0; w.want_addr_neg = false; break;
		case IPCP_OPT_DNS1: if (!w.want_dns_neg[0]) return 0; w.want_dns_neg[0] = false; break;
		case IPCP_OPT_DNS2: if (!w.want_dns_neg[1]) return 0; w.want_dns_neg[1] = false; break;
		default: return 0;
		}
		p += ol;
		len -= ol;
	}
	ip->want_vj = w.want_vj;
	ip->want_addr_neg = w.want_addr_neg;
	ip->want_dns_neg[0] = w.want_dns_neg[0];
	ip->want_dns_neg[1] = w.want_dns_neg[1];
	return 1;
}

/* The address we give the peer: allocated from the pool on first need. */
static uint32_t peer_address(struct ppp_session *s, uint32_t her)
{
	struct ipcp *ip = &s->ipcp;
	const struct ppp_profile *pr = s->prof;
	struct aaa_port port = { s->sname, s->lname, s->rem_addr, NULL };
	char a[16];

	if (pr->aaa)
		aaa_author_ipcp_addr(pr->aaa, &port, s->user, her, ip->pool_addr);
	if (ip->pool_addr == 0 && pr->pool) {
		dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Using pool '%s'", s->sname,
		    pr->pool_name ? pr->pool_name : "default");
		ip->pool_addr = ippool_alloc(pr->pool);
		if (ip->pool_addr)
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Pool returned %s", s->sname,
			    ipstr(ip->pool_addr, a));
		else
			dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Pool '%s' exhausted", s->sname,
			    pr->pool_name ? pr->pool_name : "default");
	}
	return ip->pool_addr;
}

static int ipcp_reqci(struct fsm *f, const uint8_t *in, size_t len, uint8_t *out,
		      size_t *outlen, size_t room, bool reject_if_disagree)
{
	struct ipcp *ip = ipcp_of(f);
	struct ppp_session *s = f->sess;
	const struct ppp_profile *pr = s->prof;
	uint8_t nak[256];
	size_t naklen = 0, rejlen = 0;
	const uint8_t *p = in;
	size_t rem = len;

	ip->his_vj = false;
	ip->his_addr = 0;
	while (rem > 0) {
		size_t ol;
		bool rej = false, isnak = false;
		uint8_t nb[8];

		if (rem < 2 || p[1] < 2 || p[1] > rem) {
			fsm_ci_append(out, &rejlen, room, p, rem);
			s->stats.bad_packets++;
			break;
		}
		ol = p[1];
		switch (p[0]) {
		case IPCP_OPT_COMP:
			if (!pr->vj || ol != 6 || ppp_get16(p + 2) != PPP_PROTO_VJC) {
				rej = true;
				break;
			}
			ip->his_vj = true;
			ip->his_vj_slots = p[4];
			ip->his_vj_cslot = p[5] != 0;
			break;
		case IPCP_OPT_ADDR: {
			uint32_t her, want;

			if (ol != 6) { rej = true; break; }
			her = ppp_get32(p + 2);
			if (pr->client) {
				if (her == 0) { rej = true; break; }
				ip->his_addr = her;
				break;
			}
			want = peer_address(s, her);
			if (want == 0) {
				rej = true;		/* nothing to give */
			} else if (her != want) {
				isnak = true;
				nb[0] = IPCP_OPT_ADDR; nb[1] = 6; ppp_put32(nb + 2, want);
			} else {
				ip->his_addr = her;
			}
			break;
		}
		case IPCP_OPT_DNS1: case IPCP_OPT_WINS1: case IPCP_OPT_DNS2: case IPCP_OPT_WINS2: {
			unsigned i = (p[0] == IPCP_OPT_DNS2 || p[0] == IPCP_OPT_WINS2);
			bool dns = (p[0] == IPCP_OPT_DNS1 || p[0] == IPCP_OPT_DNS2);
			uint32_t v = pr->client ? 0 : (dns ? pr->dns[i] : pr->wins[i]);

			if (ol != 6 || v == 0) { rej = true; break; }
			if (ppp_get32(p + 2) != v) {
				isnak = true;
				nb[0] = p[0]; nb[1] = 6; ppp_put32(nb + 2, v);
			}
			break;
		}
		default:
			rej = true;	/* IP-Addresses (1, deprecated), IPHC, mobile IPv4 ... */
			break;
		}
		if (isnak && reject_if_disagree)
			rej = true;
		if (rej)
			fsm_ci_append(out, &rejlen, room, p, ol);
		else if (isnak)
			fsm_ci_append(nak, &naklen, sizeof(nak), nb, 6);
		p += ol;
		rem -= ol;
	}
	if (rejlen || naklen)
		return fsm_ci_verdict(out, outlen, rejlen, nak, naklen);
	if (!pr->client && ip->his_addr == 0) {
		/* The peer must take an address: Nak one (RFC 1332 3.3) */
		uint32_t want = peer_address(s, 0);
		if (want && !reject_if_disagree) {
			out[0] = IPCP_OPT_ADDR; out[1] = 6; ppp_put32(out + 2, want);
			*outlen = 6;
			return CP_CONFNAK;
		}
	}
	if (len > room)
		len = room;
	memcpy(out, in, len);
	*outlen = len;
	return CP_CONFACK;
}

static void ipcp_up(struct fsm *f)
{
	struct ipcp *ip = ipcp_of(f);
	struct ppp_session *s = f->sess;
	char a[16];

	if (s->prof->client) {
		if (s->ops->ip_up)
			s->ops->ip_up(s->ctx, ip->want_addr);
		return;
	}
	if (ip->his_addr == 0) {
		/* the pool had nothing for the peer: no route, no session */
		dbg(DBG_PPP_NEGOTIATION, "%s IPCP: No address for peer, closing", s->sname);
		ppp_close(s, "No IP address");
		return;
	}
	dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Install route to %s", s->sname, ipstr(ip->his_addr, a));
	ip->route_installed = true;
	if (s->ops->ip_up)
		s->ops->ip_up(s->ctx, ip->his_addr);
	ppp_lineproto_up(s);
}

static void ipcp_down(struct fsm *f)
{
	struct ipcp *ip = ipcp_of(f);
	struct ppp_session *s = f->sess;
	char a[16];

	if (ip->route_installed) {
		dbg(DBG_PPP_NEGOTIATION, "%s IPCP: Remove route to %s", s->sname,
		    ipstr(ip->his_addr, a));
		ip->route_installed = false;
	}
	if (s->ops->ip_down)
		s->ops->ip_down(s->ctx, s->prof->client ? ip->want_addr : ip->his_addr);
}

const struct fsm_callbacks ipcp_callbacks = {
	.name = "IPCP",
	.proto = PPP_PROTO_IPCP,
	.resetci = ipcp_resetci,
	.addci = ipcp_addci,
	.ackci = ipcp_ackci,
	.nakci = ipcp_nakci,
	.rejci = ipcp_rejci,
	.reqci = ipcp_reqci,
	.up = ipcp_up,
	.down = ipcp_down,
	.print_opts = ipcp_print_opts,
};

void ipcp_init(struct ipcp *ip, struct ppp_session *s)
{
	memset(ip, 0, sizeof(*ip));
	fsm_init(&ip->fsm, s, &ipcp_callbacks, NULL);
	ip->fsm.own_id = 1;
}

void ipcp_release(struct ipcp *ip)
{
	struct ppp_session *s = ip->fsm.sess;

	if (ip->pool_addr && s && s->prof->pool)
		ippool_release(s->prof->pool, ip->pool_addr);
	ip->pool_addr = 0;
}

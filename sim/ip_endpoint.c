/*
 * ip_endpoint.c - the co-simulation's in-process IP endpoint (see ip_endpoint.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "ip_endpoint.h"
#include "inet_csum.h"

#include <errno.h>
#include <string.h>

#include "nas.h"

#define ICMP_ECHO_REPLY		0
#define ICMP_ECHO_REQUEST	8
#define IP_PROTO_ICMP		1
#define REPLY_DELAY		EV_MSEC

static const struct tun_backend ip_endpoint_backend;

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void flush(struct ev_timer *t, void *arg)
{
	struct ip_endpoint *ep = arg;

	(void)t;
	while (ep->count) {
		unsigned i = ep->head;

		ep->head = (ep->head + 1) % IPEP_QUEUE;
		ep->count--;
		if (tun_dispatch(ep->tun, ep->q[i], ep->qlen[i]) == 0)
			ep->stats.echo_replies++;
		else
			ep->stats.reply_failed++;
	}
}

/* tun_backend.output: a datagram from a session (header already checked by tun). */
static int ep_output(void *ctx, const uint8_t *pkt, size_t len)
{
	struct ip_endpoint *ep = ctx;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;

	ep->stats.received++;
	if (len < ihl + 8 || len > IPEP_MAX_PKT || pkt[9] != IP_PROTO_ICMP ||
	    get32(pkt + 16) != ep->tun->addr || pkt[ihl] != ICMP_ECHO_REQUEST ||
	    (get16(pkt + 6) & 0x3fff) != 0 || inet_csum(pkt + ihl, len - ihl) != 0) {
		ep->stats.ignored++;
		return 0;		/* a host that does not answer: still "delivered" */
	}
	ep->stats.echo_requests++;
	if (ep->count == IPEP_QUEUE) {
		ep->stats.queue_full++;
		return 0;
	}
	unsigned slot = (ep->head + ep->count) % IPEP_QUEUE;
	uint8_t *r = ep->q[slot];

	memcpy(r, pkt, len);
	memcpy(r + 16, pkt + 12, 4);		/* dst = the sender */
	memcpy(r + 12, pkt + 16, 4);		/* src = us */
	r[8] = 64;				/* ttl */
	put16(r + 10, 0);
	put16(r + 10, inet_csum(r, ihl));
	r[ihl] = ICMP_ECHO_REPLY;
	put16(r + ihl + 2, 0);
	put16(r + ihl + 2, inet_csum(r + ihl, len - ihl));
	ep->qlen[slot] = (uint16_t)len;
	ep->count++;
	if (!ev_timer_active(&ep->timer))
		ev_timer_start(ep->loop, &ep->timer, REPLY_DELAY);
	return 0;
}

static int ep_route_add(void *ctx, uint32_t addr)
{
	struct ip_endpoint *ep = ctx;

	if (ip_endpoint_has_route(ep, addr))
		return 0;
	if (ep->nroutes == IPEP_ROUTES)
		return -ENOSPC;
	ep->routes[ep->nroutes++] = addr;
	ep->stats.routes_added++;
	return 0;
}

static int ep_route_del(void *ctx, uint32_t addr)
{
	struct ip_endpoint *ep = ctx;

	for (unsigned i = 0; i < ep->nroutes; i++) {
		if (ep->routes[i] == addr) {
			ep->routes[i] = ep->routes[--ep->nroutes];
			ep->stats.routes_removed++;
			return 0;
		}
	}
	return -ESRCH;
}

static const struct tun_backend ip_endpoint_backend = {
	.name = "sim0", .output = ep_output, .route_add = ep_route_add,
	.route_del = ep_route_del,
};

bool ip_endpoint_has_route(const struct ip_endpoint *ep, uint32_t addr)
{
	for (unsigned i = 0; i < ep->nroutes; i++)
		if (ep->routes[i] == addr)
			return true;
	return false;
}

void ip_endpoint_attach(struct ip_endpoint *ep, struct ev_loop *loop, struct tun *tun,
			uint32_t addr)
{
	memset(ep, 0, sizeof(*ep));
	ep->tun = tun;
	ep->loop = loop;
	ev_timer_init(&ep->timer, flush, ep);
	tun_set_backend(tun, &ip_endpoint_backend, ep);
	tun_set_addr(tun, addr);
	tun_set_mtu(tun, 1500);
}

void ip_endpoint_attach_nas(struct ip_endpoint *ep, struct nas *n)
{
	ip_endpoint_attach(ep, n->loop, &n->tun, n->async_prof.our_addr);
}

void ip_endpoint_detach(struct ip_endpoint *ep)
{
	if (!ep->tun)
		return;
	ev_timer_stop(ep->loop, &ep->timer);
	if (ep->tun->be == &ip_endpoint_backend)
		tun_set_backend(ep->tun, NULL, NULL);
	ep->tun = NULL;
}

/*
 * ip_endpoint.h - the co-simulation's stand-in for the host's IP stack behind the
 * daemon's TUN interface: a tun_backend (host/tun.h) that needs no root
 *
 * It answers ICMP echo requests addressed to the NAS's own address (the interface
 * address, `ip unnumbered Ethernet0`) with echo replies, one simulated millisecond
 * later, through tun_dispatch() - the same path a datagram from the kernel's TUN takes
 * (destination lookup, MTU, VJ, PPP).  Everything else is counted and dropped.  It
 * also records the /32 routes the sessions install and remove.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_IP_ENDPOINT_H
#define DIALBACK_SIM_IP_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"
#include "tun.h"

#define IPEP_QUEUE	16
#define IPEP_MAX_PKT	1500
#define IPEP_ROUTES	64

struct nas;

struct ip_endpoint_stats {
	uint64_t received;		/*!< datagrams from the sessions */
	uint64_t echo_requests;		/*!< ICMP echo requests to our address */
	uint64_t echo_replies;		/*!< replies handed to tun_dispatch() and accepted */
	uint64_t reply_failed;		/*!< tun_dispatch() refused the reply */
	uint64_t ignored;		/*!< not an echo to our address */
	uint64_t queue_full;
	uint64_t routes_added, routes_removed;
};

struct ip_endpoint {
	struct tun *tun;
	struct ev_loop *loop;
	struct ev_timer timer;
	uint8_t  q[IPEP_QUEUE][IPEP_MAX_PKT];
	uint16_t qlen[IPEP_QUEUE];
	unsigned head, count;
	uint32_t routes[IPEP_ROUTES];	/*!< installed /32 routes, host order */
	unsigned nroutes;
	struct ip_endpoint_stats stats;
};

/* Become the backend of `tun` (on `loop`), interface address `addr` (host order). */
void ip_endpoint_attach(struct ip_endpoint *ep, struct ev_loop *loop, struct tun *tun,
			uint32_t addr);
/* The NAS's interface, with the Group-Async's address. */
void ip_endpoint_attach_nas(struct ip_endpoint *ep, struct nas *n);
void ip_endpoint_detach(struct ip_endpoint *ep);
/* Whether a /32 route to addr is installed. */
bool ip_endpoint_has_route(const struct ip_endpoint *ep, uint32_t addr);

#endif /* DIALBACK_SIM_IP_ENDPOINT_H */

/*
 * ipcp.h - PPP IP Control Protocol (RFC 1332) with RFC 1877 name servers
 *
 * Our address: the interface's (`ip unnumbered Ethernet0` -> Ethernet0's address).
 * Peer address: from `peer default ip address pool NAME` (+ `ip local pool`).
 * DNS/WINS (0x81-0x84): Nak with configured values, Configure-Reject when none.
 * VJ (option 2, 0x002D): accepted when `ip tcp header-compression [passive]` is on,
 * and requested by us (15 slots, no slot-id compression) like the seed's IOS.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_IPCP_H
#define DIALBACK_IPCP_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

#define PPP_PROTO_IPCP	0x8021
#define PPP_PROTO_IP	0x0021
#define PPP_PROTO_VJC	0x002D
#define PPP_PROTO_VJUC	0x002F

enum ipcp_opt {
	IPCP_OPT_ADDRS = 1, IPCP_OPT_COMP = 2, IPCP_OPT_ADDR = 3,
	IPCP_OPT_DNS1 = 129, IPCP_OPT_WINS1 = 130, IPCP_OPT_DNS2 = 131, IPCP_OPT_WINS2 = 132
};

struct ipcp {
	struct fsm fsm;
	/* ours */
	uint32_t want_addr;		/*!< host order */
	uint32_t want_dns[2];		/*!< client role */
	bool want_vj, want_addr_neg, want_dns_neg[2];
	/* the peer's, as acked */
	uint32_t his_addr;
	uint32_t pool_addr;		/*!< allocated from the pool, 0 none */
	uint8_t his_vj_slots;
	bool his_vj, his_vj_cslot;
	bool route_installed;
};

struct ppp_session;
void ipcp_init(struct ipcp *ip, struct ppp_session *s);
void ipcp_release(struct ipcp *ip);	/* give back the pool address */
extern const struct fsm_callbacks ipcp_callbacks;

#endif /* DIALBACK_IPCP_H */

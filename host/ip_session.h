/*
 * ip_session.h - the IP data plane of one PPP session: the line's link between its
 * PPP session and the daemon's IP interface (host/tun.h), with VJ TCP/IP header
 * compression (host/vj.h) when IPCP negotiated it
 *
 * One struct ip_session is embedded in each tty line and lives as long as the line;
 * a call's IP life is ip_session_up() (IPCP opened) ... ip_session_down() (IPCP
 * closed, hang-up).  Nothing is allocated.
 *
 *   from the peer:  PPP 0x0021 / 0x002D / 0x002F -> ip_session_input() -> VJ
 *                   decompress -> MRU check -> tun_write() -> kernel (or sim endpoint)
 *   to the peer:    TUN read -> tun_dispatch() (destination lookup, MTU check) ->
 *                   the session's send -> VJ compress (if the peer asked for it) ->
 *                   ppp_send()
 *
 * Up: the peer's address goes into the interface's address table and gets a /32
 * route through the interface (the debug text "As4 IPCP: Install route to ..." is
 * IPCP's own); down: both removed.  With no interface (no TUN opened, no backend)
 * the session still counts what the peer sends (as drops) and installs no route.
 *
 * VJ: the compressor follows the PEER's IPCP option (slots, slot-id compression),
 * `ip tcp header-compression passive` holds it back until the peer compresses; the
 * decompressor follows ours (max slot id 15).  MTU: datagrams to the peer longer than
 * its MRU are dropped and counted (interface "too big", line output drops); datagrams
 * from the peer longer than our MRU are dropped and counted as giants.
 *
 * Counters are per line and survive calls (like IOS interface counters): the live
 * session's tun_peer counters plus those of the calls before it.  `show interfaces
 * async N` and `show ip tcp header-compression` print them (ip_session_register_commands).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_IP_SESSION_H
#define DIALBACK_IP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tun.h"
#include "vj.h"

struct ppp_session;
struct nas;
struct ctl;

/* Room for the largest frame the card hands up (its MRU 1600) plus what VJ adds. */
#define IP_SESSION_BUF	(2048 + VJ_DECOMP_EXTRA)

struct ip_session_counters {
	uint64_t giants;		/*!< from the peer, longer than our MRU */
	uint64_t bad_vj;		/*!< VJ packets that failed to decompress (or tossed) */
	uint64_t not_up;		/*!< datagrams while no IP session was up */
	uint64_t sessions;		/*!< IPCP openings */
	uint64_t route_failures;	/*!< route could not be installed */
};

struct ip_session {
	struct tun *tun;		/*!< the daemon's IP interface (may be not ready) */
	struct ppp_session *ppp;	/*!< the line's PPP session */
	const char *sname;		/*!< "As4" */
	bool passive;			/*!< ip tcp header-compression passive */
	bool up;			/*!< IPCP open: the peer is in the address table */
	bool route;			/*!< its /32 route is installed */
	bool vj_tx, vj_rx;		/*!< compress to the peer / accept VJ from it */
	uint32_t peer_addr;		/*!< host order */
	uint16_t mru;			/*!< ours: longest datagram we accept */
	uint16_t mtu;			/*!< the peer's MRU: longest datagram we send */
	struct tun_peer peer;		/*!< entry in tun's address table, live counters */
	struct vj_comp comp;
	struct vj_decomp decomp;
	/* totals of the calls before the live one */
	struct tun_counters past;
	struct vj_comp_stats comp_past;
	struct vj_decomp_stats decomp_past;
	struct ip_session_counters cnt;
	struct tun_counters rate;	/*!< 5-minute rates, sampled at `show` time */
};

/* Once per line. */
void ip_session_init(struct ip_session *is, struct tun *tun, struct ppp_session *ppp,
		     const char *sname, bool passive);
/* IPCP opened with peer address `addr` (host order).  0 or -errno (counted, logged). */
int  ip_session_up(struct ip_session *is, uint32_t addr);
/* IPCP closed / hang-up: route and table entry removed, counters kept.  Idempotent. */
void ip_session_down(struct ip_session *is);
/* A PPP datagram from the peer (protocol 0x0021, 0x002D or 0x002F, payload only). */
void ip_session_input(struct ip_session *is, uint16_t proto, const uint8_t *data, size_t len);

/* Line totals: past calls + the live one. */
void ip_session_totals(const struct ip_session *is, struct tun_counters *io,
		       struct vj_comp_stats *comp, struct vj_decomp_stats *decomp);

/* `show interfaces async N`, `show interfaces dialback0` (the IP interface) and
 * `show ip tcp header-compression`, on the NAS's lines. */
void ip_session_register_commands(struct nas *n, struct ctl *c);
/* The text of `show interfaces async N` for tty N (for tests); -1 no such line. */
int  ip_session_show_interface(struct nas *n, unsigned tty, FILE *out);

/*
 * dialbackd: open the kernel TUN device `name` (NULL: dialback0) as the NAS's IP
 * interface, with the Group-Async's unnumbered address and MTU 1500.  On failure
 * (no /dev/net/tun, no CAP_NET_ADMIN) it logs why and returns -errno; the daemon keeps
 * running without an IP data plane (sessions come up, their datagrams are dropped).
 */
int  ip_plane_open_kernel(struct nas *n, const char *name);

#endif /* DIALBACK_IP_SESSION_H */

/*
 * tun.h - the daemon's IP interface: one Linux TUN device (`dialback0`, IFF_TUN |
 * IFF_NO_PI) for all dial-in sessions, per-session /32 host routes through rtnetlink,
 * and the table from a peer's address to its session.
 *
 * Direction words follow IOS's `show interfaces async`: "input" is what the dial-up
 * peers send (session -> tun_write() -> kernel), "output" is what goes to them
 * (kernel -> TUN read -> tun_dispatch() -> the session's send callback).
 *
 * The device takes the `ip unnumbered Ethernet0` address as a /32 (tun_set_addr);
 * each session's peer address gets a /32 route on the device (tun_route_add/del)
 * and an entry in the address table (tun_peer_add/del).  The session owner embeds
 * a struct tun_peer; nothing is allocated per session.
 *
 * Only IPv4 datagrams with a sane header (version 4, IHL >= 5, header and total
 * length within the packet) pass in either direction; the rest are dropped and
 * counted.  System errors (no /dev/net/tun, no CAP_NET_ADMIN) are logged with what
 * failed and returned as -errno.
 *
 * Binding to a PPP session: host/ip_session.c (one struct ip_session per line holds
 * the struct tun_peer, the VJ compressor/decompressor and the line's counters).
 *
 * Backends: the kernel device (tun_open) is dialbackd's; a struct tun_backend
 * (tun_set_backend) takes its place where there is no root, e.g. the co-simulation's
 * in-process IP endpoint (sim/ip_endpoint.c) and unit tests' stubs.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TUN_H
#define DIALBACK_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define TUN_DEFAULT_NAME	"dialback0"
#define TUN_DEV_PATH		"/dev/net/tun"
#define TUN_MAX_PACKET		65535

/* Counters of one session or of the whole interface. */
struct tun_counters {
	uint64_t in_packets, in_bytes;		/*!< from the peer(s), passed to the kernel */
	uint64_t out_packets, out_bytes;	/*!< to the peer(s) */
	uint64_t in_errors;			/*!< bad datagrams from the peer(s) */
	uint64_t in_drops;			/*!< good ones the kernel did not take */
	uint64_t out_drops;			/*!< to the peer(s) but not sent */
	/* 5-minute rates, exponentially decayed (tun_counters_sample) */
	double   in_bps, in_pps, out_bps, out_pps;
	bool     sampling;			/*!< a first sample was taken */
	ev_time_t sampled;			/*!< time of the last sample */
	uint64_t s_in_packets, s_in_bytes, s_out_packets, s_out_bytes;
};

/* Why the interface dropped datagrams coming from the kernel. */
struct tun_drops {
	uint64_t not_ipv4;		/*!< IPv6 and others */
	uint64_t bad_header;		/*!< IHL < 5, lengths beyond the packet */
	uint64_t no_session;		/*!< no session has the destination address */
	uint64_t too_big;		/*!< longer than the session's MTU */
	uint64_t send_failed;		/*!< the session's send returned an error */
	uint64_t read_errors;		/*!< read() on the TUN failed (not EAGAIN) */
};

/*
 * Where datagrams for the host go when no kernel device is open: a backend of function
 * pointers (the co-simulation's in-process IP endpoint, sim/ip_endpoint.c, needs no
 * root).  output() takes a datagram from a session; the backend answers by calling
 * tun_dispatch() later (from a timer, never inside output()).  route_add/route_del
 * may be NULL.  With a backend set, tun_set_addr/tun_set_mtu only record the values.
 */
struct tun_backend {
	const char *name;
	int (*output)(void *ctx, const uint8_t *pkt, size_t len);	/*!< 0 or -errno */
	int (*route_add)(void *ctx, uint32_t addr);
	int (*route_del)(void *ctx, uint32_t addr);
};

/* A session's datagram sender: 0 or -errno.  Called from the loop (TUN readable);
 * it must not free or unlink its own tun_peer (defer that to a timer), nor tun_fini(). */
typedef int (*tun_send_fn)(void *ctx, const uint8_t *pkt, size_t len);

/* Embedded in the session owner.  Fill via tun_peer_add(). */
struct tun_peer {
	uint32_t addr;			/*!< peer address, host order */
	uint16_t mtu;			/*!< peer's MRU; longer datagrams dropped, 0 none */
	bool     linked;
	tun_send_fn send;
	void    *ctx;
	struct tun_counters stats;
	struct tun_peer *next;		/*!< hash chain */
};

struct tun {
	struct ev_loop *loop;
	int      fd;			/*!< -1 until tun_open() */
	int      ifindex;
	char     name[16];
	uint32_t addr;			/*!< interface address, host order, 0 none */
	unsigned mtu;
	struct ev_io io;
	struct tun_peer **bucket;	/*!< address table, 1 << hbits chains */
	uint8_t  hbits;
	size_t   npeers;
	struct tun_counters stats;
	struct tun_drops drops;
	uint32_t nl_seq;
	uint8_t *rxbuf;			/*!< TUN_MAX_PACKET octets, from tun_open() */
	const struct tun_backend *be;	/*!< instead of the kernel device, or NULL */
	void    *be_ctx;
};

/* Pure setup: no device, no allocation.  tun_fini() undoes tun_init/tun_open. */
void tun_init(struct tun *t);
void tun_fini(struct tun *t);

/*
 * Create (or attach to) TUN device `name` (NULL: TUN_DEFAULT_NAME), non-blocking,
 * read through an ev_io on `loop`.  0 or -errno (logged).  tun_open_dev() names the
 * clone device (tests).
 */
int tun_open(struct tun *t, struct ev_loop *loop, const char *name);
int tun_open_dev(struct tun *t, struct ev_loop *loop, const char *name, const char *dev);

/* Use `be` (ctx) instead of a kernel device (which must not be open); NULL detaches. */
void tun_set_backend(struct tun *t, const struct tun_backend *be, void *ctx);
/* A kernel device is open or a backend is set: datagrams have somewhere to go. */
bool tun_ready(const struct tun *t);

/* Interface address (ip unnumbered source) as a /32, and the link up.  0 or -errno. */
int tun_set_addr(struct tun *t, uint32_t addr);
/* Interface MTU (the negotiated MRU; IOS default 1500).  0 or -errno. */
int tun_set_mtu(struct tun *t, unsigned mtu);
/* /32 host route to a peer through the device (replaces an existing one). */
int tun_route_add(struct tun *t, uint32_t addr);
/* Remove it: 0, -ESRCH when there was none, other -errno. */
int tun_route_del(struct tun *t, uint32_t addr);

/* Address table.  -EEXIST when another session has `addr`, -EINVAL for 0. */
int  tun_peer_add(struct tun *t, struct tun_peer *p, uint32_t addr, uint16_t mtu,
		  tun_send_fn send, void *ctx);
void tun_peer_del(struct tun *t, struct tun_peer *p);		/* idempotent */
struct tun_peer *tun_peer_find(const struct tun *t, uint32_t addr);

/* 0 for an IPv4 datagram with a sane header; -EPROTO not IPv4; -EINVAL bad header. */
int tun_check_ipv4(const uint8_t *pkt, size_t len);

/*
 * A datagram from the kernel (what the TUN read gives): check, look up the
 * destination, hand it to that session's send.  0 or -errno (counted).
 */
int tun_dispatch(struct tun *t, const uint8_t *pkt, size_t len);

/*
 * A datagram from session `from` (may be NULL) to the kernel.  0, or -errno
 * (counted): -EPROTO/-EINVAL bad datagram, -EBADF no device, -EAGAIN queue full.
 */
int tun_write(struct tun *t, struct tun_peer *from, const uint8_t *pkt, size_t len);

/* Update the 5-minute rates (call every few seconds; first call just records). */
void tun_counters_sample(struct tun_counters *c, ev_time_t now);

/*
 * The counters part of `show interfaces async N` (or of dialback0), IOS layout,
 * lines ending in '\n'.  Returns the length snprintf would give.
 */
int tun_format_counters(const struct tun_counters *c, char *buf, size_t size);

#endif /* DIALBACK_TUN_H */

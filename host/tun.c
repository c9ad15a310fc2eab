/*
 * tun.c - the daemon's TUN interface (dialback0): device setup, /32 routes and the
 * address through rtnetlink, the peer-address table, datagram checks, counters.
 *
 * rtnetlink requests are synchronous: one NETLINK_ROUTE socket per request, the
 * kernel's ACK read at once (it answers route/address requests without sleeping);
 * a receive timeout bounds the wait should it not.  Requests happen once per
 * session (IPCP up/down), never per datagram.
 *
 * SPDX-License-Identifier: MIT
 */
#include "tun.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "log.h"

#define TUN_HBITS_MIN	6		/* 64 chains to start with */
#define TUN_READ_BURST	64		/* datagrams per readable event */

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const char *ip_str(uint32_t a, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

void tun_init(struct tun *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	snprintf(t->name, sizeof(t->name), "%s", TUN_DEFAULT_NAME);
}

void tun_fini(struct tun *t)
{
	if (t->fd >= 0) {
		if (t->loop && t->io.added)
			ev_io_stop(t->loop, &t->io);
		close(t->fd);
		t->fd = -1;
	}
	if (t->bucket) {
		for (size_t i = 0; i < (size_t)1 << t->hbits; i++)
			for (struct tun_peer *p = t->bucket[i]; p; p = p->next)
				p->linked = false;
	}
	free(t->bucket);
	t->bucket = NULL;
	t->npeers = 0;
	free(t->rxbuf);
	t->rxbuf = NULL;
}

/* --- datagram checks, dispatch, write ----------------------------------------------- */

int tun_check_ipv4(const uint8_t *pkt, size_t len)
{
	if (len < 1 || pkt[0] >> 4 != 4)
		return -EPROTO;
	if (len < 20)
		return -EINVAL;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4, tot = rd16(pkt + 2);
	if (ihl < 20 || ihl > len || tot < ihl || tot > len)
		return -EINVAL;
	return 0;
}

int tun_dispatch(struct tun *t, const uint8_t *pkt, size_t len)
{
	int rc = tun_check_ipv4(pkt, len);

	if (rc < 0) {
		if (rc == -EPROTO)
			t->drops.not_ipv4++;
		else
			t->drops.bad_header++;
		t->stats.out_drops++;
		return rc;
	}
	size_t tot = rd16(pkt + 2);
	struct tun_peer *p = tun_peer_find(t, rd32(pkt + 16));
	if (!p) {
		t->drops.no_session++;
		t->stats.out_drops++;
		return -EHOSTUNREACH;
	}
	if (p->mtu && tot > p->mtu) {
		t->drops.too_big++;
		t->stats.out_drops++;
		p->stats.out_drops++;
		return -EMSGSIZE;
	}
	/* the callback must not free p (see tun.h); counters are updated after it */
	rc = p->send(p->ctx, pkt, tot);
	if (rc < 0) {
		t->drops.send_failed++;
		t->stats.out_drops++;
		p->stats.out_drops++;
		return rc;
	}
	t->stats.out_packets++;
	t->stats.out_bytes += tot;
	p->stats.out_packets++;
	p->stats.out_bytes += tot;
	return 0;
}

int tun_write(struct tun *t, struct tun_peer *from, const uint8_t *pkt, size_t len)
{
	int rc = tun_check_ipv4(pkt, len);

	if (rc < 0) {
		t->stats.in_errors++;
		if (from)
			from->stats.in_errors++;
		return rc;
	}
	size_t tot = rd16(pkt + 2);
	ssize_t n;
	if (t->be) {
		rc = t->be->output(t->be_ctx, pkt, tot);
		n = rc < 0 ? -1 : (ssize_t)tot;
	} else {
		n = t->fd >= 0 ? write(t->fd, pkt, tot) : -1;
		rc = t->fd < 0 ? -EBADF : n < 0 ? -errno : -EIO;
	}
	if (n < 0 || (size_t)n != tot) {
		t->stats.in_drops++;
		if (from)
			from->stats.in_drops++;
		return rc;
	}
	t->stats.in_packets++;
	t->stats.in_bytes += tot;
	if (from) {
		from->stats.in_packets++;
		from->stats.in_bytes += tot;
	}
	return 0;
}

static void tun_readable(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	struct tun *t = arg;

	(void)io;
	(void)revents;
	for (int i = 0; i < TUN_READ_BURST; i++) {
		ssize_t n = read(fd, t->rxbuf, TUN_MAX_PACKET);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			if (t->drops.read_errors++ == 0)
				log_err("tun: read from %s: %s", t->name,
					n < 0 ? strerror(errno) : "end of file");
			break;
		}
		tun_dispatch(t, t->rxbuf, (size_t)n);
	}
}

/* --- the address table ------------------------------------------------------------- */

static size_t hash_addr(uint32_t addr, uint8_t bits)
{
	return (size_t)((addr * 2654435761u) >> (32 - bits));
}

static void table_grow(struct tun *t)
{
	uint8_t bits = (uint8_t)(t->hbits + 1);
	struct tun_peer **nb = calloc((size_t)1 << bits, sizeof(*nb));

	if (!nb)
		return;		/* longer chains, still correct */
	for (size_t i = 0; i < (size_t)1 << t->hbits; i++) {
		struct tun_peer *p = t->bucket[i], *next;

		for (; p; p = next) {
			size_t h = hash_addr(p->addr, bits);

			next = p->next;
			p->next = nb[h];
			nb[h] = p;
		}
	}
	free(t->bucket);
	t->bucket = nb;
	t->hbits = bits;
}

struct tun_peer *tun_peer_find(const struct tun *t, uint32_t addr)
{
	if (!t->bucket)
		return NULL;
	for (struct tun_peer *p = t->bucket[hash_addr(addr, t->hbits)]; p; p = p->next)
		if (p->addr == addr)
			return p;
	return NULL;
}

int tun_peer_add(struct tun *t, struct tun_peer *p, uint32_t addr, uint16_t mtu,
		 tun_send_fn send, void *ctx)
{
	if (addr == 0 || !send || p->linked)
		return -EINVAL;
	if (tun_peer_find(t, addr))
		return -EEXIST;
	if (!t->bucket) {
		t->bucket = calloc((size_t)1 << TUN_HBITS_MIN, sizeof(*t->bucket));
		if (!t->bucket)
			return -ENOMEM;
		t->hbits = TUN_HBITS_MIN;
	}
	memset(&p->stats, 0, sizeof(p->stats));
	p->addr = addr;
	p->mtu = mtu;
	p->send = send;
	p->ctx = ctx;
	size_t h = hash_addr(addr, t->hbits);
	p->next = t->bucket[h];
	t->bucket[h] = p;
	p->linked = true;
	if (++t->npeers > (size_t)1 << t->hbits && t->hbits < 24)
		table_grow(t);
	return 0;
}

void tun_peer_del(struct tun *t, struct tun_peer *p)
{
	if (!p->linked || !t->bucket)
		return;
	for (struct tun_peer **pp = &t->bucket[hash_addr(p->addr, t->hbits)]; *pp;
	     pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			p->next = NULL;
			p->linked = false;
			t->npeers--;
			return;
		}
	}
}

/* --- rtnetlink ----------------------------------------------------------------------- */

struct nl_req {
	struct nlmsghdr h;
	union {
		struct rtmsg rt;
		struct ifaddrmsg ifa;
		struct ifinfomsg ifi;
	} u;
	uint8_t attrs[64];
};

static void nl_init(struct nl_req *r, uint16_t type, uint16_t flags, size_t body)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
}

static void nl_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(r->h.nlmsg_len);
	struct rtattr a = { .rta_type = type, .rta_len = (unsigned short)RTA_LENGTH(len) };

	if (off + RTA_ALIGN(a.rta_len) > sizeof(*r))
		return;		/* cannot happen with the fixed requests below */
	memcpy((uint8_t *)r + off, &a, sizeof(a));
	memcpy((uint8_t *)r + off + RTA_LENGTH(0), data, len);
	r->h.nlmsg_len = (uint32_t)(off + RTA_ALIGN(a.rta_len));
}

/* Send one request and wait for its ACK: the kernel's 0 or -errno. */
static int nl_talk(struct tun *t, struct nl_req *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	union {
		struct nlmsghdr h;
		uint8_t b[4096];
	} buf;
	int fd, rc;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r->h.nlmsg_seq = ++t->nl_seq;
	if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = recv(fd, buf.b, sizeof(buf.b), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out;
		}
		size_t off = 0;
		while (off + sizeof(struct nlmsghdr) <= (size_t)n) {
			struct nlmsghdr h;

			memcpy(&h, buf.b + off, sizeof(h));
			if (h.nlmsg_len < sizeof(h) || off + h.nlmsg_len > (size_t)n)
				break;
			if (h.nlmsg_seq == r->h.nlmsg_seq && h.nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr e;

				if (h.nlmsg_len < NLMSG_LENGTH(sizeof(e))) {
					rc = -EPROTO;
				} else {
					memcpy(&e, buf.b + off + NLMSG_HDRLEN, sizeof(e));
					rc = e.error;
				}
				goto out;
			}
			off += NLMSG_ALIGN(h.nlmsg_len);
		}
	}
out:
	close(fd);
	return rc;
}

void tun_set_backend(struct tun *t, const struct tun_backend *be, void *ctx)
{
	t->be = be;
	t->be_ctx = ctx;
	if (be)
		snprintf(t->name, sizeof(t->name), "%s", be->name ? be->name : "sim0");
}

bool tun_ready(const struct tun *t)
{
	return t->be || (t->fd >= 0 && t->ifindex > 0);
}

static int need_device(const struct tun *t, const char *what)
{
	if (t->fd >= 0 && t->ifindex > 0)
		return 0;
	log_err("tun: %s: %s is not open", what, t->name);
	return -EBADF;
}

static int link_change(struct tun *t, unsigned flags, unsigned change, unsigned mtu)
{
	struct nl_req r;

	nl_init(&r, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	r.u.ifi.ifi_family = AF_UNSPEC;
	r.u.ifi.ifi_index = t->ifindex;
	r.u.ifi.ifi_flags = flags;
	r.u.ifi.ifi_change = change;
	if (mtu) {
		uint32_t m = mtu;
		nl_attr(&r, IFLA_MTU, &m, sizeof(m));
	}
	return nl_talk(t, &r);
}

static int addr_msg(struct tun *t, uint16_t type, uint16_t flags, uint32_t addr)
{
	struct nl_req r;
	uint32_t a = htonl(addr);

	nl_init(&r, type, flags, sizeof(struct ifaddrmsg));
	r.u.ifa.ifa_family = AF_INET;
	r.u.ifa.ifa_prefixlen = 32;
	r.u.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	r.u.ifa.ifa_index = (uint32_t)t->ifindex;
	nl_attr(&r, IFA_LOCAL, &a, sizeof(a));
	nl_attr(&r, IFA_ADDRESS, &a, sizeof(a));
	return nl_talk(t, &r);
}

int tun_set_addr(struct tun *t, uint32_t addr)
{
	char ab[16];
	int rc;

	if (t->be) {
		t->addr = addr;
		return 0;
	}
	rc = need_device(t, "set address");
	if (rc < 0)
		return rc;
	if (t->addr && t->addr != addr)
		addr_msg(t, RTM_DELADDR, 0, t->addr);	/* the old one may be gone already */
	rc = addr_msg(t, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, addr);
	if (rc < 0) {
		log_err("tun: cannot set address %s/32 on %s: %s", ip_str(addr, ab, sizeof(ab)),
			t->name, strerror(-rc));
		return rc;
	}
	t->addr = addr;
	rc = link_change(t, IFF_UP, IFF_UP, 0);
	if (rc < 0)
		log_err("tun: cannot bring %s up: %s", t->name, strerror(-rc));
	return rc;
}

int tun_set_mtu(struct tun *t, unsigned mtu)
{
	int rc;

	if (mtu < 68 || mtu > TUN_MAX_PACKET)
		return -EINVAL;
	if (t->be) {
		t->mtu = mtu;
		return 0;
	}
	rc = need_device(t, "set mtu");
	if (rc < 0)
		return rc;
	rc = link_change(t, 0, 0, mtu);
	if (rc < 0)
		log_err("tun: cannot set mtu %u on %s: %s", mtu, t->name, strerror(-rc));
	else
		t->mtu = mtu;
	return rc;
}

static int route_msg(struct tun *t, uint16_t type, uint16_t flags, uint32_t addr)
{
	struct nl_req r;
	uint32_t dst = htonl(addr);
	uint32_t oif = (uint32_t)t->ifindex;

	nl_init(&r, type, flags, sizeof(struct rtmsg));
	r.u.rt.rtm_family = AF_INET;
	r.u.rt.rtm_dst_len = 32;
	r.u.rt.rtm_table = RT_TABLE_MAIN;
	r.u.rt.rtm_protocol = RTPROT_STATIC;
	/* deletion matches any scope */
	r.u.rt.rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE;
	r.u.rt.rtm_type = RTN_UNICAST;
	nl_attr(&r, RTA_DST, &dst, sizeof(dst));
	nl_attr(&r, RTA_OIF, &oif, sizeof(oif));
	return nl_talk(t, &r);
}

int tun_route_add(struct tun *t, uint32_t addr)
{
	char ab[16];
	int rc;

	if (t->be)
		return t->be->route_add ? t->be->route_add(t->be_ctx, addr) : 0;
	rc = need_device(t, "route add");
	if (rc < 0)
		return rc;
	rc = route_msg(t, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, addr);
	if (rc < 0)
		log_err("tun: cannot add route to %s/32 via %s: %s", ip_str(addr, ab, sizeof(ab)),
			t->name, strerror(-rc));
	return rc;
}

int tun_route_del(struct tun *t, uint32_t addr)
{
	char ab[16];
	int rc;

	if (t->be)
		return t->be->route_del ? t->be->route_del(t->be_ctx, addr) : 0;
	rc = need_device(t, "route delete");
	if (rc < 0)
		return rc;
	rc = route_msg(t, RTM_DELROUTE, 0, addr);
	if (rc < 0 && rc != -ESRCH)
		log_err("tun: cannot remove route to %s/32 via %s: %s",
			ip_str(addr, ab, sizeof(ab)), t->name, strerror(-rc));
	return rc;
}

/* --- the device ---------------------------------------------------------------------- */

/* The sessions are IPv4 only: no IPv6 link-local address and router solicitations
 * on the device (they would only be counted as "not IPv4" drops).  Best effort. */
static void disable_ipv6(const char *name)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			log_info("tun: %s: IPv6 stays on: %s", name, strerror(errno));
		close(fd);
	}
}

int tun_open(struct tun *t, struct ev_loop *loop, const char *name)
{
	return tun_open_dev(t, loop, name, TUN_DEV_PATH);
}

int tun_open_dev(struct tun *t, struct ev_loop *loop, const char *name, const char *dev)
{
	struct ifreq ifr;
	int fd, rc;

	if (t->fd >= 0 || t->be)
		return -EALREADY;
	if (!name)
		name = TUN_DEFAULT_NAME;
	if (strlen(name) == 0 || strlen(name) >= IFNAMSIZ || strlen(name) >= sizeof(t->name)) {
		log_err("tun: bad interface name \"%s\"", name);
		return -EINVAL;
	}
	fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		log_err("tun: cannot open %s: %s%s", dev, strerror(-rc),
			rc == -ENOENT || rc == -ENODEV ? " (no TUN support: modprobe tun)" :
			rc == -EACCES || rc == -EPERM ? " (needs root or CAP_NET_ADMIN)" : "");
		return rc;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = -errno;
		log_err("tun: cannot create %s (TUNSETIFF): %s%s", name, strerror(-rc),
			rc == -EPERM ? " (needs CAP_NET_ADMIN)" : "");
		goto fail;
	}
	snprintf(t->name, sizeof(t->name), "%.*s", (int)(IFNAMSIZ - 1), ifr.ifr_name);
	t->ifindex = (int)if_nametoindex(t->name);
	if (t->ifindex == 0) {
		rc = -errno;
		log_err("tun: no index for %s: %s", t->name, strerror(-rc));
		goto fail;
	}
	disable_ipv6(t->name);
	t->rxbuf = malloc(TUN_MAX_PACKET);
	if (!t->rxbuf) {
		rc = -ENOMEM;
		goto fail;
	}
	t->loop = loop;
	t->fd = fd;
	if (loop) {
		rc = ev_io_start(loop, &t->io, fd, EPOLLIN, tun_readable, t);
		if (rc < 0) {
			log_err("tun: cannot watch %s: %s", t->name, strerror(-rc));
			t->fd = -1;
			free(t->rxbuf);
			t->rxbuf = NULL;
			goto fail;
		}
	}
	log_info("tun: created %s (ifindex %d)", t->name, t->ifindex);
	return 0;
fail:
	close(fd);
	return rc;
}

/* --- counters ----------------------------------------------------------------------- */

void tun_counters_sample(struct tun_counters *c, ev_time_t now)
{
	if (c->sampling && now > c->sampled) {
		double dt = (double)(now - c->sampled) / (double)EV_SEC;
		double k = 1.0 - exp(-dt / 300.0);	/* IOS's 5-minute decay */

		c->in_bps += ((double)(c->in_bytes - c->s_in_bytes) * 8.0 / dt - c->in_bps) * k;
		c->in_pps += ((double)(c->in_packets - c->s_in_packets) / dt - c->in_pps) * k;
		c->out_bps += ((double)(c->out_bytes - c->s_out_bytes) * 8.0 / dt - c->out_bps) * k;
		c->out_pps += ((double)(c->out_packets - c->s_out_packets) / dt - c->out_pps) * k;
	} else if (c->sampling) {
		return;		/* no time passed */
	}
	c->sampling = true;
	c->sampled = now;
	c->s_in_bytes = c->in_bytes;
	c->s_in_packets = c->in_packets;
	c->s_out_bytes = c->out_bytes;
	c->s_out_packets = c->out_packets;
}

int tun_format_counters(const struct tun_counters *c, char *buf, size_t size)
{
	return snprintf(buf, size,
		"  Input queue: 0/75/%llu (size/max/drops); Total output drops: %llu\n"
		"  5 minute input rate %llu bits/sec, %llu packets/sec\n"
		"  5 minute output rate %llu bits/sec, %llu packets/sec\n"
		"     %llu packets input, %llu bytes, 0 no buffer\n"
		"     Received 0 broadcasts, 0 runts, 0 giants, 0 throttles\n"
		"     %llu input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort\n"
		"     %llu packets output, %llu bytes, 0 underruns\n"
		"     0 output errors, 0 collisions, 0 interface resets\n"
		"     0 output buffer failures, 0 output buffers swapped out\n",
		(unsigned long long)c->in_drops, (unsigned long long)c->out_drops,
		(unsigned long long)(c->in_bps + 0.5), (unsigned long long)(c->in_pps + 0.5),
		(unsigned long long)(c->out_bps + 0.5), (unsigned long long)(c->out_pps + 0.5),
		(unsigned long long)c->in_packets, (unsigned long long)c->in_bytes,
		(unsigned long long)c->in_errors,
		(unsigned long long)c->out_packets, (unsigned long long)c->out_bytes);
}

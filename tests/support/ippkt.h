/*
 * ippkt.h - build real IPv4 datagrams for tests: TCP segments and ICMP echoes with
 * correct IP, TCP (pseudo-header) and ICMP checksums.  Header-only (static inline)
 * so unit tests and fuzz targets can share it without linking anything.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TEST_IPPKT_H
#define DIALBACK_TEST_IPPKT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* TCP flags */
#define PK_FIN 0x01
#define PK_SYN 0x02
#define PK_RST 0x04
#define PK_PSH 0x08
#define PK_ACK 0x10
#define PK_URG 0x20

struct pk_tcp {
	uint32_t src, dst;		/* host order */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t  flags;			/* PK_* (ECE 0x40 / CWR 0x80 too) */
	uint8_t  x2;			/* the reserved nibble + NS bit of offset octet */
	uint16_t win, urp, id;
	uint8_t  tos, ttl;		/* ttl 0 -> 64 */
	uint16_t frag;			/* flags + fragment offset (0x4000 DF) */
	const uint8_t *ipopt;		/* IP options, multiple of 4 */
	size_t   ipoptlen;
	const uint8_t *tcpopt;		/* TCP options, multiple of 4 */
	size_t   tcpoptlen;
	size_t   datalen;		/* payload: a pattern from data_seed */
	uint8_t  data_seed;
};

static inline void pk_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void pk_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static inline uint32_t pk_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t pk_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* IP header at buf (ihl from buf[0]); sets the checksum. */
static inline void pk_ip_checksum(uint8_t *ip)
{
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;

	ip[10] = ip[11] = 0;
	pk_put16(ip + 10, pk_fold(pk_sum(0, ip, ihl)));
}

static inline size_t pk_ip_header(uint8_t *b, size_t optlen, size_t total, uint8_t tos,
				  uint16_t id, uint16_t frag, uint8_t ttl, uint8_t proto,
				  uint32_t src, uint32_t dst, const uint8_t *opt)
{
	size_t ihl = 20 + optlen;

	b[0] = (uint8_t)(0x40 | ihl / 4);
	b[1] = tos;
	pk_put16(b + 2, (uint16_t)total);
	pk_put16(b + 4, id);
	pk_put16(b + 6, frag);
	b[8] = ttl ? ttl : 64;
	b[9] = proto;
	pk_put32(b + 12, src);
	pk_put32(b + 16, dst);
	if (optlen)
		memcpy(b + 20, opt, optlen);
	pk_ip_checksum(b);
	return ihl;
}

/* A TCP/IP datagram into buf (room for it assumed); returns its length. */
static inline size_t pk_tcp_build(uint8_t *buf, const struct pk_tcp *s)
{
	size_t ihl = 20 + s->ipoptlen, thl = 20 + s->tcpoptlen;
	size_t total = ihl + thl + s->datalen;
	uint8_t *t = buf + ihl;
	uint32_t sum;

	pk_ip_header(buf, s->ipoptlen, total, s->tos, s->id, s->frag, s->ttl, 6, s->src, s->dst,
		     s->ipopt);
	pk_put16(t, s->sport);
	pk_put16(t + 2, s->dport);
	pk_put32(t + 4, s->seq);
	pk_put32(t + 8, s->ack);
	t[12] = (uint8_t)((thl / 4) << 4 | (s->x2 & 0x0f));
	t[13] = s->flags;
	pk_put16(t + 14, s->win);
	t[16] = t[17] = 0;
	pk_put16(t + 18, s->urp);
	if (s->tcpoptlen)
		memcpy(t + 20, s->tcpopt, s->tcpoptlen);
	for (size_t i = 0; i < s->datalen; i++)
		t[thl + i] = (uint8_t)(s->data_seed + i * 7);
	/* pseudo header: src, dst, zero, protocol, TCP length */
	sum = pk_sum(0, buf + 12, 8);
	sum += 6 + (uint32_t)(thl + s->datalen);
	sum = pk_sum(sum, t, thl + s->datalen);
	pk_put16(t + 16, pk_fold(sum));
	return total;
}

/* ICMP echo (type 8 request, 0 reply) with `datalen` pattern bytes; returns length. */
static inline size_t pk_icmp_echo(uint8_t *buf, uint8_t type, uint32_t src, uint32_t dst,
				  uint16_t ident, uint16_t seq, size_t datalen)
{
	size_t total = 20 + 8 + datalen;
	uint8_t *ic = buf + 20;

	pk_ip_header(buf, 0, total, 0, seq, 0x4000, 64, 1, src, dst, NULL);
	ic[0] = type;
	ic[1] = 0;
	ic[2] = ic[3] = 0;
	pk_put16(ic + 4, ident);
	pk_put16(ic + 6, seq);
	for (size_t i = 0; i < datalen; i++)
		ic[8 + i] = (uint8_t)i;
	pk_put16(ic + 2, pk_fold(pk_sum(0, ic, 8 + datalen)));
	return total;
}

/* Whether an IP header's checksum verifies. */
static inline int pk_ip_checksum_ok(const uint8_t *ip)
{
	return pk_fold(pk_sum(0, ip, (size_t)(ip[0] & 0x0f) * 4)) == 0;
}

#endif /* DIALBACK_TEST_IPPKT_H */

/*
 * bench_vj.c - Van Jacobson compression cost per datagram (compress + decompress of
 * a bulk 512-octet stream and of interactive 1-octet traffic), and the TUN address
 * table's lookup cost with 10000 sessions.  Prints figures; asserts nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ippkt.h"
#include "tun.h"
#include "vj.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* a benchmark, not protocol code */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stream(const char *what, size_t datalen, bool interactive, unsigned n)
{
	static struct vj_comp c;
	static struct vj_decomp d;
	static uint8_t pkt[2048], cbuf[2048], out[2048 + VJ_DECOMP_EXTRA];
	struct pk_tcp s = { .src = 0x0a000002, .dst = 0xac101934, .sport = 1025, .dport = 80,
			    .seq = 1, .ack = 1, .flags = PK_ACK, .win = 8760, .frag = 0x4000,
			    .datalen = datalen };
	size_t raw = 0, sent = 0, clen, olen;
	double t0, t;

	vj_comp_init(&c, 15, true);
	vj_decomp_init(&d, 15);
	size_t len = pk_tcp_build(pkt, &s);
	t0 = now_s();
	for (unsigned i = 0; i < n; i++) {
		/* advance the segment without rebuilding it: seq, ack, id (checksums stale,
		 * which VJ does not look at) */
		s.seq += (uint32_t)datalen;
		if (interactive)
			s.ack += 1;
		s.id++;
		pk_put32(pkt + 24, s.seq);
		pk_put32(pkt + 28, s.ack);
		pk_put16(pkt + 4, s.id);
		int proto = vj_compress(&c, pkt, len, cbuf, sizeof(cbuf), &clen);
		vj_decompress(&d, (uint16_t)proto, cbuf, clen, out, sizeof(out), &olen);
		raw += len;
		sent += clen;
	}
	t = now_s() - t0;
	printf("vj %-12s %u datagrams: %.0f ns per compress+decompress, %zu -> %zu octets "
	       "(%.1f %%), errors %llu\n", what, n, t / n * 1e9, raw, sent,
	       100.0 * (double)sent / (double)raw, (unsigned long long)d.stats.errors);
}

static int sink(void *ctx, const uint8_t *p, size_t len)
{
	(void)ctx; (void)p; (void)len;
	return 0;
}

static void table(unsigned npeers, unsigned lookups)
{
	struct tun t;
	struct tun_peer *p = calloc(npeers, sizeof(*p));
	unsigned found = 0;
	double t0;

	if (!p)
		return;
	tun_init(&t);
	for (unsigned i = 0; i < npeers; i++)
		tun_peer_add(&t, &p[i], 0x0a000000u + i * 7 + 1, 1500, sink, NULL);
	t0 = now_s();
	for (unsigned i = 0; i < lookups; i++)
		found += tun_peer_find(&t, 0x0a000000u + (i % (npeers * 2)) * 7 + 1) != NULL;
	double dt = now_s() - t0;
	printf("tun table %u sessions (%u chains): %.1f ns per lookup (%u of %u found)\n",
	       npeers, 1u << t.hbits, dt / lookups * 1e9, found, lookups);
	tun_fini(&t);
	free(p);
}

int main(void)
{
	stream("bulk-512", 512, false, 200000);
	stream("interactive", 1, true, 200000);
	table(10000, 10000000);
	return 0;
}

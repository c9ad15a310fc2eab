/*
 * fuzz_ppp_common.h - a PPP session on a manual loop for the fuzz targets (static
 * helpers only; each fuzz_*.c defines just LLVMFuzzerTestOneInput)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_FUZZ_PPP_COMMON_H
#define DIALBACK_FUZZ_PPP_COMMON_H

#include <stdint.h>
#include <string.h>

#include "aaa.h"
#include "config.h"
#include "evloop.h"
#include "ippool.h"
#include "log.h"
#include "ppp.h"

struct fz {
	struct ev_loop *loop;
	struct nas_config *cfg;
	struct aaa aaa;
	struct ip_pools pools;
	struct ppp_profile prof;
	struct ppp_session s;
	uint32_t rnd;
	uint8_t last[1600];	/* last frame sent (to ack our own requests) */
	size_t last_len;
};

static const char fz_config[] =
	"hostname isdn2-2\naaa new-model\naaa authentication ppp default local\n"
	"aaa authorization network local\n"
	"username callmeback callback-dialstring \"\" password 7 02050D480809\n"
	"username fixed callback-dialstring 5551212 password 0 x\n"
	"interface Ethernet0\n ip address 172.16.25.52 255.255.255.240\n"
	"interface Group-Async1\n ip unnumbered Ethernet0\n ip tcp header-compression passive\n"
	" peer default ip address pool default\n ppp max-bad-auth 3\n ppp callback accept\n"
	" ppp authentication chap pap\n ppp ipcp dns 10.0.0.53\n group-range 1 4\n"
	"ip local pool default 172.16.25.59 172.16.25.62\n";

static int fz_send(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	struct fz *z = ctx;
	(void)flags;
	if (len <= sizeof(z->last)) {
		memcpy(z->last, frame, len);
		z->last_len = len;
	}
	return 0;
}

static void fz_random(void *ctx, void *buf, size_t len)
{
	struct fz *z = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		z->rnd = z->rnd * 1664525u + 1013904223u;
		b[i] = (uint8_t)(z->rnd >> 24);
	}
}

static const struct ppp_lower_ops fz_ops = { .send = fz_send, .random = fz_random };

static int fz_setup(struct fz *z, bool debug)
{
	memset(z, 0, sizeof(*z));
	log_reset();
	if (debug) {
		dbg_enable(DBG_PPP_NEGOTIATION, true);
		dbg_enable(DBG_AAA_AUTHORIZATION, true);
	}
	z->loop = ev_loop_new_manual(0);
	if (!z->loop)
		return -1;
	if (config_parse(fz_config, sizeof(fz_config) - 1, "fuzz", &z->cfg, NULL) != 0)
		return -1;
	aaa_init(&z->aaa, z->cfg, 1);
	ippool_init(&z->pools, z->cfg);
	ppp_profile_from_config(&z->prof, z->cfg, config_find_interface(z->cfg, "Async1"),
				&z->aaa, &z->pools);
	z->rnd = 7;
	ppp_session_init(&z->s, z->loop, &z->prof, &fz_ops, z, "As1", "Async1");
	return 0;
}

static void fz_teardown(struct fz *z)
{
	ppp_session_fini(&z->s);
	ippool_free(&z->pools);
	config_free(z->cfg);
	ev_loop_free(z->loop);
	log_reset();
}

static void fz_inject(struct fz *z, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t buf[1700];

	if (len > sizeof(buf) - 4)
		len = sizeof(buf) - 4;
	buf[0] = 0xFF;
	buf[1] = 0x03;
	buf[2] = (uint8_t)(proto >> 8);
	buf[3] = (uint8_t)proto;
	memcpy(buf + 4, pkt, len);
	ppp_input(&z->s, buf, len + 4);
}

/* Bring LCP to Opened: ack our request, send a plain request of the peer's. */
static inline void fz_open_lcp(struct fz *z, bool callback)
{
	uint8_t ack[64];
	static const uint8_t req_cb[] = { 1, 1, 0, 11, 2, 6, 0, 0, 0, 0, 0x0D, 3, 6 };
	static const uint8_t req[] = { 1, 1, 0, 10, 2, 6, 0, 0, 0, 0 };

	ppp_open_active(&z->s);
	if (z->last_len < 8 || z->last_len - 4 > sizeof(ack))
		return;
	memcpy(ack, z->last + 4, z->last_len - 4);
	ack[0] = 2;
	fz_inject(z, PPP_PROTO_LCP, ack, z->last_len - 4);
	if (callback)
		fz_inject(z, PPP_PROTO_LCP, req_cb, sizeof(req_cb));
	else
		fz_inject(z, PPP_PROTO_LCP, req, sizeof(req));
}

#endif

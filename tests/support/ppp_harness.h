/*
 * ppp_harness.h - test rig for the PPP engine: one NAS session on a manual event
 * loop, a frame queue standing in for the card channel, captured debug lines, and
 * helpers to inject the peer's packets (tests act as a scripted peer)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TEST_PPP_HARNESS_H
#define DIALBACK_TEST_PPP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa.h"
#include "config.h"
#include "evloop.h"
#include "ippool.h"
#include "ppp.h"

#define PH_MAX_FRAMES 128
#define PH_MAX_LINES 1024

struct ph_frame {
	uint8_t data[1600];
	size_t len;
	unsigned flags;
};

struct ph {
	struct ev_loop *loop;
	struct nas_config *cfg;
	struct aaa aaa;
	struct ip_pools pools;
	struct ppp_profile prof;
	struct ppp_session s;
	struct ph_frame out[PH_MAX_FRAMES];
	unsigned nout, rd;
	uint32_t magics[8];
	unsigned nmagics;
	uint32_t rnd;
	/* upcalls seen */
	char cb_user[64], cb_number[64];
	unsigned callbacks, downs, ip_ups, ip_downs, set_links;
	uint32_t ip_addr;
	uint32_t link_tx_accm, link_rx_accm;
	bool link_pfc, link_acfc;
	enum ppp_phase last_phase;
	int sink;
};

/* Captured log lines (bodies after the timestamp), shared by all harnesses. */
extern char ph_lines[PH_MAX_LINES][320];
extern unsigned ph_nlines;

extern const char ph_seed_config[];
extern const struct ppp_lower_ops ph_ops;

/* Load `cfg_text` (NULL: the seed's configuration), build the profile of `ifname`. */
void ph_setup(struct ph *h, const char *cfg_text, const char *ifname);
void ph_teardown(struct ph *h);
/* Advance the manual clock to `t` (absolute). */
void ph_step(struct ph *h, ev_time_t t);
/* Next frame the NAS sent, or NULL. */
struct ph_frame *ph_next(struct ph *h);
/* Skip frames until one of `proto` arrives (NULL if none). */
struct ph_frame *ph_next_proto(struct ph *h, uint16_t proto);
/* Protocol and payload of a frame as sent (handles ACFC/PFC). */
uint16_t ph_proto(const struct ph_frame *f, const uint8_t **payload, size_t *plen);
/* Inject a packet from the peer (FF 03 + protocol + packet). */
void ph_inject(struct ph *h, uint16_t proto, const uint8_t *pkt, size_t len);
void ph_inject_raw(struct ph *h, const uint8_t *frame, size_t len);
/* Assert the next frame of `proto` carries exactly these packet bytes. */
void ph_expect(struct ph *h, uint16_t proto, const uint8_t *pkt, size_t len);
/* CHAP response for a challenge packet (code..), user/secret. */
size_t ph_chap_response(const uint8_t *challenge_pkt, size_t clen, const char *user,
			const char *secret, uint8_t *out);
/* Index of the first captured line equal to `body` at or after `from`, or -1. */
int ph_find_line(unsigned from, const char *body);
/* Assert that the lines appear in this order (each exact). */
void ph_expect_lines(const char *const *bodies, size_t n);
/* Index of the first captured line containing `sub`, or -1. */
int ph_find_substr(const char *sub);
void ph_clear_lines(void);
void ph_dump_lines(void);

#endif

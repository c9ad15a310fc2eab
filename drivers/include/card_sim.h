/*
 * card_sim.h - the `sim` card transport: the card is in this process (the
 * co-simulation's Verilated RTL behind an FT232H FIFO model)
 *
 * Bytes the card layer writes are queued here; the simulator drains them into the
 * card's FIFO with card_sim_pull() at the rate the FIFO accepts them, and delivers
 * the card's bytes with card_input().  No threads, no fds: the simulator steps both.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CARD_SIM_H
#define DIALBACK_CARD_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "card.h"

#ifdef __cplusplus
extern "C" {
#endif

struct card_sim;

extern const struct card_transport_ops card_sim_ops;

struct card_sim *card_sim_new(void);
void   card_sim_free(struct card_sim *s);
/* Bytes waiting for the card. */
size_t card_sim_pending(const struct card_sim *s);
/* Take up to max bytes for the card; returns how many. */
size_t card_sim_pull(struct card_sim *s, uint8_t *buf, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* DIALBACK_CARD_SIM_H */

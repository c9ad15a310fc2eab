/*
 * cosim.h - the co-simulation engine: the Verilated card, its FT232H, the T1 lines
 * toward the telco, and the daemon's event loop, all on one simulated clock
 *
 * Time: the card's core clock runs at CORE_HZ = 4 x 1.544 MHz, so one 125 us T1 frame
 * is exactly 772 core cycles.  Every frame the engine moves the host's bytes through
 * the FT232H (like a USB microframe) and steps the daemon's loop to the simulated
 * time, so a run is deterministic and never waits on the wall clock.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_COSIM_H
#define DIALBACK_SIM_COSIM_H

#include <stdbool.h>
#include <stdint.h>

#include "card.h"
#include "card_sim.h"
#include "evloop.h"
#include "ft232h.h"
#include "t1_line.h"
#include "vcard.h"

#define COSIM_CORE_HZ		6176000u	/*!< 4 x 1.544 MHz */
#define COSIM_CYCLES_PER_FRAME	772u		/*!< 125 us */
#define COSIM_MAX_SPANS		28

/* The telco's view of one span, per 125 us frame: the octets the NAS sent in each
 * timeslot, and the octets to send it in the next frame. */
typedef void (*cosim_frame_fn)(void *ctx, unsigned span, const uint8_t from_nas[T1_TIMESLOTS],
			       uint8_t to_nas[T1_TIMESLOTS]);

struct cosim;

struct cosim_span {
	struct cosim *owner;
	unsigned idx;
	struct t1_encoder enc;		/*!< telco -> NAS receive pins */
	struct t1_decoder dec;		/*!< NAS transmit pins -> telco */
	uint8_t  to_nas[T1_TIMESLOTS];
	int      last_tclk;
	int      sym;			/*!< symbol currently on the NAS's receive pins */
};

struct cosim {
	struct vcard     *card;
	struct ft232h     ft;
	struct vcard_in   in;
	struct vcard_out  out;
	unsigned          spans;
	struct cosim_span span[COSIM_MAX_SPANS];
	cosim_frame_fn    frame_fn;
	void             *frame_ctx;
	struct ev_loop   *loop;		/*!< the daemon's loop (manual clock) */
	struct card_sim  *transport;	/*!< the daemon's `sim` card transport */
	struct card      *host_card;	/*!< the daemon's card layer, fed our bytes */
	uint64_t          cycle;
};

int  cosim_init(struct cosim *cs, int argc, char **argv, const char *fst_path,
		enum t1_framing framing, enum t1_linecode linecode);
void cosim_fini(struct cosim *cs);
/* Simulated time now, in ns. */
ev_time_t cosim_now(const struct cosim *cs);
/* Run the card and lines until simulated time t. */
void cosim_run_until(struct cosim *cs, ev_time_t t);
/* Run until pred(ctx) is true or t passes; returns pred's last value. */
bool cosim_run_while_not(struct cosim *cs, bool (*pred)(void *), void *ctx, ev_time_t t);

#endif /* DIALBACK_SIM_COSIM_H */

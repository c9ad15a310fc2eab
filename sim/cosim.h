/*
 * cosim.h - the co-simulation engine: the Verilated card, its FT232H, the T1 lines
 * toward the telco, and the daemon's event loop, all on one simulated clock
 *
 * Time: the card's core clock runs at CORE_HZ = 2 x 1.544 MHz (the lowest multiple of
 * the line rate the RTL supports, for speed), so one 125 us T1 frame is exactly 386
 * core cycles.  More spans than the narrow model has (vcard.h) take the wide model at
 * 16 x 1.544 MHz (24.704 MHz): 3088 cycles per frame, 16 per bit.  (12.352 MHz would
 * be enough for the line bank's framer, but the whole card_top does not frame there.)
 * Every frame the engine moves the host's bytes through
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

#define COSIM_T1_HZ		1544000u	/*!< T1 bit rate */
#define COSIM_FRAME_HZ		8000u		/*!< T1 frames per second */
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
	/* Instead of transport/host_card: a transport that moves the FT232H's bytes
	 * itself, once per frame before the loop is stepped (--transport usb,
	 * sim/cosim_usb.h) */
	void            (*host_io)(void *ctx, struct cosim *cs);
	void             *host_io_ctx;
	uint64_t          cycle;
	uint32_t          core_hz;		/*!< the model's clock: 3088000 or 24704000 */
	unsigned          cycles_per_bit;	/*!< core_hz / 1.544 MHz: 2 or 8 */
	unsigned          cycles_per_frame;	/*!< core_hz / 8 kHz (125 us): 386 or 1544 */
	unsigned          bit_phase;		/*!< cycle % cycles_per_bit */
	unsigned          frame_phase;		/*!< cycle % cycles_per_frame */
	uint32_t          span_mask;		/*!< bits 0..spans-1 */
	uint32_t          last_tclk;		/*!< the card's TCLK pins last cycle */
	bool              measure_host;	/*!< add the host's CPU time to host_cpu_ns */
	uint64_t          host_cpu_ns;	/*!< card layer + event loop (daemon, models) */
};

/* `want_spans`: the spans the run uses; the card model is the narrow one when they
 * fit, else the wide one (cs->spans = the model's spans, all of them driven). */
int  cosim_init(struct cosim *cs, unsigned want_spans, int argc, char **argv,
		const char *fst_path, enum t1_framing framing, enum t1_linecode linecode);
void cosim_fini(struct cosim *cs);
/* Simulated time now, in ns. */
ev_time_t cosim_now(const struct cosim *cs);
/* Run the card and lines until simulated time t. */
void cosim_run_until(struct cosim *cs, ev_time_t t);
/* Run until pred(ctx) is true or t passes; returns pred's last value. */
bool cosim_run_while_not(struct cosim *cs, bool (*pred)(void *), void *ctx, ev_time_t t);

#endif /* DIALBACK_SIM_COSIM_H */

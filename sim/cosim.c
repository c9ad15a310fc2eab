/*
 * cosim.c - the co-simulation engine (see cosim.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cosim.h"

#include <string.h>
#include <time.h>

#define RESET_CYCLES 16

static uint8_t enc_octet(void *ctx, unsigned ts)
{
	struct cosim_span *sp = ctx;

	return sp->to_nas[ts];
}

/* One frame of the NAS's transmit decoded: hand it to the telco, take its answer. */
static void dec_frame(void *ctx, const uint8_t *octets)
{
	struct cosim_span *sp = ctx;
	struct cosim *cs = sp->owner;

	if (cs->frame_fn)
		cs->frame_fn(cs->frame_ctx, sp->idx, octets, sp->to_nas);
	else
		memcpy(sp->to_nas, octets, T1_TIMESLOTS);	/* plain line loopback */
}

int cosim_init(struct cosim *cs, unsigned want_spans, int argc, char **argv,
	       const char *fst_path, enum t1_framing framing, enum t1_linecode linecode)
{
	memset(cs, 0, sizeof(*cs));
	cs->card = vcard_new(want_spans, argc, argv, fst_path);
	if (!cs->card)
		return -1;
	cs->spans = vcard_spans(cs->card);
	cs->core_hz = vcard_core_hz(cs->card);
	if (cs->spans > COSIM_MAX_SPANS || cs->core_hz % COSIM_T1_HZ ||
	    cs->core_hz / COSIM_T1_HZ < 2) {
		vcard_free(cs->card);
		cs->card = NULL;
		return -1;
	}
	cs->cycles_per_bit = cs->core_hz / COSIM_T1_HZ;
	cs->cycles_per_frame = cs->core_hz / COSIM_FRAME_HZ;
	cs->span_mask = cs->spans >= 32 ? ~0u : (1u << cs->spans) - 1;
	ft232h_init(&cs->ft);
	for (unsigned s = 0; s < cs->spans; s++) {
		struct cosim_span *sp = &cs->span[s];

		sp->owner = cs;
		sp->idx = s;
		memset(sp->to_nas, 0xFF, sizeof(sp->to_nas));
		t1_encoder_init(&sp->enc, framing, linecode, enc_octet, sp);
		t1_decoder_init(&sp->dec, framing, linecode, dec_frame, sp);
	}
	cs->in.rst = true;
	for (int i = 0; i < RESET_CYCLES; i++)
		vcard_cycle(cs->card, &cs->in, &cs->out);
	cs->in.rst = false;
	return 0;
}

void cosim_fini(struct cosim *cs)
{
	vcard_free(cs->card);
	cs->card = NULL;
}

ev_time_t cosim_now(const struct cosim *cs)
{
	/* cycles_per_frame cycles are exactly 125 us */
	return cs->cycle / cs->cycles_per_frame * 125 * EV_USEC +
	       (cs->cycle % cs->cycles_per_frame) * 125 * EV_USEC / cs->cycles_per_frame;
}

/* The T1 lines, at cycles_per_bit core cycles per bit: the telco changes the card's
 * receive data as RCLK rises and samples the card's transmit data as TCLK falls.  Only
 * the spans with something to do this cycle are visited (a new symbol on every span
 * at phase 0, a falling TCLK where there is one). */
static void line_cycle(struct cosim *cs)
{
	unsigned phase = cs->bit_phase;
	uint32_t rclk = phase < cs->cycles_per_bit / 2 ? ~0u : 0;
	uint32_t tclk = cs->out.liu_tclk & cs->span_mask;
	uint32_t falling = cs->last_tclk & ~tclk;

	if (phase == 0) {
		uint32_t rpos = 0, rneg = 0;

		for (unsigned s = 0; s < cs->spans; s++) {
			struct cosim_span *sp = &cs->span[s];

			sp->sym = t1_encoder_next(&sp->enc);
			rpos |= (uint32_t)(sp->sym > 0) << s;
			rneg |= (uint32_t)(sp->sym < 0) << s;
		}
		cs->in.liu_rpos = (cs->in.liu_rpos & ~cs->span_mask) | rpos;
		cs->in.liu_rneg = (cs->in.liu_rneg & ~cs->span_mask) | rneg;
	}
	while (falling) {
		unsigned s = (unsigned)__builtin_ctz(falling);
		struct cosim_span *sp = &cs->span[s];
		int pos = (int)((cs->out.liu_tpos >> s) & 1), neg = (int)((cs->out.liu_tneg >> s) & 1);

		falling &= falling - 1;
		t1_decoder_push(&sp->dec, pos && !neg ? 1 : (neg && !pos ? -1 : 0));
	}
	cs->last_tclk = tclk;
	cs->in.liu_rclk = rclk & cs->span_mask;
	if (++cs->bit_phase == cs->cycles_per_bit)
		cs->bit_phase = 0;
}

/* Once per frame: bytes between the daemon's transport and the FT232H, and the
 * daemon's loop stepped to now. */
static void host_frame(struct cosim *cs)
{
	uint8_t buf[FT232H_TX_BUF];
	struct timespec t0 = { 0 }, t1 = { 0 };
	size_t n;

	if (cs->transport) {
		n = card_sim_pull(cs->transport, buf, ft232h_to_card_room(&cs->ft));
		ft232h_write_to_card(&cs->ft, buf, n);
	}
	n = cs->host_io ? 0 : ft232h_read_to_host(&cs->ft, buf, sizeof(buf));
	if (cs->measure_host)
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	if (cs->host_io)
		cs->host_io(cs->host_io_ctx, cs);
	if (n && cs->host_card)
		card_input(cs->host_card, buf, n);
	if (cs->loop)
		ev_loop_step(cs->loop, cosim_now(cs));
	if (cs->measure_host) {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		cs->host_cpu_ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000LL +
					      (t1.tv_nsec - t0.tv_nsec));
	}
}

static void one_cycle(struct cosim *cs)
{
	struct vcard_out prev = cs->out;

	line_cycle(cs);
	ft232h_pins(&cs->ft, &cs->in);
	vcard_cycle(cs->card, &cs->in, &cs->out);
	ft232h_edge(&cs->ft, &cs->in, &prev);
	cs->cycle++;
	if (++cs->frame_phase == cs->cycles_per_frame) {
		cs->frame_phase = 0;
		host_frame(cs);
	}
}

void cosim_run_until(struct cosim *cs, ev_time_t t)
{
	while (cosim_now(cs) < t)
		one_cycle(cs);
}

bool cosim_run_while_not(struct cosim *cs, bool (*pred)(void *), void *ctx, ev_time_t t)
{
	while (cosim_now(cs) < t) {
		one_cycle(cs);
		if (cs->frame_phase == 0 && pred(ctx))
			return true;
	}
	return pred(ctx);
}

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

int cosim_init(struct cosim *cs, int argc, char **argv, const char *fst_path,
	       enum t1_framing framing, enum t1_linecode linecode)
{
	memset(cs, 0, sizeof(*cs));
	cs->card = vcard_new(argc, argv, fst_path);
	if (!cs->card)
		return -1;
	cs->spans = vcard_spans();
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
	/* COSIM_CYCLES_PER_FRAME cycles are exactly 125 us */
	return cs->cycle / COSIM_CYCLES_PER_FRAME * 125 * EV_USEC +
	       (cs->cycle % COSIM_CYCLES_PER_FRAME) * 125 * EV_USEC / COSIM_CYCLES_PER_FRAME;
}

/* The T1 lines, at COSIM_CYCLES_PER_BIT core cycles per bit: the telco changes the
 * card's receive data as RCLK rises and samples the card's transmit data as TCLK falls. */
static void line_cycle(struct cosim *cs)
{
	unsigned phase = (unsigned)(cs->cycle % COSIM_CYCLES_PER_BIT);
	uint32_t rclk = phase < COSIM_CYCLES_PER_BIT / 2 ? ~0u : 0;

	for (unsigned s = 0; s < cs->spans; s++) {
		struct cosim_span *sp = &cs->span[s];
		int tclk = (int)((cs->out.liu_tclk >> s) & 1);

		if (phase == 0) {
			sp->sym = t1_encoder_next(&sp->enc);
			cs->in.liu_rpos = (cs->in.liu_rpos & ~(1u << s)) | ((uint32_t)(sp->sym > 0) << s);
			cs->in.liu_rneg = (cs->in.liu_rneg & ~(1u << s)) | ((uint32_t)(sp->sym < 0) << s);
		}
		if (sp->last_tclk && !tclk) {
			int pos = (int)((cs->out.liu_tpos >> s) & 1), neg = (int)((cs->out.liu_tneg >> s) & 1);

			t1_decoder_push(&sp->dec, pos && !neg ? 1 : (neg && !pos ? -1 : 0));
		}
		sp->last_tclk = tclk;
	}
	cs->in.liu_rclk = rclk & ((cs->spans >= 32) ? ~0u : ((1u << cs->spans) - 1));
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
	if (cs->cycle % COSIM_CYCLES_PER_FRAME == 0)
		host_frame(cs);
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
		if (cs->cycle % COSIM_CYCLES_PER_FRAME == 0 && pred(ctx))
			return true;
	}
	return pred(ctx);
}

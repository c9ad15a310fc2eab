/*
 * vcard.h - C interface to the Verilated card (card_top), for the C11 co-simulation
 *
 * The only C++ in the simulator is behind this header (sim/vcard.cpp): it owns the
 * VerilatedContext and the model, applies pin values, and clocks one core cycle.
 * Everything else (FT232H model, telco, subscribers, the daemon) is C.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_VCARD_H
#define DIALBACK_SIM_VCARD_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Pins into the card, applied before the next rising edge of clk. */
struct vcard_in {
	uint8_t  ft_data;	/*!< FT232H D[7:0] as driven by the FT232H */
	bool     ft_rxf_n, ft_txe_n;
	uint32_t liu_rpos, liu_rneg, liu_rclk;	/*!< bit n = span n */
	bool     rst;
};

/* Pins out of the card after the edge. */
struct vcard_out {
	uint8_t  ft_data;	/*!< card's drive of D[7:0] (meaningful when ft_data_oe) */
	bool     ft_data_oe, ft_rd_n, ft_wr_n, ft_oe_n, ft_siwu_n;
	uint32_t liu_tpos, liu_tneg, liu_tclk;
};

struct vcard;

/* The binary holds two models of card_top with fixed SPANS and CORE_HZ: a narrow one
 * (vcard_narrow_spans(), 2 spans at 3.088 MHz) and a wide one (vcard_max_spans(), 28
 * spans at 24.704 MHz).  vcard_new() takes the narrow model when `spans` fits in it,
 * else the wide one (NULL if spans > vcard_max_spans()). */
struct vcard *vcard_new(unsigned spans, int argc, char **argv, const char *fst_path);
void     vcard_free(struct vcard *v);
unsigned vcard_narrow_spans(void);
unsigned vcard_max_spans(void);
/* The model's SPANS and core clock (Hz). */
unsigned vcard_spans(const struct vcard *v);
uint32_t vcard_core_hz(const struct vcard *v);
/* One core clock cycle: apply `in`, rising edge, read `out`. */
void     vcard_cycle(struct vcard *v, const struct vcard_in *in, struct vcard_out *out);
uint64_t vcard_cycles(const struct vcard *v);

#ifdef __cplusplus
}
#endif

#endif /* DIALBACK_SIM_VCARD_H */

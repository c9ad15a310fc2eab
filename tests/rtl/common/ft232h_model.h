/*
 * ft232h_model.h - FT232H synchronous 245 FIFO, host side (test only)
 *
 * Drives RXF#/TXE#/data-in of a Verilated top with ft_* ports and moves bytes
 * exactly as the FT232H datasheet's synchronous FIFO timing says: a byte is
 * read on a rising edge with RD# and RXF# low (data driven while OE# is low),
 * written on a rising edge with WR# and TXE# low.  Checks the card's side of
 * the protocol (no bus contention, OE# before RD#).  Random stalls.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_FT232H_MODEL_H
#define DIALBACK_FT232H_MODEL_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <vector>

struct ft232h_model {
	std::deque<uint8_t> to_card;	/* host -> card bytes waiting */
	std::vector<uint8_t> from_card;	/* card -> host bytes received */
	std::mt19937 rng{12345};
	int stall_pct = 10;		/* % of clocks with RXF#/TXE# forced high */
	bool rxf_n = true, txe_n = true;
	bool prev_oe_n = true;
	long errors = 0;
	bool armed = false;	/* set after reset: outputs are undefined before */

	/* Before the rising edge (clk low, outputs settled from the last edge). */
	template <class T> void drive(T *top)
	{
		rxf_n = to_card.empty() || (int)(rng() % 100) < stall_pct;
		txe_n = (int)(rng() % 100) < stall_pct;
		top->ft_rxf_n = rxf_n;
		top->ft_txe_n = txe_n;
		top->ft_data_in = (!top->ft_oe_n && !to_card.empty()) ? to_card.front() : (uint8_t)rng();
	}

	/* Sample the transfer that happens at this rising edge; call before it. */
	template <class T> void edge(T *top)
	{
		if (!armed) {
			prev_oe_n = top->ft_oe_n;
			return;
		}
		if (top->ft_data_oe && !top->ft_oe_n) {
			if (errors++ < 5)
				fprintf(stderr, "ft232h: bus contention (card drives while OE# low)\n");
		}
		if (!top->ft_rd_n && prev_oe_n) {
			if (errors++ < 5)
				fprintf(stderr, "ft232h: RD# low without OE# low the clock before\n");
		}
		if (!top->ft_rd_n && !rxf_n) {
			to_card.pop_front();
		}
		if (!top->ft_wr_n && !txe_n) {
			if (!top->ft_data_oe && errors++ < 5)
				fprintf(stderr, "ft232h: WR# low without driving the bus\n");
			from_card.push_back(top->ft_data_out);
		}
		prev_oe_n = top->ft_oe_n;
	}
};

#endif

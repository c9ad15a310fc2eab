/*
 * ft232h.c - FT232H synchronous 245 FIFO model (see ft232h.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "ft232h.h"

#include <string.h>

void ft232h_init(struct ft232h *f)
{
	memset(f, 0, sizeof(*f));
}

size_t ft232h_to_card_room(const struct ft232h *f)
{
	return FT232H_RX_BUF - f->to_card_len;
}

void ft232h_write_to_card(struct ft232h *f, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len && f->to_card_len < FT232H_RX_BUF; i++) {
		f->to_card[(f->to_card_head + f->to_card_len) % FT232H_RX_BUF] = data[i];
		f->to_card_len++;
	}
}

size_t ft232h_read_to_host(struct ft232h *f, uint8_t *buf, size_t max)
{
	size_t n = max < f->to_host_len ? max : f->to_host_len;

	for (size_t i = 0; i < n; i++)
		buf[i] = f->to_host[(f->to_host_head + i) % FT232H_TX_BUF];
	f->to_host_head = (f->to_host_head + n) % FT232H_TX_BUF;
	f->to_host_len -= n;
	return n;
}

void ft232h_pins(const struct ft232h *f, struct vcard_in *in)
{
	in->ft_rxf_n = f->to_card_len == 0;
	in->ft_txe_n = f->to_host_len == FT232H_TX_BUF;
	in->ft_data = f->to_card_len ? f->to_card[f->to_card_head] : 0xFF;
}

void ft232h_edge(struct ft232h *f, const struct vcard_in *in, const struct vcard_out *prev)
{
	if (!prev->ft_oe_n && prev->ft_data_oe)
		f->bus_conflicts++;	/* both sides driving D[7:0] */
	if (!prev->ft_oe_n && !prev->ft_rd_n && !in->ft_rxf_n) {
		f->to_card_head = (f->to_card_head + 1) % FT232H_RX_BUF;
		f->to_card_len--;
		f->bytes_to_card++;
	}
	if (!prev->ft_wr_n && !in->ft_txe_n) {
		f->to_host[(f->to_host_head + f->to_host_len) % FT232H_TX_BUF] = prev->ft_data;
		f->to_host_len++;
		f->bytes_to_host++;
	}
}

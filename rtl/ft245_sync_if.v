/*
 * ft245_sync_if.v
 *
 * FTDI FT232H synchronous 245 FIFO interface (60 MHz CLKOUT = clk).  Reads:
 * OE# low one clock before RD#; a byte moves on every rising edge with RD# and
 * RXF# both low.  Writes: the byte on the bus moves on every rising edge with
 * WR# and TXE# both low (a byte offered while TXE# is high stays offered).  The
 * card drives the bus only in the write state and never in the same clock as
 * OE#; bursts are limited so neither direction starves the other.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module ft245_sync_if #(
	parameter BURST = 64		// longest burst in one direction
) (
	// FT232H pins
	input  wire [7:0] ft_data_in,
	output wire [7:0] ft_data_out,
	output wire       ft_data_oe,	// drive ft_data_out onto the bus
	input  wire       ft_rxf_n,	// FT has data for us
	input  wire       ft_txe_n,	// FT can take data
	output reg        ft_rd_n,
	output wire       ft_wr_n,
	output reg        ft_oe_n,
	output wire       ft_siwu_n,	// send immediate: unused, high

	// bytes from the host
	output reg        rx_valid,
	output reg  [7:0] rx_data,
	input  wire       rx_room,	// receiver can take 4 more bytes

	// bytes to the host (first-word-fall-through FIFO)
	input  wire       tx_empty,
	input  wire [7:0] tx_data,
	output wire       tx_pop,

	input  wire clk,
	input  wire rst
);
	localparam
		S_IDLE = 2'd0,		// bus released
		S_OE   = 2'd1,		// OE# low, RD# next
		S_RD   = 2'd2,		// reading
		S_WR   = 2'd3;		// writing

	reg [1:0] state;
	reg [6:0] burst;
	reg       pref_rd;		// alternate priority

	assign ft_siwu_n   = 1'b1;
	assign ft_data_oe  = (state == S_WR);
	assign ft_data_out = tx_data;
	assign ft_wr_n     = !(state == S_WR && !tx_empty);
	assign tx_pop      = !ft_wr_n && !ft_txe_n;

	always @(posedge clk) begin
		rx_valid <= 1'b0;
		rx_data <= ft_data_in;
		if (rst) begin
			state <= S_IDLE;
			ft_rd_n <= 1'b1;
			ft_oe_n <= 1'b1;
			burst <= 7'd0;
			pref_rd <= 1'b0;
		end else begin
			case (state)
			S_IDLE: begin
				burst <= 7'd0;
				if (!ft_rxf_n && rx_room && (pref_rd || tx_empty || ft_txe_n)) begin
					ft_oe_n <= 1'b0;
					state <= S_OE;
				end else if (!tx_empty && !ft_txe_n) begin
					state <= S_WR;
				end
			end
			S_OE: begin
				ft_rd_n <= 1'b0;
				state <= S_RD;
			end
			S_RD: begin
				if (!ft_rxf_n)
					rx_valid <= 1'b1;
				burst <= burst + 7'd1;
				if (ft_rxf_n || !rx_room || burst == BURST - 1) begin
					ft_rd_n <= 1'b1;
					ft_oe_n <= 1'b1;
					pref_rd <= 1'b0;
					state <= S_IDLE;
				end
			end
			default: begin	// S_WR
				burst <= burst + 7'd1;
				if (tx_empty || ft_txe_n || burst == BURST - 1) begin
					pref_rd <= 1'b1;
					state <= S_IDLE;
				end
			end
			endcase
		end
	end

endmodule // ft245_sync_if

/*
 * card_csr.v
 *
 * The card's global registers (word addresses 0x0000-0x0FFF, map in
 * docs/card-registers.md): identification, build, scratch, and 32-bit
 * statistics counters (wrap, never saturate) fed by one-clock strobes.
 * Read data is valid one clock after bus_re, and 0 for other addresses.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module card_csr #(
	parameter SPANS        = 2,		// T1 spans, 1..28
	parameter TX_BUF_BYTES = 64,		// per-channel transmit credit
	parameter RX_CHUNK     = 32,		// largest RX_DATA payload
	parameter BUILD_ID     = 32'h0000_0001,	// bitstream build identifier
	parameter NCNT         = 13		// statistics counters, 1..16
) (
	// CSR bus
	input  wire        bus_we,
	input  wire        bus_re,
	input  wire [15:0] bus_addr,
	input  wire [31:0] bus_wdata,
	output reg  [31:0] bus_rdata,
	// counter increments (one-clock strobes), counter i at 0x0010 + i
	input  wire [NCNT-1:0] inc,

	input  wire clk,
	input  wire rst
);
	localparam [31:0] ID = 32'h4442434B;	// "DBCK"
	localparam NCH = SPANS * 24;

	reg [31:0] scratch;
	reg [31:0] cnt [0:NCNT-1];
	integer i;

	always @(posedge clk) begin
		if (rst) begin
			scratch <= 32'd0;
			for (i = 0; i < NCNT; i = i + 1)
				cnt[i] <= 32'd0;
		end else begin
			if (bus_we && bus_addr == 16'h0003)
				scratch <= bus_wdata;
			for (i = 0; i < NCNT; i = i + 1)
				if (inc[i])
					cnt[i] <= cnt[i] + 32'd1;
		end
	end

	reg [31:0] rd;
	always @* begin
		rd = 32'd0;
		case (bus_addr)
		16'h0000: rd = ID;
		16'h0001: rd = {NCH[15:0], SPANS[7:0], 8'd1};
		16'h0002: rd = BUILD_ID;
		16'h0003: rd = scratch;
		16'h0004: rd = {RX_CHUNK[15:0], TX_BUF_BYTES[15:0]};
		default: begin
			for (i = 0; i < NCNT; i = i + 1)
				if ({16'd0, bus_addr} == 32'h10 + i)
					rd = cnt[i];
		end
		endcase
	end

	always @(posedge clk)
		bus_rdata <= bus_re ? rd : 32'd0;

endmodule // card_csr

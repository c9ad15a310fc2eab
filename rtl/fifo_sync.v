/*
 * fifo_sync.v
 *
 * Synchronous first-word-fall-through FIFO on one ram_sdp.  Pointers carry an
 * extra MSB (full = same index, different wrap bit).  The RAM is read one
 * entry ahead (address = next read pointer), and a written word becomes
 * visible one clock after its write (empty is a register: the write pointer
 * before this clock's write against the next read pointer), so a read never
 * races the write of the same word.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module fifo_sync #(
	parameter WIDTH = 8,		// bits per word
	parameter AW    = 9		// depth = 2**AW words
) (
	// write side
	input  wire             wr_en,		// ignored when full
	input  wire [WIDTH-1:0] wr_data,
	output wire             full,
	output wire [AW:0]      level,		// words stored (conservative)
	// read side (first word fall through)
	input  wire             rd_en,		// pop rd_data; ignored when empty
	output wire [WIDTH-1:0] rd_data,
	output wire             empty,

	input  wire clk,
	input  wire rst
);
	reg  [AW:0] wr_ptr_q, rd_ptr_q;
	reg         empty_q;
	wire        do_wr = wr_en && !full;
	wire        do_rd = rd_en && !empty;
	wire [AW:0] rd_ptr_d = rd_ptr_q + {{AW{1'b0}}, do_rd};

	assign full  = (wr_ptr_q[AW-1:0] == rd_ptr_q[AW-1:0]) && (wr_ptr_q[AW] != rd_ptr_q[AW]);
	assign empty = empty_q;
	assign level = wr_ptr_q - rd_ptr_q;

	always @(posedge clk) begin
		if (rst) begin
			wr_ptr_q  <= {(AW+1){1'b0}};
			empty_q   <= 1'b1;
			rd_ptr_q  <= {(AW+1){1'b0}};
		end else begin
			wr_ptr_q  <= wr_ptr_q + {{AW{1'b0}}, do_wr};
			empty_q   <= (wr_ptr_q == rd_ptr_d);
			rd_ptr_q  <= rd_ptr_d;
		end
	end

	ram_sdp #(.WIDTH(WIDTH), .DEPTH(1 << AW), .AW(AW)) ram_I (
		.wr_en(do_wr), .wr_addr(wr_ptr_q[AW-1:0]), .wr_data(wr_data),
		.rd_en(1'b1), .rd_addr(rd_ptr_d[AW-1:0]), .rd_data(rd_data),
		.clk(clk)
	);

endmodule // fifo_sync

/*
 * ram_sdp.v
 *
 * Simple dual-port RAM: one write port, one registered read port, one clock.
 * Inferred (block RAM on FPGAs).  A read of the address being written in the
 * same clock returns undefined data (old contents in Verilator); users never
 * depend on it.  No reset: contents are data, owners initialise what they need
 * by writing.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module ram_sdp #(
	parameter WIDTH = 8,		// bits per word
	parameter DEPTH = 256,		// words (need not be a power of two)
	parameter AW    = 8		// address bits, 2**AW >= DEPTH
) (
	/* verilator lint_off UNUSEDSIGNAL */	// high address bits when DEPTH < 2**AW
	// write port
	input  wire             wr_en,
	input  wire [AW-1:0]    wr_addr,
	input  wire [WIDTH-1:0] wr_data,
	// read port: rd_data holds mem[rd_addr] one clock after rd_en
	input  wire             rd_en,
	input  wire [AW-1:0]    rd_addr,
	output reg  [WIDTH-1:0] rd_data,
	/* verilator lint_on UNUSEDSIGNAL */

	input  wire             clk
);
	// no_rw_check: a read of the word being written may return anything (no user
	// depends on it), so Yosys maps straight onto the block RAM without bypass logic
	(* no_rw_check *)
	reg [WIDTH-1:0] mem [0:DEPTH-1];

	initial begin
		if ((1 << AW) < DEPTH)
			$error("ram_sdp: AW too small for DEPTH (instance %m)");
	end

	// DEPTH need not be 2**AW: the index is wider than the array on purpose
	/* verilator lint_off WIDTH */
	always @(posedge clk) begin
		if (wr_en)
			mem[wr_addr] <= wr_data;
		if (rd_en)
			rd_data <= mem[rd_addr];
	end
	/* verilator lint_on WIDTH */

endmodule // ram_sdp

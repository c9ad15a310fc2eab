/*
 * t1_line_bank_stub.v  (test only, not part of rtl/)
 *
 * Stand-in for t1_line_bank with the same ports: a DS0 loopback.  The octet
 * written for (span, ts) in system frame k comes back as that timeslot's
 * receive octet in frame k+1, after passing through the C++ testbench's
 * line_tap() (DPI), which records it and may corrupt or replace it.
 * sys_frame every 772 clocks.  CSR: CONFIG registers stored, STATUS reads 0x10
 * (in frame), counters read span*0x100 + reg.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none
/* verilator lint_off DECLFILENAME */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_off BLKSEQ */
/* verilator lint_off UNUSEDPARAM */

module t1_line_bank #(
	parameter SPANS = 2,
	parameter SPAN_W = 1,
	parameter CORE_HZ = 6176000,
	parameter VISIT_CLKS = 1		// as t1_line_bank (unused here)
) (
	input  wire [SPANS-1:0] liu_rpos, input wire [SPANS-1:0] liu_rneg, input wire [SPANS-1:0] liu_rclk,
	output wire [SPANS-1:0] liu_tpos, output wire [SPANS-1:0] liu_tneg, output wire [SPANS-1:0] liu_tclk,
	output reg               sys_frame,
	input  wire              oct_valid,
	input  wire [SPAN_W-1:0] oct_span,
	input  wire [4:0]        oct_ts,
	input  wire [7:0]        oct_tx,
	output reg  [7:0]        oct_rx,
	input  wire        bus_we, input wire bus_re, input wire [15:0] bus_addr, input wire [31:0] bus_wdata,
	output reg  [31:0] bus_rdata,
	output wire [SPANS-1:0] span_event,
	input  wire clk, input wire rst
);
	import "DPI-C" function int line_tap(input int span, input int ts, input int octet);

	localparam N = SPANS * 24;
	reg [7:0]  mem0 [0:N-1];
	reg [7:0]  mem1 [0:N-1];
	reg        par;
	reg [9:0]  cnt;
	reg [31:0] config_q [0:SPANS-1];
	reg [SPANS-1:0] sev;
	integer idx, i;
	reg [31:0] tapv;

	assign liu_tpos = {SPANS{1'b0}};
	assign liu_tneg = {SPANS{1'b0}};
	assign liu_tclk = {SPANS{1'b0}};
	assign span_event = sev;

	always @(posedge clk) begin
		sys_frame <= 1'b0;
		if (rst) begin
			cnt <= 10'd0;
			par <= 1'b0;
			sev <= {SPANS{1'b1}};
			for (i = 0; i < N; i = i + 1) begin
				mem0[i] = 8'hFF;
				mem1[i] = 8'hFF;
			end
		end else begin
			cnt <= (cnt == 10'd771) ? 10'd0 : cnt + 10'd1;
			if (cnt == 10'd771) begin
				sys_frame <= 1'b1;
				par <= !par;
			end
			if (oct_valid) begin
				idx = {{(32 - SPAN_W){1'b0}}, oct_span} * 24 + {27'd0, oct_ts};
				tapv = line_tap({{(32 - SPAN_W){1'b0}}, oct_span}, {27'd0, oct_ts}, {24'd0, oct_tx});
				if (par) begin
					mem1[idx] <= tapv[7:0];
					oct_rx <= mem0[idx];
				end else begin
					mem0[idx] <= tapv[7:0];
					oct_rx <= mem1[idx];
				end
			end
			if (bus_we && bus_addr[15:12] == 4'h1 && bus_addr[3:0] == 4'h0)
				config_q[bus_addr[11:4]] <= bus_wdata;
			if (bus_re && bus_addr[15:12] == 4'h1 && bus_addr[3:0] == 4'h1)
				sev[bus_addr[11:4]] <= 1'b0;
		end
		bus_rdata <= 32'd0;
		if (bus_re && bus_addr[15:12] == 4'h1) begin
			if (bus_addr[3:0] == 4'h0)
				bus_rdata <= config_q[bus_addr[11:4]];
			else if (bus_addr[3:0] == 4'h1)
				bus_rdata <= 32'h10;
			else
				bus_rdata <= {16'd0, bus_addr[11:4], 4'h0, bus_addr[3:0]};
		end
	end

endmodule // t1_line_bank

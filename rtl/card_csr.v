/*
 * card_csr.v
 *
 * The card's global registers (word addresses 0x0000-0x0FFF, map in
 * docs/card-registers.md): identification, build, scratch, and 32-bit
 * statistics counters (wrap, never saturate) fed by one-clock strobes.
 * Read data is valid one clock after bus_re, and 0 for other addresses.
 *
 * The counters live in one 32-bit-wide RAM (block RAM) with one shared adder.
 * Each counter has a small pending count in flip-flops that takes its strobes;
 * a service reads a counter's RAM word, takes (and clears) its pending count,
 * and writes word + pending back one clock later.  Services run round robin,
 * one per clock, so a counter is serviced at least every NCNT + NCNT/2 clocks
 * (a bus read steals at most every second clock): PEND_W = 5 bits hold 31
 * strobes, enough for a strobe on every clock with up to 16 counters.  A bus
 * read of a counter is itself a service of that counter: it returns the sum
 * being written, so a read sees every strobe up to the clock before bus_re,
 * exactly as counters in registers would.
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
	localparam PEND_W = 5;
	localparam integer LAST_I = NCNT - 1;
	localparam [3:0] LAST = LAST_I[3:0];

	initial begin
		if (NCNT < 1 || NCNT > 16)
			$error("card_csr: NCNT must be 1..16 (instance %m)");
	end

	reg [31:0] scratch;
	integer i;

	// ---------------- pending counts, service pipeline ----------------
	reg  [PEND_W-1:0] pend [0:NCNT-1];
	reg               s1_v;			// service: the word read last clock is in ram_rd,
	reg  [3:0]        s1_c;			// word + s1_p is written back this clock
	reg  [PEND_W-1:0] s1_p;
	reg               s1_fwd;		// the word read was being written: use s1_fwd_d
	reg  [31:0]       s1_fwd_d;
	reg  [3:0]        rr;			// round-robin service pointer
	reg               init_q;		// clearing the counter RAM after reset
	reg  [3:0]        init_c;

	// a bus read of counter bus_addr - 0x10 takes this clock's service
	wire        cnt_rd = bus_re && bus_addr[15:4] == 12'h001 && bus_addr[3:0] <= LAST;
	wire [3:0]  svc_c = cnt_rd ? bus_addr[3:0] : rr;
	wire        svc_ok = !init_q;

	wire [31:0] ram_rd;
	wire [31:0] base = s1_fwd ? s1_fwd_d : ram_rd;
	wire [31:0] sum = base + {{(32 - PEND_W){1'b0}}, s1_p};

	always @(posedge clk) begin
		for (i = 0; i < NCNT; i = i + 1)
			pend[i] <= ((svc_ok && svc_c == i[3:0]) ? {PEND_W{1'b0}} : pend[i]) +
				   {{(PEND_W - 1){1'b0}}, inc[i]};
		s1_v <= svc_ok;
		s1_c <= svc_c;
		s1_p <= pend[svc_c];
		// the word read now is being written now (same counter twice in a row):
		// its RAM read is undefined, take the sum instead
		s1_fwd <= s1_v && s1_c == svc_c;
		s1_fwd_d <= sum;
		if (svc_ok && !cnt_rd)
			rr <= (rr == LAST) ? 4'd0 : rr + 4'd1;
		if (init_q) begin
			init_c <= init_c + 4'd1;
			if (init_c == LAST)
				init_q <= 1'b0;
		end
		if (rst) begin
			for (i = 0; i < NCNT; i = i + 1)
				pend[i] <= {PEND_W{1'b0}};
			s1_v <= 1'b0;
			rr <= 4'd0;
			init_q <= 1'b1;
			init_c <= 4'd0;
		end
	end

	ram_sdp #(.WIDTH(32), .DEPTH(NCNT), .AW(4)) cnt_I (
		.wr_en(init_q || s1_v), .wr_addr(init_q ? init_c : s1_c),
		.wr_data(init_q ? 32'd0 : sum),
		.rd_en(svc_ok), .rd_addr(svc_c), .rd_data(ram_rd), .clk(clk));

	// ---------------- registers ----------------
	always @(posedge clk) begin
		if (rst)
			scratch <= 32'd0;
		else if (bus_we && bus_addr == 16'h0003)
			scratch <= bus_wdata;
	end

	reg [31:0] rd;
	always @* begin
		case (bus_addr)
		16'h0000: rd = ID;
		16'h0001: rd = {NCH[15:0], SPANS[7:0], 8'd1};
		16'h0002: rd = BUILD_ID;
		16'h0003: rd = scratch;
		16'h0004: rd = {RX_CHUNK[15:0], TX_BUF_BYTES[15:0]};
		default:  rd = 32'd0;
		endcase
	end

	reg [31:0] rval_q;
	reg        rcnt_q;
	always @(posedge clk) begin
		rval_q <= bus_re ? rd : 32'd0;
		rcnt_q <= cnt_rd;
		if (rst)
			rcnt_q <= 1'b0;
	end
	// a counter read's sum is the value written back in this clock
	always @*
		bus_rdata = rcnt_q ? sum : rval_q;

endmodule // card_csr

/*
 * card_csr.v
 *
 * The card's global registers (word addresses 0x0000-0x0FFF, map in
 * docs/card-registers.md): identification, build, scratch, and 32-bit
 * statistics counters (wrap, never saturate) fed by one-clock strobes.
 * Read data is valid one clock after bus_re, and 0 for other addresses.
 *
 * The read-only registers and the counters live in one 32 x 32-bit RAM (block
 * RAM) with one shared adder, word = address for 0x0000-0x001F: ID, VERSION,
 * BUILD_ID and BUFFERS are its initial contents (never written, so a reset
 * keeps them), the counters are words 16..31, the other words stay 0.  A read
 * is one RAM read, its data the RAM word (plus a counter's pending strobes)
 * gated by the read; SCRATCH is a register.
 *
 * Each counter has a small pending count in flip-flops that takes its strobes:
 * a 5-bit LFSR (one flip-flop per bit without logic, 31 states: up to 30
 * strobes), turned into a number by one shared table.  A service reads a
 * counter's RAM word, takes (and clears) its pending count, and writes word +
 * pending back one clock later.  Services run round robin, one per clock; a bus
 * read steals at most every second clock, so a counter is serviced at least
 * every 2 * NCNT clocks: at most 30 strobes with NCNT <= 15.  A bus read of a
 * counter is itself a service of that counter: it returns the sum being
 * written, so a read sees every strobe up to the clock before bus_re, exactly
 * as counters in registers would.  A service of the counter being written back
 * in the same clock merges with that write (the word is held and written one
 * clock later, with the one strobe that can have come since).  After reset the
 * first round of services reads an all-zero word instead of the counters'
 * words: that clears them (and counts the strobes since reset).  It takes NCNT
 * clocks plus one per bus read in between; a counter read is exact after it
 * (long before the card's first host message; reads of the other registers
 * are right at any time).
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module card_csr #(
	parameter SPANS        = 2,		// T1 spans, 1..28
	parameter TX_BUF_BYTES = 64,		// per-channel transmit credit
	parameter RX_CHUNK     = 32,		// largest RX_DATA payload
	parameter BUILD_ID     = 32'h0000_0001,	// bitstream build identifier
	parameter NCNT         = 13		// statistics counters, 2..15
) (
	// CSR bus
	input  wire        bus_we,
	input  wire        bus_re,
	input  wire [15:0] bus_addr,
	input  wire [31:0] bus_wdata,
	output wire [31:0] bus_rdata,
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
	localparam [4:0] ZERO_WORD = 5'd5;	// a word that stays 0

	initial begin
		if (NCNT < 2 || NCNT > 15)
			$error("card_csr: NCNT must be 2..15 (instance %m)");
	end

	// pending count: LFSR state (XNOR feedback of bits 4 and 2, 0 = no strobe) -> strobes,
	// one constant per count bit indexed by the state (state 11111 unused)
	localparam [31:0] PEND_T0 = 32'hb5448fc6;
	localparam [31:0] PEND_T1 = 32'he62f28cc;
	localparam [31:0] PEND_T2 = 32'h9f657c20;
	localparam [31:0] PEND_T3 = 32'h813b1f74;
	localparam [31:0] PEND_T4 = 32'hedd9b240;

	integer i;

	// ---------------- the register RAM ----------------
	(* no_rw_check *)
	reg  [31:0] mem [0:31];
	reg  [31:0] ram_rd;
	wire        wr_en, rd_en;
	wire [4:0]  wr_addr, rd_addr;
	wire [31:0] wr_data;

	initial begin
		for (i = 0; i < 32; i = i + 1)
			mem[i] = 32'd0;
		mem[0] = ID;
		mem[1] = {NCH[15:0], SPANS[7:0], 8'd1};
		mem[2] = BUILD_ID;
		mem[4] = {RX_CHUNK[15:0], TX_BUF_BYTES[15:0]};
	end

	always @(posedge clk) begin
		if (wr_en)
			mem[wr_addr] <= wr_data;
		if (rd_en)
			ram_rd <= mem[rd_addr];
	end

	// ---------------- pending counts, service pipeline ----------------
	reg  [NCNT-1:0]   pq0, pq1, pq2, pq3, pq4;	// LFSR bit k of counter i: pqk[i] (bit-sliced:
						// whole-vector updates, no per-counter branches)
	reg               s1_v;			// service: the word read last clock is in ram_rd,
	reg  [3:0]        s1_c;			// word + s1_p is written back this clock
	reg  [PEND_W-1:0] s1_p;
	reg  [3:0]        rr;			// round-robin service pointer
	reg               init_q;		// first round after reset: clear the counters
	reg               rv_q;			// last clock read a RAM word
	reg               sc_q;			// last clock read SCRATCH
	reg  [31:0]       scratch;

	wire        rd_hit = bus_re && bus_addr[15:5] == 11'd0;
	// a bus read of counter bus_addr - 0x10 takes this clock's service
	wire        cnt_rd = rd_hit && !init_q && bus_addr[4] && bus_addr[3:0] <= LAST;
	wire        svc = cnt_rd || !rd_hit;		// a counter service this clock
	wire [3:0]  svc_c = cnt_rd ? bus_addr[3:0] : rr;
	// the service hits the counter being written back now: its RAM read would be
	// undefined, so the write is held back one clock (ram_rd keeps the word, nothing
	// is read) and this clock's pending count (at most the one strobe since the last
	// service) joins s1_p
	wire        merge = svc && s1_v && s1_c == svc_c;
	wire [PEND_W-1:0] pend_c = {pq4[svc_c], pq3[svc_c], pq2[svc_c], pq1[svc_c], pq0[svc_c]};
	wire [NCNT-1:0]   take = svc ? ({{(NCNT - 1){1'b0}}, 1'b1} << svc_c) : {NCNT{1'b0}};

	wire [31:0] sum = ram_rd + {{(32 - PEND_W){1'b0}}, s1_p};

	always @(posedge clk) begin
		// taken: 0 (+ this clock's strobe); else a strobe shifts the LFSR
		pq0 <= (take & inc) | (~take & ((inc & ~(pq4 ^ pq2)) | (~inc & pq0)));
		pq1 <= ~take & ((inc & pq0) | (~inc & pq1));
		pq2 <= ~take & ((inc & pq1) | (~inc & pq2));
		pq3 <= ~take & ((inc & pq2) | (~inc & pq3));
		pq4 <= ~take & ((inc & pq3) | (~inc & pq4));
		s1_v <= svc;				// a plain read writes nothing back
		s1_c <= svc_c;
		if (merge)
			s1_p <= s1_p + {{(PEND_W - 1){1'b0}}, pend_c[0]};
		else if (svc)
			s1_p <= {PEND_T4[pend_c], PEND_T3[pend_c], PEND_T2[pend_c], PEND_T1[pend_c],
				 PEND_T0[pend_c]};
		else
			s1_p <= {PEND_W{1'b0}};
		if (svc && !cnt_rd)
			rr <= (rr == LAST) ? 4'd0 : rr + 4'd1;
		if (svc && rr == LAST)
			init_q <= 1'b0;
		rv_q <= rd_hit;
		sc_q <= bus_re && bus_addr == 16'h0003;
		if (bus_we && bus_addr == 16'h0003)
			scratch <= bus_wdata;
		if (rst) begin
			pq0 <= {NCNT{1'b0}};
			pq1 <= {NCNT{1'b0}};
			pq2 <= {NCNT{1'b0}};
			pq3 <= {NCNT{1'b0}};
			pq4 <= {NCNT{1'b0}};
			s1_v <= 1'b0;
			rr <= 4'd0;
			init_q <= 1'b1;
			rv_q <= 1'b0;
			sc_q <= 1'b0;
			scratch <= 32'd0;
		end
	end

	assign wr_en   = s1_v && !merge;
	assign wr_addr = {1'b1, s1_c};
	assign wr_data = sum;
	assign rd_en   = !merge;
	assign rd_addr = rd_hit ? bus_addr[4:0] : init_q ? ZERO_WORD : {1'b1, rr};

	// a read's word (a counter's: the sum written back in this clock), else 0
	assign bus_rdata = (rv_q ? sum : 32'd0) | (sc_q ? scratch : 32'd0);

endmodule // card_csr

/*
 * ram_wide_seq.v
 *
 * A RAM of DEPTH wide words (WIDTH bits) stored as K narrow words each, so that
 * a wide but shallow per-channel state costs few block RAMs: a block RAM reads
 * at most 16 bits per clock, so 48 words of 118 bits take 8 blocks when read at
 * once, but 2 when read as 8 words of 15 bits over 8 clocks (384 x 15).
 * K = 1 is a plain ram_sdp (one clock per access).
 *
 * The user runs in visits of K clocks, counted by ph (0..K-1, the same counter
 * for every instance); a visit ends at the clock edge where ph == K-1:
 *
 *   read   rd_en/rd_addr sampled at a visit's end; the K narrow words are read
 *          during the next visit (one per clock edge, the last at its end);
 *          rd_hold is the whole word in the FIRST clock of the visit after; rd_data
 *          is its low ceil(WIDTH/K) bits (the rest 0) in the LAST clock of the read's
 *          visit (K = 1: both are the ram_sdp output, the whole word one clock after
 *          the read).  RDW = 1: rd_data is the narrow word read at the last clock
 *          edge instead (word j in the clock after the edge where ph == j: word 0
 *          in the second clock of the read's visit).
 *   write  WMODE = 0: wr_en/wr_addr/wr_data held for a whole visit; the words
 *          are written during it (the last one at the visit's end).
 *          WMODE = 2: wr_en/wr_addr/wr_data sampled at the end of a visit's
 *          first clock (ph == 0; wr_data may be combinational, it is not
 *          looked at later); the words are written at the visit's other clock
 *          edges and the next visit's first (K = 1: as WMODE 0).  One register
 *          of K narrow words holds the words still to write and the words
 *          being read (no separate write data register, no word multiplexer).
 *          LMASK: the bits of the wide word written from wr_late instead, sampled
 *          when their narrow word is written (word j at the end of the clock
 *          with ph == j + 1, the last word at the next visit's first clock): for
 *          results the writer computes during the visit.
 *          WMODE = 1: a one-clock wr_en at any time; the words are written
 *          over the next up to 2*K clocks (from a visit's end), taking each from wr_data, which the
 *          writer keeps unchanged for 2*K clocks after wr_en (pulses at least
 *          2*K clocks apart).  Words are written in step with the reads, one
 *          clock ahead: a read never mixes old and new words of a word being
 *          written.
 *   clr    held for a whole visit: zeros written at clr_addr (the initialisation
 *          sweep after reset, before any wr_en), in place of wr_en (WMODE 2: like
 *          a write, its words written from the next clock on, the last one by the
 *          first clock of the visit after).
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module ram_wide_seq #(
	parameter WIDTH = 64,		// bits of a wide word
	parameter DEPTH = 48,		// wide words
	parameter AW    = 6,		// wide word address bits, 2**AW >= DEPTH
	parameter K     = 1,		// narrow words per wide word: 1, 2, 4, 8 or 16
	parameter KW    = 1,		// bits of ph, >= 1, 2**KW >= K
	parameter [WIDTH-1:0] LMASK = {WIDTH{1'b0}},	// WMODE 2: bits taken from wr_late
	parameter RDW   = 0,		// rd_data (K > 1): 0 word 0 in the read's visit's last
					// clock, 1 the narrow word read at the last edge
	parameter WMODE = 0		// write port: 0 held for a visit, 1 one-clock pulse,
					// 2 one clock into the visit
) (
	input  wire [KW-1:0]    ph,
	input  wire             clr,
	input  wire [AW-1:0]    clr_addr,
	input  wire             wr_en,
	input  wire [AW-1:0]    wr_addr,
	input  wire [WIDTH-1:0] wr_data,
	input  wire [WIDTH-1:0] wr_late,	// WMODE 2, LMASK bits: sampled when their word is written
	input  wire             rd_en,
	input  wire [AW-1:0]    rd_addr,
	output wire [WIDTH-1:0] rd_data,
	output wire [WIDTH-1:0] rd_hold,
	input  wire             clk
);
	initial begin
		if ((K != 1 && K != 2 && K != 4 && K != 8 && K != 16) || (1 << KW) < K)
			$error("ram_wide_seq: bad K/KW (instance %m)");
	end

	generate
	if (K == 1) begin : g_one
		ram_sdp #(.WIDTH(WIDTH), .DEPTH(DEPTH), .AW(AW)) ram_I (
			.wr_en(clr || wr_en), .wr_addr(clr ? clr_addr : wr_addr),
			.wr_data(clr ? {WIDTH{1'b0}} : wr_data),
			.rd_en(rd_en), .rd_addr(rd_addr), .rd_data(rd_data), .clk(clk));
		assign rd_hold = rd_data;
		wire unused_ok = &{1'b0, ph, wr_late};
	end else begin : g_seq
		localparam LK = (K == 2) ? 1 : (K == 4) ? 2 : (K == 8) ? 3 : 4;	// log2(K)
		localparam NW = (WIDTH + K - 1) / K;		// bits of a narrow word
		localparam PW = NW * K;				// padded wide word
		localparam integer LAST_I = K - 1;
		localparam [KW-1:0] LAST = LAST_I[KW-1:0];

		// ---- read: address sampled at the visit's end, word j read at the edge where
		// ph == j; the words come out of the block RAM's output register nrd
		reg  [AW-1:0]       ra_q;
		reg                 rv_q;
		wire [NW-1:0]       nrd;
		wire                first = (ph == LAST);
		wire [LK-1:0]       ridx  = ph[LK-1:0];
		always @(posedge clk) begin
			if (first) begin
				ra_q <= rd_addr;
				rv_q <= rd_en;
			end
		end

		/* verilator lint_off WIDTH */	// zero padding
		wire [PW-1:0] wd_pad = wr_data;
		/* verilator lint_on WIDTH */
		reg           n_we;
		reg  [AW-1:0] n_wa;
		reg  [LK-1:0] n_wi;
		wire [NW-1:0] n_wd;
		if (WMODE == 2) begin : g_late
			// One register r of K narrow words serves both ports: loaded with wr_data
			// at the end of a visit's first clock, then shifted down one word per clock,
			// the bottom word written to the RAM, the word just read entering at the top.
			// In the next visit's first clock the top K-1 words and nrd are the word read,
			// and the bottom word is the last one still to write.
			reg          l_we, l_clr;
			reg [AW-1:0] l_wa;
			reg [PW-1:0] r;
			/* verilator lint_off UNUSEDSIGNAL */	// padding bits
			wire [PW-1:0] rd_pad = {nrd, r[PW-1:NW]};
			/* verilator lint_on UNUSEDSIGNAL */
			assign rd_hold = rd_pad[WIDTH-1:0];
			// word 0 in the read's last clock: two slots above the words still to write
			wire [NW-1:0] w0 = (K == 2 || RDW != 0) ? nrd : r[2 * NW +: NW];
			/* verilator lint_off WIDTH */	// zero padding
			assign rd_data = w0;
			/* verilator lint_on WIDTH */
			// clr: a write of zeros like any other (r held at zero), one clock later than
			// in the other modes; the last cleared word is written by the first clock
			// of the visit after the sweep, before any read can see it
			always @(posedge clk) begin
				if (ph == {KW{1'b0}}) begin
					l_we <= clr || wr_en;
					l_clr <= clr;
					l_wa <= clr ? clr_addr : wr_addr;
				end
				if (clr)
					r <= {PW{1'b0}};
				else if (ph == {KW{1'b0}})
					r <= wd_pad;
				else
					r <= rd_pad;
			end
			always @* begin
				n_we = l_we;
				n_wa = l_wa;
				n_wi = ph[LK-1:0] - 1'b1;
			end
			/* verilator lint_off WIDTH */	// zero padding
			wire [PW-1:0] lm_pad = LMASK;
			wire [PW-1:0] wl_pad = wr_late;
			/* verilator lint_on WIDTH */
			wire [NW-1:0] lm_w = l_clr ? {NW{1'b0}} : lm_pad[n_wi * NW +: NW];	// (clr: zeros)
			wire [NW-1:0] wl_w = wl_pad[n_wi * NW +: NW];
			assign n_wd = (r[NW-1:0] & ~lm_w) | (wl_w & lm_w);
		end else begin : g_sh
			// words 0..K-2 shifted into sh (the last read on top), word K-1 stays in the
			// block RAM's output register for the next visit's first clock
			reg  [PW-NW-1:0]    sh;
			/* verilator lint_off UNUSEDSIGNAL */	// padding bits
			wire [PW-1:0]       rd_pad = {nrd, sh};
			/* verilator lint_on UNUSEDSIGNAL */
			assign rd_hold = rd_pad[WIDTH-1:0];
			// word 0 in the read's last clock: after K-2 shifts, in sh's second slot
			wire [NW-1:0]       w0 = (K == 2 || RDW != 0) ? nrd : rd_pad[NW +: NW];
			/* verilator lint_off WIDTH */	// zero padding
			assign rd_data = w0;
			/* verilator lint_on WIDTH */
			always @(posedge clk)
				if (ph != {KW{1'b0}})
					sh <= rd_pad[PW-1:NW];
			// word n_wi of the write data
			reg  [NW-1:0] wsel;
			integer       wi;
			always @* begin
				wsel = wd_pad[NW-1:0];
				for (wi = 1; wi < K; wi = wi + 1)
					if ({{(32 - LK){1'b0}}, n_wi} == wi)
						wsel = wd_pad[wi * NW +: NW];
			end
			assign n_wd = clr ? {NW{1'b0}} : wsel;
			wire unused_late = &{1'b0, wr_late};
			if (WMODE == 0) begin : g_win
				always @* begin
					n_we = clr || wr_en;
					n_wa = clr ? clr_addr : wr_addr;
					n_wi = ph[LK-1:0];
				end
			end else begin : g_pulse
				// word 0 at the edge where ph == K-1 (one before the reads' word 0), then
				// one per clock; clr (the initialisation sweep, never during pulses)
				// writes as WMODE 0
				localparam integer PRE_I = K - 1;
				localparam [KW-1:0] PRE = PRE_I[KW-1:0];
				reg          pend, act;
				reg [AW-1:0] wa_q;
				reg [LK-1:0] wc;
				wire         start = !clr && (ph == PRE) && (wr_en || pend) && !act;
				always @(posedge clk) begin
					if (clr) begin
						pend <= 1'b0;
						act <= 1'b0;
					end else begin
						if (wr_en) begin
							wa_q <= wr_addr;
							pend <= 1'b1;
						end
						if (start) begin
							pend <= 1'b0;
							act <= 1'b1;
							wc <= {{(LK-1){1'b0}}, 1'b1};
						end else if (act) begin
							wc <= wc + 1'b1;
							if (wc == LAST[LK-1:0])
								act <= 1'b0;
						end
					end
				end
				always @* begin
					n_we = clr || start || act;
					n_wa = clr ? clr_addr : (start && wr_en) ? wr_addr : wa_q;
					n_wi = clr ? ph[LK-1:0] : start ? {LK{1'b0}} : wc;
				end
			end
		end
		ram_sdp #(.WIDTH(NW), .DEPTH(DEPTH * K), .AW(AW + LK)) ram_I (
			.wr_en(n_we), .wr_addr({n_wa, n_wi}), .wr_data(n_wd),
			.rd_en(rv_q), .rd_addr({ra_q, ridx}),
			.rd_data(nrd), .clk(clk));
		if (KW > LK) begin : g_hi
			wire unused_hi = &{1'b0, ph[KW-1:LK]};
		end
	end
	endgenerate

endmodule // ram_wide_seq

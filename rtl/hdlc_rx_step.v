/*
 * hdlc_rx_step.v
 *
 * One receive step of one channel (combinational): given the channel's receive
 * state and the octet received in its timeslot, produce the next state and at
 * most one write into the channel's receive ring.  Called once per visit by
 * hdlc_chan_engine, which keeps the state of every channel in RAM.
 *
 * Front ends:
 *   RAW   the character stream: 0xFF (idle) dropped, 0x7D escapes the next
 *         octet (XOR 0x20); characters into the ring (counted and dropped when
 *         it is full)
 *   ASYNC the character stream as in RAW (0xFF idle, 0x7D escape), then RFC 1662
 *         on the characters: those < 0x20 flagged in the receive ACCM are
 *         dropped, 0x7D escapes the next character (XOR 0x20),
 *         0x7E ends a frame, 0x7D 0x7E aborts it
 *   SYNC  bit-stuffed HDLC, 8 line bits per visit, LSB first: a zero after
 *         five ones is removed, 0x7E is a flag, seven ones abort (then hunt
 *         for a flag); a frame that does not end on an octet boundary is bad
 * Back end (both HDLC modes): the last 2 (FCS-16) or 4 (FCS-32) octets are
 * held back in a delay line, so only frame content reaches the ring (cut
 * through); FCS residue check at the closing flag; MRU check (content longer
 * than MRU: rest discarded, TOO_LONG); frames no longer than the FCS: RUNT;
 * ring full: rest discarded, OVERRUN.  The end-of-frame entry carries the
 * status; when it cannot be written (ring full or port busy) it is kept
 * pending and written at a later visit, the next frame being discarded.
 *
 * Ring entry: {eof, data[7:0]}; eof = 1: data[2:0] = enum card_rx_status.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module hdlc_rx_step #(
	parameter ST_W = 103,		// state width (layout below; do not change)
	parameter FE_EXT = 0		// 1: the sync front end's results come from fe_* (the
					// engine runs it bit-serially over a visit's clocks)
) (
	// channel configuration
	input  wire [1:0]      mode,		// enum card_chan_mode
	input  wire            fcs32,		// CARD_OPT_FCS32
	input  wire [31:0]     accm,		// receive ACCM
	input  wire [15:0]     mru,		// longest content accepted
	input  wire            flush,		// reconfigured: end a frame in progress (ABORT) and restart
	// state
	input  wire [ST_W-1:0] st_in,
	output reg  [ST_W-1:0] st_out,
	// this visit's line octet
	input  wire [7:0]      oct,
	// receive ring
	input  wire            room,		// ring has space for one entry
	output reg             ring_we,
	output reg  [8:0]      ring_entry,
	// events (one clock strobes)
	output reg             ev_ok,		// frame delivered with good FCS
	output reg             ev_bad_fcs,
	output reg             ev_abort,
	output reg             ev_overrun,	// frame ended OVERRUN, or an octet/EOF lost (raw mode, pending EOF)
	output reg             ev_too_long,
	output reg             ev_runt,
	// FE_EXT = 1, sync mode: the front end's results for this visit's octet, from st_in
	// and oct (else unused)
	input  wire            fe_sync,		// flag seen (hunting when 0)
	input  wire [2:0]      fe_ones,		// consecutive ones
	input  wire [7:0]      fe_sh,		// octet being assembled
	input  wire [2:0]      fe_cnt,		// bits in it
	input  wire            fe_ov,		// an octet completed in the frame
	input  wire [7:0]      fe_od,		// ... this one
	input  wire            fe_end,		// closing flag
	input  wire            fe_abort,	// seven ones
	input  wire            fe_aligned	// the closing flag came on an octet boundary
);
	localparam
		M_OFF = 2'd0, M_RAW = 2'd1, M_ASYNC = 2'd2, M_SYNC = 2'd3;
	localparam
		RX_OK = 3'd0, RX_BAD_FCS = 3'd1, RX_ABORT = 3'd2, RX_OVERRUN = 3'd3,
		RX_TOO_LONG = 3'd4, RX_RUNT = 3'd5;
	localparam
		D_NONE = 2'd0, D_TOO_LONG = 2'd1, D_OVERRUN = 2'd2;

	wire        s_sync = st_in[0];		// 1 = flag seen, 0 = hunting
	wire        s_esc  = st_in[1];		// async: 0x7D seen
	wire [15:0] s_n    = st_in[17:2];	// octets in this frame (with FCS), saturating
	wire [31:0] s_dl   = st_in[49:18];	// delay line, [7:0] newest
	wire [31:0] s_fcs  = st_in[81:50];	// running FCS register
	wire [1:0]  s_disc = st_in[83:82];	// discarding the rest of the frame, and why
	wire        s_pend = st_in[84];		// an EOF entry waits for the ring
	wire [2:0]  s_pst  = st_in[87:85];	// its status
	wire [2:0]  s_ones = st_in[90:88];	// sync: consecutive ones
	wire [7:0]  s_sh   = st_in[98:91];	// sync: octet being assembled
	wire [2:0]  s_cnt  = st_in[101:99];	// sync: bits in s_sh
	wire        s_desc = st_in[102];	// async: 0x7D of the character stream seen

	wire unused_fe = &{1'b0, fe_sync, fe_ones, fe_sh, fe_cnt, fe_ov, fe_od, fe_end, fe_abort,
			   fe_aligned};	// (FE_EXT = 0)

	// ---- front ends: at most one octet and one end event per visit ----
	integer i;
	reg       f_sync, f_esc, f_desc;
	reg       have;			// async: a character this visit
	reg [7:0] c;
	reg [2:0] f_ones, f_cnt;
	reg [7:0] f_sh;
	reg       ov;			// content octet
	reg [7:0] od;
	reg       e_end, e_abort, e_aligned, e_seen;
	reg [7:0] wq;			// sync: bits shifted this visit, packed
	/* verilator lint_off UNUSEDSIGNAL */
	reg [15:0] wv;			// {wq, s_sh} (bit 0 never in a window)
	/* verilator lint_on UNUSEDSIGNAL */
	reg [1:0] rm;			// sync: zeros removed so far (stuffing, flag)
	reg [15:0] rp;			// sync: rm before bit i, at [2i+1:2i]

	always @* begin
		f_sync = s_sync; f_esc = s_esc; f_ones = s_ones; f_cnt = s_cnt; f_sh = s_sh;
		f_desc = s_desc; have = 1'b0; c = oct;
		ov = 1'b0; od = 8'h00; e_end = 1'b0; e_abort = 1'b0; e_aligned = 1'b1; e_seen = 1'b0;
		wq = 8'h00; wv = 16'h0000; rm = 2'd0; rp = 16'h0000;
		if (mode == M_RAW) begin
			if (oct == 8'hFF) begin
				// idle: no character
			end else if (s_esc) begin
				ov = 1'b1; od = oct ^ 8'h20; f_esc = 1'b0;
			end else if (oct == 8'h7D) begin
				f_esc = 1'b1;
			end else begin
				ov = 1'b1; od = oct;
			end
		end else if (mode == M_ASYNC) begin
			// the B-channel's character stream first: idle dropped, escape undone
			if (oct == 8'hFF) begin
				// idle: no character
			end else if (s_desc) begin
				have = 1'b1; c = oct ^ 8'h20; f_desc = 1'b0;
			end else if (oct == 8'h7D) begin
				f_desc = 1'b1;
			end else begin
				have = 1'b1;
			end
			// then RFC 1662 on the characters
			if (!have || (c < 8'h20 && accm[c[4:0]])) begin
				// no character, or one inserted by the link: ignore
			end else if (c == 8'h7E) begin
				if (s_sync) begin
					e_end = !s_esc;
					e_abort = s_esc;
				end
				f_sync = 1'b1;
				f_esc = 1'b0;
			end else if (c == 8'h7D) begin
				f_esc = 1'b1;
			end else begin
				ov = s_sync;
				od = s_esc ? (c ^ 8'h20) : c;
				f_esc = 1'b0;
			end
		end else if (mode == M_SYNC && FE_EXT != 0) begin
			f_sync = fe_sync; f_ones = fe_ones; f_sh = fe_sh; f_cnt = fe_cnt;
			ov = fe_ov; od = fe_od; e_end = fe_end; e_abort = fe_abort; e_aligned = fe_aligned;
		end else if (mode == M_SYNC) begin
			// The shift register's content is not carried through the loop: the bits
			// shifted in this visit are packed into wq (bit i - rm: rm = zeros removed
			// before it, at most 2 in 8 bits, five ones lie between two), and the new
			// shift register and the completed octet are windows of {wq, s_sh}.  An
			// octet can only complete before any flag of this visit (a flag restarts
			// the count with at most 7 bits left), at its (8 - s_cnt)-th shifted bit.
			for (i = 0; i < 8; i = i + 1) begin
				rp[2 * i +: 2] = rm;
				if (oct[i]) begin
					if (f_ones != 3'd7)
						f_ones = f_ones + 3'd1;
					if (f_ones == 3'd7 && f_sync) begin
						if (!e_seen) begin
							e_abort = 1'b1; e_seen = 1'b1;
						end
						f_sync = 1'b0;
					end
					f_cnt = f_cnt + 3'd1;
					if (f_cnt == 3'd0 && f_sync && !e_seen)
						ov = 1'b1;
				end else if (f_ones == 3'd6) begin
					// flag
					if (f_sync && !e_seen) begin
						e_end = 1'b1; e_seen = 1'b1; e_aligned = (f_cnt == 3'd7);
					end
					f_sync = 1'b1; f_cnt = 3'd0; f_ones = 3'd0;
					rm = rm + 2'd1;
				end else if (f_ones == 3'd5) begin
					f_ones = 3'd0;		// inserted zero
					rm = rm + 2'd1;
				end else begin
					f_ones = 3'd0;
					f_cnt = f_cnt + 3'd1;
					if (f_cnt == 3'd0 && f_sync && !e_seen)
						ov = 1'b1;
				end
			end
			// a one is always shifted, a shifted zero adds nothing
			for (i = 0; i < 8; i = i + 1)
				wq[i] = (oct[i] && rp[2 * i +: 2] == 2'd0) ||
					(i < 7 && oct[(i + 1) % 8] && rp[2 * ((i + 1) % 8) +: 2] == 2'd1) ||
					(i < 6 && oct[(i + 2) % 8] && rp[2 * ((i + 2) % 8) +: 2] == 2'd2);
			wv = {wq, s_sh};
			case (rm)
			2'd0: f_sh = wv[15:8];
			2'd1: f_sh = wv[14:7];
			default: f_sh = wv[13:6];
			endcase
			if (ov) begin
				case (s_cnt)
				3'd0: od = wv[15:8];
				3'd1: od = wv[14:7];
				3'd2: od = wv[13:6];
				3'd3: od = wv[12:5];
				3'd4: od = wv[11:4];
				3'd5: od = wv[10:3];
				3'd6: od = wv[9:2];
				default: od = wv[8:1];
				endcase
			end
		end
	end

	// ---- back end ----
	wire [15:0] f16_out;
	wire [31:0] f32_out;
	// the first octet of a frame starts from the initial value, however the frame began
	wire [31:0] fcs_base = (s_n == 16'd0) ? 32'hFFFFFFFF : s_fcs;
	fcs16 fcs16_I (.crc_in(fcs_base[15:0]), .data(od), .crc_out(f16_out));
	fcs32 fcs32_I (.crc_in(fcs_base), .data(od), .crc_out(f32_out));

	wire [15:0] fcs_len = fcs32 ? 16'd4 : 16'd2;
	wire [16:0] mru_end = {1'b0, mru} + {1'b0, fcs_len};
	wire        good = fcs32 ? (s_fcs == 32'hDEBB20E3) : (s_fcs[15:0] == 16'hF0B8);

	reg [15:0] n;
	reg [31:0] dl, fcs;
	reg [1:0]  disc;
	reg        pend;
	reg [2:0]  pst, status;
	reg [7:0]  po;
	reg        fin;

	always @* begin
		n = s_n; dl = s_dl; fcs = s_fcs; disc = s_disc; pend = s_pend; pst = s_pst;
		ring_we = 1'b0; ring_entry = 9'h000; status = RX_OK; po = 8'h00; fin = 1'b0;
		ev_ok = 1'b0; ev_bad_fcs = 1'b0; ev_abort = 1'b0; ev_overrun = 1'b0;
		ev_too_long = 1'b0; ev_runt = 1'b0;
		st_out = {ST_W{1'b0}};

		case (mode)
		M_OFF: ;
		M_RAW: begin
			st_out[1] = f_esc;
			if (ov && room) begin
				ring_we = 1'b1; ring_entry = {1'b0, od};
			end else if (ov) begin
				ev_overrun = 1'b1;
			end
		end
		M_ASYNC, M_SYNC: begin
			// a pending end-of-frame entry goes first
			if (pend && room) begin
				ring_we = 1'b1; ring_entry = {6'b100000, pst}; pend = 1'b0;
			end
			if (ov && !flush) begin
				if (pend)
					disc = D_OVERRUN;
				if (n != 16'hFFFF)
					n = n + 16'd1;
				fcs = fcs32 ? f32_out : {16'h0000, f16_out};
				po = fcs32 ? s_dl[31:24] : s_dl[15:8];
				if (s_n >= fcs_len && disc == D_NONE) begin
					// content octet number s_n - fcs_len + 1 leaves the delay line; it is
					// past the MRU from s_n == mru + fcs_len on (s_n takes every value here
					// while nothing is discarded, so equality finds the first)
					if ({1'b0, s_n} == mru_end)
						disc = D_TOO_LONG;
					else if (!ring_we && room) begin
						ring_we = 1'b1; ring_entry = {1'b0, po};
					end else
						disc = D_OVERRUN;
				end
				dl = {s_dl[23:0], od};
			end
			if ((e_end || e_abort || flush) && n != 16'h0000) begin
				fin = 1'b1;
				if (disc == D_TOO_LONG)
					status = RX_TOO_LONG;
				else if (disc == D_OVERRUN)
					status = RX_OVERRUN;
				else if (e_abort || flush)
					status = RX_ABORT;
				else if (n <= fcs_len)
					status = RX_RUNT;
				else if (!e_aligned)
					status = RX_BAD_FCS;
				else if (!good)
					status = RX_BAD_FCS;
				else
					status = RX_OK;
				ev_ok       = (status == RX_OK);
				ev_bad_fcs  = (status == RX_BAD_FCS);
				ev_abort    = (status == RX_ABORT);
				ev_overrun  = (status == RX_OVERRUN);
				ev_too_long = (status == RX_TOO_LONG);
				ev_runt     = (status == RX_RUNT);
				if (!ring_we && room) begin
					ring_we = 1'b1; ring_entry = {6'b100000, status};
				end else if (!pend) begin
					pend = 1'b1; pst = status;
				end else begin
					ev_overrun = 1'b1;	// a second EOF while one waits: frame lost (counted)
				end
			end
			if (e_end || e_abort || flush) begin
				n = 16'h0000; fcs = 32'hFFFFFFFF; disc = D_NONE; dl = 32'h0;
			end
			if (fin && pend)
				disc = D_OVERRUN;	// the next frame cannot be delivered in order
			if (flush)
				st_out = {1'b0, 3'd0, 8'h00, 3'd0, pst, pend, disc, fcs, dl, n, 1'b0, 1'b0};
			else
				st_out = {f_desc, f_cnt, f_sh, f_ones, pst, pend, disc, fcs, dl, n, f_esc, f_sync};
		end
		default: ;
		endcase
	end

endmodule // hdlc_rx_step

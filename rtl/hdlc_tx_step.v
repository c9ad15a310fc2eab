/*
 * hdlc_tx_step.v
 *
 * One transmit step of one channel (combinational): given the channel's
 * transmit state and the entry at the head of its transmit buffer, produce the
 * octet for this timeslot visit and the next state.  The time-multiplexed
 * engine (hdlc_chan_engine) keeps the state of every channel in RAM and calls
 * this once per visit.
 *
 * Modes (card_proto.h enum card_chan_mode):
 *   OFF   idle code 0xFF
 *   RAW   buffer octets as characters: 0xFF (idle) when the buffer is empty, a
 *         data 0xFF or 0x7D sent as 0x7D, octet ^ 0x20
 *   ASYNC the RFC 1662 characters below, put on the character stream the same way
 *   ASYNC RFC 1662 octet-stuffed HDLC: 0x7E flags (shared between back-to-back
 *         frames, flag fill between frames), 0x7D escapes for 0x7D, 0x7E and
 *         the octets < 0x20 selected by the ACCM (0xFFFFFFFF for a frame sent
 *         with CARD_TX_FULL_ACCM), FCS-16 or FCS-32, abort = 0x7D 0x7E
 *   SYNC  bit-stuffed HDLC (ISO 3309): a zero after five data ones, flags
 *         0x7E (or all ones idle), FCS-16/32, abort = eight ones; bits LSB
 *         first, 8 line bits per visit from a 15-bit bit queue.
 *
 * Buffer entry: {tag[1:0], fa, data[7:0]}; tag 0 data, 1 last data of the frame,
 * 2 end of frame without data, 3 abort the frame.  fa = frame wants full ACCM
 * (looked at on the frame's first entry).
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module hdlc_tx_step #(
	parameter ST_W = 96,		// state width (layout below; do not change)
	parameter SQ_EXT = 0		// 1: the sync bit queue is run outside (the engine, bit-
					// serially over a visit's clocks) from sym/sym_raw: st_out's
					// queue fields are st_in's, oct is 0 in sync mode
) (
	// channel configuration
	input  wire [1:0]      mode,		// enum card_chan_mode
	input  wire            fcs32,		// CARD_OPT_FCS32
	input  wire            idle_ones,	// CARD_OPT_IDLE_ONES (sync)
	input  wire [31:0]     accm,		// transmit ACCM
	// state
	input  wire [ST_W-1:0] st_in,
	output reg  [ST_W-1:0] st_out,
	// head of the transmit buffer
	input  wire            avail,		// an entry is there
	input  wire [10:0]     entry,
	output reg             consume,		// take the entry
	output reg             took_data,	// ... and it carried a payload octet
	// this visit's line octet
	output reg  [7:0]      oct,
	// events
	output reg             underrun,	// frame ran dry: aborted
	output reg             frame_sent,	// closing flag sent
	// sync: the symbol the framing FSM queued (when fewer than 8 bits were queued)
	output wire [7:0]      sym_o,
	output wire            sym_raw_o	// ... flag/abort/idle bits: not stuffed
);
	// state layout
	localparam
		TS_IDLE  = 3'd0,	// between frames: flag (or ones) fill
		TS_DATA  = 3'd1,	// inside a frame, next octet from the buffer
		TS_ESC   = 3'd2,	// async: 0x7D sent, send the escaped octet
		TS_FCS   = 3'd3,	// sending FCS octet idx
		TS_CLOSE = 3'd4,	// send the closing flag
		TS_ABORT = 3'd5;	// async: 0x7D sent, send 0x7E
	localparam
		M_OFF = 2'd0, M_RAW = 2'd1, M_ASYNC = 2'd2, M_SYNC = 2'd3;
	localparam
		TAG_DATA = 2'd0, TAG_LAST = 2'd1, TAG_EOF = 2'd2, TAG_ABORT = 2'd3;

	wire [2:0]  s_st   = st_in[2:0];
	wire        s_lf   = st_in[3];		// last symbol was a flag
	wire        s_fa   = st_in[4];		// frame uses full ACCM
	wire [1:0]  s_idx  = st_in[6:5];	// FCS octet index
	wire [7:0]  s_esc  = st_in[14:7];	// octet to send after 0x7D
	wire [2:0]  s_escn = st_in[17:15];	// state after TS_ESC
	wire [31:0] s_fcs  = st_in[49:18];	// running FCS register
	wire [14:0] s_q    = st_in[64:50];	// sync: bit queue, bit 0 next
	wire [14:0] s_qm   = st_in[79:65];	// sync: 1 = bit is a flag/abort bit (never stuffed)
	wire [3:0]  s_qn   = st_in[83:80];	// sync: bits in the queue
	wire [2:0]  s_ones = st_in[86:84];	// sync: consecutive data ones sent
	wire        s_dp   = st_in[87];		// async: second octet of a B-channel escape pending
	wire [7:0]  s_do   = st_in[95:88];	// async: that octet

	wire [1:0] e_tag  = entry[10:9];
	wire       e_fa   = entry[8];
	wire [7:0] e_data = entry[7:0];
	wire       e_is_data = (e_tag == TAG_DATA) || (e_tag == TAG_LAST);

	wire sync = (mode == M_SYNC);
	// sync: a new symbol only when fewer than 8 bits are queued (else the framing FSM waits)
	wire need = !s_qn[3];

	// FCS of the octet being framed (data octet from the buffer)
	wire [31:0] fcs_base = (s_st == TS_IDLE) ? 32'hFFFFFFFF : s_fcs;
	wire [15:0] f16_out;
	wire [31:0] f32_out;
	fcs16 fcs16_I (.crc_in(fcs_base[15:0]), .data(e_data), .crc_out(f16_out));
	fcs32 fcs32_I (.crc_in(fcs_base), .data(e_data), .crc_out(f32_out));
	wire [31:0] fcs_next = fcs32 ? f32_out : {16'h0000, f16_out};

	// FCS octet idx of the current frame (ones' complement, low octet first)
	wire [31:0] fcs_tx = ~s_fcs;
	reg  [7:0]  fcs_oct;
	always @* begin
		case (s_idx)
		2'd0: fcs_oct = fcs_tx[7:0];
		2'd1: fcs_oct = fcs_tx[15:8];
		2'd2: fcs_oct = fcs_tx[23:16];
		default: fcs_oct = fcs_tx[31:24];
		endcase
	end
	wire [1:0] fcs_last_idx = fcs32 ? 2'd3 : 2'd1;

	// async escaping decision
	function need_esc;
		input [7:0]  o;
		input [31:0] map;
		begin
			need_esc = (o == 8'h7E) || (o == 8'h7D) || ((o < 8'h20) && map[o[4:0]]);
		end
	endfunction

	// framing FSM: one symbol (octet) per step, escaped (async) or bit-stuffed (sync) afterwards
	reg [2:0]  n_st, n_escn;
	reg        n_lf, n_fa;
	reg [1:0]  n_idx;
	reg [7:0]  n_esc;
	reg [31:0] n_fcs;
	reg [7:0]  sym;
	reg        sym_raw;		// sync: flag/abort/idle bits, not stuffed
	reg        f_consume, f_took, f_underrun, f_sent;
	reg [31:0] accm_eff;
	reg [2:0]  after;

	always @* begin
		n_st = s_st; n_escn = s_escn; n_lf = s_lf; n_fa = s_fa; n_idx = s_idx;
		n_esc = s_esc; n_fcs = s_fcs;
		sym = 8'h7E; sym_raw = 1'b1;
		f_consume = 1'b0; f_took = 1'b0; f_underrun = 1'b0; f_sent = 1'b0;
		accm_eff = ((s_st == TS_IDLE) ? e_fa : s_fa) ? 32'hFFFFFFFF : accm;
		after = TS_DATA;

		// OFF and RAW skip the framing FSM (its n_* stay the state's), which also
		// keeps a simulator from evaluating it for idle visits; so does an async
		// step sending the second half of a character-stream escape, and a sync
		// step with 8 or more bits queued
		if ((mode == M_ASYNC && !s_dp) || (sync && need)) case (s_st)
		TS_IDLE, TS_DATA: begin
			if (s_st == TS_IDLE && !(avail && e_is_data)) begin
				// fill between frames; stray end/abort markers are dropped
				f_consume = avail;
				if (sync && idle_ones) begin
					sym = 8'hFF; n_lf = 1'b0;
				end else begin
					sym = 8'h7E; n_lf = 1'b1;
				end
			end else if (s_st == TS_IDLE && !s_lf) begin
				// opening flag first
				sym = 8'h7E; n_lf = 1'b1;
			end else if (!avail || e_tag == TAG_ABORT) begin
				// ran dry inside a frame, or told to abort
				f_underrun = !avail;
				f_consume = avail;
				if (sync) begin
					sym = 8'hFF; n_lf = 1'b0; n_st = TS_IDLE;
				end else begin
					sym = 8'h7D; sym_raw = 1'b0; n_st = TS_ABORT;
				end
			end else if (e_tag == TAG_EOF) begin
				// end of frame without data: first FCS octet now
				f_consume = 1'b1;
				sym = fcs_oct; sym_raw = 1'b0;
				n_idx = s_idx + 2'd1;
				after = TS_FCS;
				if (s_idx == fcs_last_idx)
					after = TS_CLOSE;
				n_st = after;
				if (!sync && need_esc(sym, accm_eff)) begin
					sym = 8'h7D; n_esc = fcs_oct ^ 8'h20; n_escn = after; n_st = TS_ESC;
				end
			end else begin
				// a data octet
				f_consume = 1'b1; f_took = 1'b1;
				n_fcs = fcs_next;
				n_lf = 1'b0;
				if (s_st == TS_IDLE)
					n_fa = e_fa;
				sym = e_data; sym_raw = 1'b0;
				after = (e_tag == TAG_LAST) ? TS_FCS : TS_DATA;
				n_idx = 2'd0;
				n_st = after;
				if (!sync && need_esc(e_data, accm_eff)) begin
					sym = 8'h7D; n_esc = e_data ^ 8'h20; n_escn = after; n_st = TS_ESC;
				end
			end
		end
		TS_ESC: begin
			sym = s_esc; sym_raw = 1'b0;
			n_st = s_escn;
		end
		TS_FCS: begin
			sym = fcs_oct; sym_raw = 1'b0;
			n_idx = s_idx + 2'd1;
			after = (s_idx == fcs_last_idx) ? TS_CLOSE : TS_FCS;
			n_st = after;
			if (!sync && need_esc(fcs_oct, accm_eff)) begin
				sym = 8'h7D; n_esc = fcs_oct ^ 8'h20; n_escn = after; n_st = TS_ESC;
			end
		end
		TS_CLOSE: begin
			sym = 8'h7E; n_lf = 1'b1; n_st = TS_IDLE; f_sent = 1'b1;
		end
		TS_ABORT: begin
			sym = 8'h7E; n_lf = 1'b1; n_st = TS_IDLE;
		end
		default: begin
			n_st = TS_IDLE;
		end
		endcase
	end

	// sync: bit queue and zero insertion.  The new symbol goes above the queued bits
	// (only when fewer than 8 are queued, so its shift is 0..7); of the 8 line bits at
	// most 2 are inserted zeros (five data ones lie between two), so line bit i is
	// queue bit i, i-1 or i-2 (zc: zeros inserted before it), and 8 - zc queue bits
	// leave the queue.  Only the 3-bit ones count and zc run serially.
	integer i;
	reg [14:0] qi, qmi, q, qm;
	reg [16:0] qx, qmx;		// qi, qmi with two zeros below: bit i - zc at i + 2 - zc
	reg [3:0]  qn;
	reg [2:0]  ones;
	reg [1:0]  zc;
	reg [7:0]  bits;
	reg        b, m;

	always @* begin
		q = s_q; qm = s_qm; qn = s_qn; ones = s_ones; bits = 8'h00;
		qi = s_q; qmi = s_qm; qx = 17'd0; qmx = 17'd0; zc = 2'd0; b = 1'b0; m = 1'b0;
		if (sync && SQ_EXT == 0) begin	// (only sync mode uses the bit queue)
			if (need) begin
				qi  = s_q  | ({7'd0, sym} << s_qn[2:0]);
				qmi = s_qm | ({7'd0, {8{sym_raw}}} << s_qn[2:0]);
			end
			qx = {qi, 2'b00};
			qmx = {qmi, 2'b00};
			for (i = 0; i < 8; i = i + 1) begin
				if (ones == 3'd5) begin
					bits[i] = 1'b0;		// inserted zero
					ones = 3'd0;
					zc = zc + 2'd1;
				end else begin
					b = qx[i + 2 - {30'd0, zc}];
					m = qmx[i + 2 - {30'd0, zc}];
					bits[i] = b;
					if (m || !b)
						ones = 3'd0;
					else
						ones = ones + 3'd1;
				end
			end
			// 8 - zc bits left the queue
			case (zc)
			2'd0: begin q = qi >> 8; qm = qmi >> 8; end
			2'd1: begin q = qi >> 7; qm = qmi >> 7; end
			default: begin q = qi >> 6; qm = qmi >> 6; end
			endcase
			qn = {1'b0, s_qn[2:0]} + {2'b00, zc};	// (s_qn + 8 if need) - 8 + zc
		end
	end

	assign sym_o = sym;
	assign sym_raw_o = sym_raw;

	// One state layout for every mode: a mode's unused fields pass through unchanged
	// (all zero since the channel's last flush: CHAN_CONFIG, which every mode change
	// is, restarts the state from zero).  RAW keeps its pending octet in the lf/esc
	// fields, the async character-stream escape is in [95:87].
	wire       raw = (mode == M_RAW);
	wire       sym_cs = (sym == 8'hFF) || (sym == 8'h7D);	// character-stream escape needed
	wire       raw_data = avail && e_is_data;
	wire       raw_cs = (e_data == 8'hFF) || (e_data == 8'h7D);
	always @* begin
		st_out = {sym ^ 8'h20, mode == M_ASYNC && !s_dp && sym_cs, ones, qn, qm, q, n_fcs, n_escn,
			  raw ? e_data ^ 8'h20 : n_esc, n_idx, n_fa, raw ? !s_lf && raw_data && raw_cs : n_lf,
			  n_st};
		consume = f_consume; took_data = f_took; underrun = f_underrun; frame_sent = f_sent;
		oct = 8'hFF;
		case (mode)
		M_OFF: ;
		M_RAW: begin
			// the character stream: 0xFF is idle, a data 0xFF or 0x7D goes as
			// 0x7D, octet ^ 0x20 (s_lf: second half pending, s_esc: its octet)
			consume = !s_lf && avail;
			took_data = !s_lf && raw_data;
			if (s_lf)
				oct = s_esc;
			else if (raw_data)
				oct = raw_cs ? 8'h7D : e_data;
		end
		M_ASYNC: begin
			// the RFC 1662 characters go on the B-channel's character stream, where
			// 0xFF is idle: a character 0xFF or 0x7D goes as 0x7D, char ^ 0x20
			if (s_dp)
				oct = s_do;
			else
				oct = sym_cs ? 8'h7D : sym;
		end
		default: begin	// M_SYNC
			oct = bits;
		end
		endcase
	end

endmodule // hdlc_tx_step

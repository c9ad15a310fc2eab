/*
 * card_msg_tx.v
 *
 * Card protocol emitter, card -> host (drivers/include/card_proto.h): builds
 * every upstream message (SYNC, TYPE, FLAGS, CHAN, LEN, payload, FCS-16 CRC
 * low byte first) into the output FIFO, one byte per clock, starting a message
 * only when the FIFO can take a whole one.  Sources, highest priority first:
 * answers to host requests (VERSION, REG_VALUE, ECHO_REPLY, SPAN_STATUS,
 * TX_CREDIT for CREDIT_POLL), HOST_ERROR, CHAN_EVENT, SPAN_STATUS on a span
 * event, then a round-robin poll of the channels:
 *   - receive ring: RX_DATA chunks (cut through: sent when RX_CHUNK octets are
 *     waiting, an end-of-frame entry is waiting, or on the 2 ms sweep), then
 *     RX_EOF {status, octets delivered for the frame};
 *   - TX_CREDIT {absolute consumed count} when it moved by CREDIT_STEP or on
 *     the 2 ms sweep.
 *
 * Byte-serial: one message writer with a byte counter, one byte multiplexer
 * and one FCS-16 over the bytes as they go out.  Payload octets are never
 * copied: RX_DATA octets are read from the receive ring as they are sent (the
 * chunk is scanned once before, for its length), ECHO_REPLY re-sends the ECHO
 * from the parser's window (CHAN, LEN and payload), CSR values (REG_VALUE,
 * HOST_ERROR's count, SPAN_STATUS's 7 registers) are read over the CSR bus
 * into one 32-bit register while the message is being written (the writer
 * waits for each read).
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module card_msg_tx #(
	parameter SPANS        = 2,		// T1 spans, 1..28
	parameter CH_W         = 10,		// bits of a channel number
	parameter RXQ_W        = 6,		// receive ring per channel: 2**RXQ_W entries
	parameter TX_BUF_BYTES = 64,		// transmit credit per channel (reported in VERSION)
	parameter RX_CHUNK     = 32,		// largest RX_DATA payload, 1..32
	parameter CREDIT_STEP  = 16,		// TX_CREDIT when consumed moved this much
	parameter BUILD_ID     = 32'h0000_0001,	// reported in VERSION
	parameter HERR_REG     = 16'h0019	// CSR counter of host_error strobes (HOST_ERROR count)
) (
	// output FIFO
	output reg         o_we,
	output reg  [7:0]  o_data,
	input  wire        o_room,		// can take a whole message (>= 263 bytes)

	// host requests (card_msg_rx), held until req_done
	input  wire        req_valid,
	input  wire [7:0]  req_type,
	input  wire [15:0] req_chan,
	input  wire [7:0]  req_len,
	input  wire [15:0] req_addr,
	output reg         req_done,
	output wire [8:0]  echo_raddr,		// byte of the ECHO message after its SYNC (0 = TYPE)
	input  wire [7:0]  echo_rdata,		//   one clock later
	input  wire        herr_valid,
	input  wire [7:0]  herr_reason,

	// channel events: {code[1:0], channel}, first word fall through
	input  wire              ev_empty,
	input  wire [CH_W+1:0]   ev_data,
	output reg               ev_pop,

	// spans
	input  wire [SPANS-1:0]  span_event,

	// CSR bus reads (br_addr is valid while br_re is high; data one clock later)
	output reg         br_re,
	output reg  [15:0] br_addr,
	input  wire [31:0] br_rdata,

	// channel engine and parser state
	output wire [CH_W+RXQ_W-1:0] rxr_addr,
	input  wire [8:0]            rxr_data,
	output wire [CH_W-1:0]       rxw_chan,
	input  wire [2*RXQ_W+1:0]    rxw_data,
	output wire [CH_W-1:0]       txm_e_chan,
	input  wire [15:0]           txm_e_data,
	output wire [CH_W-1:0]       drp_chan,
	input  wire [15:0]           drp_data,
	output reg                   erd_we,
	output wire [CH_W-1:0]       erd_chan,
	output wire [RXQ_W:0]        erd_data,
	input  wire                  tick,
	input  wire                  eng_ready,

	output reg         stat_msg,		// one message sent

	input  wire clk,
	input  wire rst
);
	localparam NCH = SPANS * 24;
	localparam integer LAST_CH_I = NCH - 1;
	localparam integer LAST_SPAN_I = SPANS - 1;
	localparam [CH_W-1:0] LAST_CH = LAST_CH_I[CH_W-1:0];
	localparam [4:0] LAST_SPAN = LAST_SPAN_I[4:0];

	initial begin
		if (RXQ_W > 6)
			$error("card_msg_tx: RXQ_W must be <= 6 (instance %m)");
		if (RX_CHUNK < 1 || RX_CHUNK > 32 || RX_CHUNK >= (1 << RXQ_W))
			$error("card_msg_tx: RX_CHUNK must be 1..32 and below the ring size (instance %m)");
	end

	// message types (card -> host), the writer's w_type
	localparam [3:0] T_RXD = 4'd1, T_EOF = 4'd2, T_CRD = 4'd3, T_SPAN = 4'd4, T_REG = 4'd5,
			 T_ECHO = 4'd6, T_VER = 4'd7, T_EV = 4'd8, T_HERR = 4'd9;
	// VERSION payload, placed at its byte numbers 6..17 in the message
	localparam [95:0] VER = {BUILD_ID, RX_CHUNK[15:0], TX_BUF_BYTES[15:0], NCH[15:0], SPANS[7:0], 8'd1};
	localparam [255:0] VERC = {112'd0, VER, 48'd0};

	// ---------------- state shared by the scheduler and the writer ----------------
	reg  [CH_W-1:0] pch;			// channel being polled (counts the init too)
	reg  [4:0]  ss_span;			// SPAN_STATUS span
	reg  [2:0]  herr_r;			// HOST_ERROR reason
	reg  [31:0] val;			// CSR value read for the message; also TX_CREDIT's
						// count, RX_EOF's fields, REG_VALUE's address
	reg  [RXQ_W:0] e_rd, e_eofc;		// emitter word 0 of pch
	wire [15:0] e_dlv;			// emitter word 1 of pch (the RAM's output from M_RX0 on)
	reg  [RXQ_W:0] nd;			// RX_DATA octets in the chunk
	reg         stop;			// the chunk ends with an end-of-frame entry
	reg  [2:0]  eofst;			// its status
	wire [15:0] cr;				// consumed + dropped of pch
	wire [15:0] dlv_sum = e_dlv + {{(15 - RXQ_W){1'b0}}, nd};

	// ---------------- message writer ----------------
	// c counts the message's bytes (0 = SYNC); the byte is chosen in wbyte and
	// registered in o_data; the CRC takes o_data one clock later (o_crc), so the
	// CRC's low byte is taken from crc_next
	reg         w_act, w_c1, o_crc;
	reg  [3:0]  w_type;
	reg  [8:0]  c;
	reg  [15:0] w_crc;
	reg         val_ok, rd_lat;
	wire [15:0] crc_next;
	fcs16 crc_I (.crc_in(w_crc), .data(o_data), .crc_out(crc_next));
	wire [8:0]  n = c + 9'd1;		// the byte after c (RAM read addresses)

	reg  [7:0]  w_len;
	always @* begin
		case (w_type)
		T_RXD:   w_len = {{(7 - RXQ_W){1'b0}}, nd};
		T_EOF:   w_len = 8'd3;
		T_CRD:   w_len = 8'd2;
		T_SPAN:  w_len = 8'd26;
		T_REG:   w_len = 8'd6;
		T_ECHO:  w_len = req_len;
		T_VER:   w_len = 8'd12;
		T_EV:    w_len = 8'd1;
		default: w_len = 8'd5;		// T_HERR
		endcase
	end
	wire [8:0]  c_crc0 = {1'b0, w_len} + 9'd6;	// byte number of CRC lo
	wire        at_crc0 = (c == c_crc0);
	wire        hdr = (c[8:3] == 6'd0) && (c[2:0] < 3'd6);

	// CSR reads: SPAN_STATUS reads a register at bytes 6 (STATUS, 2 octets) and
	// 8, 12, .. 28 (counters 2..7, 4 octets); REG_VALUE at byte 8, HOST_ERROR at 7
	// (c < 34 in these messages: the low bits of c are enough)
	wire        rd_at = (w_type == T_SPAN) ? (c[4:0] == 5'd6 || (c[1:0] == 2'd0 && c[4:3] != 2'd0)) :
			    (w_type == T_REG) ? (c[3:0] == 4'd8) :
			    (w_type == T_HERR) ? (c[3:0] == 4'd7) : 1'b0;
	wire        need = rd_at && !val_ok;
	wire        adv = w_act && !need;
	wire [1:0]  vi = c[1:0] + {1'b0, w_type == T_HERR || w_type == T_EOF};
	wire [7:0]  vbyte = val[vi * 8 +: 8];

	reg  [CH_W-1:0] w_ch;
	always @* begin
		case (w_type)
		T_RXD, T_EOF, T_CRD: w_ch = pch;
		T_SPAN:  w_ch = {{(CH_W - 5){1'b0}}, ss_span};
		T_EV:    w_ch = ev_data[CH_W-1:0];
		default: w_ch = {CH_W{1'b0}};
		endcase
	end

	reg  [7:0]  wbyte;
	always @* begin
		if (w_c1)
			wbyte = ~w_crc[15:8];
		else if (at_crc0)
			wbyte = ~crc_next[7:0];	// o_data is the last covered byte
		else if (w_type == T_ECHO && c >= 9'd3)
			wbyte = echo_rdata;	// CHAN, LEN, payload of the ECHO
		else if (hdr)
			case (c[2:0])
			3'd0:    wbyte = 8'hA5;
			3'd1:    wbyte = {4'd0, w_type};
			3'd2:    wbyte = 8'h00;
			3'd3:    wbyte = w_ch[7:0];
			3'd4:    wbyte = {{(16 - CH_W){1'b0}}, w_ch[CH_W-1:8]};
			default: wbyte = w_len;
			endcase
		else
			case (w_type)
			T_RXD:   wbyte = rxr_data[7:0];
			T_SPAN:  wbyte = (c == 9'd6) ? {4'd0, val[3:0]} : (c == 9'd7) ? {7'd0, val[4]} : vbyte;
			T_VER:   wbyte = VERC[c[4:0] * 8 +: 8];
			T_EV:    wbyte = {6'd0, ev_data[CH_W+1:CH_W]};
			T_HERR:  wbyte = (c == 9'd6) ? {5'd0, herr_r} : vbyte;
			default: wbyte = vbyte;		// T_CRD: val[31:16] at bytes 6, 7
			endcase
	end

	assign echo_raddr = c;		// the ECHO's byte c + 1 (0 = its TYPE)
	always @* begin
		case (w_type)
		T_SPAN:  br_addr = {4'h1, 3'd0, ss_span, 1'b0, c[4:2]};	// registers 1..7
		T_REG:   br_addr = req_addr;
		default: br_addr = HERR_REG;
		endcase
	end

	// the scheduler starts a message with w_go (w_act was low)
	reg         w_go;
	wire        cr_go;			// TX_CREDIT chosen in M_P1: val[31:16] <= cr
	wire        eof_go;			// RX_EOF starts in M_RX2
	reg  [3:0]  w_go_type;
	always @(posedge clk) begin
		o_we <= 1'b0;
		o_crc <= 1'b0;
		stat_msg <= 1'b0;
		ev_pop <= 1'b0;
		br_re <= 1'b0;
		rd_lat <= br_re;
		if (rd_lat) begin
			val <= br_rdata;
			val_ok <= 1'b1;
		end
		if (cr_go)
			val[31:16] <= cr;
		if (w_go && w_go_type == T_REG)
			val[31:16] <= req_addr;	// REG_VALUE: the address at bytes 6, 7
		if (eof_go) begin	// RX_EOF: status at byte 6, length at 7 and 8
			val[15:0] <= dlv_sum;
			val[31:24] <= {5'd0, eofst};
		end
		if (w_act && need && !br_re && !rd_lat)
			br_re <= 1'b1;
		if (o_crc)
			w_crc <= crc_next;
		if (w_go) begin
			w_act <= 1'b1;
			w_type <= w_go_type;
			c <= 9'd0;
			val_ok <= 1'b0;
		end else if (adv) begin
			o_we <= 1'b1;
			o_data <= wbyte;
			c <= n;
			o_crc <= (c != 9'd0) && !at_crc0 && !w_c1;
			if (c == 9'd0)
				w_crc <= 16'hFFFF;
			if (c[1:0] == 2'd3)
				val_ok <= 1'b0;
			w_c1 <= at_crc0;
			if (w_c1) begin
				w_act <= 1'b0;
				stat_msg <= 1'b1;
				ev_pop <= (w_type == T_EV);	// CHAN_EVENT sent: next event
			end
		end
		if (rst) begin
			w_act <= 1'b0;
			w_c1 <= 1'b0;
			o_we <= 1'b0;
			br_re <= 1'b0;
			rd_lat <= 1'b0;
		end
	end

	// ---------------- emitter RAM ----------------
	// One 16-bit RAM (one block RAM for 2 spans), row {channel, k}:
	//   k = 0 {eofc, rd}  ring entries taken and end-of-frame entries passed
	//   k = 1 delivered   octets of the current frame sent so far
	//   k = 2 reported    consumed + dropped count last sent in TX_CREDIT
	// cleared after reset (pch and ik count the rows)
	reg             init_q;
	reg  [1:0]      ik;			// init: word being cleared
	reg             mt_we;
	reg  [1:0]      mt_wk, mt_rk;
	reg  [15:0]     mt_wd;
	wire [15:0]     mt_rd;
	ram_sdp #(.WIDTH(16), .DEPTH(4 * NCH), .AW(CH_W + 2)) mt_I (
		.wr_en(mt_we), .wr_addr({pch, mt_wk}), .wr_data(mt_wd),
		.rd_en(1'b1), .rd_addr({pch, mt_rk}), .rd_data(mt_rd), .clk(clk));
	assign rxw_chan = pch;
	assign txm_e_chan = pch;
	assign drp_chan = pch;
	assign erd_chan = pch;

	wire [RXQ_W:0] x_wr   = rxw_data[RXQ_W:0];
	wire [RXQ_W:0] x_eofc = rxw_data[RXQ_W + 1 +: RXQ_W + 1];
	wire [RXQ_W:0] fill   = x_wr - e_rd;
	assign         cr     = txm_e_data + drp_data;
	wire [15:0]    crd    = cr - mt_rd;			// word 2, in M_P1
	wire [RXQ_W:0] n_rd   = e_rd + nd + {{RXQ_W{1'b0}}, stop};
	wire [RXQ_W:0] n_eofc = e_eofc + {{RXQ_W{1'b0}}, stop};
	assign erd_data = n_rd;			// 0 while init_q

	// ---------------- scheduler ----------------
	localparam [3:0]
		M_INIT = 4'd0, M_SEL = 4'd1, M_WAITW = 4'd2, M_DONE = 4'd3, M_P0 = 4'd4,
		M_PA = 4'd5, M_PB = 4'd6, M_P1 = 4'd7, M_RX0 = 4'd8, M_RX1 = 4'd9,
		M_RX2 = 4'd10, M_RX3 = 4'd11, M_RX4 = 4'd12, M_CRW = 4'd13;

	reg  [3:0]  m_st, m_after;
	reg         req_taken, force_cr, sweep_pend, sweep_act;
	reg         herr_pend;
	reg  [4:0]  ss_rr;			// round robin span for events
	reg  [RXQ_W:0] lim, ia;
	reg         rv;
	wire [31:0] sev = {{(32 - SPANS){1'b0}}, span_event};
	localparam [RXQ_W-1:0] SIX = 6;
	wire [RXQ_W-1:0] r_idx = (m_st == M_RX0) ? ia[RXQ_W-1:0] : n[RXQ_W-1:0] - SIX;
	wire        rx_want = (fill != 0 && (fill >= RX_CHUNK[RXQ_W:0] || x_eofc != e_eofc || sweep_act));
	wire        cr_want = force_cr || (crd != 16'd0 && (crd >= CREDIT_STEP || sweep_act));
	assign      cr_go = (m_st == M_P1) && !rx_want && cr_want;
	assign      eof_go = (m_st == M_RX2) && o_room && !w_act && stop;
	assign rxr_addr = {pch, e_rd[RXQ_W-1:0] + r_idx};

	assign e_dlv = mt_rd;
	always @* begin
		case (m_st)
		M_P0:    mt_rk = 2'd0;
		M_PB:    mt_rk = 2'd2;
		default: mt_rk = 2'd1;
		endcase
		// writes: init (words 0..2 of pch = 0: e_rd, e_eofc, nd, stop are 0
		// from reset to the first poll), M_RX3 word 0, M_RX4 word 1, M_CRW word 2
		mt_we = init_q || m_st == M_RX3 || m_st == M_RX4 || m_st == M_CRW;
		mt_wk = init_q ? ik : (m_st == M_RX3) ? 2'd0 : (m_st == M_RX4) ? 2'd1 : 2'd2;
		if (mt_wk == 2'd0)
			mt_wd = {{(14 - 2 * RXQ_W){1'b0}}, n_eofc, n_rd};
		else if (init_q || m_st == M_RX4)
			mt_wd = (init_q || stop) ? 16'd0 : dlv_sum;
		else
			mt_wd = val[31:16];
	end

	// pch: the next channel after an init step or an idle poll; CREDIT_POLL's
	wire pch_last = (pch == LAST_CH);
	wire pch_cp = (m_st == M_SEL) && o_room && !w_act && req_valid && !req_taken && !init_q && req_type == 8'h8A;
	wire pch_step = (init_q && ik == 2'd2) || (m_st == M_P1 && !rx_want && !cr_want);
	always @(posedge clk) begin
		if (rst)
			pch <= {CH_W{1'b0}};
		else if (pch_cp)
			pch <= req_chan[CH_W-1:0];
		else if (pch_step)
			pch <= pch_last ? {CH_W{1'b0}} : pch + 1'b1;
	end

	always @(posedge clk) begin
		w_go <= 1'b0; req_done <= 1'b0; erd_we <= 1'b0;
		if (rst) begin
			m_st <= M_INIT;
			init_q <= 1'b1;
			ik <= 2'd0;
			req_taken <= 1'b0;
			force_cr <= 1'b0;
			sweep_pend <= 1'b0;
			sweep_act <= 1'b0;
			herr_pend <= 1'b0;
			ss_rr <= 5'd0;
			rv <= 1'b0;
			e_rd <= {(RXQ_W + 1){1'b0}};
			e_eofc <= {(RXQ_W + 1){1'b0}};
			nd <= {(RXQ_W + 1){1'b0}};
			stop <= 1'b0;
		end else begin
			if (tick)
				sweep_pend <= 1'b1;
			if (!req_valid)
				req_taken <= 1'b0;
			if (herr_valid) begin
				herr_pend <= 1'b1;
				herr_r <= herr_reason[2:0];
			end
			rv <= 1'b0;
			// after reset: clear the emitter words (3 per channel) and the
			// engine's copy of our ring read pointers, while requests, errors
			// and events are already served; pch ends at 0 and the polls (and
			// CREDIT_POLL) start when it is done
			if (init_q) begin
				erd_we <= 1'b1;
				ik <= ik + 2'd1;
				if (ik == 2'd2) begin
					ik <= 2'd0;
					if (pch_last)
						init_q <= 1'b0;
				end
			end

			case (m_st)
			M_INIT: if (eng_ready)
				m_st <= M_SEL;
			M_SEL: if (o_room && !w_act) begin
				if (req_valid && !req_taken && !(init_q && req_type == 8'h8A)) begin
					req_taken <= 1'b1;
					m_st <= M_WAITW; m_after <= M_DONE;
					case (req_type)
					8'h86: begin w_go <= 1'b1; w_go_type <= T_REG; end	// REG_READ
					8'h87: begin w_go <= 1'b1; w_go_type <= T_ECHO; end	// ECHO
					8'h88: begin w_go <= 1'b1; w_go_type <= T_VER; end	// GET_VERSION
					8'h89: begin	// SPAN_QUERY
						w_go <= 1'b1; w_go_type <= T_SPAN;
						ss_span <= req_chan[4:0];
					end
					8'h8A: begin	// CREDIT_POLL
						force_cr <= 1'b1;
						m_st <= M_P0;
					end
					default: m_st <= M_DONE;
					endcase
				end else if (herr_pend) begin
					// the count is the CSR counter of the same strobes
					herr_pend <= 1'b0;
					w_go <= 1'b1; w_go_type <= T_HERR;
					m_st <= M_WAITW; m_after <= M_SEL;
				end else if (!ev_empty) begin
					// popped when sent (ev_data is its channel and code)
					w_go <= 1'b1; w_go_type <= T_EV;
					m_st <= M_WAITW; m_after <= M_SEL;
				end else begin
					ss_rr <= (ss_rr == LAST_SPAN) ? 5'd0 : ss_rr + 5'd1;
					if (sev[ss_rr]) begin
						w_go <= 1'b1; w_go_type <= T_SPAN;
						ss_span <= ss_rr;
						m_st <= M_WAITW; m_after <= M_SEL;
					end else if (!init_q)
						m_st <= M_P0;
				end
			end
			M_WAITW: if (!w_act && !w_go)
				m_st <= m_after;
			M_DONE: begin
				req_done <= 1'b1;
				m_st <= M_SEL;
			end
			// pch's words: 0 read in M_P0, arrives in M_PA; 2 in M_P1; word 1
			// from M_RX0 on (read in every other state: mt_rk)
			// (pch and the last write of its words are settled in M_P0)
			M_P0: m_st <= M_PA;
			M_PA: begin
				e_rd <= mt_rd[RXQ_W:0];
				e_eofc <= mt_rd[RXQ_W + 1 +: RXQ_W + 1];
				m_st <= M_PB;
			end
			M_PB: m_st <= M_P1;
			M_P1: begin
				if (rx_want) begin
					lim <= (fill > RX_CHUNK[RXQ_W:0]) ? RX_CHUNK[RXQ_W:0] : fill;
					ia <= {(RXQ_W + 1){1'b0}};
					nd <= {(RXQ_W + 1){1'b0}};
					stop <= 1'b0;
					m_st <= M_RX0;
				end else if (cr_want) begin
					w_go <= 1'b1; w_go_type <= T_CRD;
					m_st <= M_CRW;
				end else begin
					if (pch_last) begin
						sweep_act <= sweep_pend;
						sweep_pend <= tick;
					end
					m_st <= M_SEL;
				end
			end
			M_CRW: begin
				m_st <= M_WAITW;
				m_after <= force_cr ? M_DONE : M_P0;
				force_cr <= 1'b0;
			end
			M_RX0: begin
				// read ring entries in order; stop at an end-of-frame entry
				if (ia != lim && !stop) begin
					ia <= ia + 1'b1;
					rv <= 1'b1;
				end
				if (rv && !stop) begin
					if (rxr_data[8]) begin
						stop <= 1'b1;
						eofst <= rxr_data[2:0];
					end else
						nd <= nd + 1'b1;
				end
				if (stop || (nd == lim))
					m_st <= M_RX1;
				if (rv && !stop && nd + 1'b1 == lim && !rxr_data[8])
					m_st <= M_RX1;
			end
			M_RX1: begin
				if (nd != 0) begin
					w_go <= 1'b1; w_go_type <= T_RXD;
					m_st <= M_WAITW; m_after <= M_RX2;
				end else
					m_st <= M_RX2;
			end
			M_RX2: if (o_room && !w_act) begin
				if (stop) begin
					w_go <= 1'b1; w_go_type <= T_EOF;
					m_st <= M_WAITW; m_after <= M_RX3;
				end else
					m_st <= M_RX3;
			end
			M_RX3: begin
				erd_we <= 1'b1;
				m_st <= M_RX4;
			end
			M_RX4: m_st <= M_P0;
			default: m_st <= M_SEL;
			endcase
		end
	end

	wire unused_ok = &{1'b0, req_chan[15:CH_W], herr_reason[7:3]};

endmodule // card_msg_tx

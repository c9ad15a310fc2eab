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

	// host requests (card_msg_rx)
	input  wire        req_valid,
	input  wire [7:0]  req_type,
	input  wire [15:0] req_chan,
	input  wire [7:0]  req_len,
	input  wire [15:0] req_addr,
	output reg         req_done,
	output wire [7:0]  echo_raddr,
	input  wire [7:0]  echo_rdata,
	input  wire        herr_valid,
	input  wire [7:0]  herr_reason,

	// channel events: {code[1:0], channel}, first word fall through
	input  wire              ev0_empty,
	input  wire [CH_W+1:0]   ev0_data,
	output reg               ev0_pop,
	input  wire              ev1_empty,
	input  wire [CH_W+1:0]   ev1_data,
	output reg               ev1_pop,

	// spans
	input  wire [SPANS-1:0]  span_event,

	// CSR bus reads
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
	output reg  [CH_W-1:0]       erd_chan,
	output reg  [RXQ_W:0]        erd_data,
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
	localparam MT_N = (NCH > 32) ? NCH : 32;	// rows of the emitter RAM

	initial begin
		if (RXQ_W > 6)
			$error("card_msg_tx: RXQ_W must be <= 6 (instance %m)");
		if (RX_CHUNK < 1 || RX_CHUNK > 32 || RX_CHUNK >= (1 << RXQ_W))
			$error("card_msg_tx: RX_CHUNK must be 1..32 and below the ring size (instance %m)");
	end

	// ---------------- message writer ----------------
	reg         w_start;
	reg  [7:0]  w_type, w_len;
	reg  [15:0] w_chan;
	// payload sources (w_src): one register per kind of payload, each written
	// whole, so the emitter has no many-ported register file
	localparam [2:0] SRC_FLD = 3'd0,	// fld: payloads of up to 6 octets
			 SRC_VER = 3'd1,	// VERSION constants
			 SRC_RAM = 3'd2,	// RX_DATA octets, SPAN_STATUS: the payload RAM
			 SRC_ECHO = 3'd4;	// ECHO_REPLY: the parser's payload RAM
	localparam [95:0] VER = {BUILD_ID, RX_CHUNK[15:0], TX_BUF_BYTES[15:0], NCH[15:0], SPANS[7:0], 8'd1};
	reg  [2:0]  w_src;
	reg  [47:0] fld;
	reg         pay_we;
	reg  [4:0]  pay_waddr;
	reg  [7:0]  pay_wdata;
	wire [7:0]  pay_rd;
	reg         wa_v, wb_v;
	reg  [8:0]  wa_i, wb_i;
	reg  [15:0] w_crc;
	wire        w_busy = wa_v || wb_v || w_start;
	reg  [7:0]  wb_byte;
	wire [15:0] w_crc_next;
	fcs16 crc_I (.crc_in(w_crc), .data(wb_byte), .crc_out(w_crc_next));
	wire [8:0]  w_last = {1'b0, w_len} + 9'd7;
	wire [7:0]  wa_pay = wa_i[7:0] - 8'd6;
	wire [3:0]  wb_pay = wb_i[3:0] - 4'd6;
	assign echo_raddr = wa_pay;

	always @* begin
		if (wb_i == 9'd0)
			wb_byte = 8'hA5;
		else if (wb_i == 9'd1)
			wb_byte = w_type;
		else if (wb_i == 9'd2)
			wb_byte = 8'h00;
		else if (wb_i == 9'd3)
			wb_byte = w_chan[7:0];
		else if (wb_i == 9'd4)
			wb_byte = w_chan[15:8];
		else if (wb_i == 9'd5)
			wb_byte = w_len;
		else if (wb_i == w_last - 9'd1)
			wb_byte = ~w_crc[7:0];
		else if (wb_i == w_last)
			wb_byte = ~w_crc[15:8];
		else
			case (w_src)
			SRC_FLD:  wb_byte = fld[wb_pay[2:0] * 8 +: 8];
			SRC_VER:  wb_byte = VER[wb_pay[3:0] * 8 +: 8];
			SRC_RAM:  wb_byte = pay_rd;
			default:  wb_byte = echo_rdata;
			endcase
	end

	always @(posedge clk) begin
		if (rst) begin
			wa_v <= 1'b0;
			wb_v <= 1'b0;
			o_we <= 1'b0;
			stat_msg <= 1'b0;
		end else begin
			if (w_start) begin
				wa_v <= 1'b1;
				wa_i <= 9'd0;
			end else if (wa_v) begin
				wa_i <= wa_i + 9'd1;
				if (wa_i == w_last)
					wa_v <= 1'b0;
			end
			wb_v <= wa_v;
			wb_i <= wa_i;
			o_we <= wb_v;
			o_data <= wb_byte;
			stat_msg <= wb_v && (wb_i == w_last);
			if (wb_v) begin
				if (wb_i == 9'd0)
					w_crc <= 16'hFFFF;
				else if (wb_i < w_last - 9'd1)
					w_crc <= w_crc_next;
			end
		end
	end

	// ---------------- emitter RAM ----------------
	// One 16-bit RAM (one block RAM for 2 spans), row r = {r, k}:
	//   k = 0..2, row = channel: emitter state, read over 3 clocks per poll
	//     0 {set, eofc, rd}  ring entries taken and end-of-frame entries passed;
	//                   set = words 1 and 2 are valid (after reset only word 0 of
	//                   each channel is cleared, in SPANS*24 clocks; a write-back
	//                   writes all three words)
	//     1 delivered   octets of the current frame sent so far
	//     2 reported    consumed + dropped count last sent in TX_CREDIT
	//   k = 3, row = 0..31: payload octets of RX_DATA and SPAN_STATUS
	reg  [CH_W-1:0] pch;			// channel being polled
	reg             init_q;
	reg  [CH_W-1:0] init_w;
	reg             mt_we;
	reg  [CH_W+1:0] mt_wa, mt_ra;
	reg  [15:0]     mt_wd;
	wire [15:0]     mt_rd;
	ram_sdp #(.WIDTH(16), .DEPTH(4 * MT_N), .AW(CH_W + 2)) mt_I (
		.wr_en(mt_we), .wr_addr(mt_wa), .wr_data(mt_wd),
		.rd_en(1'b1), .rd_addr(mt_ra), .rd_data(mt_rd), .clk(clk));
	assign pay_rd = mt_rd[7:0];
	assign rxw_chan = pch;
	assign txm_e_chan = pch;
	assign drp_chan = pch;

	reg  [RXQ_W:0] e_rd, e_eofc;		// words 0 and 1 of pch, read in M_PA / M_PB
	reg            e_set;
	reg  [15:0]    e_dlv;
	wire [15:0]    e_rep  = e_set ? mt_rd : 16'd0;	// word 2, in M_P1 only
	wire [RXQ_W:0] x_wr   = rxw_data[RXQ_W:0];
	wire [RXQ_W:0] x_eofc = rxw_data[RXQ_W + 1 +: RXQ_W + 1];
	wire [RXQ_W:0] fill   = x_wr - e_rd;
	wire [15:0]    cr     = txm_e_data + drp_data;
	wire [15:0]    crd    = cr - e_rep;

	// ---------------- main FSM ----------------
	localparam
		M_INIT = 5'd0, M_SEL = 5'd1, M_WAITW = 5'd2, M_REGRD = 5'd3, M_SS0 = 5'd4,
		M_SS1 = 5'd5, M_P0 = 5'd6, M_P1 = 5'd7, M_RX0 = 5'd8, M_RX1 = 5'd9,
		M_RX2 = 5'd10, M_RX3 = 5'd11, M_DONE = 5'd12, M_CRW = 5'd13, M_BUSW = 5'd14,
		M_SS2 = 5'd15, M_HERR = 5'd16, M_PA = 5'd17, M_PB = 5'd18, M_RX4 = 5'd19,
		M_CRW2 = 5'd20, M_CRW3 = 5'd21, M_RX5 = 5'd22;
	localparam W0_PAD = 15 - 2 * (RXQ_W + 1);

	reg  [4:0]  m_st, m_after;
	reg         req_taken, force_cr, sweep_pend, sweep_act;
	reg         herr_pend;
	reg  [7:0]  herr_r;
	reg  [15:0] ss_span;
	reg  [2:0]  ss_k;
	reg  [1:0]  ss_b;			// SPAN_STATUS: bytes of fld[31:0] left to store - 1
	reg  [4:0]  ss_w;			// SPAN_STATUS: payload byte stored next
	reg         ss_req;			// for a SPAN_QUERY
	reg  [4:0]  ss_rr;			// round robin span for events
	reg  [RXQ_W:0] lim, ia, ip;
	reg  [7:0]  nd;
	reg         rv, stop;
	reg  [2:0]  eofst;
	reg  [15:0] cr_q;
	wire [31:0] sev = {{(32 - SPANS){1'b0}}, span_event};
	wire [15:0] dlv_sum = e_dlv + {8'd0, nd};

	assign rxr_addr = {pch, e_rd[RXQ_W-1:0] + ia[RXQ_W-1:0]};

	// emitter RAM ports: the FSM reads pch's words in M_P0/M_PA/M_PB, the writer
	// reads payload octets otherwise; the FSM writes pch's words back in
	// M_CRW..M_CRW3 (reported, then words 0 and 1 as read) and M_RX3..M_RX5 (ring
	// entries taken, delivered, and word 2 = 0 unless set), payload octets one
	// clock after pay_we
	wire [RXQ_W:0] n_rd = e_rd + nd[RXQ_W:0] + {{RXQ_W{1'b0}}, stop};
	wire [RXQ_W:0] n_eofc = e_eofc + {{RXQ_W{1'b0}}, stop};
	always @* begin
		case (m_st)
		M_P0:    mt_ra = {pch, 2'd0};
		M_PA:    mt_ra = {pch, 2'd1};
		M_PB:    mt_ra = {pch, 2'd2};
		default: mt_ra = {{(CH_W - 5){1'b0}}, wa_pay[4:0], 2'd3};
		endcase
		mt_we = 1'b1;
		mt_wa = {pch, 2'd0};
		mt_wd = {1'b1, {W0_PAD{1'b0}}, n_eofc, n_rd};
		if (init_q) begin
			mt_wa = {init_w, 2'd0};
			mt_wd = 16'd0;
		end else if (pay_we) begin
			mt_wa = {{(CH_W - 5){1'b0}}, pay_waddr, 2'd3};
			mt_wd = {8'd0, pay_wdata};
		end else if (m_st == M_CRW) begin
			mt_wa = {pch, 2'd2};
			mt_wd = cr_q;
		end else if (m_st == M_CRW2) begin
			mt_wd = {1'b1, {W0_PAD{1'b0}}, e_eofc, e_rd};
		end else if (m_st == M_CRW3) begin
			mt_wa = {pch, 2'd1};
			mt_wd = e_dlv;
		end else if (m_st == M_RX4) begin
			mt_wa = {pch, 2'd1};
			mt_wd = stop ? 16'd0 : dlv_sum;
		end else if (m_st == M_RX5) begin
			mt_we = !e_set;
			mt_wa = {pch, 2'd2};
			mt_wd = 16'd0;
		end else if (m_st != M_RX3)
			mt_we = 1'b0;
	end

	function [3:0] ss_reg;
		input [2:0] k;
		begin
			ss_reg = (k == 3'd0) ? 4'd1 : {1'b0, k} + 4'd1;	// STATUS, then counters 2..7
		end
	endfunction

	always @(posedge clk) begin
		w_start <= 1'b0; req_done <= 1'b0; ev0_pop <= 1'b0; ev1_pop <= 1'b0;
		br_re <= 1'b0; erd_we <= 1'b0; pay_we <= 1'b0;
		if (rst) begin
			m_st <= M_INIT;
			init_q <= 1'b1;
			init_w <= {CH_W{1'b0}};
			req_taken <= 1'b0;
			force_cr <= 1'b0;
			sweep_pend <= 1'b0;
			sweep_act <= 1'b0;
			herr_pend <= 1'b0;
			ss_rr <= 5'd0;
			pch <= {CH_W{1'b0}};
			rv <= 1'b0;
		end else begin
			if (tick)
				sweep_pend <= 1'b1;
			if (!req_valid)
				req_taken <= 1'b0;
			if (herr_valid) begin
				herr_pend <= 1'b1;
				herr_r <= herr_reason;
			end
			rv <= 1'b0;

			case (m_st)
			M_INIT: begin
				// clear the emitter words and the engine's copy of our ring read pointers
				erd_we <= init_q;
				erd_chan <= init_w; erd_data <= {(RXQ_W + 1){1'b0}};
				if (init_q)
					init_w <= init_w + 1'b1;
				if (init_w == LAST_CH)
					init_q <= 1'b0;
				if (!init_q && eng_ready)
					m_st <= M_SEL;
			end
			M_SEL: if (o_room && !w_busy) begin
				if (req_valid && !req_taken) begin
					req_taken <= 1'b1;
					case (req_type)
					8'h86: begin	// REG_READ
						br_re <= 1'b1; br_addr <= req_addr;
						m_st <= M_BUSW; m_after <= M_REGRD;
					end
					8'h87: begin	// ECHO
						w_start <= 1'b1; w_type <= 8'h06; w_chan <= req_chan;
						w_len <= req_len; w_src <= SRC_ECHO;
						m_st <= M_WAITW; m_after <= M_DONE;
					end
					8'h88: begin	// GET_VERSION
						w_start <= 1'b1; w_type <= 8'h07; w_chan <= 16'd0;
						w_len <= 8'd12; w_src <= SRC_VER;
						m_st <= M_WAITW; m_after <= M_DONE;
					end
					8'h89: begin	// SPAN_QUERY
						ss_span <= req_chan; ss_k <= 3'd0; ss_req <= 1'b1;
						ss_w <= 5'd0;
						m_st <= M_SS0;
					end
					8'h8A: begin	// CREDIT_POLL
						pch <= req_chan[CH_W-1:0]; force_cr <= 1'b1;
						m_st <= M_P0;
					end
					default: m_st <= M_DONE;
					endcase
				end else if (herr_pend) begin
					// the count is the CSR counter of the same strobes
					herr_pend <= 1'b0;
					br_re <= 1'b1; br_addr <= HERR_REG;
					m_st <= M_BUSW; m_after <= M_HERR;
				end else if (!ev0_empty || !ev1_empty) begin
					fld <= {40'd0, 6'd0, ev0_empty ? ev1_data[CH_W+1:CH_W] : ev0_data[CH_W+1:CH_W]};
					w_chan <= {{(16 - CH_W){1'b0}}, ev0_empty ? ev1_data[CH_W-1:0] : ev0_data[CH_W-1:0]};
					ev0_pop <= !ev0_empty;
					ev1_pop <= ev0_empty;
					w_start <= 1'b1; w_type <= 8'h08; w_len <= 8'd1; w_src <= SRC_FLD;
					m_st <= M_WAITW; m_after <= M_SEL;
				end else begin
					ss_rr <= (ss_rr == LAST_SPAN) ? 5'd0 : ss_rr + 5'd1;
					if (sev[ss_rr]) begin
						ss_span <= {11'd0, ss_rr}; ss_k <= 3'd0; ss_req <= 1'b0;
						ss_w <= 5'd0;
						m_st <= M_SS0;
					end else
						m_st <= M_P0;
				end
			end
			M_WAITW: if (!w_busy) m_st <= m_after;
			M_BUSW: m_st <= m_after;	// the bus read happens; data next clock
			M_DONE: begin
				req_done <= 1'b1;
				m_st <= M_SEL;
			end
			M_REGRD: begin
				fld <= {br_rdata, br_addr};
				w_start <= 1'b1; w_type <= 8'h05; w_chan <= 16'd0;
				w_len <= 8'd6; w_src <= SRC_FLD;
				m_st <= M_WAITW; m_after <= M_DONE;
			end
			M_HERR: begin
				fld <= {8'd0, br_rdata, herr_r};
				w_start <= 1'b1; w_type <= 8'h09; w_chan <= 16'd0;
				w_len <= 8'd5; w_src <= SRC_FLD;
				m_st <= M_WAITW; m_after <= M_SEL;
			end
			M_SS0: begin
				br_re <= 1'b1;
				br_addr <= 16'h1000 + {ss_span[11:0], ss_reg(ss_k)};
				m_st <= M_BUSW; m_after <= M_SS1;
			end
			M_SS1: begin
				// the register's octets go to the payload RAM, low first:
				// STATUS as 2 octets {alarms, in frame}, counters as 4
				if (ss_k == 3'd0) begin
					fld <= {32'd0, 7'd0, br_rdata[4], 4'd0, br_rdata[3:0]};
					ss_b <= 2'd1;
				end else begin
					fld <= {16'd0, br_rdata};
					ss_b <= 2'd3;
				end
				m_st <= M_SS2;
			end
			M_SS2: begin
				pay_we <= 1'b1; pay_waddr <= ss_w; pay_wdata <= fld[7:0];
				fld <= {8'd0, fld[47:8]};
				ss_w <= ss_w + 5'd1;
				ss_b <= ss_b - 2'd1;
				if (ss_b == 2'd0) begin
					ss_k <= ss_k + 3'd1;
					if (ss_k == 3'd6) begin
						w_start <= 1'b1; w_type <= 8'h04; w_chan <= ss_span;
						w_len <= 8'd26; w_src <= SRC_RAM;
						m_st <= M_WAITW; m_after <= ss_req ? M_DONE : M_SEL;
					end else
						m_st <= M_SS0;
				end
			end
			// pch's words: 0 read in M_P0, arrives in M_PA; 1 in M_PB; 2 in M_P1
			// (pch and the last write of its words are settled in M_P0)
			M_P0: m_st <= M_PA;
			M_PA: begin
				e_rd <= mt_rd[RXQ_W:0];
				e_eofc <= mt_rd[RXQ_W + 1 +: RXQ_W + 1];
				e_set <= mt_rd[15];
				m_st <= M_PB;
			end
			M_PB: begin
				e_dlv <= e_set ? mt_rd : 16'd0;
				m_st <= M_P1;
			end
			M_P1: begin
				if (fill != 0 && (fill >= RX_CHUNK[RXQ_W:0] || x_eofc != e_eofc || sweep_act)) begin
					lim <= (fill > RX_CHUNK[RXQ_W:0]) ? RX_CHUNK[RXQ_W:0] : fill;
					ia <= {(RXQ_W + 1){1'b0}};
					ip <= {(RXQ_W + 1){1'b0}};
					nd <= 8'd0;
					stop <= 1'b0;
					m_st <= M_RX0;
				end else if (force_cr || (crd != 16'd0 && (crd >= CREDIT_STEP || sweep_act))) begin
					fld <= {32'd0, cr};
					cr_q <= cr;
					w_start <= 1'b1; w_type <= 8'h03; w_chan <= {{(16 - CH_W){1'b0}}, pch};
					w_len <= 8'd2; w_src <= SRC_FLD;
					m_st <= M_CRW;
				end else begin
					if (pch == LAST_CH) begin
						pch <= {CH_W{1'b0}};
						sweep_act <= sweep_pend;
						sweep_pend <= tick;
					end else
						pch <= pch + 1'b1;
					m_st <= M_SEL;
				end
			end
			M_CRW: m_st <= M_CRW2;
			M_CRW2: m_st <= M_CRW3;
			M_CRW3: begin
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
					ip <= ip + 1'b1;
					if (rxr_data[8]) begin
						stop <= 1'b1;
						eofst <= rxr_data[2:0];
					end else begin
						pay_we <= 1'b1; pay_waddr <= nd[4:0]; pay_wdata <= rxr_data[7:0];
						nd <= nd + 8'd1;
					end
				end
				if (stop || (ip == lim))
					m_st <= M_RX1;
				if (rv && !stop && ip + 1'b1 == lim && !rxr_data[8])
					m_st <= M_RX1;
			end
			M_RX1: begin
				if (nd != 8'd0) begin
					w_start <= 1'b1; w_type <= 8'h01; w_chan <= {{(16 - CH_W){1'b0}}, pch};
					w_len <= nd; w_src <= SRC_RAM;
					m_st <= M_WAITW; m_after <= M_RX2;
				end else
					m_st <= M_RX2;
			end
			M_RX2: if (o_room && !w_busy) begin
				if (stop) begin
					fld <= {24'd0, dlv_sum, 5'd0, eofst};
					w_start <= 1'b1; w_type <= 8'h02; w_chan <= {{(16 - CH_W){1'b0}}, pch};
					w_len <= 8'd3; w_src <= SRC_FLD;
					m_st <= M_WAITW; m_after <= M_RX3;
				end else
					m_st <= M_RX3;
			end
			M_RX3: begin
				erd_we <= 1'b1; erd_chan <= pch;
				erd_data <= n_rd;
				m_st <= M_RX4;
			end
			M_RX4: m_st <= M_RX5;
			M_RX5: begin
				m_st <= M_P0;
			end
			default: m_st <= M_SEL;
			endcase
		end
	end

endmodule // card_msg_tx

/*
 * card_msg_rx.v
 *
 * Card protocol parser, host -> card (drivers/include/card_proto.h): finds
 * SYNC 0xA5, checks TYPE is a known host->card type and LEN is legal for it,
 * checks the FCS-16 CRC over TYPE..payload, and only then acts.  Resynchronises
 * exactly as card_proto.h describes: on any failure the scan restarts one byte
 * after the false SYNC, re-reading the bytes it already holds from a 512-byte
 * window, so no good message after garbage is lost.
 *
 * TX_DATA payload goes straight into the channel's transmit ring past the
 * committed write pointer; the pointer is only advanced (and the engine only
 * sees the octets) once the CRC is good.  A chunk that does not fit is dropped
 * whole (CHAN_EVENT TX_OVERFLOW, counted; its octets count as consumed so the
 * host's credit stays right).  Other payloads are held until the CRC is checked.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module card_msg_rx #(
	parameter SPANS  = 2,		// T1 spans, 1..28
	parameter CH_W   = 10,		// bits of a channel number
	parameter TXQ_W  = 7,		// transmit ring per channel: 2**TXQ_W entries
	parameter CFG_W  = 102 + 7	// engine config word: 102 + TXQ_W
) (
	// bytes from the FIFO interface
	input  wire        in_valid,
	input  wire [7:0]  in_data,
	output wire        in_room,		// window can take 4 more bytes

	// channel engine
	output reg                   tsm_we,
	output reg  [CH_W-1:0]       tsm_addr,
	output reg  [CH_W:0]         tsm_data,
	output reg                   cfg_we,
	output wire [CH_W-1:0]       cfg_chan,	// held >= CFG_HOLD clocks after cfg_we
	output wire [CFG_W-1:0]      cfg_data,
	output reg                   txr_we,
	output reg  [CH_W+TXQ_W-1:0] txr_addr,
	output reg  [10:0]           txr_data,
	output reg                   ptw_we,
	output reg  [CH_W-1:0]       ptw_chan,
	output reg  [TXQ_W:0]        ptw_data,
	output wire [CH_W-1:0]       txm_p_chan,
	input  wire [TXQ_W:0]        txm_p_data,
	input  wire                  eng_ready,	// engine finished its reset initialisation

	// requests to the emitter (held until req_done)
	output wire        req_valid,
	output wire [7:0]  req_type,		// the host message type being answered
	output wire [15:0] req_chan,
	output wire [7:0]  req_len,
	output wire [15:0] req_addr,
	input  wire        req_done,
	input  wire [7:0]  echo_raddr,		// ECHO payload, for ECHO_REPLY
	output wire [7:0]  echo_rdata,
	input  wire [CH_W-1:0] drp_chan,	// octets dropped per channel, for TX_CREDIT
	output wire [15:0] drp_data,

	// CSR bus writes (REG_WRITE, SPAN_CONFIG)
	output wire        bw_req,
	output wire [15:0] bw_addr,
	output wire [31:0] bw_data,
	input  wire        bw_gnt,

	// errors, events, statistics (1-clock strobes)
	output reg         herr_valid,		// HOST_ERROR with herr_reason
	output reg  [7:0]  herr_reason,		// 1 bad CRC, 2 unknown type, 3 bad length, 4 bad channel/span
	output reg         ovf_valid,		// CHAN_EVENT TX_OVERFLOW on ovf_chan
	output wire [CH_W-1:0] ovf_chan,
	output reg  [1:0]  stat,		// [0] good message, [1] TX_DATA chunk dropped

	input  wire clk,
	input  wire rst
);
	localparam NCH = SPANS * 24;
	localparam integer LAST_CH_I = NCH - 1;
	localparam integer LAST_SPAN_I = SPANS - 1;
	localparam [CH_W-1:0] LAST_CH = LAST_CH_I[CH_W-1:0];
	localparam [4:0] LAST_SPAN = LAST_SPAN_I[4:0];
	initial begin
		if (TXQ_W > 7 || CH_W < 9)
			$error("card_msg_rx: need TXQ_W <= 7 and CH_W >= 9 (instance %m)");
	end

	localparam
		P_INIT = 4'd0, P_HUNT = 4'd1, P_TYPE = 4'd2, P_FLAGS = 4'd3, P_CHLO = 4'd4,
		P_CHHI = 4'd5, P_LEN = 4'd6, P_PAY = 4'd7, P_CRC0 = 4'd8, P_CRC1 = 4'd9,
		P_COMMIT = 4'd10, P_TSMAP = 4'd11, P_BUS = 4'd12, P_REQ = 4'd13, P_HOLD = 4'd14;
	// after a CHAN_CONFIG the parser waits CFG_HOLD clocks, so cfg_data (the
	// payload registers pbuf) stays unchanged while the engine writes it (its
	// ram_wide_seq takes up to 2 * 16 clocks)
	localparam [5:0] CFG_HOLD = 6'd63;

	// ---------------- window ----------------
	reg  [9:0] w_in, w_st, w_rd;
	wire [9:0] w_used = w_in - w_st;
	assign in_room = (w_used <= 10'd504);
	wire [7:0] win_rd;
	wire [8:0] win_raddr;
	ram_sdp #(.WIDTH(8), .DEPTH(512), .AW(9)) win_I (
		.wr_en(in_valid), .wr_addr(w_in[8:0]), .wr_data(in_data),
		.rd_en(1'b1), .rd_addr(win_raddr), .rd_data(win_rd), .clk(clk));

	reg        f_v;			// win_rd holds the byte at f_pos
	reg  [9:0] f_pos;

	// ---------------- per-channel parser state ----------------
	// One 16-bit RAM (one block RAM for 2 spans), row {channel, k}:
	//   k = 0 {epoch, in_frame, wr}: read when CHAN is complete, used from P_LEN on
	//   k = 1 accepted, k = 2 dropped: read in the next two clocks (used at P_COMMIT,
	//   at least 3 clocks after P_LEN)
	// and written back in the clocks after P_COMMIT (pw_*), from the latched words.
	reg  [CH_W-1:0] pc_addr;
	wire [15:0]     pc_rd;
	reg             init_q;
	reg  [CH_W+1:0] init_idx;
	reg  [1:0]      pr_k;			// word arriving in pc_rd (pr_v)
	reg             pr_v;
	reg  [1:0]      pr_seq;			// words 1, 2 still to read
	reg  [TXQ_W+2:0] q_w0;
	reg  [15:0]     pc_acc, pc_drop;
	reg  [1:0]      pw_k;			// word written back this clock (pw_v)
	reg             pw_v, pw_cfg;

	wire [TXQ_W+2:0] w0    = (pr_v && pr_k == 2'd0) ? pc_rd[TXQ_W+2:0] : q_w0;
	wire [TXQ_W:0]  pc_wr  = w0[TXQ_W:0];
	wire            pc_inf = w0[TXQ_W + 1];
	wire            pc_ep  = w0[TXQ_W + 2];

	// ---------------- payload ----------------
	// A good message stays in the window until the parser is done with it (w_st
	// is left at its SYNC until the next byte is parsed): the emitter reads ECHO
	// payloads from there for ECHO_REPLY (while the parser waits in P_REQ), and
	// P_TSMAP reads the 48 TS_MAP bytes back.  The first 12 bytes are also in
	// pbuf (registers) for the messages that use them all at once.
	reg  [5:0] ts_b;		// P_TSMAP: payload byte being read
	wire [7:0] pay_raddr;

	// ---------------- message fields ----------------
	reg  [3:0]  st;
	reg  [7:0]  m_type, m_len, m_idx;
	reg  [2:0]  m_flags;		// EOF, FULL_ACCM, ABORT
	reg  [15:0] m_chan;
	reg  [15:0] crc;
	reg         m_badch;		// channel/span out of range
	reg         m_room;		// TX_DATA: chunk fits
	reg  [7:0]  pbuf [0:11];
	reg  [7:0]  ts_lo;		// P_TSMAP: low byte of the entry
	reg  [5:0]  hold_c;		// P_HOLD: clocks left
	reg  [15:0] cf_acc;		// CHAN_CONFIG: parser state sent with the configuration
	reg  [TXQ_W:0] cf_wr;
	reg         cf_ep;
	wire [5:0]  ts_byte = ts_b - 6'd1;	// byte arriving from the payload RAM
	wire [4:0]  ts_i = ts_byte[5:1];
	wire [15:0] crc_next;
	fcs16 crc_I (.crc_in(crc), .data(win_rd), .crc_out(crc_next));

	// the channel's RAM words are read as soon as CHAN is complete
	wire            pc_rnew = (st == P_CHHI && f_v);
	wire [CH_W-1:0] pc_raddr = pc_rnew ? {win_rd[CH_W-9:0], m_chan[7:0]} : pc_addr;
	wire [1:0]      pc_rk = pc_rnew ? 2'd0 : (pr_seq == 2'd1) ? 2'd1 : (pr_seq == 2'd2) ? 2'd2 : 2'd0;
	reg  [15:0]     pc_wdata;
	wire            pc_we = init_q || pw_v;
	ram_sdp #(.WIDTH(16), .DEPTH(4 * NCH), .AW(CH_W + 2)) pc_I (
		.wr_en(pc_we), .wr_addr(init_q ? init_idx : {pc_addr, pw_k}),
		.wr_data(init_q ? 16'h0000 : pc_wdata),
		.rd_en(1'b1), .rd_addr({pc_raddr, pc_rk}), .rd_data(pc_rd), .clk(clk));

	always @(posedge clk) begin
		pr_v <= pc_rnew || pr_seq != 2'd0;
		pr_k <= pc_rk;
		if (pc_rnew)
			pr_seq <= 2'd1;
		else if (pr_seq != 2'd0)
			pr_seq <= (pr_seq == 2'd2) ? 2'd0 : pr_seq + 2'd1;
		if (pr_v)
			case (pr_k)
			2'd0:    q_w0 <= pc_rd[TXQ_W+2:0];
			2'd1:    pc_acc <= pc_rd;
			default: pc_drop <= pc_rd;
			endcase
		// write-back after P_COMMIT: TX_DATA words 0, 1, 2; CHAN_CONFIG word 0
		if (pw_v) begin
			pw_k <= pw_k + 2'd1;
			if (pw_cfg || pw_k == 2'd2)
				pw_v <= 1'b0;
		end
		if (st == P_COMMIT && !m_badch && (m_type == 8'h81 || (m_type == 8'h82 && !pbuf[1][2]))) begin
			pw_v <= 1'b1;
			pw_k <= 2'd0;
			pw_cfg <= (m_type == 8'h82);
		end
		if (rst) begin
			pr_seq <= 2'd0;
			pr_v <= 1'b0;
			pw_v <= 1'b0;
		end
	end

	// write-back data: m_* and the latched words stay until the next message's CHAN
	wire tx_ok = m_room;
	always @* begin
		case (pw_k)
		2'd0: begin
			pc_wdata = {{(13 - TXQ_W){1'b0}}, pc_ep, pc_inf, pc_wr};
			if (pw_cfg)
				pc_wdata = {{(13 - TXQ_W){1'b0}}, !pc_ep, 1'b0, pc_wr};
			else if (tx_ok)
				pc_wdata = {{(13 - TXQ_W){1'b0}}, pc_ep, !(f_eof || f_abort), pc_wr + need};
		end
		2'd1:    pc_wdata = pc_acc + ((tx_ok && !f_abort) ? {8'd0, m_len} : 16'd0);
		default: pc_wdata = pc_drop + ((!tx_ok || f_abort) ? {8'd0, m_len} : 16'd0);
		endcase
	end
	ram_sdp #(.WIDTH(16), .DEPTH(NCH), .AW(CH_W)) drp_I (
		.wr_en(init_q || (pw_v && pw_k == 2'd2)), .wr_addr(init_q ? init_idx[CH_W+1:2] : pc_addr),
		.wr_data(init_q ? 16'h0000 : pc_wdata),
		.rd_en(1'b1), .rd_addr(drp_chan), .rd_data(drp_data), .clk(clk));
	assign txm_p_chan = pc_raddr;

	// known host -> card types and their legal LEN
	function type_known;
		input [7:0] t;
		begin
			type_known = (t >= 8'h81 && t <= 8'h8A);
		end
	endfunction
	function len_ok;
		input [7:0] t;
		input [7:0] l;
		begin
			case (t)
			8'h82: len_ok = (l == 8'd12);
			8'h83: len_ok = (l == 8'd4);
			8'h84: len_ok = (l == 8'd48);
			8'h85: len_ok = (l == 8'd6);
			8'h86: len_ok = (l == 8'd2);
			8'h88, 8'h89, 8'h8A: len_ok = (l == 8'd0);
			default: len_ok = 1'b1;		// 0x81 TX_DATA, 0x87 ECHO
			endcase
		end
	endfunction

	wire        is_tx    = (m_type == 8'h81);
	wire        f_eof    = m_flags[0];
	wire        f_fa     = m_flags[1];
	wire        f_abort  = m_flags[2];
	wire        marker   = f_abort || (f_eof && m_len == 8'd0);
	wire [TXQ_W:0] need  = m_len[TXQ_W:0] + {{TXQ_W{1'b0}}, marker};
	wire [TXQ_W:0] used  = pc_wr - txm_p_data;
	wire [TXQ_W+1:0] free = (1 << TXQ_W) - {1'b0, used};
	wire        tx_write = m_room && !m_badch && !f_abort;	// payload goes into the ring
	wire        chan_type = (m_type == 8'h81 || m_type == 8'h82 || m_type == 8'h8A);
	wire        span_type = (m_type == 8'h83 || m_type == 8'h84 || m_type == 8'h89);

	assign pay_raddr = (st == P_TSMAP) ? {2'b00, ts_b} : echo_raddr;
	assign win_raddr = (st == P_TSMAP || st == P_REQ) ? w_st[8:0] + 9'd6 + {1'b0, pay_raddr} : w_rd[8:0];
	assign echo_rdata = win_rd;

	// outputs held by the FSM's state (the message fields do not change before
	// the parser leaves P_REQ / P_BUS / P_HOLD)
	assign req_valid = (st == P_REQ);
	assign req_type = m_type;
	assign req_chan = m_chan;
	assign req_len = m_len;
	assign req_addr = {pbuf[1], pbuf[0]};
	assign bw_req = (st == P_BUS);
	// SPAN_CONFIG -> line bank CONFIG register; REG_WRITE
	assign bw_addr = (m_type == 8'h83) ? 16'h1000 + {m_chan[11:0], 4'h0} : {pbuf[1], pbuf[0]};
	assign bw_data = (m_type == 8'h83) ?
			 {21'd0, pbuf[3][2:0], 2'b00, pbuf[2][1:0], pbuf[1][1:0], pbuf[0][1:0]} :
			 {pbuf[5], pbuf[4], pbuf[3], pbuf[2]};
	assign ovf_chan = pc_addr;
	assign cfg_chan = pc_addr;
	assign cfg_data = {cf_acc, cf_wr, cf_ep, pbuf[11],
			   pbuf[10], pbuf[9], pbuf[8], pbuf[7], pbuf[6],
			   pbuf[5], pbuf[4], pbuf[3], pbuf[2],
			   pbuf[1][1:0], (pbuf[0] > 8'd3) ? 2'd0 : pbuf[0][1:0]};

	// fetch: one window byte per clock while parsing
	wire parsing = (st >= P_HUNT && st <= P_CRC1);
	reg  kill;			// set by the FSM: drop the byte in flight, w_rd reloaded
	reg  [9:0] w_rd_load;
	wire fetch = parsing && (w_rd != w_in) && !kill;

	always @(posedge clk) begin
		if (rst) begin
			w_in <= 10'd0;
			w_rd <= 10'd0;
			f_v <= 1'b0;
		end else begin
			if (in_valid)
				w_in <= w_in + 10'd1;
			f_v <= fetch;
			f_pos <= w_rd;
			if (kill)
				w_rd <= w_rd_load;
			else if (fetch)
				w_rd <= w_rd + 10'd1;
		end
	end

	always @(posedge clk) begin
		// strobes
		tsm_we <= 1'b0; cfg_we <= 1'b0; txr_we <= 1'b0; ptw_we <= 1'b0;
		herr_valid <= 1'b0; ovf_valid <= 1'b0; stat <= 2'b00;
		kill <= 1'b0;
		if (rst) begin
			st <= P_INIT;
			init_q <= 1'b1;
			init_idx <= {(CH_W + 2){1'b0}};
			w_st <= 10'd0;
		end else begin
			case (st)
			P_INIT: begin
				// clear the per-channel state and the engine's copy of our write pointers
				ptw_we <= init_q && init_idx[1:0] == 2'd0;
				ptw_chan <= init_idx[CH_W+1:2]; ptw_data <= {(TXQ_W + 1){1'b0}};
				if (init_q)
					init_idx <= init_idx + 1'b1;
				if (init_idx == {LAST_CH, 2'b11})
					init_q <= 1'b0;
				if (!init_q && eng_ready)
					st <= P_HUNT;
			end
			P_HUNT: if (f_v) begin
				if (win_rd == 8'hA5) begin
					w_st <= f_pos;
					crc <= 16'hFFFF;
					st <= P_TYPE;
				end else
					w_st <= f_pos + 10'd1;
			end
			P_TYPE: if (f_v) begin
				m_type <= win_rd; crc <= crc_next; st <= P_FLAGS;
			end
			P_FLAGS: if (f_v) begin
				m_flags <= win_rd[2:0]; crc <= crc_next; st <= P_CHLO;
			end
			P_CHLO: if (f_v) begin
				m_chan[7:0] <= win_rd; crc <= crc_next; st <= P_CHHI;
			end
			P_CHHI: if (f_v) begin
				m_chan[15:8] <= win_rd; crc <= crc_next; st <= P_LEN;
				pc_addr <= {win_rd[CH_W-9:0], m_chan[7:0]};
			end
			P_LEN: if (f_v) begin
				m_len <= win_rd; crc <= crc_next; m_idx <= 8'd0;
				m_badch <= (chan_type && m_chan > {{(16 - CH_W){1'b0}}, LAST_CH}) || (span_type && m_chan > {11'd0, LAST_SPAN});
				if (!type_known(m_type) || !len_ok(m_type, win_rd)) begin
					herr_valid <= 1'b1;
					herr_reason <= type_known(m_type) ? 8'd3 : 8'd2;
					st <= P_HUNT;
					w_st <= w_st + 10'd1;
					kill <= 1'b1; w_rd_load <= w_st + 10'd1;
				end else begin
					st <= (win_rd == 8'd0) ? P_CRC0 : P_PAY;
				end
				m_room <= ({2'b00, win_rd} + {9'd0, m_flags[2] || (m_flags[0] && win_rd == 8'd0)})
					  <= {{(8 - TXQ_W){1'b0}}, free};
			end
			P_PAY: if (f_v) begin
				crc <= crc_next;
				m_idx <= m_idx + 8'd1;
				if (m_idx + 8'd1 == m_len)
					st <= P_CRC0;
				if (is_tx && tx_write) begin
					txr_we <= 1'b1;
					txr_addr <= {pc_addr, pc_wr[TXQ_W-1:0] + m_idx[TXQ_W-1:0]};
					txr_data <= {1'b0, f_eof && (m_idx + 8'd1 == m_len), f_fa && !pc_inf, win_rd};
				end
				if (m_idx < 8'd12)
					pbuf[m_idx[3:0]] <= win_rd;
			end
			P_CRC0: if (f_v) begin
				crc <= crc_next; st <= P_CRC1;
			end
			P_CRC1: if (f_v) begin
				kill <= 1'b1;
				if (crc_next == 16'hF0B8) begin
					// w_st stays at the message (payload read back from the window)
					w_rd_load <= f_pos + 10'd1;
					st <= P_COMMIT;
				end else begin
					herr_valid <= 1'b1; herr_reason <= 8'd1;
					w_st <= w_st + 10'd1;
					w_rd_load <= w_st + 10'd1;
					st <= P_HUNT;
				end
			end
			P_COMMIT: begin
				stat[0] <= !m_badch;
				st <= P_HUNT;
				if (m_badch) begin
					herr_valid <= 1'b1; herr_reason <= 8'd4;
				end else case (m_type)
				8'h81: begin	// TX_DATA
					if (m_room) begin
						if (marker) begin
							txr_we <= 1'b1;
							txr_addr <= {pc_addr, pc_wr[TXQ_W-1:0] + m_len[TXQ_W-1:0]};
							txr_data <= {f_abort ? 2'd3 : 2'd2, 1'b0, 8'h00};
						end
						ptw_we <= 1'b1; ptw_chan <= pc_addr;
						ptw_data <= pc_wr + need;
					end else begin
						ovf_valid <= 1'b1; stat[1] <= 1'b1;
					end
				end
				8'h82: begin	// CHAN_CONFIG: also flushes the transmit ring,
						// unless CARD_OPT_UPDATE (options bit 2) asks for
						// new maps/MRU in place: the epoch stays, no flush
					cfg_we <= 1'b1;
					cf_acc <= pc_acc; cf_wr <= pc_wr;
					cf_ep <= pbuf[1][2] ? pc_ep : !pc_ep;
					hold_c <= CFG_HOLD;
					st <= P_HOLD;
				end
				8'h83: begin	// SPAN_CONFIG -> line bank CONFIG register (bw_*)
					st <= P_BUS;
				end
				8'h84: begin	// TS_MAP
					ts_b <= 6'd0;
					st <= P_TSMAP;
				end
				8'h85: begin	// REG_WRITE (bw_*)
					st <= P_BUS;
				end
				default: begin	// answered by the emitter (req_*)
					st <= P_REQ;
				end
				endcase
			end
			P_TSMAP: begin
				// payload byte ts_b is read, byte ts_b - 1 arrives: 2 per entry
				ts_b <= ts_b + 6'd1;
				if (ts_b != 6'd0 && !ts_byte[0])
					ts_lo <= echo_rdata;
				if (ts_b != 6'd0 && ts_byte[0]) begin
					tsm_we <= 1'b1;
					tsm_addr <= m_chan[CH_W-1:0] * 24 + {{(CH_W - 5){1'b0}}, ts_i};
					tsm_data <= ({echo_rdata, ts_lo} <= {{(16 - CH_W){1'b0}}, LAST_CH}) ?
						    {1'b1, echo_rdata[CH_W-9:0], ts_lo} : {(CH_W + 1){1'b0}};
				end
				if (ts_b == 6'd48)
					st <= P_HUNT;
			end
			P_BUS: if (bw_gnt)
				st <= P_HUNT;
			P_REQ: if (req_done)
				st <= P_HUNT;
			P_HOLD: begin
				hold_c <= hold_c - 6'd1;
				if (hold_c == 6'd0)
					st <= P_HUNT;
			end
			default: st <= P_HUNT;
			endcase
		end
	end

endmodule // card_msg_rx

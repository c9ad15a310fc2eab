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
 * Byte-serial: one window read port, one CRC, the message fields; the first 12
 * payload bytes go to pbuf (CHAN_CONFIG's configuration word, REG_WRITE /
 * REG_READ / SPAN_CONFIG's bus address and value, the latter packed as the line
 * bank's CONFIG register while it arrives); ECHO and TS_MAP are read back from
 * the window, where a good message stays until the parser is done with it.
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
	output wire                  txr_we,
	output wire [CH_W+TXQ_W-1:0] txr_addr,
	output wire [9:0]            txr_data,
	output reg                   ptw_we,
	output wire [CH_W-1:0]       ptw_chan,
	output wire [TXQ_W:0]        ptw_data,
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
	input  wire [8:0]  echo_raddr,		// byte of the message being answered, for
	output wire [7:0]  echo_rdata,		// ECHO_REPLY: 0 = TYPE (data one clock later)
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
	// after a CHAN_CONFIG the parser waits CFG_HOLD clocks, so cfg_data (pbuf and
	// the channel's words) stays unchanged while the engine writes it (its
	// ram_wide_seq takes up to 2 * 16 clocks)
	localparam [7:0] CFG_HOLD = 8'd63;

	reg  [3:0]  st;

	// ---------------- window ----------------
	// w_st: the TYPE byte of the message being parsed (one after its SYNC); a
	// failed candidate restarts the scan there.  w_rd: next byte to fetch.
	reg  [9:0] w_in, w_st, w_rd;
	// in_room: window use w_in - w_st <= 8 * 62 + 7 (the difference in 8-byte units
	// is at most 62): at least 8 bytes free
	wire [6:0] w_used8 = w_in[9:3] - w_st[9:3];
	assign in_room = !w_used8[6] && (w_used8[5:0] != 6'h3F);
	wire [7:0] win_rd;
	wire [8:0] win_raddr;
	ram_sdp #(.WIDTH(8), .DEPTH(512), .AW(9)) win_I (
		.wr_en(in_valid), .wr_addr(w_in[8:0]), .wr_data(in_data),
		.rd_en(1'b1), .rd_addr(win_raddr), .rd_data(win_rd), .clk(clk));
	reg        f_v;			// win_rd holds the byte at w_rd - 1
	wire       parsing = (st >= P_HUNT && st <= P_CRC1);
	wire       fetch = parsing && (w_rd != w_in);

	// ---------------- message fields ----------------
	reg  [3:0]  m_type;		// low nibble of a known type (0x81..0x8A)
	reg         m_known;
	reg  [7:0]  m_len, m_idx;	// m_idx: payload byte; then TS_MAP byte / hold count
	reg  [2:0]  m_flags;		// EOF, FULL_ACCM, ABORT
	reg  [CH_W-1:0] m_chan;		// channel or span (also the init counter)
	reg  [15:0] crc;
	reg         m_badch;		// channel/span out of range
	reg         m_room;		// TX_DATA: chunk fits
	reg  [95:0] pbuf;		// payload bytes 0..11, byte i at [8i +: 8]
	wire [7:0]  pb0 = pbuf[7:0];
	wire [2:0]  pb1 = pbuf[10:8];
	integer     pi;
	reg  [7:0]  ts_lo;		// P_TSMAP: low byte of the entry
	wire [15:0] crc_next;
	fcs16 crc_I (.crc_in(crc), .data(win_rd), .crc_out(crc_next));

	wire        is_tx    = (m_type == 4'h1);
	wire        is_cfg   = (m_type == 4'h2);
	wire        f_eof    = m_flags[0];
	wire        f_fa     = m_flags[1];
	wire        f_abort  = m_flags[2];

	// ---------------- per-channel parser state ----------------
	// One 16-bit RAM (one block RAM for 2 spans), row {channel, k}:
	//   k = 0 {epoch, in_frame, wr}: read when CHAN is complete, latched in q_w0
	//   k = 1 accepted, k = 2 dropped: the one a message changes (TX_DATA) or
	//   sends (CHAN_CONFIG, accepted) is read from P_LEN + 1 on, straight from
	//   the RAM's output until the next message's CHAN
	// written after P_COMMIT (word k, then word 0); dropped also goes to drp_I
	// for the emitter.  After reset m_chan/wk count the rows to clear.
	reg             init_q;
	reg  [1:0]      wk;			// word written (pw_v / init)
	reg             pw_v;			// write-back of word wk this clock
	reg             pr_v;			// pc_rd holds word 0 (clock after CHHI)
	reg  [TXQ_W+2:0] q_w0;
	wire [15:0]     pc_rd;
	wire [TXQ_W+2:0] w0    = pr_v ? pc_rd[TXQ_W+2:0] : q_w0;
	wire [TXQ_W:0]  pc_wr  = w0[TXQ_W:0];
	wire            pc_inf = w0[TXQ_W + 1];
	wire            pc_ep  = w0[TXQ_W + 2];
	wire            cnt_acc = is_cfg || (m_room && !f_abort);	// word 1, else 2
	wire            pc_rnew = (st == P_CHHI);
	wire [CH_W-1:0] pc_raddr = pc_rnew ? {win_rd[CH_W-9:0], m_chan[7:0]} : m_chan;
	wire [1:0]      pc_rk = pc_rnew ? 2'd0 : cnt_acc ? 2'd1 : 2'd2;

	// a ring entry is {tag[1:0], octet}: 0 data, 1 last data, 2 first data of a
	// full-ACCM frame, 3 control (octet 0 end of frame without data, 1 abort); a
	// one-octet chunk that both opens a full-ACCM frame and ends it takes a tag 2
	// entry plus an end-of-frame marker
	wire        fa_one   = f_eof && f_fa && !pc_inf && m_len == 8'd1;
	wire        marker   = f_abort || (f_eof && m_len == 8'd0) || fa_one;
	wire [TXQ_W:0] need  = m_len[TXQ_W:0] + {{TXQ_W{1'b0}}, marker};
	wire [TXQ_W:0] wr_new = pc_wr + need;
	reg  [15:0] pc_wdata;
	always @* begin
		if (init_q)
			pc_wdata = 16'd0;
		else if (wk != 2'd0)
			pc_wdata = pc_rd + {8'd0, m_len};
		else	// CHAN_CONFIG (new epoch, not in a frame), TX_DATA that fitted
			pc_wdata = {{(13 - TXQ_W){1'b0}}, pc_ep ^ is_cfg, !is_cfg && !(f_eof || f_abort),
				    is_cfg ? pc_wr : wr_new};
	end
	wire pc_we = init_q || pw_v;
	ram_sdp #(.WIDTH(16), .DEPTH(4 * NCH), .AW(CH_W + 2)) pc_I (
		.wr_en(pc_we), .wr_addr({m_chan, wk}), .wr_data(pc_wdata),
		.rd_en(1'b1), .rd_addr({pc_raddr, pc_rk}), .rd_data(pc_rd), .clk(clk));
	ram_sdp #(.WIDTH(16), .DEPTH(NCH), .AW(CH_W)) drp_I (
		.wr_en(pc_we && wk == 2'd2), .wr_addr(m_chan), .wr_data(pc_wdata),
		.rd_en(1'b1), .rd_addr(drp_chan), .rd_data(drp_data), .clk(clk));
	assign txm_p_chan = pc_raddr;
	assign ptw_chan = m_chan;
	assign ptw_data = init_q ? {(TXQ_W + 1){1'b0}} : wr_new;

	// known host -> card types and their legal LEN
	function len_ok;
		input [3:0] t;
		input [7:0] l;
		begin
			case (t)
			4'h2: len_ok = (l == 8'd12);
			4'h3: len_ok = (l == 8'd4);
			4'h4: len_ok = (l == 8'd48);
			4'h5: len_ok = (l == 8'd6);
			4'h6: len_ok = (l == 8'd2);
			4'h8, 4'h9, 4'hA: len_ok = (l == 8'd0);
			default: len_ok = 1'b1;		// 0x81 TX_DATA, 0x87 ECHO
			endcase
		end
	endfunction

	wire [TXQ_W:0] used  = pc_wr - txm_p_data;
	// P_LEN: LEN (+ 1 for a marker) more entries fit in the ring
	wire [8:0]  room_sum = {1'b0, win_rd} + {{(8 - TXQ_W){1'b0}}, used} +
			       {8'd0, m_flags[2] || (m_flags[0] && win_rd == 8'd0) ||
				(m_flags[0] && m_flags[1] && !pc_inf && win_rd == 8'd1)};
	localparam [8:0] RING = 1 << TXQ_W;
	wire        tx_write = m_room && !m_badch && !f_abort;	// payload goes into the ring
	wire        chan_type = (m_type == 4'h1 || m_type == 4'h2 || m_type == 4'hA);
	wire        span_type = (m_type == 4'h3 || m_type == 4'h4 || m_type == 4'h9);

	// window read port: parsing, or the good message being answered / read back
	wire [8:0] ro = (st == P_TSMAP) ? {1'b0, m_idx} : echo_raddr;
	wire [CH_W-1:0] span24 = {{(CH_W - 9){1'b0}}, m_chan[4:0], 4'd0} + {{(CH_W - 8){1'b0}}, m_chan[4:0], 3'd0};
	assign win_raddr = (st == P_TSMAP || st == P_REQ) ? w_st[8:0] + ro : w_rd[8:0];
	assign echo_rdata = win_rd;

	// outputs held by the FSM's state (the message fields do not change before
	// the parser leaves P_REQ / P_BUS / P_HOLD)
	assign req_valid = (st == P_REQ);
	assign req_type = {4'h8, m_type};
	assign req_chan = {{(16 - CH_W){1'b0}}, m_chan};
	assign req_len = m_len;
	assign req_addr = pbuf[15:0];
	assign bw_req = (st == P_BUS);
	assign bw_addr = pbuf[15:0];
	assign bw_data = pbuf[47:16];
	assign ovf_chan = m_chan;
	assign cfg_chan = m_chan;
	assign cfg_data = {pc_rd, pc_wr, pb1[2] ? pc_ep : !pc_ep, pbuf[95:16],
			   pb1[1:0], (pb0 > 8'd3) ? 2'd0 : pb0[1:0]};

	// TX_DATA octets and the end-of-frame / abort marker into the ring
	wire pay_v = (st == P_PAY) && f_v;
	wire last_pay = (m_idx + 8'd1 == m_len);
	wire mark_we = (st == P_COMMIT) && !m_badch && is_tx && m_room && marker;
	assign txr_we = (pay_v && is_tx && tx_write) || mark_we;
	assign txr_addr = {m_chan, pc_wr[TXQ_W-1:0] + m_idx[TXQ_W-1:0]};
	assign txr_data = (st == P_COMMIT) ? {2'd3, 7'd0, f_abort} :
			  (f_fa && !pc_inf && m_idx == 8'd0) ? {2'd2, win_rd} :
			  {1'b0, f_eof && last_pay, win_rd};

	always @(posedge clk) begin
		// strobes
		tsm_we <= 1'b0; cfg_we <= 1'b0; ptw_we <= 1'b0;
		herr_valid <= 1'b0; ovf_valid <= 1'b0; stat <= 2'b00;
		pw_v <= 1'b0;
		pr_v <= 1'b0;
		if (pr_v)
			q_w0 <= pc_rd[TXQ_W+2:0];
		if (in_valid)
			w_in <= w_in + 10'd1;
		f_v <= fetch;
		if (fetch)
			w_rd <= w_rd + 10'd1;
		if (tsm_we)
			tsm_addr <= tsm_addr + 1'b1;
		if (rst) begin
			st <= P_INIT;
			init_q <= 1'b1;
			m_chan <= {CH_W{1'b0}};
			wk <= 2'd0;
			w_in <= 10'd0;
			w_rd <= 10'd0;
			w_st <= 10'd0;
			f_v <= 1'b0;
		end else begin
			case (st)
			P_INIT: begin
				// clear the per-channel state and the engine's copy of our write
				// pointers; m_chan ends at 0
				if (init_q) begin
					ptw_we <= (wk == 2'd0);
					wk <= wk + 2'd1;
					if (wk == 2'd2) begin
						wk <= 2'd0;
						m_chan <= m_chan + 1'b1;
						if (m_chan == LAST_CH)
							init_q <= 1'b0;
					end
				end else if (eng_ready)
					st <= P_HUNT;
			end
			P_HUNT: if (f_v) begin
				w_st <= w_rd;
				crc <= 16'hFFFF;
				if (win_rd == 8'hA5)
					st <= P_TYPE;
			end
			P_TYPE: if (f_v) begin
				m_type <= win_rd[3:0];
				m_known <= (win_rd >= 8'h81 && win_rd <= 8'h8A);
				crc <= crc_next; st <= P_FLAGS;
			end
			P_FLAGS: if (f_v) begin
				m_flags <= win_rd[2:0]; crc <= crc_next; st <= P_CHLO;
			end
			P_CHLO: if (f_v) begin
				m_chan[7:0] <= win_rd; crc <= crc_next; st <= P_CHHI;
			end
			P_CHHI: if (f_v) begin
				// the channel's word 0 is read now (pc_rnew)
				m_chan[CH_W-1:8] <= win_rd[CH_W-9:0]; crc <= crc_next; st <= P_LEN;
				pr_v <= 1'b1;
				m_badch <= (chan_type && {win_rd, m_chan[7:0]} > {{(16 - CH_W){1'b0}}, LAST_CH}) ||
					   (span_type && {win_rd, m_chan[7:0]} > {11'd0, LAST_SPAN});
			end
			P_LEN: if (f_v) begin
				m_len <= win_rd; crc <= crc_next; m_idx <= 8'd0;
				if (!m_known || !len_ok(m_type, win_rd)) begin
					herr_valid <= 1'b1;
					herr_reason <= m_known ? 8'd3 : 8'd2;
					st <= P_HUNT;
					w_rd <= w_st;	// one byte after the false SYNC
					f_v <= 1'b0;
				end else begin
					st <= (win_rd == 8'd0) ? P_CRC0 : P_PAY;
				end
				m_room <= (room_sum <= RING);
			end
			P_PAY: if (f_v) begin
				crc <= crc_next;
				m_idx <= m_idx + 8'd1;
				if (last_pay)
					st <= P_CRC0;
				if (m_type == 4'h3) begin
					// SPAN_CONFIG: bytes 1:0 = the span's CONFIG register address,
					// bytes 5:2 = its value {flags[2:0], 00, clock, line code, framing}
					pbuf[15:0] <= {4'h1, 3'd0, m_chan[4:0], 4'h0};
					pbuf[23:16] <= {(m_idx[1:0] == 2'd3) ? 2'b00 : win_rd[1:0], pbuf[23:18]};
					if (m_idx[1:0] == 2'd3)
						pbuf[31:24] <= {5'd0, win_rd[2:0]};
					pbuf[47:32] <= 16'd0;
				end else if (m_idx < 8'd12)
					for (pi = 0; pi < 12; pi = pi + 1)
						if (m_idx[3:0] == pi[3:0])
							pbuf[pi * 8 +: 8] <= win_rd;
			end
			P_CRC0: if (f_v) begin
				crc <= crc_next; st <= P_CRC1;
			end
			P_CRC1: if (f_v) begin
				f_v <= 1'b0;
				if (crc_next == 16'hF0B8) begin
					// w_st stays at the message (read back from the window)
					w_rd <= w_rd;
					st <= P_COMMIT;
				end else begin
					herr_valid <= 1'b1; herr_reason <= 8'd1;
					w_rd <= w_st;
					st <= P_HUNT;
				end
			end
			P_COMMIT: begin
				stat[0] <= !m_badch;
				st <= P_HUNT;
				m_idx <= 8'd5;
				if (m_badch) begin
					herr_valid <= 1'b1; herr_reason <= 8'd4;
				end else case (m_type)
				4'h1: begin	// TX_DATA: counter word now, word 0 next clock
					pw_v <= 1'b1; wk <= cnt_acc ? 2'd1 : 2'd2;
					if (m_room) begin
						ptw_we <= 1'b1;
					end else begin
						ovf_valid <= 1'b1; stat[1] <= 1'b1;
					end
				end
				4'h2: begin	// CHAN_CONFIG: also flushes the transmit ring,
						// unless CARD_OPT_UPDATE (options bit 2) asks for
						// new maps/MRU in place: the epoch stays, no flush
					cfg_we <= 1'b1;
					pw_v <= !pb1[2]; wk <= 2'd0;
					st <= P_HOLD;
				end
				4'h3: begin	// SPAN_CONFIG -> line bank CONFIG register (bw_*)
					st <= P_BUS;
				end
				4'h4: begin	// TS_MAP: m_idx runs over the payload (from byte 5)
					tsm_addr <= span24;
					st <= P_TSMAP;
				end
				4'h5: begin	// REG_WRITE (bw_*)
					st <= P_BUS;
				end
				default: begin	// answered by the emitter (req_*)
					st <= P_REQ;
				end
				endcase
			end
			P_TSMAP: begin
				// payload byte m_idx - 5 is read, byte m_idx - 6 arrives: 2 per entry
				m_idx <= m_idx + 8'd1;
				if (!m_idx[0])
					ts_lo <= win_rd;
				if (m_idx[0] && m_idx != 8'd5) begin
					tsm_we <= 1'b1;
					tsm_data <= ({win_rd, ts_lo} <= {{(16 - CH_W){1'b0}}, LAST_CH}) ?
						    {1'b1, win_rd[CH_W-9:0], ts_lo} : {(CH_W + 1){1'b0}};
				end
				if (m_idx == 8'd53)
					st <= P_HUNT;
			end
			P_BUS: if (bw_gnt)
				st <= P_HUNT;
			P_REQ: if (req_done)
				st <= P_HUNT;
			P_HOLD: begin
				m_idx <= m_idx + 8'd1;
				if (m_idx == 8'd5 + CFG_HOLD)
					st <= P_HUNT;
			end
			default: st <= P_HUNT;
			endcase
			// TX_DATA write-back: word 0 after the counter word
			if (pw_v && wk != 2'd0) begin
				pw_v <= m_room;		// word 0 changes when the chunk fitted
				wk <= 2'd0;
			end
		end
	end

endmodule // card_msg_rx

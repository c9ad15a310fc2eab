/*
 * hdlc_chan_engine.v
 *
 * The card's one time-multiplexed channel engine (RFC 1662 async HDLC, ISO 3309
 * sync HDLC, raw octets) for all SPANS*24 channels.  Every channel's state lives
 * in RAM and is read, updated by hdlc_tx_step / hdlc_rx_step and written back
 * once per timeslot visit; one visit per clock through one shared pipeline:
 *
 *   S0 scan (span, ts) after sys_frame; read the timeslot map
 *   S1 channel known: read config, transmit state, host write pointer
 *   S2 read the transmit buffer entry at the channel's read pointer
 *   S3 hdlc_tx_step: line octet, transmit state written back; visit registered
 *   S4 line bank visit (oct_valid, oct_tx); read receive state, host read pointer
 *   S5 oct_rx valid: hdlc_rx_step, receive state and ring written back
 *
 * A channel mapped to two timeslots less than three visits apart sees stale
 * state (its data is garbled; other channels are not affected): TS_MAP is
 * meant to be one-to-one.  See docs/rtl-engine.md for layouts.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module hdlc_chan_engine #(
	parameter SPANS  = 2,		// T1 spans, 1..28
	parameter SPAN_W = 1,		// bits of a span index, >= 1
	parameter CH_W   = 10,		// bits of a channel number
	parameter TXQ_W  = 7,		// transmit ring per channel: 2**TXQ_W entries
	parameter RXQ_W  = 6		// receive ring per channel: 2**RXQ_W entries
) (
	// line bank octet port
	input  wire              sys_frame,
	output reg               oct_valid,
	output reg  [SPAN_W-1:0] oct_span,
	output reg  [4:0]        oct_ts,
	output reg  [7:0]        oct_tx,
	input  wire [7:0]        oct_rx,

	// host side writes (from card_msg_rx)
	input  wire                  tsm_we,		// timeslot map entry
	input  wire [CH_W-1:0]       tsm_addr,		// span*24 + ts
	input  wire [CH_W:0]         tsm_data,		// {valid, channel}
	input  wire                  cfg_we,		// channel configuration
	input  wire [CH_W-1:0]       cfg_chan,
	input  wire [CFG_W-1:0]      cfg_data,
	input  wire                  txr_we,		// transmit ring entry
	input  wire [CH_W+TXQ_W-1:0] txr_addr,		// {channel, index}
	input  wire [10:0]           txr_data,
	input  wire                  ptw_we,		// host's committed write pointer
	input  wire [CH_W-1:0]       ptw_chan,
	input  wire [TXQ_W:0]        ptw_data,
	input  wire [CH_W-1:0]       txm_p_chan,	// engine's read pointer, for the parser
	output wire [TXQ_W:0]        txm_p_data,	//   (1 clock later)

	// emitter side (card_msg_tx)
	input  wire [CH_W-1:0]       txm_e_chan,	// octets consumed, for TX_CREDIT
	output wire [15:0]           txm_e_data,
	input  wire [CH_W+RXQ_W-1:0] rxr_addr,		// receive ring read
	output wire [8:0]            rxr_data,
	input  wire [CH_W-1:0]       rxw_chan,		// receive ring {eof count, write pointer}
	output wire [2*RXQ_W+1:0]    rxw_data,
	input  wire                  erd_we,		// emitter's receive ring read pointer
	input  wire [CH_W-1:0]       erd_chan,
	input  wire [RXQ_W:0]        erd_data,

	// channel events and statistics (1-clock strobes)
	output reg               ev_valid,		// CARD_EV_TX_UNDERRUN on ev_chan
	output reg  [CH_W-1:0]   ev_chan,
	output reg  [9:0]        stat,			// see STAT_* in card_csr
	output reg               tick,			// every 16 system frames (2 ms)
	output wire              init_done,

	input  wire clk,
	input  wire rst
);
	localparam NCH   = SPANS * 24;
	localparam integer LAST_CH_I = NCH - 1;
	localparam [CH_W-1:0] LAST_CH = LAST_CH_I[CH_W-1:0];
	localparam CFG_W = 102 + TXQ_W;
	localparam TXS_W = 96;
	localparam RXS_W = 103;
	localparam TXR_W = 1 + 16 + TXQ_W + 1 + TXS_W;		// {epoch, consumed, rd, step}
	localparam RXR_W = 1 + 2 * (RXQ_W + 1) + RXS_W;		// {epoch, eofc, wr, step}

	initial begin
		if (SPANS < 1 || SPANS > 28 || (1 << SPAN_W) < SPANS || (1 << CH_W) < NCH)
			$error("hdlc_chan_engine: bad SPANS/SPAN_W/CH_W (instance %m)");
	end

	// ---------------- reset-time initialisation of the per-channel RAMs ----------------
	reg            init_q;
	reg [CH_W-1:0] init_idx;
	assign init_done = !init_q;

	always @(posedge clk) begin
		if (rst) begin
			init_q <= 1'b1;
			init_idx <= {CH_W{1'b0}};
		end else if (init_q) begin
			init_idx <= init_idx + 1'b1;
			if (init_idx == LAST_CH)
				init_q <= 1'b0;
		end
	end

	// ---------------- S0: scan ----------------
	reg              sc_v;
	reg [CH_W-1:0]   sc_idx;
	reg [SPAN_W-1:0] sc_span;
	reg [4:0]        sc_ts;

	always @(posedge clk) begin
		if (rst) begin
			sc_v <= 1'b0;
			sc_idx <= {CH_W{1'b0}};
			sc_span <= {SPAN_W{1'b0}};
			sc_ts <= 5'd0;
		end else if (sys_frame && !init_q) begin
			sc_v <= 1'b1;
			sc_idx <= {CH_W{1'b0}};
			sc_span <= {SPAN_W{1'b0}};
			sc_ts <= 5'd0;
		end else if (sc_v) begin
			sc_idx <= sc_idx + 1'b1;
			if (sc_idx == LAST_CH)
				sc_v <= 1'b0;
			if (sc_ts == 5'd23) begin
				sc_ts <= 5'd0;
				sc_span <= sc_span + 1'b1;
			end else
				sc_ts <= sc_ts + 5'd1;
		end
	end

	// tick every 16 system frames
	reg [3:0] fr_cnt;
	always @(posedge clk) begin
		if (rst) begin
			fr_cnt <= 4'd0;
			tick <= 1'b0;
		end else begin
			tick <= 1'b0;
			if (sys_frame) begin
				fr_cnt <= fr_cnt + 4'd1;
				tick <= (fr_cnt == 4'd15);
			end
		end
	end

	wire [CH_W:0] tm_rd;
	ram_sdp #(.WIDTH(CH_W + 1), .DEPTH(NCH), .AW(CH_W)) tsmap_I (
		.wr_en(init_q || tsm_we), .wr_addr(init_q ? init_idx : tsm_addr),
		.wr_data(init_q ? {1'b1, init_idx} : tsm_data),
		.rd_en(sc_v), .rd_addr(sc_idx), .rd_data(tm_rd), .clk(clk));

	// ---------------- S1 ----------------
	reg              p1_v;
	reg [SPAN_W-1:0] p1_span;
	reg [4:0]        p1_ts;
	always @(posedge clk) begin
		p1_v <= sc_v && !rst;
		p1_span <= sc_span;
		p1_ts <= sc_ts;
	end
	wire [CH_W-1:0] s1_ch = tm_rd[CH_W-1:0];
	wire            s1_cv = p1_v && tm_rd[CH_W] && (tm_rd[CH_W-1:0] <= LAST_CH);

	wire [CFG_W-1:0] cfg_rd;
	wire [TXR_W-1:0] txs_rd;
	wire [TXQ_W:0]   ptw_rd;
	reg              p3_cv;
	reg [CH_W-1:0]   p3_ch;
	reg [TXR_W-1:0]  txs_wr;

	ram_sdp #(.WIDTH(CFG_W), .DEPTH(NCH), .AW(CH_W)) cfg_I (
		.wr_en(init_q || cfg_we), .wr_addr(init_q ? init_idx : cfg_chan),
		.wr_data(init_q ? {CFG_W{1'b0}} : cfg_data),
		.rd_en(s1_cv), .rd_addr(s1_ch), .rd_data(cfg_rd), .clk(clk));
	ram_sdp #(.WIDTH(TXR_W), .DEPTH(NCH), .AW(CH_W)) txs_I (
		.wr_en(init_q || p3_cv), .wr_addr(init_q ? init_idx : p3_ch),
		.wr_data(init_q ? {TXR_W{1'b0}} : txs_wr),
		.rd_en(s1_cv), .rd_addr(s1_ch), .rd_data(txs_rd), .clk(clk));
	ram_sdp #(.WIDTH(TXQ_W + 1), .DEPTH(NCH), .AW(CH_W)) ptw_I (
		.wr_en(ptw_we), .wr_addr(ptw_chan), .wr_data(ptw_data),
		.rd_en(s1_cv), .rd_addr(s1_ch), .rd_data(ptw_rd), .clk(clk));

	// ---------------- S2 ----------------
	reg              p2_v, p2_cv;
	reg [SPAN_W-1:0] p2_span;
	reg [4:0]        p2_ts;
	reg [CH_W-1:0]   p2_ch;
	always @(posedge clk) begin
		p2_v <= p1_v && !rst;
		p2_cv <= s1_cv && !rst;
		p2_span <= p1_span;
		p2_ts <= p1_ts;
		p2_ch <= s1_ch;
	end
	wire [TXQ_W-1:0] s2_rd = txs_rd[TXS_W +: TXQ_W];
	wire [10:0]    txr_rd;
	ram_sdp #(.WIDTH(11), .DEPTH(NCH << TXQ_W), .AW(CH_W + TXQ_W)) txring_I (
		.wr_en(txr_we), .wr_addr(txr_addr), .wr_data(txr_data),
		.rd_en(p2_cv), .rd_addr({p2_ch, s2_rd}), .rd_data(txr_rd), .clk(clk));

	// ---------------- S3: transmit ----------------
	reg              p3_v;
	reg [SPAN_W-1:0] p3_span;
	reg [4:0]        p3_ts;
	reg [CFG_W-1:0]  p3_cfg;
	reg [TXR_W-1:0]  p3_txs;
	reg [TXQ_W:0]    p3_ptw;
	always @(posedge clk) begin
		p3_v <= p2_v && !rst;
		p3_cv <= p2_cv && !rst;
		p3_span <= p2_span;
		p3_ts <= p2_ts;
		p3_ch <= p2_ch;
		if (p2_cv) begin
			p3_cfg <= cfg_rd;
			p3_txs <= txs_rd;
			p3_ptw <= ptw_rd;
		end
	end

	// config fields
	wire [1:0]     c_mode   = p3_cfg[1:0];
	wire           c_fcs32  = p3_cfg[2];
	wire           c_ones   = p3_cfg[3];
	wire [31:0]    c_rxaccm = p3_cfg[35:4];
	wire [31:0]    c_txaccm = p3_cfg[67:36];
	wire [15:0]    c_mru    = p3_cfg[83:68];
	wire           c_epoch  = p3_cfg[84];
	wire [TXQ_W:0] c_fptr   = p3_cfg[85 +: TXQ_W + 1];
	wire [15:0]    c_fcnt   = p3_cfg[86 + TXQ_W +: 16];

	wire [TXS_W-1:0] t_step = p3_txs[TXS_W-1:0];
	wire [TXQ_W:0]   t_rd   = p3_txs[TXS_W +: TXQ_W + 1];
	wire [15:0]      t_cons = p3_txs[TXS_W + TXQ_W + 1 +: 16];
	wire             t_ep   = p3_txs[TXR_W-1];
	wire             t_flush = (t_ep != c_epoch);
	// a reconfigured channel restarts from the flush point: the flushed octets count as consumed
	wire [TXQ_W:0]   t_rd0   = t_flush ? c_fptr : t_rd;
	wire [15:0]      t_cons0 = t_flush ? c_fcnt : t_cons;
	// async frame in progress when reconfigured: 0x7D now, 0x7E next visit (abort)
	wire             t_abort = t_flush && (t_step[2:0] != 3'd0) && (c_mode == 2'd2);

	wire [TXS_W-1:0] ts_out;
	wire             ts_consume, ts_took, ts_underrun, ts_sent;
	wire [7:0]       ts_oct;
	// mode OFF between visits: the step logic then has nothing to do (a simulator
	// skips most of it; the outputs are not used then)
	hdlc_tx_step #(.ST_W(TXS_W)) tx_step_I (
		.mode(p3_cv ? c_mode : 2'd0), .fcs32(c_fcs32), .idle_ones(c_ones), .accm(c_txaccm),
		.st_in(t_flush ? {TXS_W{1'b0}} : t_step), .st_out(ts_out),
		.avail(!t_flush && (p3_ptw != t_rd)), .entry(txr_rd),
		.consume(ts_consume), .took_data(ts_took),
		.oct(ts_oct), .underrun(ts_underrun), .frame_sent(ts_sent));

	wire [TXQ_W:0] t_rd1   = t_rd0 + {{TXQ_W{1'b0}}, ts_consume};
	wire [15:0]    t_cons1 = t_cons0 + {15'd0, ts_took};
	always @* begin
		if (t_abort)
			txs_wr = {c_epoch, t_cons0, t_rd0, {(TXS_W - 3){1'b0}}, 3'd5};
		else
			txs_wr = {c_epoch, t_cons1, t_rd1, ts_out};
	end

	ram_sdp #(.WIDTH(TXQ_W + 1), .DEPTH(NCH), .AW(CH_W)) txm_p_I (
		.wr_en(init_q || p3_cv), .wr_addr(init_q ? init_idx : p3_ch),
		.wr_data(init_q ? {(TXQ_W + 1){1'b0}} : txs_wr[TXS_W +: TXQ_W + 1]),
		.rd_en(1'b1), .rd_addr(txm_p_chan), .rd_data(txm_p_data), .clk(clk));
	ram_sdp #(.WIDTH(16), .DEPTH(NCH), .AW(CH_W)) txm_e_I (
		.wr_en(init_q || p3_cv), .wr_addr(init_q ? init_idx : p3_ch),
		.wr_data(init_q ? 16'h0000 : txs_wr[TXS_W + TXQ_W + 1 +: 16]),
		.rd_en(1'b1), .rd_addr(txm_e_chan), .rd_data(txm_e_data), .clk(clk));

	// visit the line bank
	reg          p4_cv;
	reg [CH_W-1:0] p4_ch;
	reg [51:0]   p4_rcfg;
	always @(posedge clk) begin
		if (rst) begin
			oct_valid <= 1'b0;
			ev_valid <= 1'b0;
		end else begin
			oct_valid <= p3_v;
			ev_valid <= p3_cv && ts_underrun && !t_flush;
		end
		oct_span <= p3_span;
		oct_ts <= p3_ts;
		oct_tx <= !p3_cv ? 8'hFF : t_abort ? 8'h7D : ts_oct;
		ev_chan <= p3_ch;
		p4_cv <= p3_cv && !rst;
		p4_ch <= p3_ch;
		if (p3_cv)
			p4_rcfg <= {c_epoch, c_mru, c_rxaccm, c_fcs32, c_mode};
	end

	// ---------------- S4: read receive state ----------------
	wire [RXR_W-1:0] rxs_rd;
	wire [RXQ_W:0]   erd_rd;
	reg              p5_cv;
	reg [CH_W-1:0]   p5_ch;
	reg [51:0]       p5_rcfg;
	reg [RXR_W-1:0]  rxs_wr;
	always @(posedge clk) begin
		p5_cv <= p4_cv && !rst;
		p5_ch <= p4_ch;
		if (p4_cv)
			p5_rcfg <= p4_rcfg;
	end
	ram_sdp #(.WIDTH(RXR_W), .DEPTH(NCH), .AW(CH_W)) rxs_I (
		.wr_en(init_q || p5_cv), .wr_addr(init_q ? init_idx : p5_ch),
		.wr_data(init_q ? {RXR_W{1'b0}} : rxs_wr),
		.rd_en(p4_cv), .rd_addr(p4_ch), .rd_data(rxs_rd), .clk(clk));
	ram_sdp #(.WIDTH(RXQ_W + 1), .DEPTH(NCH), .AW(CH_W)) erd_I (
		.wr_en(init_q || erd_we), .wr_addr(init_q ? init_idx : erd_chan),
		.wr_data(init_q ? {(RXQ_W + 1){1'b0}} : erd_data),
		.rd_en(p4_cv), .rd_addr(p4_ch), .rd_data(erd_rd), .clk(clk));

	// ---------------- S5: receive ----------------
	wire [1:0]       r_mode  = p5_rcfg[1:0];
	wire             r_fcs32 = p5_rcfg[2];
	wire [31:0]      r_accm  = p5_rcfg[34:3];
	wire [15:0]      r_mru   = p5_rcfg[50:35];
	wire             r_cep   = p5_rcfg[51];
	wire [RXS_W-1:0] r_step  = rxs_rd[RXS_W-1:0];
	wire [RXQ_W:0]   r_wr    = rxs_rd[RXS_W +: RXQ_W + 1];
	wire [RXQ_W:0]   r_eofc  = rxs_rd[RXS_W + RXQ_W + 1 +: RXQ_W + 1];
	wire             r_ep    = rxs_rd[RXR_W-1];
	wire [RXQ_W:0]   r_fill  = r_wr - erd_rd;
	wire             r_room  = !r_fill[RXQ_W];

	wire [RXS_W-1:0] rs_out;
	wire             rs_we;
	wire [8:0]       rs_entry;
	wire [5:0]       rs_ev;
	hdlc_rx_step #(.ST_W(RXS_W)) rx_step_I (
		.mode(p5_cv ? r_mode : 2'd0), .fcs32(r_fcs32), .accm(r_accm), .mru(r_mru), .flush(r_ep != r_cep),
		.st_in(r_step), .st_out(rs_out), .oct(oct_rx),
		.room(r_room), .ring_we(rs_we), .ring_entry(rs_entry),
		.ev_ok(rs_ev[0]), .ev_bad_fcs(rs_ev[1]), .ev_abort(rs_ev[2]), .ev_overrun(rs_ev[3]),
		.ev_too_long(rs_ev[4]), .ev_runt(rs_ev[5]));

	wire [RXQ_W:0] r_wr1   = r_wr + {{RXQ_W{1'b0}}, rs_we};
	wire [RXQ_W:0] r_eofc1 = r_eofc + {{RXQ_W{1'b0}}, rs_we && rs_entry[8]};
	always @* rxs_wr = {r_cep, r_eofc1, r_wr1, rs_out};

	ram_sdp #(.WIDTH(9), .DEPTH(NCH << RXQ_W), .AW(CH_W + RXQ_W)) rxring_I (
		.wr_en(p5_cv && rs_we), .wr_addr({p5_ch, r_wr[RXQ_W-1:0]}), .wr_data(rs_entry),
		.rd_en(1'b1), .rd_addr(rxr_addr), .rd_data(rxr_data), .clk(clk));
	ram_sdp #(.WIDTH(2 * RXQ_W + 2), .DEPTH(NCH), .AW(CH_W)) rxw_I (
		.wr_en(init_q || p5_cv), .wr_addr(init_q ? init_idx : p5_ch),
		.wr_data(init_q ? {(2 * RXQ_W + 2){1'b0}} : {r_eofc1, r_wr1}),
		.rd_en(1'b1), .rd_addr(rxw_chan), .rd_data(rxw_data), .clk(clk));

	// statistics: [5:0] rx events, [6] tx frame sent, [7] tx underrun, [9:8] spare
	always @(posedge clk) begin
		if (rst)
			stat <= 10'd0;
		else
			stat <= {2'b00, p3_cv && ts_underrun && !t_flush, p3_cv && ts_sent,
				 p5_cv ? rs_ev : 6'd0};
	end

endmodule // hdlc_chan_engine

/*
 * hdlc_chan_engine.v
 *
 * The card's one time-multiplexed channel engine (RFC 1662 async HDLC, ISO 3309
 * sync HDLC, raw octets) for all SPANS*24 channels.  Every channel's state lives
 * in RAM and is read, updated by hdlc_tx_step / hdlc_rx_step and written back
 * once per timeslot visit; one visit per VISIT_CLKS clocks through one shared
 * pipeline (every stage advances at a visit's last clock, ce):
 *
 *   S0 scan (span, ts) after sys_frame; read the timeslot map
 *   S1 channel known: read config, transmit state, host write pointer
 *   S2 read the transmit buffer entry at the channel's read pointer
 *   S3 hdlc_tx_step: line octet, transmit state written back; visit registered;
 *      read receive state
 *   S4 line bank visit (oct_valid, oct_tx); read host read pointer
 *   S5 oct_rx: hdlc_rx_step, receive state and ring written back
 *
 * VISIT_CLKS = 1 (the co-simulation): one visit per clock, the wide state RAMs
 * read in one clock.  VISIT_CLKS = 4 or 8 (the board: 4 at 60 MHz): config,
 * transmit and receive state are ram_wide_seq RAMs of VISIT_CLKS narrow words (few
 * block RAMs), the steps work in the first clock of their visit and the new state
 * is written back during the rest; the timeslot map, the host write pointer and
 * the emitter's receive ring read pointer share one RAM; the configuration is two
 * RAMs (transmit fields for S3, receive fields for S5); the sync receive front end
 * runs bit-serially over S4's clocks and the sync transmit bit queue over S3's
 * (2 bits per clock), outside the (then partly bypassed) steps.
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
	parameter RXQ_W  = 6,		// receive ring per channel: 2**RXQ_W entries
	parameter VISIT_CLKS = 1,	// clocks per visit: 1, 4 or 8 (state RAMs read and
					// written as VISIT_CLKS narrow words: fewer block RAMs)
	parameter VK_W   = 1		// bits of a visit clock counter, >= 1, 2**VK_W >= VISIT_CLKS
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
	input  wire [9:0]            txr_data,
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
	localparam TXR_W = 1 + 16 + TXS_W + TXQ_W + 1;		// {epoch, consumed, step, rd}
	// in the RAM with several clocks per visit: the sync bit queue fields on top, the
	// queue and its mask in 9 bits (at most 9 bits stay queued after a visit)
	localparam TXK_W = (VISIT_CLKS == 1) ? TXR_W : TXR_W - 12;
	localparam SQ_W  = 25;					// {ones, qn, qm[8:0], q[8:0]}
	// (rd in the low bits: the first narrow word of ram_wide_seq, known a visit early)
	localparam RXR_W = 1 + 2 * (RXQ_W + 1) + RXS_W;		// {epoch, eofc, wr, step}

	function integer clog2;
		input integer v;
		integer i;
		begin
			clog2 = 1;
			for (i = 1; i < 31; i = i + 1)
				if ((1 << i) < v)
					clog2 = i + 1;
		end
	endfunction
	localparam NCH_W = clog2(NCH);		// bits of a channel index within NCH

	initial begin
		if (SPANS < 1 || SPANS > 28 || (1 << SPAN_W) < SPANS || (1 << CH_W) < NCH)
			$error("hdlc_chan_engine: bad SPANS/SPAN_W/CH_W (instance %m)");
		if ((1 << VK_W) < VISIT_CLKS || (VISIT_CLKS != 1 && VISIT_CLKS != 4 && VISIT_CLKS != 8))
			$error("hdlc_chan_engine: VISIT_CLKS must be 1, 4 or 8, 2**VK_W >= it (instance %m)");
		if ((TXK_W + VISIT_CLKS - 1) / VISIT_CLKS < TXQ_W)
			$error("hdlc_chan_engine: the transmit read pointer must fit a narrow word (instance %m)");
	end

	// ---------------- visit clock: every stage advances once per visit (ce) ----------------
	localparam integer VK_LAST_I = VISIT_CLKS - 1;
	localparam [VK_W-1:0] VK_LAST = VK_LAST_I[VK_W-1:0];
	reg  [VK_W-1:0] ph;
	wire            ce = (ph == VK_LAST);
	always @(posedge clk) begin
		if (rst || ce)
			ph <= {VK_W{1'b0}};
		else
			ph <= ph + 1'b1;
	end

	// ---------------- reset-time initialisation of the per-channel RAMs ----------------
	reg            init_q;
	reg [CH_W-1:0] init_idx;
	assign init_done = !init_q;

	always @(posedge clk) begin
		if (rst) begin
			init_q <= 1'b1;
			init_idx <= {CH_W{1'b0}};
		end else if (init_q && ce) begin
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

	reg              fr_pend;	// sys_frame seen, the scan starts at the visit's end
	always @(posedge clk) begin
		if (rst)
			fr_pend <= 1'b0;
		else if (ce)
			fr_pend <= 1'b0;
		else if (sys_frame)
			fr_pend <= 1'b1;
	end

	always @(posedge clk) begin
		if (rst) begin
			sc_v <= 1'b0;
			sc_idx <= {CH_W{1'b0}};
			sc_span <= {SPAN_W{1'b0}};
			sc_ts <= 5'd0;
		end else if (!ce) begin
			// between visits: hold
		end else if ((sys_frame || fr_pend) && !init_q) begin
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

	// Timeslot map and host write pointer (ptw), written by the parser (never in the
	// same clock, nor in two clocks in a row), and the emitter's receive ring read
	// pointer (erd), written by the emitter; all three read by the engine.  One visit per
	// clock: three RAMs.  Several (>= 4): one RAM, map at 0.., ptw at 2**NCH_W..,
	// erd at 2 * 2**NCH_W.., read at the visit's clocks: map (for S1) at its end,
	// ptw (S2's channel) one clock later, erd (S4's channel) two clocks later, each
	// kept in a register until used.  An erd write meeting a parser write waits one
	// clock in eb_*.
	wire [CH_W:0]   tm_rd;
	wire [TXQ_W:0]  ptw_rd;
	wire [RXQ_W:0]  erd_rd;
	wire            s1_cv;
	wire [CH_W-1:0] s1_ch;
	reg  [CH_W-1:0] p2_ch;
	reg             p2_cv;
	reg             p4_cv;
	reg  [CH_W-1:0] p4_ch;
	generate
	if (VISIT_CLKS == 1) begin : g_maps
		ram_sdp #(.WIDTH(CH_W + 1), .DEPTH(NCH), .AW(CH_W)) tsmap_I (
			.wr_en(init_q || tsm_we), .wr_addr(init_q ? init_idx : tsm_addr),
			.wr_data(init_q ? {1'b1, init_idx} : tsm_data),
			.rd_en(sc_v && ce), .rd_addr(sc_idx), .rd_data(tm_rd), .clk(clk));
		ram_sdp #(.WIDTH(TXQ_W + 1), .DEPTH(NCH), .AW(CH_W)) ptw_I (
			.wr_en(ptw_we), .wr_addr(ptw_chan), .wr_data(ptw_data),
			.rd_en(s1_cv && ce), .rd_addr(s1_ch), .rd_data(ptw_rd), .clk(clk));
		ram_sdp #(.WIDTH(RXQ_W + 1), .DEPTH(NCH), .AW(CH_W)) erd_I (
			.wr_en(init_q || erd_we), .wr_addr(init_q ? init_idx : erd_chan),
			.wr_data(init_q ? {(RXQ_W + 1){1'b0}} : erd_data),
			.rd_en(p4_cv && ce), .rd_addr(p4_ch), .rd_data(erd_rd), .clk(clk));
	end else begin : g_maps
		localparam SW0 = (CH_W > TXQ_W) ? CH_W + 1 : TXQ_W + 1;
		localparam SW  = (SW0 > RXQ_W + 1) ? SW0 : RXQ_W + 1;
		localparam [VK_W-1:0] PH1 = 1;
		localparam [VK_W-1:0] PH2 = 2;
		wire [SW-1:0]      sr_rd;
		reg  [CH_W:0]      tm_q;
		reg  [TXQ_W:0]     ptw_q;
		reg  [RXQ_W:0]     erd_q;
		reg                m_we;
		reg  [1:0]         m_sec;
		reg  [NCH_W-1:0]   m_wa;
		reg  [SW-1:0]      m_wd;
		reg                eb_v;		// an erd write waiting for the port
		reg  [NCH_W-1:0]   eb_a;
		reg  [RXQ_W:0]     eb_d;
		wire               ph0 = (ph == {VK_W{1'b0}});
		wire               ph1 = (ph == PH1);
		wire               p_we = tsm_we || ptw_we;
		always @* begin
			m_we = 1'b0; m_sec = 2'd0; m_wa = {NCH_W{1'b0}}; m_wd = {SW{1'b0}};
			if (init_q) begin
				// the map entry at the visit's first clock, ptw and erd (0) at the
				// next two (the parser's and emitter's own initialisation writes
				// fall inside the engine's: ignored)
				m_we = ph0 || ph1 || ph == PH2;
				m_sec = ph0 ? 2'd0 : ph1 ? 2'd1 : 2'd2;
				m_wa = init_idx[NCH_W-1:0];
				if (ph0)
					m_wd[CH_W:0] = {1'b1, init_idx};
			end else if (tsm_we) begin
				m_we = 1'b1; m_sec = 2'd0; m_wa = tsm_addr[NCH_W-1:0];
				m_wd[CH_W:0] = tsm_data;
			end else if (ptw_we) begin
				m_we = 1'b1; m_sec = 2'd1; m_wa = ptw_chan[NCH_W-1:0];
				m_wd[TXQ_W:0] = ptw_data;
			end else if (eb_v) begin
				m_we = 1'b1; m_sec = 2'd2; m_wa = eb_a;
				m_wd[RXQ_W:0] = eb_d;
			end else if (erd_we) begin
				m_we = 1'b1; m_sec = 2'd2; m_wa = erd_chan[NCH_W-1:0];
				m_wd[RXQ_W:0] = erd_data;
			end
		end
		always @(posedge clk) begin
			if (init_q)
				eb_v <= 1'b0;
			else if (erd_we && (p_we || eb_v)) begin
				eb_v <= 1'b1;
				eb_a <= erd_chan[NCH_W-1:0];
				eb_d <= erd_data;
			end else if (!p_we)
				eb_v <= 1'b0;
			if (ph0)
				tm_q <= sr_rd[CH_W:0];
			if (ph1)
				ptw_q <= sr_rd[TXQ_W:0];
			if (ce)
				erd_q <= sr_rd[RXQ_W:0];
		end
		ram_sdp #(.WIDTH(SW), .DEPTH(3 << NCH_W), .AW(NCH_W + 2)) maps_I (
			.wr_en(m_we), .wr_addr({m_sec, m_wa}), .wr_data(m_wd),
			.rd_en((sc_v && ce) || (p2_cv && ph0) || (p4_cv && ph1)),
			.rd_addr(ce ? {2'd0, sc_idx[NCH_W-1:0]} : ph0 ? {2'd1, p2_ch[NCH_W-1:0]}
								: {2'd2, p4_ch[NCH_W-1:0]}),
			.rd_data(sr_rd), .clk(clk));
		assign tm_rd = tm_q;
		assign ptw_rd = ptw_q;
		assign erd_rd = erd_q;
		if (CH_W > NCH_W) begin : g_hi
			wire unused_hi = &{1'b0, tsm_addr[CH_W-1:NCH_W], ptw_chan[CH_W-1:NCH_W],
					   erd_chan[CH_W-1:NCH_W], sc_idx[CH_W-1:NCH_W], p2_ch[CH_W-1:NCH_W],
					   p4_ch[CH_W-1:NCH_W]};
		end
	end
	endgenerate

	// ---------------- S1 ----------------
	reg              p1_v;
	reg [SPAN_W-1:0] p1_span;
	reg [4:0]        p1_ts;
	always @(posedge clk) begin
		if (rst)
			p1_v <= 1'b0;
		else if (ce) begin
			p1_v <= sc_v;
			p1_span <= sc_span;
			p1_ts <= sc_ts;
		end
	end
	// (a channel below NCH has no bits above NCH_W: zero, the pipeline's channel
	// registers and RAM addresses keep only NCH_W bits)
	localparam integer CH_MASK_I = (1 << NCH_W) - 1;
	localparam [CH_W-1:0] CH_MASK = CH_MASK_I[CH_W-1:0];
	assign s1_ch = tm_rd[CH_W-1:0] & CH_MASK;
	assign s1_cv = p1_v && tm_rd[CH_W] && (tm_rd[CH_W-1:0] <= LAST_CH);

	wire [TXK_W-1:0] txs_rd, txs_hold;
	wire [TXK_W-1:0] txs_wk, txs_late;
	reg              p3_cv;
	reg [CH_W-1:0]   p3_ch;
	reg [TXR_W-1:0]  txs_wr;

	// the transmit and receive steps work in the first clock of their visit (ph == 0;
	// every clock with one clock per visit): with several clocks per visit the state
	// is then in the state RAMs' rd_hold, the results are registered at that clock's
	// end and written back during the rest of the visit (ram_wide_seq WMODE 2)
	wire st0 = (ph == {VK_W{1'b0}});

	ram_wide_seq #(.WIDTH(TXK_W), .DEPTH(NCH), .AW(CH_W), .K(VISIT_CLKS), .KW(VK_W), .WMODE(2),
		       .LMASK((VISIT_CLKS == 1) ? {TXK_W{1'b0}} : {{SQ_W{1'b1}}, {(TXK_W - SQ_W){1'b0}}})) txs_I (
		.ph(ph), .clr(init_q), .clr_addr(init_idx),
		.wr_en(p3_cv), .wr_addr(p3_ch), .wr_data(txs_wk), .wr_late(txs_late),
		.rd_en(s1_cv), .rd_addr(s1_ch), .rd_data(txs_rd), .rd_hold(txs_hold), .clk(clk));


	// ---------------- S2 ----------------
	reg              p2_v;
	reg [SPAN_W-1:0] p2_span;
	reg [4:0]        p2_ts;
	always @(posedge clk) begin
		if (rst) begin
			p2_v <= 1'b0;
			p2_cv <= 1'b0;
		end else if (ce) begin
			p2_v <= p1_v;
			p2_cv <= s1_cv;
			p2_span <= p1_span;
			p2_ts <= p1_ts;
			p2_ch <= s1_ch;
		end
	end
	wire [TXQ_W-1:0] s2_rd = txs_rd[TXQ_W-1:0];
	// ring entries {tag[1:0], octet} (card_msg_rx) widened to the step's
	// {tag[1:0], fa, octet}: tag 2 = first data of a full-ACCM frame, tag 3 =
	// control (octet bit 0: abort, else end of frame without data)
	wire [9:0]     txr_q;
	wire [10:0]    txr_rd = (txr_q[9:8] == 2'd2) ? {2'd0, 1'b1, txr_q[7:0]} :
				(txr_q[9:8] == 2'd3) ? {1'b1, txr_q[0], 9'd0} :
				{txr_q[9:8], 1'b0, txr_q[7:0]};
	ram_sdp #(.WIDTH(10), .DEPTH(NCH << TXQ_W), .AW(CH_W + TXQ_W)) txring_I (
		.wr_en(txr_we), .wr_addr(txr_addr), .wr_data(txr_data),
		.rd_en(p2_cv && ce), .rd_addr({p2_ch, s2_rd}), .rd_data(txr_q), .clk(clk));

	// ---------------- S3: transmit ----------------
	reg              p3_v;
	reg [SPAN_W-1:0] p3_span;
	reg [4:0]        p3_ts;
	reg [TXQ_W:0]    p3_ptw;
	wire [TXR_W-1:0] p3_txs;
	always @(posedge clk) begin
		if (rst) begin
			p3_v <= 1'b0;
			p3_cv <= 1'b0;
		end else if (ce) begin
			p3_v <= p2_v;
			p3_cv <= p2_cv;
			p3_span <= p2_span;
			p3_ts <= p2_ts;
			p3_ch <= p2_ch;
			if (p2_cv)
				p3_ptw <= ptw_rd;
		end
	end
	generate
	if (VISIT_CLKS == 1) begin : g_p3
		reg [TXR_W-1:0] txs_q;
		always @(posedge clk)
			if (p2_cv)
				txs_q <= txs_rd;
		assign p3_txs = txs_q;
		assign txs_wk = txs_wr;
		wire unused_hold = &{1'b0, txs_hold};
	end else begin : g_p3
		// packed: {ones, qn, qm[8:0], q[8:0], epoch, consumed, step[95:87], step[49:0], rd}
		localparam S = TXQ_W + 1;
		wire [TXK_W-1:0] h = txs_hold;
		assign p3_txs = {h[S+75:S+59], h[S+58:S+50], h[S+100:S+98], h[S+97:S+94],
				 6'd0, h[S+93:S+85], 6'd0, h[S+84:S+76], h[S+49:S], h[S-1:0]};
		// (the queue fields written here are replaced by the serial queue's, txs_late)
		assign txs_wk = {{SQ_W{1'b0}}, txs_wr[TXR_W-1:S+96], txs_wr[S+95:S+87], txs_wr[S+49:0]};
		wire unused_rd = &{1'b0, txs_rd, txs_wr[S+86:S+50]};	// (the rd pointer: s2_rd)
	end
	endgenerate

	// Config: written by the parser (one-clock cfg_we; cfg_data stays until its next
	// CHAN_CONFIG, far more than 2 * VISIT_CLKS clocks later), p3_cfg for S3 (the
	// transmit step), p5_rcfg = {epoch, MRU, rx ACCM, FCS-32, mode} for S5 (the receive
	// step).  One visit per clock: one RAM read for S3, the receive fields carried to S5
	// in registers.  Several: the transmit fields (60 bits) and the receive fields
	// (52 bits) in two RAMs of one block RAM each, read for S3 and for S5 (with the
	// receive state): no wide registers between the stages.  (A CHAN_CONFIG can then
	// reach a channel's receive side one frame before its transmit side; each side
	// flushes at its first visit with the new epoch.)
	localparam RCFG_W = 52;
	wire [CFG_W-1:0]  p3_cfg;
	wire [RCFG_W-1:0] p5_rcfg;
	generate
	if (VISIT_CLKS == 1) begin : g_cfg
		wire [CFG_W-1:0] cfg_rd, cfg_hold;
		reg  [CFG_W-1:0] cfg_q;
		reg  [RCFG_W-1:0] p4_rcfg, p5_rcfg_q;
		ram_wide_seq #(.WIDTH(CFG_W), .DEPTH(NCH), .AW(CH_W), .K(1), .KW(VK_W), .WMODE(1)) cfg_I (
			.ph(ph), .clr(init_q), .clr_addr(init_idx),
			.wr_en(cfg_we && !init_q), .wr_addr(cfg_chan), .wr_data(cfg_data), .wr_late({CFG_W{1'b0}}),
			.rd_en(s1_cv), .rd_addr(s1_ch), .rd_data(cfg_rd), .rd_hold(cfg_hold), .clk(clk));
		always @(posedge clk) begin
			if (p2_cv)
				cfg_q <= cfg_rd;
			if (p3_cv)
				p4_rcfg <= {cfg_q[84], cfg_q[83:68], cfg_q[35:4], cfg_q[2:0]};
			if (p4_cv)
				p5_rcfg_q <= p4_rcfg;
		end
		assign p3_cfg = cfg_q;
		assign p5_rcfg = p5_rcfg_q;
		wire unused_hold = &{1'b0, cfg_hold};
	end else begin : g_cfg
		localparam TCFG_W = CFG_W - 48;		// {flush count, flush pointer, epoch, tx ACCM, [3:0]}
		wire [TCFG_W-1:0] tcfg_rd, tcfg_hold;
		wire [RCFG_W-1:0] rcfg_rd, rcfg_hold;
		ram_wide_seq #(.WIDTH(TCFG_W), .DEPTH(NCH), .AW(CH_W), .K(VISIT_CLKS), .KW(VK_W), .WMODE(1)) cfg_I (
			.ph(ph), .clr(init_q), .clr_addr(init_idx),
			.wr_en(cfg_we && !init_q), .wr_addr(cfg_chan),
			.wr_data({cfg_data[CFG_W-1:84], cfg_data[67:36], cfg_data[3:0]}), .wr_late({TCFG_W{1'b0}}),
			.rd_en(s1_cv), .rd_addr(s1_ch), .rd_data(tcfg_rd), .rd_hold(tcfg_hold), .clk(clk));
		ram_wide_seq #(.WIDTH(RCFG_W), .DEPTH(NCH), .AW(CH_W), .K(VISIT_CLKS), .KW(VK_W), .WMODE(1)) rcfg_I (
			.ph(ph), .clr(init_q), .clr_addr(init_idx),
			.wr_en(cfg_we && !init_q), .wr_addr(cfg_chan),
			.wr_data({cfg_data[84], cfg_data[83:68], cfg_data[35:4], cfg_data[2:0]}), .wr_late({RCFG_W{1'b0}}),
			.rd_en(p3_cv), .rd_addr(p3_ch), .rd_data(rcfg_rd), .rd_hold(rcfg_hold), .clk(clk));
		assign p3_cfg = {tcfg_hold[TCFG_W-1:36], 16'h0000, tcfg_hold[35:4], 32'h0000_0000, tcfg_hold[3:0]};
		assign p5_rcfg = rcfg_hold;
		wire unused_rd = &{1'b0, tcfg_rd, rcfg_rd};
	end
	endgenerate

	// config fields
	wire [1:0]     c_mode   = p3_cfg[1:0];
	wire           c_fcs32  = p3_cfg[2];
	wire           c_ones   = p3_cfg[3];
	wire [31:0]    c_txaccm = p3_cfg[67:36];
	wire           c_epoch  = p3_cfg[84];
	wire [TXQ_W:0] c_fptr   = p3_cfg[85 +: TXQ_W + 1];
	wire [15:0]    c_fcnt   = p3_cfg[86 + TXQ_W +: 16];
	wire           unused_rxcfg = &{1'b0, p3_cfg[83:68], p3_cfg[35:4]};	// (p5_rcfg)

	wire [TXS_W-1:0] t_step = p3_txs[TXQ_W + 1 +: TXS_W];
	wire [TXQ_W:0]   t_rd   = p3_txs[TXQ_W:0];
	wire [15:0]      t_cons = p3_txs[TXS_W + TXQ_W + 1 +: 16];
	wire             t_ep   = p3_txs[TXR_W-1];
	wire             t_flush = (t_ep != c_epoch);
	// a reconfigured channel restarts from the flush point: the flushed octets count as consumed
	// async frame in progress when reconfigured: 0x7D now, 0x7E next visit (abort)
	wire             t_abort = t_flush && (t_step[2:0] != 3'd0) && (c_mode == 2'd2);
	// On a flush visit the step's results are not used: the state restarts as one step
	// from the zero state with nothing to send would leave it (async: a flag sent, sync:
	// a flag or all ones sent, the bit queue empty; abort: 0x7D sent, then 0x7E), its
	// line octet and its pointers set here (cheaper than zeroing the step's input).
	wire             f_async = (c_mode == 2'd2);
	wire             f_sync  = (c_mode == 2'd3);
	wire             f_lf    = !t_abort && (f_async || (f_sync && !c_ones));
	wire [7:0]       f_oct   = t_abort ? 8'h7D : (f_async || (f_sync && !c_ones)) ? 8'h7E : 8'hFF;

	wire [TXS_W-1:0] ts_out;
	wire             ts_consume, ts_took, ts_underrun, ts_sent;
	wire [7:0]       ts_oct;
	// mode OFF between visits: the step logic then has nothing to do (a simulator
	// skips most of it; the outputs are not used then)
	wire [7:0]       ts_sym;
	wire             ts_sym_raw;
	hdlc_tx_step #(.ST_W(TXS_W), .SQ_EXT(VISIT_CLKS == 1 ? 0 : 1)) tx_step_I (
		.mode(p3_cv ? c_mode : 2'd0), .fcs32(c_fcs32), .idle_ones(c_ones), .accm(c_txaccm),
		.st_in(t_step), .st_out(ts_out),
		.avail(p3_ptw != t_rd), .entry(txr_rd),
		.consume(ts_consume), .took_data(ts_took),
		.oct(ts_oct), .underrun(ts_underrun), .frame_sent(ts_sent),
		.sym_o(ts_sym), .sym_raw_o(ts_sym_raw));

	// Sync bit queue, several clocks per visit: 2 line bits per clock in the visit's
	// clocks 0..3 (from the state and the FSM's symbol in clock 0), the line octet
	// into oct_tx at clock 3's end (the line bank takes it in the next visit's first
	// clock), the queue's new fields into the state RAM's last words as they are
	// written (txs_late; zero for other modes and on a flush).
	wire [7:0]     sq_oct_now;	// the line octet, at clock 3
	wire           sq_ph3_on;	// clock 3 of a sync channel's visit
	generate
	if (VISIT_CLKS == 1) begin : g_sq
		assign txs_late = {TXK_W{1'b0}};
		assign sq_oct_now = 8'h00;
		assign sq_ph3_on = 1'b0;
		wire unused_sq = &{1'b0, ts_sym, ts_sym_raw};
	end else begin : g_sq
		localparam [VK_W-1:0] PH3 = 3;
		reg  [14:0] q_r, qm_r, y_q, y_qm;
		reg  [3:0]  qn_r, y_qn;
		reg  [2:0]  ones_r, y_ones;
		reg  [7:0]  y_bits, sq_oct;
		reg         sq_on;
		reg  [2:0]  bi;
		integer     qi;
		always @* begin
			if (st0) begin
				// the FSM's symbol joins the queue when fewer than 8 bits wait
				y_q = t_step[64:50]; y_qm = t_step[79:65]; y_qn = t_step[83:80];
				y_ones = t_step[86:84]; y_bits = 8'h00;
				if (!y_qn[3]) begin
					y_q  = y_q  | ({7'd0, ts_sym} << y_qn[2:0]);
					y_qm = y_qm | ({7'd0, {8{ts_sym_raw}}} << y_qn[2:0]);
					y_qn = y_qn + 4'd8;
				end
			end else begin
				y_q = q_r; y_qm = qm_r; y_qn = qn_r; y_ones = ones_r; y_bits = sq_oct;
			end
			for (qi = 0; qi < 2; qi = qi + 1) begin
				bi = {ph[1:0], 1'b0} + qi[2:0];
				if (y_ones == 3'd5) begin
					y_bits[bi] = 1'b0;		// inserted zero
					y_ones = 3'd0;
				end else begin
					y_bits[bi] = y_q[0];
					if (y_qm[0] || !y_q[0])
						y_ones = 3'd0;
					else
						y_ones = y_ones + 3'd1;
					y_q  = y_q >> 1;
					y_qm = y_qm >> 1;
					y_qn = y_qn - 4'd1;
				end
			end
		end
		always @(posedge clk) begin
			if (!ph[VK_W-1] || VISIT_CLKS == 4) begin	// clocks 0..3
				q_r <= y_q; qm_r <= y_qm; qn_r <= y_qn; ones_r <= y_ones; sq_oct <= y_bits;
			end
			if (st0)
				sq_on <= p3_cv && c_mode == 2'd3 && !t_flush;
		end
		assign txs_late = {sq_on ? {ones_r, qn_r, qm_r[8:0], q_r[8:0]} : {SQ_W{1'b0}},
				   {(TXK_W - SQ_W){1'b0}}};
		assign sq_oct_now = y_bits;
		assign sq_ph3_on = (ph == PH3) && sq_on;
		wire unused_q = &{1'b0, q_r[14:9], qm_r[14:9]};
	end
	endgenerate

	wire [TXQ_W:0] t_rd1   = t_rd + {{TXQ_W{1'b0}}, ts_consume};
	wire [15:0]    t_cons1 = t_cons + {15'd0, ts_took};
	always @* begin
		if (t_flush)
			txs_wr = {c_epoch, c_fcnt, {(TXS_W - 4){1'b0}}, f_lf, t_abort ? 3'd5 : 3'd0, c_fptr};
		else
			txs_wr = {c_epoch, t_cons1, ts_out, t_rd1};
	end

	ram_sdp #(.WIDTH(TXQ_W + 1), .DEPTH(NCH), .AW(CH_W)) txm_p_I (
		.wr_en(init_q || (p3_cv && st0)), .wr_addr(init_q ? init_idx : p3_ch),
		.wr_data(init_q ? {(TXQ_W + 1){1'b0}} : txs_wr[TXQ_W:0]),
		.rd_en(1'b1), .rd_addr(txm_p_chan), .rd_data(txm_p_data), .clk(clk));
	ram_sdp #(.WIDTH(16), .DEPTH(NCH), .AW(CH_W)) txm_e_I (
		.wr_en(init_q || (p3_cv && st0)), .wr_addr(init_q ? init_idx : p3_ch),
		.wr_data(init_q ? 16'h0000 : txs_wr[TXS_W + TXQ_W + 1 +: 16]),
		.rd_en(1'b1), .rd_addr(txm_e_chan), .rd_data(txm_e_data), .clk(clk));

	// visit the line bank
	always @(posedge clk) begin
		if (rst) begin
			oct_valid <= 1'b0;
			ev_valid <= 1'b0;
		end else begin
			oct_valid <= p3_v && ce;
			ev_valid <= p3_cv && ts_underrun && !t_flush && st0;
		end
		if (rst)
			p4_cv <= 1'b0;
		else if (ce)
			p4_cv <= p3_cv;
		if (ce) begin
			oct_span <= p3_span;
			oct_ts <= p3_ts;
			p4_ch <= p3_ch;
		end
		if (st0) begin
			// (the line bank samples oct_tx at the end of oct_valid's clock, before
			// the next visit's first clock ends)
			oct_tx <= !p3_cv ? 8'hFF : t_flush ? f_oct : ts_oct;
			ev_chan <= p3_ch;
		end
		if (sq_ph3_on)		// sync, several clocks per visit: the serial queue's octet
			oct_tx <= sq_oct_now;
	end

	// ---------------- S4: receive state (read from S3's end on), line octet ----------------
	wire [RXR_W-1:0] rxs_rd, rxs_hold;
	reg              p5_cv;
	reg [CH_W-1:0]   p5_ch;
	wire [RXR_W-1:0] p5_rxs;
	reg [RXR_W-1:0]  rxs_wr;
	always @(posedge clk) begin
		if (rst)
			p5_cv <= 1'b0;
		else if (ce)
			p5_cv <= p4_cv;
		if (ce)
			p5_ch <= p4_ch;
	end
	generate
	if (VISIT_CLKS == 1) begin : g_p5
		reg [RXR_W-1:0] rxs_q;
		always @(posedge clk)
			if (p4_cv)
				rxs_q <= rxs_rd;
		assign p5_rxs = rxs_q;
		wire unused_hold = &{1'b0, rxs_hold};
	end else begin : g_p5
		assign p5_rxs = rxs_hold;
	end
	endgenerate
	ram_wide_seq #(.WIDTH(RXR_W), .DEPTH(NCH), .AW(CH_W), .K(VISIT_CLKS), .KW(VK_W), .RDW(1), .WMODE(2)) rxs_I (
		.ph(ph), .clr(init_q), .clr_addr(init_idx),
		.wr_en(p5_cv), .wr_addr(p5_ch), .wr_data(rxs_wr), .wr_late({RXR_W{1'b0}}),
		.rd_en(p3_cv), .rd_addr(p3_ch), .rd_data(rxs_rd), .rd_hold(rxs_hold), .clk(clk));

	// the line octet comes one clock after oct_valid; with several clocks per visit it
	// is kept for the receive stage (the next visit's oct_valid comes during it)
	reg       oct_rx_v;
	reg [7:0] oct_rx_q, p5_oct;
	always @(posedge clk) begin
		oct_rx_v <= oct_valid;
		if (oct_rx_v)
			oct_rx_q <= oct_rx;
		if (ce)
			p5_oct <= oct_rx_v ? oct_rx : oct_rx_q;
	end
	wire [7:0] s5_oct = (VISIT_CLKS == 1) ? oct_rx : p5_oct;

	// Sync receive front end, several clocks per visit: 8 / VISIT_CLKS line bits per
	// clock, from the clock after oct_valid (the octet arrives; the state's front-end
	// word was read at the edge before) to the receive step's clock (ph 0 of the next
	// visit: the last bits, combinational, into hdlc_rx_step's fe_*).  fe_o = {aligned,
	// abort, end, od[7:0], ov, cnt[2:0], sh[7:0], ones[2:0], sync}; the same bit by
	// bit rules as hdlc_rx_step's own (one visit per clock) front end.
	wire [26:0] fe_o;
	generate
	if (VISIT_CLKS == 1) begin : g_fe
		assign fe_o = 27'd0;
		wire unused_fe = &{1'b0, rxs_rd};
	end else begin : g_fe
		localparam BPC = 8 / VISIT_CLKS;
		localparam [VK_W-1:0] PH1 = 1;
		reg  [26:0]    w;		// the front end after the clocks so far
		reg  [26:0]    x;
		reg  [7:0]     src;
		reg  [BPC-1:0] bits;
		reg            seen, b;
		reg  [VK_W-1:0] part;
		integer        fi;
		always @* begin
			// the first part starts from the stored state (the word just read)
			if (ph == PH1)
				x = {1'b1, 2'b00, 8'h00, 1'b0, rxs_rd[14:0]};
			else
				x = w;
			src = (ph == PH1) ? oct_rx : oct_rx_q;
			part = st0 ? VK_LAST : ph - 1'b1;
			bits = src[part * BPC +: BPC];
			// an end or abort already seen: no further octet, end or abort
			seen = x[24] || x[25];
			for (fi = 0; fi < BPC; fi = fi + 1) begin
				b = bits[fi];
				if (b) begin
					if (x[3:1] != 3'd7)
						x[3:1] = x[3:1] + 3'd1;
					if (x[3:1] == 3'd7 && x[0]) begin
						if (!seen) begin
							x[25] = 1'b1; seen = 1'b1;
						end
						x[0] = 1'b0;
					end
					x[11:4] = {1'b1, x[11:5]};
					x[14:12] = x[14:12] + 3'd1;
					if (x[14:12] == 3'd0 && x[0] && !seen && !x[15]) begin
						x[15] = 1'b1; x[23:16] = x[11:4];
					end
				end else if (x[3:1] == 3'd6) begin
					// flag
					if (x[0] && !seen) begin
						x[24] = 1'b1; seen = 1'b1; x[26] = (x[14:12] == 3'd7);
					end
					x[0] = 1'b1; x[14:12] = 3'd0; x[3:1] = 3'd0;
				end else if (x[3:1] == 3'd5) begin
					x[3:1] = 3'd0;		// inserted zero
				end else begin
					x[3:1] = 3'd0;
					x[11:4] = {1'b0, x[11:5]};
					x[14:12] = x[14:12] + 3'd1;
					if (x[14:12] == 3'd0 && x[0] && !seen && !x[15]) begin
						x[15] = 1'b1; x[23:16] = x[11:4];
					end
				end
			end
		end
		always @(posedge clk)
			if (!st0)
				w <= x;
		assign fe_o = x;
		wire unused_rd = &{1'b0, rxs_rd[RXR_W-1:15]};
	end
	endgenerate

	// ---------------- S5: receive ----------------
	wire [1:0]       r_mode  = p5_rcfg[1:0];
	wire             r_fcs32 = p5_rcfg[2];
	wire [31:0]      r_accm  = p5_rcfg[34:3];
	wire [15:0]      r_mru   = p5_rcfg[50:35];
	wire             r_cep   = p5_rcfg[51];
	// receive step state; with several clocks per visit the sync front end's fields are
	// stored first (word 0 of the RAM word: read in the visit before the step, when the
	// line octet arrives) and the front end runs over that visit's clocks (below)
	function [RXS_W-1:0] fe_pack;
		input [RXS_W-1:0] st;
		fe_pack = {st[102], st[87:1], st[101:99], st[98:91], st[90:88], st[0]};
	endfunction
	function [RXS_W-1:0] fe_unpack;
		input [RXS_W-1:0] p;
		fe_unpack = {p[102], p[14:12], p[11:4], p[3:1], p[101:15], p[0]};
	endfunction
	wire [RXS_W-1:0] r_step  = (VISIT_CLKS == 1) ? p5_rxs[RXS_W-1:0] : fe_unpack(p5_rxs[RXS_W-1:0]);
	wire [RXQ_W:0]   r_wr    = p5_rxs[RXS_W +: RXQ_W + 1];
	wire [RXQ_W:0]   r_eofc  = p5_rxs[RXS_W + RXQ_W + 1 +: RXQ_W + 1];
	wire             r_ep    = p5_rxs[RXR_W-1];
	wire [RXQ_W:0]   r_fill  = r_wr - erd_rd;
	wire             r_room  = !r_fill[RXQ_W];

	wire [RXS_W-1:0] rs_out;
	wire             rs_we;
	wire [8:0]       rs_entry;
	wire [5:0]       rs_ev;
	hdlc_rx_step #(.ST_W(RXS_W), .FE_EXT(VISIT_CLKS == 1 ? 0 : 1)) rx_step_I (
		.mode(p5_cv ? r_mode : 2'd0), .fcs32(r_fcs32), .accm(r_accm), .mru(r_mru), .flush(r_ep != r_cep),
		.st_in(r_step), .st_out(rs_out), .oct(s5_oct),
		.room(r_room), .ring_we(rs_we), .ring_entry(rs_entry),
		.ev_ok(rs_ev[0]), .ev_bad_fcs(rs_ev[1]), .ev_abort(rs_ev[2]), .ev_overrun(rs_ev[3]),
		.ev_too_long(rs_ev[4]), .ev_runt(rs_ev[5]),
		.fe_sync(fe_o[0]), .fe_ones(fe_o[3:1]), .fe_sh(fe_o[11:4]), .fe_cnt(fe_o[14:12]),
		.fe_ov(fe_o[15]), .fe_od(fe_o[23:16]), .fe_end(fe_o[24]), .fe_abort(fe_o[25]),
		.fe_aligned(fe_o[26]));

	wire [RXQ_W:0] r_wr1   = r_wr + {{RXQ_W{1'b0}}, rs_we};
	wire [RXQ_W:0] r_eofc1 = r_eofc + {{RXQ_W{1'b0}}, rs_we && rs_entry[8]};
	always @* rxs_wr = {r_cep, r_eofc1, r_wr1, (VISIT_CLKS == 1) ? rs_out : fe_pack(rs_out)};

	ram_sdp #(.WIDTH(9), .DEPTH(NCH << RXQ_W), .AW(CH_W + RXQ_W)) rxring_I (
		.wr_en(p5_cv && rs_we && st0), .wr_addr({p5_ch, r_wr[RXQ_W-1:0]}), .wr_data(rs_entry),
		.rd_en(1'b1), .rd_addr(rxr_addr), .rd_data(rxr_data), .clk(clk));
	ram_sdp #(.WIDTH(2 * RXQ_W + 2), .DEPTH(NCH), .AW(CH_W)) rxw_I (
		.wr_en(init_q || (p5_cv && st0)), .wr_addr(init_q ? init_idx : p5_ch),
		.wr_data(init_q ? {(2 * RXQ_W + 2){1'b0}} : {r_eofc1, r_wr1}),
		.rd_en(1'b1), .rd_addr(rxw_chan), .rd_data(rxw_data), .clk(clk));

	// statistics: [5:0] rx events, [6] tx frame sent, [7] tx underrun, [9:8] spare
	always @(posedge clk) begin
		if (rst || !st0)
			stat <= 10'd0;
		else
			stat <= {2'b00, p3_cv && ts_underrun && !t_flush, p3_cv && ts_sent && !t_flush,
				 p5_cv ? rs_ev : 6'd0};
	end

endmodule // hdlc_chan_engine

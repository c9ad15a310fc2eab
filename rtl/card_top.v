/*
 * card_top.v
 *
 * The dialback line card: FT232H synchronous FIFO (ft245_sync_if) <-> card
 * protocol parser (card_msg_rx) and emitter (card_msg_tx) <-> one
 * time-multiplexed HDLC channel engine for SPANS*24 channels
 * (hdlc_chan_engine) <-> T1 line bank (t1_line_bank).  Global registers in
 * card_csr (0x0000-0x0FFF), line bank registers at 0x1000 + span*16 + reg.
 * One clock domain: clk is the FT232H's 60 MHz CLKOUT on the board.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module card_top #(
	parameter SPANS        = 2,		// T1 spans, 1..28
	parameter SPAN_W       = 1,		// bits of a span index, >= 1, 2**SPAN_W >= SPANS
	parameter TX_BUF_BYTES = 64,		// per-channel transmit credit (octets)
	parameter RX_CHUNK     = 32,		// largest RX_DATA payload, 1..32
	parameter TXQ_W        = 7,		// transmit ring: 2**TXQ_W entries (> TX_BUF_BYTES)
	parameter RXQ_W        = 6,		// receive ring: 2**RXQ_W entries
	parameter VISIT_CLKS   = 1,		// engine clocks per channel visit: 1 (one visit per
						// clock), 4 or 8 (channel state kept in fewer
						// block RAMs); SPANS*24*VISIT_CLKS + 8*VISIT_CLKS
						// must fit in the clocks of a 125 us frame
	parameter VK_W         = 1,		// bits of a visit clock count, 2**VK_W >= VISIT_CLKS
	parameter BUILD_ID     = 32'h0000_0001,	// reported in VERSION and register 0x0002
	parameter CORE_HZ      = 3088000	// clk frequency (Hz): 60000000 on the board; the co-simulation
						// runs it at 2x the line rate (3088000, up to 6 spans)
) (
	// FT232H synchronous 245 FIFO
	input  wire [7:0] ft_data_in,
	output wire [7:0] ft_data_out,
	output wire       ft_data_oe,
	input  wire       ft_rxf_n,
	input  wire       ft_txe_n,
	output wire       ft_rd_n,
	output wire       ft_wr_n,
	output wire       ft_oe_n,
	output wire       ft_siwu_n,
	// line interface units, bit i = span i
	input  wire [SPANS-1:0] liu_rpos,
	input  wire [SPANS-1:0] liu_rneg,
	input  wire [SPANS-1:0] liu_rclk,
	output wire [SPANS-1:0] liu_tpos,
	output wire [SPANS-1:0] liu_tneg,
	output wire [SPANS-1:0] liu_tclk,

	input  wire clk,
	input  wire rst
);
	localparam CH_W  = 10;
	localparam CFG_W = 102 + TXQ_W;

	initial begin
		if (TX_BUF_BYTES + 8 > (1 << TXQ_W))
			$error("card_top: TX_BUF_BYTES needs a larger TXQ_W (instance %m)");
	end

	// ---------------- FIFO interface ----------------
	wire       in_valid, in_room;
	wire [7:0] in_data;
	wire       out_empty, out_pop, out_full;
	wire [7:0] out_data;
	wire       o_we;
	wire [7:0] o_data;
	wire [9:0]  out_level;

	ft245_sync_if ft_I (
		.ft_data_in(ft_data_in), .ft_data_out(ft_data_out), .ft_data_oe(ft_data_oe),
		.ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n),
		.ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
		.rx_valid(in_valid), .rx_data(in_data), .rx_room(in_room),
		.tx_empty(out_empty), .tx_data(out_data), .tx_pop(out_pop),
		.clk(clk), .rst(rst));

	// 512 octets (one block RAM): room for a whole message (<= 263 octets) and more
	fifo_sync #(.WIDTH(8), .AW(9)) out_fifo_I (
		.wr_en(o_we), .wr_data(o_data), .full(out_full), .level(out_level),
		.rd_en(out_pop), .rd_data(out_data), .empty(out_empty),
		.clk(clk), .rst(rst));
	wire o_room = (out_level <= 10'd512 - 10'd270);

	// ---------------- engine <-> parser / emitter wiring ----------------
	wire                  tsm_we, cfg_we, txr_we, ptw_we;
	wire [CH_W-1:0]       tsm_addr, cfg_chan, ptw_chan, txm_p_chan, txm_e_chan, rxw_chan, drp_chan;
	wire [CH_W:0]         tsm_data;
	wire [CFG_W-1:0]      cfg_data;
	wire [CH_W+TXQ_W-1:0] txr_addr;
	wire [9:0]            txr_data;
	wire [TXQ_W:0]        ptw_data, txm_p_data;
	wire [15:0]           txm_e_data, drp_data;
	wire [CH_W+RXQ_W-1:0] rxr_addr;
	wire [8:0]            rxr_data;
	wire [2*RXQ_W+1:0]    rxw_data;
	wire                  erd_we;
	wire [CH_W-1:0]       erd_chan;
	wire [RXQ_W:0]        erd_data;
	wire                  eng_ev, tick, eng_ready;
	wire [CH_W-1:0]       eng_ev_chan;
	wire [9:0]            eng_stat;

	wire              sys_frame, oct_valid;
	wire [SPAN_W-1:0] oct_span;
	wire [4:0]        oct_ts;
	wire [7:0]        oct_tx, oct_rx;

	hdlc_chan_engine #(.SPANS(SPANS), .SPAN_W(SPAN_W), .CH_W(CH_W), .TXQ_W(TXQ_W), .RXQ_W(RXQ_W),
			   .VISIT_CLKS(VISIT_CLKS), .VK_W(VK_W)) engine_I (
		.sys_frame(sys_frame), .oct_valid(oct_valid), .oct_span(oct_span), .oct_ts(oct_ts),
		.oct_tx(oct_tx), .oct_rx(oct_rx),
		.tsm_we(tsm_we), .tsm_addr(tsm_addr), .tsm_data(tsm_data),
		.cfg_we(cfg_we), .cfg_chan(cfg_chan), .cfg_data(cfg_data),
		.txr_we(txr_we), .txr_addr(txr_addr), .txr_data(txr_data),
		.ptw_we(ptw_we), .ptw_chan(ptw_chan), .ptw_data(ptw_data),
		.txm_p_chan(txm_p_chan), .txm_p_data(txm_p_data),
		.txm_e_chan(txm_e_chan), .txm_e_data(txm_e_data),
		.rxr_addr(rxr_addr), .rxr_data(rxr_data), .rxw_chan(rxw_chan), .rxw_data(rxw_data),
		.erd_we(erd_we), .erd_chan(erd_chan), .erd_data(erd_data),
		.ev_valid(eng_ev), .ev_chan(eng_ev_chan), .stat(eng_stat), .tick(tick),
		.init_done(eng_ready), .clk(clk), .rst(rst));

	// requests, errors, events, bus
	wire        req_valid, req_done, herr_valid, ovf_valid;
	wire [7:0]  req_type, req_len, echo_rdata, herr_reason;
	wire [8:0]  echo_raddr;
	wire [15:0] req_chan, req_addr;
	wire [CH_W-1:0] ovf_chan;
	wire [1:0]  rx_stat;
	wire        bw_req, br_re;
	wire [15:0] bw_addr, br_addr;
	wire [31:0] bw_data;
	wire        bw_gnt = bw_req && !br_re;

	card_msg_rx #(.SPANS(SPANS), .CH_W(CH_W), .TXQ_W(TXQ_W), .CFG_W(CFG_W)) parser_I (
		.in_valid(in_valid), .in_data(in_data), .in_room(in_room),
		.tsm_we(tsm_we), .tsm_addr(tsm_addr), .tsm_data(tsm_data),
		.cfg_we(cfg_we), .cfg_chan(cfg_chan), .cfg_data(cfg_data),
		.txr_we(txr_we), .txr_addr(txr_addr), .txr_data(txr_data),
		.ptw_we(ptw_we), .ptw_chan(ptw_chan), .ptw_data(ptw_data),
		.txm_p_chan(txm_p_chan), .txm_p_data(txm_p_data), .eng_ready(eng_ready),
		.req_valid(req_valid), .req_type(req_type), .req_chan(req_chan), .req_len(req_len),
		.req_addr(req_addr), .req_done(req_done), .echo_raddr(echo_raddr), .echo_rdata(echo_rdata),
		.drp_chan(drp_chan), .drp_data(drp_data),
		.bw_req(bw_req), .bw_addr(bw_addr), .bw_data(bw_data), .bw_gnt(bw_gnt),
		.herr_valid(herr_valid), .herr_reason(herr_reason),
		.ovf_valid(ovf_valid), .ovf_chan(ovf_chan), .stat(rx_stat),
		.clk(clk), .rst(rst));

	// channel events: engine (TX_UNDERRUN) and parser (TX_OVERFLOW) share one FIFO
	// (one block RAM); a parser event that meets an engine event waits in ovf_hold
	// (parser events come at most one per host message)
	wire            ev0_empty, ev0_pop, ev0_full;
	wire [CH_W+1:0] ev0_data;
	wire [4:0]      ev0_level;
	reg             ovf_hold_v;
	reg  [CH_W-1:0] ovf_hold;
	wire            ev_we = eng_ev || ovf_hold_v || ovf_valid;
	wire [CH_W+1:0] ev_wd = eng_ev ? {2'd1, eng_ev_chan} :
				ovf_hold_v ? {2'd2, ovf_hold} : {2'd2, ovf_chan};
	always @(posedge clk) begin
		if (rst)
			ovf_hold_v <= 1'b0;
		else if (eng_ev || ovf_hold_v) begin
			if (ovf_valid) begin
				ovf_hold_v <= 1'b1;
				ovf_hold <= ovf_chan;
			end else if (!eng_ev)
				ovf_hold_v <= 1'b0;
		end
	end
	fifo_sync #(.WIDTH(CH_W + 2), .AW(4)) ev0_fifo_I (
		.wr_en(ev_we), .wr_data(ev_wd), .full(ev0_full), .level(ev0_level),
		.rd_en(ev0_pop), .rd_data(ev0_data), .empty(ev0_empty), .clk(clk), .rst(rst));
	wire ev_lost = (ev_we && ev0_full) || (eng_ev && ovf_hold_v && ovf_valid);

	wire [SPANS-1:0] span_event;
	wire [31:0]      br_rdata;
	wire             msg_sent;

	card_msg_tx #(.SPANS(SPANS), .CH_W(CH_W), .RXQ_W(RXQ_W), .TX_BUF_BYTES(TX_BUF_BYTES),
		      .RX_CHUNK(RX_CHUNK), .BUILD_ID(BUILD_ID)) emitter_I (
		.o_we(o_we), .o_data(o_data), .o_room(o_room),
		.req_valid(req_valid), .req_type(req_type), .req_chan(req_chan), .req_len(req_len),
		.req_addr(req_addr), .req_done(req_done), .echo_raddr(echo_raddr), .echo_rdata(echo_rdata),
		.herr_valid(herr_valid), .herr_reason(herr_reason),
		.ev_empty(ev0_empty), .ev_data(ev0_data), .ev_pop(ev0_pop),
		.span_event(span_event),
		.br_re(br_re), .br_addr(br_addr), .br_rdata(br_rdata),
		.rxr_addr(rxr_addr), .rxr_data(rxr_data), .rxw_chan(rxw_chan), .rxw_data(rxw_data),
		.txm_e_chan(txm_e_chan), .txm_e_data(txm_e_data), .drp_chan(drp_chan), .drp_data(drp_data),
		.erd_we(erd_we), .erd_chan(erd_chan), .erd_data(erd_data),
		.tick(tick), .eng_ready(eng_ready), .stat_msg(msg_sent),
		.clk(clk), .rst(rst));

	// ---------------- CSR bus ----------------
	wire        bus_we = bw_gnt;
	wire        bus_re = br_re;
	wire [15:0] bus_addr = br_re ? br_addr : bw_addr;
	wire [31:0] csr_rdata, line_rdata;
	assign br_rdata = csr_rdata | line_rdata;

	card_csr #(.SPANS(SPANS), .TX_BUF_BYTES(TX_BUF_BYTES), .RX_CHUNK(RX_CHUNK),
		   .BUILD_ID(BUILD_ID), .NCNT(13)) csr_I (
		.bus_we(bus_we), .bus_re(bus_re), .bus_addr(bus_addr), .bus_wdata(bw_data),
		.bus_rdata(csr_rdata),
		.inc({ev_lost, msg_sent, rx_stat[1], herr_valid, rx_stat[0], eng_stat[7:0]}),
		.clk(clk), .rst(rst));

	// ---------------- T1 line bank ----------------
	t1_line_bank #(.SPANS(SPANS), .SPAN_W(SPAN_W), .CORE_HZ(CORE_HZ), .VISIT_CLKS(VISIT_CLKS)) line_I (
		.liu_rpos(liu_rpos), .liu_rneg(liu_rneg), .liu_rclk(liu_rclk),
		.liu_tpos(liu_tpos), .liu_tneg(liu_tneg), .liu_tclk(liu_tclk),
		.sys_frame(sys_frame), .oct_valid(oct_valid), .oct_span(oct_span), .oct_ts(oct_ts),
		.oct_tx(oct_tx), .oct_rx(oct_rx),
		.bus_we(bus_we), .bus_re(bus_re), .bus_addr(bus_addr), .bus_wdata(bw_data),
		.bus_rdata(line_rdata), .span_event(span_event),
		.clk(clk), .rst(rst));

	// unused status
	wire unused_ok = &{1'b0, out_full, ev0_level, eng_stat[9:8]};

endmodule // card_top

/*
 * hdlc_step_tb_top.v - test wrapper: one channel through hdlc_tx_step, a
 * line the testbench can corrupt or replace, and hdlc_rx_step, with the
 * states in registers (the engine keeps them in RAM).  Test only.
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module hdlc_step_tb_top (
	input  wire [1:0]  mode,
	input  wire        fcs32,
	input  wire        idle_ones,
	input  wire [31:0] tx_accm,
	input  wire [31:0] rx_accm,
	input  wire [15:0] mru,
	input  wire        avail,
	input  wire [10:0] entry,
	output wire        consume,
	output wire        took_data,
	output wire        underrun,
	output wire        frame_sent,
	output wire [7:0]  line_tx,
	input  wire        line_sub,	// replace the line octet with line_in
	input  wire [7:0]  line_in,
	input  wire        room,
	output wire        ring_we,
	output wire [8:0]  ring_entry,
	output wire [5:0]  ev,
	input  wire        clk,
	input  wire        rst
);
	reg  [95:0]  ts;
	reg  [102:0] rs;
	wire [95:0]  ts_next;
	wire [7:0]   unused_sym;		// (the engine's serial sync queue takes these)
	wire         unused_sym_raw;
	wire [102:0] rs_next;

	hdlc_tx_step #(.ST_W(96)) tx_I (
		.mode(mode), .fcs32(fcs32), .idle_ones(idle_ones), .accm(tx_accm),
		.st_in(ts), .st_out(ts_next), .avail(avail), .entry(entry),
		.consume(consume), .took_data(took_data), .oct(line_tx),
		.underrun(underrun), .frame_sent(frame_sent),
		.sym_o(unused_sym), .sym_raw_o(unused_sym_raw));
	hdlc_rx_step #(.ST_W(103)) rx_I (
		.mode(mode), .fcs32(fcs32), .accm(rx_accm), .mru(mru), .flush(1'b0),
		.st_in(rs), .st_out(rs_next), .oct(line_sub ? line_in : line_tx),
		.room(room), .ring_we(ring_we), .ring_entry(ring_entry),
		.ev_ok(ev[0]), .ev_bad_fcs(ev[1]), .ev_abort(ev[2]), .ev_overrun(ev[3]),
		.ev_too_long(ev[4]), .ev_runt(ev[5]),
		.fe_sync(1'b0), .fe_ones(3'd0), .fe_sh(8'h00), .fe_cnt(3'd0), .fe_ov(1'b0),
		.fe_od(8'h00), .fe_end(1'b0), .fe_abort(1'b0), .fe_aligned(1'b0));

	always @(posedge clk) begin
		if (rst) begin
			ts <= 96'd0;
			rs <= 103'd0;
		end else begin
			ts <= ts_next;
			rs <= rs_next;
		end
	end
endmodule // hdlc_step_tb_top

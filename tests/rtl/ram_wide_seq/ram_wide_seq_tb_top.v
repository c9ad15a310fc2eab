/*
 * ram_wide_seq_tb_top.v  (test only)
 *
 * Four ram_wide_seq instances driven by tests/rtl/ram_wide_seq/tb.cpp: A (4 clocks per
 * visit, write held for a visit), B (8 clocks, one-clock write pulse), C (2 clocks,
 * pulse), D (4 clocks, write one clock into the visit, its top 23 bits written
 * late from wr_late); rd_hold checked on all.  Each has
 * its own phase counter input and ports.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module ram_wide_seq_tb_top (
	input  wire [2:0]  a_ph, input wire a_clr, input wire [2:0] a_clr_addr,
	input  wire        a_wr_en, input wire [2:0] a_wr_addr, input wire [60:0] a_wr_data,
	input  wire        a_rd_en, input wire [2:0] a_rd_addr, output wire [60:0] a_rd_data,
	output wire [60:0] a_rd_hold,
	input  wire [2:0]  b_ph, input wire b_clr, input wire [2:0] b_clr_addr,
	input  wire        b_wr_en, input wire [2:0] b_wr_addr, input wire [58:0] b_wr_data,
	input  wire        b_rd_en, input wire [2:0] b_rd_addr, output wire [58:0] b_rd_data,
	output wire [58:0] b_rd_hold,
	input  wire [2:0]  c_ph, input wire c_clr, input wire [2:0] c_clr_addr,
	input  wire        c_wr_en, input wire [2:0] c_wr_addr, input wire [32:0] c_wr_data,
	input  wire        c_rd_en, input wire [2:0] c_rd_addr, output wire [32:0] c_rd_data,
	output wire [32:0] c_rd_hold,
	input  wire [2:0]  d_ph, input wire d_clr, input wire [2:0] d_clr_addr,
	input  wire        d_wr_en, input wire [2:0] d_wr_addr, input wire [62:0] d_wr_data,
	input  wire        d_rd_en, input wire [2:0] d_rd_addr, output wire [62:0] d_rd_data,
	output wire [62:0] d_rd_hold,
	input  wire [62:0] d_wr_late,
	input  wire        clk
);
	ram_wide_seq #(.WIDTH(61), .DEPTH(6), .AW(3), .K(4), .KW(3), .WMODE(0)) a_I (
		.ph(a_ph), .clr(a_clr), .clr_addr(a_clr_addr), .wr_en(a_wr_en), .wr_addr(a_wr_addr),
		.wr_data(a_wr_data), .wr_late(61'd0), .rd_en(a_rd_en), .rd_addr(a_rd_addr), .rd_data(a_rd_data), .rd_hold(a_rd_hold), .clk(clk));
	ram_wide_seq #(.WIDTH(59), .DEPTH(6), .AW(3), .K(8), .KW(3), .WMODE(1)) b_I (
		.ph(b_ph), .clr(b_clr), .clr_addr(b_clr_addr), .wr_en(b_wr_en), .wr_addr(b_wr_addr),
		.wr_data(b_wr_data), .wr_late(59'd0), .rd_en(b_rd_en), .rd_addr(b_rd_addr), .rd_data(b_rd_data), .rd_hold(b_rd_hold), .clk(clk));
	ram_wide_seq #(.WIDTH(33), .DEPTH(6), .AW(3), .K(2), .KW(3), .WMODE(1)) c_I (
		.ph(c_ph), .clr(c_clr), .clr_addr(c_clr_addr), .wr_en(c_wr_en), .wr_addr(c_wr_addr),
		.wr_data(c_wr_data), .wr_late(33'd0), .rd_en(c_rd_en), .rd_addr(c_rd_addr), .rd_data(c_rd_data), .rd_hold(c_rd_hold), .clk(clk));
	ram_wide_seq #(.WIDTH(63), .DEPTH(6), .AW(3), .K(4), .KW(3), .WMODE(2),
		       .LMASK({23'h7FFFFF, 40'd0}), .RDW(0)) d_I (
		.ph(d_ph), .clr(d_clr), .clr_addr(d_clr_addr), .wr_en(d_wr_en), .wr_addr(d_wr_addr),
		.wr_data(d_wr_data), .wr_late(d_wr_late), .rd_en(d_rd_en), .rd_addr(d_rd_addr), .rd_data(d_rd_data),
		.rd_hold(d_rd_hold), .clk(clk));
endmodule // ram_wide_seq_tb_top

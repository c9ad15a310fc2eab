/*
 * fcs_tb_top.v - test wrapper: fcs16 and fcs32 side by side (test only)
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module fcs_tb_top (
	input  wire [15:0] c16_in,
	input  wire [31:0] c32_in,
	input  wire [7:0]  data,
	output wire [15:0] c16_out,
	output wire [31:0] c32_out
);
	fcs16 fcs16_I (.crc_in(c16_in), .data(data), .crc_out(c16_out));
	fcs32 fcs32_I (.crc_in(c32_in), .data(data), .crc_out(c32_out));
endmodule // fcs_tb_top

/*
 * fcs32.v
 *
 * RFC 1662 FCS-32, one octet per call (combinational).  The IEEE 802.3
 * polynomial in reflected form 0xEDB88320, bits LSB first, register
 * initialised to 0xFFFFFFFF by the caller; the transmitted FCS is the ones'
 * complement, low octet first.  Good residue over data + FCS: 0xDEBB20E3.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module fcs32 (
	input  wire [31:0] crc_in,	// register before this octet
	input  wire [7:0]  data,	// octet, bit 0 first on the line
	output reg  [31:0] crc_out	// register after this octet
);
	integer i;
	reg [31:0] c;

	always @* begin
		c = crc_in ^ {24'h000000, data};
		for (i = 0; i < 8; i = i + 1)
			c = c[0] ? ((c >> 1) ^ 32'hEDB88320) : (c >> 1);
		crc_out = c;
	end

endmodule // fcs32

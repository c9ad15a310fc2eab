/*
 * fcs16.v
 *
 * RFC 1662 FCS-16, one octet per call (combinational).  Polynomial
 * x^16 + x^12 + x^5 + 1 in reflected form 0x8408, bits taken LSB first,
 * register initialised to 0xFFFF by the caller; the transmitted FCS is the
 * ones' complement of the register, low octet first.  Running the register
 * over data + FCS leaves the good residue 0xF0B8.  Also the card protocol's CRC.
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module fcs16 (
	input  wire [15:0] crc_in,	// register before this octet
	input  wire [7:0]  data,	// octet, bit 0 first on the line
	output reg  [15:0] crc_out	// register after this octet
);
	integer i;
	reg [15:0] c;

	always @* begin
		c = crc_in ^ {8'h00, data};
		for (i = 0; i < 8; i = i + 1)
			c = c[0] ? ((c >> 1) ^ 16'h8408) : (c >> 1);
		crc_out = c;
	end

endmodule // fcs16

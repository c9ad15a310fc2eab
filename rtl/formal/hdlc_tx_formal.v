/*
 * hdlc_tx_formal.v
 *
 * Formal harness for hdlc_tx_step in async HDLC mode (RFC 1662): one channel's
 * state in a register, every input free (buffer contents, ACCM, FCS size,
 * CARD_TX_FULL_ACCM), and the property that the transmitter never puts a bare
 * 0x7E on the line inside a frame: 0x7E only leaves in the flag-fill, closing
 * flag and abort states, and every octet after a 0x7D escape is not 0x7E
 * unless the frame is being aborted.  Proved by induction with Yosys
 * (rtl/formal/run.sh).
 *
 * SPDX-License-Identifier: MIT
 */
`default_nettype none

module hdlc_tx_formal (
	input wire        fcs32,
	input wire [31:0] accm,
	input wire        avail,
	input wire [10:0] entry,
	input wire        clk
);
	reg  [95:0] st;
	reg         prev_esc;		// the last octet out was a 0x7D escape
	reg  [2:0]  prev_st;
	wire [95:0] st_next;
	wire [7:0]  oct;
	wire        consume, took_data, underrun, frame_sent;

	hdlc_tx_step #(.ST_W(96)) dut (
		.mode(2'd2), .fcs32(fcs32), .idle_ones(1'b0), .accm(accm),
		.st_in(st), .st_out(st_next), .avail(avail), .entry(entry),
		.consume(consume), .took_data(took_data), .oct(oct),
		.underrun(underrun), .frame_sent(frame_sent));

	initial begin
		st = 96'd0;
		prev_esc = 1'b0;
		prev_st = 3'd0;
	end

	always @(posedge clk) begin
		st <= st_next;
		prev_esc <= (oct == 8'h7D);
		prev_st <= st[2:0];
	end

	// states: 0 idle (flag fill), 1 data, 2 escaped octet, 3 FCS, 4 closing flag, 5 abort
	always @* begin
		if (oct == 8'h7E)
			assert(st[2:0] == 3'd0 || st[2:0] == 3'd4 || st[2:0] == 3'd5);
		if (prev_esc && oct == 8'h7E)
			assert(st[2:0] == 3'd5);
		assert(st[2:0] <= 3'd5);
	end

endmodule // hdlc_tx_formal

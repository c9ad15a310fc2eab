// t1_tx_front.v - T1 transmit front end of one span: chunk serialiser and line encoder
//
// All spans transmit on the card's one transmit timing (t1_clock), so the chunk
// boundaries are common: on tx_load the 9-bit holding register (filled by the shared
// transmit framer) is loaded and its MSB goes out first; chunk 0 of a frame has 9
// bits (F bit + timeslot 1), the others 8 (the framer pads them with a trailing 0).
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_tx_front (
    input  wire       clk,
    input  wire       rst,
    input  wire       tx_bit,       // transmit bit strobe
    input  wire       tx_load,      // with tx_bit: start the chunk in tx_hold
    input  wire [8:0] tx_hold,      // [8] first
    input  wire       cfg_b8zs,
    output wire       liu_tpos,
    output wire       liu_tneg
);
    reg [7:0] sh_q;                 // bits after the one being sent, [7] next

    wire bit_now = tx_load ? tx_hold[8] : sh_q[7];

    always @(posedge clk) begin
        if (tx_bit)
            sh_q <= tx_load ? tx_hold[7:0] : {sh_q[6:0], 1'b1};
        if (rst)
            sh_q <= 8'hFF;
    end

    t1_line_enc line_enc_I (
        .clk(clk), .rst(rst),
        .enc_stb(tx_bit), .enc_data(bit_now), .enc_b8zs(cfg_b8zs),
        .line_pos(liu_tpos), .line_neg(liu_tneg));
endmodule // t1_tx_front

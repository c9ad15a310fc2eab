// t1_tx_front.v - T1 transmit front ends of all spans: chunk serialisers and line encoders
//
// All spans transmit on the card's one transmit timing (t1_clock), so the chunk
// boundaries are common: on tx_load the 9-bit holding registers (filled by the shared
// transmit framer) are loaded and their MSB goes out first; chunk 0 of a frame has 9
// bits (F bit + timeslot 1), the others 8 (the framer pads them with a trailing 0).
// Bit-sliced: tx_hold[k*SPANS + s] is bit k of span s's chunk, and the serialisers
// are vectors with one bit per span.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_tx_front #(
    parameter SPANS = 2                 // number of spans, 1..28
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               tx_bit,       // transmit bit strobe
    input  wire               tx_load,      // with tx_bit: start the chunks in tx_hold
    input  wire [SPANS*9-1:0] tx_hold,      // bit k of span s at [k*SPANS + s], [8] first
    input  wire [SPANS-1:0]   cfg_b8zs,
    output wire [SPANS-1:0]   liu_tpos,
    output wire [SPANS-1:0]   liu_tneg
);
    localparam S = SPANS;

    reg [8*S-1:0] sh_q;             // bits after the one being sent, [7*S +: S] next

    wire [S-1:0] bit_now = tx_load ? tx_hold[8*S +: S] : sh_q[7*S +: S];

    always @(posedge clk) begin
        if (tx_bit)
            sh_q <= tx_load ? tx_hold[8*S-1:0] : {sh_q[7*S-1:0], {S{1'b1}}};
        if (rst)
            sh_q <= {(8*S){1'b1}};
    end

    t1_line_enc #(.SPANS(S)) line_enc_I (
        .clk(clk), .rst(rst),
        .enc_stb(tx_bit), .enc_data(bit_now), .enc_b8zs(cfg_b8zs),
        .line_pos(liu_tpos), .line_neg(liu_tneg));
endmodule // t1_tx_front

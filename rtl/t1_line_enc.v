// t1_line_enc.v - T1 line encoders of all spans: NRZ to dual-rail AMI / B8ZS (ANSI T1.403 / T1.102)
//
// All spans send on one bit strobe (the card's transmit timing).  Per span: delays
// the data by 8 bits so that a run of 8 zeros can be replaced by the B8ZS
// substitution 000VB0VB, V having the polarity of the preceding pulse and B the
// opposite; after the substitution the next mark alternates from the last B as if the
// zeros had been sent.  AMI: marks alternate, zeros stay zeros.
//
// Bit-sliced: every state bit is a vector with one bit per span (bit s = span s),
// updated with whole-vector logic under the strobe.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_line_enc #(
    parameter SPANS = 2                 // number of spans, 1..28
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             enc_stb,        // bit strobe (all spans)
    input  wire [SPANS-1:0] enc_data,       // NRZ bit to send
    input  wire [SPANS-1:0] enc_b8zs,       // 1 = B8ZS, 0 = AMI
    output reg  [SPANS-1:0] line_pos,       // registered dual-rail symbols, change on enc_stb
    output reg  [SPANS-1:0] line_neg
);
    localparam S = SPANS;

    reg [8*S-1:0] win_q;        // bit k of every span at [k*S +: S]; [7] is the next bit out
    reg [S-1:0]   sub_q;        // inside a substitution
    reg [3*S-1:0] k_q;          // position inside the substitution, bit j at [j*S +: S]
    reg [S-1:0]   lastpol_q;    // polarity of the last pulse sent: 1 = positive

    always @(posedge clk) begin
        if (enc_stb) begin : one_bit
            // (under the strobe so that a simulator only evaluates it once per bit)
            reg [S-1:0] lp, w7, start, in_sub, k0, k1, k2, va, vb, k7;
            lp     = lastpol_q;
            w7     = win_q[7*S +: S];
            start  = enc_b8zs & ~sub_q & ~(win_q[0 +: S] | win_q[S +: S] | win_q[2*S +: S] |
                     win_q[3*S +: S] | win_q[4*S +: S] | win_q[5*S +: S] | win_q[6*S +: S] | w7);
            in_sub = sub_q | start;
            k0 = sub_q & k_q[0 +: S];               // position: 0 when starting
            k1 = sub_q & k_q[S +: S];
            k2 = sub_q & k_q[2*S +: S];
            va = k1 & k0;                           // 3, 7: V (3) or B (7), polarity lp
            vb = k2 & ~k0;                          // 4, 6: B (4) or V (6), polarity ~lp
            k7 = k2 & k1 & k0;
            win_q <= {win_q[7*S-1:0], enc_data};
            sub_q <= in_sub & ~k7;
            k_q   <= (k_q & ~{3{in_sub}}) |
                     ({3{in_sub}} & {k2 ^ (k1 & k0), k1 ^ k0, ~k0});
            line_pos  <= (in_sub & ((va & lp) | (vb & ~lp))) | (~in_sub & w7 & ~lp);
            line_neg  <= (in_sub & ((va & ~lp) | (vb & lp))) | (~in_sub & w7 & lp);
            lastpol_q <= lp ^ (~in_sub & w7);
        end
        if (rst) begin
            win_q     <= {(8*S){1'b1}};
            sub_q     <= {S{1'b0}};
            k_q       <= {(3*S){1'b0}};
            lastpol_q <= {S{1'b0}};
            line_pos  <= {S{1'b0}};
            line_neg  <= {S{1'b0}};
        end
    end
endmodule // t1_line_enc

// t1_line_dec.v - T1 line decoders of all spans: dual-rail AMI / B8ZS to NRZ (ANSI T1.403 / T1.102)
//
// Clocked by the core clock with a bit strobe per span.  Per span: keeps the last 8
// line symbols; when they hold a B8ZS substitution 000VB0VB (V the same polarity as
// the pulse before it) the 8 symbols are decoded as zeros.  Every other pulse of the
// same polarity as the previous pulse (or a symbol with both rails high) is a bipolar
// violation.  Excess zeros: a run of 8 (B8ZS) or 16 (AMI) zero symbols on the line
// counts once.  Latency: 8 bits.
//
// Bit-sliced: every state bit is a vector with one bit per span (bit s = span s) and
// the logic works on whole vectors, masked by the strobes, so a simulator evaluates
// it once per clock with a strobe for all spans together (and the hardware is the
// same per-span logic).
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_line_dec #(
    parameter SPANS = 2                 // number of spans, 1..28
) (
    input  wire clk,
    input  wire rst,
    // line symbols, one per bit strobe
    input  wire [SPANS-1:0] line_stb,
    input  wire [SPANS-1:0] line_pos,
    input  wire [SPANS-1:0] line_neg,
    input  wire [SPANS-1:0] line_b8zs,      // 1 = B8ZS, 0 = AMI
    // decoded bits, one per bit strobe (registered, same clock as line_stb + 1)
    output reg  [SPANS-1:0] dec_stb,
    output reg  [SPANS-1:0] dec_data,       // NRZ bit
    output reg  [SPANS-1:0] dec_pulse,      // a pulse was on the line in this bit (for LOS)
    output reg  [SPANS-1:0] dec_bpv,        // bipolar violation (not a B8ZS substitution)
    output reg  [SPANS-1:0] dec_exz         // an excess-zeros run reached its threshold here
);
    localparam S = SPANS;

    reg [8*S-1:0] wp_q;         // window, positive rail: symbol k of every span at [k*S +: S],
    reg [8*S-1:0] wn_q;         // [7] oldest; negative rail
    reg [S-1:0]   lastpol_q;    // polarity of the last pulse decoded: 1 = positive
    reg [5*S-1:0] zrun_q;       // zero-run count, bit j at [j*S +: S], saturating at 31

    always @(posedge clk) begin
        dec_stb <= {S{1'b0}};
        dec_bpv <= {S{1'b0}};
        dec_exz <= {S{1'b0}};
        if (|line_stb) begin : one_bit
            // (under the strobe so that a simulator only evaluates it once per bit)
            reg [S-1:0] stb, lp, p7, n7, any7, any6, any5, any2, is_p4, is_m3, is_m1, is_p0;
            reg [S-1:0] subst, zero_in, both7, mark, c, z0, z1, z2, z3, z4;
            reg [8*S-1:0] m8;
            reg [5*S-1:0] m5;
            stb  = line_stb;
            lp   = lastpol_q;
            p7   = wp_q[7*S +: S];
            n7   = wn_q[7*S +: S];
            any7 = p7 | n7;
            any6 = wp_q[6*S +: S] | wn_q[6*S +: S];
            any5 = wp_q[5*S +: S] | wn_q[5*S +: S];
            any2 = wp_q[2*S +: S] | wn_q[2*S +: S];
            // polarity P = lastpol: a pulse of polarity P is (pos,neg) = (P,~P)
            is_p4 = ~(wp_q[4*S +: S] ^ lp) &  (wn_q[4*S +: S] ^ lp);
            is_m3 =  (wp_q[3*S +: S] ^ lp) & ~(wn_q[3*S +: S] ^ lp);
            is_m1 =  (wp_q[1*S +: S] ^ lp) & ~(wn_q[1*S +: S] ^ lp);
            is_p0 = ~(wp_q[0*S +: S] ^ lp) &  (wn_q[0*S +: S] ^ lp);
            subst = line_b8zs & ~any7 & ~any6 & ~any5 & ~any2 & is_p4 & is_m3 & is_m1 & is_p0;
            both7 = p7 & n7;                            // both rails: invalid symbol
            mark  = any7 & ~both7 & ~subst;             // a one-rail pulse to decode
            dec_stb   <= stb;
            dec_pulse <= (dec_pulse & ~stb) | (stb & any7);
            dec_data  <= (dec_data & ~stb) | (stb & any7 & ~subst);
            dec_bpv   <= stb & ~subst & (both7 | (mark & ~(p7 ^ lp)));  // or same polarity
            lastpol_q <= (lp & ~(stb & mark)) | (p7 & stb & mark);
            // window: shift in the new symbol; a substitution's symbols become zeros
            m8 = {8{stb}};
            wp_q <= (wp_q & ~m8) | (m8 & {wp_q[7*S-1:0] & {7{~subst}}, line_pos});
            wn_q <= (wn_q & ~m8) | (m8 & {wn_q[7*S-1:0] & {7{~subst}}, line_neg});
            // zero run: +1 (saturating) on a zero symbol, else 0; excess zeros when the
            // run reaches 8 (B8ZS) or 16 (AMI): count 7 or 15 before this zero
            zero_in = ~line_pos & ~line_neg;
            z0 = zrun_q[0 +: S];
            z1 = zrun_q[S +: S];
            z2 = zrun_q[2*S +: S];
            z3 = zrun_q[3*S +: S];
            z4 = zrun_q[4*S +: S];
            dec_exz <= stb & zero_in & z0 & z1 & z2 & ~z4 & (line_b8zs ^ z3);
            c  = zero_in & ~(z0 & z1 & z2 & z3 & z4);
            m5 = {5{stb}};
            zrun_q <= (zrun_q & ~m5) | (m5 & {5{zero_in}} &
                      {z4 ^ (c & z0 & z1 & z2 & z3), z3 ^ (c & z0 & z1 & z2),
                       z2 ^ (c & z0 & z1), z1 ^ (c & z0), z0 ^ c});
        end
        if (rst) begin
            dec_stb   <= {S{1'b0}};
            dec_bpv   <= {S{1'b0}};
            dec_exz   <= {S{1'b0}};
            wp_q      <= {(8*S){1'b0}};
            wn_q      <= {(8*S){1'b0}};
            lastpol_q <= {S{1'b0}};
            zrun_q    <= {(5*S){1'b0}};
        end
    end
endmodule // t1_line_dec

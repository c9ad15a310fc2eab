// t1_line_dec.v - T1 line decoder: dual-rail AMI / B8ZS to NRZ (ANSI T1.403 / T1.102)
//
// One instance per span, clocked by the core clock with a bit strobe.  Keeps the
// last 8 line symbols; when they hold a B8ZS substitution 000VB0VB (V the same
// polarity as the pulse before it) the 8 symbols are decoded as zeros.  Every other
// pulse of the same polarity as the previous pulse (or a symbol with both rails high)
// is a bipolar violation.  Excess zeros: a run of 8 (B8ZS) or 16 (AMI) zero symbols
// on the line counts once.  Latency: 8 bits.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_line_dec (
    input  wire clk,
    input  wire rst,
    // line symbols, one per bit strobe
    input  wire line_stb,
    input  wire line_pos,
    input  wire line_neg,
    input  wire line_b8zs,      // 1 = B8ZS, 0 = AMI
    // decoded bits, one per bit strobe (registered, same clock as line_stb + 1)
    output reg  dec_stb,
    output reg  dec_data,       // NRZ bit
    output reg  dec_pulse,      // a pulse was on the line in this bit (for LOS)
    output reg  dec_bpv,        // bipolar violation (not a B8ZS substitution)
    output reg  dec_exz         // an excess-zeros run reached its threshold here
);
    reg [7:0] win_p_q;          // [7] oldest
    reg [7:0] win_n_q;
    reg       lastpol_q;        // polarity of the last pulse decoded: 1 = positive
    reg [4:0] zrun_q;

    always @(posedge clk) begin
        dec_stb <= 1'b0;
        dec_bpv <= 1'b0;
        dec_exz <= 1'b0;
        if (line_stb) begin : one_bit
            // (the decode logic sits under the strobe so that a simulator only
            // evaluates it once per bit)
            reg any7, any6, any5, any2, is_p4, is_m3, is_m1, is_p0, subst, zero_in;
            reg [4:0] zthr;
            any7 = win_p_q[7] | win_n_q[7];
            any6 = win_p_q[6] | win_n_q[6];
            any5 = win_p_q[5] | win_n_q[5];
            any2 = win_p_q[2] | win_n_q[2];
            // polarity P = lastpol: pulse of polarity P is (pos,neg) = (P,~P)
            is_p4 = (win_p_q[4] == lastpol_q) && (win_n_q[4] == ~lastpol_q);
            is_m3 = (win_p_q[3] == ~lastpol_q) && (win_n_q[3] == lastpol_q);
            is_m1 = (win_p_q[1] == ~lastpol_q) && (win_n_q[1] == lastpol_q);
            is_p0 = (win_p_q[0] == lastpol_q) && (win_n_q[0] == ~lastpol_q);
            subst = line_b8zs && !any7 && !any6 && !any5 && !any2 &&
                    is_p4 && is_m3 && is_m1 && is_p0;
            zero_in = !line_pos && !line_neg;
            zthr = line_b8zs ? 5'd8 : 5'd16;
            dec_stb   <= 1'b1;
            dec_pulse <= any7;
            if (subst) begin
                dec_data <= 1'b0;
                win_p_q  <= {7'd0, line_pos};
                win_n_q  <= {7'd0, line_neg};
            end else begin
                dec_data <= any7;
                if (win_p_q[7] && win_n_q[7]) begin
                    dec_bpv <= 1'b1;                    // both rails: invalid symbol
                end else if (any7) begin
                    if (win_p_q[7] == lastpol_q)
                        dec_bpv <= 1'b1;                // same polarity as last pulse
                    lastpol_q <= win_p_q[7];
                end
                win_p_q <= {win_p_q[6:0], line_pos};
                win_n_q <= {win_n_q[6:0], line_neg};
            end
            if (zero_in) begin
                if (zrun_q != 5'd31)
                    zrun_q <= zrun_q + 5'd1;
                if (zrun_q + 5'd1 == zthr)
                    dec_exz <= 1'b1;
            end else begin
                zrun_q <= 5'd0;
            end
        end
        if (rst) begin
            dec_stb   <= 1'b0;
            dec_bpv   <= 1'b0;
            dec_exz   <= 1'b0;
            win_p_q   <= 8'd0;
            win_n_q   <= 8'd0;
            lastpol_q <= 1'b0;
            zrun_q    <= 5'd0;
        end
    end
endmodule // t1_line_dec

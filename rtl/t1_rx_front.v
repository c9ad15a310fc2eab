// t1_rx_front.v - T1 receive front ends of all spans: LIU sampling, line decode, octet chunks
//
// Per span: the LIU's RCLK is synchronised into the core clock domain; its rising
// edges are the receive bit strobes (RPOS/RNEG are sampled through the same
// synchroniser depth, so they are taken in the middle of the bit, the LIU changing
// them on RCLK's falling edge).  When RCLK has been quiet for three internal bit
// periods the front end feeds zeros at the internal bit rate instead, so the framer
// sees a dead line as LOS.  Decoded bits are collected into 8-bit chunks (not
// octet-aligned: the shared framer aligns them) with their line-pulse map,
// bipolar-violation count and excess-zeros flag; a completed chunk waits in a holding
// register until the framer takes it (chunk_ack), which must happen within 8 bit
// periods.
//
// Bit-sliced like t1_line_dec: state bits are vectors with one bit per span, updated
// with whole-vector logic (the synchronisers on every clock, the rest only in clocks
// with a strobe); only the holding registers (chunk_*, span-major for the framer) are
// written per span, when chunks complete.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_rx_front #(
    parameter SPANS = 2                 // number of spans, 1..28
) (
    input  wire               clk,
    input  wire               rst,
    // LIU receive pins (asynchronous)
    input  wire [SPANS-1:0]   liu_rpos,
    input  wire [SPANS-1:0]   liu_rneg,
    input  wire [SPANS-1:0]   liu_rclk,
    // configuration and internal timing
    input  wire [SPANS-1:0]   cfg_b8zs,     // 1 = B8ZS, 0 = AMI
    input  wire               nco_stb,      // internal 1.544 MHz bit strobe
    // recovered timing
    output reg  [SPANS-1:0]   rx_clk_stb,   // a real RCLK rising edge (for loop timing)
    // chunks to the shared framer (span s: chunk_data[s*8 +: 8] etc.)
    output reg  [SPANS-1:0]   chunk_rdy,
    input  wire [SPANS-1:0]   chunk_ack,
    output reg  [SPANS*8-1:0] chunk_data,   // [7] first received
    output reg  [SPANS*8-1:0] chunk_pulse,  // line pulse present per bit
    output reg  [SPANS*4-1:0] chunk_bpv,    // bipolar violations in the chunk
    output reg  [SPANS-1:0]   chunk_exz     // an excess-zeros run reached threshold
);
    localparam S = SPANS;

    reg [S-1:0] rclk0_q, rclk1_q, rclk2_q;     // synchronisers, 0 newest
    reg [S-1:0] rpos0_q, rpos1_q, rneg0_q, rneg1_q;
    reg [S-1:0] dead0_q, dead1_q;              // internal bit periods without RCLK, to 3

    always @(posedge clk) begin
        rclk0_q <= liu_rclk;
        rclk1_q <= rclk0_q;
        rclk2_q <= rclk1_q;
        rpos0_q <= liu_rpos;
        rpos1_q <= rpos0_q;
        rneg0_q <= liu_rneg;
        rneg1_q <= rneg0_q;
    end

    wire [S-1:0] edge_rise = rclk1_q & ~rclk2_q;
    wire [S-1:0] dead = dead0_q & dead1_q;
    wire [S-1:0] bit_stb = edge_rise | (dead & {S{nco_stb}});
    wire [S-1:0] sym_pos = edge_rise & rpos1_q;
    wire [S-1:0] sym_neg = edge_rise & rneg1_q;

    always @(posedge clk) begin
        rx_clk_stb <= edge_rise;
        if (nco_stb || |edge_rise) begin : dead_cnt
            reg [S-1:0] inc;
            inc = ~edge_rise & {S{nco_stb}} & ~dead;
            dead0_q <= ~edge_rise & (dead0_q ^ inc);
            dead1_q <= ~edge_rise & (dead1_q ^ (dead0_q & inc));
        end
        if (rst) begin
            rx_clk_stb <= {S{1'b0}};
            dead0_q    <= {S{1'b0}};
            dead1_q    <= {S{1'b0}};
        end
    end

    wire [S-1:0] dec_stb, dec_data, dec_pulse, dec_bpv, dec_exz;

    t1_line_dec #(.SPANS(S)) line_dec_I (
        .clk(clk), .rst(rst),
        .line_stb(bit_stb), .line_pos(sym_pos), .line_neg(sym_neg), .line_b8zs(cfg_b8zs),
        .dec_stb(dec_stb), .dec_data(dec_data), .dec_pulse(dec_pulse),
        .dec_bpv(dec_bpv), .dec_exz(dec_exz));

    // chunk collectors
    reg [3*S-1:0] cnt_q;                       // bits in the chunk, bit j at [j*S +: S]
    reg [7*S-1:0] sh_data_q;                   // collected bits, [6*S +: S] oldest
    reg [7*S-1:0] sh_pulse_q;
    reg [4*S-1:0] sh_bpv_q;                    // violations so far, bit j at [j*S +: S]
    reg [S-1:0]   sh_exz_q;

    integer s, j;
    always @(posedge clk) begin
        if (|chunk_ack)
            chunk_rdy <= chunk_rdy & ~chunk_ack;
        if (|dec_stb) begin : collect
            reg [S-1:0]   st, c0, c1, c2, done, b0, b1, b2, b3, s0, s1, s2, s3;
            reg [7*S-1:0] m7;
            reg [4*S-1:0] m4;
            st = dec_stb;
            c0 = cnt_q[0 +: S];
            c1 = cnt_q[S +: S];
            c2 = cnt_q[2*S +: S];
            done = st & c0 & c1 & c2;              // the 8th bit of a chunk
            cnt_q <= {c2 ^ (st & c0 & c1), c1 ^ (st & c0), c0 ^ st};
            m7 = {7{st}};
            sh_data_q  <= (sh_data_q & ~m7)  | (m7 & {sh_data_q[6*S-1:0], dec_data});
            sh_pulse_q <= (sh_pulse_q & ~m7) | (m7 & {sh_pulse_q[6*S-1:0], dec_pulse});
            // bpv count + this bit's violation
            b0 = sh_bpv_q[0 +: S];
            b1 = sh_bpv_q[S +: S];
            b2 = sh_bpv_q[2*S +: S];
            b3 = sh_bpv_q[3*S +: S];
            s0 = b0 ^ dec_bpv;
            s1 = b1 ^ (b0 & dec_bpv);
            s2 = b2 ^ (b1 & b0 & dec_bpv);
            s3 = b3 ^ (b2 & b1 & b0 & dec_bpv);
            m4 = {4{st}};
            sh_bpv_q <= (sh_bpv_q & ~m4) | (m4 & {4{~done}} & {s3, s2, s1, s0});
            sh_exz_q <= (sh_exz_q & ~st) | (st & ~done & (sh_exz_q | dec_exz));
            if (|done) begin
                chunk_rdy <= (chunk_rdy & ~chunk_ack) | done;
                chunk_exz <= (chunk_exz & ~done) | (done & (sh_exz_q | dec_exz));
                for (s = 0; s < S; s = s + 1)
                    if (done[s]) begin
                        chunk_data[s*8]  <= dec_data[s];
                        chunk_pulse[s*8] <= dec_pulse[s];
                        for (j = 0; j < 7; j = j + 1) begin
                            chunk_data[s*8 + j + 1]  <= sh_data_q[j*S + s];
                            chunk_pulse[s*8 + j + 1] <= sh_pulse_q[j*S + s];
                        end
                        chunk_bpv[s*4 +: 4] <= {s3[s], s2[s], s1[s], s0[s]};
                    end
            end
        end
        if (rst) begin
            cnt_q     <= {(3*S){1'b0}};
            chunk_rdy <= {S{1'b0}};
            sh_bpv_q  <= {(4*S){1'b0}};
            sh_exz_q  <= {S{1'b0}};
        end
    end
endmodule // t1_rx_front

// t1_rx_front.v - T1 receive front end of one span: LIU sampling, line decode, octet chunks
//
// The LIU's RCLK is synchronised into the core clock domain; its rising edges are the
// receive bit strobes (RPOS/RNEG are sampled through the same synchroniser depth, so
// they are taken in the middle of the bit, the LIU changing them on RCLK's falling
// edge).  When RCLK has been quiet for three internal bit periods the front end feeds
// zeros at the internal bit rate instead, so the framer sees a dead line as LOS.
// Decoded bits are collected into 8-bit chunks (not octet-aligned: the shared framer
// aligns them) with their line-pulse map, bipolar-violation count and excess-zeros
// flag; a completed chunk waits in a holding register until the framer takes it
// (chunk_ack), which must happen within 8 bit periods.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_rx_front (
    input  wire       clk,
    input  wire       rst,
    // LIU receive pins (asynchronous)
    input  wire       liu_rpos,
    input  wire       liu_rneg,
    input  wire       liu_rclk,
    // configuration and internal timing
    input  wire       cfg_b8zs,     // 1 = B8ZS, 0 = AMI
    input  wire       nco_stb,      // internal 1.544 MHz bit strobe
    // recovered timing
    output reg        rx_clk_stb,   // a real RCLK rising edge (for loop timing)
    // chunk to the shared framer
    output reg        chunk_rdy,
    input  wire       chunk_ack,
    output reg  [7:0] chunk_data,   // [7] first received
    output reg  [7:0] chunk_pulse,  // line pulse present per bit
    output reg  [3:0] chunk_bpv,    // bipolar violations in the chunk
    output reg        chunk_exz     // an excess-zeros run reached threshold
);
    reg [2:0] rclk_q;
    reg [1:0] rpos_q;
    reg [1:0] rneg_q;
    reg [1:0] dead_q;

    always @(posedge clk) begin
        rclk_q <= {rclk_q[1:0], liu_rclk};
        rpos_q <= {rpos_q[0], liu_rpos};
        rneg_q <= {rneg_q[0], liu_rneg};
    end

    wire edge_rise = rclk_q[1] && !rclk_q[2];
    wire dead = (dead_q == 2'd3);
    wire bit_stb = edge_rise || (dead && nco_stb);
    wire sym_pos = edge_rise && rpos_q[1];
    wire sym_neg = edge_rise && rneg_q[1];

    always @(posedge clk) begin
        rx_clk_stb <= edge_rise;
        if (edge_rise)
            dead_q <= 2'd0;
        else if (nco_stb && !dead)
            dead_q <= dead_q + 2'd1;
        if (rst) begin
            rx_clk_stb <= 1'b0;
            dead_q     <= 2'd0;
        end
    end

    wire dec_stb, dec_data, dec_pulse, dec_bpv, dec_exz;

    t1_line_dec line_dec_I (
        .clk(clk), .rst(rst),
        .line_stb(bit_stb), .line_pos(sym_pos), .line_neg(sym_neg), .line_b8zs(cfg_b8zs),
        .dec_stb(dec_stb), .dec_data(dec_data), .dec_pulse(dec_pulse),
        .dec_bpv(dec_bpv), .dec_exz(dec_exz));

    // chunk collector
    reg [2:0] cnt_q;
    reg [6:0] sh_data_q;
    reg [6:0] sh_pulse_q;
    reg [3:0] sh_bpv_q;
    reg       sh_exz_q;

    always @(posedge clk) begin
        if (chunk_ack)
            chunk_rdy <= 1'b0;
        if (dec_stb) begin
            cnt_q <= cnt_q + 3'd1;
            if (cnt_q == 3'd7) begin
                chunk_rdy   <= 1'b1;
                chunk_data  <= {sh_data_q[6:0], dec_data};
                chunk_pulse <= {sh_pulse_q[6:0], dec_pulse};
                chunk_bpv   <= sh_bpv_q + {3'd0, dec_bpv};
                chunk_exz   <= sh_exz_q | dec_exz;
                sh_bpv_q    <= 4'd0;
                sh_exz_q    <= 1'b0;
            end else begin
                sh_bpv_q <= sh_bpv_q + {3'd0, dec_bpv};
                sh_exz_q <= sh_exz_q | dec_exz;
            end
            sh_data_q  <= {sh_data_q[5:0], dec_data};
            sh_pulse_q <= {sh_pulse_q[5:0], dec_pulse};
        end
        if (rst) begin
            cnt_q     <= 3'd0;
            chunk_rdy <= 1'b0;
            sh_bpv_q  <= 4'd0;
            sh_exz_q  <= 1'b0;
        end
    end
endmodule // t1_rx_front

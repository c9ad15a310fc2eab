// t1_clock.v - the card's T1 transmit timing: internal NCO or loop timing from a span
//
// Internal timing is a 32-bit phase accumulator (NCO) that makes a 1.544 MHz bit
// strobe from the core clock (CORE_HZ): exact at 3.088 MHz (increment 2^31, the
// co-simulation's clock) and 6.176 MHz (2^30), about 5e-9 off at 60 MHz (far inside
// T1's +-32 ppm).  Loop timing takes the rising RCLK edges of the chosen span
// (src_valid/src_span, picked by t1_line_bank from the CONFIG clock source and the
// alarms).  The chosen strobe is held back so that two transmit bits are never
// closer than GAP core clocks (4, or 2 when the core runs below 4x the line rate):
// a system frame (193 bits) thus always lasts at least 193 * GAP core clocks, even
// from a line slightly faster than core/GAP (which then slips in the elastic store
// instead).  TCLK falls with each transmit bit (TPOS/TNEG change there) and rises
// HALF core clocks later, where the LIU samples.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_clock #(
    parameter SPANS = 2,                // number of spans, 1..28
    parameter SPAN_W = 1,               // width of a span index
    parameter CORE_HZ = 6176000         // core clock frequency in Hz (>= 3088000)
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [SPANS-1:0] rx_clk_stb, // recovered RCLK rising edges, per span
    input  wire             src_valid,  // loop-time from src_span (else internal)
    input  wire [SPAN_W-1:0] src_span,
    output reg              nco_stb,    // internal bit strobe
    output reg              tx_bit,     // transmit bit strobe (the card's timing)
    output reg              tx_clk      // TCLK for the LIUs
);
    localparam [63:0] CORE64 = 64'd1 * CORE_HZ;
    localparam [63:0] NCO_INC64 = ((64'd1544000 << 32) + CORE64 / 2) / CORE64;
    localparam [31:0] NCO_INC = NCO_INC64[31:0];
    localparam integer HALF_I = CORE_HZ / 3088000;
    localparam [7:0] HALF = (HALF_I < 1) ? 8'd1 : HALF_I[7:0];
    localparam [1:0] GAP_M1 = (CORE_HZ >= 6176000) ? 2'd3 : 2'd1;     // GAP - 1

    initial begin
        if (CORE_HZ < 3088000)
            $error("t1_clock: CORE_HZ must be at least 3088000 (instance %m)");
    end

    reg  [31:0] acc_q;
    wire [32:0] acc_sum = {1'b0, acc_q} + {1'b0, NCO_INC};

    always @(posedge clk) begin
        acc_q   <= acc_sum[31:0];
        nco_stb <= acc_sum[32];
        if (rst) begin
            acc_q   <= 32'd0;
            nco_stb <= 1'b0;
        end
    end

    wire line_stb = rx_clk_stb[src_span];
    wire raw_stb  = src_valid ? line_stb : nco_stb;

    reg       pend_q;
    reg [1:0] gap_q;                    // core clocks since the last tx_bit, saturating at GAP - 1
    reg [7:0] half_q;

    wire go = (raw_stb || pend_q) && (gap_q == GAP_M1);

    always @(posedge clk) begin
        tx_bit <= go;
        if (go) begin
            pend_q <= 1'b0;
            gap_q  <= 2'd0;
        end else begin
            if (raw_stb)
                pend_q <= 1'b1;
            if (gap_q != GAP_M1)
                gap_q <= gap_q + 2'd1;
        end
        if (go) begin
            tx_clk <= 1'b0;
            half_q <= HALF - 8'd1;
        end else if (half_q != 8'd0) begin
            half_q <= half_q - 8'd1;
        end else begin
            tx_clk <= 1'b1;
        end
        if (rst) begin
            tx_bit <= 1'b0;
            pend_q <= 1'b0;
            gap_q  <= 2'd0;
            tx_clk <= 1'b1;
            half_q <= 8'd0;
        end
    end
endmodule // t1_clock

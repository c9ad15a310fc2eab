// t1_clock.v - the card's T1 transmit timing: internal NCO or loop timing from a span
//
// Internal timing is a modular accumulator (NCO) that makes an exact 1.544 MHz bit
// strobe from the core clock (CORE_HZ): 1544000/G added modulo CORE_HZ/G (G their
// gcd), a strobe at each wrap: every 2nd clock at 3.088 MHz (the co-simulation's
// clock), every 4th at 6.176 MHz, 193 of 7500 clocks at 60 MHz (13 bits).  Loop timing takes the rising RCLK edges of the chosen span
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
    // internal timing: a modular accumulator, exact for any CORE_HZ: acc += 1544000/G
    // modulo CORE_HZ/G (G = gcd), a strobe at each wrap (60 MHz: 193 mod 7500)
    function integer gcd(input integer a, input integer b);
        integer x, y, t;
        begin
            x = a;
            y = b;
            while (y != 0) begin
                t = x % y;
                x = y;
                y = t;
            end
            gcd = x;
        end
    endfunction
    function integer bits(input integer v);     // bits to hold 0..v
        integer n;
        begin
            n = 1;
            while ((v >> n) != 0)
                n = n + 1;
            bits = n;
        end
    endfunction
    localparam integer G = gcd(1544000, CORE_HZ);
    localparam integer INC_I = 1544000 / G;
    localparam integer MOD_I = CORE_HZ / G;
    localparam integer ACC_W = bits(MOD_I);
    localparam [ACC_W-1:0] INC = INC_I[ACC_W-1:0];
    localparam integer WRAP_I = MOD_I - INC_I;
    localparam integer INC_WRAP_I = INC_I - MOD_I;
    localparam [ACC_W-1:0] WRAP_AT = WRAP_I[ACC_W-1:0];              // acc >= this: wrap
    localparam [ACC_W-1:0] INC_WRAP = INC_WRAP_I[ACC_W-1:0];         // mod 2**ACC_W
    localparam integer HALF_I = CORE_HZ / 3088000;
    localparam integer HALF_W = bits(HALF_I);
    localparam [HALF_W-1:0] HALF = (HALF_I < 1) ? 1 : HALF_I[HALF_W-1:0];
    localparam [1:0] GAP_M1 = (CORE_HZ >= 6176000) ? 2'd3 : 2'd1;     // GAP - 1

    initial begin
        if (CORE_HZ < 3088000)
            $error("t1_clock: CORE_HZ must be at least 3088000 (instance %m)");
    end

    reg  [ACC_W-1:0] acc_q;
    wire             wrap = (acc_q >= WRAP_AT);

    always @(posedge clk) begin
        acc_q   <= acc_q + (wrap ? INC_WRAP : INC);
        nco_stb <= wrap;
        if (rst) begin
            acc_q   <= {ACC_W{1'b0}};
            nco_stb <= 1'b0;
        end
    end

    wire line_stb = rx_clk_stb[src_span];
    wire raw_stb  = src_valid ? line_stb : nco_stb;

    reg       pend_q;
    reg [1:0] gap_q;                    // core clocks since the last tx_bit, saturating at GAP - 1
    reg [HALF_W-1:0] half_q;

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
            half_q <= HALF - 1'b1;
        end else if (half_q != {HALF_W{1'b0}}) begin
            half_q <= half_q - 1'b1;
        end else begin
            tx_clk <= 1'b1;
        end
        if (rst) begin
            tx_bit <= 1'b0;
            pend_q <= 1'b0;
            gap_q  <= 2'd0;
            tx_clk <= 1'b1;
            half_q <= {HALF_W{1'b0}};
        end
    end
endmodule // t1_clock

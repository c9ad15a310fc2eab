// t1_elastic.v - receive elastic stores of all spans (4 frames each) with controlled slips
//
// The framer writes each received octet of span s into frame buffer wp[s]; the
// engine reads timeslots of frame buffer rp[s], chosen at each sys_frame.  With 4
// buffers per span the distance wp - rp (mod 4) lives in 1..3 and is 2 after start
// or re-alignment, so up to a frame of wander either way passes without a slip.
// Controlled slips of one whole frame:
//   - a sys_frame would move rp onto the buffer being written: rp stays, the last
//     frame is read again (repeat);
//   - a completed received frame would move wp onto the buffer being read: wp stays,
//     the frame just received is overwritten (delete).
// The read uses the pointer as updated by this clock's sys_frame: the clock in which
// sys_frame is high already belongs to the new system frame.
// Slips only count while the span is in frame; out of frame the pointers follow the
// system timing and the engine reads 0xFF (idle ones) for the span.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_elastic #(
    parameter SPANS = 2,                // number of spans, 1..28
    parameter SPAN_W = 1                // width of a span index
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              sys_frame,
    input  wire [SPANS-1:0]  inframe,
    // writes from the receive framer
    input  wire              ew_v,
    input  wire [SPAN_W-1:0] ew_span,
    input  wire [4:0]        ew_ts,
    input  wire [7:0]        ew_data,
    input  wire              ew_fdone,
    // reads from the engine
    input  wire              rd_v,
    input  wire [SPAN_W-1:0] rd_span,
    input  wire [4:0]        rd_ts,
    output wire [7:0]        rd_data,   // one clock after rd_v
    // a slip happened (one clock pulse per slip)
    output reg  [SPANS-1:0]  slip_evt
);
    reg [2*SPANS-1:0] wp_q;
    reg [2*SPANS-1:0] rp_q;
    reg [2*SPANS-1:0] wp_d, rp_d;
    reg               rd_ok_q;
    wire [7:0]        ram_rd;

    ram_sdp #(.WIDTH(8), .DEPTH(1 << (SPAN_W + 7)), .AW(SPAN_W + 7)) buf_ram_I (
        .clk(clk),
        .wr_en(ew_v), .wr_addr({ew_span, wp_q[ew_span*2 +: 2], ew_ts}), .wr_data(ew_data),
        .rd_en(rd_v), .rd_addr({rd_span, rp_d[rd_span*2 +: 2], rd_ts}), .rd_data(ram_rd));

    always @(posedge clk)
        if (rd_v)
            rd_ok_q <= inframe[rd_span];

    assign rd_data = rd_ok_q ? ram_rd : 8'hFF;

    integer s;
    reg [1:0]         w, r;
    reg               fd;
    reg [SPANS-1:0]   slip_d;

    always @* begin
        wp_d   = wp_q;
        rp_d   = rp_q;
        slip_d = {SPANS{1'b0}};
        w = 2'd0; r = 2'd0; fd = 1'b0;
        for (s = 0; s < SPANS; s = s + 1) begin
            w  = wp_q[s*2 +: 2];
            r  = rp_q[s*2 +: 2];
            fd = ew_v && ew_fdone && (ew_span == s[SPAN_W-1:0]);
            if (!inframe[s]) begin
                if (sys_frame)
                    r = r + 2'd1;
                w = r + 2'd2;
            end else begin
                if (fd) begin
                    if (w + 2'd1 == r)
                        slip_d[s] = 1'b1;           // delete the frame just received
                    else
                        w = w + 2'd1;
                end
                if (sys_frame) begin
                    if (r + 2'd1 == w)
                        slip_d[s] = 1'b1;           // repeat the last frame
                    else
                        r = r + 2'd1;
                end
            end
            wp_d[s*2 +: 2] = w;
            rp_d[s*2 +: 2] = r;
        end
    end

    always @(posedge clk) begin
        wp_q     <= wp_d;
        rp_q     <= rp_d;
        slip_evt <= slip_d;
        if (rst) begin
            wp_q     <= {SPANS{2'd2}};
            rp_q     <= {(2*SPANS){1'b0}};
            slip_evt <= {SPANS{1'b0}};
        end
    end
endmodule // t1_elastic

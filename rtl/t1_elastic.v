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
// SHARED = 1 (the board: one 512x8 block RAM instead of two): the transmit
// framer's octet RAM (2 buffers x 32 timeslots per span, t1_tx_framer EXT_OCT) is
// the upper half of this RAM.  Port priorities: the engine's read (rd_v) and its
// transmit octet write (tx_we, the same clock) always go first; the transmit
// framer's scan reads (tx_re) only when rd_v is low (it stalls on rd_v: ox_busy),
// and a framer write that meets tx_we waits one clock in a holding register.  This
// needs rd_v / tx_we never high on two clocks in a row (engine VISIT_CLKS >= 2) and
// no framer writes in two clocks in a row (the framers write one octet per span and
// chunk); then no read comes between a held write and its RAM write.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_elastic #(
    parameter SPANS = 2,                // number of spans, 1..28
    parameter SPAN_W = 1,               // width of a span index
    parameter SHARED = 0                // 1: the transmit octet RAM shares this RAM (tx_*)
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
    output reg  [SPANS-1:0]  slip_evt,
    // SHARED = 1: the transmit framer's octet RAM (unused when SHARED = 0)
    input  wire              tx_we,
    input  wire [SPAN_W+5:0] tx_waddr,
    input  wire [7:0]        tx_wdata,
    input  wire              tx_re,     // never together with rd_v (the framer stalls)
    input  wire [SPAN_W+5:0] tx_raddr,
    output wire [7:0]        tx_rdata   // one clock after tx_re
);
    // pointers as two bit-vectors each (bit s = span s)
    reg [SPANS-1:0]   wp0_q, wp1_q, rp0_q, rp1_q;
    reg [SPANS-1:0]   inframe_q;
    reg               rd_ok_q;
    reg [7:0]         ram_rd;

    wire [1:0] wp_w = {wp1_q[ew_span], wp0_q[ew_span]};
    wire       fd = ew_v && ew_fdone;

    // the read buffer as updated by this clock's sys_frame
    function [1:0] rd_buf(input [1:0] r_in, input [1:0] w_in, input fd_here,
                          input sf, input inf);
        reg [1:0] r, w;
        begin
            r = r_in;
            w = w_in;
            if (fd_here && w + 2'd1 != r)
                w = w + 2'd1;
            if (sf && (!inf || r + 2'd1 != w))
                r = r + 2'd1;
            rd_buf = r;
        end
    endfunction

    // the frame buffers: one RAM, {span, buffer, ts}; the read address is computed
    // in the clocked block under rd_v (a simulator only evaluates it on a read)
    generate
        if (SHARED == 0) begin : sep
            (* no_rw_check *)
            reg [7:0] mem [0:(1 << (SPAN_W + 7)) - 1];
            always @(posedge clk) begin
                if (ew_v)
                    mem[{ew_span, wp_w, ew_ts}] <= ew_data;
                if (rd_v) begin
                    ram_rd  <= mem[{rd_span, rd_buf({rp1_q[rd_span], rp0_q[rd_span]},
                                                    {wp1_q[rd_span], wp0_q[rd_span]},
                                                    fd && ew_span == rd_span, sys_frame,
                                                    inframe[rd_span]), rd_ts}];
                    rd_ok_q <= inframe[rd_span];
                end
            end
            assign tx_rdata = 8'd0;
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_tx = &{1'b0, tx_we, tx_waddr, tx_wdata, tx_re, tx_raddr};
            /* verilator lint_on UNUSEDSIGNAL */
        end else begin : shr
            // {0, span, buffer, ts}: receive frames; {1, 0, span, tx buffer, ts}: transmit
            (* no_rw_check *)
            reg [7:0] mem [0:(1 << (SPAN_W + 8)) - 1];
            // a framer write that meets tx_we waits in a holding register for the
            // next clock (free: visits are >= 2 clocks apart, so no read of the RAM
            // can come before it is written)
            reg              hold_v;
            reg [SPAN_W+6:0] hold_a;
            reg [7:0]        hold_d;
            wire [SPAN_W+6:0] ew_a = {ew_span, wp_w, ew_ts};
            wire             w_en = tx_we || hold_v || ew_v;
            wire [SPAN_W+7:0] w_a = tx_we  ? {2'b10, tx_waddr} :
                                    hold_v ? {1'b0, hold_a} : {1'b0, ew_a};
            wire [7:0]       w_d = tx_we ? tx_wdata : hold_v ? hold_d : ew_data;
            always @(posedge clk) begin : port
                reg [SPAN_W+7:0] ra;
                if (w_en)
                    mem[w_a] <= w_d;
                if (ew_v && (tx_we || hold_v)) begin
                    hold_v <= 1'b1;
                    hold_a <= ew_a;
                    hold_d <= ew_data;
                end else if (!tx_we) begin
                    hold_v <= 1'b0;
                end
                ra = {2'b10, tx_raddr};
                if (rd_v)
                    ra = {1'b0, rd_span, rd_buf({rp1_q[rd_span], rp0_q[rd_span]},
                                                {wp1_q[rd_span], wp0_q[rd_span]},
                                                fd && ew_span == rd_span, sys_frame,
                                                inframe[rd_span]), rd_ts};
                if (rd_v || tx_re)
                    ram_rd <= mem[ra];
                if (rd_v)
                    rd_ok_q <= inframe[rd_span];
                if (rst)
                    hold_v <= 1'b0;
            end
            assign tx_rdata = ram_rd;
`ifndef SYNTHESIS
            // the port sharing's assumptions (file header), checked in simulation: a held
            // framer write is written before any engine read and is never overwritten
            always @(posedge clk)
                if (!rst && hold_v && (rd_v || (tx_we && ew_v)))
                    $error("t1_elastic: shared octet RAM port conflict: engine visits or framer writes too close (instance %m)");
`endif
        end
    endgenerate

    assign rd_data = rd_ok_q ? ram_rd : 8'hFF;

    // pointer updates only on events: a system frame (every span), a completed received
    // frame (one span), a span going out of frame (its wp follows rp + 2)
    integer s;
    always @(posedge clk) begin
        inframe_q <= inframe;
        slip_evt  <= {SPANS{1'b0}};
        if (sys_frame || inframe != inframe_q) begin : upd
            reg [1:0] w, r;
            for (s = 0; s < SPANS; s = s + 1) begin
                w = {wp1_q[s], wp0_q[s]};
                r = {rp1_q[s], rp0_q[s]};
                if (!inframe[s]) begin
                    if (sys_frame)
                        r = r + 2'd1;
                    w = r + 2'd2;
                end else begin
                    if (fd && ew_span == s[SPAN_W-1:0]) begin
                        if (w + 2'd1 == r)
                            slip_evt[s] <= 1'b1;    // delete the frame just received
                        else
                            w = w + 2'd1;
                    end
                    if (sys_frame) begin
                        if (r + 2'd1 == w)
                            slip_evt[s] <= 1'b1;    // repeat the last frame
                        else
                            r = r + 2'd1;
                    end
                end
                wp0_q[s] <= w[0];
                wp1_q[s] <= w[1];
                rp0_q[s] <= r[0];
                rp1_q[s] <= r[1];
            end
        end else if (fd && inframe[ew_span]) begin : upd1   // one span's frame completed
            reg [1:0] r;
            r = {rp1_q[ew_span], rp0_q[ew_span]};
            if (wp_w + 2'd1 == r)
                slip_evt[ew_span] <= 1'b1;                // delete the frame just received
            else
                {wp1_q[ew_span], wp0_q[ew_span]} <= wp_w + 2'd1;
        end
        if (rst) begin
            wp0_q     <= {SPANS{1'b0}};
            wp1_q     <= {SPANS{1'b1}};
            rp0_q     <= {SPANS{1'b0}};
            rp1_q     <= {SPANS{1'b0}};
            inframe_q <= {SPANS{1'b0}};
            slip_evt  <= {SPANS{1'b0}};
        end
    end
endmodule // t1_elastic

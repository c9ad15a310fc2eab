// t1_tx_framer.v - time-multiplexed T1 transmit framer for all spans (ANSI T1.403 ESF/SF)
//
// Every span transmits on the card's one transmit timing, so the frame position is
// common: tbit/tch/tfn count bits, chunks (chunk 0 = F bit + timeslot 1, 9 bits;
// chunks 1..23 = timeslots 2..24) and frames (0..23, the ESF superframe; SF uses it
// mod 12).  When a chunk starts (tx_load, all spans at once) a scan prepares the next
// chunk of every span, one span per clock, into the front ends' holding registers:
//
//   S0  read octet RAM[span, buffer, ts] and state RAM[span] (CRC-6)
//   S1  build the chunk: F bit (ESF: FDL / CRC-6 CB / FPS 001011; SF: Ft/Fs), RAI
//       (ESF: FDL 11111111 00000000; SF: bit 2 of every channel 0), AIS (all ones,
//       unframed), idle 0x7F when the span is shut down; CRC-6 over the bits with
//       the F bit taken as 1
//   S2  write the holding register and the state RAM
//
// Octet buffering: the engine writes octets of system frame k (oct_* port) into
// buffer k mod 2 while the scans of system frame k read buffer (k-1) mod 2.
// sys_frame is asserted when the scan for chunk 0 of a frame starts (one chunk before
// the frame goes out), so an octet written in system frame k is sent in frame k+1.
// A scan takes SPANS + 2 clocks and must end within one chunk (8 bit periods: 16
// core clocks at 3.088 MHz, 32 at 6.176 MHz): fine for the spans those clocks serve.
//
// EXT_OCT = 1 (the board): the octet RAM is outside (in t1_elastic's RAM, ox_*
// ports); the scan reads only in clocks without ox_busy (the engine's read of that
// RAM), so a scan takes up to 2 * SPANS + 2 clocks when visits are >= 2 clocks apart.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_tx_framer #(
    parameter SPANS = 2,                // number of spans, 1..28
    parameter SPAN_W = 1,               // width of a span index
    parameter EXT_OCT = 0               // 1: octet RAM outside (ox_* ports)
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                tx_bit,      // transmit bit strobe
    output wire                tx_load,     // with tx_bit: front ends start tx_hold
    output reg  [SPANS*9-1:0]  tx_hold,     // bit k of span s at [k*SPANS + s] (t1_tx_front)
    output reg                 sys_frame,
    // configuration and alarms
    input  wire [SPANS-1:0]    cfg_sf,
    input  wire [SPANS-1:0]    cfg_en,
    input  wire [SPANS-1:0]    cfg_ais,
    input  wire [SPANS-1:0]    rai_req,     // our receiver is out of frame: send RAI
    // octet port from the engine (writes only)
    input  wire                oct_we,
    input  wire [SPAN_W-1:0]   oct_span,
    input  wire [4:0]          oct_ts,
    input  wire [7:0]          oct_tx,
    // EXT_OCT = 1: the octet RAM's ports (outputs driven, inputs ignored when 0)
    output wire                ox_we,
    output wire [SPAN_W+5:0]   ox_waddr,
    output wire [7:0]          ox_wdata,
    output wire                ox_re,
    output wire [SPAN_W+5:0]   ox_raddr,
    input  wire [7:0]          ox_rdata,    // one clock after ox_re
    input  wire                ox_busy      // the RAM's read port is taken this clock
);
    localparam [11:0] SFPAT = 12'h3B1;  // frames 1..12 = 100011011100, frame 1 = bit 0
    localparam [5:0]  FPS = 6'b110100;  // FPS 001011, frame 4 = bit 0

    function [5:0] crc6_step(input [5:0] c, input b);
        begin
            crc6_step = {c[4:0], 1'b0} ^ ((b ^ c[5]) ? 6'h03 : 6'h00);
        end
    endfunction

    // ---------------------------------------------------------------- frame position
    // pch/pfn: chunk and frame being prepared (the scan after each tx_load builds it);
    // it goes out from the next tx_load on, when the one after it is prepared
    reg [3:0] tbit_q;                   // bit of the chunk going out
    reg       tc0_q;                    // the chunk going out is chunk 0 (9 bits)
    reg [4:0] pch_q, pfn_q;
    reg       par_q;                    // buffer the engine writes this system frame
    reg [3:0] fdlc_q;                   // FDL bit counter (RAI pattern / flag phase)
    reg [3:0] pfdl_q;                   // fdlc_q for the chunk being prepared

    wire last_bit = tc0_q ? (tbit_q == 4'd8) : (tbit_q == 4'd7);
    assign tx_load = tx_bit && last_bit;
    wire       pch_last = (pch_q == 5'd23);
    wire [4:0] nx_ch = pch_last ? 5'd0 : pch_q + 5'd1;                     // chunk to prepare
    wire [4:0] nx_fn = pch_last ? ((pfn_q == 5'd23) ? 5'd0 : pfn_q + 5'd1) : pfn_q;

    // scan
    reg               scan_q;
    reg [SPAN_W-1:0]  sidx_q;
    wire              scan_go = scan_q && !(EXT_OCT != 0 && ox_busy);    // reads this clock

    always @(posedge clk) begin
        sys_frame <= 1'b0;
        if (tx_bit)
            tbit_q <= last_bit ? 4'd0 : tbit_q + 4'd1;
        if (tx_load) begin
            tc0_q  <= (pch_q == 5'd0);
            scan_q <= 1'b1;
            sidx_q <= {SPAN_W{1'b0}};
            pch_q  <= nx_ch;
            pfn_q  <= nx_fn;
            pfdl_q <= fdlc_q;
            if (pch_last) begin
                sys_frame <= 1'b1;
                par_q     <= ~par_q;
                if (!nx_fn[0])
                    fdlc_q <= fdlc_q + 4'd1;
            end
        end else if (scan_go) begin
            sidx_q <= sidx_q + 1'b1;
            if (sidx_q == SPANS[SPAN_W-1:0] - 1'b1)
                scan_q <= 1'b0;
        end
        if (rst) begin
            tbit_q    <= 4'd0;
            tc0_q     <= 1'b1;
            pch_q     <= 5'd1;
            pfn_q     <= 5'd0;
            par_q     <= 1'b0;
            fdlc_q    <= 4'd0;
            scan_q    <= 1'b0;
            sidx_q    <= {SPAN_W{1'b0}};
            sys_frame <= 1'b0;
        end
    end

    // ---------------------------------------------------------------- RAMs
    // init: state RAM cleared after reset (tiny: one word per span)
    reg              init_q;
    reg [SPAN_W-1:0] init_cnt_q;
    always @(posedge clk) begin
        if (init_q) begin
            init_cnt_q <= init_cnt_q + 1'b1;
            if (&init_cnt_q)
                init_q <= 1'b0;
        end
        if (rst) begin
            init_q     <= 1'b1;
            init_cnt_q <= {SPAN_W{1'b0}};
        end
    end

    integer b;
    wire [7:0]  oct_rd;
    wire [11:0] st_rd;
    reg         s1_v, s2_v;
    reg [SPAN_W-1:0] s1_s, s2_s;
    reg [8:0]   s2_hold;
    reg [11:0]  s2_st;

    assign ox_we    = oct_we;
    assign ox_waddr = {oct_span, par_q, oct_ts};
    assign ox_wdata = oct_tx;
    assign ox_re    = scan_go;
    assign ox_raddr = {sidx_q, ~par_q, pch_q};
    generate
        if (EXT_OCT == 0) begin : int_oct
            ram_sdp #(.WIDTH(8), .DEPTH(1 << (SPAN_W + 6)), .AW(SPAN_W + 6)) oct_ram_I (
                .clk(clk),
                .wr_en(ox_we), .wr_addr(ox_waddr), .wr_data(ox_wdata),
                .rd_en(ox_re), .rd_addr(ox_raddr), .rd_data(oct_rd));
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_ox = &{1'b0, ox_rdata, ox_busy};
            /* verilator lint_on UNUSEDSIGNAL */
        end else begin : ext_oct
            assign oct_rd = ox_rdata;
        end
    endgenerate

    ram_sdp #(.WIDTH(12), .DEPTH(1 << (SPAN_W)), .AW(SPAN_W)) state_ram_I (
        .clk(clk),
        .wr_en(init_q || s2_v), .wr_addr(init_q ? init_cnt_q : s2_s),
        .wr_data(init_q ? 12'd0 : s2_st),
        .rd_en(scan_go), .rd_addr(sidx_q), .rd_data(st_rd));

    // ---------------------------------------------------------------- S1: build
    // (in a clocked block with the scan's valid bit as enable, so that a simulator
    // only evaluates it during the scan; pch/pfn/pfdl hold still during a scan)
    always @(posedge clk) begin
        s1_v   <= scan_go;
        s1_s   <= sidx_q;
        s2_v   <= s1_v;
        s2_s   <= s1_s;
        if (s1_v) begin : build
            reg        sfm, fbit, rai;
            reg [7:0]  oct;
            reg [5:0]  crc, crcp;
            reg [8:0]  hold;
            reg [3:0]  sfi;
            integer i;
            sfm  = cfg_sf[s1_s];
            sfi  = (pfn_q >= 5'd12) ? pfn_q[3:0] - 4'd12 : pfn_q[3:0];
            rai  = rai_req[s1_s] && cfg_en[s1_s];
            crc  = st_rd[11:6];
            crcp = st_rd[5:0];
            oct  = cfg_en[s1_s] ? oct_rd : 8'h7F;
            if (sfm && rai)
                oct[6] = 1'b0;                              // SF RAI: bit 2 = 0
            if (sfm)
                fbit = SFPAT[sfi];
            else if (!pfn_q[0])                             // FDL: RAI pattern or HDLC flags
                fbit = rai ? ~pfdl_q[3] : (pfdl_q[2:0] != 3'd0 && pfdl_q[2:0] != 3'd7);
            else if (pfn_q[1:0] == 2'd1)                    // CB1..CB6: CRC-6 of last superframe
                fbit = crcp[3'd5 - pfn_q[4:2]];
            else
                fbit = FPS[pfn_q[4:2]];
            if (pch_q == 5'd0) begin
                if (pfn_q == 5'd0) begin
                    crcp = crc;
                    crc  = 6'd0;
                end
                crc  = crc6_step(crc, 1'b1);
                hold = {fbit, oct};
            end else begin
                hold = {oct, 1'b0};
            end
            for (i = 7; i >= 0; i = i - 1)
                crc = crc6_step(crc, oct[i]);
            if (cfg_ais[s1_s] && cfg_en[s1_s])
                hold = 9'h1FF;
            s2_hold <= hold;
            s2_st   <= {crc, crcp};
        end
        if (s2_v)
            for (b = 0; b < 9; b = b + 1)
                tx_hold[b*SPANS + {{(32 - SPAN_W){1'b0}}, s2_s}] <= s2_hold[b];
        if (rst) begin
            s1_v    <= 1'b0;
            s2_v    <= 1'b0;
            tx_hold <= {(SPANS*9){1'b1}};
        end
    end
endmodule // t1_tx_framer

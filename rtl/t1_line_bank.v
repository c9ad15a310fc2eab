// t1_line_bank.v - the card's T1 line side: SPANS spans of LIU interface, line code,
// framers (ESF/SF, ANSI T1.403), alarms, counters, elastic stores and the octet port
//
// Everything runs in the one core clock domain (clk) on clock enables; see
// docs/rtl-line.md for the architecture, the clocking and the alarm criteria.
//
// Per span (logic that grows with SPANS): RCLK/RPOS/RNEG synchroniser, B8ZS/AMI
// decoder, 8-bit chunk collector (t1_rx_front); 9-bit serialiser and B8ZS/AMI
// encoder (t1_tx_front); CONFIG and status registers.  Shared (state in RAM):
// receive framer (t1_rx_framer), transmit framer (t1_tx_framer), elastic stores
// (t1_elastic), counters.  One transmit timing for the card (t1_clock).
//
// CSR map (word addresses, addr[15:12] == 1), span = addr[8:4], reg = addr[3:0]:
//   0 CONFIG RW  [1:0] framing 0 ESF / 1 SF; [3:2] line code 0 B8ZS / 1 AMI;
//                [5:4] clock source 0 internal / 1 line primary / 2 line secondary;
//                [8] enable; [9] transmit AIS; [10] local loop.  Reset: 0x100
//                (ESF, B8ZS, internal, enabled).
//   1 STATUS RO  [3:0] LOS=1 LOF=2 AIS=4 RAI=8; [4] in frame.  Reading clears
//                span_event[span].
//   2 BPV  3 EXZ  4 CRC6  5 FBIT  6 SLIPS  7 LOF_COUNT   RO 32-bit counters
//   8 FDL  RO  [15:0] the 16 latest ESF FDL bits, newest in bit 0
// Counters lag the line by at most 64 bits; reads of other addresses return 0.
//
// Octet port: between two sys_frame strobes the engine visits each (span, ts) once:
// oct_tx is sent in the next frame, oct_rx (one clock later) is the octet of that
// timeslot from the frame the elastic store hands out this system frame (0xFF while
// the span is out of frame).
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_line_bank #(
    parameter SPANS = 2,            // 1..28
    parameter SPAN_W = 1,           // clog2 width of a span index, >= 1 (given explicitly)
    parameter CORE_HZ = 6176000     // core clock in Hz: 3088000 (2x T1, simulation) .. 60000000
) (
    input  wire [SPANS-1:0] liu_rpos, input wire [SPANS-1:0] liu_rneg, input wire [SPANS-1:0] liu_rclk,
    output wire [SPANS-1:0] liu_tpos, output wire [SPANS-1:0] liu_tneg, output wire [SPANS-1:0] liu_tclk,
    output wire              sys_frame,   // 1-clk strobe: a new 125 us system frame starts
    input  wire              oct_valid,   // the engine visits (oct_span, oct_ts) this clock
    input  wire [SPAN_W-1:0] oct_span,
    input  wire [4:0]        oct_ts,      // 0..23 = timeslots 1..24
    input  wire [7:0]        oct_tx,      // octet to transmit in that timeslot in the next frame
    output wire [7:0]        oct_rx,      // received octet of that timeslot, valid 1 clk after oct_valid
    input  wire        bus_we, input wire bus_re, input wire [15:0] bus_addr, input wire [31:0] bus_wdata,
    output wire [31:0] bus_rdata,          // valid 1 clk after bus_re (0 when not addressed)
    output wire [SPANS-1:0] span_event,    // level: the span's alarms/in_frame changed since STATUS was last read
    input  wire clk, input wire rst);

    initial begin
        if (SPANS < 1 || SPANS > 28 || SPAN_W < 1 || (1 << SPAN_W) < SPANS)
            $error("t1_line_bank: need 1 <= SPANS <= 28, SPAN_W >= 1, 2**SPAN_W >= SPANS (instance %m)");
        // the receive framer visits one span every 2 clocks and must see each span's
        // 8-bit chunk within 8 bit periods: 3.088 MHz (2x the T1 rate) serves up to 6
        // spans, 6.176 MHz up to 14, 28 spans need >= 12.352 MHz (8x the T1 rate)
        if ((2 * SPANS + 4) * 1544000 > 8 * CORE_HZ)
            $error("t1_line_bank: CORE_HZ too low for SPANS (instance %m)");
    end

    // ---------------------------------------------------------------- CSR: CONFIG
    reg  [11*SPANS-1:0] cfg_q;
    wire               bus_sel = (bus_addr[15:12] == 4'h1) && (bus_addr[11:9] == 3'd0) &&
                                 ({27'd0, bus_addr[8:4]} < SPANS);
    wire [SPAN_W-1:0]  bus_span = bus_addr[4 +: SPAN_W];
    wire [3:0]         bus_reg = bus_addr[3:0];

    wire [SPANS-1:0] cfg_sf, cfg_ami, cfg_en, cfg_ais, cfg_loop;
    wire [2*SPANS-1:0] cfg_clk;
    genvar g;
    generate
        for (g = 0; g < SPANS; g = g + 1) begin : g_cfg
            assign cfg_sf[g]   = cfg_q[g*11 + 0];
            assign cfg_ami[g]  = cfg_q[g*11 + 2];
            assign cfg_clk[g*2 +: 2] = cfg_q[g*11 + 4 +: 2];
            assign cfg_en[g]   = cfg_q[g*11 + 8];
            assign cfg_ais[g]  = cfg_q[g*11 + 9];
            assign cfg_loop[g] = cfg_q[g*11 + 10];
        end
    endgenerate

    always @(posedge clk) begin
        if (bus_we && bus_sel && bus_reg == 4'd0)
            cfg_q[bus_span*11 +: 11] <= {bus_wdata[10:8], 2'b00, bus_wdata[5:0]};
        if (rst)
            cfg_q <= {SPANS{11'h100}};
    end

    // ---------------------------------------------------------------- timing
    wire nco_stb, tx_bit, tx_clk, tx_load;
    wire [SPANS-1:0] rx_clk_stb;
    wire [SPANS-1:0] st_los, st_ais, st_rai, st_inframe;
    wire [SPANS*9-1:0] tx_hold;

    // clock source: the lowest enabled span set to "line primary" without LOS/LOF/AIS,
    // else the lowest such "line secondary", else internal
    reg               src_valid;
    reg  [SPAN_W-1:0] src_span;
    integer s;
    always @* begin
        src_valid = 1'b0;
        src_span  = {SPAN_W{1'b0}};
        for (s = SPANS - 1; s >= 0; s = s - 1)
            if (cfg_en[s] && cfg_clk[s*2 +: 2] == 2'd2 && st_inframe[s] && !st_ais[s]) begin
                src_valid = 1'b1;
                src_span  = s[SPAN_W-1:0];
            end
        for (s = SPANS - 1; s >= 0; s = s - 1)
            if (cfg_en[s] && cfg_clk[s*2 +: 2] == 2'd1 && st_inframe[s] && !st_ais[s]) begin
                src_valid = 1'b1;
                src_span  = s[SPAN_W-1:0];
            end
    end

    t1_clock #(.SPANS(SPANS), .SPAN_W(SPAN_W), .CORE_HZ(CORE_HZ)) clock_I (
        .clk(clk), .rst(rst), .rx_clk_stb(rx_clk_stb), .src_valid(src_valid),
        .src_span(src_span), .nco_stb(nco_stb), .tx_bit(tx_bit), .tx_clk(tx_clk));

    // ---------------------------------------------------------------- per-span fronts
    wire [SPANS-1:0]   ck_rdy, ck_ack, ck_exz;
    wire [SPANS*8-1:0] ck_data, ck_pulse;
    wire [SPANS*4-1:0] ck_bpv;

    generate
        for (g = 0; g < SPANS; g = g + 1) begin : g_span
            wire rpos = cfg_loop[g] ? liu_tpos[g] : liu_rpos[g];
            wire rneg = cfg_loop[g] ? liu_tneg[g] : liu_rneg[g];
            wire rclk = cfg_loop[g] ? tx_clk : liu_rclk[g];

            t1_rx_front rx_front_I (
                .clk(clk), .rst(rst),
                .liu_rpos(rpos), .liu_rneg(rneg), .liu_rclk(rclk),
                .cfg_b8zs(!cfg_ami[g]), .nco_stb(nco_stb), .rx_clk_stb(rx_clk_stb[g]),
                .chunk_rdy(ck_rdy[g]), .chunk_ack(ck_ack[g]),
                .chunk_data(ck_data[g*8 +: 8]), .chunk_pulse(ck_pulse[g*8 +: 8]),
                .chunk_bpv(ck_bpv[g*4 +: 4]), .chunk_exz(ck_exz[g]));

            t1_tx_front tx_front_I (
                .clk(clk), .rst(rst), .tx_bit(tx_bit), .tx_load(tx_load),
                .tx_hold(tx_hold[g*9 +: 9]), .cfg_b8zs(!cfg_ami[g]),
                .liu_tpos(liu_tpos[g]), .liu_tneg(liu_tneg[g]));

            assign liu_tclk[g] = tx_clk;
        end
    endgenerate

    // ---------------------------------------------------------------- framers
    wire              ew_v, ew_fdone;
    wire [SPAN_W-1:0] ew_span;
    wire [4:0]        ew_ts;
    wire [7:0]        ew_data;
    wire [SPANS-1:0]  slip_evt;
    wire [31:0]       cnt_rdata;
    wire              cnt_re = bus_re && bus_sel && bus_reg >= 4'd2 && bus_reg <= 4'd8;
    wire [3:0]        cnt_reg = bus_reg - 4'd2;

    t1_rx_framer #(.SPANS(SPANS), .SPAN_W(SPAN_W)) rx_framer_I (
        .clk(clk), .rst(rst),
        .ck_rdy(ck_rdy), .ck_ack(ck_ack), .ck_data(ck_data), .ck_pulse(ck_pulse),
        .ck_bpv(ck_bpv), .ck_exz(ck_exz), .cfg_sf(cfg_sf), .cfg_en(cfg_en),
        .slip_evt(slip_evt),
        .ew_v(ew_v), .ew_span(ew_span), .ew_ts(ew_ts), .ew_data(ew_data), .ew_fdone(ew_fdone),
        .st_los(st_los), .st_ais(st_ais), .st_rai(st_rai), .st_inframe(st_inframe),
        .br_re(cnt_re), .br_span(bus_span), .br_idx(cnt_reg[2:0]), .br_data(cnt_rdata));

    t1_tx_framer #(.SPANS(SPANS), .SPAN_W(SPAN_W)) tx_framer_I (
        .clk(clk), .rst(rst), .tx_bit(tx_bit), .tx_load(tx_load), .tx_hold(tx_hold),
        .sys_frame(sys_frame), .cfg_sf(cfg_sf), .cfg_en(cfg_en), .cfg_ais(cfg_ais),
        .rai_req(~st_inframe),
        .oct_we(oct_valid), .oct_span(oct_span), .oct_ts(oct_ts), .oct_tx(oct_tx));

    t1_elastic #(.SPANS(SPANS), .SPAN_W(SPAN_W)) elastic_I (
        .clk(clk), .rst(rst), .sys_frame(sys_frame), .inframe(st_inframe),
        .ew_v(ew_v), .ew_span(ew_span), .ew_ts(ew_ts), .ew_data(ew_data), .ew_fdone(ew_fdone),
        .rd_v(oct_valid), .rd_span(oct_span), .rd_ts(oct_ts), .rd_data(oct_rx),
        .slip_evt(slip_evt));

    // ---------------------------------------------------------------- status, events, bus read
    wire [5*SPANS-1:0] status_now;
    reg  [5*SPANS-1:0] status_q;
    reg  [SPANS-1:0]   event_q;
    generate
        for (g = 0; g < SPANS; g = g + 1) begin : g_status
            assign status_now[g*5 +: 5] = {st_inframe[g], st_rai[g], st_ais[g],
                                           cfg_en[g] && !st_inframe[g], st_los[g]};
        end
    endgenerate

    wire status_rd = bus_re && bus_sel && bus_reg == 4'd1;
    always @(posedge clk) begin
        status_q <= status_now;
        for (s = 0; s < SPANS; s = s + 1) begin
            if (status_rd && bus_span == s[SPAN_W-1:0])
                event_q[s] <= 1'b0;
            if (status_now[s*5 +: 5] != status_q[s*5 +: 5])
                event_q[s] <= 1'b1;
        end
        if (rst) begin
            status_q <= {SPANS{5'b00010}};
            event_q  <= {SPANS{1'b0}};
        end
    end
    assign span_event = event_q;

    reg [1:0]  rsel_q;                      // 0 none, 1 register value, 2 counter RAM
    reg [31:0] rval_q;
    always @(posedge clk) begin
        rsel_q <= 2'd0;
        if (bus_re && bus_sel) begin
            if (bus_reg == 4'd0) begin
                rsel_q <= 2'd1;
                rval_q <= {21'd0, cfg_q[bus_span*11 +: 11]};
            end else if (bus_reg == 4'd1) begin
                rsel_q <= 2'd1;
                rval_q <= {27'd0, status_now[bus_span*5 +: 5]};
            end else if (cnt_re) begin
                rsel_q <= 2'd2;
            end
        end
        if (rst)
            rsel_q <= 2'd0;
    end
    assign bus_rdata = (rsel_q == 2'd1) ? rval_q : (rsel_q == 2'd2) ? cnt_rdata : 32'd0;

    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ok = &{1'b0, bus_wdata[31:11], bus_wdata[7:6], cnt_reg[3]};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule // t1_line_bank

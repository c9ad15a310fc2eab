// t1_line_bank.v - the card's T1 line side: SPANS spans of LIU interface, line code,
// framers (ESF/SF, ANSI T1.403), alarms, counters, elastic stores and the octet port
//
// Everything runs in the one core clock domain (clk) on clock enables; see
// docs/rtl-line.md for the architecture, the clocking and the alarm criteria.
//
// Per span (logic that grows with SPANS, bit-sliced: one vector bit per span):
// RCLK/RPOS/RNEG synchroniser, B8ZS/AMI decoder, 8-bit chunk collector
// (t1_rx_front); 9-bit serialiser and B8ZS/AMI encoder (t1_tx_front); CONFIG and
// status registers (one vector per bit).  Shared (state in RAM):
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
    parameter CORE_HZ = 6176000,    // core clock in Hz: 3088000 (2x T1, simulation) .. 60000000
    parameter VISIT_CLKS = 1        // >= clocks between two oct_valid (the engine's VISIT_CLKS)
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
    // (one vector per CONFIG bit, bit s = span s: whole-vector updates, no per-span
    // logic that a simulator would evaluate on every clock)
    wire               bus_sel = (bus_addr[15:12] == 4'h1) && (bus_addr[11:9] == 3'd0) &&
                                 ({27'd0, bus_addr[8:4]} < SPANS);
    wire [SPAN_W-1:0]  bus_span = bus_addr[4 +: SPAN_W];
    wire [3:0]         bus_reg = bus_addr[3:0];
    wire [SPANS-1:0]   bus_one = {{(SPANS - 1){1'b0}}, 1'b1} << bus_span;   // one-hot span

    reg  [SPANS-1:0] cfg_sf, cfg_frm1, cfg_ami, cfg_lc1, cfg_clk0, cfg_clk1;
    reg  [SPANS-1:0] cfg_en, cfg_ais, cfg_loop;
    integer s;

    always @(posedge clk) begin
        if (bus_we && bus_sel && bus_reg == 4'd0) begin
            cfg_sf   <= (cfg_sf   & ~bus_one) | (bus_one & {SPANS{bus_wdata[0]}});
            cfg_frm1 <= (cfg_frm1 & ~bus_one) | (bus_one & {SPANS{bus_wdata[1]}});
            cfg_ami  <= (cfg_ami  & ~bus_one) | (bus_one & {SPANS{bus_wdata[2]}});
            cfg_lc1  <= (cfg_lc1  & ~bus_one) | (bus_one & {SPANS{bus_wdata[3]}});
            cfg_clk0 <= (cfg_clk0 & ~bus_one) | (bus_one & {SPANS{bus_wdata[4]}});
            cfg_clk1 <= (cfg_clk1 & ~bus_one) | (bus_one & {SPANS{bus_wdata[5]}});
            cfg_en   <= (cfg_en   & ~bus_one) | (bus_one & {SPANS{bus_wdata[8]}});
            cfg_ais  <= (cfg_ais  & ~bus_one) | (bus_one & {SPANS{bus_wdata[9]}});
            cfg_loop <= (cfg_loop & ~bus_one) | (bus_one & {SPANS{bus_wdata[10]}});
        end
        if (rst) begin
            cfg_sf   <= {SPANS{1'b0}};
            cfg_frm1 <= {SPANS{1'b0}};
            cfg_ami  <= {SPANS{1'b0}};
            cfg_lc1  <= {SPANS{1'b0}};
            cfg_clk0 <= {SPANS{1'b0}};
            cfg_clk1 <= {SPANS{1'b0}};
            cfg_en   <= {SPANS{1'b1}};
            cfg_ais  <= {SPANS{1'b0}};
            cfg_loop <= {SPANS{1'b0}};
        end
    end

    // ---------------------------------------------------------------- timing
    wire nco_stb, tx_bit, tx_clk, tx_load;
    wire [SPANS-1:0] rx_clk_stb;
    wire [SPANS-1:0] st_los, st_ais, st_rai, st_inframe;
    wire [SPANS*9-1:0] tx_hold;

    // clock source: the lowest enabled span set to "line primary" without LOS/LOF/AIS,
    // else the lowest such "line secondary", else internal (registered: chosen anew
    // only when the candidates change, one clock later)
    reg               src_valid;
    reg  [SPAN_W-1:0] src_span;
    reg  [2*SPANS-1:0] src_cand_q;          // the candidates last chosen from
    wire [SPANS-1:0]  src_ok = cfg_en & st_inframe & ~st_ais;
    wire [2*SPANS-1:0] src_cand = {src_ok & cfg_clk1 & ~cfg_clk0, src_ok & ~cfg_clk1 & cfg_clk0};
    always @(posedge clk) begin
        if (src_cand != src_cand_q) begin : choose
            reg               v;
            reg  [SPAN_W-1:0] sp;
            v  = 1'b0;
            sp = {SPAN_W{1'b0}};
            for (s = SPANS - 1; s >= 0; s = s - 1)
                if (src_cand[SPANS + s]) begin      // secondary
                    v  = 1'b1;
                    sp = s[SPAN_W-1:0];
                end
            for (s = SPANS - 1; s >= 0; s = s - 1)
                if (src_cand[s]) begin              // primary
                    v  = 1'b1;
                    sp = s[SPAN_W-1:0];
                end
            src_valid  <= v;
            src_span   <= sp;
            src_cand_q <= src_cand;
        end
        if (rst) begin
            src_valid  <= 1'b0;
            src_span   <= {SPAN_W{1'b0}};
            src_cand_q <= {(2*SPANS){1'b0}};
        end
    end

    t1_clock #(.SPANS(SPANS), .SPAN_W(SPAN_W), .CORE_HZ(CORE_HZ)) clock_I (
        .clk(clk), .rst(rst), .rx_clk_stb(rx_clk_stb), .src_valid(src_valid),
        .src_span(src_span), .nco_stb(nco_stb), .tx_bit(tx_bit), .tx_clk(tx_clk));

    // ---------------------------------------------------------------- fronts (all spans)
    wire [SPANS-1:0]   ck_rdy, ck_ack, ck_exz;
    wire [SPANS*8-1:0] ck_data, ck_pulse;
    wire [SPANS*4-1:0] ck_bpv;

    // local loop: a span's transmit pins feed its receiver (whole vectors)
    wire [SPANS-1:0] rx_pos = (cfg_loop & liu_tpos) | (~cfg_loop & liu_rpos);
    wire [SPANS-1:0] rx_neg = (cfg_loop & liu_tneg) | (~cfg_loop & liu_rneg);
    wire [SPANS-1:0] rx_clk = (cfg_loop & {SPANS{tx_clk}}) | (~cfg_loop & liu_rclk);

    t1_rx_front #(.SPANS(SPANS)) rx_front_I (
        .clk(clk), .rst(rst),
        .liu_rpos(rx_pos), .liu_rneg(rx_neg), .liu_rclk(rx_clk),
        .cfg_b8zs(~cfg_ami), .nco_stb(nco_stb), .rx_clk_stb(rx_clk_stb),
        .chunk_rdy(ck_rdy), .chunk_ack(ck_ack), .chunk_data(ck_data), .chunk_pulse(ck_pulse),
        .chunk_bpv(ck_bpv), .chunk_exz(ck_exz));

    t1_tx_front #(.SPANS(SPANS)) tx_front_I (
        .clk(clk), .rst(rst), .tx_bit(tx_bit), .tx_load(tx_load),
        .tx_hold(tx_hold), .cfg_b8zs(~cfg_ami),
        .liu_tpos(liu_tpos), .liu_tneg(liu_tneg));
    assign liu_tclk = {SPANS{tx_clk}};

    // ---------------------------------------------------------------- framers
    wire              ew_v, ew_fdone;
    wire [SPAN_W-1:0] ew_span;
    wire [4:0]        ew_ts;
    wire [7:0]        ew_data;
    wire [SPANS-1:0]  slip_evt;
    wire [31:0]       cnt_rdata;
    wire              cnt_re = bus_re && bus_sel && bus_reg >= 4'd2 && bus_reg <= 4'd8;
    wire [3:0]        cnt_reg = bus_reg - 4'd2;

    // the receive framer one bit per clock (state words in a block RAM) when the core
    // clock leaves ~40 clocks per span and chunk (the board); else the 2-clock pipeline,
    // with its hunt memory one bit per clock when a visit may take 11 clocks (see
    // docs/rtl-line.md "Framing")
    localparam RX_SERIAL = ((40 * SPANS + 8) * 1544000 <= 8 * CORE_HZ) ? 1 : 0;
    localparam HUNT_SERIAL = ((11 * SPANS + 6) * 1544000 <= 8 * CORE_HZ) ? 1 : 0;
    t1_rx_framer #(.SPANS(SPANS), .SPAN_W(SPAN_W), .SERIAL(RX_SERIAL), .HUNT_SERIAL(HUNT_SERIAL)) rx_framer_I (
        .clk(clk), .rst(rst),
        .ck_rdy(ck_rdy), .ck_ack(ck_ack), .ck_data(ck_data), .ck_pulse(ck_pulse),
        .ck_bpv(ck_bpv), .ck_exz(ck_exz), .cfg_sf(cfg_sf), .cfg_en(cfg_en),
        .slip_evt(slip_evt),
        .ew_v(ew_v), .ew_span(ew_span), .ew_ts(ew_ts), .ew_data(ew_data), .ew_fdone(ew_fdone),
        .st_los(st_los), .st_ais(st_ais), .st_rai(st_rai), .st_inframe(st_inframe),
        .br_re(cnt_re), .br_span(bus_span), .br_idx(cnt_reg[2:0]), .br_data(cnt_rdata));

    // the transmit octet RAM inside the elastic store's RAM (one 512x8 block RAM for
    // both) when the engine's visits are >= 2 clocks apart and there are 2 spans (the
    // board); else two RAMs (see docs/rtl-line.md "Octet RAMs")
    localparam OCT_SHARED = (VISIT_CLKS >= 2 && SPAN_W == 1) ? 1 : 0;
    wire              ox_we, ox_re;
    wire [SPAN_W+5:0] ox_waddr, ox_raddr;
    wire [7:0]        ox_wdata, ox_rdata;

    t1_tx_framer #(.SPANS(SPANS), .SPAN_W(SPAN_W), .EXT_OCT(OCT_SHARED)) tx_framer_I (
        .clk(clk), .rst(rst), .tx_bit(tx_bit), .tx_load(tx_load), .tx_hold(tx_hold),
        .sys_frame(sys_frame), .cfg_sf(cfg_sf), .cfg_en(cfg_en), .cfg_ais(cfg_ais),
        .rai_req(~st_inframe),
        .oct_we(oct_valid), .oct_span(oct_span), .oct_ts(oct_ts), .oct_tx(oct_tx),
        .ox_we(ox_we), .ox_waddr(ox_waddr), .ox_wdata(ox_wdata), .ox_re(ox_re),
        .ox_raddr(ox_raddr), .ox_rdata(ox_rdata), .ox_busy(oct_valid));

    t1_elastic #(.SPANS(SPANS), .SPAN_W(SPAN_W), .SHARED(OCT_SHARED)) elastic_I (
        .clk(clk), .rst(rst), .sys_frame(sys_frame), .inframe(st_inframe),
        .ew_v(ew_v), .ew_span(ew_span), .ew_ts(ew_ts), .ew_data(ew_data), .ew_fdone(ew_fdone),
        .rd_v(oct_valid), .rd_span(oct_span), .rd_ts(oct_ts), .rd_data(oct_rx),
        .slip_evt(slip_evt),
        .tx_we(ox_we), .tx_waddr(ox_waddr), .tx_wdata(ox_wdata), .tx_re(ox_re),
        .tx_raddr(ox_raddr), .tx_rdata(ox_rdata));

    // ---------------------------------------------------------------- status, events, bus read
    // STATUS bits as vectors: LOS, LOF (enabled and not in frame), AIS, RAI, in frame
    wire [SPANS-1:0] st_lof = cfg_en & ~st_inframe;
    reg  [SPANS-1:0] los_q, lof_q, ais_q, rai_q, if_q;
    reg  [SPANS-1:0] event_q;
    wire status_rd = bus_re && bus_sel && bus_reg == 4'd1;
    always @(posedge clk) begin
        los_q <= st_los;
        lof_q <= st_lof;
        ais_q <= st_ais;
        rai_q <= st_rai;
        if_q  <= st_inframe;
        event_q <= (event_q & ~(status_rd ? bus_one : {SPANS{1'b0}})) |
                   (st_los ^ los_q) | (st_lof ^ lof_q) | (st_ais ^ ais_q) |
                   (st_rai ^ rai_q) | (st_inframe ^ if_q);
        if (rst) begin
            los_q   <= {SPANS{1'b0}};
            lof_q   <= {SPANS{1'b1}};
            ais_q   <= {SPANS{1'b0}};
            rai_q   <= {SPANS{1'b0}};
            if_q    <= {SPANS{1'b0}};
            event_q <= {SPANS{1'b0}};
        end
    end
    assign span_event = event_q;

    // CONFIG or STATUS of the addressed span (bit selects only on a read); rval_q is 0
    // unless the last clock read one of them
    reg        rcnt_q;                      // the last clock read a counter
    reg [10:0] rval_q;
    always @(posedge clk) begin
        rcnt_q <= cnt_re;
        rval_q <= 11'd0;
        if (bus_re && bus_sel && bus_reg[3:1] == 3'd0) begin
            if (bus_reg[0])
                rval_q <= {6'd0, st_inframe[bus_span], st_rai[bus_span], st_ais[bus_span],
                           st_lof[bus_span], st_los[bus_span]};
            else
                rval_q <= {cfg_loop[bus_span], cfg_ais[bus_span], cfg_en[bus_span], 2'b00,
                           cfg_clk1[bus_span], cfg_clk0[bus_span], cfg_lc1[bus_span],
                           cfg_ami[bus_span], cfg_frm1[bus_span], cfg_sf[bus_span]};
        end
        if (rst) begin
            rcnt_q <= 1'b0;
            rval_q <= 11'd0;
        end
    end
    assign bus_rdata = {21'd0, rval_q} | (rcnt_q ? cnt_rdata : 32'd0);

    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ok = &{1'b0, bus_wdata[31:11], bus_wdata[7:6], cnt_reg[3]};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule // t1_line_bank

// t1_rx_framer.v - time-multiplexed T1 receive framer for all spans (ANSI T1.403 ESF/SF)
//
// One pipeline serves every span.  Each span's front end (t1_rx_front) delivers 8
// received bits at a time (a "chunk", not octet aligned); every second clock a scan
// pointer visits the next span and, when its chunk is ready, the pipeline reads the
// span's state word from RAM, processes the 8 bits and writes the state back:
//
//   A  (even clock) scan: take span p's chunk (chunk_ack)
//   B  (odd)  read state RAM[p] (read again on the next clock, same address)
//   C1 (even) F-bit position, CRC-6 candidates, octet, search mask -> q_* registers
//   C2 (odd)  decisions, write the state RAM
//   D  elastic-store write, status registers; read counter RAM
//   E  counter RAM += delta
//
// A span must be visited within 8 bit periods: 2*SPANS + 4 clocks <= 8 bit periods
// (t1_line_bank checks CORE_HZ against SPANS).
// Per chunk there is at most one F bit (193 > 8) and at most one completed octet.
// Framing (state per span):
//   SEARCH  one candidate F-bit position; a mask of the 24 (ESF) or 12 (SF) frame
//           phases still consistent with the F bits seen there (ESF: FPS 001011 in
//           frames 4,8,..,24; SF: Ft 101010 / Fs 001110 interleaved).  Mask empty ->
//           the candidate moves one bit; one phase left -> VERIFY.
//   VERIFY  ESF: every FPS bit right until one CRC-6 check (needs a whole superframe
//           aligned: 5.6..8.6 ms) matches; SF: 16 F bits right (1.3 superframes).
//           Then IN_FRAME, else SEARCH one bit further on.  (The search alone can
//           end on a data bit whose random values left one phase standing.)
//   IN_FRAME framing-pattern bit errors are counted (FBIT); 2 errors among 4
//           consecutive pattern bits (the OOF criterion of ANSI T1.231) -> SEARCH
//           at the same position, LOF_COUNT + 1.  ESF: CRC-6 (x^6+x+1 over the
//           superframe with F bits taken as 1) is compared with the CB bits of the
//           next superframe (CRC6 counter); FDL bits are kept (16 latest).
// Alarms (see docs/rtl-line.md for the criteria and their sources): LOS, AIS, RAI;
// LOF is simply "not IN_FRAME".
// Counters: the span's state holds small deltas; each visit adds one delta into the
// span's 32-bit counter RAM (round robin over 8 slots: BPV, EXZ, CRC6, FBIT, SLIPS,
// LOF, FDL copy, spare), so a counter is at most 8 visits (64 bits) behind.  A second
// copy of that RAM answers the bus.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_rx_framer #(
    parameter SPANS = 2,                    // number of spans, 1..28
    parameter SPAN_W = 1                    // width of a span index, clog2(SPANS) >= 1
) (
    input  wire                clk,
    input  wire                rst,
    // chunks from the front ends
    input  wire [SPANS-1:0]    ck_rdy,
    output wire [SPANS-1:0]    ck_ack,
    input  wire [SPANS*8-1:0]  ck_data,
    input  wire [SPANS*8-1:0]  ck_pulse,
    input  wire [SPANS*4-1:0]  ck_bpv,
    input  wire [SPANS-1:0]    ck_exz,
    // configuration
    input  wire [SPANS-1:0]    cfg_sf,      // 1 = SF (D4), 0 = ESF
    input  wire [SPANS-1:0]    cfg_en,
    // slip events from the elastic store
    input  wire [SPANS-1:0]    slip_evt,
    // received octets to the elastic store
    output reg                 ew_v,
    output reg  [SPAN_W-1:0]   ew_span,
    output reg  [4:0]          ew_ts,
    output reg  [7:0]          ew_data,
    output reg                 ew_fdone,    // this was timeslot 24: a frame is complete
    // status
    output reg  [SPANS-1:0]    st_los,
    output reg  [SPANS-1:0]    st_ais,
    output reg  [SPANS-1:0]    st_rai,
    output reg  [SPANS-1:0]    st_inframe,
    // counter read port (bus): idx 0 BPV 1 EXZ 2 CRC6 3 FBIT 4 SLIPS 5 LOF 6 FDL
    input  wire                br_re,
    input  wire [SPAN_W-1:0]   br_span,
    input  wire [2:0]          br_idx,
    output wire [31:0]         br_data
);
    initial begin
        if (SPANS < 1 || SPANS > 28 || (1 << SPAN_W) < SPANS)
            $error("t1_rx_framer: need 1 <= SPANS <= 28 and 2**SPAN_W >= SPANS (instance %m)");
    end

    localparam [1:0] ST_SEARCH = 2'd0;      // looking for the framing pattern
    localparam [1:0] ST_VERIFY = 2'd1;      // one phase left: confirm it
    localparam [1:0] ST_INFRAME = 2'd2;     // aligned
    localparam SW = 166;                    // state word width

    localparam [23:0] ESF_M1 = 24'hFF7F77;  // phases consistent with an F bit of 1
    localparam [23:0] ESF_M0 = 24'h77F7FF;  // ... with an F bit of 0
    localparam [11:0] SF_M1 = 12'h3B1;      // SF pattern frames 1..12 = 100011011100
    localparam [11:0] SF_M0 = 12'hC4E;
    localparam [5:0]  FPS = 6'b110100;      // FPS 001011, frame 4 = bit 0

    function [5:0] crc6_step(input [5:0] c, input b);
        begin
            crc6_step = {c[4:0], 1'b0} ^ ((b ^ c[5]) ? 6'h03 : 6'h00);
        end
    endfunction

    // more than one bit set, as a shallow tree (no carry chain)
    function multi24(input [23:0] v);
        integer k;
        reg [5:0] any4;
        reg       mul;
        reg [2:0] n;
        begin
            mul = 1'b0;
            for (k = 0; k < 6; k = k + 1) begin
                any4[k] = |v[k*4 +: 4];
                mul = mul | (v[k*4] & v[k*4+1]) | (v[k*4] & v[k*4+2]) | (v[k*4] & v[k*4+3]) |
                      (v[k*4+1] & v[k*4+2]) | (v[k*4+1] & v[k*4+3]) | (v[k*4+2] & v[k*4+3]);
            end
            n = 3'd0;
            for (k = 0; k < 6; k = k + 1)
                n = n + {2'd0, any4[k]};
            multi24 = mul || (n >= 3'd2);
        end
    endfunction

    function [3:0] pop8(input [7:0] v);
        integer k;
        begin
            pop8 = 4'd0;
            for (k = 0; k < 8; k = k + 1)
                pop8 = pop8 + {3'd0, v[k]};
        end
    endfunction

    // ---------------------------------------------------------------- init
    localparam CAW = SPAN_W + 3;            // counter RAM address width
    reg           init_q;
    reg [CAW-1:0] init_cnt_q;

    always @(posedge clk) begin
        if (init_q) begin
            init_cnt_q <= init_cnt_q + 1'b1;
            if (&init_cnt_q)
                init_q <= 1'b0;
        end
        if (rst) begin
            init_q     <= 1'b1;
            init_cnt_q <= {CAW{1'b0}};
        end
    end

    // ---------------------------------------------------------------- A: scan
    reg [SPAN_W-1:0] scan_q;
    reg              ph_q;                  // visits start on even clocks, take two
    wire take = !init_q && !ph_q && ck_rdy[scan_q];

    assign ck_ack = take ? ({{(SPANS-1){1'b0}}, 1'b1} << scan_q) : {SPANS{1'b0}};

    reg [SPANS-1:0] slip_pend_q;
    reg              a_v, b_v;
    reg [SPAN_W-1:0] a_s, b_s;
    reg [7:0]        a_data, b_data, a_pulse, b_pulse;
    reg [3:0]        a_bpv, b_bpv;
    reg              a_exz, b_exz, a_slip, b_slip;

    always @(posedge clk) begin
        ph_q <= ~ph_q;
        slip_pend_q <= (slip_pend_q & ~ck_ack) | slip_evt;
        if (!ph_q) begin
            scan_q  <= (scan_q == SPANS[SPAN_W-1:0] - 1'b1) ? {SPAN_W{1'b0}} : scan_q + 1'b1;
            a_v     <= take;
            if (take) begin                 // (the a_/b_ fields only matter with a_v/b_v)
                a_s     <= scan_q;
                a_data  <= ck_data[scan_q*8 +: 8];
                a_pulse <= ck_pulse[scan_q*8 +: 8];
                a_bpv   <= ck_bpv[scan_q*4 +: 4];
                a_exz   <= ck_exz[scan_q];
                a_slip  <= slip_pend_q[scan_q];
            end
        end else begin
            // B: the state RAM is read with a_s (on both clocks of a_v)
            b_v <= a_v;
            if (a_v) begin
                b_s <= a_s; b_data <= a_data; b_pulse <= a_pulse;
                b_bpv <= a_bpv; b_exz <= a_exz; b_slip <= a_slip;
            end
        end
        if (rst) begin
            ph_q        <= 1'b0;
            scan_q      <= {SPAN_W{1'b0}};
            slip_pend_q <= {SPANS{1'b0}};
            a_v         <= 1'b0;
            b_v         <= 1'b0;
        end
    end

    // ---------------------------------------------------------------- state RAM
    wire [SW-1:0]     sv_rd;
    reg               d_v;
    reg  [SPAN_W-1:0] d_s;

    localparam [SW-1:0] RST_WORD = {ST_SEARCH, 8'd0, 5'd0, 24'hFFFFFF, {(SW-39){1'b0}}};


    // ---------------------------------------------------------------- C: process
    // C1/C2 computations run in one clocked block, only while a visit is in the
    // pipeline (b_v): the logic is the same as an always @* feeding registers, but
    // a simulator skips it on the other clocks (Verilator evaluates every always @*
    // on every clock).  C2 registers the new state word; it is written one clock
    // later (a span is visited again only after its next chunk, >= 8 bit periods).
    reg        q_fpres, q_fb, q_oct_v, q_mzero, q_mmulti, q_ispat, q_ferr, q_crc_cmp, q_ev_crc_v;
    reg [4:0]  q_hf, q_oct_ts, q_ohidx;
    reg [7:0]  q_oct_d, q_sr;
    reg [5:0]  q_crc, q_crcp;
    reg [23:0] q_m;
    // State words: with up to 2 spans a block RAM (>= 11 of them for 166 bits) would
    // be wasted, so the words are flip-flops, reset by rst, read at B (as the RAM) and
    // written at C2; with more spans a block RAM, cleared during init_q, read at B and
    // written the clock after C2.
    localparam SMALL = (SPANS <= 2);
    integer k_st;
    /* verilator lint_off UNUSEDSIGNAL */    // (w_v/w_word unused when SMALL, st_mem else)
    reg [SW-1:0] st_mem [0:(1 << SPAN_W) - 1];
    reg          w_v;                       // state word write (the clock after C2)
    reg [SW-1:0] w_word;
    /* verilator lint_on UNUSEDSIGNAL */
    reg        d_inframe, d_los, d_ais, d_rai, d_en;
    reg [2:0]  d_cidx;
    reg [31:0] d_add;
    reg [15:0] d_fdl;

    always @(posedge clk) begin
        w_v  <= 1'b0;
        ew_v <= 1'b0;
        if (b_v) begin : visit
            // current state fields
            reg [1:0]  s_st;   reg [7:0] s_pos;  reg [4:0] s_fn;   reg [23:0] s_mask;
            reg [3:0]  s_vcnt; reg [3:0] s_eh;   reg [7:0] s_sr;   reg [5:0]  s_crc;
            reg [5:0]  s_crcp; reg [5:0] s_cbr;  reg s_crcv;       reg s_sfv;
            reg [15:0] s_fdl;  reg [8:0] s_raic; reg [4:0] s_rais; reg [7:0]  s_zrun;
            reg s_los; reg s_lwact; reg [4:0] s_lwin; reg [7:0] s_lones; reg [9:0] s_awin;
            reg [3:0]  s_azer; reg s_ais; reg s_rai;  reg [2:0]  s_cidx;
            reg [6:0]  s_dbpv; reg [3:0] s_dexz; reg [1:0] s_dcrc; reg [1:0] s_dfbit;
            reg [1:0]  s_dslip; reg [1:0] s_dlof;
            // next state fields
            reg [1:0]  n_st;   reg [7:0] n_pos;  reg [4:0] n_fn;   reg [23:0] n_mask;
            reg [3:0]  n_vcnt; reg [3:0] n_eh;   reg [7:0] n_sr;   reg [5:0]  n_crc;
            reg [5:0]  n_crcp; reg [5:0] n_cbr;  reg n_crcv;       reg n_sfv;
            reg [15:0] n_fdl;  reg [8:0] n_raic; reg [4:0] n_rais; reg [7:0]  n_zrun;
            reg n_los; reg n_lwact; reg [4:0] n_lwin; reg [7:0] n_lones; reg [9:0] n_awin;
            reg [3:0]  n_azer; reg n_ais; reg n_rai;  reg [2:0]  n_cidx;
            reg [6:0]  n_dbpv; reg [3:0] n_dexz; reg [1:0] n_dcrc; reg [1:0] n_dfbit;
            reg [1:0]  n_dslip; reg [1:0] n_dlof;

            reg        sfm, en, fpres, fb, ispat, ferr, fdl_bit, oct_v;
            reg [4:0]  hf, oct_ts;
            reg [2:0]  fidx;
            reg [7:0]  oct_d, pos8, pos7, fmask, bf, dropf;
            /* verilator lint_off UNUSEDSIGNAL */
            reg [7:0]  pts;                 // [7:3] used
            reg [15:0] sh16;                // [7:0] used
            /* verilator lint_on UNUSEDSIGNAL */
            reg [2:0]  ic0;
            reg [5:0]  crc_all, crc_pre, crc_pre_f, crc_post;
            reg [23:0] m, mall;
            reg [3:0]  npul, nzer, tz;
            reg [8:0]  zsum;
            reg [11:0] azsum;
            reg        ev_crc, ev_fbit, ev_lof, crc_cmp, ev_crc_v;
            reg [6:0]  ev_bpv;
            reg        ev_exz, ev_slip;
            reg [31:0] add;
            reg        p_sfm, p_fpres, p_fb, p_oct_v, p_mzero, p_mmulti, p_ispat, p_expb, p_ferr;
            reg        p_crc_cmp, p_ev_crc_v;
            reg [4:0]  p_nlast, p_hf, p_oct_ts, p_ohidx;
            reg [7:0]  p_oct_d, p_n_sr;
            reg [5:0]  p_n_crc, p_n_crcp;
            reg [23:0] p_rot, p_m;
            reg [SW-1:0] c_word;
            integer i;
            {s_st, s_pos, s_fn, s_mask, s_vcnt, s_eh, s_sr, s_crc, s_crcp, s_cbr, s_crcv, s_sfv,
             s_fdl, s_raic, s_rais, s_zrun, s_los, s_lwact, s_lwin, s_lones, s_awin, s_azer,
             s_ais, s_rai, s_cidx, s_dbpv, s_dexz, s_dcrc, s_dfbit, s_dslip, s_dlof} = sv_rd;
            if (!ph_q) begin
            // C1 (first clock of the visit): everything that hangs off the F-bit position

                p_sfm   = cfg_sf[b_s];
                p_nlast = p_sfm ? 5'd11 : 5'd23;
                p_hf    = (s_fn >= p_nlast) ? 5'd0 : s_fn + 5'd1;      // frame of an F bit in this chunk
                p_fpres = (s_pos == 8'd0) || (s_pos >= 8'd186);
                fidx  = (s_pos == 8'd0) ? 3'd0 : 3'd1 - s_pos[2:0];     // 193 - pos
                pts   = s_pos - 8'd1;                                       // ts of the octet: [7:3]
                p_fb    = b_data[3'd7 - fidx];

                // ---- the 8 bits: CRC-6, octet assembly, written without a bit-serial chain:
                // an octet completes in every chunk except the one starting with the F bit,
                // at bit ic0 = -pos mod 8, before any F bit of the chunk
                ic0    = 3'd0 - s_pos[2:0];
                p_oct_v  = (s_pos != 8'd0);
                p_oct_ts = pts[7:3];
                sh16   = {s_sr, b_data} >> (3'd7 - ic0);
                p_oct_d  = sh16[7:0];
                fmask  = p_fpres ? (8'h80 >> fidx) : 8'h00;
                bf     = b_data | fmask;                            // F bit counts as 1 in the CRC
                // shift register after the chunk: the last 8 data bits (F bit left out)
                for (i = 0; i < 8; i = i + 1)
                    if (i[2:0] < 3'd7 - fidx)
                        dropf[i] = b_data[i];                       // after the F bit
                    else if (i == 7)
                        dropf[i] = s_sr[0];
                    else
                        dropf[i] = b_data[(i + 1) % 8];             // before it: one place older
                p_n_sr   = p_fpres ? dropf : b_data;
                // CRC-6 candidates: whole chunk; first k bits (from s_crc); bits k..7 from 0
                crc_all = s_crc;
                for (i = 7; i >= 0; i = i - 1)
                    crc_all = crc6_step(crc_all, bf[i]);
                crc_pre = s_crc;
                crc_pre_f = s_crc;
                crc_post = 6'd0;
                for (i = 0; i < 8; i = i + 1) begin
                    if (i[2:0] == fidx) begin
                        crc_pre_f = crc_pre;
                    end
                    crc_pre = crc6_step(crc_pre, bf[7-i]);
                    if ({1'b0, i[2:0]} >= {1'b0, fidx})
                        crc_post = crc6_step(crc_post, bf[7-i]);
                end
                p_n_crc  = crc_all;
                p_n_crcp = s_crcp;
                if (p_fpres && p_hf == 5'd0) begin                      // superframe starts at the F bit
                    p_n_crcp = crc_pre_f;
                    p_n_crc  = crc_post;
                end

                // search: phases still standing after this F bit
                p_rot = p_sfm ? {12'd0, s_mask[10:0], s_mask[11]} : {s_mask[22:0], s_mask[23]};
                p_m = p_rot & (p_sfm ? {12'd0, p_fb ? SF_M1 : SF_M0} : (p_fb ? ESF_M1 : ESF_M0));
                p_ohidx = 5'd0;                                     // index of the bit, if only one
                for (i = 0; i < 24; i = i + 1)
                    p_ohidx = p_ohidx | (p_m[i] ? i[4:0] : 5'd0);
                p_mzero  = (p_m == 24'd0);
                p_mmulti = multi24(p_m);
                // verify / in frame: framing-pattern bit and CRC-6 check
                p_ispat = p_sfm ? 1'b1 : (p_hf[1:0] == 2'd3);
                p_expb  = p_sfm ? SF_M1[p_hf[3:0]] : FPS[p_hf[4:2]];
                p_ferr  = p_ispat && (p_fb != p_expb);
                p_crc_cmp  = !p_sfm && p_fpres && p_hf == 5'd21 && s_crcv;
                p_ev_crc_v = p_crc_cmp && ({s_cbr[4:0], p_fb} != s_crcp);
            q_fpres <= p_fpres; q_fb <= p_fb; q_hf <= p_hf; q_oct_v <= p_oct_v;
            q_oct_ts <= p_oct_ts; q_oct_d <= p_oct_d; q_sr <= p_n_sr; q_crc <= p_n_crc;
            q_crcp <= p_n_crcp; q_m <= p_m; q_ohidx <= p_ohidx; q_mzero <= p_mzero;
            q_mmulti <= p_mmulti; q_ispat <= p_ispat; q_ferr <= p_ferr;
            q_crc_cmp <= p_crc_cmp; q_ev_crc_v <= p_ev_crc_v;
            end else begin
            // C2 (second clock): the decisions, the new state word
                sfm   = cfg_sf[b_s];
                en    = cfg_en[b_s];
                pos8  = (s_pos >= 8'd185) ? s_pos - 8'd185 : s_pos + 8'd8;
                pos7  = (s_pos >= 8'd186) ? s_pos - 8'd186 : s_pos + 8'd7;
                mall  = sfm ? 24'h000FFF : 24'hFFFFFF;
                fpres = q_fpres; fb = q_fb; hf = q_hf; oct_v = q_oct_v; oct_ts = q_oct_ts;
                oct_d = q_oct_d; n_sr = q_sr; n_crc = q_crc; n_crcp = q_crcp; m = q_m;
                ispat = q_ispat; ferr = q_ferr; crc_cmp = q_crc_cmp; ev_crc_v = q_ev_crc_v;

                // ---- framing
                n_st = s_st; n_pos = pos8; n_fn = s_fn; n_mask = s_mask; n_vcnt = s_vcnt;
                n_eh = s_eh; n_cbr = s_cbr; n_crcv = s_crcv; n_sfv = s_sfv; n_fdl = s_fdl;
                ev_crc = 1'b0; ev_fbit = 1'b0; ev_lof = 1'b0; fdl_bit = 1'b0;
                if (fpres) begin
                    n_fn = hf;
                    case (s_st)
                    ST_SEARCH: begin
                        if (q_mzero) begin
                            n_mask = mall;                          // no phase fits: next bit
                            n_pos  = pos7;
                        end else if (!q_mmulti) begin
                            n_st   = ST_VERIFY;                     // exactly one phase
                            n_fn   = q_ohidx;
                            n_vcnt = 4'd0;
                            n_eh   = 4'd0;
                            n_mask = mall;
                        end else begin
                            n_mask = m;
                        end
                    end
                    default: begin                                  // VERIFY, IN_FRAME
                        if (s_st == ST_VERIFY) begin
                            if (ferr || (ev_crc_v && !sfm)) begin
                                n_st   = ST_SEARCH;             // pattern or CRC-6 wrong
                                n_mask = mall;
                                n_pos  = pos7;
                            end else if (sfm && ispat) begin
                                n_vcnt = s_vcnt + 4'd1;         // SF: 16 right F bits
                                if (s_vcnt == 4'd15) begin
                                    n_st = ST_INFRAME;
                                    n_eh = 4'd0;
                                end
                            end else if (!sfm && crc_cmp) begin
                                n_st = ST_INFRAME;              // ESF: FPS right and one CRC-6 match
                                n_eh = 4'd0;
                            end
                        end else if (ispat) begin
                            n_eh    = {s_eh[2:0], ferr};
                            ev_fbit = ferr;
                            if ({2'b0, n_eh[0]} + {2'b0, n_eh[1]} + {2'b0, n_eh[2]} + {2'b0, n_eh[3]} >= 3'd2) begin
                                n_st   = ST_SEARCH;
                                n_mask = mall;
                                ev_lof = 1'b1;
                            end
                        end
                        if (!sfm) begin
                            if (hf[1:0] == 2'd1) begin
                                n_cbr = {s_cbr[4:0], fb};
                                if (hf == 5'd21 && s_st == ST_INFRAME && s_crcv && n_cbr != s_crcp)
                                    ev_crc = 1'b1;
                            end
                            if (hf == 5'd0) begin
                                n_crcv = s_sfv;
                                n_sfv  = 1'b1;
                            end
                            if (!hf[0]) begin
                                n_fdl   = {s_fdl[14:0], fb};
                                fdl_bit = 1'b1;
                            end
                        end
                    end
                    endcase
                end
                if (s_st == ST_SEARCH) begin                        // (one chunk late: shallower)
                    n_sfv  = 1'b0;
                    n_crcv = 1'b0;
                end

                // ---- RAI: ESF FDL 16-bit pattern 11111111 00000000; SF bit 2 of every channel 0
                n_raic = s_raic; n_rais = s_rais; n_rai = s_rai;
                if (!sfm && fdl_bit) begin
                    if (n_fdl == 16'hFF00) begin
                        n_raic = (s_rais == 5'd15) ? ((s_raic == 9'd511) ? s_raic : s_raic + 9'd1) : 9'd1;
                        n_rais = 5'd0;
                    end else if (s_rais != 5'd31) begin
                        n_rais = s_rais + 5'd1;
                    end
                    if (n_raic >= 9'd4)
                        n_rai = 1'b1;
                    if (n_rais >= 5'd24) begin
                        n_rai  = 1'b0;
                        n_raic = 9'd0;
                    end
                end
                if (sfm && oct_v && s_st == ST_INFRAME) begin
                    n_raic = oct_d[6] ? 9'd0 : ((s_raic == 9'd511) ? s_raic : s_raic + 9'd1);
                    n_rai  = (n_raic >= 9'd255);
                end
                if (s_st != ST_INFRAME) begin                       // (one chunk late: shallower)
                    n_rai  = 1'b0;
                    n_raic = 9'd0;
                end

                // ---- LOS: 175 zeros on the line; cleared by >= 12.5 % ones density over 176 bits
                npul = pop8(b_pulse);
                tz = 4'd8;
                for (i = 7; i >= 0; i = i - 1)
                    if (b_pulse[i])
                        tz = 4'd7 - i[3:0];
                zsum   = {1'b0, s_zrun} + 9'd8;
                n_zrun = (b_pulse == 8'd0) ? (zsum[8] ? 8'd255 : zsum[7:0]) : {4'd0, tz};
                n_los = s_los; n_lwact = s_lwact; n_lwin = s_lwin; n_lones = s_lones;
                if (!s_los) begin
                    if (n_zrun >= 8'd175) begin
                        n_los   = 1'b1;
                        n_lwact = 1'b0;
                    end
                end else if (!s_lwact) begin
                    if (npul != 4'd0) begin
                        n_lwact = 1'b1;
                        n_lwin  = 5'd1;
                        n_lones = {4'd0, npul};
                    end
                end else begin
                    n_lwin  = s_lwin + 5'd1;
                    n_lones = s_lones + {4'd0, npul};
                    if (n_lwin == 5'd22) begin                      // 176 bits
                        n_lwact = 1'b0;
                        if (n_lones >= 8'd22)
                            n_los = 1'b0;
                    end
                end

                // ---- AIS (ANSI T1.231): fewer than 9 zeros in an 8192-bit window (1024 chunks)
                // while out of frame; cleared by a window with 9 or more zeros
                nzer   = 4'd8 - pop8(b_data);
                azsum  = {8'd0, s_azer} + {8'd0, nzer};
                n_azer = (azsum >= 12'd9) ? 4'd9 : azsum[3:0];
                n_awin = s_awin + 10'd1;
                n_ais  = s_ais;
                if (s_awin == 10'd1023) begin
                    n_awin = 10'd0;
                    n_azer = 4'd0;
                    n_ais  = (azsum < 12'd9) && (s_st != ST_INFRAME);
                end

                // ---- counters: flush one delta per visit, accumulate the others
                ev_bpv  = {3'd0, b_bpv};
                ev_exz  = b_exz;
                ev_slip = b_slip;
                if (!en) begin
                    ev_bpv = 7'd0; ev_exz = 1'b0; ev_slip = 1'b0;
                    ev_crc = 1'b0; ev_fbit = 1'b0; ev_lof = 1'b0;
                end
                case (s_cidx)
                3'd0:    add = {25'd0, s_dbpv};
                3'd1:    add = {28'd0, s_dexz};
                3'd2:    add = {30'd0, s_dcrc};
                3'd3:    add = {30'd0, s_dfbit};
                3'd4:    add = {30'd0, s_dslip};
                3'd5:    add = {30'd0, s_dlof};
                default: add = 32'd0;
                endcase
                n_dbpv  = ((s_cidx == 3'd0) ? 7'd0 : s_dbpv) + ev_bpv;
                n_dexz  = ((s_cidx == 3'd1) ? 4'd0 : s_dexz) + {3'd0, ev_exz};
                n_dcrc  = ((s_cidx == 3'd2) ? 2'd0 : s_dcrc) + {1'b0, ev_crc};
                n_dfbit = ((s_cidx == 3'd3) ? 2'd0 : s_dfbit) + {1'b0, ev_fbit};
                n_dslip = ((s_cidx == 3'd4) ? 2'd0 : s_dslip) + {1'b0, ev_slip};
                n_dlof  = ((s_cidx == 3'd5) ? 2'd0 : s_dlof) + {1'b0, ev_lof};
                n_cidx  = s_cidx + 3'd1;

                c_word = {n_st, n_pos, n_fn, n_mask, n_vcnt, n_eh, n_sr, n_crc, n_crcp, n_cbr, n_crcv,
                          n_sfv, n_fdl, n_raic, n_rais, n_zrun, n_los, n_lwact, n_lwin, n_lones, n_awin,
                          n_azer, n_ais, n_rai, n_cidx, n_dbpv, n_dexz, n_dcrc, n_dfbit,
                          n_dslip, n_dlof};
                if (!en)                                            // shut down: reset the framer
                    c_word = {RST_WORD[SW-1:22], c_word[21:0]};
                if (SMALL)
                    st_mem[b_s] <= c_word;
                w_v       <= !SMALL;
                w_word    <= c_word;
                d_inframe <= (n_st == ST_INFRAME);
                d_los     <= n_los;
                d_ais     <= n_ais;
                d_rai     <= n_rai;
                d_en      <= en;
                d_cidx    <= s_cidx;
                d_add     <= add;
                d_fdl     <= n_fdl;
                ew_v      <= en && oct_v && (s_st == ST_INFRAME);
                ew_span   <= b_s;
                ew_ts     <= oct_ts;
                ew_data   <= oct_d;
                ew_fdone  <= (oct_ts == 5'd23);
            end
        end
        if (SMALL && rst)
            for (k_st = 0; k_st < (1 << SPAN_W); k_st = k_st + 1)
                st_mem[k_st] <= RST_WORD;
        if (rst) begin
            w_v  <= 1'b0;
            ew_v <= 1'b0;
        end
    end

    generate
        if (SMALL) begin : g_st_ff
            // read like the RAM (at B, again at C1): the read multiplexer stays out
            // of the C1 logic's path, and each of its LUTs packs with its flip-flop
            reg [SW-1:0] sv_q;
            always @(posedge clk)
                if (a_v)
                    sv_q <= st_mem[a_s];
            assign sv_rd = sv_q;
        end else begin : g_st_ram
            ram_sdp #(.WIDTH(SW), .DEPTH(1 << (SPAN_W)), .AW(SPAN_W)) state_ram_I (
                .clk(clk),
                .wr_en(init_q ? (init_cnt_q[2:0] == 3'd0) : w_v),
                .wr_addr(init_q ? init_cnt_q[CAW-1:3] : d_s),
                .wr_data(init_q ? RST_WORD : w_word),
                .rd_en(a_v), .rd_addr(a_s), .rd_data(sv_rd));
        end
    endgenerate

    // ---------------------------------------------------------------- C -> D registers
    // the d_* registers change only at a C2, at least 2 clocks apart: they serve
    // stages D and E of a visit
    always @(posedge clk) begin
        d_v <= b_v && ph_q;
        if (b_v && ph_q)
            d_s <= b_s;
        if (rst)
            d_v <= 1'b0;
    end

    // ---------------------------------------------------------------- D: status
    always @(posedge clk) begin
        if (d_v) begin
            st_inframe[d_s] <= d_en && d_inframe;
            st_los[d_s]     <= d_en && d_los;
            st_ais[d_s]     <= d_en && d_ais;
            st_rai[d_s]     <= d_en && d_rai;
        end
        if (rst) begin
            st_inframe <= {SPANS{1'b0}};
            st_los     <= {SPANS{1'b0}};
            st_ais     <= {SPANS{1'b0}};
            st_rai     <= {SPANS{1'b0}};
        end
    end

    // ---------------------------------------------------------------- D/E: counters
    reg               e_v;
    wire [31:0]       cnt_rd;

    always @(posedge clk) begin
        e_v    <= d_v && (d_cidx != 3'd7);
        if (rst)
            e_v <= 1'b0;
    end

    wire           cw_we    = init_q || e_v;
    wire [CAW-1:0] cw_addr  = init_q ? init_cnt_q : {d_s, d_cidx};
    wire [31:0]    cw_data  = init_q ? 32'd0 :
                              (d_cidx == 3'd6) ? {16'd0, d_fdl} : cnt_rd + d_add;

    ram_sdp #(.WIDTH(32), .DEPTH(1 << (CAW)), .AW(CAW)) cnt_ram_I (
        .clk(clk), .wr_en(cw_we), .wr_addr(cw_addr), .wr_data(cw_data),
        .rd_en(d_v), .rd_addr({d_s, d_cidx}), .rd_data(cnt_rd));

    ram_sdp #(.WIDTH(32), .DEPTH(1 << (CAW)), .AW(CAW)) cnt_bus_ram_I (
        .clk(clk), .wr_en(cw_we), .wr_addr(cw_addr), .wr_data(cw_data),
        .rd_en(br_re), .rd_addr({br_span, br_idx}), .rd_data(br_data));

endmodule // t1_rx_framer

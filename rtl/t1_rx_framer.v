// t1_rx_framer.v - time-multiplexed T1 receive framer for all spans (ANSI T1.403 ESF/SF)
//
// One engine serves every span.  Each span's front end (t1_rx_front) delivers 8
// received bits at a time (a "chunk", not octet aligned); a scan pointer visits the
// spans and, when a span's chunk is ready, the engine reads the span's state word,
// processes the 8 bits and writes the state back.  Two implementations (generate on
// SERIAL, chosen by t1_line_bank from CORE_HZ; both tested, see docs/rtl-line.md):
//
// SERIAL = 0, the 2-clock pipeline (slow core clocks: the co-simulation):
//   A  (even clock) scan: take span p's chunk (chunk_ack)
//   B  (odd)  read state RAM[p] (read again on the next clock, same address)
//   [H] HUNT_SERIAL only, when not in frame: the 8 bits through the hunt memory, one
//       per clock (9 clocks; the pipeline holds)
//   C1 (even) F-bit position, CRC-6 candidates, octet, align mask, (HUNT_SERIAL = 0:)
//       the 8 hunt-memory entries at once -> q_* registers
//   C2 (odd)  decisions, write the state RAM
//   D  elastic-store write, status registers; read counter RAM
//   E  counter RAM += delta
//   A span must be visited within 8 bit periods: 2*SPANS + 4 clocks (+ 9 per visit
//   with HUNT_SERIAL) <= 8 bit periods (t1_line_bank checks CORE_HZ against SPANS).
//   With <= 2 spans the state words are flip-flops, else a block RAM.
// SERIAL = 1, one bit per clock (fast core clocks: the board, ~37 clocks per visit):
//   the state word (12 x 16 bits, one block RAM for all spans) is shifted into a
//   register, 8 bit clocks do framing, CRC-6, octets and the hunt, one clock the
//   chunk's LOS/AIS/counter work, then the words are shifted back out.  One counter
//   RAM serves the bus and (on clocks without a bus read) the counter update.
// Per chunk there is at most one F bit (193 > 8) and at most one completed octet.
//
// Framing (state per span):
//   HUNT    all candidates at once: a hunt memory (4 bits per candidate, 1024 per
//           span) follows, for every bit position modulo 772 (ESF: the F-bit position
//           and which of 4 frames carries the FPS) or 386 (SF: position and which of 2
//           frames carries Ft), whether the bits seen there fit the pattern (ESF FPS
//           001011, SF Ft 1010..); a candidate dies at its first misfit (a constant
//           bit within 3 frames).  When one candidate is left (or none died for 4
//           cycles) and it shows a whole pattern window: its F bit and frame are
//           known -> VERIFY (ESF), ALIGN (SF).  All dead -> the memory starts again.
//   ALIGN   SF: the Ft position is known, Fs (001110) picks the superframe phase.
//   VERIFY  ESF: every FPS bit right until one CRC-6 check (needs a whole superframe
//           aligned: 5.6..8.6 ms) matches; SF: 16 F bits right (1.3 superframes).
//           Then IN_FRAME, else HUNT, and the candidate is killed in the memory
//           (a data bit may mimic the pattern for a while).
//   IN_FRAME framing-pattern bit errors are counted (FBIT); 2 errors among 4
//           consecutive pattern bits (the OOF criterion of ANSI T1.231) -> HUNT
//           (a new hunt), LOF_COUNT + 1.  ESF: CRC-6 (x^6+x+1 over the
//           superframe with F bits taken as 1) is compared with the CB bits of the
//           next superframe (CRC6 counter); FDL bits are kept (16 latest).
// Alarms (see docs/rtl-line.md for the criteria and their sources): LOS, AIS, RAI;
// LOF is simply "not IN_FRAME".
// Counters: the span's state holds small deltas; each visit adds one delta into the
// span's 32-bit counter RAM (round robin over 8 slots: BPV, EXZ, CRC6, FBIT, SLIPS,
// LOF, FDL copy, spare), so a counter is at most 8 visits (64 bits) behind.  In the
// pipeline a second copy of that RAM answers the bus.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_rx_framer #(
    parameter SPANS = 2,                    // number of spans, 1..28
    parameter SPAN_W = 1,                   // width of a span index, clog2(SPANS) >= 1
    parameter SERIAL = 0,                   // 1: one bit per clock, state words in a block RAM
                                            // (~40 clocks per visit: fast core clocks, the board)
    parameter HUNT_SERIAL = 0               // (SERIAL = 0) 1: hunt memory one bit per clock (block RAM, the
                                            // pipeline waits up to 10 clocks per visit); 0: all
                                            // 8 bits of a visit at once (simulation, slow clocks)
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

    localparam [1:0] ST_HUNT = 2'd0;        // hunt memory: all candidates at once
    localparam [1:0] ST_ALIGN = 2'd1;       // SF: F-bit position known, superframe phase not yet
    localparam [1:0] ST_VERIFY = 2'd2;      // one phase left: confirm it
    localparam [1:0] ST_INFRAME = 2'd3;     // aligned
    localparam HW = 37;                     // hunt fields of the state word
    localparam SW = 191;                    // state word width

    // state word: hunt fields (sweep pending), then st, pos, fn, mask ... (see the unpacking)
    localparam [SW-1:0] RST_WORD = {20'd0, 3'd0, 2'd1, 12'd0, ST_HUNT, {(SW-HW-2){1'b0}}};
    localparam HM_DEPTH = (1 << SPAN_W) * 1024;     // hunt memory: 1024 entries per span

    localparam [11:0] SF_M1 = 12'h3B1;      // SF pattern frames 1..12 = 100011011100
    localparam [11:0] SF_M0 = 12'hC4E;
    localparam [5:0]  FPS = 6'b110100;      // FPS 001011, frame 4 = bit 0

    function [5:0] crc6_step(input [5:0] c, input b);
        begin
            crc6_step = {c[4:0], 1'b0} ^ ((b ^ c[5]) ? 6'h03 : 6'h00);
        end
    endfunction

    // more than one bit set (12 bits), as a shallow tree (no carry chain)
    function multi12(input [11:0] v);
        integer k;
        reg [2:0] any4;
        reg       mul;
        begin
            mul = 1'b0;
            for (k = 0; k < 3; k = k + 1) begin
                any4[k] = |v[k*4 +: 4];
                mul = mul | (v[k*4] & v[k*4+1]) | (v[k*4] & v[k*4+2]) | (v[k*4] & v[k*4+3]) |
                      (v[k*4+1] & v[k*4+2]) | (v[k*4+1] & v[k*4+3]) | (v[k*4+2] & v[k*4+3]);
            end
            multi12 = mul || (any4[0] & any4[1]) || (any4[0] & any4[2]) || (any4[1] & any4[2]);
        end
    endfunction

    // ---- hunt memory (see docs/rtl-line.md "Framing"): one 4-bit entry per candidate,
    // candidate = bit index modulo 772 (ESF: F-bit position and which frame of 4 carries
    // the FPS) or 386 (SF: position and which frame of 2 carries Ft).  An entry holds the
    // candidate's last framing bits: 0001 / 001b (one bit b) / 01xy (ESF: two bits) /
    // 1xyz (ESF: a window of FPS 001011; SF: 10xy, xy = 01 or 10 of Ft 1010..), or
    // 1000 = dead (its bits broke the pattern; a constant bit dies within 3 frames).
    // Per span: hs = {sidx, alive, stall, swp, kpend, kidx, msf}: the candidate of the
    // next bit, the number of live candidates, cycles without a death, sweep (0 none,
    // 1 pending: starts when sidx reaches 0, 2 active: every entry is reborn with its
    // bit), a kill request for candidate kidx (VERIFY or ALIGN rejected it), SF mode.
    localparam [3:0] HE_DEAD = 4'b1000;
    localparam [2:0] H_STALL = 3'd4;        // cycles without a death before a candidate is tried
    function hent_live(input [3:0] e);
        hent_live = (e[3:1] == 3'b001) || (e[3:2] == 2'b01) ||
                    (e[3] && e[2:0] != 3'd0 && e[2:0] != 3'd7);
    endfunction
    function hent_valid(input [3:0] e);   // a whole window: a candidate to try
        hent_valid = e[3] && e[2:0] != 3'd0 && e[2:0] != 3'd7;
    endfunction
    // before the 8 bits of a visit: a change of mode restarts the hunt
    function [HW-1:0] hunt_pre(input [HW-1:0] hs, input sf);
        begin
            hunt_pre = hs;
            if (hs[0] != sf)
                hunt_pre = {10'd0, hs[26:17], hs[16:14], 2'd1, 1'b0, hs[10:1], sf};
        end
    endfunction
    // one bit b of candidate sidx with entry e: {hs', e', hit, j}; j: ESF the FPS index
    // (0..5) of this bit, SF the bit
    function [HW+7:0] hunt_step(input [HW-1:0] hs, input [3:0] e, input b, input sf);
        reg [9:0] sidx, alive, kidx, nlast;
        reg [2:0] stall, w, j;
        reg [1:0] swp;
        reg       kpend, msf, died, hit, succ;
        reg [3:0] eo;
        begin
            {sidx, alive, stall, swp, kpend, kidx, msf} = hs;
            nlast = sf ? 10'd385 : 10'd771;
            died = 1'b0;
            hit = 1'b0;
            j = 3'd0;
            if (swp == 2'd1 && sidx == 10'd0) begin
                swp   = 2'd2;                       // sweep: one cycle of rebirths
                alive = nlast + 10'd1;
                stall = 3'd0;
            end
            if (swp == 2'd2) begin
                eo = {3'b001, b};
                kpend = 1'b0;
            end else begin
                eo = HE_DEAD;
                w = {e[1:0], b};
                succ = (e[2:0] == 3'b010) || (e[2:0] == 3'b101) || (e[2:0] == 3'b100);
                if (e[3:1] == 3'b001)               // one bit: ESF keep, SF must alternate
                    eo = sf ? ((e[0] != b) ? {2'b10, e[0], b} : HE_DEAD) : {2'b01, e[0], b};
                else if (e[3:2] == 2'b01)           // ESF two bits: 000 and 111 are no FPS window
                    eo = (w != 3'd0 && w != 3'd7) ? {1'b1, w} : HE_DEAD;
                else if (hent_valid(e) && sf)       // SF: Ft alternates
                    eo = (b != e[0]) ? {2'b10, e[0], b} : HE_DEAD;
                else if (hent_valid(e))             // ESF: the next bit must follow the window
                    eo = (b == succ) ? {1'b1, w} : HE_DEAD;
                died = hent_live(e) && !hent_live(eo);
                if (kpend && sidx == kidx) begin
                    kpend = 1'b0;
                    if (hent_live(eo)) begin
                        eo   = HE_DEAD;
                        died = 1'b1;
                    end
                end
            end
            if (died) begin
                alive = alive - 10'd1;
                stall = 3'd0;
            end
            if (swp == 2'd0 && alive == 10'd0)
                swp = 2'd1;                         // all dead: start again
            if (swp == 2'd0 && hent_valid(eo) && (alive == 10'd1 || stall == H_STALL)) begin
                hit = 1'b1;
                case (eo[2:0])                      // where this bit is in FPS 001011
                3'b110:  j = 3'd0;
                3'b100:  j = 3'd1;
                3'b001:  j = 3'd2;
                3'b010:  j = 3'd3;
                3'b101:  j = 3'd4;
                default: j = 3'd5;
                endcase
                if (sf)
                    j = {2'd0, b};
            end
            if (sidx == nlast) begin
                sidx = 10'd0;
                if (swp == 2'd2)
                    swp = 2'd0;
                if (stall != H_STALL)
                    stall = stall + 3'd1;
            end else begin
                sidx = sidx + 10'd1;
            end
            hunt_step = {sidx, alive, stall, swp, kpend, kidx, msf, eo, hit, j};
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

    // ESF: the F bit b of superframe frame hf + 1 (hf 0..23) in frame.  CB bits (frames
    // 2, 6, .., 22) shift into cbr; the superframe's first F bit moves sfv ("aligned from
    // a superframe start") into crcv ("this superframe's CRC-6 is checkable"); FDL bits
    // (odd frames) shift into fdl.  Returns {cbr, crcv, sfv, fdl, fdl_bit}.
    function [24:0] esf_fbit(input [4:0] hf, input b, input [5:0] cbr, input crcv,
                             input sfv, input [15:0] fdl);
        begin
            esf_fbit = {cbr, crcv, sfv, fdl, 1'b0};
            if (hf[1:0] == 2'd1)
                esf_fbit[24:19] = {cbr[4:0], b};
            if (hf == 5'd0)
                esf_fbit[18:17] = {sfv, 1'b1};
            if (!hf[0])
                esf_fbit[16:0] = {fdl[14:0], b, 1'b1};
        end
    endfunction

    // RAI, ESF: one FDL bit arrived (fdl: the 16 latest FDL bits).  The pattern
    // 11111111 00000000 four times in a row sets it, 24 FDL bits without it clear it.
    // Returns {rai, raic (patterns in a row, saturating), rais (FDL bits since the last)}.
    function [14:0] rai_esf_step(input [15:0] fdl, input [8:0] raic, input [4:0] rais,
                                 input rai);
        reg [8:0] c; reg [4:0] n; reg r;
        begin
            c = raic; n = rais; r = rai;
            if (fdl == 16'hFF00) begin
                c = (rais == 5'd15) ? ((raic == 9'd511) ? raic : raic + 9'd1) : 9'd1;
                n = 5'd0;
            end else if (rais != 5'd31) begin
                n = rais + 5'd1;
            end
            if (c >= 9'd4)
                r = 1'b1;
            if (n >= 5'd24) begin
                r = 1'b0;
                c = 9'd0;
            end
            rai_esf_step = {r, c, n};
        end
    endfunction

    // RAI, SF: one in-frame octet (bit2: its bit 2, oct[6]).  Set after 255 octets in a
    // row with bit 2 = 0, cleared by one with bit 2 = 1.  Returns {rai, raic}.
    function [9:0] rai_sf_step(input [8:0] raic, input bit2);
        reg [8:0] c;
        begin
            c = bit2 ? 9'd0 : ((raic == 9'd511) ? raic : raic + 9'd1);
            rai_sf_step = {c >= 9'd255, c};
        end
    endfunction

    // ---------------------------------------------------------------- init
    localparam CAW = SPAN_W + 3;            // counter RAM address width
    localparam IAW = SPAN_W + 4;            // init: 16 clocks per span
    reg           init_q;
    reg [IAW-1:0] init_cnt_q;

    always @(posedge clk) begin
        if (init_q) begin
            init_cnt_q <= init_cnt_q + 1'b1;
            if (&init_cnt_q)
                init_q <= 1'b0;
        end
        if (rst) begin
            init_q     <= 1'b1;
            init_cnt_q <= {IAW{1'b0}};
        end
    end

    generate
    if (SERIAL == 0) begin : g_pipe
    // ================================================================ the 2-clock pipeline
    // ---------------------------------------------------------------- A: scan
    reg [SPAN_W-1:0] scan_q;
    reg              ph_q;                  // visits start on even clocks, take two
    wire             hold;                  // HUNT_SERIAL: the pipeline waits for the hunt
    wire take = !init_q && !ph_q && !hold && ck_rdy[scan_q];

    assign ck_ack = take ? ({{(SPANS-1){1'b0}}, 1'b1} << scan_q) : {SPANS{1'b0}};

    reg [SPANS-1:0] slip_pend_q;
    reg              a_v, b_v;
    reg [SPAN_W-1:0] a_s, b_s;
    reg [7:0]        a_data, b_data, a_pulse, b_pulse;
    reg [3:0]        a_bpv, b_bpv;
    reg              a_exz, b_exz, a_slip, b_slip;

    always @(posedge clk) begin
        ph_q <= ph_q ^ !hold;
        slip_pend_q <= (slip_pend_q & ~ck_ack) | slip_evt;
        if (!ph_q && !hold) begin
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
        end else if (ph_q) begin
            // B: the state RAM is read with a_s (on both clocks of a_v, and while hold)
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
    reg [11:0] q_m;
    // hunt results of the visit's 8 bits (HUNT_SERIAL: from the serial unit below)
    reg [HW-1:0] q_hs;                      // hunt fields after the chunk
    reg          q_hit;                     // a candidate to try: the F bit is chunk bit q_hi
    reg [2:0]    q_hi, q_hj;                // ... ESF: FPS index j (frame 4j+3); SF: the Ft bit
    reg [9:0]    q_hidx;                    // ... its hunt-memory index (for a kill)
    localparam SER = (HUNT_SERIAL != 0);
    /* verilator lint_off UNUSEDSIGNAL */
    reg [3:0]    hmem_w [0:HM_DEPTH - 1];   // wide hunt memory (not with HUNT_SERIAL)
    /* verilator lint_on UNUSEDSIGNAL */
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
            reg [HW-1:0] s_hs;
            reg [1:0]  s_st;   reg [7:0] s_pos;  reg [4:0] s_fn;   reg [11:0] s_mask;
            reg [3:0]  s_vcnt; reg [3:0] s_eh;   reg [7:0] s_sr;   reg [5:0]  s_crc;
            reg [5:0]  s_crcp; reg [5:0] s_cbr;  reg s_crcv;       reg s_sfv;
            reg [15:0] s_fdl;  reg [8:0] s_raic; reg [4:0] s_rais; reg [7:0]  s_zrun;
            reg s_los; reg s_lwact; reg [4:0] s_lwin; reg [7:0] s_lones; reg [9:0] s_awin;
            reg [3:0]  s_azer; reg s_ais; reg s_rai;  reg [2:0]  s_cidx;
            reg [6:0]  s_dbpv; reg [3:0] s_dexz; reg [1:0] s_dcrc; reg [1:0] s_dfbit;
            reg [1:0]  s_dslip; reg [1:0] s_dlof;
            // next state fields
            reg [HW-1:0] n_hs;
            reg [1:0]  n_st;   reg [7:0] n_pos;  reg [4:0] n_fn;   reg [11:0] n_mask;
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
            reg [7:0]  oct_d, pos8, fmask, bf, dropf;
            /* verilator lint_off UNUSEDSIGNAL */
            reg [7:0]  pts;                 // [7:3] used
            reg [15:0] sh16;                // [7:0] used
            /* verilator lint_on UNUSEDSIGNAL */
            reg [2:0]  ic0;
            reg [5:0]  crc_all, crc_pre, crc_pre_f, crc_post;
            reg [11:0] m;
            reg [HW-1:0] hs;
            reg [HW+7:0] hr;
            reg [9:0]  hix;
            reg        hact, hhit;
            reg [2:0]  hi, hj;
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
            reg [11:0] p_rot, p_m;
            reg [SW-1:0] c_word;
            integer i;
            {s_hs, s_st, s_pos, s_fn, s_mask, s_vcnt, s_eh, s_sr, s_crc, s_crcp, s_cbr, s_crcv, s_sfv,
             s_fdl, s_raic, s_rais, s_zrun, s_los, s_lwact, s_lwin, s_lones, s_awin, s_azer,
             s_ais, s_rai, s_cidx, s_dbpv, s_dexz, s_dcrc, s_dfbit, s_dslip, s_dlof} = sv_rd;
            if (!ph_q && !hold) begin
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

                // SF align: superframe phases still standing after this F bit
                p_rot = {s_mask[10:0], s_mask[11]};
                p_m = p_rot & (p_fb ? SF_M1 : SF_M0);
                p_ohidx = 5'd0;                                     // index of the bit, if only one
                for (i = 0; i < 12; i = i + 1)
                    p_ohidx = p_ohidx | (p_m[i] ? i[4:0] : 5'd0);
                p_mzero  = (p_m == 12'd0);
                p_mmulti = multi12(p_m);

                // hunt: the 8 bits through the hunt memory (not while in frame)
                hact = (s_st != ST_INFRAME) && cfg_en[b_s];
                hs   = hunt_pre(s_hs, p_sfm);
                hhit = 1'b0; hi = 3'd0; hj = 3'd0; hix = 10'd0;
                if (SER) begin                              // the serial unit has done it
                    if (hact) begin
                        hs = ser_hs; hhit = ser_hit; hi = ser_hi; hj = ser_hj; hix = ser_hidx;
                    end else begin
                        hs[13:12] = 2'd1;
                    end
                    q_hs <= hs; q_hit <= hhit; q_hi <= hi; q_hj <= hj; q_hidx <= hix;
                end else begin
                    if (hact) begin
                        for (i = 0; i < 8; i = i + 1) begin
                            hr = hunt_step(hs, hmem_w[{b_s, hs[HW-1 -: 10]}], b_data[7 - i], p_sfm);
                            hmem_w[{b_s, hs[HW-1 -: 10]}] <= hr[7:4];
                            if (hr[3] && !hhit) begin
                                hhit = 1'b1;
                                hi   = i[2:0];
                                hj   = hr[2:0];
                                hix  = hs[HW-1 -: 10];
                            end
                            hs = hr[HW+7:8];
                        end
                    end else begin
                        hs[13:12] = 2'd1;                   // in frame: a new hunt when it ends
                    end
                    q_hs <= hs; q_hit <= hhit; q_hi <= hi; q_hj <= hj; q_hidx <= hix;
                end
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
            end else if (ph_q) begin
            // C2 (second clock): the decisions, the new state word
                sfm   = cfg_sf[b_s];
                en    = cfg_en[b_s];
                pos8  = (s_pos >= 8'd185) ? s_pos - 8'd185 : s_pos + 8'd8;
                fpres = q_fpres; fb = q_fb; hf = q_hf; oct_v = q_oct_v; oct_ts = q_oct_ts;
                oct_d = q_oct_d; n_sr = q_sr; n_crc = q_crc; n_crcp = q_crcp; m = q_m;
                ispat = q_ispat; ferr = q_ferr; crc_cmp = q_crc_cmp; ev_crc_v = q_ev_crc_v;

                // ---- framing
                n_hs = q_hs;
                n_st = s_st; n_pos = pos8; n_fn = s_fn; n_mask = s_mask; n_vcnt = s_vcnt;
                n_eh = s_eh; n_cbr = s_cbr; n_crcv = s_crcv; n_sfv = s_sfv; n_fdl = s_fdl;
                ev_crc = 1'b0; ev_fbit = 1'b0; ev_lof = 1'b0; fdl_bit = 1'b0;
                if (s_st == ST_HUNT) begin
                    if (q_hit) begin                                // a candidate: its F bit is chunk bit q_hi
                        n_pos       = 8'd8 - {5'd0, q_hi};
                        n_hs[11:1]  = {1'b0, q_hidx};               // (to kill it if it fails)
                        n_vcnt      = 4'd0;
                        n_eh        = 4'd0;
                        if (sfm) begin
                            n_st   = ST_ALIGN;                      // Ft known: frame 1, 5, 9 or 3, 7, 11
                            n_mask = q_hj[0] ? 12'h111 : 12'h444;
                        end else begin
                            n_st   = ST_VERIFY;                     // FPS window: the frame is known
                            n_fn   = {q_hj, 2'b11};
                        end
                    end
                end else if (fpres) begin
                    n_fn = hf;
                    case (s_st)
                    ST_ALIGN: begin                                 // SF: narrow the phases with Fs
                        if (q_mzero) begin
                            n_st      = ST_HUNT;                    // no phase fits: kill, hunt on
                            n_hs[11]  = 1'b1;
                        end else if (!q_mmulti) begin
                            n_st   = ST_VERIFY;                     // exactly one phase
                            n_fn   = q_ohidx;
                        end else begin
                            n_mask = m;
                        end
                    end
                    default: begin                                  // VERIFY, IN_FRAME
                        if (s_st == ST_VERIFY) begin
                            if (ferr || (ev_crc_v && !sfm)) begin
                                n_st     = ST_HUNT;             // pattern or CRC-6 wrong: kill it
                                n_hs[11] = 1'b1;
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
                                n_st   = ST_HUNT;
                                ev_lof = 1'b1;
                            end
                        end
                        if (!sfm) begin
                            {n_cbr, n_crcv, n_sfv, n_fdl, fdl_bit} =
                                esf_fbit(hf, fb, s_cbr, s_crcv, s_sfv, s_fdl);
                            if (hf == 5'd21 && s_st == ST_INFRAME && s_crcv && n_cbr != s_crcp)
                                ev_crc = 1'b1;
                        end
                    end
                    endcase
                end
                if (!s_st[1]) begin                                 // HUNT, ALIGN (one chunk late: shallower)
                    n_sfv  = 1'b0;
                    n_crcv = 1'b0;
                end

                // ---- RAI: ESF FDL 16-bit pattern 11111111 00000000; SF bit 2 of every channel 0
                n_raic = s_raic; n_rais = s_rais; n_rai = s_rai;
                if (!sfm && fdl_bit)
                    {n_rai, n_raic, n_rais} = rai_esf_step(n_fdl, s_raic, s_rais, s_rai);
                if (sfm && oct_v && s_st == ST_INFRAME)
                    {n_rai, n_raic} = rai_sf_step(s_raic, oct_d[6]);
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

                c_word = {n_hs, n_st, n_pos, n_fn, n_mask, n_vcnt, n_eh, n_sr, n_crc, n_crcp, n_cbr, n_crcv,
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

    // ---------------------------------------------------------------- serial hunt
    // HUNT_SERIAL: between B and C1 the pipeline holds while the 8 bits go through the
    // hunt memory one per clock (read bit k's entry while bit k-1 is written): 9 clocks,
    // only when the span is not in frame.
    wire [HW-1:0] ser_hs;
    wire          ser_hit;
    wire [2:0]    ser_hi, ser_hj;
    wire [9:0]    ser_hidx;
        if (SER) begin : g_hunt_ser
            reg [3:0]    hmem [0:HM_DEPTH - 1];
            reg [3:0]    hm_rd;
            reg [3:0]    hk;                    // 0: first read; 1..8: bit hk-1
            reg          hdone;
            reg [HW-1:0] hs_q;
            reg          hit_q;
            reg [2:0]    hi_q, hj_q;
            reg [9:0]    hidx_q;
            wire [1:0]   sv_st = sv_rd[SW-HW-1 -: 2];
            assign hold = b_v && !ph_q && !hdone && (sv_st != ST_INFRAME) && cfg_en[b_s];
            always @(posedge clk) begin
                if (hold) begin : hstep
                    reg [HW-1:0] hs;
                    reg [HW+7:0] hr;
                    if (hk == 4'd0) begin
                        hs = hunt_pre(sv_rd[SW-1 -: HW], cfg_sf[b_s]);
                        hit_q <= 1'b0;
                    end else begin
                        hr = hunt_step(hs_q, hm_rd, b_data[3'd0 - hk[2:0]], cfg_sf[b_s]);
                        hmem[{b_s, hs_q[HW-1 -: 10]}] <= hr[7:4];
                        hs = hr[HW+7:8];
                        if (hr[3] && !hit_q) begin
                            hit_q  <= 1'b1;
                            hi_q   <= hk[2:0] - 3'd1;
                            hj_q   <= hr[2:0];
                            hidx_q <= hs_q[HW-1 -: 10];
                        end
                        if (hk == 4'd8)
                            hdone <= 1'b1;
                    end
                    hs_q  <= hs;
                    hm_rd <= hmem[{b_s, hs[HW-1 -: 10]}];
                    hk    <= hk + 4'd1;
                end
                if ((b_v && ph_q) || rst) begin
                    hk    <= 4'd0;
                    hdone <= 1'b0;
                end
            end
            assign ser_hs = hs_q;
            assign ser_hit = hit_q;
            assign ser_hi = hi_q;
            assign ser_hj = hj_q;
            assign ser_hidx = hidx_q;
        end else begin : g_hunt_wide
            assign hold = 1'b0;
            assign ser_hs = {HW{1'b0}};
            assign ser_hit = 1'b0;
            assign ser_hi = 3'd0;
            assign ser_hj = 3'd0;
            assign ser_hidx = 10'd0;
        end

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
    wire [CAW-1:0] cw_addr  = init_q ? init_cnt_q[CAW-1:0] : {d_s, d_cidx};
    wire [31:0]    cw_data  = init_q ? 32'd0 :
                              (d_cidx == 3'd6) ? {16'd0, d_fdl} : cnt_rd + d_add;

    ram_sdp #(.WIDTH(32), .DEPTH(1 << (CAW)), .AW(CAW)) cnt_ram_I (
        .clk(clk), .wr_en(cw_we), .wr_addr(cw_addr), .wr_data(cw_data),
        .rd_en(d_v), .rd_addr({d_s, d_cidx}), .rd_data(cnt_rd));

    ram_sdp #(.WIDTH(32), .DEPTH(1 << (CAW)), .AW(CAW)) cnt_bus_ram_I (
        .clk(clk), .wr_en(cw_we), .wr_addr(cw_addr), .wr_data(cw_data),
        .rd_en(br_re), .rd_addr({br_span, br_idx}), .rd_data(br_data));

    end else begin : g_ser

    // ================================================================ one bit per clock
    // A visit (37 clocks): take the chunk; load the state word (12 words of 16 bits)
    // into st_q, then the hunt memory's first read; 8 bit clocks (framing, CRC-6,
    // octets, hunt, LOS and AIS per bit); one chunk clock (counter deltas, status);
    // store the 12 words.  The counter job (read, add, write one 32-bit counter) runs
    // beside it on a clock without a bus read (a bus reading on every clock of a visit
    // would make a later job overwrite it: counters are read a few times per second).
    // The same state word layout as the pipeline, but for LOS: lwin counts bits (8),
    // lones saturates at 22 (5).
    localparam WN = (SW + 15) / 16;         // state words per span
    localparam SWP = WN * 16;
    localparam [2:0] Q_IDLE = 3'd0, Q_LOAD = 3'd1, Q_BITS = 3'd2, Q_CHUNK = 3'd3,
                     Q_STORE = 3'd4;
    reg [2:0]        q_q;
    reg [3:0]        k_q;
    reg [SPAN_W-1:0] scan_q, vs_q;
    reg [7:0]        vdata_q, vpulse_q;
    reg [3:0]        vbpv_q;
    reg              vexz_q, vslip_q;
    reg [SPANS-1:0]  slip_pend_q;
    reg [SWP-1:0]    st_q;
    wire [15:0]      sw_rd;
    reg              cj_pend, cj_wr;        // counter job: read pending, write now
    reg [CAW-1:0]    cj_addr;
    reg [31:0]       cj_add;
    reg              cj_fdl;
    reg [15:0]       cj_fdlv;
    wire [31:0]      cnt_rd;
    reg [3:0]        hm_rd;
    reg              ev_crc_q, ev_fbit_q, ev_lof_q;     // framing events of the visit
    reg [3:0]        hmem [0:HM_DEPTH - 1];

    wire take = !init_q && q_q == Q_IDLE && ck_rdy[scan_q];
    assign ck_ack = take ? ({{(SPANS-1){1'b0}}, 1'b1} << scan_q) : {SPANS{1'b0}};

    // state RAM: {span, word}; init writes the reset word (a single 1: sweep pending)
    localparam RSTW = (SW - 25) / 16;       // the word and bit of RST_WORD's one (swp = 1)
    localparam RSTB = (SW - 25) % 16;
    wire            sw_we = init_q || (q_q == Q_STORE);
    wire [IAW-1:0]  sw_wa = init_q ? init_cnt_q : {vs_q, k_q};
    wire [15:0]     sw_wd = init_q ? ((init_cnt_q[3:0] == RSTW[3:0]) ? (16'd1 << RSTB) : 16'd0) : st_q[15:0];
    ram_sdp #(.WIDTH(16), .DEPTH(1 << IAW), .AW(IAW)) state_ram_I (
        .clk(clk), .wr_en(sw_we), .wr_addr(sw_wa), .wr_data(sw_wd),
        .rd_en(q_q == Q_LOAD && k_q != WN[3:0]), .rd_addr({vs_q, k_q}), .rd_data(sw_rd));

    always @(posedge clk) begin : seq
        reg [9:0] hm_ra, hm_wa;             // one read and one write port for the hunt memory
        reg [3:0] hm_wd;
        reg       hm_we;
        slip_pend_q <= (slip_pend_q & ~ck_ack) | slip_evt;
        ew_v <= 1'b0;
        hm_ra = 10'd0;
        hm_we = 1'b0;
        hm_wa = 10'd0;
        hm_wd = 4'd0;
        case (q_q)
        Q_IDLE: begin
            scan_q <= (scan_q == SPANS[SPAN_W-1:0] - 1'b1) ? {SPAN_W{1'b0}} : scan_q + 1'b1;
            if (take) begin
                vs_q     <= scan_q;
                vdata_q  <= ck_data[scan_q*8 +: 8];
                vpulse_q <= ck_pulse[scan_q*8 +: 8];
                vbpv_q   <= ck_bpv[scan_q*4 +: 4];
                vexz_q   <= ck_exz[scan_q];
                vslip_q  <= slip_pend_q[scan_q];
                q_q      <= Q_LOAD;
                k_q      <= 4'd0;
            end
        end
        Q_LOAD: begin : load                // read word k, the data of word k-1 comes in
            /* verilator lint_off UNUSEDSIGNAL */
            reg [SWP-1:0] t;
            reg [HW-1:0]  hs;
            /* verilator lint_on UNUSEDSIGNAL */
            t  = {sw_rd, st_q[SWP-1:16]};
            hs = hunt_pre(t[SW-1 -: HW], cfg_sf[vs_q]);
            k_q <= k_q + 4'd1;
            if (k_q != 4'd0)
                st_q <= t;
            hm_ra = hs[HW-1 -: 10];         // all in: the first hunt read
            if (k_q == WN[3:0]) begin
                q_q   <= Q_BITS;
                k_q   <= 4'd0;
            end
            ev_crc_q  <= 1'b0;
            ev_fbit_q <= 1'b0;
            ev_lof_q  <= 1'b0;
        end
        Q_BITS: begin : bits
            reg [HW-1:0] s_hs;
            reg [1:0]  s_st;   reg [7:0] s_pos;  reg [4:0] s_fn;   reg [11:0] s_mask;
            reg [3:0]  s_vcnt; reg [3:0] s_eh;   reg [7:0] s_sr;   reg [5:0]  s_crc;
            reg [5:0]  s_crcp; reg [5:0] s_cbr;  reg s_crcv;       reg s_sfv;
            reg [15:0] s_fdl;  reg [8:0] s_raic; reg [4:0] s_rais; reg s_rai;
            reg [7:0]  s_zrun; reg s_los; reg s_lwact; reg [7:0] s_lwin; reg [4:0] s_lones;
            reg [9:0]  s_awin; reg [3:0] s_azer; reg s_ais;
            reg        p;
            reg [HW+7:0] hr;
            reg [9:0]  hix;
            reg [1:0]  st0;
            reg        b, sfm, en, hact, hit, ispat, expb, ferr, crc_cmp, fdl_bit;
            reg [4:0]  hf, nlast, ohidx;
            reg [11:0] m;
            reg [7:0]  oct;
            integer i;
            {s_hs, s_st, s_pos, s_fn, s_mask, s_vcnt, s_eh, s_sr, s_crc, s_crcp, s_cbr, s_crcv,
             s_sfv, s_fdl, s_raic, s_rais, s_zrun, s_los, s_lwact, s_lwin, s_lones, s_awin, s_azer,
             s_ais, s_rai} = st_q[SW-1:22];
            st0 = s_st;
            b   = vdata_q[3'd7 - k_q[2:0]];
            p   = vpulse_q[3'd7 - k_q[2:0]];
            sfm = cfg_sf[vs_q];
            en  = cfg_en[vs_q];
            // hunt
            hact = (s_st != ST_INFRAME) && en;
            s_hs = hunt_pre(s_hs, sfm);         // (a change of mode: the first bit)
            hix  = s_hs[HW-1 -: 10];
            hr   = hunt_step(s_hs, hm_rd, b, sfm);
            hit  = hact && hr[3];
            hm_we = hact;
            hm_wa = hix;
            hm_wd = hr[7:4];
            if (hact) begin
                {s_hs} = hr[HW+7:8];
            end else begin
                s_hs[13:12] = 2'd1;             // in frame: a new hunt when it ends
            end
            hm_ra = s_hs[HW-1 -: 10];
            if (!s_st[1]) begin                 // HUNT, ALIGN
                s_sfv  = 1'b0;
                s_crcv = 1'b0;
            end
            // framing
            nlast = sfm ? 5'd11 : 5'd23;
            hf    = (s_fn >= nlast) ? 5'd0 : s_fn + 5'd1;
            ispat = sfm ? 1'b1 : (hf[1:0] == 2'd3);
            expb  = sfm ? SF_M1[hf[3:0]] : FPS[hf[4:2]];
            ferr  = ispat && (b != expb);
            crc_cmp = !sfm && hf == 5'd21 && s_crcv;
            fdl_bit = 1'b0;
            m = {s_mask[10:0], s_mask[11]} & (b ? SF_M1 : SF_M0);
            ohidx = 5'd0;
            for (i = 0; i < 12; i = i + 1)
                ohidx = ohidx | (m[i] ? i[4:0] : 5'd0);
            oct = {s_sr[6:0], b};
            if (s_st == ST_HUNT) begin
                s_pos = (s_pos >= 8'd192) ? 8'd0 : s_pos + 8'd1;
                if (hit) begin                  // this bit is the candidate's F bit
                    s_pos       = 8'd1;
                    s_hs[11:1]  = {1'b0, hix};      // (to kill it if it fails)
                    s_vcnt      = 4'd0;
                    s_eh        = 4'd0;
                    if (sfm) begin
                        s_st   = ST_ALIGN;
                        s_mask = hr[0] ? 12'h111 : 12'h444;
                    end else begin
                        s_st   = ST_VERIFY;
                        s_fn   = {hr[2:0], 2'b11};
                    end
                end
            end else if (s_pos == 8'd0) begin   // the F bit
                s_pos = 8'd1;
                s_fn  = hf;
                if (hf == 5'd0)
                    s_crcp = s_crc;                 // the superframe's CRC-6
                s_crc = crc6_step((hf == 5'd0) ? 6'd0 : s_crc, 1'b1);   // F counted as 1
                case (s_st)
                ST_ALIGN: begin
                    if (m == 12'd0) begin
                        s_st     = ST_HUNT;
                        s_hs[11] = 1'b1;
                    end else if (!multi12(m)) begin
                        s_st = ST_VERIFY;
                        s_fn = ohidx;
                    end else begin
                        s_mask = m;
                    end
                end
                default: begin                  // VERIFY, IN_FRAME
                    if (s_st == ST_VERIFY) begin
                        if (ferr || (crc_cmp && {s_cbr[4:0], b} != s_crcp)) begin
                            s_st     = ST_HUNT;
                            s_hs[11] = 1'b1;
                        end else if (sfm && ispat) begin
                            s_vcnt = s_vcnt + 4'd1;
                            if (s_vcnt == 4'd0) begin   // 16 right F bits
                                s_st = ST_INFRAME;
                                s_eh = 4'd0;
                            end
                        end else if (crc_cmp) begin
                            s_st = ST_INFRAME;
                            s_eh = 4'd0;
                        end
                    end else if (ispat) begin
                        s_eh = {s_eh[2:0], ferr};
                        if (ferr)
                            ev_fbit_q <= 1'b1;
                        if ({2'b0, s_eh[0]} + {2'b0, s_eh[1]} + {2'b0, s_eh[2]} + {2'b0, s_eh[3]} >= 3'd2) begin
                            s_st = ST_HUNT;
                            ev_lof_q <= 1'b1;
                        end
                    end
                    if (!sfm) begin
                        if (hf == 5'd21 && st0 == ST_INFRAME && s_crcv && {s_cbr[4:0], b} != s_crcp)
                            ev_crc_q <= 1'b1;
                        {s_cbr, s_crcv, s_sfv, s_fdl, fdl_bit} =
                            esf_fbit(hf, b, s_cbr, s_crcv, s_sfv, s_fdl);
                    end
                end
                endcase
            end else begin                      // a payload bit
                s_crc = crc6_step(s_crc, b);
                s_sr  = oct;
                if (s_pos[2:0] == 3'd0) begin   // an octet: timeslot pos/8
                    ew_v     <= en && s_st == ST_INFRAME;
                    ew_span  <= vs_q;
                    ew_ts    <= s_pos[7:3] - 5'd1;
                    ew_data  <= oct;
                    ew_fdone <= (s_pos == 8'd192);
                    if (sfm && s_st == ST_INFRAME)
                        {s_rai, s_raic} = rai_sf_step(s_raic, oct[6]);
                end
                s_pos = (s_pos == 8'd192) ? 8'd0 : s_pos + 8'd1;
            end
            // RAI: ESF FDL 16-bit pattern 11111111 00000000
            if (!sfm && fdl_bit)
                {s_rai, s_raic, s_rais} = rai_esf_step(s_fdl, s_raic, s_rais, s_rai);
            if (st0 != ST_INFRAME) begin
                s_rai  = 1'b0;
                s_raic = 9'd0;
            end
            // LOS (per bit): 175 zeros; cleared by >= 22 pulses in 176 bits from a pulse
            s_zrun = p ? 8'd0 : (s_zrun >= 8'd175) ? s_zrun : s_zrun + 8'd1;
            if (!s_los) begin
                if (s_zrun >= 8'd175) begin
                    s_los   = 1'b1;
                    s_lwact = 1'b0;
                end
            end else if (!s_lwact) begin
                if (p) begin
                    s_lwact = 1'b1;
                    s_lwin  = 8'd1;
                    s_lones = 5'd1;
                end
            end else begin
                s_lwin = s_lwin + 8'd1;
                if (p && s_lones != 5'd22)
                    s_lones = s_lones + 5'd1;
                if (s_lwin == 8'd176) begin
                    s_lwact = 1'b0;
                    if (s_lones == 5'd22)
                        s_los = 1'b0;
                end
            end
            // AIS: fewer than 9 zeros in 8192 bits (1024 chunks) while out of frame
            if (!b && s_azer != 4'd9)
                s_azer = s_azer + 4'd1;
            if (k_q == 4'd7) begin
                if (s_awin == 10'd1023) begin
                    s_ais  = (s_azer != 4'd9) && (st0 != ST_INFRAME);
                    s_azer = 4'd0;
                end
                s_awin = s_awin + 10'd1;
            end
            if (!en)                            // shut down: reset the framer
                {s_hs, s_st, s_pos, s_fn, s_mask, s_vcnt, s_eh, s_sr, s_crc, s_crcp, s_cbr, s_crcv,
                 s_sfv, s_fdl, s_raic, s_rais, s_zrun, s_los, s_lwact, s_lwin, s_lones, s_awin,
                 s_azer, s_ais, s_rai} = RST_WORD[SW-1:22];
            st_q[SW-1:22] <= {s_hs, s_st, s_pos, s_fn, s_mask, s_vcnt, s_eh, s_sr, s_crc, s_crcp,
                              s_cbr, s_crcv, s_sfv, s_fdl, s_raic, s_rais, s_zrun, s_los, s_lwact,
                              s_lwin, s_lones, s_awin, s_azer, s_ais, s_rai};
            k_q <= k_q + 4'd1;
            if (k_q == 4'd7)
                q_q <= Q_CHUNK;
        end
        Q_CHUNK: begin : chunk
            /* verilator lint_off UNUSEDSIGNAL */
            reg [129:0] s_fr;                   // framing fields (hunt .. rais): st, fdl used
            /* verilator lint_on UNUSEDSIGNAL */
            /* verilator lint_off UNUSEDSIGNAL */
            reg [36:0] s_lx;                    // LOS, AIS fields but los (at 36-8) and ais (0)
            /* verilator lint_on UNUSEDSIGNAL */
            reg s_rai;
            reg [2:0]  s_cidx; reg [6:0] s_dbpv; reg [3:0] s_dexz; reg [1:0] s_dcrc;
            reg [1:0]  s_dfbit; reg [1:0] s_dslip; reg [1:0] s_dlof;
            reg        en, s_los, s_ais;
            reg        inf;
            {s_fr, s_lx, s_ais, s_rai, s_cidx, s_dbpv, s_dexz, s_dcrc, s_dfbit, s_dslip,
             s_dlof} = st_q[SW-1:0];
            s_los = s_lx[36 - 8];
            inf = (s_fr[129-HW -: 2] == ST_INFRAME);
            en  = cfg_en[vs_q];
            // counters: the chunk's line events, then one delta out to the counter RAM
            if (en) begin
                s_dbpv  = s_dbpv + {3'd0, vbpv_q};
                s_dexz  = s_dexz + {3'd0, vexz_q};
                s_dslip = s_dslip + {1'b0, vslip_q};
                s_dcrc  = s_dcrc + {1'b0, ev_crc_q};
                s_dfbit = s_dfbit + {1'b0, ev_fbit_q};
                s_dlof  = s_dlof + {1'b0, ev_lof_q};
            end
            cj_pend <= (s_cidx != 3'd7);
            cj_addr <= {vs_q, s_cidx};
            cj_fdl  <= (s_cidx == 3'd6);
            cj_fdlv <= s_fr[129-100 -: 16];     // fdl
            case (s_cidx)
            3'd0:    begin cj_add <= {25'd0, s_dbpv};  s_dbpv  = 7'd0; end
            3'd1:    begin cj_add <= {28'd0, s_dexz};  s_dexz  = 4'd0; end
            3'd2:    begin cj_add <= {30'd0, s_dcrc};  s_dcrc  = 2'd0; end
            3'd3:    begin cj_add <= {30'd0, s_dfbit}; s_dfbit = 2'd0; end
            3'd4:    begin cj_add <= {30'd0, s_dslip}; s_dslip = 2'd0; end
            3'd5:    begin cj_add <= {30'd0, s_dlof};  s_dlof  = 2'd0; end
            default: cj_add <= 32'd0;
            endcase
            s_cidx = s_cidx + 3'd1;
            st_inframe[vs_q] <= en && inf;
            st_los[vs_q]     <= en && s_los;
            st_ais[vs_q]     <= en && s_ais;
            st_rai[vs_q]     <= en && s_rai;
            st_q[21:0] <= {s_cidx, s_dbpv, s_dexz, s_dcrc, s_dfbit, s_dslip, s_dlof};
            q_q <= Q_STORE;
            k_q <= 4'd0;
        end
        Q_STORE: begin                      // word k out (st_q[15:0]), rotate
            st_q <= {st_q[15:0], st_q[SWP-1:16]};
            k_q  <= k_q + 4'd1;
            if (k_q == WN[3:0] - 4'd1)
                q_q <= Q_IDLE;
        end
        default: q_q <= Q_IDLE;
        endcase
        hm_rd <= hmem[{vs_q, hm_ra}];
        if (hm_we)
            hmem[{vs_q, hm_wa}] <= hm_wd;
        // counter job: read on a clock without a bus read, write the next clock
        cj_wr <= 1'b0;
        if (cj_pend && !br_re && q_q != Q_CHUNK) begin
            cj_pend <= 1'b0;
            cj_wr   <= 1'b1;
        end
        if (rst) begin
            q_q         <= Q_IDLE;
            scan_q      <= {SPAN_W{1'b0}};
            slip_pend_q <= {SPANS{1'b0}};
            cj_pend     <= 1'b0;
            cj_wr       <= 1'b0;
            ew_v        <= 1'b0;
            st_inframe  <= {SPANS{1'b0}};
            st_los      <= {SPANS{1'b0}};
            st_ais      <= {SPANS{1'b0}};
            st_rai      <= {SPANS{1'b0}};
        end
    end

    // one 32-bit counter RAM: the bus reads it, the counter job reads it when the bus does not
    wire           cw_we   = init_q || cj_wr;
    wire [CAW-1:0] cw_addr = init_q ? init_cnt_q[CAW-1:0] : cj_addr;
    wire [31:0]    cw_data = init_q ? 32'd0 : cj_fdl ? {16'd0, cj_fdlv} : cnt_rd + cj_add;
    ram_sdp #(.WIDTH(32), .DEPTH(1 << (CAW)), .AW(CAW)) cnt_ram_I (
        .clk(clk), .wr_en(cw_we), .wr_addr(cw_addr), .wr_data(cw_data),
        .rd_en(br_re || (cj_pend && q_q != Q_CHUNK)),
        .rd_addr(br_re ? {br_span, br_idx} : cj_addr), .rd_data(cnt_rd));
    assign br_data = cnt_rd;
    end
    endgenerate

endmodule // t1_rx_framer

// card_hx8k_top.v - board top of the dialback card: iCE40-HX8K (ct256) + FT232H + 2 T1 LIUs
//
// Wraps card_top for the board (constraints/dialback-hx8k.pcf, constraints/README.md):
// the FT232H's 8-bit data bus is bidirectional (synchronous 245 FIFO mode), driven
// while card_top asks for it (ft_data_oe) through an inferred tristate that Yosys and
// nextpnr-ice40 turn into SB_IO output enables; the core clock is the FT232H's 60 MHz
// CLKOUT; reset is a power-on reset stretched over 16 clocks, or the RESET_N pin.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module card_hx8k_top (
    // FT232H synchronous FIFO
    input  wire       ft_clkout,        // 60 MHz
    inout  wire [7:0] ft_d,
    input  wire       ft_rxf_n,
    input  wire       ft_txe_n,
    output wire       ft_rd_n,
    output wire       ft_wr_n,
    output wire       ft_oe_n,
    output wire       ft_siwu_n,
    // T1 line interface units (2 spans)
    input  wire [1:0] liu_rpos,
    input  wire [1:0] liu_rneg,
    input  wire [1:0] liu_rclk,
    output wire [1:0] liu_tpos,
    output wire [1:0] liu_tneg,
    output wire [1:0] liu_tclk,
    // board reset button, active low
    input  wire       reset_n
);
    wire clk = ft_clkout;

    // power-on reset: held for 16 clocks after configuration or while reset_n is low
    reg [3:0] por_q = 4'd0;
    reg [1:0] rstn_q = 2'b00;
    always @(posedge clk) begin
        rstn_q <= {rstn_q[0], reset_n};
        if (!rstn_q[1])
            por_q <= 4'd0;
        else if (por_q != 4'hF)
            por_q <= por_q + 4'd1;
    end
    wire rst = (por_q != 4'hF);

    wire [7:0] d_out;
    wire       d_oe;

    assign ft_d = d_oe ? d_out : 8'bzzzz_zzzz;

    // board values (the co-simulation keeps card_top's defaults): 4 clocks per channel
    // visit (the engine's state RAMs as 4 narrow words: 48 x 4 visit clocks fit easily
    // in the 7500 clocks of a frame at 60 MHz), 64-entry transmit rings with a 48-octet
    // credit, 32-entry receive rings with 16-octet RX_DATA chunks (both reported in
    // VERSION; the host follows them)
    card_top #(.SPANS(2), .SPAN_W(1), .CORE_HZ(60000000), .VISIT_CLKS(4), .VK_W(2),
               .TXQ_W(6), .TX_BUF_BYTES(48), .RXQ_W(5), .RX_CHUNK(16)) card_I (
        .ft_data_in(ft_d), .ft_data_out(d_out), .ft_data_oe(d_oe),
        .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n),
        .ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
        .liu_rpos(liu_rpos), .liu_rneg(liu_rneg), .liu_rclk(liu_rclk),
        .liu_tpos(liu_tpos), .liu_tneg(liu_tneg), .liu_tclk(liu_tclk),
        .clk(clk), .rst(rst));
endmodule // card_hx8k_top

// t1_ram_sdp.v - simple dual-port RAM (one write port, one registered read port)
//
// Inferred block RAM for the T1 line bank's per-span state, counters and octet
// buffers (iCE40 SB_RAM40_4K, or flip-flops when tiny).  Contents are not reset;
// the owners initialise what they need.  A read of the address written in the same
// clock returns undefined data: the owners never do that.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_ram_sdp #(
    parameter AW = 8,   // address width: depth is 2**AW words
    parameter DW = 8    // word width in bits
) (
    input  wire          clk,
    // write port
    input  wire          we,
    input  wire [AW-1:0] waddr,
    input  wire [DW-1:0] wdata,
    // read port: rdata is valid one clock after re
    input  wire          re,
    input  wire [AW-1:0] raddr,
    output reg  [DW-1:0] rdata
);
    reg [DW-1:0] mem [0:(1<<AW)-1];

    always @(posedge clk) begin
        if (we)
            mem[waddr] <= wdata;
        if (re)
            rdata <= mem[raddr];
    end
endmodule // t1_ram_sdp

// t1_line_enc.v - T1 line encoder: NRZ to dual-rail AMI / B8ZS (ANSI T1.403 / T1.102)
//
// One instance per span.  Delays the data by 8 bits so that a run of 8 zeros can be
// replaced by the B8ZS substitution 000VB0VB, V having the polarity of the preceding
// pulse and B the opposite; after the substitution the next mark alternates from the
// last B as if the zeros had been sent.  AMI: marks alternate, zeros stay zeros.
//
// SPDX-License-Identifier: MIT
`default_nettype none

module t1_line_enc (
    input  wire clk,
    input  wire rst,
    input  wire enc_stb,        // bit strobe
    input  wire enc_data,       // NRZ bit to send
    input  wire enc_b8zs,       // 1 = B8ZS, 0 = AMI
    output reg  line_pos,       // registered dual-rail symbols, change on enc_stb
    output reg  line_neg
);
    reg [7:0] win_q;            // [7] is the next bit out
    reg       sub_q;            // inside a substitution
    reg [2:0] k_q;              // position inside the substitution
    reg       lastpol_q;        // polarity of the last pulse sent: 1 = positive

    wire       start = enc_b8zs && !sub_q && (win_q == 8'd0);
    wire       in_sub = sub_q || start;
    wire [2:0] k = sub_q ? k_q : 3'd0;

    always @(posedge clk) begin
        if (enc_stb) begin
            win_q <= {win_q[6:0], enc_data};
            if (in_sub) begin
                sub_q <= (k != 3'd7);
                k_q   <= k + 3'd1;
                case (k)
                3'd3, 3'd7: begin line_pos <= lastpol_q;  line_neg <= ~lastpol_q; end  // V, B
                3'd4, 3'd6: begin line_pos <= ~lastpol_q; line_neg <= lastpol_q;  end  // B, V
                default:    begin line_pos <= 1'b0;       line_neg <= 1'b0;       end
                endcase
            end else if (win_q[7]) begin
                line_pos  <= ~lastpol_q;
                line_neg  <= lastpol_q;
                lastpol_q <= ~lastpol_q;
            end else begin
                line_pos <= 1'b0;
                line_neg <= 1'b0;
            end
        end
        if (rst) begin
            win_q     <= 8'hFF;
            sub_q     <= 1'b0;
            k_q       <= 3'd0;
            lastpol_q <= 1'b0;
            line_pos  <= 1'b0;
            line_neg  <= 1'b0;
        end
    end
endmodule // t1_line_enc

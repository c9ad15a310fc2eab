--top-module ram_wide_seq_tb_top
rtl/ram_sdp.v
rtl/ram_wide_seq.v
tests/rtl/ram_wide_seq/ram_wide_seq_tb_top.v
${PWD}/tests/rtl/ram_wide_seq/tb.cpp

--top-module fcs_tb_top
rtl/fcs16.v
rtl/fcs32.v
tests/rtl/fcs/fcs_tb_top.v
${PWD}/tests/rtl/fcs/tb.cpp
${PWD}/drivers/card_msg.c

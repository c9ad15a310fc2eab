--top-module hdlc_step_tb_top
rtl/fcs16.v
rtl/fcs32.v
rtl/hdlc_tx_step.v
rtl/hdlc_rx_step.v
tests/rtl/hdlc_step/hdlc_step_tb_top.v
${PWD}/tests/rtl/hdlc_step/tb.cpp
${PWD}/drivers/card_msg.c

--top-module card_top
-Irtl
rtl/ram_sdp.v
rtl/ram_wide_seq.v
rtl/fcs16.v
rtl/fcs32.v
rtl/fifo_sync.v
rtl/hdlc_tx_step.v
rtl/hdlc_rx_step.v
rtl/hdlc_chan_engine.v
rtl/card_csr.v
rtl/card_msg_rx.v
rtl/card_msg_tx.v
rtl/ft245_sync_if.v
tests/rtl/common/t1_line_bank_stub.v
rtl/card_top.v
${PWD}/tests/rtl/card_top/tb.cpp
${PWD}/drivers/card_msg.c

--top-module card_top
-f rtl/card.f
${PWD}/tests/rtl/card_t1/tb.cpp
${PWD}/drivers/card_msg.c

// card_top with the line bank stub and the card_top testbench
-f tests/rtl/common/card_top_stub.f

-GSPANS=28
-GSPAN_W=5
-CFLAGS -DNCH=672
-CFLAGS -DTB_SPANS=28
// card_top with the line bank stub and the card_top testbench
-f tests/rtl/common/card_top_stub.f

--top-module t1_line_bank
-Irtl
-GSPANS=28 -GSPAN_W=5 -GCORE_HZ=12352000
-CFLAGS -DTB_SPANS=28
-CFLAGS -DTB_TPMS=12352
-CFLAGS -I${PWD}/tests/rtl/t1_line_bank
rtl/t1_line_bank.v
${PWD}/tests/rtl/t1_line_bank/t1_ref.cpp
${PWD}/tests/rtl/t1_line_bank/tb.cpp

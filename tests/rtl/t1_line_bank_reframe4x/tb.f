--top-module t1_line_bank
-Irtl
-GSPANS=2 -GSPAN_W=1 -GCORE_HZ=6176000
-CFLAGS -DTB_TPMS=6176
-CFLAGS -DTB_CPB=4
-CFLAGS -I${PWD}/tests/rtl/t1_line_bank
rtl/t1_line_bank.v
${PWD}/tests/rtl/t1_line_bank/t1_ref.cpp
${PWD}/tests/rtl/t1_line_bank_reframe/tb.cpp

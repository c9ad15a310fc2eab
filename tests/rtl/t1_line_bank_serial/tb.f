--top-module t1_line_bank
-Irtl
-GSPANS=2 -GSPAN_W=1 -GCORE_HZ=24704000 -GVISIT_CLKS=4
-CFLAGS -DTB_VISIT_CLKS=4
-CFLAGS -DTB_TPMS=24704
-CFLAGS -DTB_CPB=16
-CFLAGS -I${PWD}/tests/rtl/t1_line_bank
rtl/t1_line_bank.v
${PWD}/tests/rtl/t1_line_bank/t1_ref.cpp
${PWD}/tests/rtl/t1_line_bank/tb.cpp

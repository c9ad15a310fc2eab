--top-module t1_line_bank
-Irtl
-GSPANS=2 -GSPAN_W=1
rtl/t1_line_bank.v
${PWD}/tests/rtl/t1_line_bank/t1_ref.cpp
${PWD}/tests/rtl/t1_line_bank/tb.cpp

--top-module card_csr
-GNCNT=13
rtl/ram_sdp.v
rtl/card_csr.v
${PWD}/tests/rtl/card_csr/tb.cpp
